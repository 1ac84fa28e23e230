package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// SettleAttribution records the CSM's word on which account a text captured from one of their answers is
// about (accountID "" for no one account). Said again, the later word stands.
func (s *Store) SettleAttribution(ctx context.Context, interviewID, messageID, text, accountID string) error {
	_, err := s.q.Exec(ctx, `
INSERT INTO attributions (interview_id, message_id, text, account_id) VALUES ($1, $2, $3, nullif($4, '')::uuid)
ON CONFLICT (message_id, text) DO UPDATE SET account_id = excluded.account_id, created_at = now()`,
		interviewID, messageID, text, accountID)
	if err != nil {
		return fmt.Errorf("settle attribution: %w", err)
	}
	return nil
}

// Attributions returns the CSM's settled attributions of one message: the account id ("" for none) by
// the text it settles.
func (s *Store) Attributions(ctx context.Context, messageID string) (map[string]string, error) {
	rows, err := s.q.Query(ctx, `SELECT text, coalesce(account_id::text, '') FROM attributions WHERE message_id = $1`, messageID)
	if err != nil {
		return nil, fmt.Errorf("attributions of %s: %w", messageID, err)
	}
	out := map[string]string{}
	var text, account string
	if _, err := pgx.ForEachRow(rows, []any{&text, &account}, func() error {
		out[text] = account
		return nil
	}); err != nil {
		return nil, fmt.Errorf("attributions of %s: %w", messageID, err)
	}
	return out, nil
}

// UncertainChunks returns an interview's chunks whose account is a guess, in transcript order: what the
// CSM is asked to settle in their review.
func (s *Store) UncertainChunks(ctx context.Context, interviewID string) ([]Chunk, error) {
	rows, err := s.q.Query(ctx, `SELECT `+chunkColumns+`
FROM chunks c JOIN messages m ON m.id = c.message_id
WHERE c.interview_id = $1 AND c.account_uncertain ORDER BY m.seq, c.position`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("uncertain chunks of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanChunk)
	if err != nil {
		return nil, fmt.Errorf("uncertain chunks of %s: %w", interviewID, err)
	}
	return out, nil
}

// ChunkByID returns one chunk, or ErrNotFound.
func (s *Store) ChunkByID(ctx context.Context, id string) (Chunk, error) {
	if !ValidUUID(id) {
		return Chunk{}, fmt.Errorf("chunk %q: %w", id, ErrNotFound)
	}
	rows, err := s.q.Query(ctx, `SELECT `+chunkColumns+` FROM chunks c WHERE c.id = $1::uuid`, id)
	if err != nil {
		return Chunk{}, fmt.Errorf("chunk %s: %w", id, err)
	}
	c, err := pgx.CollectExactlyOneRow(rows, scanChunk)
	if err != nil {
		return Chunk{}, fmt.Errorf("chunk %s: %w", id, notFound(err))
	}
	return c, nil
}

// chunkColumns are read by scanChunk, from chunks aliased c.
const chunkColumns = `c.id, c.interview_id, coalesce(c.account_id::text, ''), coalesce(c.message_id::text, ''),
    coalesce(c.attachment_id::text, ''), c.location, c.position, c.topics, c.text, c.context, c.account_uncertain`

func scanChunk(r pgx.CollectableRow) (Chunk, error) {
	var c Chunk
	err := r.Scan(&c.ID, &c.InterviewID, &c.AccountID, &c.MessageID, &c.AttachmentID, &c.Location, &c.Position, &c.Topics, &c.Text, &c.Context, &c.Uncertain)
	return c, err
}
