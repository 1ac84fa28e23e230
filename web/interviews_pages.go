package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
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

type newInterviewForm struct {
	Values  map[string]string
	Fields  validation.Errors
	Message string
}

func (s *Server) newInterviewPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "interview_new.html", pageData{Title: "New session", Data: newInterviewForm{
		Values: map[string]string{"time_budget_minutes": "60"}}})
}

// newInterviewSubmit creates a session from the form: accounts typed or pasted, or a CSV file.
func (s *Server) newInterviewSubmit(c echo.Context) error {
	form := newInterviewForm{Values: map[string]string{}}
	if _, err := c.MultipartForm(); tooLarge(err) {
		return errTooLarge
	}
	for _, k := range []string{"csm_name", "csm_email", "departure_date", "accounts_text", "time_budget_minutes", "date_order"} {
		form.Values[k] = c.FormValue(k)
	}
	budget, _ := strconv.Atoi(form.Values["time_budget_minutes"])
	in := interview.CreateInput{CSMName: form.Values["csm_name"], CSMEmail: form.Values["csm_email"],
		DepartureDate: form.Values["departure_date"], TimeBudgetMinutes: budget}
	order, ok := book.ParseDateOrderName(form.Values["date_order"])
	if !ok {
		form.Fields = validation.Errors{"date_order": "must be day first or month first"}
		return s.render(c, http.StatusBadRequest, "interview_new.html", pageData{Title: "New session", Data: form})
	}
	var err error
	if fh, ferr := c.FormFile("accounts_file"); ferr == nil && fh.Size > 0 {
		f, oerr := fh.Open()
		if oerr != nil {
			return oerr
		}
		in.Accounts, err = book.ParseCSVOrder(f, order)
		f.Close()
	} else if strings.TrimSpace(form.Values["accounts_text"]) != "" {
		in.Accounts, err = book.ParseTextOrder(form.Values["accounts_text"], order)
	}
	var pe *book.ParseError
	if errors.As(err, &pe) {
		form.Fields = validation.Errors{"accounts": pe.Error()}
		return s.render(c, http.StatusBadRequest, "interview_new.html", pageData{Title: "New session", Data: form})
	} else if err != nil {
		return err
	}
	u, _ := currentUser(c)
	created, err := s.ivs.Create(c.Request().Context(), u.ID, in)
	var fields validation.Errors
	if errors.As(err, &fields) {
		form.Fields = fields
		return s.render(c, http.StatusBadRequest, "interview_new.html", pageData{Title: "New session", Data: form})
	}
	if err != nil {
		return err
	}
	s.audit(c, "interview.created", created.Interview.ID, map[string]any{"accounts": len(created.Accounts)})
	return s.render(c, http.StatusOK, "interview_created.html", pageData{Title: "Session created", Data: map[string]any{
		"Interview": created.Interview, "InviteURL": created.InviteURL, "Accounts": created.Accounts}})
}

type coverageRow struct {
	Account *store.Account
	Cells   []coverageCell
	Percent int
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

func (s *Server) renderInterview(c echo.Context, status int, iv store.Interview, inviteURL, notice string) error {
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
	var rows []coverageRow
	for i := range accounts {
		row := coverageRow{Account: &accounts[i], Percent: interview.AccountPercent(cov, accounts[i].ID)}
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
	return s.render(c, status, "interview.html", pageData{Title: iv.CSMName, Data: map[string]any{
		"Interview": iv, "Rows": rows, "Portfolio": portfolio, "Percent": interview.Percent(cov),
		"DaysLeft": daysUntil(iv.DepartureDate), "InviteURL": inviteURL, "Notice": notice,
		"TopicLabels": accountTopicLabels(), "Readiness": ready, "ReadyBy": readyByAccount(ready),
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
	err = s.assignSuccessor(c, iv, c.FormValue("email"))
	var fields validation.Errors
	if errors.As(err, &fields) {
		return s.renderInterview(c, http.StatusBadRequest, iv, "", successorNotice(c.FormValue("email"), fields))
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// successorsPageSubmit gives the ticked accounts of the session page to one successor.
func (s *Server) successorsPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	err = s.assignSuccessors(c, iv, form["account_id"], c.FormValue("email"))
	var fields validation.Errors
	if errors.As(err, &fields) {
		msg := successorNotice(c.FormValue("email"), fields)
		if _, ok := fields["accounts"]; ok {
			msg = "Tick the accounts to hand over, then give the successor's email."
		}
		return s.renderInterview(c, http.StatusBadRequest, iv, "", msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// handOverPageSubmit marks the session handed over from its page.
func (s *Server) handOverPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	if err := s.handOver(c, iv); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}

// readyByAccount indexes a session's account readiness by account id, for the session page's table.
func readyByAccount(r sessionReadiness) map[string]accountReadiness {
	out := make(map[string]accountReadiness, len(r.Accounts))
	for _, a := range r.Accounts {
		out[a.Account.ID] = a
	}
	return out
}

// successorNotice says on the session page why a successor was not assigned.
func successorNotice(email string, fields validation.Errors) string {
	email = auth.NormalizeEmail(email)
	if p := fields["email"]; strings.Contains(p, "role") {
		return email + " " + p + "."
	}
	return "No user has the email " + email + "; an admin must create them first."
}
