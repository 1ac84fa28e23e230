package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// reportPageData is the report as a page: the same content and order as the PDF, with the checklist
// editable.
type reportPageData struct {
	Interview store.Interview
	Latest    *store.Report // the newest version of any status; nil when none was requested
	R         *report.Report
	Accounts  []reportAccount
	Checklist []checklistGroup
	// ItemErrors are a rejected checklist change's field errors, for the item ItemID.
	ItemID     string
	ItemErrors validation.Errors
	// Questions asked of the CSM and their answers; CanAsk while they can still be asked; Asked: one
	// was just sent.
	Questions []store.AskedQuestion
	CanAsk    bool
	Asked     bool
}

type reportAccount struct {
	report.Account
	Groups []reportGroup
}

type reportGroup struct {
	Type, Heading string
	Findings      []report.Finding
}

type checklistGroup struct {
	Account string // "" for portfolio-wide items
	Items   []report.ChecklistItem
}

// reportPage shows the latest ready report of a session to its manager.
func (s *Server) reportPage(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	return s.renderReport(c, http.StatusOK, iv, "", nil)
}

func (s *Server) renderReport(c echo.Context, status int, iv store.Interview, itemID string, errs validation.Errors) error {
	latest, r, err := s.reports.Current(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	questions, err := s.askedQuestions(c.Request().Context(), viewerOf(c), iv.ID, "")
	if err != nil {
		return err
	}
	d := reportPageData{Interview: iv, Latest: latest, R: r, ItemID: itemID, ItemErrors: errs, Questions: questions,
		CanAsk: iv.Status != "handed_over" && daysUntil(iv.DepartureDate) >= 0, Asked: c.QueryParam("asked") == "1"}
	if r != nil {
		for _, a := range r.Accounts {
			d.Accounts = append(d.Accounts, reportAccount{Account: a, Groups: groupReportFindings(a.Findings)})
		}
		index := map[string]int{}
		for _, item := range r.Checklist {
			i, ok := index[item.Account]
			if !ok {
				i = len(d.Checklist)
				index[item.Account] = i
				d.Checklist = append(d.Checklist, checklistGroup{Account: item.Account})
			}
			d.Checklist[i].Items = append(d.Checklist[i].Items, item)
		}
	}
	return s.render(c, status, "report.html", pageData{Title: "Report: " + iv.CSMName, Data: d})
}

// groupReportFindings groups an account's findings under the account page's headings, in its order.
func groupReportFindings(findings []report.Finding) []reportGroup {
	var out []reportGroup
	for _, g := range findingGroups {
		var mine []report.Finding
		for _, f := range findings {
			if f.Type == g.Type {
				mine = append(mine, f)
			}
		}
		if len(mine) > 0 {
			out = append(out, reportGroup{Type: g.Type, Heading: g.Heading, Findings: mine})
		}
	}
	return out
}

// reportPageRequest regenerates the report from the page.
func (s *Server) reportPageRequest(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	if _, err := s.enqueueReport(c, iv); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID)+"/report")
}

// checklistPageSubmit saves one checklist row of the page: done, owner, due date.
func (s *Server) checklistPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	itemID := c.Param("item_id")
	done := c.FormValue("done") == "on"
	p := checklistPatch{Done: &done}
	// An empty owner field keeps the owner (the placeholder shows "successor" until someone is named).
	if owner := strings.TrimSpace(c.FormValue("owner_email")); owner != "" {
		p.OwnerEmail = &owner
	}
	if due := c.FormValue("due_date"); due != "" {
		p.DueDate = &due
	}
	_, err = s.changeChecklist(c, iv, itemID, p)
	var errs validation.Errors
	if errors.As(err, &errs) {
		return s.renderReport(c, http.StatusBadRequest, iv, itemID, errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID)+"/report#"+itemID)
}
