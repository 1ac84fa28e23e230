package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// TestAmbiguousDatesInASession: a numeric date that reads two ways is refused unless the request gives
// the order or its other dates show it; the import and the form take the order as date_order.
func TestAmbiguousDatesInASession(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	cookie := e.login("maria@example.com", pw)
	create := func(order, accounts string) *http.Response {
		return e.postJSON("/api/v1/interviews", fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,"accounts":%s%s}`,
			departure(), accounts, order), withBearer(tok))
	}
	r := create("", `[{"name":"Acme","renewal_date":"01/02/2027"}]`)
	b := decodeInto[errorBody](t, r)
	if r.StatusCode != 400 || !strings.Contains(b.Error.Fields["accounts[0].renewal_date"], "1 February 2027 or 2 January 2027") ||
		!strings.Contains(b.Error.Fields["accounts[0].renewal_date"], "date_order") {
		t.Fatalf("ambiguous date: %d %+v", r.StatusCode, b.Error)
	}
	r = create(`,"date_order":"YMD"`, `[{"name":"Acme","renewal_date":"2027-01-02"}]`)
	if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || b.Error.Fields["date_order"] == "" {
		t.Fatalf("bad order: %d %+v", r.StatusCode, b.Error)
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("refused requests created %d sessions", n)
	}
	renewal := func(c createdJSON) string {
		d := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
		return *d.Accounts[0].RenewalDate
	}
	for _, tc := range []struct{ order, accounts, want string }{
		{`,"date_order":"DMY"`, `[{"name":"Acme","renewal_date":"01/02/2027"}]`, "2027-02-01"},
		{`,"date_order":"mdy"`, `[{"name":"Acme","renewal_date":"01/02/2027"}]`, "2027-01-02"},
		{"", `[{"name":"Acme","renewal_date":"01/02/2027"},{"name":"Globex","renewal_date":"25/12/2026"}]`, "2027-02-01"},
	} {
		r := create(tc.order, tc.accounts)
		c := decodeInto[createdJSON](t, r)
		if r.StatusCode != 201 || renewal(c) != tc.want {
			t.Fatalf("%s %s: %d, want renewal %s", tc.order, tc.accounts, r.StatusCode, tc.want)
		}
	}

	fields := map[string]string{"csm.name": "Dana", "departure_date": departure()}
	csv := "Account Name,Renewal Date\nAcme,01/02/2027\n"
	body, ct := multipartBody(t, fields, csv)
	r = e.do(http.MethodPost, "/api/v1/interviews/import", body, withBearer(tok), withHeader("Content-Type", ct))
	if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || !strings.Contains(b.Error.Message, "line 2") || !strings.Contains(b.Error.Message, "date order") {
		t.Fatalf("ambiguous import: %d %+v", r.StatusCode, b.Error)
	}
	fields["date_order"] = "MDY"
	body, ct = multipartBody(t, fields, csv)
	r = e.do(http.MethodPost, "/api/v1/interviews/import", body, withBearer(tok), withHeader("Content-Type", ct))
	if c := decodeInto[createdJSON](t, r); r.StatusCode != 201 || renewal(c) != "2027-01-02" {
		t.Fatalf("import month first: %d", r.StatusCode)
	}

	// The form: refused with the line, then accepted day first.
	form := url.Values{"csm_name": {"Dana"}, "departure_date": {departure()}, "accounts_text": {"Acme, 1000, 03/04/2027"}}
	r = e.postForm("/interviews", form, cookie)
	if page := readBody(t, r); r.StatusCode != 400 || !strings.Contains(page, "line 1") || !strings.Contains(page, "3 April 2027 or 4 March 2027") {
		t.Fatalf("ambiguous form: %d %s", r.StatusCode, page)
	}
	form.Set("date_order", "DMY")
	if r = e.postForm("/interviews", form, cookie); r.StatusCode != 200 {
		t.Fatalf("form day first: %d %s", r.StatusCode, readBody(t, r))
	}
}

// TestDepartureDateIsBounded: today up to MaxDepartureDays ahead; not the past, not 9999-12-31.
func TestDepartureDateIsBounded(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	today := time.Now().UTC()
	for _, tc := range []struct {
		date string
		ok   bool
	}{
		{"9999-12-31", false},
		{today.AddDate(2, 0, 0).Format(time.DateOnly), false},
		{today.AddDate(0, 0, 368).Format(time.DateOnly), false},
		{today.AddDate(0, 0, -1).Format(time.DateOnly), false},
		{today.AddDate(0, 0, 365).Format(time.DateOnly), true},
		{today.Format(time.DateOnly), true},
	} {
		r := e.postJSON("/api/v1/interviews", fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,"accounts":[{"name":"Acme"}]}`, tc.date), withBearer(tok))
		if tc.ok != (r.StatusCode == 201) {
			t.Errorf("departure %s: %d %s", tc.date, r.StatusCode, readBody(t, r))
			continue
		}
		if !tc.ok {
			if b := decodeInto[errorBody](t, r); b.Error.Fields["departure_date"] == "" {
				t.Errorf("departure %s: %+v does not name departure_date", tc.date, b.Error)
			}
		}
	}
}

// TestOnlySuccessorsAreSuccessors: a manager or an admin cannot be named an account's successor, on
// creation, over the API or on the session page: they would be told of accounts they cannot open.
func TestOnlySuccessorsAreSuccessors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	e.user(store.RoleManager, "omar@example.com")
	e.user(store.RoleAdmin, "root@example.com")
	tok := e.token("maria@example.com")
	cookie := e.login("maria@example.com", pw)

	r := e.postJSON("/api/v1/interviews", fmt.Sprintf(`{"csm":{"name":"Dana"},"departure_date":%q,"accounts":[{"name":"Acme","successor":"omar@example.com"}]}`,
		departure()), withBearer(tok))
	if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || b.Error.Fields["accounts[0].successor"] != "is a user with the manager role; successors must have the successor role" {
		t.Fatalf("create with a manager successor: %d %+v", r.StatusCode, b.Error)
	}
	c := e.createSession(tok) // Globex goes to sam, a successor
	d := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	acc := d.Accounts[0].ID
	for _, email := range []string{"omar@example.com", "root@example.com"} {
		r := e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/accounts/"+acc+"/successor", strings.NewReader(`{"email":"`+email+`"}`),
			withBearer(tok), withHeader("Content-Type", "application/json"))
		if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || !strings.Contains(b.Error.Fields["email"], "successors must have the successor role") {
			t.Fatalf("PUT successor %s: %d %+v", email, r.StatusCode, b.Error)
		}
		r = e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/successors", strings.NewReader(`{"email":"`+email+`","accounts":["Globex"]}`),
			withBearer(tok), withHeader("Content-Type", "application/json"))
		if r.StatusCode != 400 {
			t.Fatalf("PUT successors %s: %d", email, r.StatusCode)
		}
		r = e.postForm("/interviews/"+c.ID+"/accounts/"+acc+"/successor", url.Values{"email": {email}}, cookie)
		if page := readBody(t, r); r.StatusCode != http.StatusBadRequest || !strings.Contains(page, "successors must have the successor role") {
			t.Fatalf("page successor %s: %d %s", email, r.StatusCode, page)
		}
	}
	d = decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	for _, a := range d.Accounts {
		if a.Successor != nil && *a.Successor != "sam@example.com" {
			t.Fatalf("%s was given to %s", a.Name, *a.Successor)
		}
	}
}

// TestQuestionsBackAreCapped: one asker may send one CSM EXITINTERVIEW_QUESTIONS_PER_DAY questions in 24
// hours; the next is a 429 with Retry-After that stores nothing. Each asker has their own allowance.
func TestQuestionsBackAreCapped(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.e.srv.cfg.QuestionsPerDay = 3
	path := "/api/v1/interviews/" + f.iv.ID + "/questions"
	ask := func(who string, n int) *http.Response {
		return f.e.postJSON(path, fmt.Sprintf(`{"text":"Question %d: who signs the renewal?","account":"Northwind"}`, n), withBearer(f.tokens[who]))
	}
	for i := range 3 {
		if r := ask("sam", i); r.StatusCode != http.StatusCreated {
			t.Fatalf("question %d: %d %s", i, r.StatusCode, readBody(t, r))
		}
	}
	before := f.e.count("asked_questions")
	r := ask("sam", 4)
	b := decodeInto[errorBody](t, r)
	if r.StatusCode != http.StatusTooManyRequests || b.Error.Code != "too_many_questions" || !strings.Contains(b.Error.Message, "3 questions in the last 24 hours") {
		t.Fatalf("fourth question: %d %+v", r.StatusCode, b.Error)
	}
	if ra := r.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}
	r = f.e.postForm("/questions", url.Values{"interview_id": {f.iv.ID}, "account": {"Northwind"}, "text": {"One more: who signs?"}, "back": {"/search"}}, f.cookies["sam"])
	if page := readBody(t, r); r.StatusCode != http.StatusTooManyRequests || !strings.Contains(page, "the most allowed") {
		t.Fatalf("form, fourth question: %d %s", r.StatusCode, page)
	}
	if n := f.e.count("asked_questions"); n != before {
		t.Fatalf("refused questions were stored: %d → %d", before, n)
	}
	// The manager's allowance is their own.
	if r := f.e.postJSON(path, `{"text":"Anything else about Globex?","account":"Globex"}`, withBearer(f.tokens["maria"])); r.StatusCode != http.StatusCreated {
		t.Fatalf("manager's question: %d %s", r.StatusCode, readBody(t, r))
	}
	// Questions older than the window no longer count.
	if _, err := f.e.store.Pool().Exec(context.Background(), `UPDATE asked_questions SET created_at = created_at - interval '25 hours'`); err != nil {
		t.Fatal(err)
	}
	if r := ask("sam", 5); r.StatusCode != http.StatusCreated {
		t.Fatalf("a day later: %d %s", r.StatusCode, readBody(t, r))
	}
}
