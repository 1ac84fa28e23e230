package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// transcriptEntry is one message of a session's transcript as its manager reads it while the interview
// runs: who said it, about which account and topics, and the text (redacted; see answerView).
type transcriptEntry struct {
	Seq      int
	Role     string // interviewer or csm
	Account  string // the account's name; "" for the portfolio or none
	Topics   []string
	Text     string
	Skipped  bool
	Question bool // a question or follow-up of the plan, as opposed to the interviewer's other words
	At       time.Time
}

// interviewTranscriptPage is the session's transcript for its manager (and admins), in order, as it
// grows: with ?fragment=entries&after=N it returns only the entries after message N, which the page's
// script appends every few seconds; without the script a reload shows them.
func (s *Server) interviewTranscriptPage(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	after := 0
	if q := c.QueryParam("after"); q != "" {
		if after, err = strconv.Atoi(q); err != nil || after < 0 {
			return newError(http.StatusBadRequest, "invalid_after", "after must be a message number (0 or more).")
		}
	}
	entries, err := s.transcriptEntries(c.Request().Context(), viewerOf(c), iv.ID, after)
	if err != nil {
		return err
	}
	last := after
	if len(entries) > 0 {
		last = entries[len(entries)-1].Seq
	}
	data := map[string]any{"Interview": iv, "Entries": entries, "Last": last}
	if c.QueryParam("fragment") == "entries" {
		c.Response().Header().Set("X-Transcript-Last", strconv.Itoa(last))
		return s.renderBlock(c, http.StatusOK, "interview_transcript.html", "entries", data)
	}
	return s.render(c, http.StatusOK, "interview_transcript.html", pageData{Title: "Transcript: " + iv.CSMName, Data: data})
}

// transcriptEntries are the messages of an interview after message number after, as v may read them. A
// CSM's answer is about the account and topics of the question it answers.
func (s *Server) transcriptEntries(ctx context.Context, v store.Viewer, interviewID string, after int) ([]transcriptEntry, error) {
	msgs, err := s.store.Messages(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	accounts, err := s.store.Accounts(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(accounts))
	for _, a := range accounts {
		names[a.ID] = a.Name
	}
	byID := make(map[string]store.Message, len(msgs))
	for _, m := range msgs {
		byID[m.ID] = m
	}
	var out []transcriptEntry
	for _, m := range msgs {
		if m.Seq <= after {
			continue
		}
		e := transcriptEntry{Seq: m.Seq, Role: m.Role, At: m.CreatedAt,
			Question: m.Role == "interviewer" && (m.Kind == interview.KindQuestion || m.Kind == interview.KindFollowUp)}
		about := m
		if q, ok := byID[m.ReplyTo]; ok && m.Role == "csm" && m.AccountID == "" && len(m.Topics) == 0 {
			about = q
		}
		e.Account = names[about.AccountID]
		for _, t := range about.Topics {
			e.Topics = append(e.Topics, topicLabel(t))
		}
		switch {
		case m.Role == "csm" && m.Kind == interview.KindSkip:
			e.Skipped, e.Text = true, "(skipped)"
		case m.Role == "csm":
			if e.Text, _, err = s.answerView(ctx, v, m.ID, m.Content); err != nil {
				return nil, err
			}
		default:
			e.Text = questionView(v, m, nil)
		}
		out = append(out, e)
	}
	return out, nil
}
