package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type crmInput struct {
	Health          string `json:"health"`
	LastContact     string `json:"last_contact"`
	OpenOpportunity string `json:"open_opportunity"`
	Notes           string `json:"notes"`
}

type accountInput struct {
	Name        string          `json:"name" text:"line"`
	ARR         json.RawMessage `json:"arr"`
	RenewalDate string          `json:"renewal_date"`
	Segment     string          `json:"segment" text:"line"`
	CRMID       string          `json:"crm_id"`
	CRM         *crmInput       `json:"crm"`
	Successor   string          `json:"successor"`
	// Currency is the ISO 4217 code of arr, when arr is a number or a string that names none.
	Currency string `json:"currency"`
}

type successorInput struct {
	Account string `json:"account" text:"line"`
	Email   string `json:"email"`
}

type createInterviewRequest struct {
	CSM struct {
		Name  string `json:"name" text:"line"`
		Email string `json:"email"`
	} `json:"csm"`
	DepartureDate     string           `json:"departure_date"`
	Accounts          []accountInput   `json:"accounts"`
	Successors        []successorInput `json:"successors"`
	TimeBudgetMinutes int              `json:"time_budget_minutes"`
	// DateOrder reads numeric dates such as 01/02/2027: "DMY" or "MDY"; without it the accounts' other
	// dates decide, or such a date is refused.
	DateOrder string `json:"date_order"`
	// Currency is the ISO 4217 code of the amounts that name none; without it, USD.
	Currency string `json:"currency"`
}

// parseAmount accepts a JSON number or a string as a CRM writes it ("$240,000", "1.2M", "8.400 €"), with
// the currency the string names.
func parseAmount(raw json.RawMessage) (*float64, book.Money, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, book.Money{}, true
	}
	var n float64
	if err := json.Unmarshal(raw, &n); err == nil {
		return &n, book.Money{Amount: n}, true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, book.Money{}, false
	}
	if strings.TrimSpace(s) == "" {
		return nil, book.Money{}, true
	}
	m, err := book.ParseMoney(s)
	if err != nil {
		return nil, book.Money{}, false
	}
	return &m.Amount, m, true
}

// toCreateInput turns the request into the domain's input; dates are parsed here, named per field.
func (r createInterviewRequest) toCreateInput() (interview.CreateInput, error) {
	errs := validation.Errors{}
	in := interview.CreateInput{CSMName: r.CSM.Name, CSMEmail: r.CSM.Email, DepartureDate: r.DepartureDate, TimeBudgetMinutes: r.TimeBudgetMinutes,
		Currency: r.Currency}
	order, ok := book.ParseDateOrderName(r.DateOrder)
	if !ok {
		errs.Add("date_order", `must be "DMY" (day first) or "MDY" (month first)`)
	}
	if order == "" {
		var dates []string
		for _, a := range r.Accounts {
			dates = append(dates, a.RenewalDate)
			if a.CRM != nil {
				dates = append(dates, a.CRM.LastContact)
			}
		}
		order = book.InferDateOrder(dates)
	}
	date := func(field, s string) *time.Time {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		t, err := book.ParseDateOrder(s, order)
		var amb *book.AmbiguousDateError
		switch {
		case errors.As(err, &amb):
			errs.Add(field, fmt.Sprintf("is ambiguous: %s could be %s or %s; send date_order \"DMY\" or \"MDY\", or a date like %s",
				amb.Value, amb.DayFirst.Format("2 January 2006"), amb.MonthFirst.Format("2 January 2006"), amb.DayFirst.Format(time.DateOnly)))
			return nil
		case err != nil:
			errs.Add(field, "must be a date like 2027-03-15")
			return nil
		}
		return &t
	}
	for i, a := range r.Accounts {
		arr, m, ok := parseAmount(a.ARR)
		if !ok {
			errs.Add(fmt.Sprintf("accounts[%d].arr", i), "must be a number or an amount like $240,000")
		}
		switch code := strings.ToUpper(strings.TrimSpace(a.Currency)); {
		case code == "":
		case !money.Valid(code):
			errs.Add(fmt.Sprintf("accounts[%d].currency", i), "must be a three-letter ISO 4217 code such as USD, EUR or GBP")
		case m.Currency != "" && m.Currency != code:
			errs.Add(fmt.Sprintf("accounts[%d].currency", i), fmt.Sprintf("is %s but arr is written in %s", code, m.Currency))
		default:
			m.Currency, m.Kronor = code, false
		}
		acc := book.Account{Name: a.Name, ARR: arr, Currency: m.Currency, Kronor: m.Kronor, Segment: a.Segment, CRMID: a.CRMID,
			Successor: a.Successor, RenewalDate: date(fmt.Sprintf("accounts[%d].renewal_date", i), a.RenewalDate)}
		if a.CRM != nil {
			acc.CRM = book.CRMContext{Health: a.CRM.Health, OpenOpportunity: a.CRM.OpenOpportunity, Notes: a.CRM.Notes,
				LastContact: date(fmt.Sprintf("accounts[%d].crm.last_contact", i), a.CRM.LastContact)}
		}
		in.Accounts = append(in.Accounts, acc)
	}
	for _, s := range r.Successors {
		in.Successors = append(in.Successors, interview.SuccessorInput{Account: s.Account, Email: s.Email})
	}
	return in, errs.Err()
}

type createdJSON struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	InviteURL   string `json:"invite_url"`
	InviteToken string `json:"invite_token"`
}

// createInterview starts a knowledge-transfer session (manager).
func (s *Server) createInterview(c echo.Context) error {
	var req createInterviewRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := req.toCreateInput()
	if err != nil {
		return err
	}
	return s.create(c, in)
}

func (s *Server) create(c echo.Context, in interview.CreateInput) error {
	u, _ := currentUser(c)
	created, err := s.ivs.Create(c.Request().Context(), u.ID, in)
	if err != nil {
		return err
	}
	s.audit(c, "interview.created", created.Interview.ID, map[string]any{"accounts": len(created.Accounts)})
	return c.JSON(http.StatusCreated, createdJSON{ID: created.Interview.ID, Status: created.Interview.Status,
		InviteURL: created.InviteURL, InviteToken: created.InviteToken})
}

// importInterview is createInterview with the accounts as an uploaded CSV file (multipart form).
func (s *Server) importInterview(c echo.Context) error {
	in, err := s.readImportForm(c)
	if err != nil {
		return err
	}
	return s.create(c, in)
}

func (s *Server) readImportForm(c echo.Context) (interview.CreateInput, error) {
	fh, err := c.FormFile("accounts")
	if tooLarge(err) {
		return interview.CreateInput{}, errTooLarge
	}
	if err != nil {
		return interview.CreateInput{}, &apiError{Status: http.StatusBadRequest, Code: "invalid_input", Message: "Attach the accounts as a CSV file in the field \"accounts\".",
			Fields: map[string]string{"accounts": "a CSV file is required"}}
	}
	f, err := fh.Open()
	if err != nil {
		return interview.CreateInput{}, err
	}
	defer f.Close()
	order, ok := book.ParseDateOrderName(c.FormValue("date_order"))
	if !ok {
		return interview.CreateInput{}, validation.Errors{"date_order": `must be "DMY" (day first) or "MDY" (month first)`}
	}
	accounts, err := book.ParseCSVOrder(f, order)
	if err != nil {
		return interview.CreateInput{}, csvError(err)
	}
	in := interview.CreateInput{CSMName: c.FormValue("csm.name"), CSMEmail: c.FormValue("csm.email"),
		DepartureDate: c.FormValue("departure_date"), Accounts: accounts, Currency: c.FormValue("currency")}
	if b := c.FormValue("time_budget_minutes"); b != "" {
		if in.TimeBudgetMinutes, err = strconv.Atoi(b); err != nil {
			return in, validation.Errors{"time_budget_minutes": "must be a whole number of minutes"}
		}
	}
	return in, nil
}

var errTooLarge = newError(http.StatusRequestEntityTooLarge, "body_too_large", "The upload is too large (at most 10 MB).")

// tooLarge reports a body cut off by the size limit while a form was read.
func tooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

func csvError(err error) error {
	var pe *book.ParseError
	if errors.As(err, &pe) {
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_csv", Message: "The accounts file has a problem: " + pe.Error() + ".",
			Fields: map[string]string{"accounts": pe.Error()}}
	}
	return err
}

// ownInterview loads an interview the caller may manage: its manager, or an admin. Anyone else gets the
// same 404 as for an interview that does not exist.
func (s *Server) ownInterview(c echo.Context) (store.Interview, error) {
	u, _ := currentUser(c)
	iv, err := s.store.InterviewByID(c.Request().Context(), c.Param("id"))
	if err != nil {
		return store.Interview{}, err
	}
	if u.Role != store.RoleAdmin && iv.ManagerID != u.ID {
		return store.Interview{}, errNotFound
	}
	return iv, nil
}

func (s *Server) audit(c echo.Context, action, subject string, details map[string]any) {
	s.auditAs(c.Request().Context(), actorOf(c), action, subject, details)
}

// auditAs records what actor by did, whoever asked for it (a request, an MCP tool call); the entry is
// written even when the request's context ends.
func (s *Server) auditAs(ctx context.Context, by actor, action, subject string, details map[string]any) {
	ctx = context.WithoutCancel(ctx)
	if err := s.store.Audit(ctx, store.AuditEntry{ActorUserID: by.user.ID, Action: action, Subject: subject, IP: by.ip, Details: details}); err != nil {
		s.log.Error("audit", "action", action, "error", err)
	}
}

// actor is who makes a request and from where: what the API, the pages and the MCP tools share once the
// caller is known.
type actor struct {
	user store.User
	ip   string
}

func actorOf(c echo.Context) actor {
	u, _ := currentUser(c)
	return actor{user: u, ip: c.RealIP()}
}

func (a actor) viewer() store.Viewer { return store.Viewer{UserID: a.user.ID, Role: a.user.Role} }
