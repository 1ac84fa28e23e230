// Package report builds the knowledge-transfer report of an interview: one Go structure made
// from the session, its findings and its transcript, in which every statement carries the ids of the
// messages it came from. The JSON, the Markdown, the PDF and the browser page are renderings of that one
// structure, in the same order, so they never disagree.
package report

import (
	"fmt"
	"time"
)

// Report is the whole report. Field order is the reading order.
type Report struct {
	Status      string    `json:"status"` // "ready" once generated; "pending" while a version is being made
	Version     int       `json:"version"`
	GeneratedAt time.Time `json:"generated_at"`
	// Engine is "offline" or the model that wrote the prose.
	Engine    string `json:"engine"`
	Interview Header `json:"interview"`
	// Summary is the executive summary as prose; SummaryPoints are its statements with their sources.
	Summary       string      `json:"summary"`
	SummaryPoints []Statement `json:"summary_points"`
	// Accounts are ordered by risk, highest first (the risk matrix's order).
	Accounts []Account `json:"accounts"`
	// Portfolio is the knowledge that belongs to no account: playbook material, decisions, feedback.
	Portfolio []Finding `json:"portfolio"`
	// PortfolioFiles are the files the CSM attached for no account in particular.
	PortfolioFiles []File `json:"portfolio_files"`
	// Playbooks group the portfolio findings for the reader: escalation paths, onboarding changes,
	// internal workflows, shadow systems and where their data lives.
	Playbooks      []Playbook      `json:"playbooks"`
	Decisions      []Finding       `json:"decisions"`
	FeedbackThemes []Theme         `json:"feedback_themes"`
	Credentials    []Finding       `json:"credentials"`
	Checklist      []ChecklistItem `json:"checklist"`
	Contradictions []Contradiction `json:"contradictions"`
	Gaps           []Gap           `json:"gaps"`
	// Corrections are the CSM's changes to what was captured from them; the findings above already
	// follow them, and the transcript keeps what they first said.
	Corrections []Correction `json:"corrections"`
	// Transcript is the appendix; a message's N is the number citations print ("#12").
	Transcript []Message `json:"transcript"`
	// IncompleteAnswerIDs are the answers whose capture had not completed when the report was built:
	// what they say is in the transcript but not yet in the findings. A new version is built once their
	// capture completes. Absent: every answer is included.
	IncompleteAnswerIDs []string `json:"incomplete_answer_ids,omitempty"`

	index map[string]int // message id → N, built on first use
}

// IncompleteNote says how many answers the report does not include yet, or is "" when it includes all.
func (r *Report) IncompleteNote() string {
	switch n := len(r.IncompleteAnswerIDs); n {
	case 0:
		return ""
	case 1:
		return "Incomplete: 1 answer not yet included (its capture had not completed); a new version follows once it has."
	default:
		return fmt.Sprintf("Incomplete: %d answers not yet included (their capture had not completed); a new version follows once it has.", n)
	}
}

// Header is the cover's information.
type Header struct {
	ID              string `json:"id"`
	CSMName         string `json:"csm_name"`
	CSMEmail        string `json:"csm_email,omitempty"`
	ManagerName     string `json:"manager_name"`
	ManagerEmail    string `json:"manager_email"`
	DepartureDate   string `json:"departure_date"` // YYYY-MM-DD
	Status          string `json:"status"`         // the interview's: invited, in_progress, completed
	CoveragePercent int    `json:"coverage_percent"`
}

// Statement is one sentence of the report with the transcript messages it rests on.
type Statement struct {
	Text       string   `json:"text"`
	MessageIDs []string `json:"message_ids"`
}

// Finding is a captured fact (a type of captured knowledge, with extract.FieldsOf's fields), with its source messages.
type Finding struct {
	Type       string            `json:"type"`
	Text       string            `json:"text"`
	Fields     map[string]string `json:"fields"`
	MessageIDs []string          `json:"message_ids"`
	// FactID and State say which fact of the account it is and whether the CSM confirmed or corrected it
	// (extracted, confirmed, corrected); absent for a mentioned credential.
	FactID string `json:"fact_id,omitempty"`
	State  string `json:"state,omitempty"`
	// Uncertain: which account it is about is a guess (a sentence that named another account, a person
	// named here only in passing who is another account's); no one is introduced from it.
	Uncertain bool `json:"uncertain,omitempty"`
}

// Account is one account's section.
type Account struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	ARR         *float64 `json:"arr"`
	RenewalDate *string  `json:"renewal_date"` // YYYY-MM-DD; the CRM's, or else the one the CSM stated
	Segment     string   `json:"segment,omitempty"`
	Successor   string   `json:"successor,omitempty"` // email
	// SuccessorName is the successor's name, for prose ("" when unknown: the email is used).
	SuccessorName string `json:"successor_name,omitempty"`
	// Depth is how the interview covered it: "deep" or "brief".
	Depth           string      `json:"depth"`
	CoveragePercent int         `json:"coverage_percent"`
	Overview        []Statement `json:"overview"`
	Risk            Risk        `json:"risk"`
	// Findings are grouped by type in the report's order: stakeholders, renewal, upsell, open issues,
	// commitments, workarounds, escalation contacts, then the rest.
	Findings []Finding `json:"findings"`
	// Files are the files the CSM attached for the account, in the order they were attached.
	Files      []File `json:"files"`
	IntroEmail Email  `json:"intro_email"`
	// Readiness is how ready the account was to be handed over when the report was made (package
	// readiness's rule, as the dashboard applies it); absent in reports made before it was recorded.
	Readiness *Readiness `json:"readiness,omitempty"`
}

// Readiness is an account's handover readiness: a score of 0–100, whether it would be handed over blind
// (below the rule's threshold), and what keeps the score down, the most important first.
type Readiness struct {
	Score   int      `json:"score"`
	Blind   bool     `json:"blind"`
	Reasons []string `json:"reasons"`
}

// Risk is an account's assessment: a transparent score (see Score) mapped to a level.
type Risk struct {
	Level string `json:"level"` // low, medium, high, critical
	// Stated is the level the CSM meant, the account's risk fact ("" when they gave none); Level never
	// falls below it. StatedState says whether the CSM confirmed or corrected it in the read-back
	// (confirmed, corrected) or it was read from their answers (extracted).
	Stated      string      `json:"stated_level,omitempty"`
	StatedState string      `json:"stated_state,omitempty"`
	Score       int         `json:"score"` // 0–100
	Drivers     []Driver    `json:"drivers"`
	Mitigations []Statement `json:"mitigations"`
	// MainDriver is the strongest driver's text, for the risk matrix ("" when none).
	MainDriver string `json:"main_driver"`
	// Rationale is prose on why the account stands where it does, written by a model (empty offline).
	Rationale []Statement `json:"rationale,omitempty"`
}

// Driver is one reason for an account's risk and the points it adds to the score.
type Driver struct {
	Key        string   `json:"key"` // which rule: stated_risk, renewal_soon, competitor, …
	Text       string   `json:"text"`
	Points     int      `json:"points"`
	MessageIDs []string `json:"message_ids"`
}

// Email is a drafted introduction of the successor to an account's stakeholders.
type Email struct {
	To      []string `json:"to"` // stakeholder names; the addresses are the successor's to fill in
	Subject string   `json:"subject"`
	Body    string   `json:"body"`
	// Notes are for the successor, not the customer: the account's people the e-mail leaves out and why
	// ("Tom Price: do not contact; he forwards everything to legal").
	Notes []string `json:"notes,omitempty"`
}

// Playbook is a group of portfolio knowledge a successor follows.
type Playbook struct {
	Key   string    `json:"key"` // escalation_paths, onboarding_changes, internal_workflows, shadow_systems
	Title string    `json:"title"`
	Items []Finding `json:"items"`
	// Steps are the playbook written as steps to follow, by a model (empty offline).
	Steps []Statement `json:"steps,omitempty"`
}

// Theme is product feedback the CSM never reported, grouped.
type Theme struct {
	Theme      string    `json:"theme"`
	Customers  []string  `json:"customers"`
	Statements []Finding `json:"statements"`
}

// ChecklistItem is one handover task. ID is stable across versions of the report (the manager's ticks,
// owners and dates are kept when it is regenerated).
type ChecklistItem struct {
	ID      string `json:"id"`
	Account string `json:"account"` // "" for portfolio-wide items
	// Kind is introduce, caution, commitment, escalation, shadow_system, credential, context_meeting, renewal_plan,
	// open_issue, gap, or one of the handover facts' tasks: documents, collateral, qbr, objectives, next_call, advocacy,
	// implementation, follow_up.
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	Owner   string `json:"owner"`    // an email, or "successor" / "manager" when nobody is assigned yet
	DueDate string `json:"due_date"` // YYYY-MM-DD, relative to the departure date
	// DueNote says where a due date comes from when it is not the item's own ("no date given; before the
	// last day" for a commitment the CSM gave no date).
	DueNote    string   `json:"due_note,omitempty"`
	Done       bool     `json:"done"`
	MessageIDs []string `json:"message_ids"`
}

// Contradiction is where the CRM and the CSM disagree, with both sides.
type Contradiction struct {
	Account    string   `json:"account"`
	CRM        string   `json:"crm"`
	Stated     string   `json:"stated"`
	MessageIDs []string `json:"message_ids"`
}

// Gap is a topic of an account (or the portfolio) that the interview did not cover.
type Gap struct {
	Account           string `json:"account"` // "" for portfolio topics
	Topic             string `json:"topic"`   // a topic key
	TopicLabel        string `json:"topic_label"`
	SuggestedQuestion string `json:"suggested_question"`
}

// Correction is the CSM's change to a statement: Corrected replaces Original, or it was withdrawn.
type Correction struct {
	Original   string    `json:"original"`
	Corrected  string    `json:"corrected"`
	Withdrawn  bool      `json:"withdrawn"`
	At         time.Time `json:"at"`
	MessageIDs []string  `json:"message_ids"`
}

// Message is a transcript message of the appendix.
type Message struct {
	N         int       `json:"n"`
	ID        string    `json:"id"`
	Role      string    `json:"role"` // interviewer or csm
	Account   string    `json:"account,omitempty"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
	// Covers are the accounts and topics a CSM's answer was read to cover, whatever question it answered.
	Covers []Cover `json:"covers,omitempty"`
}

// Cover is one (account, topic) an answer covers; Account is "" for a portfolio topic.
type Cover struct {
	Account string `json:"account"`
	Topic   string `json:"topic"`
}

// Numbers returns the transcript numbers of message ids, in order, skipping unknown ids: how citations
// are printed.
func (r *Report) Numbers(ids []string) []int {
	if r.index == nil {
		r.index = make(map[string]int, len(r.Transcript))
		for _, m := range r.Transcript {
			r.index[m.ID] = m.N
		}
	}
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		if n, ok := r.index[id]; ok {
			out = append(out, n)
		}
	}
	return out
}
