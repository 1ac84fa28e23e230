package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

type homeData struct {
	Accounts []store.AccountView // a successor's accounts
}

// home is the start page after login. A successor finds the accounts handed to them; other roles are
// told what they will find here.
func (s *Server) home(c echo.Context) error {
	var d homeData
	if u, _ := currentUser(c); u.Role == store.RoleSuccessor {
		accounts, err := s.store.SuccessorAccounts(c.Request().Context(), u.ID)
		if err != nil {
			return err
		}
		d.Accounts = accounts
	}
	return s.render(c, http.StatusOK, "home.html", pageData{Title: "Home", Data: d})
}
