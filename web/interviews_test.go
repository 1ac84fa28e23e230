package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

func departure() string { return time.Now().AddDate(0, 0, 21).Format("2006-01-02") }

const sixAccountsJSON = `[
 {"name":"Northwind Traders","arr":240000,"renewal_date":"2027-01-31","crm":{"health":"yellow"}},
 {"name":"Globex","arr":"$180,000","renewal_date":"30 June 2027"},
 {"name":"Initech","arr":45000},
 {"name":"Umbrella Health","arr":320000,"renewal_date":"2027-09-15"},
 {"name":"Stark Logistics","arr":95000,"renewal_date":"2027-02-20","crm":{"health":"red"}},
 {"name":"Wayne Retail","arr":30000}]`

// createSession creates a six-account session over the API as the manager with token tok.
func (e *testEnv) createSession(tok string) createdJSON {
	e.t.Helper()
	if _, err := e.store.UserByEmail(context.Background(), "sam@example.com"); err != nil {
		e.user(store.RoleSuccessor, "sam@example.com")
	}
	body := fmt.Sprintf(`{"csm":{"name":"Dana Whitfield","email":"dana@example.com"},"departure_date":%q,"accounts":%s,
		"successors":[{"account":"Globex","email":"sam@example.com"}]}`, departure(), sixAccountsJSON)
	r := e.postJSON("/api/v1/interviews", body, withBearer(tok))
	var c createdJSON
	if err := json.NewDecoder(r.Body).Decode(&c); err != nil || r.StatusCode != 201 {
		e.t.Fatalf("create session: %d %v", r.StatusCode, err)
	}
	return c
}

func decodeInto[T any](t *testing.T, r *http.Response) T {
	t.Helper()
	var v T
	if err := json.NewDecoder(r.Body).Decode(&v); err != nil {
		t.Fatalf("status %d: %v", r.StatusCode, err)
	}
	return v
}

type errorBody struct {
	Error apiError `json:"error"`
}

func TestCreateAndReadSessions(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	e.user(store.RoleManager, "other@example.com")
	e.user(store.RoleAdmin, "root@example.com")
	e.user(store.RoleSuccessor, "sam@example.com")
	mine, other, admin := e.token("maria@example.com"), e.token("other@example.com"), e.token("root@example.com")
	c := e.createSession(mine)
	if c.Status != "invited" || !strings.HasPrefix(c.InviteToken, "eiv_") || c.InviteURL != e.cfg.BaseURL+"/i/"+c.InviteToken {
		t.Fatalf("created %+v", c)
	}

	r := e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(mine))
	got := decodeInto[interviewJSON](t, r)
	if r.StatusCode != 200 || got.CSM.Name != "Dana Whitfield" || got.DepartureDate != departure() || len(got.Accounts) != 6 {
		t.Fatalf("detail: %d %+v", r.StatusCode, got)
	}
	// Highest risk and value first; CRM-style amounts and dates were understood.
	if got.Accounts[0].Name != "Stark Logistics" || got.Accounts[5].Name != "Wayne Retail" {
		t.Errorf("plan order: %s … %s", got.Accounts[0].Name, got.Accounts[5].Name)
	}
	for _, a := range got.Accounts {
		if a.Name == "Globex" && (a.ARR == nil || *a.ARR != 180000 || a.RenewalDate == nil || *a.RenewalDate != "2027-06-30" || a.Successor == nil || *a.Successor != "sam@example.com") {
			t.Errorf("Globex: %+v", a)
		}
	}
	// Six accounts of fourteen topics each, and six portfolio topics.
	if n := len(got.Coverage.Items); n != 6*14+6 {
		t.Errorf("%d coverage items, want %d", n, 6*14+6)
	}

	if r := e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(other)); r.StatusCode != 404 {
		t.Errorf("another manager reads the session: %d", r.StatusCode)
	}
	if r := e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(admin)); r.StatusCode != 200 {
		t.Errorf("admin: %d", r.StatusCode)
	}
	list := decodeInto[struct{ Interviews []interviewJSON }](t, e.do(http.MethodGet, "/api/v1/interviews", nil, withBearer(other)))
	if len(list.Interviews) != 0 {
		t.Errorf("another manager lists %d sessions", len(list.Interviews))
	}
	list = decodeInto[struct{ Interviews []interviewJSON }](t, e.do(http.MethodGet, "/api/v1/interviews", nil, withBearer(mine)))
	if len(list.Interviews) != 1 {
		t.Errorf("the manager lists %d sessions", len(list.Interviews))
	}

	// Successor assignment.
	acc := got.Accounts[0].ID
	r = e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/accounts/"+acc+"/successor", strings.NewReader(`{"email":"SAM@example.com"}`),
		withBearer(mine), withHeader("Content-Type", "application/json"))
	if after := decodeInto[interviewJSON](t, r); r.StatusCode != 200 || after.Accounts[0].Successor == nil || *after.Accounts[0].Successor != "sam@example.com" {
		t.Fatalf("assign successor: %d", r.StatusCode)
	}
	r = e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/accounts/"+acc+"/successor", strings.NewReader(`{"email":"ghost@example.com"}`),
		withBearer(mine), withHeader("Content-Type", "application/json"))
	if b := decodeInto[errorBody](t, r); r.StatusCode != 400 || b.Error.Fields["email"] == "" {
		t.Fatalf("unknown successor: %d %+v", r.StatusCode, b)
	}
	r = e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/accounts/"+acc+"/successor", strings.NewReader(`{"email":"sam@example.com"}`),
		withBearer(other), withHeader("Content-Type", "application/json"))
	if r.StatusCode != 404 {
		t.Fatalf("another manager assigns: %d", r.StatusCode)
	}
	r = e.do(http.MethodPut, "/api/v1/interviews/"+c.ID+"/accounts/not-an-account/successor", strings.NewReader(`{"email":"sam@example.com"}`),
		withBearer(mine), withHeader("Content-Type", "application/json"))
	if r.StatusCode != 404 {
		t.Fatalf("unknown account: %d", r.StatusCode)
	}
}

func TestCreateSessionRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	cases := []struct {
		name, body, code string
		fields           []string
	}{
		{"nothing", `{}`, "invalid_input", []string{"csm.name", "departure_date", "accounts"}},
		{"unknown field", `{"csm":{"name":"D"},"departure_date":"` + departure() + `","accounts":[{"name":"A"}],"owner":"x"}`, "unknown_field", []string{"owner"}},
		{"wrong type", `{"csm":{"name":"D"},"departure_date":"` + departure() + `","accounts":"Acme"}`, "invalid_type", []string{"accounts"}},
		{"bad amount and date", `{"csm":{"name":"D"},"departure_date":"` + departure() + `","accounts":[{"name":"A","arr":"lots","renewal_date":"soon"}]}`, "invalid_input", []string{"accounts[0].arr", "accounts[0].renewal_date"}},
		{"past departure", `{"csm":{"name":"D"},"departure_date":"2020-01-01","accounts":[{"name":"A"}]}`, "invalid_input", []string{"departure_date"}},
		{"duplicate accounts", `{"csm":{"name":"D"},"departure_date":"` + departure() + `","accounts":[{"name":"Acme"},{"name":"ACME "}]}`, "invalid_input", []string{"accounts[1].name"}},
		{"successor of no account", `{"csm":{"name":"D"},"departure_date":"` + departure() + `","accounts":[{"name":"A"}],"successors":[{"account":"B","email":"x@example.com"}]}`, "invalid_input", []string{"successors[0].account"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.postJSON("/api/v1/interviews", tc.body, withBearer(tok))
			b := decodeInto[errorBody](t, r)
			if r.StatusCode != 400 || b.Error.Code != tc.code {
				t.Fatalf("%d %+v", r.StatusCode, b)
			}
			for _, f := range tc.fields {
				if b.Error.Fields[f] == "" {
					t.Errorf("no message for %s: %v", f, b.Error.Fields)
				}
			}
		})
	}
	if n := e.count("interviews"); n != 0 {
		t.Fatalf("%d sessions written by refused requests", n)
	}
}

func multipartBody(t *testing.T, fields map[string]string, csv string) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	if csv != "" {
		fw, _ := w.CreateFormFile("accounts", "accounts.csv")
		_, _ = fw.Write([]byte(csv))
	}
	_ = w.Close()
	return &buf, w.FormDataContentType()
}

func TestImportSessionFromCSV(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	fields := map[string]string{"csm.name": "Dana Whitfield", "csm.email": "dana@example.com", "departure_date": departure()}
	good := "\ufeffAccount ID,Account Name,Annual Recurring Revenue,Contract End Date,Health,Owner\r\n" +
		"001A,\"Acme, Inc.\",\"$240,000\",03/15/2027,Red,Dana\r\n001B,Globex,180000,2027-06-30,Green,Dana\r\n"
	body, ct := multipartBody(t, fields, good)
	r := e.do(http.MethodPost, "/api/v1/interviews/import", body, withBearer(tok), withHeader("Content-Type", ct))
	c := decodeInto[createdJSON](t, r)
	if r.StatusCode != 201 {
		t.Fatalf("import: %d", r.StatusCode)
	}
	detail := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+c.ID, nil, withBearer(tok)))
	if detail.Accounts[0].Name != "Acme, Inc." || *detail.Accounts[0].ARR != 240000 || *detail.Accounts[0].RenewalDate != "2027-03-15" {
		t.Fatalf("imported %+v", detail.Accounts[0])
	}

	for name, tc := range map[string]struct{ csv, want string }{
		"no name column": {"Revenue,Renewal\n100,2027-01-01\n", "line 1"},
		"bad amount":     {"Name,ARR\nAcme,100\nGlobex,lots\n", "line 3"},
		"no file":        {"", "CSV file"},
	} {
		t.Run(name, func(t *testing.T) {
			body, ct := multipartBody(t, fields, tc.csv)
			r := e.do(http.MethodPost, "/api/v1/interviews/import", body, withBearer(tok), withHeader("Content-Type", ct))
			b := decodeInto[errorBody](t, r)
			if r.StatusCode != 400 || !strings.Contains(b.Error.Message, tc.want) {
				t.Fatalf("%d %+v", r.StatusCode, b.Error)
			}
		})
	}
	if n := e.count("interviews"); n != 1 {
		t.Fatalf("%d sessions; refused imports wrote", n)
	}
}

// TestInterviewRoutesByRole walks the session and CSM routes with every kind of caller.
func TestInterviewRoutesByRole(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	for _, u := range []struct {
		role  store.Role
		email string
	}{{store.RoleManager, "maria@example.com"}, {store.RoleManager, "other@example.com"}, {store.RoleAdmin, "root@example.com"}, {store.RoleSuccessor, "sam@example.com"}} {
		e.user(u.role, u.email)
	}
	toks := map[string]string{
		"owner": e.token("maria@example.com"), "other manager": e.token("other@example.com"),
		"admin": e.token("root@example.com"), "successor": e.token("sam@example.com"),
	}
	mine := e.createSession(toks["owner"])
	theirs := e.createSession(toks["other manager"])
	toks["csm"], toks["other csm"] = mine.InviteToken, theirs.InviteToken
	detail := decodeInto[interviewJSON](t, e.do(http.MethodGet, "/api/v1/interviews/"+mine.ID, nil, withBearer(toks["owner"])))
	acc := detail.Accounts[0].ID

	type call struct{ method, path, body string }
	routes := []struct {
		call
		want map[string]int
	}{
		{call{"GET", "/api/v1/interviews", ""}, map[string]int{"anonymous": 401, "successor": 403, "owner": 200, "other manager": 200, "admin": 200, "csm": 403}},
		{call{"POST", "/api/v1/interviews", `{"csm":{"name":"X"},"departure_date":"` + departure() + `","accounts":[{"name":"A"}]}`}, map[string]int{"anonymous": 401, "successor": 403, "owner": 201, "admin": 201, "csm": 403}},
		{call{"GET", "/api/v1/interviews/" + mine.ID, ""}, map[string]int{"anonymous": 401, "successor": 403, "owner": 200, "other manager": 404, "admin": 200, "csm": 403, "other csm": 403}},
		{call{"PUT", "/api/v1/interviews/" + mine.ID + "/accounts/" + acc + "/successor", `{"email":"sam@example.com"}`}, map[string]int{"anonymous": 401, "successor": 403, "owner": 200, "other manager": 404, "admin": 200, "csm": 403}},
		{call{"GET", "/api/v1/interview", ""}, map[string]int{"anonymous": 401, "successor": 401, "owner": 401, "admin": 401, "csm": 200, "other csm": 200}},
		{call{"POST", "/api/v1/interview/messages", `{"content":"They use it for ticket routing.","client_id":"x1"}`}, map[string]int{"anonymous": 401, "owner": 401, "admin": 401, "csm": 201}},
		{call{"POST", "/api/v1/interview/readback", `{"question_id":"not-open","confirm":true}`}, map[string]int{"anonymous": 401, "successor": 401, "owner": 401, "admin": 401, "csm": 409}},
		{call{"POST", "/api/v1/interview/review/facts", `{"account":"Nobody Inc","confirm":true}`}, map[string]int{"anonymous": 401, "successor": 401, "owner": 401, "admin": 401, "csm": 400}},
		{call{"POST", "/api/v1/interview/review/answers/00000000-0000-4000-8000-000000000000/topics", `{"covers":[]}`}, map[string]int{"anonymous": 401, "successor": 401, "owner": 401, "admin": 401, "csm": 404, "other csm": 404}},
		{call{"GET", "/api/v1/me", ""}, map[string]int{"csm": 403}},
		{call{"GET", "/api/v1/users", ""}, map[string]int{"csm": 403}},
	}
	for _, rt := range routes {
		for who, want := range rt.want {
			t.Run(fmt.Sprintf("%s %s as %s", rt.method, rt.path, who), func(t *testing.T) {
				var opts []reqOpt
				if tok := toks[who]; tok != "" {
					opts = append(opts, withBearer(tok))
				}
				var body *strings.Reader
				if rt.body != "" {
					body = strings.NewReader(rt.body)
					opts = append(opts, withHeader("Content-Type", "application/json"))
				}
				var r *http.Response
				if body != nil {
					r = e.do(rt.method, rt.path, body, opts...)
				} else {
					r = e.do(rt.method, rt.path, nil, opts...)
				}
				if r.StatusCode != want {
					t.Fatalf("status %d, want %d", r.StatusCode, want)
				}
			})
		}
	}
	// Each CSM sees their own interview only.
	for who, id := range map[string]string{"csm": mine.ID, "other csm": theirs.ID} {
		got := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(toks[who])))
		if got.ID != id {
			t.Errorf("%s sees interview %s", who, got.ID)
		}
	}
}

func TestInviteExpiredAndRevoked(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	c := e.createSession(tok)
	r := e.do(http.MethodPost, "/api/v1/interviews/"+c.ID+"/invite", nil, withBearer(tok))
	fresh := decodeInto[createdJSON](t, r)
	if r.StatusCode != 201 || fresh.InviteToken == c.InviteToken {
		t.Fatalf("new invite: %d", r.StatusCode)
	}
	if b := decodeInto[errorBody](t, e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(c.InviteToken))); b.Error.Code != "invite_revoked" {
		t.Fatalf("old link: %+v", b)
	}
	if _, err := e.store.Pool().Exec(context.Background(), `UPDATE invites SET expires_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	if b := decodeInto[errorBody](t, e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(fresh.InviteToken))); b.Error.Code != "invite_expired" {
		t.Fatalf("expired link: %+v", b)
	}
	r = e.do(http.MethodGet, "/i/"+fresh.InviteToken, nil)
	if body := readBody(t, r); r.StatusCode != http.StatusGone || !strings.Contains(body, "expired") {
		t.Fatalf("expired link page: %d", r.StatusCode)
	}
	if r := e.do(http.MethodGet, "/i/eiv_nonsense", nil); r.StatusCode != 404 {
		t.Fatalf("unknown link page: %d", r.StatusCode)
	}
}

// TestInvitePageChangesNothingUntilContinue: mail scanners open links; only the POST starts the session.
func TestInvitePageChangesNothingUntilContinue(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	for range 3 {
		r := e.do(http.MethodGet, "/i/"+c.InviteToken, nil)
		if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "Continue to the interview") || len(r.Cookies()) != 0 {
			t.Fatalf("invite page: %d cookies %v", r.StatusCode, r.Cookies())
		}
	}
	if n := e.count("messages"); n != 0 {
		t.Fatalf("opening the link wrote %d messages", n)
	}
	r := e.postForm("/i/"+c.InviteToken, url.Values{}, nil)
	cookie := findCookie(r, inviteCookieName)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/interview" || cookie == nil || !cookie.HttpOnly {
		t.Fatalf("continue: %d %v", r.StatusCode, cookie)
	}
	r = e.do(http.MethodGet, "/interview", nil, withCookie(cookie))
	page := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(page, "Let&#39;s start with Stark Logistics") || !strings.Contains(page, `id="answer"`) {
		t.Fatalf("chat page: %d", r.StatusCode)
	}
	if r := e.do(http.MethodGet, "/interview", nil); r.StatusCode != 401 {
		t.Fatalf("chat without the invite: %d", r.StatusCode)
	}
	// The cookie works for the API too, and a cross-site POST with it is refused.
	r = e.postJSON("/api/v1/interview/messages", `{"content":"<script>alert(1)</script> is what they typed","client_id":"c1"}`, withCookie(cookie))
	if r.StatusCode != 201 {
		t.Fatalf("answer with the cookie: %d", r.StatusCode)
	}
	r = e.postJSON("/api/v1/interview/messages", `{"content":"forged","client_id":"c2"}`, withCookie(cookie), withHeader("Sec-Fetch-Site", "cross-site"))
	if r.StatusCode != 403 {
		t.Fatalf("cross-site answer: %d", r.StatusCode)
	}
	page = readBody(t, e.do(http.MethodGet, "/interview", nil, withCookie(cookie)))
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt; is what they typed") {
		t.Fatal("the CSM's text is not escaped on the chat page")
	}
}

func TestImportTooLarge(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	body, ct := multipartBody(t, map[string]string{"csm.name": "D", "departure_date": departure()},
		"Name\n"+strings.Repeat("An account with a long name,\n", 400000))
	for name, reader := range map[string]io.Reader{"with a length": bytes.NewReader(body.Bytes()), "chunked": io.MultiReader(bytes.NewReader(body.Bytes()))} {
		r := e.do(http.MethodPost, "/api/v1/interviews/import", reader, withBearer(tok), withHeader("Content-Type", ct))
		if b := decodeInto[errorBody](t, r); r.StatusCode != 413 || b.Error.Code != "body_too_large" {
			t.Fatalf("%s: %d %+v", name, r.StatusCode, b.Error)
		}
	}
}
