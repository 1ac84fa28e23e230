// Package facts is where an answer becomes understood: one model per account of what the departing CSM
// said (the people, the churn risk, the renewal, the commitments, the open issues and the rest), each
// fact with the messages it came from, how sure the rules are of it, and its state: extracted by the
// rules or a model, confirmed or corrected by the CSM, or withdrawn. Facts are derived once from the
// captured findings and stored; the report, the risk score, the contradictions, the checklist, the
// commitment ledger, the introduction e-mails, readiness, the account pages and the dashboard read them
// and never re-read the transcript. What the CSM confirmed or corrected wins over any later extraction.
package facts

import (
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/extract"
)

// Types of facts. A person is what the findings call a stakeholder; every other type has its finding's
// name and fields (extract.FieldsOf).
const (
	Person            = "person"
	Risk              = extract.Risk
	Renewal           = extract.Renewal
	Commitment        = extract.Commitment
	OpenIssue         = extract.OpenIssue
	Upsell            = extract.Upsell
	Workaround        = extract.Workaround
	ShadowSystem      = extract.ShadowSystem
	EscalationContact = extract.EscalationContact
	Decision          = extract.Decision
	Feedback          = extract.Feedback
	Process           = extract.Process
	Objective         = extract.Objective
	System            = extract.System
	Document          = extract.Document
	Advocacy          = extract.Advocacy
	Meeting           = extract.Meeting
)

// Types lists every fact type in the order a read-back card and the report show them.
var Types = []string{Risk, Renewal, Person, Commitment, OpenIssue, Upsell, Workaround, ShadowSystem, EscalationContact,
	Decision, Feedback, Process, Objective, System, Document, Advocacy, Meeting}

// States of a fact.
const (
	Extracted = "extracted" // from an answer, by the rules or a model
	Confirmed = "confirmed" // the CSM said it is right
	Corrected = "corrected" // the CSM changed it, or added it
	Withdrawn = "withdrawn" // the CSM said it is wrong: kept so that no later extraction brings it back
)

// States lists the states.
var States = []string{Extracted, Confirmed, Corrected, Withdrawn}

// Levels of churn risk, lowest first.
var Levels = extract.RiskLevels

// LevelRank is a level's place in Levels (-1 for none or an unknown word).
func LevelRank(level string) int { return extract.RiskRank(level) }

// Relationships a person may have to the account.
var Relationships = []string{"champion", "sponsor", "decision_maker", "admin", "procurement", "user", "other"}

// Statuses of a person.
var Statuses = []string{"active", "left", "on_leave", "new"}

// FieldsOf lists the fields of each fact type in the order they are shown.
func FieldsOf(typ string) []string {
	if typ == Person {
		return extract.FieldsOf[extract.Stakeholder]
	}
	return extract.FieldsOf[typ]
}

// FindingType is the finding type a fact of typ is made from (and is shown as in the report).
func FindingType(typ string) string {
	if typ == Person {
		return extract.Stakeholder
	}
	return typ
}

// TypeOfFinding is the fact type a finding of typ becomes ("" for findings that are no fact, such as a
// mentioned credential).
func TypeOfFinding(typ string) string {
	if typ == extract.Stakeholder {
		return Person
	}
	if slices.Contains(Types, typ) {
		return typ
	}
	return ""
}

// Label is how a field's name reads to a person ("due_date" → "due date").
func Label(field string) string {
	switch field {
	case "to_whom":
		return "to"
	case "do_not_contact":
		return "do not contact"
	case "blockers":
		return "needs before deciding"
	case "in_return":
		return "promised in return"
	}
	return strings.ReplaceAll(field, "_", " ")
}
