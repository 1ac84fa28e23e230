package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrTooManyAttempts is returned when a client address has too many single sign-ons under way.
var ErrTooManyAttempts = errors.New("too many sign-ins under way from this address")

// ErrIdentityTaken is returned when a user is already linked to another identity of the same provider.
var ErrIdentityTaken = errors.New("the user is linked to another identity of this provider")

// SSOAttempt is a single sign-on under way: what the callback needs to finish it.
type SSOAttempt struct {
	StateHash   []byte
	BrowserHash []byte // hash of the cookie of the browser that started it
	Nonce       string
	Verifier    string // PKCE code verifier
	Next        string // where to go once signed in
	IP          string
	ExpiresAt   time.Time
}

// CreateSSOAttempt stores a new attempt, unless the address already has maxPerIP live ones; expired
// attempts of anyone are removed on the way.
func (s *Store) CreateSSOAttempt(ctx context.Context, a SSOAttempt, maxPerIP int) error {
	return s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.q.Exec(ctx, `DELETE FROM sso_attempts WHERE expires_at <= now()`); err != nil {
			return fmt.Errorf("delete expired sign-ins: %w", err)
		}
		tag, err := tx.q.Exec(ctx, `
INSERT INTO sso_attempts (state_hash, browser_hash, nonce, verifier, next, ip, expires_at)
SELECT $1, $2, $3, $4, $5, $6, $7
WHERE (SELECT count(*) FROM sso_attempts WHERE ip = $6 AND expires_at > now()) < $8`,
			a.StateHash, a.BrowserHash, a.Nonce, a.Verifier, a.Next, a.IP, a.ExpiresAt, maxPerIP)
		if err != nil {
			return fmt.Errorf("create sign-in: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrTooManyAttempts
		}
		return nil
	})
}

// TakeSSOAttempt removes the attempt with that state hash and returns it, whether or not it has
// expired (the caller checks); a state is taken once, so a second call gets ErrNotFound.
func (s *Store) TakeSSOAttempt(ctx context.Context, stateHash []byte) (SSOAttempt, error) {
	var a SSOAttempt
	err := s.q.QueryRow(ctx, `
DELETE FROM sso_attempts WHERE state_hash = $1
RETURNING state_hash, browser_hash, nonce, verifier, next, ip, expires_at`, stateHash).
		Scan(&a.StateHash, &a.BrowserHash, &a.Nonce, &a.Verifier, &a.Next, &a.IP, &a.ExpiresAt)
	if err != nil {
		return SSOAttempt{}, fmt.Errorf("take sign-in: %w", notFound(err))
	}
	return a, nil
}

// UserBySSOIdentity returns the user linked to (issuer, subject), or ErrNotFound.
func (s *Store) UserBySSOIdentity(ctx context.Context, issuer, subject string) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users
WHERE id = (SELECT user_id FROM sso_identities WHERE issuer = $1 AND subject = $2)`, issuer, subject))
	if err != nil {
		return User{}, fmt.Errorf("user by sso identity: %w", notFound(err))
	}
	return u, nil
}

// LinkSSOIdentity links the user to (issuer, subject); ErrIdentityTaken when the user already has
// another identity of that issuer (or the identity another user).
func (s *Store) LinkSSOIdentity(ctx context.Context, userID, issuer, subject, email string) error {
	_, err := s.q.Exec(ctx, `INSERT INTO sso_identities (issuer, subject, user_id, email) VALUES ($1, $2, $3::uuid, $4)`,
		issuer, subject, userID, email)
	if isUniqueViolation(err, "") {
		return ErrIdentityTaken
	}
	if err != nil {
		return fmt.Errorf("link sso identity: %w", err)
	}
	return nil
}

// TouchSSOIdentity records a sign-in through the identity, and the e-mail the provider gave.
func (s *Store) TouchSSOIdentity(ctx context.Context, issuer, subject, email string) error {
	_, err := s.q.Exec(ctx, `UPDATE sso_identities SET last_login_at = now(), email = $3 WHERE issuer = $1 AND subject = $2`,
		issuer, subject, email)
	if err != nil {
		return fmt.Errorf("touch sso identity: %w", err)
	}
	return nil
}

// SetUserRole changes a user's role and returns the user.
func (s *Store) SetUserRole(ctx context.Context, userID string, role Role) (User, error) {
	if !ValidUUID(userID) {
		return User{}, fmt.Errorf("user %q: %w", userID, ErrNotFound)
	}
	u, err := scanUser(s.q.QueryRow(ctx, `UPDATE users SET role = $2, updated_at = now() WHERE id = $1::uuid RETURNING `+userColumns,
		userID, role))
	if err != nil {
		return User{}, fmt.Errorf("set role of %s: %w", userID, notFound(err))
	}
	return u, nil
}
