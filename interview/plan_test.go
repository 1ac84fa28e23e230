package interview

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/store"
)

func ptr[T any](v T) *T { return &v }

var today = time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)

func TestPlanOrdersByStakeAndFitsTheBudget(t *testing.T) {
	t.Parallel()
	accounts := []store.Account{
		{Name: "Wayne Retail", ARR: ptr(30000.0)},
		{Name: "Umbrella Health", ARR: ptr(320000.0), RenewalDate: ptr(today.AddDate(0, 10, 0))},
		{Name: "Stark Logistics", ARR: ptr(95000.0), RenewalDate: ptr(today.AddDate(0, 2, 0)), CRMHealth: "red"},
		{Name: "Northwind Traders", ARR: ptr(240000.0), RenewalDate: ptr(today.AddDate(0, 2, 0)), CRMHealth: "yellow"},
		{Name: "Initech", ARR: ptr(45000.0)},
		{Name: "Globex", ARR: ptr(180000.0), RenewalDate: ptr(today.AddDate(0, 7, 0)), CRMHealth: "82"},
	}
	cases := []struct {
		name   string
		budget int
		order  []string
		brief  []string
	}{
		// A deep account takes eight questions (12 minutes) since the success plan, implementation,
		// history, documents and advocacy are asked, a brief one three (4.5 minutes): 60 minutes less the
		// portfolio's 9 leave 51, enough for three deep accounts and three brief ones (four deep before).
		{"60 minutes", 60, []string{"Stark Logistics", "Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"},
			[]string{"Globex", "Initech", "Wayne Retail"}},
		// 36 minutes: one deep account (12) and five brief ones (22.5); a second deep one would not leave
		// the other four their brief questions (two deep accounts before).
		{"45 minutes", 45, []string{"Stark Logistics", "Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"},
			[]string{"Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"}},
		{"too little time still goes deep on the first", 10, []string{"Stark Logistics", "Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"},
			[]string{"Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			planned := Plan(accounts, tc.budget, today)
			var order, brief []string
			for _, a := range planned {
				order = append(order, a.Name)
				if a.Depth == "brief" {
					brief = append(brief, a.Name)
				}
			}
			if diff := cmp.Diff(tc.order, order); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.brief, brief); diff != "" {
				t.Errorf("brief accounts (-want +got):\n%s", diff)
			}
		})
	}
}

// TestStepsAskEveryTopicOfEveryAccount pins that the time budget never drops a topic: brief accounts get
// broader questions, but every (account, topic) pair is in some question.
func TestStepsAskEveryTopicOfEveryAccount(t *testing.T) {
	t.Parallel()
	accounts := Plan([]store.Account{{ID: "a", Name: "A", ARR: ptr(1e6)}, {ID: "b", Name: "B", ARR: ptr(1e3)}}, 10, today)
	asked := map[[2]string]int{}
	var order []string
	for _, s := range steps(accounts) {
		id := ""
		if s.account != nil {
			id = s.account.ID
		}
		order = append(order, id+":"+s.group.key)
		for _, topic := range s.group.topics {
			asked[[2]string{id, topic}]++
		}
	}
	for _, id := range []string{"a", "b"} {
		for _, topic := range AccountTopics {
			if asked[[2]string{id, topic}] != 1 {
				t.Errorf("account %s topic %s asked %d times", id, topic, asked[[2]string{id, topic}])
			}
		}
	}
	for _, topic := range PortfolioTopics {
		if asked[[2]string{"", topic}] != 1 {
			t.Errorf("portfolio topic %s asked %d times", topic, asked[[2]string{"", topic}])
		}
	}
	// A deep account is asked its success plan with the implementation after the overview, and its last
	// meetings with the documents and the advocacy last; a brief one gets a third broad question for those.
	want := []string{"a:account_overview", "a:success", "a:people", "a:risk", "a:upsell", "a:open_work", "a:workarounds", "a:records",
		":escalation_paths", ":onboarding_changes", ":shadow_systems", ":product_feedback", ":internal_workflows", ":decision_rationale",
		"b:brief_people", "b:brief_risk", "b:brief_records"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("asking order (-want +got):\n%s", diff)
	}
}

func TestPercent(t *testing.T) {
	t.Parallel()
	items := []store.CoverageItem{{State: Covered}, {State: Skipped}, {State: Partial}, {State: Missing}}
	if got := Percent(items); got != 62 {
		t.Errorf("Percent = %d, want 62 (2.5 of 4)", got)
	}
	if Percent(nil) != 0 {
		t.Error("Percent of nothing is not 0")
	}
}
