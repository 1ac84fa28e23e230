package readiness

import (
	"math"
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
		"nothing yet": {Account{Topics: all("missing", nil)}, 0, true,
			[]string{"not started: nothing was discussed yet", "no successor assigned", "no handover checklist yet"}},
		// A successor alone is no knowledge: an account nobody talked about reads 0, not 10.
		"nothing yet, successor assigned": {Account{Topics: all("missing", nil), SuccessorAssigned: true}, 0, true,
			[]string{"not started: nothing was discussed yet", "no handover checklist yet"}},
		// The churn risk the fact model holds was discussed, though the coverage did not count it.
		"risk known from the facts": {Account{Topics: all("covered", map[string]string{"churn_risk": "missing"}),
			Discussed: map[string]bool{"churn_risk": true}, SuccessorAssigned: true}, 76, false,
			[]string{"only partly discussed: churn risk", "no handover checklist yet"}},
		"everything done": {Account{Topics: all("covered", nil), HasChecklist: true, ChecklistDone: 6, ChecklistTotal: 6, CommitmentsDone: 2,
			CommitmentsTotal: 2, SuccessorAssigned: true}, 100, false, nil},
		"covered, no report yet, successor": {Account{Topics: all("covered", nil), SuccessorAssigned: true}, 80, false,
			[]string{"no handover checklist yet"}},
		"partly covered essentials": {Account{Topics: all("covered", map[string]string{"renewal": "partial", "churn_risk": "missing"}),
			HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 1, SuccessorAssigned: true}, 72, false,
			[]string{"not discussed: churn risk", "only partly discussed: the renewal", "3 handover tasks open"}},
		"high risk below 75 is blind": {Account{Risk: "high", Topics: all("covered", map[string]string{"renewal": "partial", "churn_risk": "missing"}),
			HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 1, SuccessorAssigned: true}, 72, true,
			[]string{"high risk", "not discussed: churn risk", "only partly discussed: the renewal", "3 handover tasks open"}},
		"open commitments come first": {Account{Topics: all("covered", nil), HasChecklist: true, ChecklistTotal: 4, ChecklistDone: 2,
			CommitmentsTotal: 2, CommitmentsDone: 0, SuccessorAssigned: true}, 80, false,
			[]string{"2 commitments not taken over", "2 handover tasks open"}},
		"skipped topics are not known": {Account{Topics: all("skipped", nil), HasChecklist: true, SuccessorAssigned: true}, 0, true,
			[]string{"not started: nothing was discussed yet"}},
		"essentials skipped": {Account{Topics: all("skipped", map[string]string{"account_overview": "covered"}), HasChecklist: true,
			SuccessorAssigned: true}, 44, true,
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
}

// TestValueAtRiskRanksTheBigUrgentAccountFirst: a $1.2M account whose CRM health is 45, renewing 16 days
// after the last day, comes before an $8.4k one, however unready and risky the small one is.
func TestValueAtRiskRanksTheBigUrgentAccountFirst(t *testing.T) {
	t.Parallel()
	big, small := 1_200_000.0, 8_400.0
	soon, later := departure.AddDate(0, 0, 16), departure.AddDate(0, 0, 5)
	level, basis := RiskLevel("", "", "45")
	if level != "high" || basis != "CRM health 45" {
		t.Fatalf("CRM health 45 reads as %q (%q), want high", level, basis)
	}
	bigAccount := Score(Account{Name: "Big", ARR: &big, RenewalDate: &soon, Risk: level, Topics: all("covered", map[string]string{"renewal": "partial", "churn_risk": "partial"}),
		SuccessorAssigned: true}, departure)
	smallAccount := Score(Account{Name: "Small", ARR: &small, RenewalDate: &later, Risk: "critical", Topics: all("missing", nil)}, departure)
	if got, want := bigAccount.ValueAtRisk, 1_200_000*0.7*1.0; got != want {
		t.Errorf("value at risk of the big account %v, want %v", got, want)
	}
	if !bigAccount.Blind {
		t.Error("a high-risk account below 75 is not blind")
	}
	if order := Rank([]Result{smallAccount, bigAccount}); order[0] != 1 {
		t.Errorf("rank %v: the $8.4k account comes first", order)
	}
	if !Before(bigAccount, smallAccount) || Before(smallAccount, bigAccount) {
		t.Error("Before does not put the big account first")
	}
}

// TestValueAtRiskFactors pins each factor of the documented formula.
func TestValueAtRiskFactors(t *testing.T) {
	t.Parallel()
	for level, want := range map[string]float64{"critical": 0.9, "high": 0.7, "medium": 0.4, "low": 0.15, "": 0.4} {
		if got := RiskFactor(level); got != want {
			t.Errorf("risk factor of %q: %v, want %v", level, got, want)
		}
	}
	at := func(days int) *time.Time { d := departure.AddDate(0, 0, days); return &d }
	for _, tc := range []struct {
		renewal *time.Time
		want    float64
	}{{nil, 0.5}, {at(-10), 1}, {at(30), 1}, {at(365), 0.2}, {at(900), 0.2}, {at(97), 0.84}} {
		if got := Proximity(tc.renewal, departure); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("proximity of %v: %v, want %v", tc.renewal, got, tc.want)
		}
	}
	arr := 100_000.0
	if got := ValueAtRisk(&arr, "medium", nil, departure); math.Abs(got-20_000) > 1e-6 {
		t.Errorf("value at risk %v, want 100k × 0.4 × 0.5", got)
	}
	if got := ValueAtRisk(nil, "critical", at(1), departure); got != 0 {
		t.Errorf("unknown ARR: value at risk %v", got)
	}
	// Ties: the less ready first.
	order := Rank([]Result{{Score: 90}, {Score: 40, Blind: true}, {Score: 30, Blind: true}, {Score: 60}, {Score: 45, Blind: true, ValueAtRisk: 5}})
	if diff := cmp.Diff([]int{4, 2, 1, 3, 0}, order); diff != "" {
		t.Errorf("rank (-want +got):\n%s", diff)
	}
}

// TestRiskLevelTakesTheMostAlarming: the report, the CSM and the CRM each may say; the worst wins.
func TestRiskLevelTakesTheMostAlarming(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ reported, stated, health, level, basis string }{
		{"", "", "", "", ""},
		{"", "", "red", "high", "CRM health red"},
		{"", "critical", "45", "critical", "the CSM said so"},
		{"medium", "low", "green", "medium", "the report"},
		{"high", "", "30", "high", "the report"},
		{"", "", "72", "low", "CRM health 72"},
	} {
		if level, basis := RiskLevel(tc.reported, tc.stated, tc.health); level != tc.level || basis != tc.basis {
			t.Errorf("RiskLevel(%q, %q, %q) = %q, %q; want %q, %q", tc.reported, tc.stated, tc.health, level, basis, tc.level, tc.basis)
		}
	}
}

// TestTopicOfAFact: a fact shows its topic was discussed only when it holds what the topic asks.
func TestTopicOfAFact(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		typ    string
		fields map[string]string
		topic  string
		ok     bool
	}{
		{"risk", map[string]string{"level": "high"}, "churn_risk", true},
		{"risk", map[string]string{"driver": "budget"}, "churn_risk", false},
		{"renewal", map[string]string{"probability": "likely"}, "renewal", true},
		{"renewal", map[string]string{}, "renewal", false},
		{"person", nil, "stakeholders", true},
		{"commitment", nil, "commitments", true},
		{"open_issue", nil, "open_issues", true},
		{"workaround", nil, "", false},
	} {
		if topic, ok := TopicOf(tc.typ, tc.fields); topic != tc.topic || ok != tc.ok {
			t.Errorf("TopicOf(%s, %v) = %q, %v; want %q, %v", tc.typ, tc.fields, topic, ok, tc.topic, tc.ok)
		}
	}
}
