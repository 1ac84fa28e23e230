package report

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
)

// The risk rule. An account's score is the sum of the points of its drivers, at most 100:
//
//	stated_risk           the CSM's own level: critical 45, high 35, medium 20, low 0
//	risk_unknown          churn risk was never assessed in the interview: 15
//	renewal_soon          the renewal falls within 90 days of the departure date: 15; within 180 days: 8
//	low_probability       the stated renewal probability is below 0.5: 15; below 0.7: 8
//	competitor            a competitor is named as an alternative: 15
//	sponsor_change        a champion, sponsor or decision maker is leaving, new or replaced: 15
//	unhappy_stakeholder   a decision maker or champion is negative, or a detractor: 10
//	open_issues           5 for each open issue or escalation, at most 15
//	crm_red               the CRM shows the account red (extract.HealthBand: "red", "at risk", a score under 50): 10
//
// The level is low below 25, medium from 25, high from 50 and critical from 75, and never below the
// level the CSM stated. ARR does not change the likelihood; it orders accounts of the same level in the
// risk matrix. The same rule serves the JSON, the page and the PDF.
const (
	pointsCritical      = 45
	pointsHigh          = 35
	pointsMedium        = 20
	pointsUnknown       = 15
	pointsRenewal90     = 15
	pointsRenewal180    = 8
	pointsProbLow       = 15
	pointsProbMid       = 8
	pointsCompetitor    = 15
	pointsSponsorChange = 15
	pointsUnhappy       = 10
	pointsPerIssue      = 5
	maxIssuePoints      = 15
	pointsCRMRed        = 10
)

// Levels in order.
var levels = facts.Levels

// levelOf maps a score to its level.
func levelOf(score int) string {
	switch {
	case score >= 75:
		return "critical"
	case score >= 50:
		return "high"
	case score >= 25:
		return "medium"
	}
	return "low"
}

func levelRank(level string) int { return facts.LevelRank(level) }

// riskInput is what the rule looks at for one account.
type riskInput struct {
	Account       string
	Findings      []Finding // the account's
	RiskCovered   bool      // the churn_risk topic was covered or partly covered
	RenewalDate   *time.Time
	DepartureDate time.Time
	CRMHealth     string
	Successor     string // who mitigations name
	CSMName       string
}

var (
	changeWords = regexp.MustCompile(`(?i)\b(leav(e|es|ing)|left|depart\w*|new|replac\w*|retir\w*|moving on|quit\w*|resign\w*|gone)\b`)
	negative    = regexp.MustCompile(`(?i)^(negative|unhappy|frustrated|hostile|sceptical|skeptical)$`)
)

// assess applies the rule.
func assess(in riskInput) Risk {
	var drivers []Driver
	add := func(key, text string, points int, ids []string) {
		drivers = append(drivers, Driver{Key: key, Text: text, Points: points, MessageIDs: ids})
	}
	byType := map[string][]Finding{}
	for _, f := range in.Findings {
		byType[f.Type] = append(byType[f.Type], f)
	}

	// The level the CSM meant: extract.AccountRisk over their risk findings in the order they were said.
	risks := byType[extract.Risk]
	statements := make([]extract.RiskStatement, len(risks))
	for i, f := range risks {
		statements[i] = extract.RiskStatementOf(f.Fields)
	}
	stated, at := extract.AccountRisk(statements)
	var statedFinding Finding
	if at >= 0 {
		statedFinding = risks[at]
	}
	switch {
	case stated != "":
		points := map[string]int{"critical": pointsCritical, "high": pointsHigh, "medium": pointsMedium}[stated]
		text := fmt.Sprintf("%s stated %s risk", in.CSMName, stated)
		if d := statedFinding.Fields["driver"]; d != "" {
			text += ": " + d
		}
		add("stated_risk", text, points, statedFinding.MessageIDs)
	case !in.RiskCovered:
		add("risk_unknown", "Churn risk was not assessed in the interview", pointsUnknown, nil)
	}

	// Renewal proximity, from the CRM's date or the one the CSM stated.
	// The CSM's renewal statements are cited either way.
	renewal, source, renewalIDs := in.RenewalDate, " (CRM)", []string(nil)
	for _, f := range byType[extract.Renewal] {
		renewalIDs = appendIDs(renewalIDs, f.MessageIDs)
		if d, err := time.Parse(time.DateOnly, f.Fields["date"]); err == nil && renewal == nil {
			renewal, source = &d, ""
		}
	}
	if renewal != nil {
		days := int(renewal.Sub(in.DepartureDate).Hours() / 24)
		switch {
		case days <= 90:
			add("renewal_soon", fmt.Sprintf("Renews %s%s, %s the departure date", renewal.Format("2 Jan 2006"), source, relDays(days)), pointsRenewal90, renewalIDs)
		case days <= 180:
			add("renewal_soon", fmt.Sprintf("Renews %s%s, %d days after the departure date", renewal.Format("2 Jan 2006"), source, days), pointsRenewal180, renewalIDs)
		}
	}

	// The lowest stated renewal probability.
	lowest, lowIDs := 2.0, []string(nil)
	for _, f := range byType[extract.Renewal] {
		if p, err := strconv.ParseFloat(f.Fields["probability"], 64); err == nil && p < lowest {
			lowest, lowIDs = p, f.MessageIDs
		}
	}
	switch {
	case lowest < 0.5:
		add("low_probability", fmt.Sprintf("Renewal probability stated as %d%%", int(lowest*100+0.5)), pointsProbLow, lowIDs)
	case lowest < 0.7:
		add("low_probability", fmt.Sprintf("Renewal probability stated as %d%%", int(lowest*100+0.5)), pointsProbMid, lowIDs)
	}

	// Competitors named.
	var competitors []string
	var compIDs []string
	for _, f := range byType[extract.Risk] {
		if c := f.Fields["competitor"]; c != "" && !slices.Contains(competitors, c) {
			competitors = append(competitors, c)
			compIDs = appendIDs(compIDs, f.MessageIDs)
		}
	}
	if len(competitors) > 0 {
		add("competitor", "Evaluating "+strings.Join(competitors, ", "), pointsCompetitor, compIDs)
	}

	// Sponsors changing, and unhappy decision makers.
	var changed, unhappy []string
	var changedIDs, unhappyIDs []string
	for _, f := range byType[extract.Stakeholder] {
		rel, name := f.Fields["relationship"], f.Fields["name"]
		if name == "" {
			name = f.Fields["role"]
		}
		key := rel == "champion" || rel == "sponsor" || rel == "decision_maker" || strings.Contains(strings.ToLower(f.Fields["role"]), "chief")
		if key && (changeWords.MatchString(f.Fields["notes"]) || changeWords.MatchString(f.Fields["role"]) || changeWords.MatchString(f.Text)) {
			changed = append(changed, name)
			changedIDs = appendIDs(changedIDs, f.MessageIDs)
		}
		detractor := rel == "other" && negative.MatchString(f.Fields["sentiment"]) // against us, whatever their role
		if detractor || (key && negative.MatchString(f.Fields["sentiment"])) {
			unhappy = append(unhappy, name)
			unhappyIDs = appendIDs(unhappyIDs, f.MessageIDs)
		}
	}
	if len(changed) > 0 {
		add("sponsor_change", "Key contact changing: "+strings.Join(dedupe(changed), ", "), pointsSponsorChange, changedIDs)
	}
	if len(unhappy) > 0 {
		add("unhappy_stakeholder", "Unhappy decision maker or champion: "+strings.Join(dedupe(unhappy), ", "), pointsUnhappy, unhappyIDs)
	}

	// Open issues and escalations.
	var issueIDs []string
	n := 0
	for _, f := range byType[extract.OpenIssue] {
		n++
		issueIDs = appendIDs(issueIDs, f.MessageIDs)
	}
	if n > 0 {
		word := "issue"
		if n > 1 {
			word = "issues"
		}
		add("open_issues", fmt.Sprintf("%d open %s or escalations", n, word), min(n*pointsPerIssue, maxIssuePoints), issueIDs)
	}

	if crmRed(in.CRMHealth) {
		add("crm_red", "The CRM shows the account as "+strings.TrimSpace(in.CRMHealth), pointsCRMRed, nil)
	}

	score := 0
	for _, d := range drivers {
		score += d.Points
	}
	score = min(score, 100)
	level := levelOf(score)
	if levelRank(stated) > levelRank(level) {
		level = stated
	}
	sort.SliceStable(drivers, func(i, j int) bool { return drivers[i].Points > drivers[j].Points })
	r := Risk{Level: level, Stated: stated, Score: score, Drivers: drivers}
	for _, d := range drivers {
		r.Mitigations = append(r.Mitigations, Statement{Text: mitigation(d, in, competitors, changed, unhappy), MessageIDs: d.MessageIDs})
	}
	if len(drivers) > 0 {
		r.MainDriver = drivers[0].Text
	}
	if r.Drivers == nil {
		r.Drivers = []Driver{}
		r.Mitigations = []Statement{}
	}
	return r
}

// mitigation is what to do about one driver.
func mitigation(d Driver, in riskInput, competitors, changed, unhappy []string) string {
	who := in.Successor
	if who == "" {
		who = "the successor"
	}
	before := in.DepartureDate.Format("2 Jan 2006")
	switch d.Key {
	case "stated_risk":
		return fmt.Sprintf("Hold an account-context meeting with %s and %s before %s and agree a recovery plan.", in.CSMName, who, before)
	case "risk_unknown":
		return fmt.Sprintf("Ask %s how likely %s is to renew, and why, before %s.", in.CSMName, in.Account, before)
	case "renewal_soon":
		return fmt.Sprintf("Start the renewal plan now: %s meets the decision maker before %s.", who, before)
	case "low_probability":
		return "Review the renewal blockers with the manager and agree who removes each."
	case "competitor":
		return fmt.Sprintf("Prepare a comparison against %s and arrange an executive sponsor call.", strings.Join(competitors, " and "))
	case "sponsor_change":
		return fmt.Sprintf("Meet %s early and introduce %s in person; find out who sponsors the product now.", strings.Join(dedupe(changed), ", "), who)
	case "unhappy_stakeholder":
		return fmt.Sprintf("Plan an executive call with %s to hear and address their concerns.", strings.Join(dedupe(unhappy), ", "))
	case "open_issues":
		return fmt.Sprintf("Hand every open issue to %s, who follows up with engineering and updates the customer weekly.", who)
	case "crm_red":
		return "Reconcile the CRM's health with what the CSM said, and update the CRM."
	}
	return ""
}

func crmRed(health string) bool { return extract.HealthBand(health) == extract.HealthRed }

func relDays(days int) string {
	switch {
	case days < 0:
		return fmt.Sprintf("%d days before", -days)
	case days == 0:
		return "on"
	}
	return fmt.Sprintf("%d days after", days)
}

func appendIDs(ids, more []string) []string {
	for _, id := range more {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// dedupe keeps each person once, by their fullest name (extract.SamePerson decides who is one person).
func dedupe(s []string) []string {
	var out []string
	for _, x := range s {
		if x == "" {
			continue
		}
		merged := false
		for i, y := range out {
			if extract.SamePerson(x, y, s) {
				if len(x) > len(y) {
					out[i] = x
				}
				merged = true
			}
		}
		if !merged {
			out = append(out, x)
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
