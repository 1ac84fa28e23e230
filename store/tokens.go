package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// APIToken is a personal API token's record; the secret itself is never stored, only its hash.
type APIToken struct {
	ID         string
	UserID     string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  *time.Time // always set; a pointer for the JSON of the API
	RevokedAt  *time.Time
}

// Live reports whether the token still authenticates (its owner being enabled aside).
func (t APIToken) Live(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || t.ExpiresAt.After(now))
}

const apiTokenColumns = `id, user_id, name, created_at, last_used_at, expires_at, revoked_at`

func scanAPIToken(r pgx.Row) (APIToken, error) {
	var t APIToken
	err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt)
	return t, err
}

// CreateAPIToken stores the hash of a new token for userID, live until expiresAt.
func (s *Store) CreateAPIToken(ctx context.Context, userID, name string, hash []byte, expiresAt time.Time) (APIToken, error) {
	t, err := scanAPIToken(s.q.QueryRow(ctx, `
INSERT INTO api_tokens (user_id, name, token_hash, expires_at) VALUES ($1, $2, $3, $4)
RETURNING `+apiTokenColumns, userID, name, hash, expiresAt))
	if err != nil {
		return APIToken{}, fmt.Errorf("create api token: %w", err)
	}
	return t, nil
}

// APITokens returns a user's tokens, newest first, revoked and expired ones included.
func (s *Store) APITokens(ctx context.Context, userID string) ([]APIToken, error) {
	if !ValidUUID(userID) {
		return nil, fmt.Errorf("api tokens of %q: %w", userID, ErrNotFound)
	}
	rows, err := s.q.Query(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE user_id = $1::uuid ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, fmt.Errorf("api tokens of %s: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIToken, error) { return scanAPIToken(r) })
	if err != nil {
		return nil, fmt.Errorf("api tokens of %s: %w", userID, err)
	}
	return out, nil
}

// APITokenByID returns a token's record, or ErrNotFound.
func (s *Store) APITokenByID(ctx context.Context, id string) (APIToken, error) {
	if !ValidUUID(id) {
		return APIToken{}, fmt.Errorf("api token %q: %w", id, ErrNotFound)
	}
	t, err := scanAPIToken(s.q.QueryRow(ctx, `SELECT `+apiTokenColumns+` FROM api_tokens WHERE id = $1::uuid`, id))
	if err != nil {
		return APIToken{}, fmt.Errorf("api token %s: %w", id, notFound(err))
	}
	return t, nil
}

// last_used_at is written at most once a minute per token, so a busy client does not turn every read
// into a write.
const userByAPITokenSQL = `
WITH hit AS (
    SELECT t.id, t.last_used_at
    FROM api_tokens t
    WHERE t.token_hash = $1
      AND t.revoked_at IS NULL
      AND (t.expires_at IS NULL OR t.expires_at > now())
), touch AS (
    UPDATE api_tokens SET last_used_at = now()
    FROM hit
    WHERE api_tokens.id = hit.id
      AND (hit.last_used_at IS NULL OR hit.last_used_at < now() - interval '1 minute')
)
SELECT ` + userColumns + `
FROM users
WHERE id = (SELECT user_id FROM api_tokens WHERE id = (SELECT id FROM hit))
  AND disabled_at IS NULL`

// UserByAPIToken returns the enabled user owning the live token with that hash, or ErrNotFound.
func (s *Store) UserByAPIToken(ctx context.Context, hash []byte) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, userByAPITokenSQL, hash))
	if err != nil {
		return User{}, fmt.Errorf("user by api token: %w", notFound(err))
	}
	return u, nil
}

// RevokeAPIToken revokes a token by id.
func (s *Store) RevokeAPIToken(ctx context.Context, id string) error {
	if !ValidUUID(id) {
		return fmt.Errorf("revoke api token %q: %w", id, ErrNotFound)
	}
	tag, err := s.q.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL`, id)
	if err != nil {
		return fmt.Errorf("revoke api token %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke api token %s: %w", id, ErrNotFound)
	}
	return nil
}
