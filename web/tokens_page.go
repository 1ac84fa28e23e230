package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type tokensPageData struct {
	Tokens []tokenJSON
	Form   map[string]string
	Fields validation.Errors
	// Secret is the token just created, shown this once.
	Secret     string
	SecretName string
	Notice     string
	Lifetimes  []int // the choices of lifetime, in days
	// Owner is another user whose tokens an admin is looking at; nil for one's own.
	Owner *store.User
}

// tokensPage lists the signed-in user's API tokens with a form to create one; with ?user_id= an admin
// sees another user's tokens, to revoke them.
func (s *Server) tokensPage(c echo.Context) error {
	d := tokensPageData{Form: map[string]string{"expires_in_days": strconv.Itoa(s.defaultTokenDays())}}
	if c.QueryParam("revoked") == "1" {
		d.Notice = "The token was revoked. Programs using it are refused from now on."
	}
	me, _ := currentUser(c)
	if id := c.QueryParam("user_id"); id != "" && id != me.ID {
		if me.Role != store.RoleAdmin {
			return errForbidden
		}
		owner, err := s.store.UserByID(c.Request().Context(), id)
		if err != nil {
			return err
		}
		d.Owner = &owner
	}
	return s.renderTokens(c, http.StatusOK, d)
}

// tokensPageCreate creates a token from the form and shows its secret once.
func (s *Server) tokensPageCreate(c echo.Context) error {
	d := tokensPageData{Form: map[string]string{"name": c.FormValue("name"), "expires_in_days": c.FormValue("expires_in_days")}}
	u, _ := currentUser(c)
	days, err := strconv.Atoi(strings.TrimSpace(d.Form["expires_in_days"]))
	if err != nil || days < 1 || days > 3650 {
		d.Fields = validation.Errors{"expires_in_days": "must be between 1 and 3650 days"}
		return s.renderTokens(c, http.StatusBadRequest, d)
	}
	secret, t, err := s.auth.IssueAPIToken(c.Request().Context(), u, d.Form["name"], time.Duration(days)*24*time.Hour, u.ID, clientOf(c))
	var fields validation.Errors
	if errors.As(err, &fields) {
		d.Fields = fields
		return s.renderTokens(c, http.StatusBadRequest, d)
	}
	if err != nil {
		return accountConflict(err)
	}
	d.Secret, d.SecretName = secret, t.Name
	d.Form = map[string]string{"expires_in_days": strconv.Itoa(s.defaultTokenDays())}
	return s.renderTokens(c, http.StatusOK, d)
}

// tokensPageRevoke revokes one of the user's tokens from the page.
func (s *Server) tokensPageRevoke(c echo.Context) error {
	u, _ := currentUser(c)
	t, err := s.auth.RevokeAPIToken(c.Request().Context(), c.Param("id"), &u, clientOf(c))
	if err != nil {
		return err
	}
	if t.UserID != u.ID { // an admin revoking someone else's: back to that user's list
		return c.Redirect(http.StatusSeeOther, "/tokens?user_id="+url.QueryEscape(t.UserID)+"&revoked=1")
	}
	return c.Redirect(http.StatusSeeOther, "/tokens?revoked=1")
}

func (s *Server) defaultTokenDays() int {
	return max(1, int(s.auth.TokenTTL()/(24*time.Hour)))
}

func (s *Server) renderTokens(c echo.Context, status int, d tokensPageData) error {
	u, _ := currentUser(c)
	if d.Owner != nil {
		u = *d.Owner
	}
	tokens, err := s.store.APITokens(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		d.Tokens = append(d.Tokens, toTokenJSON(t))
	}
	def := s.defaultTokenDays()
	d.Lifetimes = []int{7, 30, 90, 180, 365}
	if !slices.Contains(d.Lifetimes, def) {
		d.Lifetimes = append([]int{def}, d.Lifetimes...)
	}
	title := "API tokens"
	if d.Owner != nil {
		title = "API tokens of " + d.Owner.Name
	}
	return s.render(c, status, "tokens.html", pageData{Title: title, Data: d})
}
