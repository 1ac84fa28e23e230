package store

import (
	"context"
	"encoding/json"
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
	MessageID   string // the answer it was said in; "" for a passage of an attachment
	// AttachmentID is the file it was read from ("" for an answer's), and Location its place in the file
	// ("page 3", "sheet Renewals"; "" for a file read as one piece).
	AttachmentID string
	Location     string
	Position     int
	Topics       []string
	Text         string
	Context      string
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
// two round trips and a handful of statements however many captures and rows there are: one reads what
// the writes depend on (the models' recorded lengths, the findings stored before), one writes every
// table's rows in one statement each.
func (s *Store) SaveCaptures(ctx context.Context, captures []Capture) ([]Saved, error) {
	saved := make([]Saved, len(captures))
	save := func(tx *Store) error {
		old, err := tx.checkCaptures(ctx, captures)
		if err != nil {
			return err
		}
		rows := captureRows{kept: []string{}}
		for i, c := range captures {
			rows.add(c, old[i])
		}
		b := &pgx.Batch{}
		b.Queue(`DELETE FROM chunks WHERE message_id = ANY ($1::uuid[])`, rows.messages)
		if len(rows.chunks.messages) > 0 {
			c := rows.chunks
			b.Queue(`INSERT INTO chunks (interview_id, account_id, message_id, position, topics, text, context, account_uncertain)
SELECT v.interview_id, nullif(v.account_id, '')::uuid, v.message_id, v.position,
    ARRAY(SELECT t FROM jsonb_array_elements_text(v.topics::jsonb) WITH ORDINALITY AS x(t, n) ORDER BY n), v.text, v.context, v.uncertain
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::bool[])
    AS v(interview_id, account_id, message_id, position, topics, text, context, uncertain)`,
				c.interviews, c.accounts, c.messages, c.positions, c.topics, c.texts, c.contexts, c.uncertain)
		}
		if e := rows.embeddings; len(e.messages) > 0 {
			b.Queue(`INSERT INTO chunk_embeddings (chunk_id, model, embedding, account_id)
SELECT c.id, v.model, v.embedding, c.account_id
FROM unnest($1::uuid[], $2::int[], $3::text[], $4::vector[]) AS v(message_id, position, model, embedding)
JOIN chunks c ON c.message_id = v.message_id AND c.position = v.position`, e.messages, e.positions, e.models, e.vectors)
		}
		b.Queue(`DELETE FROM findings WHERE message_id = ANY ($1::uuid[]) AND NOT (id::text = ANY ($2))`, rows.messages, rows.kept)
		if f := rows.findings; len(f.messages) > 0 {
			// A finding that was there before keeps its id (see keptFindings). created_at keeps the order of
			// the answer: the clock when the row is written, and a microsecond more for each row, so that two
			// rows written within the same microsecond are still in order.
			b.Queue(`INSERT INTO findings (id, interview_id, account_id, message_id, type, text, fields, account_uncertain, confidence, created_at)
SELECT coalesce(v.id, gen_random_uuid()), v.interview_id, nullif(v.account_id, '')::uuid, v.message_id, v.type, v.text, v.fields::jsonb,
    v.uncertain, v.confidence, clock_timestamp() + v.n * interval '1 microsecond'
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::float8[])
    WITH ORDINALITY AS v(id, interview_id, account_id, message_id, type, text, fields, uncertain, confidence, n)
ON CONFLICT (id) DO UPDATE SET fields = excluded.fields, account_uncertain = excluded.account_uncertain,
    confidence = excluded.confidence, created_at = excluded.created_at`,
				f.ids, f.interviews, f.accounts, f.messages, f.types, f.texts, f.fields, f.uncertain, f.confidences)
		}
		// Last, so the message rows are locked after the interview's (as a turn locks them). now() is this
		// transaction's: equal to captured_at only when this capture was the first.
		marked := map[string]Saved{}
		b.Queue(`UPDATE messages m SET captured_at = coalesce(m.captured_at, now()) FROM unnest($1::uuid[]) AS v(id) WHERE m.id = v.id
RETURNING m.id::text, m.captured_at = now(), extract(epoch FROM now() - m.created_at)::float8`, rows.messages).Query(func(r pgx.Rows) error {
			var id string
			var first bool
			var secs float64
			_, err := pgx.ForEachRow(r, []any{&id, &first, &secs}, func() error {
				marked[id] = Saved{First: first, Lag: time.Duration(secs * float64(time.Second))}
				return nil
			})
			return err
		})
		if err := tx.q.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("save captures: %w", err)
		}
		for i, c := range captures {
			m, ok := marked[c.MessageID]
			if !ok {
				return fmt.Errorf("mark %s captured: %w", c.MessageID, ErrNotFound)
			}
			saved[i] = m
		}
		return nil
	}
	if err := s.InTransaction(ctx, save); err != nil {
		return nil, err
	}
	return saved, nil
}

// checkCaptures checks the length of every vector of the captures against its model's (recording it the
// first time, see recordDims), and returns each capture's findings stored before (see keptFindings), in
// one round trip when every model's length is recorded already.
func (tx *Store) checkCaptures(ctx context.Context, captures []Capture) ([]map[string][]string, error) {
	lengths := map[string][]int{} // model → the lengths of its vectors
	var models, messages []string
	index := map[string]int{} // message → its capture
	for i, c := range captures {
		messages = append(messages, c.MessageID)
		index[c.MessageID] = i
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
	for i := range old {
		old[i] = map[string][]string{}
	}
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
	b.Queue(`SELECT message_id::text, id::text, type || '|' || coalesce(account_id::text, '') || '|' || text FROM findings
WHERE message_id = ANY ($1::uuid[]) ORDER BY created_at, id`, messages).Query(func(rows pgx.Rows) error {
		var message, id, key string
		_, err := pgx.ForEachRow(rows, []any{&message, &id, &key}, func() error {
			if i, ok := index[message]; ok {
				old[i][key] = append(old[i][key], id)
			}
			return nil
		})
		return err
	})
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

// captureRows are the rows of captures, column by column, as SaveCaptures sends them.
type captureRows struct {
	messages   []string
	kept       []string // findings that keep their id
	chunks     chunkRows
	embeddings embeddingRows
	findings   findingRows
}

type chunkRows struct {
	interviews, accounts, messages, topics, texts, contexts []string
	positions                                               []int
	uncertain                                               []bool
}

type embeddingRows struct {
	messages, models []string
	positions        []int
	vectors          []pgvector.Vector
}

type findingRows struct {
	ids                                                  []*string // nil: a new finding
	interviews, accounts, messages, types, texts, fields []string
	uncertain                                            []bool
	confidences                                          []float64
}

func (r *captureRows) add(c Capture, old map[string][]string) {
	r.messages = append(r.messages, c.MessageID)
	for _, chunk := range c.Chunks {
		topics := chunk.Topics
		if topics == nil {
			topics = []string{}
		}
		t, _ := json.Marshal(topics)
		r.chunks.interviews = append(r.chunks.interviews, chunk.InterviewID)
		r.chunks.accounts = append(r.chunks.accounts, chunk.AccountID)
		r.chunks.messages = append(r.chunks.messages, c.MessageID)
		r.chunks.positions = append(r.chunks.positions, chunk.Position)
		r.chunks.topics = append(r.chunks.topics, string(t))
		r.chunks.texts = append(r.chunks.texts, chunk.Text)
		r.chunks.contexts = append(r.chunks.contexts, chunk.Context)
		r.chunks.uncertain = append(r.chunks.uncertain, chunk.Uncertain)
		for _, model := range slices.Sorted(maps.Keys(chunk.Embeddings)) {
			r.embeddings.messages = append(r.embeddings.messages, c.MessageID)
			r.embeddings.positions = append(r.embeddings.positions, chunk.Position)
			r.embeddings.models = append(r.embeddings.models, model)
			r.embeddings.vectors = append(r.embeddings.vectors, pgvector.NewVector(chunk.Embeddings[model]))
		}
	}
	ids := keptFindings(c.Findings, old)
	for i, f := range c.Findings {
		fields := f.Fields
		if fields == nil {
			fields = map[string]string{}
		}
		var id *string
		if ids[i] != "" {
			id = &ids[i]
			r.kept = append(r.kept, ids[i])
		}
		r.findings.ids = append(r.findings.ids, id)
		r.findings.interviews = append(r.findings.interviews, f.InterviewID)
		r.findings.accounts = append(r.findings.accounts, f.AccountID)
		r.findings.messages = append(r.findings.messages, c.MessageID)
		r.findings.types = append(r.findings.types, f.Type)
		r.findings.texts = append(r.findings.texts, f.Text)
		r.findings.fields = append(r.findings.fields, jsonText(fields))
		r.findings.uncertain = append(r.findings.uncertain, f.Uncertain)
		r.findings.confidences = append(r.findings.confidences, f.Confidence)
	}
}

// keptFindings says which of the findings of one message keep the id of one stored before (by type,
// account and text; "" for none). A finding that was there before keeps its id, so a page that lists
// findings (the CSM's review) can act on the others after one was corrected; the rest are replaced.
func keptFindings(findings []Finding, old map[string][]string) []string {
	ids := make([]string, len(findings))
	for i, f := range findings {
		key := f.Type + "|" + f.AccountID + "|" + f.Text
		if list := old[key]; len(list) > 0 {
			ids[i], old[key] = list[0], list[1:]
		}
	}
	return ids
}

// MessageByID returns one message, or ErrNotFound.
func (s *Store) MessageByID(ctx context.Context, id string) (Message, error) {
	if !ValidUUID(id) {
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
