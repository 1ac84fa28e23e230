package web

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
)

// The commitment ledger: every promise departing CSMs made to customers, across the sessions a manager
// may see, from their reports' checklists, with who keeps it, by when, and whether it is done. A
// commitment is due on its own date, the one the CSM promised; one given no date is due by the CSM's
// last day, and the ledger says so.

type commitmentJSON struct {
	ItemID      string `json:"item_id"`
	InterviewID string `json:"interview_id"`
	CSM         string `json:"csm"`
	Account     string `json:"account"`
	What        string `json:"what"`
	Owner       string `json:"owner"`
	DueDate     string `json:"due_date"`
	// DueNote says the commitment had no date of its own ("no date given; before the last day"): the
	// departure date stands in for it.
	DueNote    string   `json:"due_note,omitempty"`
	Done       bool     `json:"done"`
	Overdue    bool     `json:"overdue"`
	MessageIDs []string `json:"message_ids"`
}

func (s *Server) commitments(c echo.Context) ([]commitmentJSON, error) {
	u, _ := currentUser(c)
	owner := u.ID
	if u.Role == store.RoleAdmin {
		owner = ""
	}
	ctx := c.Request().Context()
	ivs, err := s.store.ListInterviews(ctx, owner)
	if err != nil {
		return nil, err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	out := []commitmentJSON{}
	for _, iv := range ivs {
		_, r, err := s.reports.Current(ctx, iv.ID)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue
		}
		for _, item := range r.Checklist {
			if item.Kind != "commitment" {
				continue
			}
			// The note explains the last day standing in for a date; once someone set another date, it no
			// longer does.
			note := item.DueNote
			if item.DueDate != iv.DepartureDate.Format(time.DateOnly) {
				note = ""
			}
			out = append(out, commitmentJSON{ItemID: item.ID, InterviewID: iv.ID, CSM: iv.CSMName, Account: item.Account,
				What: strings.TrimPrefix(item.Title, "Keep the commitment: "), Owner: item.Owner, DueDate: item.DueDate, DueNote: note, Done: item.Done,
				Overdue: !item.Done && item.DueDate < today, MessageIDs: item.MessageIDs})
		}
	}
	// Open first, the soonest due first.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Done != out[j].Done {
			return !out[i].Done
		}
		return out[i].DueDate < out[j].DueDate
	})
	return out, nil
}

// commitmentsAPI is GET /api/v1/commitments.
func (s *Server) commitmentsAPI(c echo.Context) error {
	list, err := s.commitments(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"commitments": list})
}

// commitmentsPage is the ledger as a page.
func (s *Server) commitmentsPage(c echo.Context) error {
	list, err := s.commitments(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "commitments.html", pageData{Title: "Commitments", Data: list})
}
