package extract

import (
	"strings"
	"testing"
)

// The status lexicon (prompts/status.txt) on the ways CSMs say it, negations included.
func TestStatusLexicon(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text, name, state string
		dnc               bool
	}{
		{"Karen Liu left in October.", "Karen Liu", "left", false},
		{"Our old sponsor Tom Price moved on.", "Tom Price", "left", false},
		{"Anita Rao is no longer there.", "Anita Rao", "left", false},
		{"Priya Shah is on maternity leave until March.", "Priya Shah", "on_leave", false},
		{"Priya Shah is on mat leave.", "Priya Shah", "on_leave", false},
		{"Jonas Weber is on parental leave.", "Jonas Weber", "on_leave", false},
		{"Jonas Weber is off sick this week.", "Jonas Weber", "on_leave", false},
		{"Marta Nowak is on sabbatical.", "Marta Nowak", "on_leave", false},
		{"Dev Raman is new in the role.", "Dev Raman", "new", false},
		{"Dev Raman just joined.", "Dev Raman", "new", false},
		{"Tom Price runs procurement; never cc him on anything.", "Tom Price", "", true},
		{"Keep Nigel Hart out of it.", "Nigel Hart", "", true},
		{"Do not contact Gerald Mott.", "Gerald Mott", "", true},
		{"Fiona Black prefers Slack, don't email her directly.", "Fiona Black", "", true},
		{"Magnus Berg goes over my head every time.", "Magnus Berg", "", true},
		{"DO NOT go over Roz's head to Oliver Finch.", "Oliver Finch", "", true},
		{"Odette Blanc hasn't left, she was on the last call.", "Odette Blanc", "", false},
		{"Odette Blanc is not on leave any more.", "Odette Blanc", "", false},
		{"Odette Blanc left a voicemail for me.", "Odette Blanc", "", false},
		{"Ana Ruiz left in October; Bea Klein is on maternity leave.", "Ana Ruiz", "left", false},
		{"Ana Ruiz left in October; Bea Klein is on maternity leave.", "Bea Klein", "on_leave", false},
		{"Both Ana Ruiz and Bea Klein left last year.", "Bea Klein", "left", false},
		{"- champ WAS Marcus Bell (digital banking mgr). left in October for a fintech.", "Marcus Bell", "left", false},
		{"- champ: Siobhan Keane, Dir. Practice Ops - ON MAT LEAVE since Oct, back ~March.", "Siobhan Keane", "on_leave", false},
		{"- champ: Marcus Bell, digital banking mgr\n- left in October: nobody told us", "Marcus Bell", "", false},
	} {
		var got map[string]string
		for _, f := range Offline(tc.text, Context{Topics: []string{"stakeholders"}}) {
			if f.Type == Stakeholder && f.Fields["name"] == tc.name {
				got = f.Fields
			}
		}
		if got == nil {
			t.Errorf("%q: %s not found", tc.text, tc.name)
			continue
		}
		if got["status"] != tc.state || (got["do_not_contact"] == "yes") != tc.dnc {
			t.Errorf("%q: status %q, do_not_contact %q; want %q, %v", tc.text, got["status"], got["do_not_contact"], tc.state, tc.dnc)
		}
		if tc.dnc && got["reason"] != strings.TrimSuffix(tc.text, ".") {
			t.Errorf("%q: reason %q, want the CSM's words", tc.text, got["reason"])
		}
	}
}
