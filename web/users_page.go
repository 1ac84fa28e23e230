package web

import (
	"errors"
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
	Notice   string
	// Me is the signed-in admin, who gets no Disable button on their own row.
	Me string
}

// usersPage lists the users with a form to add one (admin).
func (s *Server) usersPage(c echo.Context) error {
	d := usersPageData{Form: map[string]string{"role": string(store.RoleManager)}}
	switch c.QueryParam("done") {
	case "disabled":
		d.Notice = "The user was disabled: their sessions ended and their API tokens stopped working."
	case "enabled":
		d.Notice = "The user was enabled: they can sign in again, and their live API tokens work again."
	}
	return s.renderUsers(c, http.StatusOK, d)
}

// usersPageDisable disables a user from the Users page.
func (s *Server) usersPageDisable(c echo.Context) error { return s.usersPageSetDisabled(c, true) }

// usersPageEnable enables a user again from the Users page.
func (s *Server) usersPageEnable(c echo.Context) error { return s.usersPageSetDisabled(c, false) }

func (s *Server) usersPageSetDisabled(c echo.Context, disabled bool) error {
	actor, _ := currentUser(c)
	_, err := s.auth.SetDisabled(c.Request().Context(), c.Param("id"), disabled, actor.ID, clientOf(c))
	if errors.Is(err, auth.ErrDisableSelf) {
		d := usersPageData{Form: map[string]string{"role": string(store.RoleManager)},
			Notice: "You cannot disable your own account; ask another admin."}
		return s.renderUsers(c, http.StatusConflict, d)
	}
	if err != nil {
		return err
	}
	if disabled {
		return c.Redirect(http.StatusSeeOther, "/users?done=disabled")
	}
	return c.Redirect(http.StatusSeeOther, "/users?done=enabled")
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
	me, _ := currentUser(c)
	d.Users, d.Roles, d.Me = users, store.Roles, me.ID
	return s.render(c, status, "users.html", pageData{Title: "Users", Data: d})
}
