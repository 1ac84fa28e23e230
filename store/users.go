package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Role is what a user may do. The CSM is not a user: they hold an invite link.
type Role string

// The roles.
const (
	RoleAdmin     Role = "admin"
	RoleManager   Role = "manager"
	RoleSuccessor Role = "successor"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleManager, RoleSuccessor}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, known := range Roles {
		if r == known {
			return true
		}
	}
	return false
}

// ErrEmailTaken is returned when a user with that email already exists.
var ErrEmailTaken = errors.New("a user with this email already exists")

// User is a person who logs in.
type User struct {
	ID           string
	Email        string
	Name         string
	Role         Role
	PasswordHash string // empty: no password login
	Disabled     bool
	CreatedAt    time.Time
}

// NewUser is what CreateUser needs. Email must already be normalised (lower case, trimmed).
type NewUser struct {
	Email        string
	Name         string
	Role         Role
	PasswordHash string
}

const userColumns = `id, email, name, role, coalesce(password_hash, ''), disabled_at IS NOT NULL, created_at`

func scanUser(row pgx.Row) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.Disabled, &u.CreatedAt)
	return u, err
}

const createUserSQL = `
INSERT INTO users (email, name, role, password_hash)
VALUES ($1, $2, $3, nullif($4, ''))
RETURNING ` + userColumns

// CreateUser inserts a user.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, createUserSQL, nu.Email, nu.Name, nu.Role, nu.PasswordHash))
	if isUniqueViolation(err, "users_email_key") {
		return User{}, ErrEmailTaken
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", nu.Email, err)
	}
	return u, nil
}

// firstUserLock serialises CreateFirstUser across replicas.
const firstUserLock = 0x66697273 // "firs"

// CreateFirstUser inserts nu only when there is no user at all, and reports whether it did. Replicas
// starting at once on an empty database create exactly one.
func (s *Store) CreateFirstUser(ctx context.Context, nu NewUser) (u User, created bool, err error) {
	err = s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.q.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", firstUserLock); err != nil {
			return err
		}
		var exists bool
		if err := tx.q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users)").Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		u, err = tx.CreateUser(ctx, nu)
		created = err == nil
		return err
	})
	if err != nil {
		return User{}, false, fmt.Errorf("create first user: %w", err)
	}
	return u, created, nil
}

// UserByEmail returns the user with that (normalised) email, or ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, email))
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", email, notFound(err))
	}
	return u, nil
}

// UserByID returns the user with that id, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id string) (User, error) {
	if !ValidUUID(id) {
		return User{}, fmt.Errorf("user %q: %w", id, ErrNotFound)
	}
	u, err := scanUser(s.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1::uuid`, id))
	if err != nil {
		return User{}, fmt.Errorf("user %s: %w", id, notFound(err))
	}
	return u, nil
}

// ListUsers returns every user, by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	rows, err := s.q.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(name), email`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// SetPassword replaces a user's password hash and ends their browser sessions.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) error {
	if !ValidUUID(userID) {
		return fmt.Errorf("set password for %q: %w", userID, ErrNotFound)
	}
	return s.Transact(ctx, func(tx *Store) error {
		tag, err := tx.q.Exec(ctx, `UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1::uuid`, userID, hash)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("set password for %s: %w", userID, ErrNotFound)
		}
		_, err = tx.q.Exec(ctx, `DELETE FROM browser_sessions WHERE user_id = $1::uuid`, userID)
		return err
	})
}

// SetUserDisabled disables a user (ending their browser sessions in the same transaction) or enables
// them again, and returns the user; changed is false when they already were so.
func (s *Store) SetUserDisabled(ctx context.Context, userID string, disabled bool) (u User, changed bool, err error) {
	if !ValidUUID(userID) {
		return User{}, false, fmt.Errorf("user %q: %w", userID, ErrNotFound)
	}
	err = s.Transact(ctx, func(tx *Store) error {
		u, err = scanUser(tx.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1::uuid FOR UPDATE`, userID))
		if err != nil {
			return notFound(err)
		}
		if u.Disabled == disabled {
			return nil
		}
		changed = true
		u, err = scanUser(tx.q.QueryRow(ctx, `
UPDATE users SET disabled_at = CASE WHEN $2 THEN now() END, updated_at = now() WHERE id = $1::uuid
RETURNING `+userColumns, userID, disabled))
		if err != nil || !disabled {
			return err
		}
		_, err = tx.q.Exec(ctx, `DELETE FROM browser_sessions WHERE user_id = $1::uuid`, userID)
		return err
	})
	if err != nil {
		return User{}, false, fmt.Errorf("set user %s disabled=%t: %w", userID, disabled, err)
	}
	return u, changed, nil
}
