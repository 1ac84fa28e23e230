package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
)

// TestBulkSuccessorsAndHandover: accounts go to a successor in one step (all or none); marking the
// session handed over closes the CSM's link and questions to them, and is audited.
func TestBulkSuccessorsAndHandover(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.e.srv.notifier = notify.New(f.e.store, f.e.queue, "https://ei.example.com", slog.New(slog.DiscardHandler))
	path := "/api/v1/interviews/" + f.iv.ID + "/successors"
	put := func(who, body string) (int, string) {
		r := f.e.do(http.MethodPut, path, strings.NewReader(body), withBearer(f.tokens[who]), withHeader("Content-Type", "application/json"))
		return r.StatusCode, readBody(t, r)
	}
	for _, tc := range []struct {
		who, body string
		status    int
	}{
		{"maria", `{"email":"sam@example.com","accounts":["Northwind","Acme"]}`, 400},
		{"maria", `{"email":"nobody-here@example.com","accounts":["Northwind"]}`, 400},
		{"maria", `{"email":"sam@example.com","accounts":[]}`, 400},
		{"omar", `{"email":"sam@example.com","accounts":["Northwind","Globex"]}`, 404},
		{"sam", `{"email":"sam@example.com","accounts":["Northwind","Globex"]}`, 403},
	} {
		if code, body := put(tc.who, tc.body); code != tc.status {
			t.Errorf("%s %s: %d %s", tc.who, tc.body, code, body)
		}
	}
	if code, body := put("maria", `{"email":"Sam@Example.com","accounts":["northwind","Globex"]}`); code != 200 ||
		strings.Count(body, `"successor":"sam@example.com"`) != 2 {
		t.Fatalf("bulk assignment: %d %s", code, body)
	}
	if n := f.e.count("audit_log WHERE action = 'successor.assigned'"); n != 2 {
		t.Errorf("%d assignments audited", n)
	}
	// Sam hears of both accounts in one e-mail, queued with the assignment; a refused one queued none.
	if n := f.e.count("emails WHERE kind = 'assigned' AND to_address = 'sam@example.com' AND text_body LIKE '%Globex%' AND text_body LIKE '%Northwind%'"); n != 1 {
		t.Errorf("%d assignment e-mails to Sam", n)
	}
	if n := f.e.count("emails"); n != 1 {
		t.Errorf("%d e-mails queued", n)
	}
	// From the page: the ticked accounts.
	accounts, _ := f.e.store.Accounts(t.Context(), f.iv.ID)
	form := url.Values{"account_id": {accounts[0].ID, accounts[1].ID}, "email": {"lee@example.com"}}
	if r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", form, f.cookies["maria"]); r.StatusCode != 303 {
		t.Fatalf("bulk from the page: %d", r.StatusCode)
	}
	if r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", url.Values{"email": {"lee@example.com"}}, f.cookies["maria"]); !strings.Contains(readBody(t, r), "Tick the accounts") {
		t.Fatal("no accounts ticked: no explanation")
	}

	// Handover.
	if r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/handover", `{}`, withBearer(f.tokens["omar"])); r.StatusCode != 404 {
		t.Fatalf("another manager hands over: %d", r.StatusCode)
	}
	r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/handover", `{}`, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, `"status":"handed_over"`) {
		t.Fatalf("handover: %d %s", r.StatusCode, body)
	}
	if n := f.e.count("audit_log WHERE action = 'session.handed_over'"); n != 1 {
		t.Errorf("%d handovers audited", n)
	}
	body, _ := json.Marshal(map[string]string{"content": "One more thing.", "client_id": "late"})
	r = f.e.do(http.MethodPost, "/api/v1/interview/messages", strings.NewReader(string(body)), withBearer(f.invite), withHeader("Content-Type", "application/json"))
	if readBody(t, r); r.StatusCode < 400 {
		t.Fatalf("the CSM answers after the handover: %d", r.StatusCode)
	}
	r = f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/questions", `{"text":"Who signs at Northwind?","account":"Northwind"}`, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 409 {
		t.Fatalf("a question after the handover: %d %s", r.StatusCode, body)
	}
	if body := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID, nil, withCookie(f.cookies["maria"]))); !strings.Contains(body, "This session is handed over") {
		t.Fatal("the session page does not say it is handed over")
	}
}

// TestCommitmentLedger lists the promises of the manager's sessions, open first, and nobody else's.
func TestCommitmentLedger(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	r, body := f.get(t, "owner", "/api/v1/commitments")
	var ledger struct {
		Commitments []struct {
			What, Account, CSM, Owner string
			DueDate                   string `json:"due_date"`
			DueNote                   string `json:"due_note"`
			Done                      bool
		}
	}
	if err := json.Unmarshal([]byte(body), &ledger); err != nil || r.StatusCode != 200 || len(ledger.Commitments) == 0 {
		t.Fatalf("ledger: %d %s", r.StatusCode, body)
	}
	c := ledger.Commitments[0]
	if !strings.Contains(c.What, "fix date for the export bug") || c.CSM != "Dana Whitfield" || c.DueDate == "" || c.Done {
		t.Fatalf("first commitment %+v", c)
	}
	// Promised "by 5 December": due then, not on the CSM's last day, and with no note that it had no date.
	if !strings.HasSuffix(c.DueDate, "-12-05") || c.DueNote != "" {
		t.Errorf("the commitment is due %s (%q); want the 5 December it was promised for", c.DueDate, c.DueNote)
	}
	if _, body := f.get(t, "other manager", "/api/v1/commitments"); !strings.Contains(body, `"commitments":[]`) {
		t.Fatalf("another manager sees: %s", body)
	}
	if r, _ := f.get(t, "successor", "/api/v1/commitments"); r.StatusCode != 403 {
		t.Fatalf("a successor: %d", r.StatusCode)
	}
	if r, body := f.get(t, "owner", "/commitments"); r.StatusCode != 200 || !strings.Contains(body, "fix date for the export bug") {
		t.Fatalf("ledger page: %d", r.StatusCode)
	}
}

// TestHandoverClosesTheCSMLink walks every route of the CSM, and the manager's new-invite routes, after a
// handover: reading says the interview was handed over (410), changing it conflicts with the handover
// (409), and nothing changes.
func TestHandoverClosesTheCSMLink(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "Northwind: Priya Shah is the champion and signs the renewal on 31 January.")
	findingID, _ := f.review(t).findingWith(t, "Priya")
	r := f.e.postForm("/i/"+f.invite, nil, nil)
	cookie := findCookie(r, inviteCookieName)
	if r.StatusCode != 303 || cookie == nil {
		t.Fatalf("continue from the invite: %d", r.StatusCode)
	}
	if r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/handover", `{}`, withBearer(f.tokens["maria"])); r.StatusCode != 200 {
		t.Fatalf("handover: %d", r.StatusCode)
	}
	if n := f.e.count("invites WHERE revoked_at IS NULL"); n != 0 {
		t.Fatalf("%d invites still live after the handover", n)
	}
	const jsonType = "application/json"
	for _, tc := range []struct {
		method, path, body string
		status             int
	}{
		{"GET", "/api/v1/interview", "", 410},
		{"GET", "/api/v1/interview/review", "", 410},
		{"POST", "/api/v1/interview/messages", `{"content":"One more thing.","client_id":"late"}`, 409},
		{"POST", "/api/v1/interview/skip", `{}`, 409},
		{"POST", "/api/v1/interview/readback", `{"question_id":"x","confirm":true}`, 409},
		{"POST", "/api/v1/interview/review/facts", `{"account":"Northwind","confirm":true}`, 409},
		{"POST", "/api/v1/interview/finish", `{}`, 409},
		{"POST", "/api/v1/interview/review/findings/" + findingID, `{"withdraw":true}`, 409},
		{"POST", "/api/v1/interview/review/findings/" + findingID, `{"text":"Priya Shah signs in February."}`, 409},
		{"POST", "/api/v1/interview/review/approve", `{"account":"Northwind"}`, 409},
		{"POST", "/api/v1/interview/review/approve", `{"account":""}`, 409},
		{"POST", "/api/v1/interview/review/answers/00000000-0000-4000-8000-000000000000/topics", `{"covers":[]}`, 409},
	} {
		for _, via := range []reqOpt{withBearer(f.invite), withCookie(cookie)} {
			r := f.e.do(tc.method, tc.path, strings.NewReader(tc.body), via, withHeader("Content-Type", jsonType))
			body := readBody(t, r)
			if r.StatusCode != tc.status || !strings.Contains(body, `"code":"handed_over"`) || !strings.Contains(body, "handed over") {
				t.Errorf("%s %s: %d %s", tc.method, tc.path, r.StatusCode, body)
			}
		}
	}
	// The CSM's pages, with the invite cookie.
	for _, tc := range []struct {
		method, path string
		form         url.Values
		status       int
	}{
		{"GET", "/i/" + f.invite, nil, 410},
		{"POST", "/i/" + f.invite, nil, 409},
		{"GET", "/interview", nil, 410},
		{"GET", "/interview/review", nil, 410},
		{"POST", "/interview/review/" + findingID, url.Values{"withdraw": {"1"}}, 409},
		{"POST", "/interview/review/" + findingID, url.Values{"text": {"Priya Shah signs in February."}}, 409},
		{"POST", "/interview/review/approve", url.Values{"account": {"Northwind"}}, 409},
		{"POST", "/interview/review/answers/00000000-0000-4000-8000-000000000000/topics", url.Values{"cover": {"|shadow_systems"}}, 409},
	} {
		var r *http.Response
		if tc.method == "GET" {
			r = f.e.do("GET", tc.path, nil, withCookie(cookie))
		} else {
			r = f.e.postForm(tc.path, tc.form, cookie)
		}
		if body := readBody(t, r); r.StatusCode != tc.status || !strings.Contains(body, "This interview was handed over") {
			t.Errorf("page %s %s: %d", tc.method, tc.path, r.StatusCode)
		}
	}
	// The manager cannot open a new link, and the session page no longer offers one.
	if body := readBody(t, f.e.do("GET", "/interviews/"+f.iv.ID, nil, withCookie(f.cookies["maria"]))); strings.Contains(body, "/invite\"") {
		t.Error("the session page still offers a new invite link")
	}
	r = f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/invite", `{}`, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 409 || !strings.Contains(body, "no new one can be created") {
		t.Errorf("new invite by API: %d %s", r.StatusCode, body)
	}
	r = f.e.postForm("/interviews/"+f.iv.ID+"/invite", nil, f.cookies["maria"])
	if body := readBody(t, r); r.StatusCode != 409 || !strings.Contains(body, "no new one can be created") {
		t.Errorf("new invite from the page: %d", r.StatusCode)
	}
	// Nothing changed, and the store refuses on its own what a request racing the handover would do.
	if n := f.e.count("corrections"); n != 0 {
		t.Errorf("%d corrections after the handover", n)
	}
	if n := f.e.count("invites"); n != 1 {
		t.Errorf("%d invites, want the one revoked", n)
	}
	if n := f.e.count("accounts WHERE approved_at IS NOT NULL") + f.e.count("interviews WHERE portfolio_approved_at IS NOT NULL"); n != 0 {
		t.Errorf("%d approvals after the handover", n)
	}
	accounts, _ := f.e.store.Accounts(t.Context(), f.iv.ID)
	if err := f.e.store.Approve(t.Context(), f.iv.ID, accounts[0].ID); !errors.Is(err, store.ErrHandedOver) {
		t.Errorf("store approval after the handover: %v", err)
	}
	if _, err := f.e.store.AddCorrection(t.Context(), store.Correction{InterviewID: f.iv.ID, MessageID: accounts[0].ID, Original: "x", Withdrawn: true}); !errors.Is(err, store.ErrHandedOver) {
		t.Errorf("store correction after the handover: %v", err)
	}
	// Handing over again changes nothing and is not audited twice.
	if r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/handover", `{}`, withBearer(f.tokens["maria"])); r.StatusCode != 200 {
		t.Fatalf("second handover: %d", r.StatusCode)
	}
	if n := f.e.count("audit_log WHERE action = 'session.handed_over'"); n != 1 {
		t.Errorf("%d handovers audited", n)
	}
}
