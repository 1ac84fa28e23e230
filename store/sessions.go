package store

import (
	"context"
	"fmt"
	"time"
)

// BrowserSession is a logged-in browser. Only the hash of its cookie is stored.
type BrowserSession struct {
	TokenHash []byte
	UserID    string
	ExpiresAt time.Time
	IP        string
	UserAgent string
}

// CreateBrowserSession stores a new session.
func (s *Store) CreateBrowserSession(ctx context.Context, bs BrowserSession) error {
	_, err := s.q.Exec(ctx, `
INSERT INTO browser_sessions (token_hash, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)`,
		bs.TokenHash, bs.UserID, bs.ExpiresAt, bs.IP, bs.UserAgent)
	if err != nil {
		return fmt.Errorf("create browser session: %w", err)
	}
	return nil
}

// A session is live until its absolute expiry and while it was seen within the idle timeout.
// last_seen_at is written at most once a minute, so reads stay reads.
const userBySessionSQL = `
WITH hit AS (
    SELECT token_hash, user_id, last_seen_at
    FROM browser_sessions
    WHERE token_hash = $1
      AND expires_at > now()
      AND last_seen_at > now() - $2::interval
), touch AS (
    UPDATE browser_sessions SET last_seen_at = now()
    FROM hit
    WHERE browser_sessions.token_hash = hit.token_hash
      AND hit.last_seen_at < now() - interval '1 minute'
)
SELECT ` + userColumns + `
FROM users
WHERE id = (SELECT user_id FROM hit)
  AND disabled_at IS NULL`

// UserBySession returns the enabled user of the live session with that hash, or ErrNotFound.
func (s *Store) UserBySession(ctx context.Context, hash []byte, idleTimeout time.Duration) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, userBySessionSQL, hash, idleTimeout))
	if err != nil {
		return User{}, fmt.Errorf("user by session: %w", notFound(err))
	}
	return u, nil
}

// DeleteBrowserSession ends a session; ending one that does not exist is not an error.
func (s *Store) DeleteBrowserSession(ctx context.Context, hash []byte) error {
	if _, err := s.q.Exec(ctx, `DELETE FROM browser_sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("delete browser session: %w", err)
	}
	return nil
}

// DeleteStaleBrowserSessions removes sessions past their expiry or idle timeout and returns how many.
func (s *Store) DeleteStaleBrowserSessions(ctx context.Context, idleTimeout time.Duration) (int64, error) {
	tag, err := s.q.Exec(ctx, `
DELETE FROM browser_sessions WHERE expires_at <= now() OR last_seen_at <= now() - $1::interval`, idleTimeout)
	if err != nil {
		return 0, fmt.Errorf("delete stale browser sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}
