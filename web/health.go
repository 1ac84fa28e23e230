package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz says the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says the database answers, so a load balancer sends traffic only to replicas that can serve it.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Pool().Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "error", err)
		return newError(http.StatusServiceUnavailable, "database_unavailable", "The database is not reachable.")
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
