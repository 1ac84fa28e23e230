package readiness

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var departure = time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC)

// all returns the nine account topics in one state, with overrides.
func all(state string, over map[string]string) map[string]string {
	m := map[string]string{}
	for _, t := range []string{"account_overview", "stakeholders", "communication", "churn_risk", "renewal", "upsell", "open_issues", "commitments", "workarounds"} {
		m[t] = state
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

// TestScoreRule pins the documented rule.
func TestScoreRule(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		a       Account
		score   int
		blind   bool
		reasons []string
	}{
		"nothing yet": {Account{Topics: all("missing", nil)}, 10, true,
			[]string{"not discussed: stakeholders, churn risk, the renewal, open issues and commitments", "no successor assigned", "no handover checklist yet"}},
		"everything done": {Account{Topics: all("covered", nil), HasChecklist: true, ChecklistDone: 6, ChecklistTotal: 6, CommitmentsDone: 2,
			CommitmentsTotal: 2, SuccessorAssigned: true}, 100, false, nil},
		"covered, no report yet, successor": {Account{Topics: all("covered", nil), SuccessorAssigned: true}, 80, false,
			[]string{"no handover checklist yet"}},
		"partly covered essentials": {Account{Topics: all("covered", map[string]string{"renewal": "partial", "churn_risk": "missing"}),
			HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 1, SuccessorAssigned: true}, 72, false,
			[]string{"not discussed: churn risk and the renewal", "3 handover tasks open"}},
		"high risk below 75 is blind": {Account{Risk: "high", Topics: all("covered", map[string]string{"renewal": "partial", "churn_risk": "missing"}),
			HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 1, SuccessorAssigned: true}, 72, true,
			[]string{"high risk", "not discussed: churn risk and the renewal", "3 handover tasks open"}},
		"open commitments come first": {Account{Topics: all("covered", nil), HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 2,
			CommitmentsTotal: 2, CommitmentsDone: 0, SuccessorAssigned: true}, 80, false,
			[]string{"2 commitments not taken over", "2 handover tasks open"}},
		"skipped topics are not known": {Account{Topics: all("skipped", nil), HasChecklist: true, SuccessorAssigned: true}, 40, true,
			[]string{"not discussed: stakeholders, churn risk, the renewal, open issues and commitments"}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Score(tc.a, departure)
			if diff := cmp.Diff([]any{tc.score, tc.blind, tc.reasons}, []any{got.Score, got.Blind, got.Reasons}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSessionWeighsValueAndUrgency: a large account renewing right after the last day counts most.
func TestSessionWeighsValueAndUrgency(t *testing.T) {
	t.Parallel()
	big, small := 1_000_000.0, 10_000.0
	soon, late := departure.AddDate(0, 0, 30), departure.AddDate(0, 0, 400)
	w := func(arr *float64, renewal *time.Time) float64 {
		return weight(Account{ARR: arr, RenewalDate: renewal}, departure)
	}
	if got := w(nil, nil); got != 1 {
		t.Errorf("no ARR, no renewal: weight %v", got)
	}
	if got := w(&small, &late); got < 1.30 || got > 1.31 {
		t.Errorf("10k ARR, renewal late: weight %v, want 1 + log10(2)", got)
	}
	if got := w(&big, &soon); got < 6.0 || got > 6.02 {
		t.Errorf("1M ARR, renewal in 30 days: weight %v, want 2 × (1 + log10(101))", got)
	}
	results := []Result{{Score: 20, Weight: w(&big, &soon)}, {Score: 100, Weight: w(&small, &late)}}
	if got := Session(results); got != 34 {
		t.Errorf("session readiness %d, want 34 (the big, urgent account weighs most)", got)
	}
	if Session(nil) != 0 {
		t.Error("an empty session is not 0")
	}
	order := Rank([]Result{{Score: 90}, {Score: 40, Blind: true}, {Score: 30, Blind: true}, {Score: 60}}, []string{"critical", "low", "high", "low"})
	if diff := cmp.Diff([]int{2, 1, 0, 3}, order); diff != "" {
		t.Errorf("rank (-want +got):\n%s", diff)
	}
}
