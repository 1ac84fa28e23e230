package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
	saved, err := s.SaveCaptures(ctx, []Capture{{MessageID: messageID, Chunks: chunks, Findings: findings}})
	if err != nil {
		return 0, false, err
	}
	return saved[0].Lag, saved[0].First, nil
}

// Capture is what was captured from one message.
type Capture struct {
	MessageID string
	Chunks    []Chunk
	Findings  []Finding
}

// Saved says of a stored capture whether it was its message's first and, if so, how long after the
// message was stored it became searchable.
type Saved struct {
	First bool
	Lag   time.Duration
}

// SaveCaptures is SaveCapture for several messages at once (in a transaction: s's, or its own). It takes
// two round trips however many captures and rows there are: one reads what the writes depend on (the
// models' recorded lengths, the findings stored before), one sends every write.
func (s *Store) SaveCaptures(ctx context.Context, captures []Capture) ([]Saved, error) {
	saved := make([]Saved, len(captures))
	save := func(tx *Store) error {
		old, err := tx.checkCaptures(ctx, captures)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i, c := range captures {
			b.Queue(`DELETE FROM chunks WHERE message_id = $1`, c.MessageID)
			for _, chunk := range c.Chunks {
				queueChunk(b, c.MessageID, chunk)
			}
			queueFindings(b, c.MessageID, c.Findings, old[i])
		}
		// Last, so the message rows are locked after the interview's (as a turn locks them). now() is this
		// transaction's: equal to captured_at only when this capture was the first.
		for i, c := range captures {
			b.Queue(`UPDATE messages SET captured_at = coalesce(captured_at, now()) WHERE id = $1
RETURNING captured_at = now(), extract(epoch FROM now() - created_at)::float8`, c.MessageID).QueryRow(func(row pgx.Row) error {
				var secs float64
				if err := row.Scan(&saved[i].First, &secs); err != nil {
					return fmt.Errorf("mark %s captured: %w", c.MessageID, notFound(err))
				}
				saved[i].Lag = time.Duration(secs * float64(time.Second))
				return nil
			})
		}
		if err := tx.q.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("save captures: %w", err)
		}
		return nil
	}
	if err := s.InTransaction(ctx, save); err != nil {
		return nil, err
	}
	return saved, nil
}

// checkCaptures checks the length of every vector of the captures against its model's (recording it the
// first time, see recordDims), and returns each capture's findings stored before (see queueFindings), in
// one round trip when every model's length is recorded already.
func (tx *Store) checkCaptures(ctx context.Context, captures []Capture) ([]map[string][]string, error) {
	lengths := map[string][]int{} // model → the lengths of its vectors
	var models []string
	for _, c := range captures {
		for _, chunk := range c.Chunks {
			for model, vec := range chunk.Embeddings {
				if !slices.Contains(lengths[model], len(vec)) {
					lengths[model] = append(lengths[model], len(vec))
				}
				if !slices.Contains(models, model) {
					models = append(models, model)
				}
			}
		}
	}
	recorded := map[string]int{}
	old := make([]map[string][]string, len(captures))
	b := &pgx.Batch{}
	if len(models) > 0 {
		b.Queue(`SELECT model, coalesce(dims, 0) FROM embedding_models WHERE model = ANY ($1)`, models).Query(func(rows pgx.Rows) error {
			var model string
			var dims int
			_, err := pgx.ForEachRow(rows, []any{&model, &dims}, func() error {
				recorded[model] = dims
				return nil
			})
			return err
		})
	}
	for i, c := range captures {
		old[i] = map[string][]string{}
		b.Queue(`SELECT id::text, type || '|' || coalesce(account_id::text, '') || '|' || text FROM findings
WHERE message_id = $1 ORDER BY created_at, id`, c.MessageID).Query(func(rows pgx.Rows) error {
			var id, key string
			_, err := pgx.ForEachRow(rows, []any{&id, &key}, func() error {
				old[i][key] = append(old[i][key], id)
				return nil
			})
			return err
		})
	}
	if err := tx.q.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	for _, model := range models {
		if err := checkModel(model); err != nil {
			return nil, err
		}
		for _, n := range lengths[model] {
			if recorded[model] == n && n <= maxHalfvecDims {
				continue
			}
			if err := tx.recordDims(ctx, model, n); err != nil {
				return nil, err
			}
		}
	}
	return old, nil
}

// queueChunk queues the insertion of a chunk and its vectors.
func queueChunk(b *pgx.Batch, messageID string, c Chunk) {
	topics := c.Topics
	if topics == nil {
		topics = []string{}
	}
	b.Queue(`
INSERT INTO chunks (interview_id, account_id, message_id, position, topics, text, context, account_uncertain)
VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7, $8)`,
		c.InterviewID, c.AccountID, messageID, c.Position, topics, c.Text, c.Context, c.Uncertain)
	for _, model := range slices.Sorted(maps.Keys(c.Embeddings)) {
		b.Queue(`INSERT INTO chunk_embeddings (chunk_id, model, embedding)
SELECT id, $3, $4 FROM chunks WHERE message_id = $1 AND position = $2`,
			messageID, c.Position, model, pgvector.NewVector(c.Embeddings[model]))
	}
}

// queueFindings queues what stores the findings of one message, given those stored before (by type,
// account and text). A finding that was there before (same type, text and account) keeps its id, so a
// page that lists findings (the CSM's review) can act on the others after one was corrected; the rest are
// replaced.
func queueFindings(b *pgx.Batch, messageID string, findings []Finding, old map[string][]string) {
	ids := make([]string, len(findings))
	kept := []string{}
	for i, f := range findings {
		key := f.Type + "|" + f.AccountID + "|" + f.Text
		if list := old[key]; len(list) > 0 {
			ids[i], old[key] = list[0], list[1:]
			kept = append(kept, ids[i])
		}
	}
	b.Queue(`DELETE FROM findings WHERE message_id = $1 AND NOT (id::text = ANY ($2))`, messageID, kept)
	// clock_timestamp, not the transaction's now(): findings keep the order of the answer.
	for i, f := range findings {
		fields := f.Fields
		if fields == nil {
			fields = map[string]string{}
		}
		if ids[i] != "" {
			b.Queue(`UPDATE findings SET fields = $2, account_uncertain = $3, confidence = $4, created_at = clock_timestamp()
WHERE id = $1::uuid`, ids[i], fields, f.Uncertain, f.Confidence)
			continue
		}
		b.Queue(`
INSERT INTO findings (interview_id, account_id, message_id, type, text, fields, account_uncertain, confidence, created_at)
VALUES ($1, nullif($2, '')::uuid, $3, $4, $5, $6, $7, $8, clock_timestamp())`, f.InterviewID, f.AccountID, messageID, f.Type, f.Text, fields,
			f.Uncertain, f.Confidence)
	}
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
