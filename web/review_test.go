package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/interview"
)

type reviewJSON struct {
	Accounts []struct {
		Account  *string
		Findings []struct {
			ID, Type, Text string
			MessageID      string `json:"message_id"`
		}
	}
	Corrections []struct {
		Original, Corrected string
		Withdrawn           bool
	}
	Unsettled []struct {
		ID, Text  string
		Guess     *string
		MessageID string `json:"message_id"`
	}
}

func (f *questionsFixture) review(t *testing.T) reviewJSON {
	t.Helper()
	r := f.e.do(http.MethodGet, "/api/v1/interview/review", nil, withBearer(f.invite))
	var rv reviewJSON
	if err := json.Unmarshal([]byte(readBody(t, r)), &rv); err != nil || r.StatusCode != 200 {
		t.Fatalf("review: %d %v", r.StatusCode, err)
	}
	return rv
}

// findingWith returns the id and message of the first statement containing s.
func (rv reviewJSON) findingWith(t *testing.T, s string) (string, string) {
	t.Helper()
	for _, a := range rv.Accounts {
		for _, f := range a.Findings {
			if strings.Contains(f.Text, s) {
				return f.ID, f.MessageID
			}
		}
	}
	t.Fatalf("no statement with %q in %+v", s, rv)
	return "", ""
}

func (f *questionsFixture) search(t *testing.T, who, q string) string {
	t.Helper()
	r := f.e.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape(q), nil, withBearer(f.tokens[who]))
	return readBody(t, r)
}

// TestCorrectionReplacesTheStatement is issue 6's third "done when": a CSM's correction replaces the old
// statement in search and in the next report; the transcript keeps what was said, the report shows the
// correction, and a withdrawn statement is gone.
func TestCorrectionReplacesTheStatement(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	ctx := context.Background()
	f.csm(t, "Northwind: Marco Rossi, the CFO, signs the renewal. Priya Shah runs support and is our champion. They also asked for dark mode.")
	if body := f.search(t, "maria", "who signs the renewal at Northwind"); !strings.Contains(body, "Marco Rossi, the CFO, signs") {
		t.Fatalf("before the correction: %s", body)
	}
	rv := f.review(t)
	id, msg := rv.findingWith(t, "Marco Rossi, the CFO, signs")

	r := f.e.postJSON("/api/v1/interview/review/findings/"+id, `{"text":"Erik Holm, the new CFO, signs the renewal; Marco Rossi left in November."}`,
		withBearer(f.invite))
	if body := readBody(t, r); r.StatusCode != 201 || !strings.Contains(body, `"withdrawn":false`) {
		t.Fatalf("correction: %d %s", r.StatusCode, body)
	}
	// The correction enqueued the answer's capture again, in its transaction; the job's work runs here.
	var jobs int
	if err := f.e.store.Pool().QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'capture' AND args->>'message_id' = $1`, msg).Scan(&jobs); err != nil || jobs != 2 {
		t.Fatalf("capture jobs for the answer: %d, %v; want the answer's and the correction's", jobs, err)
	}
	if err := f.capture.Capture(ctx, msg); err != nil {
		t.Fatal(err)
	}
	body := f.search(t, "maria", "who signs the renewal at Northwind")
	if !strings.Contains(body, "Erik Holm, the new CFO, signs") || strings.Contains(body, "Marco Rossi, the CFO, signs") {
		t.Fatalf("search after the correction: %s", body)
	}
	// Withdrawn: gone from search.
	id, _ = f.review(t).findingWith(t, "dark mode")
	if r := f.e.postJSON("/api/v1/interview/review/findings/"+id, `{"withdraw":true}`, withBearer(f.invite)); r.StatusCode != 201 {
		t.Fatalf("withdraw: %d", r.StatusCode)
	}
	if err := f.capture.Capture(ctx, msg); err != nil {
		t.Fatal(err)
	}
	if body := f.search(t, "maria", "dark mode"); strings.Contains(body, "dark mode") {
		t.Fatalf("a withdrawn statement is still found: %s", body)
	}

	// The next report: the corrected statement, the corrections listed, the transcript as said.
	f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/report", `{}`, withBearer(f.tokens["maria"]))
	(&reportFixture{e: f.e, iv: f.iv}).generate(t)
	r = f.e.do(http.MethodGet, "/api/v1/interviews/"+f.iv.ID+"/report", nil, withBearer(f.tokens["maria"]))
	var rep struct {
		Accounts []struct {
			Name     string
			Findings []struct{ Text string }
		}
		Corrections []struct {
			Original, Corrected string
			Withdrawn           bool
		}
		Transcript []struct{ Content string }
	}
	if err := json.Unmarshal([]byte(readBody(t, r)), &rep); err != nil {
		t.Fatal(err)
	}
	var statements []string
	for _, a := range rep.Accounts {
		for _, fd := range a.Findings {
			statements = append(statements, fd.Text)
		}
	}
	all := strings.Join(statements, "\n")
	if !strings.Contains(all, "Erik Holm") || strings.Contains(all, "Marco Rossi, the CFO, signs") || strings.Contains(all, "dark mode") {
		t.Fatalf("report statements after the corrections:\n%s", all)
	}
	if len(rep.Corrections) != 2 || !rep.Corrections[1].Withdrawn || !strings.Contains(rep.Corrections[0].Corrected, "Erik Holm") {
		t.Fatalf("report corrections: %+v", rep.Corrections)
	}
	said := false
	for _, m := range rep.Transcript {
		said = said || strings.Contains(m.Content, "Marco Rossi, the CFO, signs the renewal")
	}
	if !said {
		t.Fatal("the transcript lost what the CSM said")
	}
	_, pdf := f.get(t, "maria", "/api/v1/interviews/"+f.iv.ID+"/report.md")
	if !strings.Contains(pdf, "Corrections by the CSM") || !strings.Contains(pdf, "Erik Holm") {
		t.Fatal("the Markdown report does not show the correction")
	}
}

func (f *questionsFixture) get(t *testing.T, who, path string) (*http.Response, string) {
	t.Helper()
	r := f.e.do(http.MethodGet, path, nil, withBearer(f.tokens[who]))
	return r, readBody(t, r)
}

// TestCorrectionsAreChecked: bad input is a 400 that changes nothing; another interview's statement, a
// bogus id and a successor are refused; the page works with the invite's cookie.
func TestCorrectionsAreChecked(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "Marco Rossi, the CFO, signs the Northwind renewal. The admin password for their Salesforce is Winter2024! and only I have it.")
	rv := f.review(t)
	id, _ := rv.findingWith(t, "Marco Rossi")
	other := newQuestionsFixture(t)
	other.csm(t, "Sara Lind is the champion at Globex.")
	otherID, _ := other.review(t).findingWith(t, "Sara Lind")
	for _, tc := range []struct {
		id, body string
		status   int
	}{
		{id, `{"text":"  "}`, 400},
		{id, `{"text":"Marco Rossi, the CFO, signs the Northwind renewal."}`, 400},
		{id, `{"text":"x","extra":true}`, 400},
		{otherID, `{"text":"Someone else."}`, 404},
		{"not-an-id", `{"withdraw":true}`, 404},
	} {
		r := f.e.postJSON("/api/v1/interview/review/findings/"+tc.id, tc.body, withBearer(f.invite))
		if body := readBody(t, r); r.StatusCode != tc.status {
			t.Errorf("%s %s: %d %s", tc.id, tc.body, r.StatusCode, body)
		}
	}
	if n := f.e.count("corrections"); n != 0 {
		t.Fatalf("%d corrections stored by refused requests", n)
	}
	if r := f.e.postJSON("/api/v1/interview/review/findings/"+id, `{"withdraw":true}`, withBearer(f.tokens["sam"])); r.StatusCode != 401 && r.StatusCode != 403 {
		t.Fatalf("a successor corrects: %d", r.StatusCode)
	}
	// A correction that names a password keeps it out.
	if r := f.e.postJSON("/api/v1/interview/review/findings/"+id, `{"text":"Erik Holm signs; the admin password is Summer2025! now."}`, withBearer(f.invite)); r.StatusCode != 201 {
		t.Fatalf("correction: %d", r.StatusCode)
	}
	if cs, _ := f.e.store.Corrections(context.Background(), f.iv.ID, ""); len(cs) != 1 || strings.Contains(cs[0].Corrected, "Summer2025") {
		t.Fatalf("stored correction %+v", cs)
	}
	// The page.
	cookie := findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)
	r := f.e.do(http.MethodGet, "/interview/review", nil, withCookie(cookie))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "Marco Rossi") || strings.Contains(body, "Winter2024") ||
		strings.Contains(body, "removed before anything was stored") {
		t.Fatalf("review page: %d", r.StatusCode)
	}
	r = f.e.postForm("/interview/review/"+id, url.Values{"text": {""}}, cookie)
	if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, "is required") {
		t.Fatalf("empty correction from the page: %d", r.StatusCode)
	}
	r = f.e.postForm("/interview/review/"+id, url.Values{"withdraw": {"1"}}, cookie)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/interview/review?saved=1" {
		t.Fatalf("withdraw from the page: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if n := f.e.count("audit_log WHERE action = 'review.correct'"); n != 2 {
		t.Errorf("%d corrections audited", n)
	}
}

// TestPersonalRemarksStayOut: what the CSM says about their reasons for leaving is acknowledged, the
// interview steers back, and the remark reaches neither search, nor the report, nor a reader of the
// transcript message; the operational part of the same answer does.
func TestPersonalRemarksStayOut(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	turn := f.csm(t, "Honestly I'm leaving because my manager never listens to the team. Northwind's champion is Priya Shah, who runs support.")
	if turn.Next == nil || !strings.Contains(turn.Next.Text, "out of the handover notes") {
		t.Fatalf("the interviewer does not steer back: %+v", turn.Next)
	}
	if body := f.search(t, "maria", "why is the CSM leaving manager never listens"); strings.Contains(body, "never listens") {
		t.Fatalf("search finds the personal remark: %s", body)
	}
	if body := f.search(t, "sam", "who is the champion at Northwind"); !strings.Contains(body, "Priya Shah") {
		t.Fatalf("search lost the operational part: %s", body)
	}
	if rv := f.review(t); strings.Contains(fmt.Sprint(rv), "never listens") {
		t.Fatalf("a statement holds the remark: %+v", rv)
	}
	r := f.e.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape("champion Priya"), nil, withBearer(f.tokens["sam"]))
	var found struct {
		Results []struct {
			MessageID string `json:"message_id"`
		}
	}
	if err := json.Unmarshal([]byte(readBody(t, r)), &found); err != nil || len(found.Results) == 0 {
		t.Fatal("no result")
	}
	_, page := f.get(t, "sam", "/messages/"+found.Results[0].MessageID)
	if strings.Contains(page, "never listens") || !strings.Contains(page, "personal remark left out") {
		t.Fatal("the transcript message shows the remark to a successor")
	}
	f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/report", `{}`, withBearer(f.tokens["maria"]))
	(&reportFixture{e: f.e, iv: f.iv}).generate(t)
	if _, md := f.get(t, "maria", "/api/v1/interviews/"+f.iv.ID+"/report.md"); strings.Contains(md, "never listens") || !strings.Contains(md, "personal remark left out") {
		i := strings.Index(md, "never listens")
		t.Fatalf("the report carries the remark: %q", md[max(0, i-300):min(len(md), i+100)])
	}
}

// TestApprovalBeforeSuccessorsSee: with the session's switch on, a successor sees what was captured about
// an account only once the CSM approved it; managers always see it.
func TestApprovalBeforeSuccessorsSee(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "At Northwind, Priya Shah runs support operations and is our champion.")
	accounts, _ := f.e.store.Accounts(t.Context(), f.iv.ID)
	var northwind string
	for _, a := range accounts {
		if a.Name == "Northwind" {
			northwind = a.ID
		}
	}
	approval := "/api/v1/interviews/" + f.iv.ID + "/approval"
	for who, want := range map[string]int{"omar": 404, "sam": 403} {
		r := f.e.do(http.MethodPut, approval, strings.NewReader(`{"required":true}`), withBearer(f.tokens[who]), withHeader("Content-Type", "application/json"))
		if readBody(t, r); r.StatusCode != want {
			t.Errorf("%s switches approval: %d", who, r.StatusCode)
		}
	}
	r := f.e.do(http.MethodPut, approval, strings.NewReader(`{"required":true}`), withBearer(f.tokens["maria"]), withHeader("Content-Type", "application/json"))
	if readBody(t, r); r.StatusCode != 200 {
		t.Fatalf("approval on: %d", r.StatusCode)
	}
	if body := f.search(t, "sam", "champion at Northwind"); strings.Contains(body, "Priya Shah") {
		t.Fatalf("the successor sees unapproved knowledge: %s", body)
	}
	if _, page := f.get(t, "sam", "/accounts/"+northwind); !strings.Contains(page, "Waiting for Dana Whitfield") || strings.Contains(page, "runs support operations") {
		t.Fatal("the account page shows unapproved knowledge to the successor")
	}
	if body := f.search(t, "maria", "champion at Northwind"); !strings.Contains(body, "Priya Shah") {
		t.Fatalf("the manager lost sight: %s", body)
	}
	if _, dash := f.get(t, "maria", "/interviews"); !strings.Contains(dash, "the successor sees nothing until the CSM approves it") {
		t.Fatal("the dashboard does not say the successors wait for the CSM's approval")
	}
	// The CSM sees the switch and approves Northwind.
	cookie := findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)
	if body := readBody(t, f.e.do(http.MethodGet, "/interview/review", nil, withCookie(cookie))); !strings.Contains(body, "Approve for my successor") {
		t.Fatal("the review page offers no approval")
	}
	if r := f.e.postJSON("/api/v1/interview/review/approve", `{"account":"Acme"}`, withBearer(f.invite)); r.StatusCode != 400 {
		t.Fatalf("approving an unknown account: %d", r.StatusCode)
	}
	if r := f.e.postForm("/interview/review/approve", url.Values{"account": {"Northwind"}}, cookie); r.StatusCode != 303 {
		t.Fatalf("approve: %d", r.StatusCode)
	}
	if body := f.search(t, "sam", "champion at Northwind"); !strings.Contains(body, "Priya Shah") {
		t.Fatalf("the successor does not see approved knowledge: %s", body)
	}
	if _, page := f.get(t, "sam", "/accounts/"+northwind); !strings.Contains(page, "runs support operations") {
		t.Fatal("the account page hides approved knowledge")
	}
	if n := f.e.count("audit_log WHERE action = 'session.approval'"); n != 1 {
		t.Errorf("%d approval switches audited", n)
	}
	if n := f.e.count("audit_log WHERE action = 'review.approve' AND details->>'account' = 'Northwind'"); n != 1 {
		t.Errorf("%d CSM approvals audited", n)
	}
}

// TestSecondCorrectionFromTheSameReview: a correction captures its answer again; the other statements of
// that answer keep their ids, so the review page the CSM still has open can correct them too.
func TestSecondCorrectionFromTheSameReview(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	ctx := context.Background()
	f.csm(t, "Northwind: Marco Rossi, the CFO, signs the renewal. Priya Shah runs support and is our champion. They also asked for dark mode.")
	rv := f.review(t) // read once, as a page that stays open
	first, msg := rv.findingWith(t, "Marco Rossi, the CFO, signs")
	second, _ := rv.findingWith(t, "dark mode")
	if r := f.e.postJSON("/api/v1/interview/review/findings/"+first, `{"text":"Erik Holm, the new CFO, signs the renewal."}`,
		withBearer(f.invite)); r.StatusCode != 201 {
		t.Fatalf("first correction: %d", r.StatusCode)
	}
	if err := f.capture.Capture(ctx, msg); err != nil { // the re-capture the correction enqueued
		t.Fatal(err)
	}
	if r := f.e.postJSON("/api/v1/interview/review/findings/"+second, `{"withdraw":true}`, withBearer(f.invite)); r.StatusCode != 201 {
		t.Fatalf("second correction from the same review: %d %s", r.StatusCode, readBody(t, r))
	}
	if _, err := f.e.store.FindingByID(ctx, first); err == nil {
		t.Error("the corrected statement kept its id though its words changed")
	}
}

// TestCSMSettlesAPassageWhoseAccountIsAGuess: a sentence naming two accounts is seen by the manager
// only; the CSM files it under one account in the review, and from then on that account's successor
// finds it, the other account's does not.
func TestCSMSettlesAPassageWhoseAccountIsAGuess(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	ctx := context.Background()
	f.csm(t, "Northwind and Globex both run the nightly CSV export workaround.")
	for _, who := range []string{"sam", "lee"} {
		if body := f.search(t, who, "nightly CSV export workaround"); strings.Contains(body, "CSV export") {
			t.Fatalf("%s finds a passage whose account is a guess: %s", who, body)
		}
	}
	if body := f.search(t, "maria", "nightly CSV export workaround"); !strings.Contains(body, "CSV export") {
		t.Fatalf("the manager does not find it: %s", body)
	}
	rv := f.review(t)
	if len(rv.Unsettled) != 1 || !strings.Contains(rv.Unsettled[0].Text, "CSV export") {
		t.Fatalf("unsettled: %+v", rv.Unsettled)
	}
	u := rv.Unsettled[0]
	for _, tc := range []struct {
		id, body string
		status   int
	}{
		{u.ID, `{"account":"Initech"}`, 400},
		{"00000000-0000-4000-8000-000000000000", `{"account":"Globex"}`, 404},
		{u.ID, `{"account":"globex"}`, 200},
	} {
		if r := f.e.postJSON("/api/v1/interview/review/passages/"+tc.id, tc.body, withBearer(f.invite)); r.StatusCode != tc.status {
			t.Fatalf("settle %s %s: %d, want %d", tc.id, tc.body, r.StatusCode, tc.status)
		}
	}
	if r := f.e.postJSON("/api/v1/interview/review/passages/"+u.ID, `{"account":"Globex"}`, withBearer(f.tokens["lee"])); r.StatusCode < 400 {
		t.Fatalf("a successor settled a passage: %d", r.StatusCode)
	}
	if err := f.capture.Capture(ctx, u.MessageID); err != nil { // the re-capture the settling enqueued
		t.Fatal(err)
	}
	if body := f.search(t, "lee", "nightly CSV export workaround"); !strings.Contains(body, "CSV export") {
		t.Fatalf("Globex's successor does not find the passage filed under Globex: %s", body)
	}
	if body := f.search(t, "sam", "nightly CSV export workaround"); strings.Contains(body, "CSV export") {
		t.Fatalf("Northwind's successor finds the passage filed under Globex: %s", body)
	}
	if rv := f.review(t); len(rv.Unsettled) != 0 {
		t.Fatalf("still unsettled: %+v", rv.Unsettled)
	}
}

// TestCSMFilesAnAnswerUnderTopics: the review lists each answer with what the topic reader filed it
// under; the CSM files it under other accounts and topics (API and page), and the coverage, the review
// and the answer's passages follow; a filing that is not valid is refused and changes nothing.
func TestCSMFilesAnAnswerUnderTopics(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	ctx := context.Background()
	turn := f.csm(t, "Northwind runs our routing module in 40 depots, about 300 drivers, live since 2023.")
	msg := turn.Message.ID
	type answersJSON struct {
		Answers []struct {
			MessageID string `json:"message_id"`
			Covers    []struct{ Account, Topic string }
			ByCSM     bool `json:"filed_by_csm"`
		}
	}
	answers := func() answersJSON {
		r := f.e.do(http.MethodGet, "/api/v1/interview/review", nil, withBearer(f.invite))
		var a answersJSON
		if err := json.Unmarshal([]byte(readBody(t, r)), &a); err != nil || len(a.Answers) == 0 {
			t.Fatalf("review answers: %v %+v", err, a)
		}
		return a
	}
	before := answers()
	if a := before.Answers[0]; a.MessageID != msg || a.ByCSM || len(a.Covers) == 0 {
		t.Fatalf("the reader's filing: %+v", a)
	}
	stateOf := func(account, topic string) string {
		var state string
		if err := f.e.store.Pool().QueryRow(ctx, `SELECT c.state FROM coverage c LEFT JOIN accounts a ON a.id = c.account_id
WHERE c.interview_id = $1 AND coalesce(a.name, '') = $2 AND c.topic = $3`, f.iv.ID, account, topic).Scan(&state); err != nil {
			t.Fatalf("coverage of %s/%s: %v", account, topic, err)
		}
		return state
	}
	if s := stateOf("Northwind", "account_overview"); s != "covered" {
		t.Fatalf("Northwind's overview is %s before the filing", s)
	}
	filed := func() string {
		var out *string
		if err := f.e.store.Pool().QueryRow(ctx, `SELECT filed::text FROM messages WHERE id = $1`, msg).Scan(&out); err != nil {
			t.Fatal(err)
		}
		if out == nil {
			return "null"
		}
		return *out
	}
	for _, tc := range []struct{ id, body string }{
		{msg, `{"covers":[{"account":"Northwind","topic":"no_such_topic"}]}`},
		{msg, `{"covers":[{"account":"","topic":"renewal"}]}`},
		{msg, `{"covers":[{"account":"Globex","topic":"shadow_systems"}]}`},
		{msg, `{"covers":[{"account":"Initech","topic":"renewal"}]}`},
		{msg, `{}`},
		{msg, `{"covers":[{"account":"Northwind","topic":"renewal"}],"extra":1}`},
	} {
		if r := f.e.postJSON("/api/v1/interview/review/answers/"+tc.id+"/topics", tc.body, withBearer(f.invite)); r.StatusCode != 400 {
			t.Errorf("%s: %d, want 400", tc.body, r.StatusCode)
		}
	}
	for _, id := range []string{turn.Next.ID, "not-an-id", "00000000-0000-4000-8000-000000000000"} {
		if r := f.e.postJSON("/api/v1/interview/review/answers/"+id+"/topics", `{"covers":[]}`, withBearer(f.invite)); r.StatusCode != 404 {
			t.Errorf("filing %s: %d, want 404", id, r.StatusCode)
		}
	}
	if got := filed(); got != "null" {
		t.Fatalf("refused filings changed the answer: %s", got)
	}

	r := f.e.postJSON("/api/v1/interview/review/answers/"+msg+"/topics",
		`{"covers":[{"account":"northwind","topic":"workarounds"},{"account":"","topic":"shadow_systems"},{"account":"Northwind","topic":"workarounds"}]}`,
		withBearer(f.invite))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, `{"account":"Northwind","topic":"workarounds"},{"account":"","topic":"shadow_systems"}]`) {
		t.Fatalf("filing: %d %s", r.StatusCode, body)
	}
	for pair, want := range map[[2]string]string{{"Northwind", "workarounds"}: "covered", {"", "shadow_systems"}: "covered", {"Northwind", "account_overview"}: "missing"} {
		if s := stateOf(pair[0], pair[1]); s != want {
			t.Errorf("coverage of %v after the filing: %s, want %s", pair, s, want)
		}
	}
	if a := answers().Answers[0]; !a.ByCSM || len(a.Covers) != 2 || a.Covers[0].Topic != "workarounds" {
		t.Fatalf("the review after the filing: %+v", a)
	}
	// The filing enqueued the answer's capture again; its passages carry the CSM's topics.
	if err := f.capture.Capture(ctx, msg); err != nil {
		t.Fatal(err)
	}
	var topics []string
	if err := f.e.store.Pool().QueryRow(ctx, `SELECT topics FROM chunks WHERE message_id = $1 ORDER BY position LIMIT 1`, msg).Scan(&topics); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(topics, []string{"workarounds", "shadow_systems"}) {
		t.Fatalf("the passage's topics after the filing: %v", topics)
	}

	// The page: the answer and its filing, and a form that files it (ticked pairs and the one added).
	cookie := findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)
	page := readBody(t, f.e.do(http.MethodGet, "/interview/review", nil, withCookie(cookie)))
	if !strings.Contains(page, `id="m-`+msg+`"`) || !strings.Contains(page, "Northwind: Workarounds") || !strings.Contains(page, "filed by you") {
		t.Fatal("the review page does not show the answer's filing")
	}
	// Each answer's form offers the accounts and the topics apart, not every pair: a long review stays light.
	_, item, _ := strings.Cut(page, `id="m-`+msg+`"`)
	item, _, _ = strings.Cut(item, "</details>")
	if n := strings.Count(item, "<option"); n != 3+len(interview.Topics)+1 {
		t.Errorf("%d options in the answer's form, want the accounts, the portfolio, the topics and none", n)
	}
	if n := strings.Count(item, " selected>"); n != 1 {
		t.Errorf("%d accounts chosen to begin with in the answer's form, want the one its question was about", n)
	}
	r = f.e.postForm("/interview/review/answers/"+msg+"/topics", url.Values{"cover": {"Northwind|workarounds"},
		"add_account": {"Northwind"}, "add_topic": {"account_overview"}}, cookie)
	if r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/interview/review?filed=1") {
		t.Fatalf("filing from the page: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if s := stateOf("Northwind", "account_overview"); s != "covered" {
		t.Errorf("Northwind's overview is %s after the page filed the answer under it", s)
	}
	if s := stateOf("", "shadow_systems"); s != "missing" {
		t.Errorf("shadow systems is %s after the page took it away", s)
	}
	r = f.e.postForm("/interview/review/answers/"+msg+"/topics", url.Values{"add_account": {""}, "add_topic": {"renewal"}}, cookie)
	if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, "needs the account it is about") {
		t.Fatalf("a bad filing from the page: %d", r.StatusCode)
	}
	if n := f.e.count("audit_log WHERE action = 'review.file'"); n != 2 {
		t.Errorf("%d filings audited, want 2", n)
	}
}
