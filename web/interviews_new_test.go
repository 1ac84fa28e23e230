package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// postNewSession posts the new-session form as a browser does, with file as the CSV chosen (none when "").
func (e *testEnv) postNewSession(form url.Values, file string, c *http.Cookie) (*http.Response, string) {
	e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	if file != "" {
		fw, _ := w.CreateFormFile("accounts_file", "accounts.csv")
		_, _ = fw.Write([]byte(file))
	}
	_ = w.Close()
	r := e.do(http.MethodPost, "/interviews", &buf, withHeader("Content-Type", w.FormDataContentType()), withCookie(c))
	return r, readBody(e.t, r)
}

// keptFile is the file's text the page carries in its form.
func keptFile(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`name="accounts_csv" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the page does not keep the file")
	}
	return html.UnescapeString(m[1])
}

const sixAccountsCSV = "Account Name,ARR,Renewal Date,Segment,Health\n" +
	"Northwind Traders,\"$240,000\",2027-03-15,Enterprise,yellow\n" +
	"Globex,180000,2027-06-30,Mid-market,green\n" +
	"Initech,45000,2027-02-01,SMB,red\n" +
	"Umbrella Corporation,90000,2027-09-30,Enterprise,green\n" +
	"Stark Logistics,120000,2027-04-30,Enterprise,yellow\n" +
	"Wayne Retail,60000,2027-05-31,Mid-market,green\n"

func newSessionForm(step string) url.Values {
	return url.Values{"csm_name": {"Dana Whitfield"}, "departure_date": {departure()}, "time_budget_minutes": {"60"}, "step": {step}}
}

// TestNewSessionMergesTypedAndFileAccounts: typed rows and a CSV make one plan; an account in both is
// merged and the manager is told. The preview creates nothing.
func TestNewSessionMergesTypedAndFileAccounts(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	cookie := e.login("maria@example.com", pw)

	form := newSessionForm("preview")
	form.Set("accounts_text", "northwind traders, $250,000\nAcme Corp, $75,000, 2027-08-01")
	r, page := e.postNewSession(form, sixAccountsCSV, cookie)
	if r.StatusCode != 200 || !strings.Contains(page, "7 accounts in the plan: 2 typed and 6 from accounts.csv, 1 of them in both.") ||
		!strings.Contains(page, "merged into one account each") || !strings.Contains(page, `id="create"`) {
		t.Fatalf("preview: %d\n%s", r.StatusCode, page)
	}
	for _, name := range []string{"Acme Corp", "Wayne Retail", `"ARR">$250,000`, "15 Mar 2027"} {
		if !strings.Contains(page, name) {
			t.Errorf("the preview lacks %q", name)
		}
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("a preview created %d sessions", n)
	}

	form.Set("step", "create")
	form.Set("accounts_csv", keptFile(t, page))
	form.Set("accounts_csv_name", "accounts.csv")
	r, page = e.postNewSession(form, "", cookie)
	if r.StatusCode != 200 || !strings.Contains(page, "7 accounts in the plan") || !strings.Contains(page, "merged into one account each: northwind traders") {
		t.Fatalf("created: %d\n%s", r.StatusCode, page)
	}
	var arr float64
	var renewal string
	if err := e.store.Pool().QueryRow(context.Background(), `SELECT arr, renewal_date::text FROM accounts WHERE lower(name) = 'northwind traders'`).Scan(&arr, &renewal); err != nil {
		t.Fatal(err)
	}
	if arr != 250000 || renewal != "2027-03-15" || e.count("accounts") != 7 {
		t.Fatalf("the merged account: ARR %v, renewal %s; %d accounts", arr, renewal, e.count("accounts"))
	}
}

// TestNewSessionKeepsTheFileAcrossAnError: after a mistake elsewhere in the form the file is still there;
// the next post creates the session from it without choosing it again.
func TestNewSessionKeepsTheFileAcrossAnError(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	cookie := e.login("maria@example.com", pw)

	form := newSessionForm("create")
	form.Set("csm_name", "")
	r, page := e.postNewSession(form, sixAccountsCSV, cookie)
	if r.StatusCode != 400 || !strings.Contains(page, `aria-describedby="csm_name-error"`) || !strings.Contains(page, "Using the file <strong>accounts.csv</strong>") {
		t.Fatalf("error: %d\n%s", r.StatusCode, page)
	}
	if kept := keptFile(t, page); kept != sixAccountsCSV {
		t.Fatalf("the kept file:\n%q", kept)
	}
	if !strings.Contains(page, "6 accounts in the plan from accounts.csv.") {
		t.Error("the preview is gone after the error")
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("%d sessions after an error", n)
	}

	form.Set("csm_name", "Dana Whitfield")
	form.Set("accounts_csv", keptFile(t, page))
	form.Set("accounts_csv_name", "accounts.csv")
	if r, page = e.postNewSession(form, "", cookie); r.StatusCode != 200 || !strings.Contains(page, "6 accounts in the plan") {
		t.Fatalf("created: %d\n%s", r.StatusCode, page)
	}

	// "Leave this file out" drops it.
	form.Set("step", "preview")
	form.Set("drop_file", "1")
	if r, page = e.postNewSession(form, "", cookie); r.StatusCode != 400 || strings.Contains(page, `name="accounts_csv"`) ||
		!strings.Contains(page, "type at least one account or choose a CSV file") {
		t.Fatalf("without the file: %d\n%s", r.StatusCode, page)
	}
}

// TestNewSessionColumnMapping: the preview names the field each column was taken for; the manager's
// choice is what is previewed and created, and a choice that cannot be right is refused on the field.
func TestNewSessionColumnMapping(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	cookie := e.login("maria@example.com", pw)
	const export = "Company;Revenue;Contract End\nNorthwind Traders;$240,000;2027-03-15\nGlobex;180000;2027-06-30\n"

	r, page := e.postNewSession(newSessionForm("preview"), export, cookie)
	selected := func(page string, i, key string) bool {
		sel := regexp.MustCompile(`(?s)<select id="column-` + i + `" name="column">(.*?)</select>`).FindStringSubmatch(page)
		return sel != nil && strings.Contains(sel[1], `<option value="`+key+`" selected>`)
	}
	if r.StatusCode != 200 || !selected(page, "0", "name") || !selected(page, "1", "") || !selected(page, "2", "renewal_date") || strings.Contains(page, `<td data-label="ARR">$240,000`) {
		t.Fatalf("the guessed columns: %d\n%s", r.StatusCode, page)
	}

	form := newSessionForm("preview")
	form.Set("accounts_csv", keptFile(t, page))
	form.Set("accounts_csv_name", "crm.csv")
	form["column"] = []string{"name", "arr", "renewal_date"}
	if r, page = e.postNewSession(form, "", cookie); r.StatusCode != 200 || !selected(page, "1", "arr") || !strings.Contains(page, `<td data-label="ARR">$240,000`) {
		t.Fatalf("the chosen columns: %d\n%s", r.StatusCode, page)
	}

	form["column"] = []string{"name", "arr", "arr"}
	r, page = e.postNewSession(form, "", cookie)
	if r.StatusCode != 400 || !strings.Contains(page, `id="accounts_file" name="accounts_file" type="file" accept=".csv,text/csv" aria-invalid="true" aria-describedby="accounts_file-error"`) ||
		!strings.Contains(page, "ARR is chosen for two columns") || !selected(page, "2", "arr") {
		t.Fatalf("a field chosen twice: %d\n%s", r.StatusCode, page)
	}

	// What comes back from the browser is parsed again: a tampered text is refused like a bad file.
	tampered := newSessionForm("create")
	tampered.Set("accounts_csv", "Company\nAcme\x01 Corp\n")
	if r, page = e.postNewSession(tampered, "", cookie); r.StatusCode != 400 || !strings.Contains(page, "control character") {
		t.Fatalf("a tampered file: %d\n%s", r.StatusCode, page)
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("%d sessions", n)
	}

	form["column"] = []string{"name", "arr", "renewal_date"}
	form.Set("step", "create")
	if r, page = e.postNewSession(form, "", cookie); r.StatusCode != 200 {
		t.Fatalf("create: %d\n%s", r.StatusCode, page)
	}
	var arr float64
	if err := e.store.Pool().QueryRow(context.Background(), `SELECT arr FROM accounts WHERE name = 'Northwind Traders'`).Scan(&arr); err != nil || arr != 240000 {
		t.Fatalf("ARR %v %v", arr, err)
	}
}
