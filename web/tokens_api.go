package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Personal API tokens: each user lists, creates and revokes their own; an admin may list and revoke
// anyone's.

type tokenJSON struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Status     string     `json:"status"` // active, expired or revoked
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}

func tokenStatus(t store.APIToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case !t.Live(now):
		return "expired"
	}
	return "active"
}

func toTokenJSON(t store.APIToken) tokenJSON {
	return tokenJSON{ID: t.ID, UserID: t.UserID, Name: t.Name, Status: tokenStatus(t, time.Now()), CreatedAt: t.CreatedAt,
		LastUsedAt: t.LastUsedAt, ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt}
}

// listTokens is GET /api/v1/tokens: the caller's tokens; ?user_id= another user's, for an admin.
func (s *Server) listTokens(c echo.Context) error {
	u, _ := currentUser(c)
	userID := u.ID
	if id := c.QueryParam("user_id"); id != "" && id != u.ID {
		if u.Role != store.RoleAdmin {
			return errForbidden
		}
		other, err := s.store.UserByID(c.Request().Context(), id)
		if err != nil {
			return err
		}
		userID = other.ID
	}
	tokens, err := s.store.APITokens(c.Request().Context(), userID)
	if err != nil {
		return err
	}
	out := make([]tokenJSON, len(tokens))
	for i, t := range tokens {
		out[i] = toTokenJSON(t)
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": out})
}

// createToken is POST /api/v1/tokens {"name", "expires_in_days"}: a new token for the caller, whose secret
// is in this response only.
func (s *Server) createToken(c echo.Context) error {
	var req struct {
		Name          string `json:"name"`
		ExpiresInDays *int   `json:"expires_in_days"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, _ := currentUser(c)
	var expiresIn time.Duration
	if req.ExpiresInDays != nil {
		if *req.ExpiresInDays < 1 || *req.ExpiresInDays > 3650 {
			return validation.Errors{"expires_in_days": "must be between 1 and 3650 days"}
		}
		expiresIn = time.Duration(*req.ExpiresInDays) * 24 * time.Hour
	}
	secret, t, err := s.auth.IssueAPIToken(c.Request().Context(), u, req.Name, expiresIn, u.ID, clientOf(c))
	if err != nil {
		return accountConflict(err)
	}
	return c.JSON(http.StatusCreated, struct {
		tokenJSON
		Token string `json:"token"`
	}{toTokenJSON(t), secret})
}

// revokeToken is DELETE /api/v1/tokens/{id}: the token stops working at once. Another user's token is a
// 404, unless the caller is an admin.
func (s *Server) revokeToken(c echo.Context) error {
	u, _ := currentUser(c)
	if _, err := s.auth.RevokeAPIToken(c.Request().Context(), c.Param("id"), &u, clientOf(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
