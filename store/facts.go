package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Fact is one thing understood about an account (AccountID "" for the portfolio): its type and fields,
// the CSM's words it rests on, the messages it came from, how sure the rules are of it, and its state
// (extracted, confirmed, corrected, withdrawn). Package facts derives and explains them.
type Fact struct {
	ID          string
	InterviewID string
	AccountID   string
	Type        string
	Fields      map[string]string
	// Extracted is what the rules last derived (nil for a fact the CSM added).
	Extracted  map[string]string
	Text       string
	Sources    []string
	Confidence float64
	// Uncertain: which account it is about is a guess (see Chunk.Uncertain).
	Uncertain bool
	State     string
	Position  int
	DecidedAt *time.Time
	UpdatedAt time.Time
}

const factColumns = `id::text, interview_id::text, coalesce(account_id::text, ''), type, fields, extracted, text,
sources::text[], confidence, uncertain, state, position, decided_at, updated_at`

func scanFact(r pgx.CollectableRow) (Fact, error) {
	var f Fact
	err := r.Scan(&f.ID, &f.InterviewID, &f.AccountID, &f.Type, &f.Fields, &f.Extracted, &f.Text, &f.Sources, &f.Confidence,
		&f.Uncertain, &f.State, &f.Position, &f.DecidedAt, &f.UpdatedAt)
	return f, err
}

// Facts returns an interview's facts (withdrawn ones too), by account and position.
func (s *Store) Facts(ctx context.Context, interviewID string) ([]Fact, error) {
	rows, err := s.q.Query(ctx, `SELECT `+factColumns+` FROM facts WHERE interview_id = $1
ORDER BY coalesce(account_id::text, ''), position, created_at, id`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("facts of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanFact)
	if err != nil {
		return nil, fmt.Errorf("facts of %s: %w", interviewID, err)
	}
	return out, nil
}

// LockFacts holds, until the transaction ends, the right to change an interview's facts: two captures of
// one interview derive its facts one after the other.
func (s *Store) LockFacts(ctx context.Context, interviewID string) error {
	if _, err := s.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('facts:' || $1::text, 0))`, interviewID); err != nil {
		return fmt.Errorf("lock facts of %s: %w", interviewID, err)
	}
	return nil
}

// SaveFact inserts a fact (ID "") or updates it, and returns its id.
func (s *Store) SaveFact(ctx context.Context, f Fact) (string, error) {
	fields := f.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	sources := f.Sources
	if sources == nil {
		sources = []string{}
	}
	if f.ID == "" {
		err := s.q.QueryRow(ctx, `INSERT INTO facts (interview_id, account_id, type, fields, extracted, text, sources, confidence, state,
position, decided_at, uncertain) VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12) RETURNING id::text`,
			f.InterviewID, f.AccountID, f.Type, fields, f.Extracted, f.Text, sources, f.Confidence, f.State, f.Position,
			f.DecidedAt, f.Uncertain).Scan(&f.ID)
		if err != nil {
			return "", fmt.Errorf("insert %s fact: %w", f.Type, err)
		}
		return f.ID, nil
	}
	tag, err := s.q.Exec(ctx, `UPDATE facts SET fields = $2, extracted = $3, text = $4, sources = $5::uuid[], confidence = $6,
state = $7, position = $8, decided_at = $9, updated_at = now() WHERE id = $1::uuid`,
		f.ID, fields, f.Extracted, f.Text, sources, f.Confidence, f.State, f.Position, f.DecidedAt)
	if err != nil {
		return "", fmt.Errorf("update %s fact: %w", f.Type, err)
	}
	if tag.RowsAffected() == 0 {
		return "", fmt.Errorf("fact %s: %w", f.ID, ErrNotFound)
	}
	return f.ID, nil
}

// DeleteFacts removes facts by id.
func (s *Store) DeleteFacts(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.q.Exec(ctx, `DELETE FROM facts WHERE id = ANY ($1::uuid[])`, ids); err != nil {
		return fmt.Errorf("delete facts: %w", err)
	}
	return nil
}

// AccountFacts returns the facts of one account that stand (not withdrawn), in order; those whose account
// is a guess only withUncertain (for the session's manager). It checks no access: call it for an account
// AccountForViewer returned.
func (s *Store) AccountFacts(ctx context.Context, accountID string, withUncertain bool) ([]Fact, error) {
	if !validUUID(accountID) {
		return nil, nil
	}
	rows, err := s.q.Query(ctx, `SELECT `+factColumns+` FROM facts
WHERE interview_id = (SELECT interview_id FROM accounts WHERE id = $1::uuid) AND account_id = $1::uuid
    AND state <> 'withdrawn' AND ($2 OR NOT uncertain)
ORDER BY position, created_at, id`, accountID, withUncertain)
	if err != nil {
		return nil, fmt.Errorf("facts of account %s: %w", accountID, err)
	}
	out, err := pgx.CollectRows(rows, scanFact)
	if err != nil {
		return nil, fmt.Errorf("facts of account %s: %w", accountID, err)
	}
	return out, nil
}

// InterviewsWithoutFacts lists the interviews that have findings of a fact's kind but no facts: those
// captured before facts were kept, for Backfill.
func (s *Store) InterviewsWithoutFacts(ctx context.Context, factTypes []string) ([]string, error) {
	// Per interview, so each test is an index lookup rather than a scan of every finding.
	rows, err := s.q.Query(ctx, `SELECT i.id::text FROM interviews i
WHERE NOT EXISTS (SELECT 1 FROM facts x WHERE x.interview_id = i.id)
    AND EXISTS (SELECT 1 FROM findings f WHERE f.interview_id = i.id AND f.type = ANY ($1))`, factTypes)
	if err != nil {
		return nil, fmt.Errorf("interviews without facts: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("interviews without facts: %w", err)
	}
	return out, nil
}
