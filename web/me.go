package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

type userJSON struct {
	ID       string `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Disabled bool   `json:"disabled"`
}

func toUserJSON(u store.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role), Disabled: u.Disabled}
}

// me returns the caller, so a token's owner and role can be checked.
func (s *Server) me(c echo.Context) error {
	u, _ := currentUser(c)
	return c.JSON(http.StatusOK, toUserJSON(u))
}
