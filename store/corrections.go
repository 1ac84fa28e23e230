package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Correction is a change the CSM made to one statement captured from an answer.
type Correction struct {
	ID          string
	InterviewID string
	MessageID   string
	Original    string
	Corrected   string // "" when withdrawn
	Withdrawn   bool
	CreatedAt   time.Time
}

const correctionColumns = `id, interview_id, message_id, original, corrected, withdrawn, created_at`

func scanCorrection(r pgx.CollectableRow) (Correction, error) {
	var c Correction
	err := r.Scan(&c.ID, &c.InterviewID, &c.MessageID, &c.Original, &c.Corrected, &c.Withdrawn, &c.CreatedAt)
	return c, err
}

// AddCorrection stores a correction.
func (s *Store) AddCorrection(ctx context.Context, c Correction) (Correction, error) {
	// A handed-over interview takes no correction; its row is locked while that is checked, so one
	// racing the handover is either in before it or refused.
	rows, err := s.q.Query(ctx, `INSERT INTO corrections (interview_id, message_id, original, corrected, withdrawn)
SELECT id, $2, $3, $4, $5 FROM interviews WHERE id = $1 AND status <> 'handed_over' FOR SHARE
RETURNING `+correctionColumns, c.InterviewID, c.MessageID, c.Original, c.Corrected, c.Withdrawn)
	if err != nil {
		return Correction{}, fmt.Errorf("add correction: %w", err)
	}
	out, err := pgx.CollectExactlyOneRow(rows, scanCorrection)
	if errors.Is(err, pgx.ErrNoRows) {
		return Correction{}, fmt.Errorf("add correction: %w", ErrHandedOver)
	}
	if err != nil {
		return Correction{}, fmt.Errorf("add correction: %w", err)
	}
	return out, nil
}

// Corrections returns the corrections of an interview (messageID "": of all its messages), oldest first.
func (s *Store) Corrections(ctx context.Context, interviewID, messageID string) ([]Correction, error) {
	rows, err := s.q.Query(ctx, `SELECT `+correctionColumns+` FROM corrections
WHERE interview_id = $1 AND ($2 = '' OR message_id::text = $2) ORDER BY created_at, id`, interviewID, messageID)
	if err != nil {
		return nil, fmt.Errorf("corrections of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanCorrection)
	if err != nil {
		return nil, fmt.Errorf("corrections of %s: %w", interviewID, err)
	}
	return out, nil
}

// FindingByID returns one finding, or ErrNotFound.
func (s *Store) FindingByID(ctx context.Context, id string) (Finding, error) {
	if !ValidUUID(id) {
		return Finding{}, fmt.Errorf("finding %q: %w", id, ErrNotFound)
	}
	f, err := scanFinding(s.q.QueryRow(ctx, `SELECT `+findingColumns+` FROM findings f WHERE f.id = $1`, id))
	if err != nil {
		return Finding{}, fmt.Errorf("finding %s: %w", id, notFound(err))
	}
	return f, nil
}
