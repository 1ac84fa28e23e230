package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// invitePage shows who asks and why, with a Continue button. It changes nothing: mail scanners open every
// link in an e-mail, and must not start the CSM's session.
func (s *Server) invitePage(c echo.Context) error {
	iv, err := s.interviewByInvite(c.Request().Context(), c.Param("token"))
	if err != nil {
		return s.inviteNotice(c, err)
	}
	manager, err := s.store.UserByID(c.Request().Context(), iv.ManagerID)
	if err != nil {
		return err
	}
	return s.renderBare(c, http.StatusOK, "invite.html", "Knowledge transfer", map[string]any{
		"Interview": iv, "Manager": manager, "Token": c.Param("token")})
}

// inviteContinue starts the CSM's browser session for this interview only, then opens the chat.
func (s *Server) inviteContinue(c echo.Context) error {
	token := c.Param("token")
	iv, err := s.interviewByInvite(c.Request().Context(), token)
	if err != nil {
		return s.inviteNotice(c, err)
	}
	s.setInviteCookie(c, token, iv.DepartureDate.AddDate(0, 0, 30))
	msgs, err := s.store.Messages(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(msgs, func(m store.Message) bool { return m.Role == "csm" }) {
		// Coming back: the browser opens the chat where they left off, with or without JavaScript.
		return c.Redirect(http.StatusSeeOther, "/interview#resume")
	}
	return c.Redirect(http.StatusSeeOther, "/interview")
}

// inviteNotice explains, kindly, why a link does not work.
func (s *Server) inviteNotice(c echo.Context, err error) error {
	status, title, text := http.StatusNotFound, "This link does not work", "The link is not valid. Please check you copied all of it, or ask your manager to send it again."
	switch {
	case errors.Is(err, interview.ErrInviteExpired):
		status, title, text = http.StatusGone, "This link has expired", "The interview link was valid until shortly after your last day. If you still want to add something, ask your manager for a new link."
	case errors.Is(err, store.ErrHandedOver):
		e := handedOverError(c).(*apiError)
		status, title, text = e.Status, "This interview was handed over", "Your manager handed your accounts over to your successors, so this link is closed and nothing in the interview can be changed any more. Thank you for everything you shared."
	case errors.Is(err, interview.ErrInviteRevoked):
		status, title, text = http.StatusGone, "This link was replaced", "Your manager created a new link for this interview, or withdrew it. Please use the most recent link they sent you."
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	return s.renderBare(c, status, "notice.html", title, map[string]string{"Title": title, "Text": text})
}

// chatPage is the CSM's interview: the transcript so far, the open question, progress and coverage.
func (s *Server) chatPage(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		if err, bad := c.Get(ctxInviteErr).(error); bad {
			return s.inviteNotice(c, err)
		}
		return s.renderBare(c, http.StatusUnauthorized, "notice.html", "Open your invite link", map[string]string{
			"Title": "Open your invite link", "Text": "To take part in the interview, open the link your manager sent you."})
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), turnTimeout)
	defer cancel()
	v, err := s.ivs.View(ctx, iv.ID, nil)
	if err != nil {
		return turnError(err)
	}
	state := toCSMInterviewJSON(v)
	asked, err := s.newQuestions(ctx, v)
	if err != nil {
		return err
	}
	current, currentAccount := "", ""
	if v.Next != nil {
		current, currentAccount = v.Next.ID, v.Next.AccountID
	}
	return s.renderBare(c, http.StatusOK, "chat.html", "Knowledge transfer", map[string]any{"View": v, "State": state,
		"Names": accountNames(v.Accounts), "Asked": asked, "Messages": chatMessages(v), "Current": current,
		"CurrentAccount": currentAccount, "MaxBytes": s.cfg.AttachmentMaxBytes, "MaxSize": byteSize(s.cfg.AttachmentMaxBytes)})
}

// chatMessage is one message of the chat as the page shows it.
type chatMessage struct {
	store.Message
	// Current marks the open question, the page's anchor #current.
	Current bool
	// Resume, on the open question of a CSM who answered before, says where they left off; it is
	// shown above the question as the anchor #resume.
	Resume string
	// Notice, on a CSM's answer, says which credentials were kept out of the notes.
	Notice string
}

func chatMessages(v interview.View) []chatMessage {
	out := make([]chatMessage, len(v.Messages))
	for i, m := range v.Messages {
		out[i] = chatMessage{Message: m, Notice: interview.RedactionNotice(m.Redactions)}
		if v.Next != nil && m.ID == v.Next.ID {
			out[i].Current = true
			out[i].Resume = leftOff(v)
		}
	}
	return out
}

// leftOff says where a CSM coming back to the chat left off ("Welcome back — you left off at Northwind:
// renewal."), so they answer the question that is open, not one they read further up. Empty on the first
// visit, when the introduction comes first.
func leftOff(v interview.View) string {
	q := v.Next
	if q == nil || !slices.ContainsFunc(v.Messages, func(m store.Message) bool { return m.Role == "csm" }) {
		return ""
	}
	account := accountNames(v.Accounts)[q.AccountID]
	var at string
	switch {
	case q.Kind == interview.KindClosing:
		at = "the last question"
	case q.AskedFrom != "":
		who := "your manager"
		if q.AskedFrom == "successor" {
			who = "a successor"
		}
		at = "a question from " + who
		if account != "" {
			at += " about " + account
		}
	case q.Kind == interview.KindReadback:
		at = "what I understood of " + account
	default:
		var labels []string
		for _, key := range q.Topics {
			if t, ok := interview.TopicByKey(key); ok {
				labels = append(labels, strings.ToLower(t.Label))
			}
		}
		at = account
		if at == "" {
			at = "how you work"
		}
		switch n := len(labels); {
		case n == 1:
			at += ": " + labels[0]
		case n > 1:
			at += ": " + strings.Join(labels[:n-1], ", ") + " and " + labels[n-1]
		}
	}
	return "Welcome back — you left off at " + at + "."
}

// renderBare renders a page for the CSM, who has no login: no navigation.
func (s *Server) renderBare(c echo.Context, status int, name, title string, data any) error {
	return s.render(c, status, name, pageData{Title: title, Bare: true, Data: data})
}

// newQuestions says how many questions from the manager and successors wait for the CSM: the one open
// now, if it is one, and those after it. Empty when there are none.
func (s *Server) newQuestions(ctx context.Context, v interview.View) (string, error) {
	open, err := s.store.OpenAskedQuestions(ctx, v.Interview.ID)
	if err != nil {
		return "", err
	}
	n, fromSuccessor, fromManager := len(open), false, false
	for _, q := range open {
		fromSuccessor = fromSuccessor || q.From == "successor"
		fromManager = fromManager || q.From == "manager"
	}
	if v.Next != nil && v.Next.AskedQuestionID != "" {
		n++
		fromSuccessor = fromSuccessor || v.Next.AskedFrom == "successor"
		fromManager = fromManager || v.Next.AskedFrom == "manager"
	}
	who := "your manager"
	switch {
	case fromSuccessor && fromManager:
		who = "your manager and your successors"
	case fromSuccessor:
		who = "your successors"
	}
	switch n {
	case 0:
		return "", nil
	case 1:
		return "1 new question from " + who + ".", nil
	}
	return fmt.Sprintf("%d new questions from %s.", n, who), nil
}
