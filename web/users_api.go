package web

import (
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
