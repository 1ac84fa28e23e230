package interview

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Review is what the CSM reads of what was captured from them: the statements (findings) by account,
// and the corrections they made.
type Review struct {
	Accounts    []store.Account
	Findings    []store.Finding // in transcript order
	Corrections []store.Correction
	// Unsettled are the passages whose account is a guess (they name two accounts, or compare with
	// another): the CSM says which account each is about.
	Unsettled []store.Chunk
	// Facts are what was understood of each account, as a read-back card shows them, by account id.
	Facts map[string][]store.Fact
	// Answers are the CSM's answers, in order, each with what it is filed under.
	Answers []FiledAnswer
}

// FiledAnswer is one of the CSM's answers with the (account, topic) pairs it is filed under: as the topic
// reader read it, or as the CSM filed it (ByCSM).
type FiledAnswer struct {
	Message   store.Message
	Question  string // the question it answered
	AccountID string // the account that question was about ("" for the portfolio)
	Covers    []store.Filed
	ByCSM     bool
}

// Review returns what was captured from the CSM's answers.
func (s *Service) Review(ctx context.Context, interviewID string) (Review, error) {
	accounts, err := s.store.Accounts(ctx, interviewID)
	if err != nil {
		return Review{}, err
	}
	findings, err := s.store.Findings(ctx, interviewID)
	if err != nil {
		return Review{}, err
	}
	corrections, err := s.store.Corrections(ctx, interviewID, "")
	if err != nil {
		return Review{}, err
	}
	unsettled, err := s.store.UncertainChunks(ctx, interviewID)
	if err != nil {
		return Review{}, err
	}
	all, err := s.store.Facts(ctx, interviewID)
	if err != nil {
		return Review{}, err
	}
	understood := map[string][]store.Fact{}
	for _, a := range accounts {
		if card := Card(all, a.ID); len(card) > 0 {
			understood[a.ID] = card
		}
	}
	msgs, err := s.store.Messages(ctx, interviewID)
	if err != nil {
		return Review{}, err
	}
	st := &State{Accounts: accounts, Messages: msgs, read: s.read}
	var answers []FiledAnswer
	for _, m := range msgs {
		if m.Role != "csm" || m.Kind != KindAnswer {
			continue
		}
		fa := FiledAnswer{Message: m, Covers: []store.Filed{}, ByCSM: m.Filed != nil}
		if q := st.message(m.ReplyTo); q != nil {
			fa.Question, fa.AccountID = q.Content, q.AccountID
		}
		for _, c := range st.Covers(m) {
			fa.Covers = append(fa.Covers, store.Filed{AccountID: c.AccountID, Topic: c.Topic})
		}
		answers = append(answers, fa)
	}
	return Review{Accounts: accounts, Findings: findings, Corrections: corrections, Unsettled: unsettled, Facts: understood,
		Answers: answers}, nil
}

// Correct records the CSM's correction of one captured statement (withdraw: remove it) and, in the same
// transaction, enqueues the capture of its answer again, so search and the next report use the
// corrected words within seconds. The transcript keeps what was said. A statement of another interview
// is ErrNotFound; a note the system wrote (where a credential was mentioned) cannot be corrected.
func (s *Service) Correct(ctx context.Context, interviewID, findingID, text string, withdraw bool) (store.Correction, error) {
	f, err := s.store.FindingByID(ctx, findingID)
	if err != nil {
		return store.Correction{}, err
	}
	if f.InterviewID != interviewID {
		return store.Correction{}, store.ErrNotFound
	}
	text = strings.TrimSpace(text)
	errs := validation.Errors{}
	switch {
	case f.Type == "credential_mentioned":
		errs["finding"] = "is a note about a removed credential, not something you said"
	case !withdraw && text == "":
		errs["text"] = "is required, or withdraw the statement"
	case utf8.RuneCountInString(text) > 2000:
		errs["text"] = "must be at most 2000 characters"
	case !withdraw && text == f.Text:
		errs["text"] = "is the same as the statement"
	}
	if len(errs) > 0 {
		return store.Correction{}, errs
	}
	if withdraw {
		text = ""
	}
	text, _ = redact.Text(text) // a credential in a correction is kept out like one in an answer
	var c store.Correction
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if c, err = tx.AddCorrection(ctx, store.Correction{InterviewID: interviewID, MessageID: f.MessageID, Original: f.Text,
			Corrected: text, Withdrawn: withdraw}); err != nil {
			return err
		}
		if s.queue != nil {
			return s.queue.EnqueueCapture(ctx, tx, f.MessageID)
		}
		return nil
	})
	return c, err
}

// Approve records that the CSM approved what was captured about the account named account ("" for what
// is about no account), so successors see it in a session that waits for approval.
func (s *Service) Approve(ctx context.Context, interviewID, account string) error {
	id := ""
	if account != "" {
		accounts, err := s.store.Accounts(ctx, interviewID)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if strings.EqualFold(a.Name, strings.TrimSpace(account)) {
				id = a.ID
			}
		}
		if id == "" {
			return validation.Errors{"account": "is not one of your accounts"}
		}
	}
	return s.store.Approve(ctx, interviewID, id)
}

// Settle records the CSM's word on which account a captured passage whose account was a guess is about
// (account: an account's name, or "" for none in particular) and, in the same transaction, enqueues the
// capture of its answer again, so the passage reaches that account's successor within seconds. A passage
// of another interview is ErrNotFound; one already settled is a validation error.
func (s *Service) Settle(ctx context.Context, interviewID, chunkID, account string) error {
	c, err := s.store.ChunkByID(ctx, chunkID)
	if err != nil {
		return err
	}
	if c.InterviewID != interviewID {
		return store.ErrNotFound
	}
	if !c.Uncertain {
		return validation.Errors{"passage": "is already filed under its account"}
	}
	id := ""
	if account = strings.TrimSpace(account); account != "" {
		accounts, err := s.store.Accounts(ctx, interviewID)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			if strings.EqualFold(a.Name, account) {
				id = a.ID
			}
		}
		if id == "" {
			return validation.Errors{"account": "is not one of your accounts"}
		}
	}
	return s.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.SettleAttribution(ctx, interviewID, c.MessageID, c.Text, id); err != nil {
			return err
		}
		if s.queue != nil {
			return s.queue.EnqueueCapture(ctx, tx, c.MessageID)
		}
		return nil
	})
}

// FiledPair is one (account, topic) the CSM files an answer under: Account is an account's name, ""
// for a portfolio topic.
type FiledPair struct {
	Account string
	Topic   string
}

// File records what the CSM says their answer is about, in place of the topic reader's filing: the
// coverage of every pair it adds becomes covered, and a pair it takes away keeps only what the other
// answers give it (missing when none does, so it is a gap again). In the same transaction the answer's
// capture is enqueued again, so its passages carry the topics the CSM gave within seconds. An answer of
// another interview is ErrNotFound; a topic that is not one, an account not in the book, or an account
// topic without its account (or a portfolio topic with one) is a validation error and changes nothing.
// It returns the pairs filed, each once, with the accounts' names as the book has them.
func (s *Service) File(ctx context.Context, interviewID, messageID string, pairs []FiledPair) ([]FiledPair, error) {
	accounts, err := s.store.Accounts(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	filed := []store.Filed{}
	errs := validation.Errors{}
	for _, p := range pairs {
		t, ok := TopicByKey(strings.TrimSpace(p.Topic))
		if !ok {
			errs["covers"] = "has a topic that is not one of the interview's topics: " + p.Topic
			continue
		}
		id := ""
		if name := strings.TrimSpace(p.Account); name != "" {
			for _, a := range accounts {
				if strings.EqualFold(a.Name, name) {
					id = a.ID
				}
			}
			if id == "" {
				errs["covers"] = "names an account that is not one of yours: " + name
				continue
			}
		}
		switch {
		case t.Portfolio && id != "":
			errs["covers"] = t.Label + " is about your whole portfolio, not one account"
			continue
		case !t.Portfolio && id == "":
			errs["covers"] = t.Label + " needs the account it is about"
			continue
		}
		if f := (store.Filed{AccountID: id, Topic: t.Key}); !slices.Contains(filed, f) {
			filed = append(filed, f)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, interviewID); err != nil {
			return err
		}
		iv, accs, cov0, msgs, err := tx.Snapshot(ctx, interviewID) // as it stands, read under the lock
		if err != nil {
			return err
		}
		st := &State{Interview: iv, Accounts: accs, Coverage: cov0, Messages: msgs, read: s.read}
		at := slices.IndexFunc(st.Messages, func(m store.Message) bool {
			return m.ID == messageID && m.Role == "csm" && m.Kind == KindAnswer
		})
		if at < 0 {
			return store.ErrNotFound
		}
		before := st.Covers(st.Messages[at])
		if err := tx.FileAnswer(ctx, interviewID, messageID, filed); err != nil {
			return err
		}
		st.Messages[at].Filed = filed
		cov := st.coverage()
		var changed []store.CoverageItem
		for _, f := range filed {
			if item := cov[[2]string{f.AccountID, f.Topic}]; item != nil && item.State != Covered {
				item.State = Covered
				changed = append(changed, *item)
			}
		}
		for _, c := range before {
			item := cov[[2]string{c.AccountID, c.Topic}]
			if item == nil || slices.Contains(filed, store.Filed{AccountID: c.AccountID, Topic: c.Topic}) {
				continue
			}
			state := Missing
			for _, m := range st.Messages {
				for _, o := range st.Covers(m) {
					if o.Pair == c.Pair && rank(contentState(o)) > rank(state) {
						state = contentState(o)
					}
				}
			}
			if state != item.State && item.State != Skipped {
				item.State = state
				changed = append(changed, *item)
			}
		}
		if err := tx.SaveCoverage(ctx, interviewID, changed); err != nil {
			return err
		}
		if s.queue != nil {
			return s.queue.EnqueueCapture(ctx, tx, messageID)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]FiledPair, len(filed))
	for i, f := range filed {
		out[i].Topic = f.Topic
		for _, a := range accounts {
			if a.ID == f.AccountID {
				out[i].Account = a.Name
			}
		}
	}
	return out, nil
}
