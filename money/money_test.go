package money

import "testing"

func TestFormat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v    float64
		code string
		want string
	}{
		{8400, "EUR", "€8,400"},
		{8400.5, "EUR", "€8,400.50"},
		{1200000, "USD", "$1,200,000"},
		{85000, "GBP", "£85,000"},
		{12000000, "JPY", "¥12,000,000"},
		{8400, "CHF", "CHF\u00a08,400"},
		{240000, "SEK", "SEK\u00a0240,000"},
		{999.999, "USD", "$1,000"},
		{0.05, "USD", "$0.05"},
		{0, "EUR", "€0"},
		{-1200.5, "USD", "-$1,200.50"},
		{-0.001, "USD", "$0"},
		{950, "", "$950"},
		{950, "eur", "$950"}, // not a code: never passed off as euros
	}
	for _, tc := range cases {
		if got := Format(tc.v, tc.code); got != tc.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tc.v, tc.code, got, tc.want)
		}
	}
	if got := Number(1200000.5); got != "1,200,000.50" {
		t.Errorf("Number(1200000.5) = %q", got)
	}
	if got := Ptr(nil, "EUR"); got != "" {
		t.Errorf("Ptr(nil) = %q", got)
	}
	v := 8400.0
	if got := Ptr(&v, "EUR"); got != "€8,400" {
		t.Errorf("Ptr(8400, EUR) = %q", got)
	}
}

func TestShort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v    float64
		code string
		want string
	}{
		{240000, "USD", "$240k"},
		{1200000, "EUR", "€1.2M"},
		{2000000, "GBP", "£2M"},
		{950, "CHF", "CHF\u00a0950"},
		{8400, "SEK", "SEK\u00a08k"},
	}
	for _, tc := range cases {
		if got := Short(tc.v, tc.code); got != tc.want {
			t.Errorf("Short(%v, %q) = %q, want %q", tc.v, tc.code, got, tc.want)
		}
	}
}

func TestValid(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]bool{"USD": true, "EUR": true, "usd": false, "US": false, "USDD": false, "": false, "U$D": false} {
		if Valid(code) != want {
			t.Errorf("Valid(%q) = %v", code, !want)
		}
	}
}

// TestSumKeepsCurrenciesApart: amounts in different currencies are never added into one figure.
func TestSumKeepsCurrenciesApart(t *testing.T) {
	t.Parallel()
	s := Sum{}
	if s.String() != "" {
		t.Fatalf("empty sum: %q", s.String())
	}
	s.Add(8400, "EUR")
	s.Add(12000, "USD")
	s.Add(1600, "EUR")
	s.Add(500, "")
	if got, want := s.String(), "€10,000 + $12,500"; got != want {
		t.Fatalf("sum = %q, want %q", got, want)
	}
	totals := s.Totals()
	if len(totals) != 2 || totals[0] != (Total{"EUR", 10000}) || totals[1] != (Total{"USD", 12500}) {
		t.Fatalf("totals = %+v", totals)
	}
}
