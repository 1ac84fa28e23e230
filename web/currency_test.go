package web

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// TestAccountsKeepTheirCurrency: a session's accounts keep the currency their ARR was given in, over the
// API (a currency field beside arr), on the session page, the account page and a successor's home page;
// an amount and a currency that disagree, or "kr" in a session in dollars, are refused and nothing is made.
func TestAccountsKeepTheirCurrency(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	_, spw := e.user(store.RoleSuccessor, "sam@example.com")
	tok := e.token("maria@example.com")
	create := func(currency, accounts string) *http.Response {
		return e.postJSON("/api/v1/interviews", fmt.Sprintf(`{"csm":{"name":"Dana Whitfield"},"departure_date":%q,"currency":%q,"accounts":%s}`,
			departure(), currency, accounts), withBearer(tok))
	}
	for name, tc := range map[string]struct{ currency, accounts, field string }{
		"amount and currency disagree": {"", `[{"name":"Müller GmbH","arr":"8.400 €","currency":"GBP"}]`, "accounts[0].currency"},
		"not a currency code":          {"", `[{"name":"Müller GmbH","arr":8400,"currency":"euros"}]`, "accounts[0].currency"},
		"kr in a session in dollars":   {"", `[{"name":"Volvo","arr":"240 000 kr"}]`, "accounts[0].arr"},
		"session currency not a code":  {"dollars", `[{"name":"Acme","arr":1000}]`, "currency"},
	} {
		r := create(tc.currency, tc.accounts)
		if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || b.Error.Fields[tc.field] == "" {
			t.Errorf("%s: %d %+v", name, r.StatusCode, b.Error)
		}
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("refused requests made %d sessions", n)
	}

	r := create("SEK", `[{"name":"Müller GmbH","arr":"8.400,50 €","successor":"sam@example.com"},{"name":"Tesco","arr":85000,"currency":"gbp"},
		{"name":"Volvo","arr":"240 000 kr"},{"name":"Acme","arr":"$1,200"},{"name":"Blank"}]`)
	c := decodeInto[createdJSON](t, r)
	if r.StatusCode != 201 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	detail := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	want := map[string]string{"Müller GmbH": "EUR", "Tesco": "GBP", "Volvo": "SEK", "Acme": "USD", "Blank": "SEK"}
	ids := map[string]string{}
	for _, a := range detail.Accounts {
		ids[a.Name] = a.ID
		if a.Currency != want[a.Name] {
			t.Errorf("%s: currency %q in the API, want %q", a.Name, a.Currency, want[a.Name])
		}
	}
	raw := readBody(t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	if !strings.Contains(raw, `"arr":8400.5,"currency":"EUR"`) {
		t.Errorf("the currency is not beside the amount: %.600s", raw)
	}

	cookie := e.login("maria@example.com", pw)
	page := readBody(t, e.do(http.MethodGet, "/interviews/"+c.ID, nil, withCookie(cookie)))
	for _, s := range []string{"€8,400.50", "£85,000", "SEK\u00a0240,000", "$1,200"} {
		if !strings.Contains(page, s) {
			t.Errorf("the session page does not show %q", s)
		}
	}
	if strings.Contains(page, "$8,400") || strings.Contains(page, "$85,000") {
		t.Error("the session page shows euros or pounds as dollars")
	}
	// The book's ARR is one total per currency, never one figure adding them up.
	if !strings.Contains(html.UnescapeString(page), "ARR €8,400.50 + £85,000 + SEK\u00a0240,000 + $1,200") {
		t.Errorf("the session page does not total ARR per currency: %.300s", page[strings.Index(page, "Last day"):])
	}
	if page := readBody(t, e.do(http.MethodGet, "/accounts/"+ids["Tesco"], nil, withCookie(cookie))); !strings.Contains(page, "£85,000 ARR") {
		t.Error("the account page does not show £85,000 ARR")
	}
	home := readBody(t, e.do(http.MethodGet, "/", nil, withCookie(e.login("sam@example.com", spw))))
	if !strings.Contains(home, "€8,400.50 ARR") {
		t.Errorf("the successor's home page does not show €8,400.50 ARR")
	}
}

// TestImportKeepsCurrencies: a CSV upload and the new-session form keep each amount's currency, and
// take the one chosen for the session for amounts that name none.
func TestImportKeepsCurrencies(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	body, ct := multipartBody(t, map[string]string{"csm.name": "Dana Whitfield", "departure_date": departure(), "currency": "NOK"},
		"Account Name;ARR\nMüller GmbH;8 400 €\nEquinor;1.200.000 kr\nAcme;5000\n")
	r := e.do(http.MethodPost, "/api/v1/interviews/import", body, withBearer(tok), withHeader("Content-Type", ct))
	c := decodeInto[createdJSON](t, r)
	if r.StatusCode != 201 {
		t.Fatalf("import: %d", r.StatusCode)
	}
	detail := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	want := map[string]string{"Müller GmbH": "EUR 8400", "Equinor": "NOK 1.2e+06", "Acme": "NOK 5000"}
	for _, a := range detail.Accounts {
		if got := fmt.Sprintf("%s %v", a.Currency, *a.ARR); got != want[a.Name] {
			t.Errorf("imported %s as %s, want %s", a.Name, got, want[a.Name])
		}
	}

	form := url.Values{"csm_name": {"Kim Form"}, "departure_date": {departure()}, "time_budget_minutes": {"60"}, "currency": {"EUR"},
		"accounts_text": {"Globex, 8.400\nHooli, £12,000"}}
	r = e.postForm("/interviews", form, e.login("maria@example.com", pw))
	if r.StatusCode != 200 {
		t.Fatalf("the form: %d %.500s", r.StatusCode, readBody(t, r))
	}
	var got []string
	rows, err := e.store.Pool().Query(t.Context(), `SELECT a.name || ' ' || a.currency FROM accounts a JOIN interviews i ON i.id = a.interview_id
WHERE i.csm_name = 'Kim Form' ORDER BY a.name`)
	must(t, err)
	for rows.Next() {
		var s string
		must(t, rows.Scan(&s))
		got = append(got, s)
	}
	if strings.Join(got, ", ") != "Globex EUR, Hooli GBP" {
		t.Fatalf("the form made %v", got)
	}
}

// TestReportPageShowsTheAccountsCurrency: the report page writes each account's ARR in its currency, in
// the risk matrix and in the account's section.
func TestReportPageShowsTheAccountsCurrency(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	if _, err := f.e.store.Pool().Exec(t.Context(), `UPDATE accounts SET currency = 'EUR' WHERE interview_id = $1 AND name = 'Northwind'`, f.iv.ID); err != nil {
		t.Fatal(err)
	}
	f.generate(t)
	_, body := f.get(t, "owner", "/interviews/"+f.iv.ID+"/report")
	if n := strings.Count(body, "€240,000"); n != 2 || strings.Contains(body, "$240,000") {
		t.Fatalf("the report page shows €240,000 %d times (want 2), or shows it in dollars", n)
	}
}
