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
		{"60 minutes", 60, []string{"Stark Logistics", "Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"}, []string{"Wayne Retail"}},
		{"45 minutes", 45, []string{"Stark Logistics", "Northwind Traders", "Umbrella Health", "Globex", "Initech", "Wayne Retail"},
			[]string{"Globex", "Initech", "Wayne Retail"}},
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
	want := []string{"a:account_overview", "a:people", "a:risk", "a:upsell", "a:open_work", "a:workarounds",
		":escalation_paths", ":onboarding_changes", ":shadow_systems", ":product_feedback", ":internal_workflows", ":decision_rationale",
		"b:brief_people", "b:brief_risk"}
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
