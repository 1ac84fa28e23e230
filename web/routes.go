package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/exitinterview/exitinterview/store"
)

// routes declares every route with the role it requires, so access rules read in one place.
// requireRole() with no role means any logged-in user.
func (s *Server) routes() {
	e := s.echo
	e.Use(s.recoverer(), middleware.RequestID(), s.requestLogger(), s.securityHeaders, s.crossOrigin(),
		s.bodyLimit, s.timeout, s.authenticate)

	admin := store.RoleAdmin

	// Probes and assets: anyone.
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/:hash/:name", s.serveAsset)

	// Pages.
	e.GET("/login", s.loginPage)
	e.POST("/login", s.loginSubmit)
	e.POST("/logout", s.logout, requireRole())
	e.GET("/", s.home, requireRole())
	e.GET("/users", s.usersPage, requireRole(admin))
	e.POST("/users", s.usersPageCreate, requireRole(admin))

	// JSON API v1 (SPEC §8).
	api := e.Group("/api/v1")
	api.GET("/me", s.me, requireRole())
	api.GET("/users", s.listUsers, requireRole(admin))
	api.POST("/users", s.createUser, requireRole(admin))
}

// bodyLimit refuses bodies over the configured size with a 413, before or while they are read.
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.ContentLength > s.cfg.MaxBodyBytes {
			return newError(http.StatusRequestEntityTooLarge, "body_too_large", "The request body is too large.")
		}
		req.Body = http.MaxBytesReader(c.Response(), req.Body, s.cfg.MaxBodyBytes)
		return next(c)
	}
}

// streamingRoutes are not bounded by the request timeout (server-sent events live as long as the page).
var streamingRoutes = map[string]bool{}

// timeout bounds an ordinary request's work by the configured request timeout.
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if streamingRoutes[c.Path()] {
			return next(c)
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
