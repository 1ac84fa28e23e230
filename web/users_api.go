package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/store"
)

// listUsers returns every user (admin).
func (s *Server) listUsers(c echo.Context) error {
	users, err := s.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = toUserJSON(u)
	}
	return c.JSON(http.StatusOK, map[string]any{"users": out})
}

type createUserRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name" text:"line"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

type createUserResponse struct {
	userJSON
	// Password is returned only when the server generated it, once.
	Password string `json:"password,omitempty"`
}

// createUser adds a user (admin). Without a password one is generated and returned once.
func (s *Server) createUser(c echo.Context) error {
	var req createUserRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	actor, _ := currentUser(c)
	generated := ""
	if req.Password == "" {
		generated = auth.GeneratePassword()
		req.Password = generated
	}
	u, err := s.auth.CreateUser(c.Request().Context(), auth.NewUserInput{
		Email: req.Email, Name: req.Name, Role: store.Role(req.Role), Password: req.Password,
	}, actor.ID, clientOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createUserResponse{userJSON: toUserJSON(u), Password: generated})
}

// accountConflict turns account-management refusals into a 409 with a clear message.
func accountConflict(err error) error {
	switch {
	case errors.Is(err, auth.ErrDisableSelf):
		return newError(http.StatusConflict, "cannot_disable_self", "You cannot disable your own account; ask another admin.")
	case errors.Is(err, auth.ErrUserDisabled):
		return newError(http.StatusConflict, "user_disabled", "This user is disabled; enable them first.")
	}
	return err
}

// disableUser is POST /api/v1/users/{id}/disable (admin): the user's sessions and tokens stop working at
// once. An admin cannot disable themselves.
func (s *Server) disableUser(c echo.Context) error { return s.setUserDisabled(c, true) }

// enableUser is POST /api/v1/users/{id}/enable (admin).
func (s *Server) enableUser(c echo.Context) error { return s.setUserDisabled(c, false) }

func (s *Server) setUserDisabled(c echo.Context, disabled bool) error {
	actor, _ := currentUser(c)
	u, err := s.auth.SetDisabled(c.Request().Context(), c.Param("id"), disabled, actor.ID, clientOf(c))
	if err != nil {
		return accountConflict(err)
	}
	return c.JSON(http.StatusOK, toUserJSON(u))
}
