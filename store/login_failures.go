package store

import (
	"context"
	"fmt"
	"time"
)

// RecordLoginFailure notes a failed login for email from ip.
func (s *Store) RecordLoginFailure(ctx context.Context, email, ip string) error {
	if _, err := s.q.Exec(ctx, `INSERT INTO login_failures (email, ip) VALUES ($1, $2)`, email, ip); err != nil {
		return fmt.Errorf("record login failure: %w", err)
	}
	return nil
}

// LoginFailures counts the failed logins since a time, for that email and from that ip.
func (s *Store) LoginFailures(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	err = s.q.QueryRow(ctx, `
SELECT count(*) FILTER (WHERE email = $1), count(*) FILTER (WHERE ip = $2)
FROM login_failures
WHERE attempted_at > $3 AND (email = $1 OR ip = $2)`, email, ip, since).Scan(&byEmail, &byIP)
	if err != nil {
		return 0, 0, fmt.Errorf("count login failures: %w", err)
	}
	return byEmail, byIP, nil
}

// ClearLoginFailures forgets the failures for email from ip after a successful login from there; failures
// from other addresses (someone else guessing) still count.
func (s *Store) ClearLoginFailures(ctx context.Context, email, ip string) error {
	if _, err := s.q.Exec(ctx, `DELETE FROM login_failures WHERE email = $1 AND ip = $2`, email, ip); err != nil {
		return fmt.Errorf("clear login failures: %w", err)
	}
	return nil
}

// DeleteLoginFailuresBefore removes failures older than t and returns how many.
func (s *Store) DeleteLoginFailuresBefore(ctx context.Context, t time.Time) (int64, error) {
	tag, err := s.q.Exec(ctx, `DELETE FROM login_failures WHERE attempted_at < $1`, t)
	if err != nil {
		return 0, fmt.Errorf("delete old login failures: %w", err)
	}
	return tag.RowsAffected(), nil
}
