// Package fidelity holds the corpus that says how well the product understands what departing CSMs mean:
// synthetic CSMs who write in different ways, each with a book of business, the answers they give, and
// the truth about their accounts (people, risk, renewal, commitments, contradictions with the CRM, which
// topics each answer covers). Tests and `exitinterview bench --only fidelity` score the product against
// it. testdata/FORMAT.md describes the files.
package fidelity

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
)

//go:embed testdata/personas/*.json
var personaFiles embed.FS

// Persona is one synthetic departing CSM.
type Persona struct {
	Slug          string    `json:"slug"`
	Style         string    `json:"style"`
	CSM           Person    `json:"csm"`
	InterviewDate string    `json:"interview_date"` // YYYY-MM-DD: "next Friday" is relative to it
	DepartureDate string    `json:"departure_date"`
	Accounts      []Account `json:"accounts"`
	Answers       []Answer  `json:"answers"`
	// Truth is what is true of each account, by its name.
	Truth map[string]AccountTruth `json:"truth"`
}

// Person is a name and an e-mail.
type Person struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Account is an account of the book as the manager enters it, CRM context included.
type Account struct {
	Name        string  `json:"name"`
	ARR         float64 `json:"arr"`
	RenewalDate string  `json:"renewal_date"`
	Segment     string  `json:"segment"`
	CRMID       string  `json:"crm_id"`
	CRM         CRM     `json:"crm"`
}

// CRM is what the CRM says of an account.
type CRM struct {
	Health          string `json:"health"`
	LastContact     string `json:"last_contact"`
	OpenOpportunity string `json:"open_opportunity"`
	Notes           string `json:"notes"`
}

// Answer is what the CSM says when asked about Topic of Account ("" for a portfolio-wide topic). FollowUp
// is what they say to a follow-up on the same topic ("" : a short "that's all I know" is sent). Covers
// lists every (account, topic) the text actually answers, wherever it was asked.
type Answer struct {
	Account  string     `json:"account"`
	Topic    string     `json:"topic"`
	Text     string     `json:"text"`
	FollowUp string     `json:"follow_up"`
	Covers   []Coverage `json:"covers"`
}

// Coverage is one (account, topic) pair; Account "" for the portfolio.
type Coverage struct {
	Account string `json:"account"`
	Topic   string `json:"topic"`
}

// AccountTruth is what is true of one account, as the CSM meant it.
type AccountTruth struct {
	Risk        string       `json:"risk"` // low, medium, high, critical
	RiskWords   string       `json:"risk_words"`
	Renewal     Renewal      `json:"renewal"`
	People      []PersonFact `json:"people"`
	NotPeople   []string     `json:"not_people"` // capitalised words in the answers that are not people
	Commitments []Commitment `json:"commitments"`
	// Contradictions are where the CSM's words contradict the CRM: kind health, renewal_date or
	// opportunity.
	Contradictions []Contradiction `json:"contradictions"`
}

// Renewal is the renewal as the CSM stated it.
type Renewal struct {
	Date        string   `json:"date"`        // YYYY-MM-DD, "" when unknown
	Probability *float64 `json:"probability"` // 0..1, null when not said
	Decider     string   `json:"decider"`
}

// PersonFact is one person named in the answers.
type PersonFact struct {
	Name         string   `json:"name"`     // the fullest name said
	Mentions     []string `json:"mentions"` // every other way they are named ("Karen", "K. Liu")
	Title        string   `json:"title"`
	Relationship string   `json:"relationship"` // champion, sponsor, decision_maker, admin, procurement, user, other
	Status       string   `json:"status"`       // active, left, on_leave, new
	DoNotContact bool     `json:"do_not_contact"`
	Reason       string   `json:"reason"`
}

// Commitment is a promise made to the customer.
type Commitment struct {
	What string `json:"what"`
	To   string `json:"to"`
	Due  string `json:"due"` // YYYY-MM-DD
}

// Contradiction is where the CSM and the CRM disagree.
type Contradiction struct {
	Kind   string `json:"kind"`
	CRM    string `json:"crm"`
	Stated string `json:"stated"`
}

// Personas loads every persona of the corpus, in slug order.
func Personas() ([]Persona, error) {
	names, err := fs.Glob(personaFiles, "testdata/personas/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Persona
	for _, name := range names {
		b, err := personaFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var p Persona
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(name), err)
		}
		out = append(out, p)
	}
	return out, nil
}
