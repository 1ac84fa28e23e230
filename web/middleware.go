package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/exitinterview/exitinterview/auth"
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
		LogResponseSize: true,
		// The route pattern, not the URI: paths and queries may carry invite secrets or customer names.
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.RoutePath == "/healthz" || v.RoutePath == "/readyz" || strings.HasPrefix(v.RoutePath, "/static/") {
				level = slog.LevelDebug
			}
			s.log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", v.RoutePath), slog.Int("status", v.Status),
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
	ctxUser = "user"
	ctxVia  = "via" // "session" or "token"
)

// authenticate finds who is calling: a bearer token (a wrong one is a 401 at once: the caller asked to be
// someone) or the session cookie (a stale one is cleared and the caller is anonymous).
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				return newError(http.StatusUnauthorized, "unauthenticated", "Use Authorization: Bearer <token>.")
			}
			u, err := s.auth.UserByAPIToken(ctx, strings.TrimSpace(token))
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
		return next(c)
	}
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
