package interview

import (
	"strings"

	"github.com/exitinterview/exitinterview/store"
)

// pose puts the oldest question someone asked to the CSM, introduced by who asked it. Coverage is left
// as cov: an asked question is not a topic of the plan.
func (s *Service) pose(st *State, cov []store.CoverageItem, emit func(string)) Decision {
	q := st.Asked[0]
	var intro string
	who := strings.TrimSpace(q.AskedByName)
	switch {
	case q.From == "successor" && who != "" && q.AccountName != "":
		intro = who + ", who takes over " + q.AccountName + ", asks: "
	case q.From == "successor":
		intro = "Your successor asks: "
	case who != "" && q.AccountName != "":
		intro = who + ", your manager, has a question about " + q.AccountName + ": "
	case who != "":
		intro = who + ", your manager, has a question: "
	default:
		intro = "Your manager has a question: "
	}
	text := intro + q.Text
	emitWords(text, emit)
	return Decision{Coverage: cov, Messages: []Outgoing{{Kind: KindQuestion, Text: text, AccountID: q.AccountID, Engine: "asked",
		AskedQuestionID: q.ID, AskedFrom: q.From}}}
}

// withAsked lets a question someone asked go before the engine's next plan question: the engine's
// judgement of the answer stands, a follow-up on it stays, but a new plan question, the closing question
// or the farewell waits until the asked questions are answered.
func (s *Service) withAsked(st *State, d Decision) Decision {
	if len(st.Asked) == 0 || len(d.Messages) == 0 {
		return d
	}
	last := d.Messages[len(d.Messages)-1]
	if last.Kind != KindQuestion && last.Kind != KindClosing && last.Kind != KindFarewell {
		return d
	}
	// The plan question is not asked after all: its counters go back to what they were.
	cov := restoreCounters(st, d.Coverage, last)
	// The engine has streamed its question already; the final event carries this one, which replaces it.
	posed := s.pose(st, cov, nil)
	posed.Messages = append(d.Messages[:len(d.Messages)-1:len(d.Messages)-1], posed.Messages...)
	return posed
}
