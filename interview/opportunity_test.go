package interview

import (
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// TestAnOpportunityTheCRMListsIsCheckedUnlessNamed: when what the CSM said of upsells reads as (partly)
// covered but no answer named the opportunity the CRM lists, the interviewer still asks about it; once an
// answer names it (by a word of its name that is not a generic one), it does not.
func TestAnOpportunityTheCRMListsIsCheckedUnlessNamed(t *testing.T) {
	t.Parallel()
	acc := store.Account{ID: "a1", Name: "Caldwell & Pryce", Depth: "deep", CRMOpenOpportunity: "Analytics add-on (60k)"}
	for _, tc := range []struct {
		said string
		ask  bool
	}{
		{"They bought 150 seats for the claims team; an expansion of 70k is coming in Q2.", true},
		{"- analytics add-on: DEAD, Compliance said no in summer", false},
		{"- other add-on: off the table", true}, // "add-on" alone does not say which
	} {
		st := &State{Accounts: []store.Account{acc}, Messages: []store.Message{
			{ID: "q1", Role: "interviewer", Kind: KindQuestion, AccountID: "a1", Topics: []string{"account_overview"}},
			{ID: "m1", Role: "csm", Kind: KindAnswer, ReplyTo: "q1", Content: tc.said}}}
		cov := map[[2]string]*store.CoverageItem{}
		for _, g := range deepGroups {
			for _, tp := range g.topics {
				cov[[2]string{"a1", tp}] = &store.CoverageItem{AccountID: "a1", Topic: tp, State: Covered, Asked: 1}
			}
		}
		cov[[2]string{"a1", "upsell"}] = &store.CoverageItem{AccountID: "a1", Topic: "upsell", State: Missing}
		judgeContent(st, cov, &st.Messages[1])
		m := nextMove(st, cov)
		asked := m.kind == KindQuestion && len(m.topics) == 1 && m.topics[0] == "upsell"
		if asked != tc.ask {
			t.Errorf("%q: asks about the CRM's opportunity %v, want %v (move %+v)", tc.said, asked, tc.ask, m)
		}
	}
}
