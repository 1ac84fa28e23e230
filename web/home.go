package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

type homeData struct {
	Accounts []store.AccountView // a successor's accounts
}

// home is the start page after login: a manager's dashboard, or the accounts handed to a successor.
func (s *Server) home(c echo.Context) error {
	u, _ := currentUser(c)
	if u.Role == store.RoleManager || u.Role == store.RoleAdmin {
		return s.interviewsPage(c) // a manager starts from the dashboard
	}
	var d homeData
	if u.Role == store.RoleSuccessor {
		accounts, err := s.store.SuccessorAccounts(c.Request().Context(), u.ID)
		if err != nil {
			return err
		}
		d.Accounts = accounts
	}
	return s.render(c, http.StatusOK, "home.html", pageData{Title: "Home", Data: d})
}
