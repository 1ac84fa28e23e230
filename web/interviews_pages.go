package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
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
