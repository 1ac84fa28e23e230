package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/plural"
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
	// RowErrors are a rejected checklist save's field errors, by item id; Notice says what happened.
	RowErrors map[string]validation.Errors
	Notice    string
	// Questions asked of the CSM and their answers; CanAsk while they can still be asked; Asked: one
	// was just sent.
	Questions []store.AskedQuestion
	CanAsk    bool
	Asked     bool
	// Currencies are the ISO codes of the accounts' ARR by account id: the report's own accounts do not
	// carry them.
	Currencies map[string]string
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
	notice := ""
	if n, err := strconv.Atoi(c.QueryParam("saved")); err == nil && n >= 0 {
		notice = "The checklist is saved: " + plural.Count(n, "change", "changes") + "."
	}
	return s.renderReport(c, http.StatusOK, iv, nil, notice)
}

func (s *Server) renderReport(c echo.Context, status int, iv store.Interview, errs map[string]validation.Errors, notice string) error {
	latest, r, err := s.reports.Current(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	questions, err := s.askedQuestions(c.Request().Context(), viewerOf(c), iv.ID, "")
	if err != nil {
		return err
	}
	d := reportPageData{Interview: iv, Latest: latest, R: r, RowErrors: errs, Notice: notice, Questions: questions,
		CanAsk: iv.Status != "handed_over" && daysUntil(iv.DepartureDate) >= 0, Asked: c.QueryParam("asked") == "1"}
	if r != nil {
		accounts, err := s.store.Accounts(c.Request().Context(), iv.ID)
		if err != nil {
			return err
		}
		d.Currencies = make(map[string]string, len(accounts))
		for _, a := range accounts {
			d.Currencies[a.ID] = a.Currency
		}
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
		return s.renderReport(c, http.StatusBadRequest, iv, map[string]validation.Errors{itemID: errs}, "This task was not saved: see below.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID)+"/report#"+itemID)
}

// checklistPageSubmitAll saves the whole checklist form at once (the page without JavaScript): every
// row's tick, owner and due date. Either every row is valid and the changed ones are saved together, or
// nothing is saved and the rows in error say why.
func (s *Server) checklistPageSubmitAll(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	items := form["item"]
	if len(items) == 0 {
		return newError(http.StatusBadRequest, "no_items", "The form names no checklist task to save.")
	}
	_, r, err := s.reports.Current(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	var edits []checklistEdit
	rowErrs := map[string]validation.Errors{}
	for _, id := range items {
		done := form.Get("done_"+id) == "on"
		p := checklistPatch{Done: &done}
		// An empty owner keeps the owner (the placeholder shows "successor" until someone is named).
		if owner := strings.TrimSpace(form.Get("owner_" + id)); owner != "" {
			p.OwnerEmail = &owner
		}
		if due := form.Get("due_" + id); due != "" {
			p.DueDate = &due
		}
		e, err := checkChecklistPatch(r, id, p)
		var errs validation.Errors
		switch {
		case errors.As(err, &errs):
			rowErrs[id] = errs
		case errors.Is(err, errNotFound):
			return s.renderReport(c, http.StatusBadRequest, iv, nil,
				"The checklist changed since this page was loaded (a new version of the report), so nothing was saved. Make your changes again.")
		case err != nil:
			return err
		case e.changed:
			edits = append(edits, e)
		}
	}
	if len(rowErrs) > 0 {
		return s.renderReport(c, http.StatusBadRequest, iv, rowErrs, "Nothing was saved: "+plural.Count(len(rowErrs), "task has", "tasks have")+" a mistake, marked below.")
	}
	if err := s.store.Transact(c.Request().Context(), func(tx *store.Store) error { return s.saveChecklist(c, tx, iv, edits) }); err != nil {
		return err
	}
	s.auditChecklist(c, iv, edits)
	return c.Redirect(http.StatusSeeOther, "/interviews/"+url.PathEscape(iv.ID)+"/report?saved="+strconv.Itoa(len(edits))+"#checklist")
}
