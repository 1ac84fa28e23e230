package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LastAnswerAt returns when the CSM last answered in an interview, or nil when they have not yet.
func (s *Store) LastAnswerAt(ctx context.Context, interviewID string) (*time.Time, error) {
	var at *time.Time
	if err := s.q.QueryRow(ctx, `SELECT max(created_at) FROM messages WHERE interview_id = $1 AND role = 'csm'`, interviewID).Scan(&at); err != nil {
		return nil, fmt.Errorf("last answer of %s: %w", interviewID, err)
	}
	return at, nil
}

// ClaimReminder records that a reminder goes to the CSM now, unless one went less than every ago; then
// it returns ok false and when the last one went. The check and the record are one statement, so two
// clicks at once send one reminder.
func (s *Store) ClaimReminder(ctx context.Context, interviewID string, every time.Duration) (ok bool, last time.Time, err error) {
	err = s.q.QueryRow(ctx, `
UPDATE interviews SET reminded_at = now() WHERE id = $1 AND (reminded_at IS NULL OR reminded_at <= now() - $2::interval)
RETURNING reminded_at`, interviewID, every).Scan(&last)
	if err == nil {
		return true, last, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, time.Time{}, fmt.Errorf("claim reminder of %s: %w", interviewID, err)
	}
	var at *time.Time
	if err := s.q.QueryRow(ctx, `SELECT reminded_at FROM interviews WHERE id = $1`, interviewID).Scan(&at); err != nil {
		return false, time.Time{}, fmt.Errorf("claim reminder of %s: %w", interviewID, notFound(err))
	}
	if at != nil {
		last = *at
	}
	return false, last, nil
}

// RemindedAt returns when the last reminder went to the CSM, or nil.
func (s *Store) RemindedAt(ctx context.Context, interviewID string) (*time.Time, error) {
	var at *time.Time
	if err := s.q.QueryRow(ctx, `SELECT reminded_at FROM interviews WHERE id = $1`, interviewID).Scan(&at); err != nil {
		return nil, fmt.Errorf("reminded at of %s: %w", interviewID, notFound(err))
	}
	return at, nil
}
