package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

const (
	insertFactSQL = `INSERT INTO facts (interview_id, account_id, type, fields, extracted, text, sources, confidence, state,
position, decided_at, uncertain) VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7::uuid[], $8, $9, $10, $11, $12)`
	updateFactSQL = `UPDATE facts SET fields = $2, extracted = $3, text = $4, sources = $5::uuid[], confidence = $6,
state = $7, position = $8, decided_at = $9, updated_at = now() WHERE id = $1::uuid`
)

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
		err := s.q.QueryRow(ctx, insertFactSQL+` RETURNING id::text`,
			f.InterviewID, f.AccountID, f.Type, fields, f.Extracted, f.Text, sources, f.Confidence, f.State, f.Position,
			f.DecidedAt, f.Uncertain).Scan(&f.ID)
		if err != nil {
			return "", fmt.Errorf("insert %s fact: %w", f.Type, err)
		}
		return f.ID, nil
	}
	tag, err := s.q.Exec(ctx, updateFactSQL,
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
	if !ValidUUID(accountID) {
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

// FactSources is what an interview's facts are derived from, read under its fact lock: its findings (as
// Findings orders them), its facts as stored, and its answers whose capture has not completed.
type FactSources struct {
	Findings   []Finding
	Facts      []Fact
	Uncaptured []string
}

// LockFactSources takes the interview's fact lock (see LockFacts) and reads its FactSources under it, in
// one round trip.
func (s *Store) LockFactSources(ctx context.Context, interviewID string) (FactSources, error) {
	var src FactSources
	b := &pgx.Batch{}
	b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended('facts:' || $1::text, 0))`, interviewID)
	b.Queue(`SELECT `+findingColumns+`
FROM findings f JOIN messages m ON m.id = f.message_id WHERE f.interview_id = $1 ORDER BY m.created_at, m.id, f.created_at, f.id`,
		interviewID).Query(func(rows pgx.Rows) error {
		var err error
		src.Findings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Finding, error) { return scanFinding(r) })
		return err
	})
	b.Queue(`SELECT `+factColumns+` FROM facts WHERE interview_id = $1
ORDER BY coalesce(account_id::text, ''), position, created_at, id`, interviewID).Query(func(rows pgx.Rows) error {
		var err error
		src.Facts, err = pgx.CollectRows(rows, scanFact)
		return err
	})
	b.Queue(`SELECT id::text FROM messages WHERE interview_id = $1 AND role = 'csm' AND kind = 'answer' AND captured_at IS NULL
ORDER BY seq`, interviewID).Query(func(rows pgx.Rows) error {
		var err error
		src.Uncaptured, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	if err := s.q.SendBatch(ctx, b).Close(); err != nil {
		return FactSources{}, fmt.Errorf("facts of %s: %w", interviewID, err)
	}
	return src, nil
}

// SaveFacts saves facts (see SaveFact) and deletes facts by id, in one round trip and three statements
// however many there are: a refresh that moves every fact of an interview down a place updates them all,
// and one statement does that for a fraction of what a statement each costs the server.
func (s *Store) SaveFacts(ctx context.Context, saves []Fact, deletes []string) error {
	var inserts, updates factColumnsOf
	for _, f := range saves {
		if f.ID == "" {
			inserts.add(f)
		} else {
			updates.add(f)
		}
	}
	b := &pgx.Batch{}
	if n := len(inserts.ids); n > 0 {
		b.Queue(`INSERT INTO facts (interview_id, account_id, type, fields, extracted, text, sources, confidence, state, position, decided_at, uncertain)
SELECT v.interview_id, nullif(v.account_id, '')::uuid, v.type, v.fields::jsonb, v.extracted::jsonb, v.text, v.sources::uuid[], v.confidence,
    v.state, v.position, v.decided_at, v.uncertain
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::int[],
    $11::timestamptz[], $12::bool[])
    AS v(interview_id, account_id, type, fields, extracted, text, sources, confidence, state, position, decided_at, uncertain)`,
			inserts.interviews, inserts.accounts, inserts.types, inserts.fields, inserts.extracted, inserts.texts, inserts.sources,
			inserts.confidences, inserts.states, inserts.positions, inserts.decided, inserts.uncertain)
	}
	if n := len(updates.ids); n > 0 {
		b.Queue(`UPDATE facts SET fields = v.fields::jsonb, extracted = v.extracted::jsonb, text = v.text, sources = v.sources::uuid[],
    confidence = v.confidence, state = v.state, position = v.position, decided_at = v.decided_at, updated_at = now()
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::int[], $9::timestamptz[])
    AS v(id, fields, extracted, text, sources, confidence, state, position, decided_at)
WHERE facts.id = v.id`, updates.ids, updates.fields, updates.extracted, updates.texts, updates.sources, updates.confidences,
			updates.states, updates.positions, updates.decided).Exec(func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() < int64(n) {
				return fmt.Errorf("update facts: %d of %d: %w", n-int(tag.RowsAffected()), n, ErrNotFound)
			}
			return nil
		})
	}
	if len(deletes) > 0 {
		b.Queue(`DELETE FROM facts WHERE id = ANY ($1::uuid[])`, deletes)
	}
	if b.Len() == 0 {
		return nil
	}
	if err := s.q.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("save facts: %w", err)
	}
	return nil
}

// factColumnsOf holds facts column by column, as SaveFacts sends them: maps as JSON, sources as an
// array literal.
type factColumnsOf struct {
	ids, interviews, accounts, types, texts, sources, states []string
	fields                                                   []string
	extracted                                                []*string // nil: NULL, a fact the CSM added
	confidences                                              []float64
	positions                                                []int
	decided                                                  []*time.Time
	uncertain                                                []bool
}

func (c *factColumnsOf) add(f Fact) {
	fields := f.Fields
	if fields == nil {
		fields = map[string]string{}
	}
	c.ids = append(c.ids, f.ID)
	c.interviews = append(c.interviews, f.InterviewID)
	c.accounts = append(c.accounts, f.AccountID)
	c.types = append(c.types, f.Type)
	c.fields = append(c.fields, jsonText(fields))
	if f.Extracted == nil {
		c.extracted = append(c.extracted, nil)
	} else {
		e := jsonText(f.Extracted)
		c.extracted = append(c.extracted, &e)
	}
	c.texts = append(c.texts, f.Text)
	c.sources = append(c.sources, "{"+strings.Join(f.Sources, ",")+"}")
	c.confidences = append(c.confidences, f.Confidence)
	c.states = append(c.states, f.State)
	c.positions = append(c.positions, f.Position)
	c.decided = append(c.decided, f.DecidedAt)
	c.uncertain = append(c.uncertain, f.Uncertain)
}

// jsonText is a map as JSON (a map of strings always has one).
func jsonText(m map[string]string) string {
	b, _ := json.Marshal(m)
	return string(b)
}
