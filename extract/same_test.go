package extract

import "testing"

// The rule of SamePerson, one row each.
func TestSamePerson(t *testing.T) {
	t.Parallel()
	liu := []string{"Karen Liu", "Tom Price"}
	twoKarens := []string{"Karen Liu", "Karen Smith"}
	for _, tc := range []struct {
		a, b  string
		known []string
		want  bool
	}{
		{"Karen Liu", "karen liu", nil, true},
		{"Dr. Karen Liu", "Karen Liu", nil, true},
		{"Karen", "Karen Liu", liu, true},
		{"Karen Liu", "Karen", liu, true},
		{"KL", "Karen Liu", liu, true},
		{"K. Liu", "Karen Liu", liu, true},
		{"Mr Liu", "Karen Liu", liu, true},
		{"Karen Liu (VP Ops)", "Karen", liu, true},
		{"Karen", "Karen Liu", twoKarens, false},
		{"Karen Liu", "Karen Smith", twoKarens, false},
		{"KL", "Karen Smith", liu, false},
		{"Liu", "Karen Liu", liu, false}, // a surname alone, without a title, is not taken for the person
		{"Tom", "Karen Liu", liu, false},
		{"Gerry", "Gerald Mott", nil, true}, // a short form of the given name
		{"Bob Hale", "Robert Hale", nil, true},
		{"Gerry", "Gerald Mott", []string{"Gerald Mott", "Gerard Blain"}, false},
		{"Bob Hale", "Robert Price", nil, false},
		{"", "Karen Liu", liu, false},
	} {
		if got := SamePerson(tc.a, tc.b, tc.known); got != tc.want {
			t.Errorf("SamePerson(%q, %q, %q) = %v, want %v", tc.a, tc.b, tc.known, got, tc.want)
		}
	}
}
