package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// home is the start page after login. Later capabilities fill it per role; for now it says what each
// role will find here.
func (s *Server) home(c echo.Context) error {
	return s.render(c, http.StatusOK, "home.html", pageData{Title: "Home"})
}
