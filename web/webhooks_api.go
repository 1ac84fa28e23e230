package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/webhook"
)

// Webhooks: a manager registers endpoints that receive their sessions' events, an admin's receive
// everyone's (package webhook sends them). A manager sees and manages only their own endpoints; another's
// is a 404.

var errWebhookDisabled = newError(http.StatusConflict, "webhook_disabled",
	"This endpoint is disabled after failing deliveries; register it again to receive events.")

func webhookError(err error) error {
	switch {
	case errors.Is(err, webhook.ErrEndpointDisabled):
		return errWebhookDisabled
	case errors.Is(err, webhook.ErrNotManager):
		return errForbidden
	}
	return err
}

// listWebhooks is GET /api/v1/webhooks.
func (s *Server) listWebhooks(c echo.Context) error {
	u, _ := currentUser(c)
	list, err := s.webhooks.List(c.Request().Context(), u)
	if err != nil {
		return err
	}
	if list == nil {
		list = []webhook.Endpoint{}
	}
	return c.JSON(http.StatusOK, map[string]any{"webhooks": list})
}

// createWebhook is POST /api/v1/webhooks {"url", "events", "description"}: the endpoint, with its
// signing secret in this response only.
func (s *Server) createWebhook(c echo.Context) error {
	var req webhook.NewEndpoint
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	u, _ := currentUser(c)
	e, secret, err := s.webhooks.Create(c.Request().Context(), u, req)
	if err != nil {
		return webhookError(err)
	}
	s.audit(c, "webhook.created", e.ID, map[string]any{"url": e.URL, "events": e.Events})
	return c.JSON(http.StatusCreated, struct {
		webhook.Endpoint
		Secret string `json:"secret"`
	}{e, secret})
}

// deleteWebhook is DELETE /api/v1/webhooks/{id}.
func (s *Server) deleteWebhook(c echo.Context) error {
	u, _ := currentUser(c)
	e, err := s.webhooks.Delete(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	s.audit(c, "webhook.deleted", e.ID, map[string]any{"url": e.URL})
	return c.NoContent(http.StatusNoContent)
}

// webhookDeliveries is GET /api/v1/webhooks/{id}/deliveries.
func (s *Server) webhookDeliveries(c echo.Context) error {
	u, _ := currentUser(c)
	list, err := s.webhooks.Deliveries(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	if list == nil {
		list = []webhook.Delivery{}
	}
	return c.JSON(http.StatusOK, map[string]any{"deliveries": list})
}

// resendWebhookDelivery is POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/resend.
func (s *Server) resendWebhookDelivery(c echo.Context) error {
	u, _ := currentUser(c)
	d, err := s.webhooks.Resend(c.Request().Context(), u, c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		return webhookError(err)
	}
	s.audit(c, "webhook.resent", c.Param("id"), map[string]any{"delivery": c.Param("delivery_id"), "new_delivery": d.ID})
	return c.JSON(http.StatusAccepted, d)
}

// WebhookReadiness gives the webhooks' account.blind check the readiness the dashboard and the session
// page show: the same computation (readinessOf), on the same store and reports.
func WebhookReadiness(st *store.Store, reports *report.Service) webhook.Readiness {
	s := &Server{store: st, reports: reports}
	return func(ctx context.Context, iv store.Interview) ([]webhook.AccountReadiness, error) {
		r, err := s.readinessOf(ctx, iv)
		if err != nil {
			return nil, err
		}
		out := make([]webhook.AccountReadiness, 0, len(r.Accounts))
		for _, a := range r.Accounts {
			out = append(out, webhook.AccountReadiness{Account: a.Account, Score: a.Score, Blind: a.Blind, Risk: a.Risk,
				ValueAtRisk: a.ValueAtRisk, Reasons: a.Reasons})
		}
		return out, nil
	}
}
