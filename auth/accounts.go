package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Errors of account management the caller maps to a 409.
var (
	ErrDisableSelf  = errors.New("you cannot disable your own account")
	ErrUserDisabled = errors.New("the user is disabled")
)

// MaxTokenLifetime is the longest lifetime a new API token may ask for.
const MaxTokenLifetime = 3650 * 24 * time.Hour

// TokenTTL is the lifetime of a new API token when none is asked for.
func (s *Service) TokenTTL() time.Duration { return s.cfg.TokenTTL }

// SetDisabled disables the user (their browser sessions end and their API tokens stop working at once:
// both are checked against the user at every request) or enables them again. actorID is the admin doing
// it, who cannot disable themselves; empty for the command line.
func (s *Service) SetDisabled(ctx context.Context, userID string, disabled bool, actorID string, c Client) (store.User, error) {
	if disabled && actorID != "" && actorID == userID {
		return store.User{}, ErrDisableSelf
	}
	u, changed, err := s.store.SetUserDisabled(ctx, userID, disabled)
	if err != nil || !changed {
		return u, err
	}
	action := "user.enabled"
	if disabled {
		action = "user.disabled"
	}
	return u, s.store.Audit(ctx, store.AuditEntry{ActorUserID: actorID, Action: action, Subject: u.Email, IP: c.IP,
		Details: map[string]any{"user_id": u.ID}})
}

// IssueAPIToken makes a new personal API token for u, named name and live for expiresIn (0: the
// configured lifetime), and returns the secret, which is shown once and never stored. actorID is who
// asks (empty for the command line).
func (s *Service) IssueAPIToken(ctx context.Context, u store.User, name string, expiresIn time.Duration, actorID string, c Client) (string, store.APIToken, error) {
	name = strings.TrimSpace(name)
	errs := validation.Errors{}
	if name == "" {
		errs.Add("name", "is required: say what the token is for")
	} else if utf8.RuneCountInString(name) > 100 {
		errs.Add("name", "must be at most 100 characters")
	}
	if expiresIn == 0 {
		expiresIn = s.cfg.TokenTTL
	}
	if expiresIn < time.Hour || expiresIn > MaxTokenLifetime {
		errs.Add("expires_in_days", "must be between 1 and 3650 days")
	}
	if err := errs.Err(); err != nil {
		return "", store.APIToken{}, err
	}
	if u.Disabled {
		return "", store.APIToken{}, ErrUserDisabled
	}
	secret := newSecret(APITokenPrefix)
	var t store.APIToken
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if t, err = tx.CreateAPIToken(ctx, u.ID, name, HashSecret(secret), time.Now().Add(expiresIn)); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{ActorUserID: actorID, Action: "token.created", Subject: u.Email, IP: c.IP,
			Details: map[string]any{"token_id": t.ID, "name": name, "expires_at": t.ExpiresAt}})
	})
	if err != nil {
		return "", store.APIToken{}, err
	}
	return secret, t, nil
}

// CreateAPIToken makes a new personal API token with the configured lifetime for the user with that
// email, as the command line does, and returns the secret. An empty name is "command line".
func (s *Service) CreateAPIToken(ctx context.Context, email, name string) (string, store.User, error) {
	u, err := s.store.UserByEmail(ctx, NormalizeEmail(email))
	if err != nil {
		return "", store.User{}, err
	}
	if strings.TrimSpace(name) == "" {
		name = "command line"
	}
	secret, _, err := s.IssueAPIToken(ctx, u, name, 0, u.ID, Client{})
	if errors.Is(err, ErrUserDisabled) {
		return "", store.User{}, fmt.Errorf("user %s is disabled", u.Email)
	}
	return secret, u, err
}

// RevokeAPIToken revokes a token at once. by is who asks: the token's owner or an admin may, anyone else
// gets ErrNotFound (nil by: the command line). Revoking a revoked token changes nothing.
func (s *Service) RevokeAPIToken(ctx context.Context, tokenID string, by *store.User, c Client) (store.APIToken, error) {
	t, err := s.store.APITokenByID(ctx, tokenID)
	if err != nil {
		return store.APIToken{}, err
	}
	actorID := ""
	if by != nil {
		if t.UserID != by.ID && by.Role != store.RoleAdmin {
			return store.APIToken{}, fmt.Errorf("api token %s: %w", tokenID, store.ErrNotFound)
		}
		actorID = by.ID
	}
	if t.RevokedAt != nil {
		return t, nil
	}
	owner, err := s.store.UserByID(ctx, t.UserID)
	if err != nil {
		return store.APIToken{}, err
	}
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.RevokeAPIToken(ctx, t.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{ActorUserID: actorID, Action: "token.revoked", Subject: owner.Email, IP: c.IP,
			Details: map[string]any{"token_id": t.ID, "name": t.Name}})
	})
	if errors.Is(err, store.ErrNotFound) { // revoked meanwhile by someone else
		err = nil
	}
	if err != nil {
		return store.APIToken{}, err
	}
	return s.store.APITokenByID(ctx, t.ID)
}
