package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// sessionCookieName uses the __Host- prefix over TLS, which browsers only accept as Secure, host-only
// and for the whole site.
func (s *Server) sessionCookieName() string {
	if s.cfg.SecureCookies() {
		return "__Host-exitinterview_session"
	}
	return "exitinterview_session"
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
