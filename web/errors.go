package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// apiError is an error with everything the response needs. Handlers return it (or a domain error that
// handleError maps) and never write error responses themselves.
type apiError struct {
	Status  int               `json:"-"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message}
}

// retryError is an API error that says when the request may be made again (Retry-After).
type retryError struct {
	*apiError
	after time.Duration
}

func (e *retryError) Unwrap() error { return e.apiError }

var (
	errForbidden = newError(http.StatusForbidden, "forbidden", "You do not have access to this.")
	errNotFound  = newError(http.StatusNotFound, "not_found", "Not found: nothing is at this address, or you cannot see it.")
)

// codes names the statuses Echo itself produces.
var codes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "body_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "rate_limited",
	http.StatusServiceUnavailable:    "unavailable",
}

// classify turns any error a handler returns into the response's status, code, message and fields.
func classify(err error) *apiError {
	var ae *apiError
	var he *echo.HTTPError
	var ve validation.Errors
	var rl *auth.RateLimitedError
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &ve):
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_input", Message: "Some fields are not valid.", Fields: ve}
	case errors.As(err, &rl):
		return newError(http.StatusTooManyRequests, "rate_limited", "Too many failed attempts. Try again later.")
	case errors.Is(err, auth.ErrUnauthenticated):
		return newError(http.StatusUnauthorized, "unauthenticated", "Authentication required.")
	case errors.Is(err, store.ErrHandedOver):
		return errHandedOverChange
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case dbUnavailable(err):
		return errUnavailable
	case errors.Is(err, context.DeadlineExceeded):
		return newError(http.StatusServiceUnavailable, "timeout", "The request took too long. Please try again.")
	case errors.As(err, &he) && he.Code == http.StatusNotFound:
		return errNotFound
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		code := codes[he.Code]
		if code == "" {
			code = strings.ReplaceAll(strings.ToLower(http.StatusText(he.Code)), " ", "_")
		}
		return newError(he.Code, code, sentence(msg))
	default:
		return newError(http.StatusInternalServerError, "internal", "Something went wrong on our side. It has been logged.")
	}
}

// handleError is Echo's one error handler: it logs server errors once and answers in the API's JSON error
// shape on API routes, with a page (or a redirect to the login) in the browser. A 503 (the database out of
// reach, a request that took too long, a busy interview) says when to try again.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	e := classify(err)
	switch {
	case e == errUnavailable:
		s.log.Warn("request failed: the database is out of reach", "request_id", requestID(c), "route", c.Path(), "error", err)
	case e.Status >= 500:
		s.log.Error("request failed", "request_id", requestID(c), "route", c.Path(), "error", err)
	}
	var rl *auth.RateLimitedError
	if errors.As(err, &rl) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter.Seconds())))
	}
	var re *retryError
	if errors.As(err, &re) {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(re.after.Seconds())))
	}
	if e.Status == http.StatusUnauthorized && c.Path() == mcpRoute {
		// RFC 6750: the MCP endpoint takes a bearer token and nothing else, and says so.
		c.Response().Header().Set("WWW-Authenticate", mcpChallenge(c))
	}
	if e.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", retryAfterUnavailable)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(e.Status)
		return
	}
	if isAPI(c) {
		_ = c.JSON(e.Status, map[string]*apiError{"error": e})
		return
	}
	if e.Status == http.StatusUnauthorized {
		_ = c.Redirect(http.StatusSeeOther, loginURL(c.Request().URL.RequestURI()))
		return
	}
	// Without the database there is no user to show a menu for: a plain page.
	_ = s.render(c, e.Status, "error.html", pageData{Title: http.StatusText(e.Status), Error: e, Bare: e == errUnavailable})
}

func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz" || p == mcpRoute
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// sentence makes Echo's lower-case messages read as sentences.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
