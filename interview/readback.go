package interview

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// The read-back. When the interviewer leaves an account, and before it asks its closing question, it
// shows the CSM what it understood of each account they spoke about: the churn risk, the renewal, the
// people (who must not be contacted among them), the commitments with their due dates and the open
// issues. The CSM confirms it with one click or corrects any of it; what they confirm or correct wins
// over every later extraction. When the rules are unsure of the risk level the card offers the levels as
// choices. An account is read back once; a typed answer to the card is an answer like any other.

// FactRefresher brings an interview's facts up to date with every answer stored so far, also those
// whose capture has not completed, so that a read-back is never behind the chat.
type FactRefresher interface {
	RefreshFacts(ctx context.Context, interviewID string) error
}

// SetFactRefresher lets the interviewer read back what it understood. Without one there is no
// read-back.
func (s *Service) SetFactRefresher(f FactRefresher) { s.facts = f }

// cardTypes are the facts a read-back card shows, in its order.
var cardTypes = []string{facts.Risk, facts.Renewal, facts.Person, facts.Commitment, facts.OpenIssue}

// riskChoices are offered when the rules are unsure of the risk level.
var riskChoices = []store.Choice{{Value: "low", Label: "Low"}, {Value: "medium", Label: "Medium"}, {Value: "high", Label: "High"},
	{Value: "critical", Label: "Critical"}, {Value: "not_sure", Label: "Not sure"}}

// withReadback puts a read-back before the engine's next plan question when that question leaves an
// account the CSM spoke about and that was not read back yet, and before the closing question (or the
// farewell) for every such account. The plan question waits: its counters go back to what they were.
func (s *Service) withReadback(ctx context.Context, st *State, d Decision) Decision {
	if s.facts == nil || len(d.Messages) == 0 {
		return d
	}
	last := d.Messages[len(d.Messages)-1]
	if last.AskedQuestionID != "" {
		return d
	}
	var account string
	switch last.Kind {
	case KindQuestion:
		if prev := st.lastQuestion(); prev != nil && prev.AccountID != "" && prev.AccountID != last.AccountID && st.needsReadback(prev.AccountID) {
			account = prev.AccountID
		}
	case KindClosing, KindFarewell:
		for _, a := range st.Accounts {
			if st.needsReadback(a.ID) {
				account = a.ID
				break
			}
		}
	}
	if account == "" {
		return d
	}
	if err := s.facts.RefreshFacts(ctx, st.Interview.ID); err != nil {
		s.log.Warn("read-back skipped: the facts could not be brought up to date", "interview_id", st.Interview.ID, "error", err)
		return d
	}
	all, err := s.store.Facts(ctx, st.Interview.ID)
	if err != nil {
		s.log.Warn("read-back skipped: the facts could not be read", "interview_id", st.Interview.ID, "error", err)
		return d
	}
	card := Card(all, account)
	acc := st.account(account)
	text := readbackText(acc.Name, card)
	out := Outgoing{Kind: KindReadback, Text: text, AccountID: account, Engine: "offline"}
	if riskUnsure(card) {
		out.Choices = riskChoices
	}
	cov := restoreCounters(st, d.Coverage, last)
	msgs := append(d.Messages[:len(d.Messages)-1:len(d.Messages)-1], out)
	return Decision{Coverage: cov, Messages: msgs}
}

// restoreCounters undoes the counting of a plan question that is not asked after all.
func restoreCounters(st *State, coverage []store.CoverageItem, q Outgoing) []store.CoverageItem {
	before := map[[2]string]store.CoverageItem{}
	for _, c := range st.Coverage {
		before[[2]string{c.AccountID, c.Topic}] = c
	}
	cov := make([]store.CoverageItem, len(coverage))
	for i, c := range coverage {
		if prev, ok := before[[2]string{c.AccountID, c.Topic}]; ok && c.AccountID == q.AccountID && slices.Contains(q.Topics, c.Topic) {
			c.Asked, c.FollowUps = prev.Asked, prev.FollowUps
		}
		cov[i] = c
	}
	return cov
}

// needsReadback reports whether the CSM answered a question about the account and it was not read
// back yet.
func (st *State) needsReadback(accountID string) bool {
	answered := false
	for _, m := range st.Messages {
		if m.Role == "interviewer" && m.Kind == KindReadback && m.AccountID == accountID {
			return false
		}
		if m.Role == "csm" && m.Kind == KindAnswer {
			if q := st.message(m.ReplyTo); q != nil && q.AccountID == accountID {
				answered = true
			}
		}
	}
	return answered
}

// Card returns the facts a read-back of the account shows, in the card's order: withdrawn ones left out,
// and those whose account is a guess (the CSM files them on the review page).
func Card(all []store.Fact, accountID string) []store.Fact {
	set := facts.NewSet(all)
	var out []store.Fact
	for _, t := range cardTypes {
		for _, f := range set.Of(accountID, t) {
			if !f.Uncertain {
				out = append(out, f)
			}
		}
	}
	return out
}

// riskUnsure reports whether the card's risk level is one the rules are unsure of (or have none of) and
// the CSM has not settled.
func riskUnsure(card []store.Fact) bool {
	for _, f := range card {
		if f.Type == facts.Risk {
			return !facts.Decided(f) && (f.Fields["level"] == "" || f.Confidence < facts.Unsure)
		}
	}
	return true
}

// readbackText is the card as the transcript keeps it.
func readbackText(account string, card []store.Fact) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Before we leave %s, here is what I understood. Confirm it if it is right, or correct anything that is not.", account)
	line := func(label string, items []string) {
		if len(items) > 0 {
			fmt.Fprintf(&b, "\n- %s: %s", label, strings.Join(items, "; "))
		}
	}
	of := func(typ string, keep func(store.Fact) bool) []string {
		var out []string
		for _, f := range card {
			if f.Type == typ && (keep == nil || keep(f)) {
				out = append(out, facts.Describe(f))
			}
		}
		return out
	}
	risk := of(facts.Risk, nil)
	if riskUnsure(card) {
		risk = []string{"I could not tell how high you would put it. Which level is it?"}
	}
	line("Churn risk", risk)
	line("Renewal", of(facts.Renewal, nil))
	line("People", of(facts.Person, nil))
	line("Commitments", of(facts.Commitment, nil))
	line("Open issues", of(facts.OpenIssue, nil))
	return b.String()
}

// ReadBackInput is the CSM's reply to a read-back card: confirm it (every fact they did not change), and
// or change facts; Choice is a risk level picked from the card's choices ("not_sure" too).
type ReadBackInput struct {
	QuestionID string
	ClientID   string
	Confirm    bool
	Changes    []facts.Change
	Choice     string
}

// ReadBack records the CSM's reply to the open read-back card in one transaction: their reply in the
// transcript and the facts confirmed, corrected, withdrawn or added. A bad change is refused with a
// validation error and changes nothing. A resend with the same ClientID changes nothing again.
func (s *Service) ReadBack(ctx context.Context, interviewID string, in ReadBackInput, emit func(string)) (Reply, error) {
	if err := validateClientID(in.ClientID); err != nil {
		return Reply{}, err
	}
	if in.QuestionID == "" {
		return Reply{}, validation.Errors{"question_id": "is required: the id of the read-back question"}
	}
	if r, done, err := s.resent(ctx, interviewID, in.ClientID, emit); done {
		return r, err
	}
	ctx = s.withModelDeadline(ctx)
	v, err := s.resolve(ctx, interviewID, nil)
	if err != nil {
		return Reply{}, err
	}
	if v.Done {
		return Reply{}, ErrFinished
	}
	if v.Next == nil || v.Next.ID != in.QuestionID {
		return Reply{}, ErrQuestionChanged
	}
	q := *v.Next
	if q.Kind != KindReadback {
		return Reply{}, validation.Errors{"question_id": "is not a read-back question; answer it with a message"}
	}
	all, err := s.store.Facts(ctx, interviewID)
	if err != nil {
		return Reply{}, err
	}
	changes := in.Changes
	if in.Choice != "" {
		c, err := choiceChange(q, all, in.Choice)
		if err != nil {
			return Reply{}, err
		}
		changes = append(changes, c)
	}
	if !in.Confirm && len(changes) == 0 {
		return Reply{}, validation.Errors{"confirm": "confirm the card, or send corrections"}
	}
	if err := facts.Check(all, q.AccountID, changes); err != nil {
		return Reply{}, validation.Errors{"corrections": strings.TrimPrefix(err.Error(), facts.ErrInvalid.Error()+": ")}
	}
	a := s.newAnswer(interviewID, in.ClientID, KindReadback, readbackReply(all, in.Confirm, changes), q.ID)
	a.Choice = in.Choice
	stored := a.OnStored
	a.OnStored = func(ctx context.Context, tx *store.Store, m store.Message) error {
		if err := stored(ctx, tx, m); err != nil {
			return err
		}
		if err := facts.Decide(ctx, tx, interviewID, q.AccountID, in.Confirm, changes, s.now()); err != nil {
			return err
		}
		return coverConfirmed(ctx, tx, interviewID, q.AccountID, v.Coverage)
	}
	msg, fresh, err := s.store.InsertAnswer(ctx, a)
	if err != nil {
		if errors.Is(err, facts.ErrInvalid) {
			return Reply{}, validation.Errors{"corrections": err.Error()}
		}
		return Reply{}, s.answerError(err)
	}
	r, err := s.replyTo(ctx, msg, fresh, emit)
	return s.withCard(ctx, r, err)
}

// choiceChange turns a risk level picked from a read-back's choices into a change of the account's risk.
func choiceChange(q store.Message, all []store.Fact, choice string) (facts.Change, error) {
	if !slices.ContainsFunc(q.Choices, func(c store.Choice) bool { return c.Value == choice }) {
		return facts.Change{}, validation.Errors{"choice": "must be one of the question's choices"}
	}
	level := choice
	if choice == "not_sure" {
		level = ""
	}
	for _, f := range facts.NewSet(all).Of(q.AccountID, facts.Risk) {
		if f.Uncertain {
			continue
		}
		return facts.Change{FactID: f.ID, Fields: map[string]string{"level": level}}, nil
	}
	return facts.Change{New: &facts.New{Type: facts.Risk, Fields: map[string]string{"level": level}}}, nil
}

// readbackReply is the CSM's reply to a card as the transcript keeps it.
func readbackReply(all []store.Fact, confirm bool, changes []facts.Change) string {
	var parts []string
	for _, c := range changes {
		switch {
		case c.New != nil:
			parts = append(parts, "added "+facts.Describe(store.Fact{Type: c.New.Type, Fields: c.New.Fields}))
		default:
			i := slices.IndexFunc(all, func(f store.Fact) bool { return f.ID == c.FactID })
			if i < 0 {
				continue
			}
			f := all[i]
			if c.Withdraw {
				parts = append(parts, "not right: "+facts.Describe(f))
				continue
			}
			var fields []string
			for _, k := range facts.FieldsOf(f.Type) {
				if v, ok := c.Fields[k]; ok {
					if v == "" {
						v = "not sure"
					}
					fields = append(fields, facts.Label(k)+" "+v)
				}
			}
			parts = append(parts, strings.ReplaceAll(f.Type, "_", " ")+": "+strings.Join(fields, ", "))
		}
	}
	switch {
	case len(parts) == 0:
		return "Confirmed: that is right."
	case confirm:
		return "Confirmed, with corrections: " + strings.Join(parts, "; ") + "."
	}
	return "Corrections: " + strings.Join(parts, "; ") + "."
}

// withCard adds the facts of an open read-back to a reply's view.
func (s *Service) withCard(ctx context.Context, r Reply, err error) (Reply, error) {
	if err != nil {
		return r, err
	}
	r.View, err = s.cardOf(ctx, r.View)
	return r, err
}

// cardOf adds the facts of an open read-back to a view.
func (s *Service) cardOf(ctx context.Context, v View) (View, error) {
	if v.Next == nil || v.Next.Kind != KindReadback {
		return v, nil
	}
	all, err := s.store.Facts(ctx, v.Interview.ID)
	if err != nil {
		return v, err
	}
	v.Card = Card(all, v.Next.AccountID)
	return v, nil
}

// Choose answers the open question with one of the choices it offers, and optionally the CSM's own
// words. On a read-back the choice is the account's risk level and the rest of the card is confirmed.
func (s *Service) Choose(ctx context.Context, interviewID, choice, content, clientID, questionID string, emit func(string)) (Reply, error) {
	if err := validateClientID(clientID); err != nil {
		return Reply{}, err
	}
	if r, done, err := s.resent(ctx, interviewID, clientID, emit); done {
		return r, err
	}
	v, err := s.resolve(s.withModelDeadline(ctx), interviewID, nil)
	if err != nil {
		return Reply{}, err
	}
	if v.Done {
		return Reply{}, ErrFinished
	}
	if v.Next == nil || questionID != "" && v.Next.ID != questionID {
		return Reply{}, ErrQuestionChanged
	}
	q := *v.Next
	i := slices.IndexFunc(q.Choices, func(c store.Choice) bool { return c.Value == choice })
	if i < 0 {
		return Reply{}, validation.Errors{"choice": "must be one of the open question's choices"}
	}
	if q.Kind == KindReadback {
		return s.ReadBack(ctx, interviewID, ReadBackInput{QuestionID: q.ID, ClientID: clientID, Confirm: true, Choice: choice}, emit)
	}
	text := q.Choices[i].Label
	if strings.TrimSpace(content) != "" {
		text += ": " + strings.TrimSpace(content)
	}
	return s.answer(ctx, interviewID, text, clientID, q.ID, choice, emit)
}

// cardTopics are the topics a read-back card speaks for: once the CSM has confirmed or corrected facts
// of a type, its topic is covered for the account.
var cardTopics = map[string]string{facts.Risk: "churn_risk", facts.Renewal: "renewal", facts.Person: "stakeholders",
	facts.Commitment: "commitments", facts.OpenIssue: "open_issues"}

// coverConfirmed marks covered the account's topics of which the CSM confirmed or corrected a fact that
// holds something (a risk level, a renewal date or likelihood, a person, a commitment, an open issue).
func coverConfirmed(ctx context.Context, tx *store.Store, interviewID, accountID string, coverage []store.CoverageItem) error {
	all, err := tx.Facts(ctx, interviewID)
	if err != nil {
		return err
	}
	settled := map[string]bool{}
	for _, f := range facts.NewSet(all).Of(accountID) {
		if !facts.Decided(f) {
			continue
		}
		switch f.Type {
		case facts.Risk:
			settled["churn_risk"] = settled["churn_risk"] || f.Fields["level"] != ""
		case facts.Renewal:
			settled["renewal"] = settled["renewal"] || f.Fields["date"] != "" || f.Fields["probability"] != ""
		default:
			if t, ok := cardTopics[f.Type]; ok {
				settled[t] = true
			}
		}
	}
	var changed []store.CoverageItem
	for _, c := range coverage {
		if c.AccountID == accountID && settled[c.Topic] && c.State != Covered {
			c.State = Covered
			changed = append(changed, c)
		}
	}
	return tx.SaveCoverage(ctx, interviewID, changed)
}

// ReviewFacts records, from the review page, the CSM's confirmation or corrections of what was
// understood of one of their accounts (named as in the book), as a read-back in the chat does, and returns
// the account's card after it. The interview may have ended; a bad change is a validation error and
// changes nothing.
func (s *Service) ReviewFacts(ctx context.Context, interviewID, account string, confirm bool, changes []facts.Change) ([]store.Fact, error) {
	accounts, err := s.store.Accounts(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(accounts, func(a store.Account) bool { return a.Name == account })
	if i < 0 {
		return nil, validation.Errors{"account": "must be one of your accounts"}
	}
	accountID := accounts[i].ID
	if !confirm && len(changes) == 0 {
		return nil, validation.Errors{"confirm": "confirm what was understood, or send corrections"}
	}
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, interviewID); err != nil {
			return err
		}
		all, err := tx.Facts(ctx, interviewID)
		if err != nil {
			return err
		}
		if err := facts.Check(all, accountID, changes); err != nil {
			return validation.Errors{"corrections": strings.TrimPrefix(err.Error(), facts.ErrInvalid.Error()+": ")}
		}
		if err := facts.Decide(ctx, tx, interviewID, accountID, confirm, changes, s.now()); err != nil {
			return err
		}
		coverage, err := tx.Coverage(ctx, interviewID)
		if err != nil {
			return err
		}
		return coverConfirmed(ctx, tx, interviewID, accountID, coverage)
	})
	if err != nil {
		return nil, err
	}
	all, err := s.store.Facts(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	return Card(all, accountID), nil
}

// resent answers a reply sent again with a client id already stored: the stored reply and what followed
// it, nothing stored twice (done false: the client id is new, or none was given).
func (s *Service) resent(ctx context.Context, interviewID, clientID string, emit func(string)) (r Reply, done bool, err error) {
	if clientID == "" {
		return Reply{}, false, nil
	}
	prev, err := s.store.MessageByClientID(ctx, interviewID, clientID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{}, false, nil
	}
	if err != nil {
		return Reply{}, true, err
	}
	r, err = s.replyTo(ctx, prev, false, emit)
	r, err = s.withCard(ctx, r, err)
	return r, true, err
}
