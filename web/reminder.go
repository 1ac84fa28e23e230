package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

// reminderEvery is how often a manager may remind a CSM by hand, per session: a nudge, not a flood.
const reminderEvery = time.Hour

// reminderResult is what a reminder did: queued an e-mail to To, or (without e-mail) made a new link for
// the manager to send by hand.
type reminderResult struct {
	Interview store.Interview
	Sent      string // "email" or "by_hand"
	To        string
	InviteURL string
	Notice    string // why nothing was done
	EmailOn   bool   // e-mail is set up on this server
}

// remind sends the CSM a reminder to continue their interview now: an e-mail through the outbox when
// e-mail is set up and the session has the CSM's address; otherwise a new invite link the manager sends
// by hand (the previous link stops working). One an hour per session; the audit trail records each.
func (s *Server) remind(c echo.Context, iv store.Interview) (reminderResult, error) {
	ctx := c.Request().Context()
	out := reminderResult{Interview: iv, EmailOn: s.notifier != nil}
	switch {
	case iv.Status == "handed_over":
		return out, newError(http.StatusConflict, "handed_over", "This session is handed over: there is nothing to remind "+iv.CSMName+" of.")
	case iv.Status == "completed":
		return out, newError(http.StatusConflict, "interview_finished", iv.CSMName+" has finished the interview: there is nothing to remind them of.")
	case daysUntil(iv.DepartureDate) < 0:
		return out, newError(http.StatusConflict, "departed", iv.CSMName+"’s last day has passed.")
	}
	lastAnswer, err := s.store.LastAnswerAt(ctx, iv.ID)
	if err != nil {
		return out, err
	}
	u, _ := currentUser(c)
	byEmail := s.notifier != nil && iv.CSMEmail != ""
	var claimed bool
	var last time.Time
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		var err error
		if claimed, last, err = tx.ClaimReminder(ctx, iv.ID, reminderEvery); err != nil || !claimed || !byEmail {
			return err
		}
		return s.notifier.Remind(ctx, tx, iv, u.Name, lastAnswer, last)
	})
	if err != nil {
		return out, err
	}
	if !claimed {
		next := last.Add(reminderEvery)
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(time.Until(next).Seconds())+1))
		return out, newError(http.StatusTooManyRequests, "reminded_recently", fmt.Sprintf(
			"A reminder went to %s %s; the next one can go after %s (one an hour).", iv.CSMName, ago(last, time.Now()), next.Format("15:04 MST")))
	}
	if byEmail {
		out.Sent, out.To = "email", iv.CSMEmail
		s.audit(c, "csm.reminded", iv.ID, map[string]any{"sent": "email", "to": iv.CSMEmail})
		return out, nil
	}
	// Without e-mail the link itself must reach the CSM, and only its hash is stored: a new one is made.
	_, link, err := s.ivs.NewInvite(ctx, iv)
	if err != nil {
		return out, err
	}
	out.Sent, out.InviteURL = "by_hand", link
	s.audit(c, "csm.reminded", iv.ID, map[string]any{"sent": "by_hand"})
	s.audit(c, "invite.reissued", iv.ID, map[string]any{"for": "reminder"})
	return out, nil
}

// remindPageSubmit is the dashboard's "Send a reminder" button.
func (s *Server) remindPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	res, err := s.remind(c, iv)
	status := http.StatusOK
	var ae *apiError
	if errors.As(err, &ae) && (ae.Status == http.StatusConflict || ae.Status == http.StatusTooManyRequests) {
		res.Notice, status = ae.Message, ae.Status
	} else if err != nil {
		return err
	}
	return s.render(c, status, "reminder.html", pageData{Title: "Reminder to " + iv.CSMName, Data: res})
}

type reminderJSON struct {
	Sent      string `json:"sent"`                 // email or by_hand
	To        string `json:"to,omitempty"`         // the address the e-mail goes to
	InviteURL string `json:"invite_url,omitempty"` // the new link to send by hand
}

// remindAPI is POST /api/v1/interviews/{id}/reminder.
func (s *Server) remindAPI(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	res, err := s.remind(c, iv)
	if err != nil {
		return err
	}
	status := http.StatusAccepted // queued for the e-mail job
	if res.Sent == "by_hand" {
		status = http.StatusOK
	}
	return c.JSON(status, reminderJSON{Sent: res.Sent, To: res.To, InviteURL: res.InviteURL})
}

// ago says how long before now t was, as a person would: "just now", "5 minutes ago", "3 days ago".
func ago(t, now time.Time) string {
	d := now.Sub(t)
	unit := func(n int, one string) string {
		if n == 1 {
			return "1 " + one + " ago"
		}
		return strconv.Itoa(n) + " " + one + "s ago"
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return unit(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		return unit(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		return unit(int(d/(24*time.Hour)), "day")
	}
	return "on " + t.Format("2 Jan 2006")
}
