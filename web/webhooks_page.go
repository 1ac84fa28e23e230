package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/validation"
	"github.com/exitinterview/exitinterview/webhook"
)

type webhooksPageData struct {
	Endpoints []webhook.Endpoint
	Events    []struct{ Type, Meaning string }
	Form      map[string]string
	Chosen    map[string]bool
	Fields    validation.Errors
	// Secret is the signing secret of the endpoint just created, shown this once.
	Secret    string
	SecretURL string
	Notice    string
	// Slack is the manager's Slack channel (nil: none); SlackFields its form's problems.
	Slack        *webhook.SlackSetting
	SlackFields  validation.Errors
	AllowPrivate bool
	Admin        bool
}

var webhookNotices = map[string]string{
	"deleted":       "The endpoint was removed. It receives nothing more.",
	"slack":         "Your Slack channel is saved.",
	"slack_removed": "Your notifications no longer go to Slack; the digest is e-mailed.",
	"resent":        "The event is queued to be sent again.",
}

// webhooksPage lists the caller's endpoints (an admin's: everyone's) with a form to register one, and
// their Slack channel.
func (s *Server) webhooksPage(c echo.Context) error {
	d := webhooksPageData{Form: map[string]string{}, Chosen: map[string]bool{}, Notice: webhookNotices[c.QueryParam("done")]}
	return s.renderWebhooks(c, http.StatusOK, d)
}

// webhooksPageCreate registers an endpoint from the form and shows its secret once.
func (s *Server) webhooksPageCreate(c echo.Context) error {
	if err := c.Request().ParseForm(); err != nil {
		return err
	}
	form := c.Request().PostForm
	d := webhooksPageData{Form: map[string]string{"url": form.Get("url"), "description": form.Get("description")}, Chosen: map[string]bool{}}
	for _, e := range form["events"] {
		d.Chosen[e] = true
	}
	u, _ := currentUser(c)
	e, secret, err := s.webhooks.Create(c.Request().Context(), u, webhook.NewEndpoint{URL: d.Form["url"], Description: d.Form["description"], Events: form["events"]})
	var fields validation.Errors
	if errors.As(err, &fields) {
		d.Fields = fields
		return s.renderWebhooks(c, http.StatusBadRequest, d)
	}
	if err != nil {
		return webhookError(err)
	}
	s.audit(c, "webhook.created", e.ID, map[string]any{"url": e.URL, "events": e.Events})
	d = webhooksPageData{Form: map[string]string{}, Chosen: map[string]bool{}, Secret: secret, SecretURL: e.URL}
	return s.renderWebhooks(c, http.StatusOK, d)
}

// webhooksPageDelete removes an endpoint from the page.
func (s *Server) webhooksPageDelete(c echo.Context) error {
	u, _ := currentUser(c)
	e, err := s.webhooks.Delete(c.Request().Context(), u, c.Param("id"))
	if err != nil {
		return err
	}
	s.audit(c, "webhook.deleted", e.ID, map[string]any{"url": e.URL})
	return c.Redirect(http.StatusSeeOther, "/webhooks?done=deleted")
}

type webhookPageData struct {
	Endpoint   webhook.Endpoint
	Deliveries []webhook.Delivery
	Notice     string
}

// webhookPage shows an endpoint's latest deliveries with every attempt, each re-sendable.
func (s *Server) webhookPage(c echo.Context) error {
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	e, err := s.webhooks.Get(ctx, u, c.Param("id"))
	if err != nil {
		return err
	}
	list, err := s.webhooks.Deliveries(ctx, u, e.ID)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "webhook.html", pageData{Title: "Webhook deliveries",
		Data: webhookPageData{Endpoint: e, Deliveries: list, Notice: webhookNotices[c.QueryParam("done")]}})
}

// webhookPageResend sends a delivery's event again from the page.
func (s *Server) webhookPageResend(c echo.Context) error {
	u, _ := currentUser(c)
	d, err := s.webhooks.Resend(c.Request().Context(), u, c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		return webhookError(err)
	}
	s.audit(c, "webhook.resent", c.Param("id"), map[string]any{"delivery": c.Param("delivery_id"), "new_delivery": d.ID})
	return c.Redirect(http.StatusSeeOther, "/webhooks/"+url.PathEscape(c.Param("id"))+"?done=resent")
}

// slackPageSave saves the caller's Slack channel: a new URL (never shown again but masked), and whether
// the digest is still e-mailed.
func (s *Server) slackPageSave(c echo.Context) error {
	u, _ := currentUser(c)
	emailToo := c.FormValue("email_too") != ""
	err := s.webhooks.SetSlack(c.Request().Context(), u, c.FormValue("slack_url"), emailToo)
	var fields validation.Errors
	if errors.As(err, &fields) {
		return s.renderWebhooks(c, http.StatusBadRequest, webhooksPageData{Form: map[string]string{}, Chosen: map[string]bool{}, SlackFields: fields})
	}
	if err != nil {
		return webhookError(err)
	}
	s.audit(c, "slack.saved", u.ID, map[string]any{"email_too": emailToo})
	return c.Redirect(http.StatusSeeOther, "/webhooks?done=slack")
}

// slackPageRemove stops posting the caller's notifications to Slack.
func (s *Server) slackPageRemove(c echo.Context) error {
	u, _ := currentUser(c)
	if err := s.webhooks.RemoveSlack(c.Request().Context(), u.ID); err != nil {
		return err
	}
	s.audit(c, "slack.removed", u.ID, nil)
	return c.Redirect(http.StatusSeeOther, "/webhooks?done=slack_removed")
}

func (s *Server) renderWebhooks(c echo.Context, status int, d webhooksPageData) error {
	u, _ := currentUser(c)
	ctx := c.Request().Context()
	list, err := s.webhooks.List(ctx, u)
	if err != nil {
		return err
	}
	d.Endpoints = list
	d.Events = webhook.EventTypes
	d.AllowPrivate = s.webhooks.AllowPrivate()
	d.Admin = string(u.Role) == "admin"
	if d.Slack, err = s.webhooks.Slack(ctx, u.ID); err != nil {
		return err
	}
	if d.Form == nil {
		d.Form = map[string]string{}
	}
	d.Form["url"] = strings.TrimSpace(d.Form["url"])
	return s.render(c, status, "webhooks.html", pageData{Title: "Webhooks and Slack", Data: d})
}
