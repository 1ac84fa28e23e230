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
//	commitments   10 × the share of its commitments taken over (full when none was made, once the
//	                   commitments were discussed or a checklist lists them)
//	successor     10 when a successor is assigned
//
// A topic counts as discussed when the interview's coverage says it was covered or partly covered, or
// when the fact model holds something the CSM said of it (a risk level, a renewal, a person, a
// commitment, an open issue): a topic that was answered is never "not discussed". An account of which
// nothing was discussed yet is "not started" and reads 0, whatever else is in place.
//
// An account's risk level is the most alarming of what is known: the latest report's assessment, the
// level the CSM stated (the fact model), and the CRM's health imported with the account (red reads as
// high, amber as medium, green as low; see extract.HealthBand).
//
// An account is at risk of being handed over blind when its readiness is below 50, or below 75 while its
// risk is high or critical. A session's readiness is the mean of its accounts' weighted by value and
// urgency: weight = (1 + log10(1 + ARR/10,000)) × 2 when the renewal falls within 90 days of the last day,
// 1.5 within 180 days, 1 otherwise.
//
// Accounts are ranked for the manager's attention by their value at risk (see ValueAtRisk).
package readiness

import (
	"fmt"
	"math"
	"sort"
	"strings"
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
	// Risk is the account's level (low, medium, high, critical; "" when nothing says), see RiskLevel.
	Risk string
	// Discussed are the topics the fact model holds something about, by key (see FactTopics).
	Discussed map[string]bool
}

// Essentials are the topics without which an account is handed over blind.
var Essentials = []string{"stakeholders", "churn_risk", "renewal", "open_issues", "commitments"}

var essentialLabels = map[string]string{"stakeholders": "stakeholders", "churn_risk": "churn risk", "renewal": "the renewal",
	"open_issues": "open issues", "commitments": "commitments"}

// Result is an account's readiness.
type Result struct {
	Score int
	Blind bool
	// NotStarted: nothing about the account was discussed yet, so its score is 0.
	NotStarted bool
	// Reasons say what keeps the score down, the most important first.
	Reasons []string
	Weight  float64
	// ValueAtRisk is what ranks the account for attention (see ValueAtRisk).
	ValueAtRisk float64
}

// Score applies the rule to one account of a CSM leaving on departure.
func Score(a Account, departure time.Time) Result {
	var reasons []string
	known, total := 0.0, 0
	started := false
	for topic, state := range a.Topics {
		total++
		c := a.credit(topic, state)
		known += c
		started = started || c > 0
	}
	for _, said := range a.Discussed {
		started = started || said
	}
	knowledge := 0.0
	if total > 0 {
		knowledge = known / float64(total)
	}
	essential := 0.0
	var missing, partly []string
	for _, topic := range Essentials {
		c := a.credit(topic, a.Topics[topic])
		essential += c
		switch {
		case c == 0:
			missing = append(missing, essentialLabels[topic])
		case c < 1:
			partly = append(partly, essentialLabels[topic])
		}
	}
	essential /= float64(len(Essentials))
	switch {
	case !started:
		reasons = append(reasons, "not started: nothing was discussed yet")
	case len(missing) > 0:
		reasons = append(reasons, "not discussed: "+join(missing))
	}
	if len(partly) > 0 {
		reasons = append(reasons, "only partly discussed: "+join(partly))
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
	// "No commitments" is known only once they were discussed or a checklist drew them up; before, the
	// full 10 would make an account nobody talked about look a tenth ready.
	commitments := 0.0
	switch {
	case a.CommitmentsTotal > 0:
		commitments = float64(a.CommitmentsDone) / float64(a.CommitmentsTotal)
		if open := a.CommitmentsTotal - a.CommitmentsDone; open > 0 {
			reasons = append([]string{plural(open, "commitment", "commitments") + " not taken over"}, reasons...)
		}
	case a.HasChecklist || a.credit("commitments", a.Topics["commitments"]) > 0:
		commitments = 1
	}
	successor := 0.0
	if a.SuccessorAssigned {
		successor = 1
	}
	score := int(math.Round(40*knowledge + 20*essential + 20*checklist + 10*commitments + 10*successor))
	if !started {
		score = 0
	}
	blind := score < 50 || ((a.Risk == "high" || a.Risk == "critical") && score < 75)
	if a.Risk == "high" || a.Risk == "critical" {
		reasons = append([]string{a.Risk + " risk"}, reasons...)
	}
	return Result{Score: score, Blind: blind, NotStarted: !started, Reasons: reasons, Weight: weight(a, departure),
		ValueAtRisk: ValueAtRisk(a.ARR, a.Risk, a.RenewalDate, departure)}
}

// credit is how much of a topic is known: its coverage state, or half when only the fact model holds
// something of it (the CSM said something the coverage did not count).
func (a Account) credit(topic, state string) float64 {
	c := credit(state)
	if c == 0 && a.Discussed[topic] {
		return 0.5
	}
	return c
}

// FactTopics are the topics a fact type speaks for: the same pairs the chat's read-back covers when
// the CSM confirms a fact.
var FactTopics = map[string]string{"risk": "churn_risk", "renewal": "renewal", "person": "stakeholders",
	"commitment": "commitments", "open_issue": "open_issues", "objective": "success_plan", "system": "implementation",
	"document": "documents", "advocacy": "advocacy", "meeting": "history"}

// TopicOf is the topic a stored fact (of type typ, with fields) shows was discussed, if it holds what
// the topic asks: a risk level, a renewal's date or likelihood; any person, commitment or open issue, and
// any objective, system, document, advocacy or meeting of the handover topics.
// Every reader of readiness fills Account.Discussed with it.
func TopicOf(typ string, fields map[string]string) (string, bool) {
	topic, ok := FactTopics[typ]
	switch {
	case !ok:
		return "", false
	case typ == "risk":
		return topic, fields["level"] != ""
	case typ == "renewal":
		return topic, fields["date"] != "" || fields["probability"] != ""
	}
	return topic, true
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

// Rank orders indexes of results for attention: blind first, then by Before.
func Rank(results []Result) []int {
	idx := make([]int, len(results))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, b := results[idx[x]], results[idx[y]]
		if a.Blind != b.Blind {
			return a.Blind
		}
		return Before(a, b)
	})
	return idx
}

// Before says whether a comes before b on the manager's attention list: the larger value at risk first,
// then the less ready. Every list that ranks accounts for attention sorts by it.
func Before(a, b Result) bool {
	if a.ValueAtRisk != b.ValueAtRisk {
		return a.ValueAtRisk > b.ValueAtRisk
	}
	return a.Score < b.Score
}

// ValueAtRisk is how much recurring revenue an account puts at risk by being handed over now:
//
//	value at risk = ARR × risk factor × renewal proximity
//
//	ARR                the account's annual recurring revenue as imported (0 when unknown)
//	risk factor        the chance its risk level stands for: critical 0.9, high 0.7, medium 0.4, low 0.15;
//	                   0.4 when nothing assessed it (neither report, nor the CSM, nor the CRM)
//	renewal proximity  1 when it renews within 30 days of the last day (or before it), falling in a
//	                   straight line to 0.2 at a year after it and staying there; 0.5 when the renewal
//	                   date is unknown
//
// So a $1.2M account with CRM health 45 (high) renewing 16 days after the last day is at 1.2M × 0.7 × 1
// = $840k, far above any $8.4k account whatever its risk.
func ValueAtRisk(arr *float64, level string, renewal *time.Time, departure time.Time) float64 {
	value := 0.0
	if arr != nil && *arr > 0 {
		value = *arr
	}
	return value * RiskFactor(level) * Proximity(renewal, departure)
}

// RiskFactor is the chance of losing the account its risk level stands for (see ValueAtRisk).
func RiskFactor(level string) float64 {
	switch level {
	case "critical":
		return 0.9
	case "high":
		return 0.7
	case "low":
		return 0.15
	}
	return 0.4
}

// Proximity is how close the renewal is to the last day, 0.2 to 1 (see ValueAtRisk).
func Proximity(renewal *time.Time, departure time.Time) float64 {
	if renewal == nil {
		return 0.5
	}
	days := renewal.Sub(departure).Hours() / 24
	switch {
	case days <= 30:
		return 1
	case days >= 365:
		return 0.2
	}
	return 1 - 0.8*(days-30)/(365-30)
}

// RiskLevel is an account's risk level from what is known of it: the most alarming of the report's
// assessment, the level the CSM stated and the CRM's health band (red high, amber medium, green low).
// basis says where the level comes from, for the manager ("CRM health 45"); "" with the level when
// nothing says.
func RiskLevel(reported, stated, crmHealth string) (level, basis string) {
	rank := -1
	consider := func(l, why string) {
		if r := extract.RiskRank(l); r > rank {
			rank, level, basis = r, l, why
		}
	}
	consider(reported, "the report")
	consider(stated, "the CSM said so")
	consider(map[string]string{extract.HealthRed: "high", extract.HealthAmber: "medium", extract.HealthGreen: "low"}[extract.HealthBand(crmHealth)],
		"CRM health "+strings.TrimSpace(crmHealth))
	return level, basis
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
