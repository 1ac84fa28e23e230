package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/store"
)

// Why a login was refused before its password was checked.
const (
	RefusedEmailLimit   = "email_limit"   // too many recent attempts for the email
	RefusedAddressLimit = "address_limit" // too many recent attempts from the client address
	RefusedBusy         = "busy"          // every password-checking slot stayed taken for HashWait
	// RefusedBadCredentials is not refused before the check: the password (or the user) was wrong.
	RefusedBadCredentials = "bad_credentials"
)

// RateLimitedError says a login was refused without checking its password, and why (one of the Refused
// reasons).
type RateLimitedError struct {
	Reason     string
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	if e.Reason == RefusedBusy {
		return "too many logins at once; try again in a moment"
	}
	return fmt.Sprintf("too many failed logins; try again in %s", e.RetryAfter.Round(time.Minute))
}

// refuse is the one place a login is refused before its password is checked: every refusal goes
// through here, and is counted by reason in the metrics.
func (s *Service) refuse(ctx context.Context, reason, email string, c Client) error {
	metrics.LoginRefused(reason)
	retry := s.cfg.LoginWindow
	if reason == RefusedBusy {
		retry = time.Second
	} else {
		_ = s.store.Audit(ctx, store.AuditEntry{Action: "login.rate_limited", Subject: email, IP: c.IP,
			Details: map[string]any{"reason": reason}})
	}
	return &RateLimitedError{Reason: reason, RetryAfter: retry}
}

// HashesChecked returns how many passwords this Service has checked at login since it started.
func (s *Service) HashesChecked() int64 { return s.hashes.Load() }

// Login checks email and password and opens a new browser session.
//
// The expensive part, argon2id, is bounded twice. At most HashSlots checks run at once in this process,
// and a login that finds none free within HashWait is refused as busy at once, so a flood of logins
// cannot exhaust memory. And an attempt is reserved in the database before its password is checked,
// only while the window holds fewer attempts than the limits for the email and for the client address,
// so across all replicas no more guesses are checked than the limit. A successful login removes its
// reservation (and the earlier failures from the same address for that email); a failed one leaves it
// as the failure.
func (s *Service) Login(ctx context.Context, email, password string, c Client) (Session, error) {
	email = NormalizeEmail(email)

	timer := time.NewTimer(s.cfg.HashWait)
	select {
	case s.hashSlots <- struct{}{}:
		timer.Stop()
	case <-timer.C:
		return Session{}, s.refuse(ctx, RefusedBusy, email, c)
	case <-ctx.Done():
		timer.Stop()
		return Session{}, ctx.Err()
	}
	u, ok, err := s.checkPassword(ctx, email, password, c)
	<-s.hashSlots
	if err != nil {
		return Session{}, err
	}
	if !ok {
		metrics.LoginRefused(RefusedBadCredentials)
		_ = s.store.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "login.failed", Subject: email, IP: c.IP})
		return Session{}, ErrInvalidCredentials
	}

	var sess Session
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if sess, err = s.createSession(ctx, tx, u, c); err != nil {
			return err
		}
		if err := tx.ClearLoginFailures(ctx, email, c.IP); err != nil {
			return err
		}
		return tx.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "login.succeeded", Subject: email, IP: c.IP})
	})
	if err != nil {
		return Session{}, err
	}
	return sess, nil
}

// OpenSession opens a browser session for u, whom a single sign-on provider has authenticated, in tx,
// and records the login as a password login is recorded, with details saying how it was made.
func (s *Service) OpenSession(ctx context.Context, tx *store.Store, u store.User, c Client, details map[string]any) (Session, error) {
	if u.Disabled {
		return Session{}, ErrUserDisabled
	}
	sess, err := s.createSession(ctx, tx, u, c)
	if err != nil {
		return Session{}, err
	}
	return sess, tx.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "login.succeeded", Subject: u.Email, IP: c.IP, Details: details})
}

// createSession stores a new browser session of u: a fresh secret every time, only its hash stored.
func (s *Service) createSession(ctx context.Context, tx *store.Store, u store.User, c Client) (Session, error) {
	sess := Session{Secret: newSecret(sessionPrefix), User: u, ExpiresAt: time.Now().Add(s.cfg.SessionLifetime)}
	err := tx.CreateBrowserSession(ctx, store.BrowserSession{
		TokenHash: HashSecret(sess.Secret), UserID: u.ID, ExpiresAt: sess.ExpiresAt,
		IP: c.IP, UserAgent: truncate(c.UserAgent, 300),
	})
	return sess, err
}

// checkPassword reserves an attempt and checks the password; ok is false for a wrong password, an unknown
// email, a user without a password or a disabled user, deliberately alike.
func (s *Service) checkPassword(ctx context.Context, email, password string, c Client) (store.User, bool, error) {
	r, err := s.store.ReserveLoginAttempt(ctx, email, c.IP, time.Now().Add(-s.cfg.LoginWindow),
		s.cfg.MaxFailuresEmail, s.cfg.MaxFailuresIP)
	if err != nil {
		return store.User{}, false, err
	}
	if !r.Granted() {
		reason := RefusedEmailLimit
		if r.ByEmail < s.cfg.MaxFailuresEmail {
			reason = RefusedAddressLimit
		}
		return store.User{}, false, s.refuse(ctx, reason, email, c)
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return store.User{}, false, err
	}
	known := err == nil
	hash := s.dummyHash
	if known && u.PasswordHash != "" {
		hash = u.PasswordHash
	}
	s.hashes.Add(1)
	ok, _ := CheckPassword(hash, password) // a malformed stored hash is a failed login, not a crash
	return u, known && u.PasswordHash != "" && !u.Disabled && ok, nil
}
