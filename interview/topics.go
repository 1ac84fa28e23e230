// Package interview runs the knowledge-transfer interview: the plan built from the book of business, the
// two engines (offline and model) that decide the next question and judge coverage, and the turns that
// store every answer before anything slow or fallible happens.
package interview

import "github.com/exitinterview/exitinterview/store"

// Topic is one key of the knowledge taxonomy. The keys are part of the API.
type Topic struct {
	Key       string
	Label     string
	Portfolio bool   // asked once, not per account
	Wants     string // what the interviewer wants to learn, for prompts and the coverage view
}

// Topics lists the taxonomy in the order the interviewer asks about it.
var Topics = []Topic{
	{"account_overview", "Overview", false, "customer type and segment, use case, what they use and how widely: adoption status"},
	{"success_plan", "Success plan", false, "the customer's business objectives, the KPIs they track, the takeaways of the last QBRs, the features they care about and those they don't"},
	{"implementation", "Implementation", false, "the package they bought and when it was implemented, the customer's other systems (CRM, support desk, BI…) and the integrations between them and us"},
	{"stakeholders", "Stakeholders", false, "executive decision-maker, champion, administrator and other contacts; the relationship with each and their predisposition toward the product"},
	{"communication", "Communication", false, "how and how often to reach whom, informal channels, preferences, sensitivities, the senior buyer's channel"},
	{"churn_risk", "Churn risk", false, "whether the account is at risk of churn, why, unresolved concerns, what has been tried, what would help"},
	{"renewal", "Renewal", false, "renewal date and likelihood, blockers, who decides, what must happen before it"},
	{"upsell", "Upsell", false, "upsell or cross-sell conversations in progress: what, with whom, stage, next step, value"},
	{"open_issues", "Open issues", false, "incident history, open tickets and escalations in flight, their status and links"},
	{"commitments", "Commitments", false, "promises made to the customer, deadlines, ongoing conversations someone must continue"},
	{"workarounds", "Workarounds", false, "workarounds, special configurations, customisations and technical setup, and the problems they cause"},
	{"history", "History", false, "the last conversations and meetings that matter (QBRs, EBRs, escalation calls) and what was agreed in them"},
	{"documents", "Documents", false, "where the contract or MSA, order forms, invoices, kickoff and QBR/EBR decks, the sales handoff, the success plan and meeting notes live, with links"},
	{"advocacy", "Advocacy", false, "references, case studies, reviews and speaking the customer has done or agreed to, and what was promised in return"},
	{"escalation_paths", "Escalation paths", true, "who to contact internally for which kind of problem, and how"},
	{"onboarding_changes", "Onboarding changes", true, "onboarding or other processes the CSM modified, how, and why it worked better"},
	{"shadow_systems", "Shadow systems", true, "private spreadsheets, notes, trackers and follow-up routines outside the official tools, and where they are"},
	{"product_feedback", "Product feedback", true, "product feedback themes heard from customers but never formally reported"},
	{"internal_workflows", "Internal workflows", true, "internal processes, cadences and tools a successor must keep running"},
	{"decision_rationale", "Decision rationale", true, "important past decisions about accounts or processes and why they were made"},
}

// AccountTopics and PortfolioTopics are the keys of each scope, in asking order.
var AccountTopics, PortfolioTopics = splitTopics()

func splitTopics() (account, portfolio []string) {
	for _, t := range Topics {
		if t.Portfolio {
			portfolio = append(portfolio, t.Key)
		} else {
			account = append(account, t.Key)
		}
	}
	return account, portfolio
}

// TopicByKey returns the topic with that key.
func TopicByKey(key string) (Topic, bool) {
	for _, t := range Topics {
		if t.Key == key {
			return t, true
		}
	}
	return Topic{}, false
}

// Coverage states.
const (
	Missing = "missing"
	Partial = "partial"
	Covered = "covered"
	Skipped = "skipped"
)

// Message kinds.
const (
	KindIntro    = "intro"
	KindQuestion = "question"
	KindFollowUp = "follow_up"
	KindClosing  = "closing"
	KindFarewell = "farewell"
	KindAnswer   = "answer"
	KindSkip     = "skip"
	// KindReadback is the interviewer's card of what it understood of an account, and the CSM's reply
	// to it (confirmed, corrected).
	KindReadback = "readback"
)

// MaxFollowUps is how many follow-ups one topic of one account gets at most.
const MaxFollowUps = 2

// Percent is the share of the plan that is done: covered and skipped items count fully, partial ones half.
func Percent(items []store.CoverageItem) int {
	if len(items) == 0 {
		return 0
	}
	done := 0.0
	for _, c := range items {
		switch c.State {
		case Covered, Skipped:
			done++
		case Partial:
			done += 0.5
		}
	}
	return int(done * 100 / float64(len(items)))
}

// AccountPercent is Percent over one account's items ("" for the portfolio).
func AccountPercent(items []store.CoverageItem, accountID string) int {
	var mine []store.CoverageItem
	for _, c := range items {
		if c.AccountID == accountID {
			mine = append(mine, c)
		}
	}
	return Percent(mine)
}
