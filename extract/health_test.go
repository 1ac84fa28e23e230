package extract

import "testing"

func TestHealthBand(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"green": "green", "Healthy": "green", "GOOD": "green", "85": "green", "70%": "green", "92/100": "green",
		"yellow": "amber", "Amber": "amber", "watch": "amber", "55%": "amber", "69 / 100": "amber",
		"red": "red", "At Risk": "red", "at-risk": "red", "critical": "red", "45%": "red", "45/100": "red", "12": "red",
		"at risk (was green)": "red", "": "", "unknown": "", "250": "",
	} {
		if got := HealthBand(in); got != want {
			t.Errorf("HealthBand(%q) = %q, want %q", in, got, want)
		}
	}
}
