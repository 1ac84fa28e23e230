package store

import (
	"context"
	"fmt"
	"time"
)

// The login_failures table holds login attempts: a row is reserved before a password is checked and
// removed again when the login succeeds, so what stays are failures (and attempts whose outcome never
// came, which count as failures: the limit fails closed).

// LoginReservation is the outcome of ReserveLoginAttempt.
type LoginReservation struct {
	ID      int64 // the reserved attempt; 0 when refused
	ByEmail int   // attempts for the email within the window, before this one
	ByIP    int   // attempts from the address within the window, before this one
}

// Granted reports whether the attempt was reserved and its password may be checked.
func (r LoginReservation) Granted() bool { return r.ID != 0 }

// ReserveLoginAttempt records a login attempt for email from ip, but only while the window holds fewer
// than maxEmail attempts for the email and fewer than maxIP from the address. Attempts for one email,
// and from one address, are serialised by transaction-scoped advisory locks (always the email's first,
// then the address's, so two attempts never wait on each other in a cycle), so however many replicas
// check passwords at once, no more than the limit are let through.
func (s *Store) ReserveLoginAttempt(ctx context.Context, email, ip string, since time.Time, maxEmail, maxIP int) (LoginReservation, error) {
	var r LoginReservation
	err := s.Transact(ctx, func(tx *Store) error {
		// The locks come in their own statement: a statement's snapshot is taken when it starts, so the
		// counting below must begin after the locks are held to see every attempt committed before.
		if _, err := tx.q.Exec(ctx, `
SELECT pg_advisory_xact_lock(hashtextextended('login email ' || $1, 0)),
       pg_advisory_xact_lock(hashtextextended('login address ' || $2, 0))`, email, ip); err != nil {
			return err
		}
		var id *int64
		err := tx.q.QueryRow(ctx, `
WITH recent AS (
    SELECT count(*) FILTER (WHERE email = $1) AS by_email, count(*) FILTER (WHERE ip = $2) AS by_ip
    FROM login_failures
    WHERE attempted_at > $3 AND (email = $1 OR ip = $2)
), reserved AS (
    INSERT INTO login_failures (email, ip)
    SELECT $1, $2 FROM recent WHERE by_email < $4 AND by_ip < $5
    RETURNING id
)
SELECT by_email, by_ip, (SELECT id FROM reserved) FROM recent`, email, ip, since, maxEmail, maxIP).Scan(&r.ByEmail, &r.ByIP, &id)
		if err != nil {
			return err
		}
		if id != nil {
			r.ID = *id
		}
		return nil
	})
	if err != nil {
		return LoginReservation{}, fmt.Errorf("reserve login attempt: %w", err)
	}
	return r, nil
}

// ClearLoginFailures forgets the attempts for email from ip after a successful login from there (its own
// reservation included); failures from other addresses (someone else guessing) still count.
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
