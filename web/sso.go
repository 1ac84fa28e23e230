package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/sso"
)

// ssoCookieName binds a single sign-on under way to the browser that started it (see package sso).
func (s *Server) ssoCookieName() string { return s.cookieName("exitinterview_sso") }

// ssoBrowserSecret returns the browser's binding secret, making a new one when it holds none. Several
// sign-ins started in several tabs share it.
func (s *Server) ssoBrowserSecret(c echo.Context) string {
	if ck, err := c.Cookie(s.ssoCookieName()); err == nil && sso.ValidBrowserSecret(ck.Value) {
		return ck.Value
	}
	return sso.NewBrowserSecret()
}

// ssoStart sends the browser to the provider to sign in; a signed-in user goes home instead.
func (s *Server) ssoStart(c echo.Context) error {
	if s.sso == nil {
		return errNotFound
	}
	next := safeNext(c.QueryParam("next"))
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, next)
	}
	browser := s.ssoBrowserSecret(c)
	to, err := s.sso.Start(c.Request().Context(), browser, next, clientOf(c))
	switch {
	case errors.Is(err, sso.ErrUnavailable):
		return s.renderLogin(c, http.StatusBadGateway, s.loginForm(next,
			"The sign-in provider cannot be reached right now. Try again in a moment."))
	case errors.Is(err, sso.ErrTooManyAttempts):
		c.Response().Header().Set("Retry-After", "600")
		return s.renderLogin(c, http.StatusTooManyRequests, s.loginForm(next,
			"Too many sign-ins were started from your network. Wait a few minutes, then try again."))
	case err != nil:
		return err
	}
	c.SetCookie(&http.Cookie{
		Name: s.ssoCookieName(), Value: browser, Path: "/", MaxAge: int(sso.AttemptTTL / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
	return c.Redirect(http.StatusSeeOther, to)
}

// ssoCallback finishes a sign-in when the provider sends the browser back: the same new session as a
// password login, any session the browser held ended.
func (s *Server) ssoCallback(c echo.Context) error {
	if s.sso == nil {
		return errNotFound
	}
	browser := ""
	if ck, err := c.Cookie(s.ssoCookieName()); err == nil {
		browser = ck.Value
	}
	sess, next, err := s.sso.Finish(c.Request().Context(), browser, sso.Callback{
		State: c.QueryParam("state"), Code: c.QueryParam("code"),
		Error: c.QueryParam("error"), ErrorDescription: c.QueryParam("error_description"),
	}, clientOf(c))
	var refusal *sso.Refusal
	switch {
	case errors.As(err, &refusal):
		return s.renderLogin(c, refusal.Status, s.loginForm("/", refusal.Message))
	case errors.Is(err, sso.ErrUnavailable):
		return s.renderLogin(c, http.StatusBadGateway, s.loginForm("/",
			"The sign-in provider cannot be reached right now. Try again in a moment."))
	case err != nil:
		return err
	}
	s.startSession(c, sess)
	return c.Redirect(http.StatusSeeOther, safeNext(next))
}
