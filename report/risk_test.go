package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(s string) *time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &d
}

// TestRiskRule pins the documented rule: each driver's points, the thresholds, and that the level is
// never below the CSM's own.
func TestRiskRule(t *testing.T) {
	t.Parallel()
	departure := *date("2026-12-18")
	f := func(typ string, fields map[string]string, id string) Finding {
		return Finding{Type: typ, Text: "…", Fields: fields, MessageIDs: []string{id}}
	}
	type want struct {
		Level   string
		Score   int
		Drivers map[string]int
	}
	for name, tc := range map[string]struct {
		in   riskInput
		want want
	}{
		"nothing said, risk covered":     {riskInput{RiskCovered: true}, want{"low", 0, map[string]int{}}},
		"nothing said, risk never asked": {riskInput{}, want{"low", 15, map[string]int{"risk_unknown": 15}}},
		"stated low": {riskInput{RiskCovered: true, Findings: []Finding{f("risk", map[string]string{"level": "low"}, "m1")}},
			want{"low", 0, map[string]int{"stated_risk": 0}}},
		"stated medium stays medium though its points are below 25": {riskInput{RiskCovered: true,
			Findings: []Finding{f("risk", map[string]string{"level": "medium", "driver": "slow reports"}, "m1")}},
			want{"medium", 20, map[string]int{"stated_risk": 20}}},
		"highest stated level counts": {riskInput{RiskCovered: true, Findings: []Finding{
			f("risk", map[string]string{"level": "medium"}, "m1"), f("risk", map[string]string{"level": "critical"}, "m2")}},
			want{"critical", 45, map[string]int{"stated_risk": 45}}},
		"high risk, competitor, new CTO: high": {riskInput{RiskCovered: true, Findings: []Finding{
			f("risk", map[string]string{"level": "high", "competitor": "Freshdesk"}, "m1"),
			f("stakeholder", map[string]string{"name": "Victor", "role": "new CTO", "relationship": "decision_maker"}, "m2")}},
			want{"high", 65, map[string]int{"stated_risk": 35, "competitor": 15, "sponsor_change": 15}}},
		"the same with a renewal in 60 days: critical": {riskInput{RiskCovered: true, RenewalDate: date("2027-02-16"), Findings: []Finding{
			f("risk", map[string]string{"level": "high", "competitor": "Freshdesk"}, "m1"),
			f("stakeholder", map[string]string{"name": "Victor", "role": "new CTO", "relationship": "decision_maker"}, "m2")}},
			want{"critical", 80, map[string]int{"stated_risk": 35, "competitor": 15, "sponsor_change": 15, "renewal_soon": 15}}},
		"renewal in 150 days, stated date when the CRM has none": {riskInput{RiskCovered: true, Findings: []Finding{
			f("renewal", map[string]string{"date": "2027-05-17", "probability": "0.6"}, "m1")}},
			want{"low", 16, map[string]int{"renewal_soon": 8, "low_probability": 8}}},
		"renewal far away, unlikely": {riskInput{RiskCovered: true, RenewalDate: date("2027-12-01"), Findings: []Finding{
			f("renewal", map[string]string{"probability": "0.3"}, "m1")}},
			want{"low", 15, map[string]int{"low_probability": 15}}},
		"four open issues count 15, CRM red 10, unhappy champion 10": {riskInput{RiskCovered: true, CRMHealth: "Red", Findings: []Finding{
			f("open_issue", nil, "m1"), f("open_issue", nil, "m2"), f("open_issue", nil, "m3"), f("open_issue", nil, "m4"),
			f("stakeholder", map[string]string{"name": "Priya", "relationship": "champion", "sentiment": "negative"}, "m5")}},
			want{"medium", 35, map[string]int{"open_issues": 15, "crm_red": 10, "unhappy_stakeholder": 10}}},
		"a leaving champion": {riskInput{RiskCovered: true, Findings: []Finding{
			f("stakeholder", map[string]string{"name": "Priya", "relationship": "champion", "notes": "is leaving in January"}, "m1")}},
			want{"low", 15, map[string]int{"sponsor_change": 15}}},
		"a CRM score under 50":         {riskInput{RiskCovered: true, CRMHealth: "42"}, want{"low", 10, map[string]int{"crm_red": 10}}},
		"a CRM score of 70 is not red": {riskInput{RiskCovered: true, CRMHealth: "70/100"}, want{"low", 0, map[string]int{}}},
		"capped at 100": {riskInput{RiskCovered: true, CRMHealth: "red", RenewalDate: date("2027-01-10"), Findings: []Finding{
			f("risk", map[string]string{"level": "critical", "competitor": "Zendesk"}, "m1"),
			f("renewal", map[string]string{"probability": "0.2"}, "m2"),
			f("stakeholder", map[string]string{"name": "A", "relationship": "sponsor", "notes": "left", "sentiment": "negative"}, "m3"),
			f("open_issue", nil, "m4"), f("open_issue", nil, "m5"), f("open_issue", nil, "m6")}},
			want{"critical", 100, map[string]int{"stated_risk": 45, "renewal_soon": 15, "low_probability": 15, "competitor": 15,
				"sponsor_change": 15, "unhappy_stakeholder": 10, "open_issues": 15, "crm_red": 10}}},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := tc.in
			in.DepartureDate, in.Account, in.CSMName = departure, "Northwind", "Dana"
			got := assess(in)
			drivers := map[string]int{}
			for _, d := range got.Drivers {
				drivers[d.Key] = d.Points
			}
			if diff := cmp.Diff(tc.want, want{got.Level, got.Score, drivers}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if len(got.Mitigations) != len(got.Drivers) {
				t.Errorf("%d mitigations for %d drivers", len(got.Mitigations), len(got.Drivers))
			}
			for i := 1; i < len(got.Drivers); i++ {
				if got.Drivers[i].Points > got.Drivers[i-1].Points {
					t.Errorf("drivers not strongest first: %+v", got.Drivers)
				}
			}
		})
	}
}

func TestLevelThresholds(t *testing.T) {
	t.Parallel()
	for score, want := range map[int]string{0: "low", 24: "low", 25: "medium", 49: "medium", 50: "high", 74: "high", 75: "critical", 100: "critical"} {
		if got := levelOf(score); got != want {
			t.Errorf("levelOf(%d) = %s, want %s", score, got, want)
		}
	}
}
