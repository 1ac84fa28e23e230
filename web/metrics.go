package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/metrics"
)

// metricsRoute is served to Prometheus with its own token, not a user's: authenticate lets it through.
const metricsRoute = "/metrics"

// observeRequests records each request's latency by route pattern, method and the status it is
// answered with (an error's status, as handleError will write it).
func (s *Server) observeRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		began := time.Now()
		err := next(c)
		metrics.ObserveRequest(c.Path(), c.Request().Method, answeredStatus(c, err), time.Since(began))
		return err
	}
}

// answeredStatus is the status a request is answered with: the one written, or for an error not yet
// written, the one handleError will write.
func answeredStatus(c echo.Context, err error) int {
	if err != nil && !c.Response().Committed {
		return classify(err).Status
	}
	return c.Response().Status
}

// metricsEndpoint serves GET /metrics when EXITINTERVIEW_METRICS_TOKEN is set, to a caller presenting it
// as a bearer token; without the setting the route does not exist (404).
func (s *Server) metricsEndpoint(c echo.Context) error {
	if s.cfg.MetricsToken == "" {
		return errNotFound
	}
	scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(token)), []byte(s.cfg.MetricsToken)) != 1 {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
		// Answered here: a scraper wants a 401, not the login page other pages redirect to.
		return c.JSON(http.StatusUnauthorized, map[string]*apiError{"error": newError(http.StatusUnauthorized, "unauthenticated",
			"GET /metrics needs Authorization: Bearer <EXITINTERVIEW_METRICS_TOKEN>.")})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	metrics.Handler(s.store.Pool(), s.breakers, s.log).ServeHTTP(c.Response(), c.Request())
	return nil
}

// timedTurn records how long a CSM's turn took, by the engine that wrote the interviewer's next words.
func timedTurn(run func(context.Context, func(string)) (interview.Reply, error)) func(context.Context, func(string)) (interview.Reply, error) {
	return func(ctx context.Context, emit func(string)) (interview.Reply, error) {
		began := time.Now()
		r, err := run(ctx, emit)
		if err == nil {
			metrics.ObserveTurn(turnEngine(r.View), time.Since(began))
		}
		return r, err
	}
}

// turnEngine is the engine of the interviewer's last message.
func turnEngine(v interview.View) string {
	if v.Next != nil {
		return v.Next.Engine
	}
	for i := len(v.Messages) - 1; i >= 0; i-- {
		if v.Messages[i].Role == "interviewer" {
			return v.Messages[i].Engine
		}
	}
	return ""
}
