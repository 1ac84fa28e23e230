package gazetteer

import (
	"strings"
	"testing"
)

func TestNamesThatAreNeverPeople(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"Midwest", "Central", "teams", "Compliance", "Providence", "Store", "Monday", "CET", "Q2", "Honestly"} {
		if !NotPerson(w) {
			t.Errorf("%q is taken for a possible person", w)
		}
	}
	for _, w := range []string{"Karen", "Maya", "Priya", "Jack", "Connect"} {
		if NotPerson(w) {
			t.Errorf("%q is never a person, but people are called that (or it is only one word of a phrase)", w)
		}
	}
	for _, tc := range []struct {
		text string
		at   int
		want int
	}{
		{"on Slack Connect with Karen", 1, 2},
		{"Slack Connect", 0, 2},
		{"Slack is fine", 0, 0}, // one word: NotPerson's
		{"the Pacific Northwest team", 1, 2},
		{"Karen Liu", 0, 0},
	} {
		if got := PhraseAt(strings.Fields(tc.text), tc.at); got != tc.want {
			t.Errorf("PhraseAt(%q, %d) = %d, want %d", tc.text, tc.at, got, tc.want)
		}
	}
}

func TestGivenNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		word string
		want bool
	}{
		{"Karen", true}, {"karen", true}, {"Jörg", true}, {"Ngozi", true},
		{"May", true}, {"may", false}, {"Will", true}, {"will", false},
		{"Midwest", false}, {"Procurement", false}, {"the", false},
	} {
		if got := GivenName(tc.word); got != tc.want {
			t.Errorf("GivenName(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}
