package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// interviewsPage is the manager's dashboard: every session they may see with its readiness, and the
// accounts at risk of being handed over blind, most urgent first.
func (s *Server) interviewsPage(c echo.Context) error {
	u, _ := currentUser(c)
	d, err := s.dashboard(c.Request().Context(), u)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "interviews.html", pageData{Title: "Departures", Data: d})
}

func daysUntil(t time.Time) int {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	return int(t.Sub(today).Hours() / 24)
}

type coverageRow struct {
	Account *store.Account
	Cells   []coverageCell
	Percent int
	// SuccessorName is the name of the account's successor; Email what the successor field shows (the
	// stored successor's e-mail, or what was typed when it was refused), Error why it was refused.
	SuccessorName, Email, Error string
}

type coverageCell struct {
	Topic, Label, State string
}

// interviewPage shows a session: its accounts in plan order, the coverage of every topic, the invite.
func (s *Server) interviewPage(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	return s.renderInterview(c, http.StatusOK, iv, "", "")
}

// successorEdits is what a manager typed into the session page's successor fields that was refused,
// shown again with what is wrong next to each field. The zero value shows the stored successors.
type successorEdits struct {
	Typed     map[string]string // account id → the e-mail typed
	Errors    map[string]string // account id → what is wrong with it
	BulkEmail string            // typed into "Hand the ticked accounts to"
	BulkError string            // what is wrong with that e-mail
	Accounts  string            // what is wrong with the ticked accounts
}

func (s *Server) renderInterview(c echo.Context, status int, iv store.Interview, inviteURL, notice string) error {
	return s.renderInterviewWith(c, status, iv, inviteURL, notice, successorEdits{})
}

func (s *Server) renderInterviewWith(c echo.Context, status int, iv store.Interview, inviteURL, notice string, edits successorEdits) error {
	ctx := c.Request().Context()
	accounts, err := s.store.Accounts(ctx, iv.ID)
	if err != nil {
		return err
	}
	cov, err := s.store.Coverage(ctx, iv.ID)
	if err != nil {
		return err
	}
	state := map[[2]string]string{}
	for _, ci := range cov {
		state[[2]string{ci.AccountID, ci.Topic}] = ci.State
	}
	names, err := s.successorNames(ctx, accounts)
	if err != nil {
		return err
	}
	// The book's ARR, one total per currency: amounts in different currencies are not added up.
	arr := money.Sum{}
	for _, a := range accounts {
		if a.ARR != nil {
			arr.Add(*a.ARR, a.Currency)
		}
	}
	var rows []coverageRow
	for i := range accounts {
		a := &accounts[i]
		row := coverageRow{Account: a, Percent: interview.AccountPercent(cov, a.ID), SuccessorName: names[a.SuccessorID],
			Email: a.SuccessorEmail, Error: edits.Errors[a.ID]}
		if typed, ok := edits.Typed[a.ID]; ok {
			row.Email = typed
		}
		for _, t := range interview.AccountTopics {
			tp, _ := interview.TopicByKey(t)
			row.Cells = append(row.Cells, coverageCell{t, tp.Label, state[[2]string{accounts[i].ID, t}]})
		}
		rows = append(rows, row)
	}
	portfolio := coverageRow{Percent: interview.AccountPercent(cov, "")}
	for _, t := range interview.PortfolioTopics {
		tp, _ := interview.TopicByKey(t)
		portfolio.Cells = append(portfolio.Cells, coverageCell{t, tp.Label, state[[2]string{"", t}]})
	}
	ready, err := s.readinessOf(ctx, iv)
	if err != nil {
		return err
	}
	messages, err := s.store.LastSeq(ctx, iv.ID)
	if err != nil {
		return err
	}
	attachments, err := s.store.Attachments(ctx, iv.ID)
	if err != nil {
		return err
	}
	return s.render(c, status, "interview.html", pageData{Title: iv.CSMName, Data: map[string]any{
		"Interview": iv, "Rows": rows, "Portfolio": portfolio, "Percent": interview.Percent(cov),
		"DaysLeft": daysUntil(iv.DepartureDate), "InviteURL": inviteURL, "Notice": notice,
		"TopicLabels": accountTopicLabels(), "Readiness": ready, "ReadyBy": readyByAccount(ready), "Edits": edits, "ARR": arr.String(),
		"Messages": messages, "Attachments": attachments,
	}})
}

func accountTopicLabels() []string {
	var out []string
	for _, t := range interview.AccountTopics {
		tp, _ := interview.TopicByKey(t)
		out = append(out, tp.Label)
	}
	return out
}

// interviewInvitePage issues a new invite link from the session page; the old link stops working.
func (s *Server) interviewInvitePage(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	_, url, err := s.ivs.NewInvite(c.Request().Context(), iv)
	if errors.Is(err, store.ErrHandedOver) {
		return s.renderInterview(c, http.StatusConflict, iv, "", errNoInviteAfterHandover.Message)
	}
	if err != nil {
		return err
	}
	s.audit(c, "invite.reissued", iv.ID, nil)
	return s.renderInterview(c, http.StatusOK, iv, url, "A new invite link was created. The previous link no longer works.")
}

// successorPageSubmit assigns an account's successor from the session page.
func (s *Server) successorPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	email := c.FormValue("email")
	err = s.assignSuccessor(c, iv, email)
	var fields validation.Errors
	if errors.As(err, &fields) {
		id := c.Param("account_id")
		return s.renderInterviewWith(c, http.StatusBadRequest, iv, "", "", successorEdits{
			Typed: map[string]string{id: email}, Errors: map[string]string{id: successorProblem(email, fields)}})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// successorsPageSubmit saves the session page's successors: the ticked accounts given to one successor
// ("email"), or every account's field of the table ("successor_" and the account id), all or none.
func (s *Server) successorsPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	if _, bulk := form["email"]; !bulk {
		return s.saveSuccessorFields(c, iv, form)
	}
	email := c.FormValue("email")
	err = s.assignSuccessors(c, iv, form["account_id"], email)
	var fields validation.Errors
	if errors.As(err, &fields) {
		edits := successorEdits{BulkEmail: email}
		if _, ok := fields["accounts"]; ok {
			edits.Accounts = "Tick the accounts to hand over, then give the successor's e-mail."
		} else {
			edits.BulkError = successorProblem(email, fields)
		}
		return s.renderInterviewWith(c, http.StatusBadRequest, iv, "", "", edits)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// saveSuccessorFields saves the successor fields of the session page's table that changed. Every e-mail
// is checked first: when one names no successor, the page comes back with what was typed and the problem
// on that field, and nothing is saved.
func (s *Server) saveSuccessorFields(c echo.Context, iv store.Interview, form url.Values) error {
	ctx := c.Request().Context()
	accounts, err := s.store.Accounts(ctx, iv.ID)
	if err != nil {
		return err
	}
	edits := successorEdits{Typed: map[string]string{}, Errors: map[string]string{}}
	byEmail := map[string][]string{}
	var order []string
	for _, a := range accounts {
		values, ok := form["successor_"+a.ID]
		if !ok {
			continue
		}
		typed := values[0]
		email := auth.NormalizeEmail(typed)
		edits.Typed[a.ID] = typed
		if email == a.SuccessorEmail {
			continue
		}
		if p := s.successorFieldProblem(ctx, email); p != "" {
			edits.Errors[a.ID] = p
			continue
		}
		if byEmail[email] == nil {
			order = append(order, email)
		}
		byEmail[email] = append(byEmail[email], a.ID)
	}
	if len(edits.Typed) == 0 {
		return newError(http.StatusBadRequest, "no_successors", "The form has no successor fields.")
	}
	if len(edits.Errors) > 0 {
		return s.renderInterviewWith(c, http.StatusBadRequest, iv, "", "", edits)
	}
	for _, email := range order {
		if err := s.assignSuccessors(c, iv, byEmail[email], email); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// successorFieldProblem says why email cannot be a successor ("" when it can, or when it is empty,
// which clears the successor).
func (s *Server) successorFieldProblem(ctx context.Context, email string) string {
	if email == "" {
		return ""
	}
	u, err := s.store.UserByEmail(ctx, email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return successorProblem(email, validation.Errors{"email": "no user"})
	case err != nil:
		return "This e-mail could not be checked; try again."
	case u.Role != store.RoleSuccessor:
		return successorProblem(email, validation.Errors{"email": interview.SuccessorRoleProblem(u.Role)})
	}
	return ""
}

// readyByAccount indexes a session's account readiness by account id, for the session page's table.
func readyByAccount(r sessionReadiness) map[string]accountReadiness {
	out := make(map[string]accountReadiness, len(r.Accounts))
	for _, a := range r.Accounts {
		out[a.Account.ID] = a
	}
	return out
}

// successorProblem says next to a successor field why the e-mail typed there was not saved.
func successorProblem(email string, fields validation.Errors) string {
	email = auth.NormalizeEmail(email)
	if p := fields["email"]; strings.Contains(p, "role") {
		return email + " " + p + "."
	}
	return "No user has the e-mail " + email + "; check it for typing mistakes, or ask an admin to create the user."
}

// successorNames gives the names of the accounts' successors by user id.
func (s *Server) successorNames(ctx context.Context, accounts []store.Account) (map[string]string, error) {
	names := map[string]string{}
	for _, a := range accounts {
		if a.SuccessorID == "" {
			continue
		}
		if _, ok := names[a.SuccessorID]; ok {
			continue
		}
		u, err := s.store.UserByID(ctx, a.SuccessorID)
		if err != nil {
			return nil, err
		}
		names[a.SuccessorID] = u.Name
	}
	return names, nil
}
