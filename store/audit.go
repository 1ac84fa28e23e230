package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one security-relevant action.
type AuditEntry struct {
	At          time.Time
	ActorUserID string // empty: the system or an anonymous caller
	Action      string // e.g. "login.succeeded", "user.created"
	Subject     string // what it was done to, e.g. an email
	IP          string
	Details     map[string]any
}

// Audit records an entry.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	details := e.Details
	if details == nil {
		details = map[string]any{}
	}
	_, err := s.q.Exec(ctx, `
INSERT INTO audit_log (actor_user_id, action, subject, ip, details) VALUES (nullif($1, '')::uuid, $2, $3, $4, $5)`,
		e.ActorUserID, e.Action, e.Subject, e.IP, details)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// RecentAudit returns the newest entries first.
func (s *Store) RecentAudit(ctx context.Context, limit int) ([]AuditEntry, error) {
	rows, err := s.q.Query(ctx, `
SELECT at, coalesce(actor_user_id::text, ''), action, subject, ip, details
FROM audit_log ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("recent audit: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		err := r.Scan(&e.At, &e.ActorUserID, &e.Action, &e.Subject, &e.IP, &e.Details)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("recent audit: %w", err)
	}
	return entries, nil
}
