package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

// A handover closes the CSM's link and questions to them. On the pages it takes a confirmation that
// lists what is still open, and it can be undone for store.HandoverUndoWindow: the session and the
// links it closed come back as they were. Both are in the audit trail.

// handoverData is the confirmation page, and what GET /api/v1/interviews/{id}/handover answers.
type handoverData struct {
	Interview store.Interview
	Readiness sessionReadiness
	// NotReady are the accounts at risk of a blind handover, most value at risk first.
	NotReady []accountReadiness
	// UndoUntil is when the handover can no longer be undone; nil when it is not handed over.
	UndoUntil *time.Time
	CanUndo   bool
	Notice    string
}

func (s *Server) handoverState(c echo.Context, iv store.Interview) (handoverData, error) {
	r, err := s.readinessOf(c.Request().Context(), iv)
	if err != nil {
		return handoverData{}, err
	}
	d := handoverData{Interview: iv, Readiness: r}
	for _, a := range r.Accounts {
		if a.Blind {
			d.NotReady = append(d.NotReady, a)
		}
	}
	if iv.Status == "handed_over" && iv.HandedOverAt != nil {
		until := iv.HandedOverAt.Add(store.HandoverUndoWindow)
		d.UndoUntil, d.CanUndo = &until, time.Now().Before(until)
	}
	return d, nil
}

func (s *Server) renderHandover(c echo.Context, status int, iv store.Interview, notice string) error {
	d, err := s.handoverState(c, iv)
	if err != nil {
		return err
	}
	d.Notice = notice
	return s.render(c, status, "handover.html", pageData{Title: "Hand over " + iv.CSMName + "’s session", Data: d})
}

// handOverPage is the confirmation step: what is still open, and what a handover does.
func (s *Server) handOverPage(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	return s.renderHandover(c, http.StatusOK, iv, "")
}

// handOverPageSubmit hands the session over once the confirmation form says so; a post without it (an
// older page's button) gets the confirmation step.
func (s *Server) handOverPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return s.renderHandover(c, http.StatusOK, iv, "")
	}
	if err := s.handOver(c, iv); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID)+"/handover")
}

// undoHandOverPageSubmit undoes a handover from the page.
func (s *Server) undoHandOverPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	if _, err := s.undoHandOver(c, iv); err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.Status == http.StatusConflict {
			return s.renderHandover(c, ae.Status, iv, ae.Message)
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID))
}

// handOver marks a session handed over and, in the same transaction, revokes the CSM's invite link: the
// CSM can no longer read or change the interview, and no new link can be issued until it is undone.
func (s *Server) handOver(c echo.Context, iv store.Interview) error {
	ctx := c.Request().Context()
	var changed bool
	err := s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if changed, err = tx.HandOver(ctx, iv.ID); err != nil || !changed || s.webhooks == nil {
			return err
		}
		return s.webhooks.HandedOver(ctx, tx, iv)
	})
	if err != nil {
		return err
	}
	if changed {
		s.audit(c, "session.handed_over", iv.ID, nil)
	}
	return nil
}

var (
	errNotHandedOver = newError(http.StatusConflict, "not_handed_over", "This session is not handed over, so there is nothing to undo.")
	errUndoTooLate   = newError(http.StatusConflict, "undo_window_ended",
		"The handover can be undone only within 24 hours of it, and that time has passed.")
)

// undoHandOver puts a handed-over session back as it was, and returns its status again.
func (s *Server) undoHandOver(c echo.Context, iv store.Interview) (string, error) {
	status, err := s.store.UndoHandOver(c.Request().Context(), iv.ID)
	switch {
	case errors.Is(err, store.ErrNotHandedOver):
		return "", errNotHandedOver
	case errors.Is(err, store.ErrUndoWindowEnded):
		return "", errUndoTooLate
	case err != nil:
		return "", err
	}
	s.audit(c, "session.handover_undone", iv.ID, map[string]any{"status": status})
	return status, nil
}

// handOverAPI is POST /api/v1/interviews/{id}/handover.
func (s *Server) handOverAPI(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	if err := s.handOver(c, iv); err != nil {
		return err
	}
	iv.Status = "handed_over"
	out, err := s.interviewJSON(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

type handoverAccountJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Ready   int      `json:"readiness"`
	Reasons []string `json:"reasons"`
}

type handoverJSON struct {
	Status string `json:"status"`
	// OpenTasks are the handover checklist's tasks not done; NotReady the accounts at risk of a blind
	// handover: what the confirmation lists.
	OpenTasks    int                   `json:"open_tasks"`
	NotReady     []handoverAccountJSON `json:"not_ready"`
	HandedOverAt *time.Time            `json:"handed_over_at"`
	UndoUntil    *time.Time            `json:"undo_until"`
}

func toHandoverJSON(d handoverData) handoverJSON {
	out := handoverJSON{Status: d.Interview.Status, OpenTasks: d.Readiness.OpenTasks, NotReady: []handoverAccountJSON{},
		HandedOverAt: d.Interview.HandedOverAt, UndoUntil: d.UndoUntil}
	for _, a := range d.NotReady {
		reasons := a.Reasons
		if reasons == nil {
			reasons = []string{}
		}
		out.NotReady = append(out.NotReady, handoverAccountJSON{ID: a.Account.ID, Name: a.Account.Name, Ready: a.Score, Reasons: reasons})
	}
	return out
}

// handOverStateAPI is GET /api/v1/interviews/{id}/handover: what is still open before a handover, or
// until when it can be undone after one.
func (s *Server) handOverStateAPI(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	d, err := s.handoverState(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toHandoverJSON(d))
}

// undoHandOverAPI is DELETE /api/v1/interviews/{id}/handover.
func (s *Server) undoHandOverAPI(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	status, err := s.undoHandOver(c, iv)
	if err != nil {
		return err
	}
	iv.Status, iv.HandedOverAt = status, nil
	d, err := s.handoverState(c, iv)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toHandoverJSON(d))
}
