package interview

import (
	"context"
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
	return Review{Accounts: accounts, Findings: findings, Corrections: corrections, Unsettled: unsettled, Facts: understood}, nil
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
