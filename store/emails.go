package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Email is a notification to send.
type Email struct {
	ID      string
	Key     string // what it is about; one e-mail per key
	Kind    string // invite, assigned, reminder, digest
	To      string
	Subject string
	Text    string
	HTML    string
	Status  string
	SentAt  *time.Time
}

// QueueEmail stores an e-mail unless one with its key exists; fresh says whether it is new (so the caller
// enqueues its job in the same transaction).
func (s *Store) QueueEmail(ctx context.Context, e Email) (id string, fresh bool, err error) {
	err = s.q.QueryRow(ctx, `INSERT INTO emails (key, kind, to_address, subject, text_body, html_body)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING RETURNING id`, e.Key, e.Kind, e.To, e.Subject, e.Text, e.HTML).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("queue e-mail %s: %w", e.Key, err)
	}
	return id, true, nil
}

// EmailByID returns one e-mail, or ErrNotFound.
func (s *Store) EmailByID(ctx context.Context, id string) (Email, error) {
	if !ValidUUID(id) {
		return Email{}, fmt.Errorf("e-mail %q: %w", id, ErrNotFound)
	}
	var e Email
	err := s.q.QueryRow(ctx, `SELECT id, key, kind, to_address, subject, text_body, html_body, status, sent_at FROM emails WHERE id = $1`, id).
		Scan(&e.ID, &e.Key, &e.Kind, &e.To, &e.Subject, &e.Text, &e.HTML, &e.Status, &e.SentAt)
	if err != nil {
		return Email{}, fmt.Errorf("e-mail %s: %w", id, notFound(err))
	}
	return e, nil
}

// scrubInvite empties an invitation's body once it is sent or given up: it holds the invite link, whose
// secret is otherwise stored only hashed.
const scrubInvite = `text_body = CASE WHEN kind = 'invite' THEN '' ELSE text_body END,
    html_body = CASE WHEN kind = 'invite' THEN '' ELSE html_body END`

// MarkEmailSent records the delivery.
func (s *Store) MarkEmailSent(ctx context.Context, id string) error {
	_, err := s.q.Exec(ctx, `UPDATE emails SET status = 'sent', sent_at = now(), error = '', `+scrubInvite+` WHERE id = $1`, id)
	return err
}

// MarkEmailFailed records that an e-mail could not be delivered.
func (s *Store) MarkEmailFailed(ctx context.Context, id, reason string) error {
	_, err := s.q.Exec(ctx, `UPDATE emails SET status = 'failed', error = $2, `+scrubInvite+` WHERE id = $1 AND status = 'pending'`, id, reason)
	return err
}

// StalledInterview is an interview whose CSM has not answered for a while, with its last activity.
type StalledInterview struct {
	Interview
	ManagerName  string
	LastActivity time.Time
}

// StalledInterviews returns the interviews not finished whose CSM (with an e-mail) has been quiet since
// before quietSince and whose last day has not passed.
func (s *Store) StalledInterviews(ctx context.Context, quietSince time.Time) ([]StalledInterview, error) {
	rows, err := s.q.Query(ctx, `
SELECT `+prefixed("i.", interviewColumns)+`, u.name, coalesce((SELECT max(m.created_at) FROM messages m WHERE m.interview_id = i.id AND m.role = 'csm'), i.created_at)
FROM interviews i JOIN users u ON u.id = i.manager_id
WHERE i.status IN ('invited', 'in_progress') AND i.csm_email <> '' AND i.departure_date >= current_date
  AND coalesce((SELECT max(m.created_at) FROM messages m WHERE m.interview_id = i.id AND m.role = 'csm'), i.created_at) < $1`, quietSince)
	if err != nil {
		return nil, fmt.Errorf("stalled interviews: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (StalledInterview, error) {
		var x StalledInterview
		err := r.Scan(append(x.Interview.dest(), &x.ManagerName, &x.LastActivity)...)
		return x, err
	})
}

// DepartingSoon returns the interviews not handed over whose last day is within days, soonest first.
func (s *Store) DepartingSoon(ctx context.Context, days int) ([]Interview, error) {
	rows, err := s.q.Query(ctx, `SELECT `+prefixed("i.", interviewColumns)+` FROM interviews i
WHERE i.status <> 'handed_over' AND i.departure_date BETWEEN current_date AND current_date + $1::int
ORDER BY i.departure_date, i.created_at`, days)
	if err != nil {
		return nil, fmt.Errorf("departing soon: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Interview, error) { return scanInterview(r) })
}

// prefixed qualifies every column of a list with a table alias.
func prefixed(alias, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = alias + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
