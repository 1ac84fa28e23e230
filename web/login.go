package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
)

type loginForm struct {
	Email   string
	Next    string
	Message string
	// SSO names the single sign-on provider when it is configured ("" otherwise); Password is whether
	// the password form is shown.
	SSO      string
	Password bool
}

// loginForm returns the login page's form for next, with message.
func (s *Server) loginForm(next, message string) loginForm {
	f := loginForm{Next: next, Message: message, Password: true}
	if s.sso != nil {
		f.SSO, f.Password = s.sso.ProviderName(), s.sso.PasswordLogin()
	}
	return f
}

// clientOf describes the caller for sessions and the audit log. The User-Agent is only recorded, never
// checked, so bytes that are not text are replaced rather than refused.
func clientOf(c echo.Context) auth.Client {
	ua := strings.ToValidUTF8(strings.ReplaceAll(c.Request().UserAgent(), "\x00", ""), "\uFFFD")
	return auth.Client{IP: c.RealIP(), UserAgent: ua}
}

// loginPage shows the login form, or goes home when already logged in.
func (s *Server) loginPage(c echo.Context) error {
	if _, ok := currentUser(c); ok {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	return s.renderLogin(c, http.StatusOK, s.loginForm(safeNext(c.QueryParam("next")), ""))
}

// loginSubmit checks the credentials and opens a new session: a fresh secret every time, and any session
// the browser already held is ended, so a planted cookie never becomes a logged-in one.
func (s *Server) loginSubmit(c echo.Context) error {
	form := s.loginForm(safeNext(c.FormValue("next")), "")
	if !form.Password {
		form.Message = "Signing in with a password is turned off here: sign in with " + form.SSO + "."
		return s.renderLogin(c, http.StatusForbidden, form)
	}
	form.Email = strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	if form.Email == "" || password == "" {
		form.Message = "Enter your email and password."
		return s.renderLogin(c, http.StatusBadRequest, form)
	}
	sess, err := s.auth.Login(c.Request().Context(), form.Email, password, clientOf(c))
	var rl *auth.RateLimitedError
	switch {
	case errors.Is(err, auth.ErrInvalidCredentials):
		form.Message = "That email and password do not match an account."
		return s.renderLogin(c, http.StatusUnauthorized, form)
	case errors.As(err, &rl):
		// Every refusal before a password is checked is decided in auth (Service.refuse).
		form.Message = "Too many failed attempts. Wait a few minutes, then try again."
		if rl.Reason == auth.RefusedBusy {
			form.Message = "Too many people are signing in right now. Try again in a moment."
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(max(time.Second, rl.RetryAfter).Seconds())))
		return s.renderLogin(c, http.StatusTooManyRequests, form)
	case err != nil:
		return err
	}
	s.startSession(c, sess)
	return c.Redirect(http.StatusSeeOther, form.Next)
}

func (s *Server) renderLogin(c echo.Context, status int, form loginForm) error {
	return s.render(c, status, "login.html", pageData{Title: "Sign in", Data: form})
}

// logout ends the session and returns to the login page.
func (s *Server) logout(c echo.Context) error {
	u, _ := currentUser(c)
	if cookie, err := c.Cookie(s.sessionCookieName()); err == nil {
		if err := s.auth.Logout(c.Request().Context(), cookie.Value, u, clientOf(c)); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}
