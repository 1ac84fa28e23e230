package interview

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// group is what one planned question asks about: one or more topics of one account (or of the portfolio).
type group struct {
	key    string // the template section
	topics []string
}

// Deep accounts get eight questions with follow-ups; brief ones three broad questions and no follow-ups.
// The success plan is asked with the implementation (what they bought and why, and how it runs), the last
// meetings with the documents and the advocacy (what was agreed, where it is written down, what the
// customer does for us in return): two questions more for a deep account, one for a brief one.
var (
	deepGroups = []group{
		{"account_overview", []string{"account_overview"}},
		{"success", []string{"success_plan", "implementation"}},
		{"people", []string{"stakeholders", "communication"}},
		{"risk", []string{"churn_risk", "renewal"}},
		{"upsell", []string{"upsell"}},
		{"open_work", []string{"open_issues", "commitments"}},
		{"workarounds", []string{"workarounds"}},
		{"records", []string{"history", "documents", "advocacy"}},
	}
	briefGroups = []group{
		{"brief_people", []string{"account_overview", "success_plan", "stakeholders", "communication", "upsell"}},
		{"brief_risk", []string{"churn_risk", "renewal", "open_issues", "commitments", "workarounds", "implementation"}},
		{"brief_records", []string{"history", "documents", "advocacy"}},
	}
)

// Minutes a question takes with its follow-ups, for the time budget.
const minutesPerQuestion = 1.5

// step is one planned question.
type step struct {
	account *store.Account // nil for portfolio topics
	group   group
}

// priority orders accounts by what is at stake: value (ARR, relative to the largest account), how soon
// they renew, and risk signals from the CRM. Documented in the README; the same rule everywhere.
func priority(a store.Account, maxARR float64, today time.Time) float64 {
	value := 0.0
	if a.ARR != nil && maxARR > 0 {
		value = math.Log1p(*a.ARR) / math.Log1p(maxARR)
	}
	soon := 0.2 // unknown renewal date
	if a.RenewalDate != nil {
		days := a.RenewalDate.Sub(today).Hours() / 24
		switch {
		case days <= 90:
			soon = 1
		case days <= 180:
			soon = 0.6
		case days <= 365:
			soon = 0.3
		default:
			soon = 0.1
		}
	}
	return 0.4*value + 0.3*soon + 0.3*crmRisk(a)
}

// crmRisk reads the CRM's health (extract.HealthBand) and notes: 1 for a red account, 0.5 for amber, up
// to 0.3 for worrying notes.
func crmRisk(a store.Account) float64 {
	switch extract.HealthBand(a.CRMHealth) {
	case extract.HealthRed:
		return 1
	case extract.HealthAmber:
		return 0.5
	}
	if riskRE.MatchString(a.CRMNotes) {
		return 0.3
	}
	return 0
}

// Plan orders accounts by priority and decides which get a deep interview within the time budget: the
// portfolio questions are always asked; then accounts in order are deep while the rest still fit briefly.
func Plan(accounts []store.Account, budgetMinutes int, today time.Time) []store.Account {
	maxARR := 0.0
	for _, a := range accounts {
		if a.ARR != nil && *a.ARR > maxARR {
			maxARR = *a.ARR
		}
	}
	out := append([]store.Account(nil), accounts...)
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := priority(out[i], maxARR, today), priority(out[j], maxARR, today)
		if pi != pj {
			return pi > pj
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	left := float64(budgetMinutes) - minutesPerQuestion*float64(len(PortfolioTopics))
	deep := minutesPerQuestion * float64(len(deepGroups))
	brief := minutesPerQuestion * float64(len(briefGroups))
	for i := range out {
		rest := float64(len(out)-i-1) * brief
		if i == 0 || left-deep >= rest {
			out[i].Depth = "deep"
			left -= deep
		} else {
			out[i].Depth = "brief"
			left -= brief
		}
	}
	return out
}

// steps lists every planned question in asking order: deep accounts, then the portfolio, then brief accounts.
func steps(accounts []store.Account) []step {
	var out []step
	for i := range accounts {
		if accounts[i].Depth != "brief" {
			for _, g := range deepGroups {
				out = append(out, step{account: &accounts[i], group: g})
			}
		}
	}
	for _, t := range PortfolioTopics {
		out = append(out, step{group: group{key: t, topics: []string{t}}})
	}
	for i := range accounts {
		if accounts[i].Depth == "brief" {
			for _, g := range briefGroups {
				out = append(out, step{account: &accounts[i], group: g})
			}
		}
	}
	return out
}
