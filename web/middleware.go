package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// contentSecurityPolicy allows scripts, styles and images from this origin only: no inline script, so a
// captured answer that slipped through escaping still could not run.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// Invite links carry secrets in their path: never send a URL of ours to another site.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		// Responses carry customer knowledge and secrets: no cache keeps them. Static assets, named by
		// their content's hash, replace this with their own long-lived header.
		h.Set("Cache-Control", "no-store")
		if s.cfg.SecureCookies() {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// crossOrigin rejects state-changing requests a browser sends from another site (CSRF), by the
// Sec-Fetch-Site and Origin headers that browsers set and pages cannot forge. Programs calling the API
// with a bearer token send neither and are not affected.
func (s *Server) crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return newError(http.StatusForbidden, "cross_origin", "Cross-site requests are not allowed.")
			}
			return next(c)
		}
	}
}

func (s *Server) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogLatency: true, LogMethod: true, LogRoutePath: true, LogRequestID: true, LogRemoteIP: true,
		LogResponseSize: true, LogError: true,
		// The route pattern, not the URI: paths and queries may carry invite secrets or customer names.
		// The status is the one answered: an error's is written only after this middleware returns.
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.RoutePath == "/healthz" || v.RoutePath == "/readyz" || strings.HasPrefix(v.RoutePath, "/static/") {
				level = slog.LevelDebug
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", v.RoutePath), slog.Int("status", answeredStatus(c, v.Error)),
				slog.Float64("latency_ms", float64(v.Latency.Microseconds())/1000),
				slog.String("remote_ip", v.RemoteIP), slog.Int64("bytes_out", v.ResponseSize))
			return nil
		},
	})
}

func (s *Server) recoverer() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "request_id", requestID(c), "route", c.Path(), "error", err, "stack", string(stack))
			return err
		},
	})
}

const (
	ctxUser      = "user"
	ctxVia       = "via" // "session" or "token"
	ctxInterview = "csm_interview"
	ctxInviteErr = "csm_invite_error"
)

// authenticate finds who is calling: a bearer token (a wrong one is a 401 at once: the caller asked to be
// someone), the session cookie (a stale one is cleared and the caller is anonymous), and the CSM's invite
// (a bearer invite token or the invite cookie).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if c.Path() == metricsRoute {
			return next(c) // its bearer token is the metrics token, checked by metricsEndpoint
		}
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			token = strings.TrimSpace(token)
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				return newError(http.StatusUnauthorized, "unauthenticated", "Use Authorization: Bearer <token>.")
			}
			if strings.HasPrefix(token, interview.InvitePrefix) {
				iv, err := s.interviewByInvite(ctx, token)
				if errors.Is(err, store.ErrHandedOver) {
					return handedOverError(c)
				}
				if err != nil {
					return inviteError(err)
				}
				c.Set(ctxInterview, iv)
				return next(c)
			}
			u, err := s.auth.UserByAPIToken(ctx, token)
			if errors.Is(err, auth.ErrUnauthenticated) {
				return newError(http.StatusUnauthorized, "invalid_token", "The token is not valid, or it was revoked.")
			}
			if err != nil {
				return err
			}
			c.Set(ctxUser, u)
			c.Set(ctxVia, "token")
			return next(c)
		}
		if cookie, err := c.Cookie(s.sessionCookieName()); err == nil && cookie.Value != "" {
			u, err := s.auth.UserBySession(ctx, cookie.Value)
			switch {
			case err == nil:
				c.Set(ctxUser, u)
				c.Set(ctxVia, "session")
			case errors.Is(err, auth.ErrUnauthenticated):
				s.clearSessionCookie(c)
			default:
				return err
			}
		}
		if cookie, err := c.Cookie(inviteCookieName); err == nil && cookie.Value != "" {
			iv, err := s.interviewByInvite(ctx, cookie.Value)
			switch {
			case err == nil:
				c.Set(ctxInterview, iv)
			case errors.Is(err, interview.ErrInviteExpired), errors.Is(err, interview.ErrInviteRevoked), errors.Is(err, store.ErrHandedOver):
				c.Set(ctxInviteErr, err)
			case errors.Is(err, store.ErrNotFound):
				s.clearInviteCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

// requireCSM lets through the holder of a valid invite, for their own interview only.
func requireCSM(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := c.Get(ctxInterview).(store.Interview); ok {
			return next(c)
		}
		if err, ok := c.Get(ctxInviteErr).(error); ok {
			if errors.Is(err, store.ErrHandedOver) {
				return handedOverError(c)
			}
			return inviteError(err)
		}
		return newError(http.StatusUnauthorized, "unauthenticated", "Open the invite link your manager sent you.")
	}
}

// interviewByInvite returns the interview an invite token opens. The invite of a handed-over interview
// was revoked with the handover; it gives ErrHandedOver, so the CSM learns why rather than that their
// link was replaced.
func (s *Server) interviewByInvite(ctx context.Context, token string) (store.Interview, error) {
	iv, err := s.ivs.InterviewByInvite(ctx, token)
	if iv.ID != "" && iv.Status == "handed_over" {
		return iv, store.ErrHandedOver
	}
	return iv, err
}

// The answers to a CSM whose interview was handed over: reading it is gone (410), changing it conflicts
// with the handover (409). A manager asking for a new invite link afterwards gets the 409 too.
var (
	errHandedOverRead = newError(http.StatusGone, "handed_over",
		"This interview was handed over to your successors, so this link is closed. Thank you for your time!")
	errHandedOverChange = newError(http.StatusConflict, "handed_over",
		"This interview was handed over to your successors, so it can no longer be changed: corrections, approvals and answers are closed.")
	errNoInviteAfterHandover = newError(http.StatusConflict, "handed_over",
		"This session was handed over: its invite link is closed and no new one can be created.")
)

// handedOverError is the answer to a CSM's request on a handed-over interview.
func handedOverError(c echo.Context) error {
	if c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead {
		return errHandedOverRead
	}
	return errHandedOverChange
}

// csmInterview returns the interview of the CSM calling.
func csmInterview(c echo.Context) store.Interview {
	iv, _ := c.Get(ctxInterview).(store.Interview)
	return iv
}

func inviteError(err error) error {
	switch {
	case errors.Is(err, interview.ErrInviteExpired):
		return newError(http.StatusUnauthorized, "invite_expired", "This invite link has expired. Ask your manager for a new one.")
	case errors.Is(err, interview.ErrInviteRevoked):
		return newError(http.StatusUnauthorized, "invite_revoked", "This invite link was replaced or withdrawn. Ask your manager for the current one.")
	case errors.Is(err, store.ErrNotFound):
		return newError(http.StatusUnauthorized, "invalid_invite", "This invite link is not valid.")
	}
	return err
}

// currentUser returns the authenticated user, if any.
func currentUser(c echo.Context) (store.User, bool) {
	u, ok := c.Get(ctxUser).(store.User)
	return u, ok
}

// requireRole lets through authenticated users holding one of roles (any role when none is named).
// Anonymous callers get a 401 (the login page in a browser), others a 403.
func requireRole(roles ...store.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, ok := currentUser(c)
			if !ok {
				if _, csm := c.Get(ctxInterview).(store.Interview); csm {
					return errForbidden // an invite opens the CSM's own interview and nothing else
				}
				return auth.ErrUnauthenticated
			}
			if len(roles) == 0 {
				return next(c)
			}
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return errForbidden
		}
	}
}
