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
