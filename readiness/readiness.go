// Package readiness scores how ready a departing CSM's accounts are to be handed over, so a manager sees
// before the last day which accounts would be handed over blind, and why. The rule is documented here
// and in the README, pinned by tests, and the same on the dashboard, the session page and the API.
//
// An account's readiness (0–100) is the sum of:
//
//	knowledge     40 × the share of its topics the interview covered (partly covered counts half)
//	essentials    20 × the share of the essential topics covered: stakeholders, churn risk, renewal,
//	                   open issues and commitments (their gaps are the reasons shown)
//	checklist     20 × the share of its handover checklist done (nothing until a report made one)
//	commitments   10 × the share of its commitments taken over (full when none was made)
//	successor     10 when a successor is assigned
//
// An account is at risk of being handed over blind when its readiness is below 50, or below 75 while its
// risk is high or critical. A session's readiness is the mean of its accounts' weighted by value and
// urgency: weight = (1 + log10(1 + ARR/10,000)) × 2 when the renewal falls within 90 days of the last day,
// 1.5 within 180 days, 1 otherwise.
package readiness

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/exitinterview/exitinterview/extract"
)

// Account is what the rule looks at for one account.
type Account struct {
	Name        string
	ARR         *float64
	RenewalDate *time.Time
	// Topics are the states of its interview topics by key (covered, partial, missing, skipped).
	Topics map[string]string
	// HasChecklist is false until a report made the handover checklist.
	HasChecklist      bool
	ChecklistDone     int
	ChecklistTotal    int
	CommitmentsDone   int
	CommitmentsTotal  int
	SuccessorAssigned bool
	Risk              string // low, medium, high, critical; "" before a report assessed it
}

// Essentials are the topics without which an account is handed over blind.
var Essentials = []string{"stakeholders", "churn_risk", "renewal", "open_issues", "commitments"}

var essentialLabels = map[string]string{"stakeholders": "stakeholders", "churn_risk": "churn risk", "renewal": "the renewal",
	"open_issues": "open issues", "commitments": "commitments"}

// Result is an account's readiness.
type Result struct {
	Score int
	Blind bool
	// Reasons say what keeps the score down, the most important first.
	Reasons []string
	Weight  float64
}

// Score applies the rule to one account of a CSM leaving on departure.
func Score(a Account, departure time.Time) Result {
	var reasons []string
	known, total := 0.0, 0
	for _, state := range a.Topics {
		total++
		known += credit(state)
	}
	knowledge := 0.0
	if total > 0 {
		knowledge = known / float64(total)
	}
	essential := 0.0
	var missing []string
	for _, topic := range Essentials {
		c := credit(a.Topics[topic])
		essential += c
		if c < 1 {
			missing = append(missing, essentialLabels[topic])
		}
	}
	essential /= float64(len(Essentials))
	if len(missing) > 0 {
		reasons = append(reasons, "not discussed: "+join(missing))
	}
	if !a.SuccessorAssigned {
		reasons = append(reasons, "no successor assigned")
	}
	checklist := 0.0
	switch {
	case !a.HasChecklist:
		reasons = append(reasons, "no handover checklist yet")
	case a.ChecklistTotal == 0:
		checklist = 1
	default:
		checklist = float64(a.ChecklistDone) / float64(a.ChecklistTotal)
		if open := a.ChecklistTotal - a.ChecklistDone; open > 0 {
			reasons = append(reasons, plural(open, "handover task", "handover tasks")+" open")
		}
	}
	commitments := 1.0
	if a.CommitmentsTotal > 0 {
		commitments = float64(a.CommitmentsDone) / float64(a.CommitmentsTotal)
		if open := a.CommitmentsTotal - a.CommitmentsDone; open > 0 {
			reasons = append([]string{plural(open, "commitment", "commitments") + " not taken over"}, reasons...)
		}
	}
	successor := 0.0
	if a.SuccessorAssigned {
		successor = 1
	}
	score := int(math.Round(40*knowledge + 20*essential + 20*checklist + 10*commitments + 10*successor))
	blind := score < 50 || ((a.Risk == "high" || a.Risk == "critical") && score < 75)
	if a.Risk == "high" || a.Risk == "critical" {
		reasons = append([]string{a.Risk + " risk"}, reasons...)
	}
	return Result{Score: score, Blind: blind, Reasons: reasons, Weight: weight(a, departure)}
}

// credit is how much a topic state counts as known.
func credit(state string) float64 {
	switch state {
	case "covered":
		return 1
	case "partial":
		return 0.5
	}
	return 0
}

// weight is an account's share of its session's readiness: value and urgency.
func weight(a Account, departure time.Time) float64 {
	w := 1.0
	if a.ARR != nil && *a.ARR > 0 {
		w += math.Log10(1 + *a.ARR/10000)
	}
	if a.RenewalDate != nil {
		switch days := a.RenewalDate.Sub(departure).Hours() / 24; {
		case days <= 90:
			w *= 2
		case days <= 180:
			w *= 1.5
		}
	}
	return w
}

// Session is the weighted mean of a session's account results (0 for a session without accounts).
func Session(results []Result) int {
	sum, weights := 0.0, 0.0
	for _, r := range results {
		sum += r.Weight * float64(r.Score)
		weights += r.Weight
	}
	if weights == 0 {
		return 0
	}
	return int(math.Round(sum / weights))
}

// Rank orders indexes of results for attention: blind first, then by risk, then the least ready.
func Rank(results []Result, risks []string) []int {
	idx := make([]int, len(results))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := idx[x], idx[y]
		if results[a].Blind != results[b].Blind {
			return results[a].Blind
		}
		if ra, rb := RiskRank(risks[a]), RiskRank(risks[b]); ra != rb {
			return ra > rb
		}
		return results[a].Score < results[b].Score
	})
	return idx
}

// RiskRank orders risk levels for attention: critical 4 down to low 1, 0 when not assessed (the levels'
// order is extract.RiskLevels).
func RiskRank(level string) int { return extract.RiskRank(level) + 1 }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func join(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}
