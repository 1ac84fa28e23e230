package store

import (
	"context"
	"fmt"
	"time"
)

// APIToken is a personal API token's record; the secret itself is never stored, only its hash.
type APIToken struct {
	ID        string
	UserID    string
	Name      string
	CreatedAt time.Time
}

// CreateAPIToken stores the hash of a new token for userID.
func (s *Store) CreateAPIToken(ctx context.Context, userID, name string, hash []byte) (APIToken, error) {
	t := APIToken{UserID: userID, Name: name}
	err := s.q.QueryRow(ctx, `
INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3)
RETURNING id, created_at`, userID, name, hash).Scan(&t.ID, &t.CreatedAt)
	if err != nil {
		return APIToken{}, fmt.Errorf("create api token: %w", err)
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
	if !validUUID(id) {
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
