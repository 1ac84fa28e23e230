package mention

import (
	"slices"
	"testing"
)

// TestFindLooseReadsHowSuccessorsTypeNames: misspellings and initials name an account; a common word
// near a name, a short word or a form two accounts share does not.
func TestFindLooseReadsHowSuccessorsTypeNames(t *testing.T) {
	t.Parallel()
	m := NewMatcher([]Account{{"nh", "Nordhafen Retail"}, {"bw", "Brennwald Maschinenbau GmbH"}, {"nw", "Northwind Logistics Group"},
		{"kb", "Kessler & Baptiste LLP"}, {"mv", "Maréchal & Voss"}, {"pc", "Pennine Credit Union"}, {"pn", "Pinecrest Credit Union"},
		{"hm", "Halden Mutual"}, {"hl", "Halden Logistics"}})
	for q, want := range map[string][]string{
		"nordhafn renewal date":             {"nh"},
		"brenwald connector fix date":       {"bw"},
		"northwnd champion":                 {"nw"},
		"K&B signatory":                     {"kb"},
		"who decides at m&v":                {"mv"},
		"mv renewal":                        {"mv"},
		"pinnine odds":                      {"pc"},
		"pinecrest cu renewal":              {"pn"},
		"who is the champion at northwind?": {"nw"},
		"what is the renewal process":       nil,
		"halden renewal":                    nil, // two accounts are Halden
		"credit union renewals":             nil,
		"who signs at hallden mutual":       {"hm"},
		"nordhafen IT contact":              {"nh"},
	} {
		var got []string
		for _, h := range m.FindLoose(q) {
			got = append(got, h.AccountID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("FindLoose(%q) = %v, want %v", q, got, want)
		}
	}
}
