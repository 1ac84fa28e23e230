// Package sso signs people in through an OpenID Connect provider (Okta, Entra ID, Google Workspace,
// Keycloak, Auth0…): the authorization code flow with PKCE (S256), state and nonce, the ID token verified
// against the provider's published keys by go-oidc, and the person matched to a user by their verified
// e-mail and, once linked, by (issuer, subject). It knows nothing of HTTP requests: package web turns
// its answers into redirects, cookies and pages.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/secret"
	"github.com/exitinterview/exitinterview/store"
)

// CallbackPath is where the provider sends the browser back; <base URL> + CallbackPath is the redirect
// URI to register at the provider.
const CallbackPath = "/login/sso/callback"

// AttemptTTL is how long a started sign-in may take at the provider before its state is refused.
const AttemptTTL = 10 * time.Minute

// maxAttemptsPerIP bounds the sign-ins under way from one client address, so that starting sign-ins
// in a loop cannot fill the database.
const maxAttemptsPerIP = 30

// BrowserPrefix starts the secret of the cookie that binds a sign-in to the browser that started it.
const BrowserPrefix = "eib_"

// ErrUnavailable: the provider could not be reached (discovery, keys or token endpoint).
var ErrUnavailable = errors.New("the sign-in provider cannot be reached")

// ErrTooManyAttempts: too many sign-ins under way from the client's address.
var ErrTooManyAttempts = errors.New("too many sign-ins under way")

// Why a sign-in is refused. Each is a Refusal's Reason and a label of the refused-logins metric
// (prefixed sso_).
const (
	ReasonState         = "state"          // unknown, used or expired state: a replay, or too slow
	ReasonBrowser       = "browser"        // the callback came to another browser than the one that started
	ReasonProvider      = "provider_error" // the provider answered with an error (e.g. the person cancelled)
	ReasonCode          = "code"           // the provider refused to exchange the code
	ReasonToken         = "token"          // the ID token failed verification (signature, issuer, audience, expiry)
	ReasonNonce         = "nonce"          // the ID token's nonce is not the one sent
	ReasonNoEmail       = "no_email"       // the provider gave no usable e-mail
	ReasonUnverified    = "email_unverified"
	ReasonDomain        = "domain"   // the e-mail's domain is not allowed
	ReasonUnknown       = "unknown"  // no user has the e-mail and users are not created
	ReasonDisabled      = "disabled" // the user is disabled
	ReasonNoGroup       = "no_group" // group mapping is on and the person is in no mapped group
	ReasonIdentityTaken = "identity_taken"
)

// Refusal is a sign-in refused for a reason the person can be told. Status is the HTTP status to answer
// with.
type Refusal struct {
	Reason  string
	Status  int
	Message string
}

func (r *Refusal) Error() string { return "single sign-on refused (" + r.Reason + "): " + r.Message }

func refuse(reason string, status int, msg string) *Refusal {
	return &Refusal{Reason: reason, Status: status, Message: msg}
}

// Service runs single sign-on with one provider.
type Service struct {
	cfg         config.OIDCConfig
	redirectURL string
	store       *store.Store
	auth        *auth.Service
	log         *slog.Logger
	client      *http.Client

	mu       sync.Mutex
	provider *oidc.Provider // discovered at the first sign-in, then kept
	verifier *oidc.IDTokenVerifier
}

// New returns the Service for cfg (which must be Enabled); baseURL is the service's public URL.
func New(cfg config.OIDCConfig, baseURL string, st *store.Store, a *auth.Service, log *slog.Logger) *Service {
	return &Service{cfg: cfg, redirectURL: strings.TrimRight(baseURL, "/") + CallbackPath, store: st, auth: a, log: log,
		client: &http.Client{Timeout: 15 * time.Second}}
}

// ProviderName is the name shown on the login page.
func (s *Service) ProviderName() string { return s.cfg.ProviderName }

// PasswordLogin reports whether password login stays on beside single sign-on.
func (s *Service) PasswordLogin() bool { return s.cfg.PasswordLogin }

// RedirectURL is the redirect URI registered at the provider.
func (s *Service) RedirectURL() string { return s.redirectURL }

// ctx returns a context whose HTTP calls go through the service's client. It does not end with the
// request: go-oidc keeps the context it discovers with for fetching the provider's keys later.
func (s *Service) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(context.WithoutCancel(ctx), s.client)
}

// discover returns the provider, reading its discovery document at the first call (and again after a
// failure).
func (s *Service) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.provider != nil {
		return s.provider, s.verifier, nil
	}
	p, err := oidc.NewProvider(s.ctx(ctx), s.cfg.Issuer)
	if err != nil {
		s.log.Warn("single sign-on: provider discovery failed", "issuer", s.cfg.Issuer, "error", err)
		return nil, nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	s.provider = p
	s.verifier = p.Verifier(&oidc.Config{ClientID: s.cfg.ClientID})
	return s.provider, s.verifier, nil
}

// Discover reads the provider's discovery document now, so a misconfigured issuer shows in the log at
// start rather than at the first sign-in.
func (s *Service) Discover(ctx context.Context) error {
	_, _, err := s.discover(ctx)
	return err
}

func (s *Service) oauth2Config(p *oidc.Provider) *oauth2.Config {
	scopes := append([]string{oidc.ScopeOpenID, "email", "profile"}, s.cfg.ExtraScopes...)
	return &oauth2.Config{ClientID: s.cfg.ClientID, ClientSecret: s.cfg.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: s.redirectURL, Scopes: scopes}
}

// NewBrowserSecret returns a new secret for the cookie binding sign-ins to a browser.
func NewBrowserSecret() string { return secret.New(BrowserPrefix) }

// ValidBrowserSecret reports whether v can be a browser secret (a cookie of ours, not any string).
func ValidBrowserSecret(v string) bool {
	return strings.HasPrefix(v, BrowserPrefix) && len(v) == len(BrowserPrefix)+43
}

// Start begins a sign-in from the browser holding browserSecret and returns the provider's URL to send
// it to. next is where to go once signed in (a local path, checked by the caller).
func (s *Service) Start(ctx context.Context, browserSecret, next string, c auth.Client) (string, error) {
	p, _, err := s.discover(ctx)
	if err != nil {
		return "", err
	}
	state, nonce, verifier := rand.Text()+rand.Text(), rand.Text()+rand.Text(), oauth2.GenerateVerifier()
	err = s.store.CreateSSOAttempt(ctx, store.SSOAttempt{StateHash: secret.Hash(state), BrowserHash: secret.Hash(browserSecret),
		Nonce: nonce, Verifier: verifier, Next: next, IP: c.IP, ExpiresAt: time.Now().Add(AttemptTTL)}, maxAttemptsPerIP)
	if errors.Is(err, store.ErrTooManyAttempts) {
		return "", ErrTooManyAttempts
	}
	if err != nil {
		return "", err
	}
	return s.oauth2Config(p).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Callback is what the provider sent the browser back with.
type Callback struct {
	State            string
	Code             string
	Error            string // the provider's error code, e.g. access_denied
	ErrorDescription string
}

// Identity is what the provider says of the person, once verified.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified *bool
	Name          string
	Groups        []string
}

// Finish ends a sign-in: the state is taken (used once), the code exchanged with the PKCE verifier, the
// ID token verified, the person matched to a user and a browser session opened. It returns the session
// and where to go. A refused sign-in is a *Refusal, and changes nothing but the audit log.
func (s *Service) Finish(ctx context.Context, browserSecret string, cb Callback, c auth.Client) (auth.Session, string, error) {
	sess, next, id, err := s.finish(ctx, browserSecret, cb, c)
	var r *Refusal
	if errors.As(err, &r) {
		metrics.LoginRefused("sso_" + r.Reason)
		if r.Reason != ReasonState && r.Reason != ReasonBrowser {
			details := map[string]any{"method": "sso", "reason": r.Reason}
			if id.Subject != "" {
				details["subject"] = id.Subject
			}
			_ = s.store.Audit(ctx, store.AuditEntry{Action: "login.failed", Subject: id.Email, IP: c.IP, Details: details})
		}
	}
	return sess, next, err
}

func (s *Service) finish(ctx context.Context, browserSecret string, cb Callback, c auth.Client) (auth.Session, string, Identity, error) {
	if cb.State == "" {
		return auth.Session{}, "", Identity{}, refuse(ReasonState, http.StatusBadRequest, "This sign-in link is incomplete. Start again.")
	}
	att, err := s.store.TakeSSOAttempt(ctx, secret.Hash(cb.State))
	if errors.Is(err, store.ErrNotFound) {
		return auth.Session{}, "", Identity{}, refuse(ReasonState, http.StatusBadRequest,
			"This sign-in was already used or is unknown. Start again from the sign-in page.")
	}
	if err != nil {
		return auth.Session{}, "", Identity{}, err
	}
	if time.Now().After(att.ExpiresAt) {
		return auth.Session{}, "", Identity{}, refuse(ReasonState, http.StatusBadRequest,
			"This sign-in took too long and has expired. Start again from the sign-in page.")
	}
	if browserSecret == "" || subtle.ConstantTimeCompare(att.BrowserHash, secret.Hash(browserSecret)) != 1 {
		return auth.Session{}, "", Identity{}, refuse(ReasonBrowser, http.StatusBadRequest,
			"This sign-in was started in another browser. Start again from the sign-in page in this one.")
	}
	if cb.Error != "" {
		return auth.Session{}, "", Identity{}, refuse(ReasonProvider, http.StatusForbidden,
			"The sign-in provider did not sign you in ("+clip(cb.Error, 60)+"). Start again, or ask your administrator.")
	}
	if cb.Code == "" {
		return auth.Session{}, "", Identity{}, refuse(ReasonCode, http.StatusBadRequest, "The sign-in provider sent no code. Start again.")
	}
	p, verifier, err := s.discover(ctx)
	if err != nil {
		return auth.Session{}, "", Identity{}, err
	}
	tok, err := s.oauth2Config(p).Exchange(s.ctx(ctx), cb.Code, oauth2.VerifierOption(att.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			s.log.Warn("single sign-on: the provider refused the code", "error_code", re.ErrorCode, "status", re.Response.StatusCode)
			return auth.Session{}, "", Identity{}, refuse(ReasonCode, http.StatusBadRequest, "The sign-in provider did not accept this sign-in. Start again.")
		}
		return auth.Session{}, "", Identity{}, fmt.Errorf("%w: token endpoint: %v", ErrUnavailable, err)
	}
	id, err := s.verify(ctx, p, verifier, tok, att.Nonce)
	if err != nil {
		return auth.Session{}, "", id, err
	}
	sess, err := s.signIn(ctx, id, c)
	return sess, att.Next, id, err
}

// verify checks the ID token of tok (signature by the provider's keys, issuer, audience, expiry, then the
// nonce and the access token's hash) and returns who it names, with the claims the ID token lacks taken
// from the userinfo endpoint.
func (s *Service) verify(ctx context.Context, p *oidc.Provider, verifier *oidc.IDTokenVerifier, tok *oauth2.Token, nonce string) (Identity, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider sent no ID token.")
	}
	idt, err := verifier.Verify(s.ctx(ctx), raw)
	if err != nil {
		s.log.Warn("single sign-on: ID token refused", "error", err)
		return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider's answer could not be verified. Start again, or ask your administrator.")
	}
	if len(idt.Audience) > 1 {
		var azp struct {
			AZP string `json:"azp"`
		}
		if err := idt.Claims(&azp); err != nil || azp.AZP != s.cfg.ClientID {
			return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider's answer was meant for another application.")
		}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		s.log.Warn("single sign-on: ID token with the wrong nonce")
		return Identity{}, refuse(ReasonNonce, http.StatusForbidden, "The sign-in provider's answer does not belong to this sign-in. Start again.")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider's answer could not be verified.")
		}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider's answer could not be read.")
	}
	_, hasEmail := claims["email"]
	_, hasGroups := claims[s.cfg.GroupsClaim]
	if (!hasEmail || (s.cfg.MapsGroups() && !hasGroups)) && p.UserInfoEndpoint() != "" {
		ui, err := p.UserInfo(s.ctx(ctx), oauth2.StaticTokenSource(tok))
		if err != nil {
			return Identity{}, fmt.Errorf("%w: userinfo: %v", ErrUnavailable, err)
		}
		if ui.Subject != idt.Subject {
			return Identity{}, refuse(ReasonToken, http.StatusForbidden, "The sign-in provider's userinfo names someone else.")
		}
		more := map[string]any{}
		if err := ui.Claims(&more); err == nil {
			for k, v := range more {
				if _, ok := claims[k]; !ok {
					claims[k] = v
				}
			}
		}
	}
	id := Identity{Issuer: idt.Issuer, Subject: idt.Subject}
	if e, ok := claims["email"].(string); ok {
		id.Email = auth.NormalizeEmail(e)
	}
	switch v := claims["email_verified"].(type) {
	case bool:
		id.EmailVerified = &v
	case string: // some providers send "true"/"false"
		b := v == "true"
		id.EmailVerified = &b
	}
	id.Name = nameOf(claims, id.Email)
	id.Groups = stringsOf(claims[s.cfg.GroupsClaim])
	return id, nil
}

// signIn matches id to a user (by the linked identity, else by e-mail, else a new user when allowed),
// applies the group mapping and opens a session, all in one transaction: a refusal changes nothing.
func (s *Service) signIn(ctx context.Context, id Identity, c auth.Client) (auth.Session, error) {
	at := strings.LastIndex(id.Email, "@")
	if id.Email == "" || at < 1 || at == len(id.Email)-1 || len(id.Email) > 254 {
		return auth.Session{}, refuse(ReasonNoEmail, http.StatusForbidden,
			"The sign-in provider did not share your e-mail address, which exitinterview needs to know who you are. Ask your administrator.")
	}
	if id.EmailVerified != nil && !*id.EmailVerified {
		return auth.Session{}, refuse(ReasonUnverified, http.StatusForbidden,
			"Your e-mail address is not verified at the sign-in provider. Verify it there, then sign in again.")
	}
	if len(s.cfg.AllowedDomains) > 0 {
		domain := id.Email[at+1:]
		allowed := false
		for _, d := range s.cfg.AllowedDomains {
			allowed = allowed || d == domain
		}
		if !allowed {
			return auth.Session{}, refuse(ReasonDomain, http.StatusForbidden,
				"Accounts of "+domain+" cannot sign in here. Sign in with your company account.")
		}
	}
	role, mapped := s.roleOf(id.Groups)
	if s.cfg.MapsGroups() && !mapped {
		return auth.Session{}, refuse(ReasonNoGroup, http.StatusForbidden,
			"You are not in any group that may use exitinterview. Ask your administrator to add you to one.")
	}
	details := map[string]any{"method": "sso", "issuer": id.Issuer, "subject": id.Subject}
	var sess auth.Session
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		u, err := tx.UserBySSOIdentity(ctx, id.Issuer, id.Subject)
		linked := err == nil
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if !linked {
			u, err = tx.UserByEmail(ctx, id.Email)
			switch {
			case errors.Is(err, store.ErrNotFound):
				if !s.cfg.CreateUsers {
					return refuse(ReasonUnknown, http.StatusForbidden,
						"There is no exitinterview account for "+id.Email+". Ask an administrator to add you.")
				}
				if !mapped {
					role = store.Role(s.cfg.CreateRole)
				}
				if u, err = tx.CreateUser(ctx, store.NewUser{Email: id.Email, Name: id.Name, Role: role}); err != nil {
					return err
				}
				if err := tx.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "user.created", Subject: u.Email, IP: c.IP,
					Details: map[string]any{"role": string(u.Role), "method": "sso", "issuer": id.Issuer}}); err != nil {
					return err
				}
			case err != nil:
				return err
			}
			if u.Disabled {
				return refuse(ReasonDisabled, http.StatusForbidden, "Your exitinterview account is disabled. Ask an administrator.")
			}
			err = tx.LinkSSOIdentity(ctx, u.ID, id.Issuer, id.Subject, id.Email)
			if errors.Is(err, store.ErrIdentityTaken) {
				return refuse(ReasonIdentityTaken, http.StatusForbidden,
					"The exitinterview account of "+id.Email+" is linked to another account at the sign-in provider. Ask an administrator.")
			}
			if err != nil {
				return err
			}
		} else if err := tx.TouchSSOIdentity(ctx, id.Issuer, id.Subject, id.Email); err != nil {
			return err
		}
		if u.Disabled {
			return refuse(ReasonDisabled, http.StatusForbidden, "Your exitinterview account is disabled. Ask an administrator.")
		}
		if mapped && u.Role != role {
			from := u.Role
			if u, err = tx.SetUserRole(ctx, u.ID, role); err != nil {
				return err
			}
			if err := tx.Audit(ctx, store.AuditEntry{ActorUserID: u.ID, Action: "user.role_changed", Subject: u.Email, IP: c.IP,
				Details: map[string]any{"from": string(from), "to": string(role), "method": "sso groups"}}); err != nil {
				return err
			}
		}
		sess, err = s.auth.OpenSession(ctx, tx, u, c, details)
		return err
	})
	if err != nil {
		return auth.Session{}, err
	}
	return sess, nil
}

// roleOf returns the most powerful role that groups map to, and whether any does.
func (s *Service) roleOf(groups []string) (store.Role, bool) {
	in := func(list []string) bool {
		for _, g := range list {
			for _, have := range groups {
				if g == have {
					return true
				}
			}
		}
		return false
	}
	switch {
	case in(s.cfg.AdminGroups):
		return store.RoleAdmin, true
	case in(s.cfg.ManagerGroups):
		return store.RoleManager, true
	case in(s.cfg.SuccessorGroups):
		return store.RoleSuccessor, true
	}
	return "", false
}

// nameOf is the person's name from the claims, else their e-mail's local part.
func nameOf(claims map[string]any, email string) string {
	name, _ := claims["name"].(string)
	if strings.TrimSpace(name) == "" {
		given, _ := claims["given_name"].(string)
		family, _ := claims["family_name"].(string)
		name = given + " " + family
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	return clip(name, 200)
}

// stringsOf reads a groups claim: a list of strings, or one string.
func stringsOf(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
