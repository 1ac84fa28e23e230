package auth

import (
	"context"
	"errors"
	"net/mail"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Errors the caller maps to responses.
var (
	// ErrInvalidCredentials: wrong email or password, or a disabled user; deliberately one error.
	ErrInvalidCredentials = errors.New("invalid email or password")
	// ErrUnauthenticated: no, or no valid, session or token.
	ErrUnauthenticated = errors.New("authentication required")
)

// Config holds the knobs of the Service.
type Config struct {
	SessionLifetime    time.Duration // absolute lifetime of a browser session
	SessionIdleTimeout time.Duration // a session unused this long ends
	LoginWindow        time.Duration // failures are counted over this window
	MaxFailuresEmail   int           // failures per email within the window before logins are refused
	MaxFailuresIP      int           // failures per client address within the window
	Hash               HashParams
	// HashSlots is how many passwords may be checked at once (each check takes Hash.Memory KiB);
	// 0 means one per CPU.
	HashSlots int
	// HashWait is how long a login waits for a free slot before it is refused as busy; 0 means 100 ms.
	HashWait time.Duration
	// TokenTTL is the lifetime of a new API token when none is asked for; 0 means 90 days.
	TokenTTL time.Duration
}

// Service authenticates people and programs.
type Service struct {
	store *store.Store
	cfg   Config
	// dummyHash is checked when the email is unknown, so an unknown email costs the same time as a wrong
	// password and response times do not tell which emails exist.
	dummyHash string
	// hashSlots bounds the password checks under way: each holds argon2id's memory until it ends.
	hashSlots chan struct{}
	// hashes counts the password checks run (HashesChecked).
	hashes atomic.Int64
}

// NewService returns a Service.
func NewService(s *store.Store, cfg Config) (*Service, error) {
	dummy, err := HashPassword("not a real password", cfg.Hash)
	if err != nil {
		return nil, err
	}
	if cfg.HashSlots <= 0 {
		cfg.HashSlots = runtime.NumCPU()
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 90 * 24 * time.Hour
	}
	if cfg.HashWait <= 0 {
		cfg.HashWait = 100 * time.Millisecond
	}
	return &Service{store: s, cfg: cfg, dummyHash: dummy, hashSlots: make(chan struct{}, cfg.HashSlots)}, nil
}

// Session is a new browser session: Secret goes in the cookie, only its hash is stored.
type Session struct {
	Secret    string
	User      store.User
	ExpiresAt time.Time
}

// Client describes where a request comes from, for rate limiting and the audit log.
type Client struct {
	IP        string
	UserAgent string
}

// Logout ends the browser session with that secret.
func (s *Service) Logout(ctx context.Context, secret string, u store.User, c Client) error {
	if err := s.store.DeleteBrowserSession(ctx, HashSecret(secret)); err != nil {
		return err
	}
	return s.store.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "logout", Subject: u.Email, IP: c.IP})
}

// UserBySession returns the user of a live browser session, or ErrUnauthenticated.
func (s *Service) UserBySession(ctx context.Context, secret string) (store.User, error) {
	if !strings.HasPrefix(secret, sessionPrefix) {
		return store.User{}, ErrUnauthenticated
	}
	u, err := s.store.UserBySession(ctx, HashSecret(secret), s.cfg.SessionIdleTimeout)
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrUnauthenticated
	}
	return u, err
}

// UserByAPIToken returns the user of a live personal API token, or ErrUnauthenticated.
func (s *Service) UserByAPIToken(ctx context.Context, token string) (store.User, error) {
	if !strings.HasPrefix(token, APITokenPrefix) {
		return store.User{}, ErrUnauthenticated
	}
	u, err := s.store.UserByAPIToken(ctx, HashSecret(token))
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, ErrUnauthenticated
	}
	return u, err
}

// NewUserInput is a user to create, as typed by an admin.
type NewUserInput struct {
	Email    string
	Name     string
	Role     store.Role
	Password string // empty: the user gets no password login until one is set
}

// CreateUser validates in and creates the user. actorID is the admin doing it (empty for the command line).
func (s *Service) CreateUser(ctx context.Context, in NewUserInput, actorID string, c Client) (store.User, error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	errs := validation.Errors{}
	if _, err := mail.ParseAddress(in.Email); err != nil || !strings.Contains(in.Email, "@") || len(in.Email) > 254 {
		errs.Add("email", "must be a valid email address")
	}
	if in.Name == "" {
		errs.Add("name", "is required")
	} else if utf8.RuneCountInString(in.Name) > 200 {
		errs.Add("name", "must be at most 200 characters")
	}
	if !in.Role.Valid() {
		errs.Add("role", "must be one of admin, manager, successor")
	}
	if in.Password != "" && utf8.RuneCountInString(in.Password) < 12 {
		errs.Add("password", "must be at least 12 characters")
	} else if len(in.Password) > 1024 {
		errs.Add("password", "must be at most 1024 bytes")
	}
	if err := errs.Err(); err != nil {
		return store.User{}, err
	}
	var hash string
	if in.Password != "" {
		var err error
		if hash, err = HashPassword(in.Password, s.cfg.Hash); err != nil {
			return store.User{}, err
		}
	}
	var u store.User
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		u, err = tx.CreateUser(ctx, store.NewUser{Email: in.Email, Name: in.Name, Role: in.Role, PasswordHash: hash})
		if errors.Is(err, store.ErrEmailTaken) {
			return validation.Errors{"email": "a user with this email already exists"}
		}
		if err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{ActorUserID: actorID, Action: "user.created", Subject: u.Email, IP: c.IP,
			Details: map[string]any{"role": string(u.Role)}})
	})
	return u, err
}

// EnsureFirstAdmin creates an admin with a generated password when the database has no user at all, and
// returns the password (shown once) and whether it did.
func (s *Service) EnsureFirstAdmin(ctx context.Context, email string) (store.User, string, bool, error) {
	password := GeneratePassword()
	hash, err := HashPassword(password, s.cfg.Hash)
	if err != nil {
		return store.User{}, "", false, err
	}
	u, created, err := s.store.CreateFirstUser(ctx, store.NewUser{
		Email: NormalizeEmail(email), Name: "Administrator", Role: store.RoleAdmin, PasswordHash: hash,
	})
	if err != nil || !created {
		return u, "", false, err
	}
	_ = s.store.Audit(ctx, store.AuditEntry{Action: "user.created", Subject: u.Email, Details: map[string]any{"role": "admin", "first": true}})
	return u, password, true, nil
}

// NormalizeEmail trims and lower-cases an email address.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
