package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
)

// cookieName is the name of the cookie called base, with the __Host- prefix over TLS, which browsers
// only accept as Secure, host-only and for the whole site.
func (s *Server) cookieName(base string) string {
	if s.cfg.SecureCookies() {
		return "__Host-" + base
	}
	return base
}

func (s *Server) sessionCookieName() string { return s.cookieName("exitinterview_session") }

// startSession gives the browser sess's cookie, first ending the session it held (a new sign-in never
// carries an old session on).
func (s *Server) startSession(c echo.Context, sess auth.Session) {
	if old, err := c.Cookie(s.sessionCookieName()); err == nil && old.Value != "" {
		if u, ok := currentUser(c); ok {
			_ = s.auth.Logout(c.Request().Context(), old.Value, u, clientOf(c))
		}
	}
	s.setSessionCookie(c, sess.Secret, sess.ExpiresAt)
}

func (s *Server) setSessionCookie(c echo.Context, secret string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: s.sessionCookieName(), Value: secret, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: s.sessionCookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// inviteCookieName holds the CSM's invite token after they chose "Continue" on the invite page; it opens
// only their own interview.
const inviteCookieName = "exitinterview_invite"

func (s *Server) setInviteCookie(c echo.Context, token string, expires time.Time) {
	c.SetCookie(&http.Cookie{
		Name: inviteCookieName, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearInviteCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name: inviteCookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}
