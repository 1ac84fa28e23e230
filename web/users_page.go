package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type usersPageData struct {
	Users   []store.User
	Roles   []store.Role
	Form    map[string]string
	Fields  validation.Errors
	Created *store.User
	// Password is the generated password of the user just created, shown this once.
	Password string
}

// usersPage lists the users with a form to add one (admin).
func (s *Server) usersPage(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, usersPageData{Form: map[string]string{"role": string(store.RoleManager)}})
}

// usersPageCreate adds a user from the form and shows their one-time password.
func (s *Server) usersPageCreate(c echo.Context) error {
	d := usersPageData{Form: map[string]string{
		"email": c.FormValue("email"), "name": c.FormValue("name"), "role": c.FormValue("role"),
	}}
	actor, _ := currentUser(c)
	password := auth.GeneratePassword()
	u, err := s.auth.CreateUser(c.Request().Context(), auth.NewUserInput{
		Email: d.Form["email"], Name: d.Form["name"], Role: store.Role(d.Form["role"]), Password: password,
	}, actor.ID, clientOf(c))
	if fields, ok := err.(validation.Errors); ok {
		d.Fields = fields
		return s.renderUsers(c, http.StatusBadRequest, d)
	}
	if err != nil {
		return err
	}
	d.Created, d.Password = &u, password
	d.Form = map[string]string{"role": string(store.RoleManager)}
	return s.renderUsers(c, http.StatusOK, d)
}

func (s *Server) renderUsers(c echo.Context, status int, d usersPageData) error {
	users, err := s.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	d.Users, d.Roles = users, store.Roles
	return s.render(c, status, "users.html", pageData{Title: "Users", Data: d})
}
