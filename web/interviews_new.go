package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/validation"
)

// The new-session form takes the departing CSM's accounts typed, from a CSV file, or both. "Preview"
// shows the accounts as they will be created and which field each of the file's columns was taken for,
// which the manager may change; "Create session" creates it. The file is read once: its text travels in
// the form from then on, so a mistake elsewhere does not make the manager choose it again, and it is
// parsed again on every post, since it came back from the browser.

type newInterviewForm struct {
	Values map[string]string
	Fields validation.Errors
	// CSV is the text of the uploaded file, carried across posts; CSVName its file name.
	CSV, CSVName string
	// Columns are the file's columns with the field each feeds, as guessed or as the manager chose.
	Columns []book.Column
	Choices []book.FieldChoice
	// Preview holds the accounts as they will be created, once they parsed; Merged names those that were
	// both typed and in the file.
	Preview  []book.Account
	Merged   []string
	Typed    int
	FromFile int
}

// previewLimit bounds the rows the preview lists; the count says how many there are in all.
const previewLimit = 100

func (s *Server) newInterviewPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "interview_new.html", pageData{Title: "New session", Data: newInterviewForm{
		Values: map[string]string{"time_budget_minutes": "60"}, Choices: book.FieldChoices}})
}

// newInterviewSubmit previews (step=preview) or creates a session from the form. A post without a step
// creates, as the form did before it had a preview.
func (s *Server) newInterviewSubmit(c echo.Context) error {
	form := newInterviewForm{Values: map[string]string{}, Fields: validation.Errors{}, Choices: book.FieldChoices}
	if _, err := c.MultipartForm(); tooLarge(err) {
		return errTooLarge
	}
	for _, k := range []string{"csm_name", "csm_email", "departure_date", "accounts_text", "time_budget_minutes", "date_order", "currency"} {
		form.Values[k] = c.FormValue(k)
	}
	fail := func() error {
		return s.render(c, http.StatusBadRequest, "interview_new.html", pageData{Title: "New session", Data: form})
	}
	order, ok := book.ParseDateOrderName(form.Values["date_order"])
	if !ok {
		form.Fields["date_order"] = "must be day first or month first"
		return fail()
	}
	accounts, err := s.formAccounts(c, &form, order)
	if err != nil {
		return err
	}
	if len(form.Fields) > 0 {
		return fail()
	}
	if c.FormValue("step") == "preview" {
		if len(accounts) == 0 {
			form.Fields["accounts"] = "type at least one account or choose a CSV file"
			return fail()
		}
		return s.render(c, http.StatusOK, "interview_new.html", pageData{Title: "New session: preview", Data: form})
	}

	budget, _ := strconv.Atoi(form.Values["time_budget_minutes"])
	in := interview.CreateInput{CSMName: form.Values["csm_name"], CSMEmail: form.Values["csm_email"],
		DepartureDate: form.Values["departure_date"], TimeBudgetMinutes: budget, Accounts: accounts, Currency: form.Values["currency"]}
	u, _ := currentUser(c)
	created, err := s.ivs.Create(c.Request().Context(), u.ID, in)
	var fields validation.Errors
	if errors.As(err, &fields) {
		form.Fields = fields
		return fail()
	}
	if err != nil {
		return err
	}
	s.audit(c, "interview.created", created.Interview.ID, map[string]any{"accounts": len(created.Accounts)})
	return s.render(c, http.StatusOK, "interview_created.html", pageData{Title: "Session created", Data: map[string]any{
		"Interview": created.Interview, "InviteURL": created.InviteURL, "Accounts": created.Accounts, "Merged": form.Merged}})
}

// formAccounts reads the typed accounts and the file's (a new upload replaces the one carried in the
// form, and resets its columns to the importer's guess) and merges them. A problem with either is put in
// form.Fields; what parsed fills the preview.
func (s *Server) formAccounts(c echo.Context, form *newInterviewForm, order book.DateOrder) ([]book.Account, error) {
	form.CSV, form.CSVName = c.FormValue("accounts_csv"), c.FormValue("accounts_csv_name")
	req := c.Request()
	mapping := req.Form["column"]
	if req.MultipartForm != nil {
		mapping = req.MultipartForm.Value["column"]
	}
	if fh, err := c.FormFile("accounts_file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			return nil, err
		}
		text, err := book.DecodeCSV(f)
		f.Close()
		var pe *book.ParseError
		if errors.As(err, &pe) {
			form.Fields["accounts_file"] = pe.Error()
			form.CSV, form.CSVName = "", ""
		} else if err != nil {
			return nil, err
		} else {
			form.CSV, form.CSVName, mapping = text, fh.Filename, nil
		}
	}
	if c.FormValue("drop_file") != "" {
		form.CSV, form.CSVName, mapping = "", "", nil
	}
	if r := []rune(form.CSVName); len(r) > 200 {
		form.CSVName = string(r[:200])
	}

	var typed, fromFile []book.Account
	var err error
	if strings.TrimSpace(form.Values["accounts_text"]) != "" {
		typed, err = book.ParseTextOrder(form.Values["accounts_text"], order)
		if msg, bad := parseProblem(err); bad {
			form.Fields["accounts"] = msg
		} else if err != nil {
			return nil, err
		}
	}
	if form.CSV != "" {
		if form.Columns, err = book.GuessColumns(form.CSV); err == nil && len(mapping) == len(form.Columns) {
			for i := range form.Columns {
				form.Columns[i].Field = mapping[i]
			}
		} else if len(mapping) > 0 && err == nil {
			mapping = nil // the choices were for another file
		}
		fromFile, err = book.ParseCSVText(form.CSV, order, mapping)
		if msg, bad := parseProblem(err); bad {
			form.Fields["accounts_file"] = msg
		} else if err != nil {
			return nil, err
		}
	}
	if len(form.Fields) > 0 {
		return nil, nil
	}
	accounts, merged := book.Merge(typed, fromFile)
	form.Preview, form.Merged, form.Typed, form.FromFile = accounts, merged, len(typed), len(fromFile)
	return accounts, nil
}

func parseProblem(err error) (string, bool) {
	var pe *book.ParseError
	if errors.As(err, &pe) {
		return pe.Error(), true
	}
	return "", false
}

// PreviewRows is the part of the preview a page lists.
func (f newInterviewForm) PreviewRows() []book.Account {
	if len(f.Preview) > previewLimit {
		return f.Preview[:previewLimit]
	}
	return f.Preview
}

// ARR writes a previewed account's ARR in the currency it will be created in; an amount in "kr" that
// the session's currency does not settle is shown as it was written.
func (f newInterviewForm) ARR(a book.Account) string {
	if a.ARR == nil {
		return ""
	}
	def := strings.ToUpper(strings.TrimSpace(f.Values["currency"]))
	if !money.Valid(def) {
		def = money.Default
	}
	code, err := a.CurrencyIn(def)
	if err != nil {
		return money.Number(*a.ARR) + " kr"
	}
	return money.Format(*a.ARR, code)
}

// PreviewSummary says how many accounts the plan holds and where they came from.
func (f newInterviewForm) PreviewSummary() string {
	n := len(f.Preview)
	out := plural.Count(n, "account", "accounts") + " in the plan"
	switch {
	case f.Typed > 0 && f.FromFile > 0:
		out += fmt.Sprintf(": %d typed and %d from %s", f.Typed, f.FromFile, f.CSVName)
		if len(f.Merged) > 0 {
			out += fmt.Sprintf(", %d of them in both", len(f.Merged))
		}
	case f.FromFile > 0:
		out += " from " + f.CSVName
	}
	if n > previewLimit {
		out += fmt.Sprintf("; the first %d are shown", previewLimit)
	}
	return out + "."
}
