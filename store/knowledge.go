package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Chunk is a piece of captured knowledge: part of one answer, about one account (or the portfolio).
type Chunk struct {
	ID          string
	InterviewID string
	AccountID   string // "" for portfolio-wide knowledge
	MessageID   string
	Position    int
	Topics      []string
	Text        string
	Context     string
	// Uncertain: which account the text is about is a guess; only the session's manager sees it until
	// the CSM settles it.
	Uncertain bool
	// Embeddings are the chunk's vectors by model: the model being built and the one search uses, when
	// they differ. A model whose vector is missing is filled in by the background re-embedding.
	Embeddings map[string][]float32
}

// Finding is a typed fact mined from an answer.
type Finding struct {
	ID          string
	InterviewID string
	AccountID   string
	MessageID   string
	Type        string
	Text        string
	Fields      map[string]string
	// Uncertain: which account the finding is about is a guess (see Chunk.Uncertain).
	Uncertain bool
	// Confidence is how sure the rules or the model were of it, 0 to 1 (0: they did not say).
	Confidence float64
}

// findingColumns are read by scanFinding.
const findingColumns = `f.id, f.interview_id, coalesce(f.account_id::text, ''), f.message_id, f.type, f.text, f.fields, f.account_uncertain, f.confidence`

func scanFinding(r pgx.Row) (Finding, error) {
	var f Finding
	err := r.Scan(&f.ID, &f.InterviewID, &f.AccountID, &f.MessageID, &f.Type, &f.Text, &f.Fields, &f.Uncertain, &f.Confidence)
	return f, err
}

// ReplaceCapture stores what was captured from one message, replacing anything captured from it before,
// in one transaction: running a capture twice leaves the same rows.
func (s *Store) ReplaceCapture(ctx context.Context, messageID string, chunks []Chunk, findings []Finding) error {
	_, _, err := s.SaveCapture(ctx, messageID, chunks, findings)
	return err
}

// SaveCapture is ReplaceCapture that also marks the message captured. For the message's first capture it
// reports first and lag, how long after the message was stored its capture became searchable.
func (s *Store) SaveCapture(ctx context.Context, messageID string, chunks []Chunk, findings []Finding) (lag time.Duration, first bool, err error) {
	err = s.Transact(ctx, func(tx *Store) error {
		for _, c := range chunks {
			for model, vec := range c.Embeddings {
				if err := tx.recordDims(ctx, model, len(vec)); err != nil {
					return err
				}
			}
		}
		if _, err := tx.q.Exec(ctx, `DELETE FROM chunks WHERE message_id = $1`, messageID); err != nil {
			return fmt.Errorf("clear chunks: %w", err)
		}
		for _, c := range chunks {
			topics := c.Topics
			if topics == nil {
				topics = []string{}
			}
			var id string
			if err := tx.q.QueryRow(ctx, `
INSERT INTO chunks (interview_id, account_id, message_id, position, topics, text, context, account_uncertain)
VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7, $8) RETURNING id`,
				c.InterviewID, c.AccountID, messageID, c.Position, topics, c.Text, c.Context, c.Uncertain).Scan(&id); err != nil {
				return fmt.Errorf("insert chunk: %w", err)
			}
			for model, vec := range c.Embeddings {
				if _, err := tx.q.Exec(ctx, `INSERT INTO chunk_embeddings (chunk_id, model, embedding) VALUES ($1, $2, $3)`,
					id, model, pgvector.NewVector(vec)); err != nil {
					return fmt.Errorf("insert embedding: %w", err)
				}
			}
		}
		if err := tx.replaceFindings(ctx, messageID, findings); err != nil {
			return err
		}
		// Last, so the message row is locked after the interview's (as a turn locks them). now() is this
		// transaction's: equal to captured_at only when this capture was the first.
		var secs float64
		if err := tx.q.QueryRow(ctx, `UPDATE messages SET captured_at = coalesce(captured_at, now()) WHERE id = $1
RETURNING captured_at = now(), extract(epoch FROM now() - created_at)::float8`, messageID).Scan(&first, &secs); err != nil {
			return fmt.Errorf("mark %s captured: %w", messageID, notFound(err))
		}
		lag = time.Duration(secs * float64(time.Second))
		return nil
	})
	return lag, first, err
}

// replaceFindings stores the findings of one message. A finding that was there before (same type, text
// and account) keeps its id, so a page that lists findings (the CSM's review) can act on the others after
// one was corrected; the rest are replaced.
func (s *Store) replaceFindings(ctx context.Context, messageID string, findings []Finding) error {
	rows, err := s.q.Query(ctx, `SELECT id::text, type || '|' || coalesce(account_id::text, '') || '|' || text FROM findings
WHERE message_id = $1 ORDER BY created_at, id`, messageID)
	if err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	old := map[string][]string{}
	var id, key string
	_, err = pgx.ForEachRow(rows, []any{&id, &key}, func() error {
		old[key] = append(old[key], id)
		return nil
	})
	if err != nil {
		return fmt.Errorf("read findings: %w", err)
	}
	ids := make([]string, len(findings))
	kept := []string{}
	for i, f := range findings {
		key := f.Type + "|" + f.AccountID + "|" + f.Text
		if list := old[key]; len(list) > 0 {
			ids[i], old[key] = list[0], list[1:]
			kept = append(kept, ids[i])
		}
	}
	if _, err := s.q.Exec(ctx, `DELETE FROM findings WHERE message_id = $1 AND NOT (id::text = ANY ($2))`, messageID, kept); err != nil {
		return fmt.Errorf("clear findings: %w", err)
	}
	// clock_timestamp, not the transaction's now(): findings keep the order of the answer.
	for i, f := range findings {
		fields := f.Fields
		if fields == nil {
			fields = map[string]string{}
		}
		if ids[i] != "" {
			if _, err := s.q.Exec(ctx, `UPDATE findings SET fields = $2, account_uncertain = $3, confidence = $4, created_at = clock_timestamp()
WHERE id = $1::uuid`, ids[i], fields, f.Uncertain, f.Confidence); err != nil {
				return fmt.Errorf("update finding: %w", err)
			}
			continue
		}
		if _, err := s.q.Exec(ctx, `
INSERT INTO findings (interview_id, account_id, message_id, type, text, fields, account_uncertain, confidence, created_at)
VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7, $8, clock_timestamp())`, f.InterviewID, f.AccountID, messageID, f.Type, f.Text, fields,
			f.Uncertain, f.Confidence); err != nil {
			return fmt.Errorf("insert finding: %w", err)
		}
	}
	return nil
}

// MessageByID returns one message, or ErrNotFound.
func (s *Store) MessageByID(ctx context.Context, id string) (Message, error) {
	if !validUUID(id) {
		return Message{}, fmt.Errorf("message %q: %w", id, ErrNotFound)
	}
	m, err := scanMessage(s.q.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE id = $1::uuid`, id))
	if err != nil {
		return Message{}, fmt.Errorf("message %s: %w", id, notFound(err))
	}
	return m, nil
}

// Findings returns an interview's findings in the order they were said: by the answer they came from,
// then in the answer's order (captures may complete in any order).
func (s *Store) Findings(ctx context.Context, interviewID string) ([]Finding, error) {
	rows, err := s.q.Query(ctx, `SELECT `+findingColumns+`
FROM findings f JOIN messages m ON m.id = f.message_id WHERE f.interview_id = $1 ORDER BY m.created_at, m.id, f.created_at, f.id`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Finding, error) { return scanFinding(r) })
	if err != nil {
		return nil, fmt.Errorf("findings of %s: %w", interviewID, err)
	}
	return out, nil
}

// Chunks returns the chunks captured from one message, in order.
func (s *Store) Chunks(ctx context.Context, messageID string) ([]Chunk, error) {
	rows, err := s.q.Query(ctx, `SELECT `+chunkColumns+`
FROM chunks c WHERE c.message_id = $1 ORDER BY c.position`, messageID)
	if err != nil {
		return nil, fmt.Errorf("chunks of %s: %w", messageID, err)
	}
	out, err := pgx.CollectRows(rows, scanChunk)
	if err != nil {
		return nil, fmt.Errorf("chunks of %s: %w", messageID, err)
	}
	return out, nil
}
