package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// sessionFixture is a session of eight accounts with long names and large amounts, its manager signed in,
// and two successors with names.
type sessionFixture struct {
	e        *testEnv
	iv       store.Interview
	invite   string
	manager  *http.Cookie
	accounts map[string]string // name → id
}

func newSessionFixture(t *testing.T) *sessionFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	maria, pw := e.user(store.RoleManager, "maria@example.com")
	for email, name := range map[string]string{"sam@example.com": "Samira Okonkwo-Lindqvist", "lee@example.com": "Lee Chen"} {
		if _, err := e.auth.CreateUser(context.Background(), auth.NewUserInput{Email: email, Name: name, Role: store.RoleSuccessor,
			Password: "correct horse battery successor"}, "", auth.Client{}); err != nil {
			t.Fatal(err)
		}
	}
	arr := func(v float64) *float64 { return &v }
	renewal := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	c, err := e.ivs.Create(context.Background(), maria.ID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: departure(), TimeBudgetMinutes: 60, Accounts: []book.Account{
			{Name: "Northwind Traders International Holdings", ARR: arr(240000), RenewalDate: renewal("2027-03-15"), Segment: "Enterprise"},
			{Name: "Globex Corporation of the Americas and EMEA", ARR: arr(12500000), RenewalDate: renewal("2027-06-30")},
			{Name: "Initech", ARR: arr(45000), RenewalDate: renewal("2027-02-01")},
			{Name: "Umbrella Pharmaceuticals Research Division", ARR: arr(1999999), RenewalDate: renewal("2027-09-30")},
			{Name: "Stark Logistics", ARR: arr(120000), RenewalDate: renewal("2027-04-30"), Successor: "lee@example.com"},
			{Name: "Wayne Retail", ARR: arr(60000), RenewalDate: renewal("2027-05-31")},
			{Name: "Cyberdyne Systems", ARR: arr(330000)},
			{Name: "Soylent Green Foods", RenewalDate: renewal("2027-12-31")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	f := &sessionFixture{e: e, iv: c.Interview, invite: c.InviteToken, manager: e.login("maria@example.com", pw), accounts: map[string]string{}}
	for _, a := range c.Accounts {
		f.accounts[a.Name] = a.ID
	}
	return f
}

// answer answers the CSM's open question over the API.
func (f *sessionFixture) answer(t *testing.T, text string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"content": text, "client_id": fmt.Sprintf("s-%d", time.Now().UnixNano())})
	r := f.e.do(http.MethodPost, "/api/v1/interview/messages", strings.NewReader(string(body)), withBearer(f.invite),
		withHeader("Content-Type", "application/json"))
	if r.StatusCode != 201 {
		t.Fatalf("CSM answer: %d %s", r.StatusCode, readBody(t, r))
	}
}

func (f *sessionFixture) successorOf(t *testing.T, name string) string {
	t.Helper()
	var email string
	if err := f.e.store.Pool().QueryRow(context.Background(), `SELECT coalesce(u.email, '') FROM accounts a LEFT JOIN users u ON u.id = a.successor_id
WHERE a.id = $1`, f.accounts[name]).Scan(&email); err != nil {
		t.Fatal(err)
	}
	return email
}

// TestSessionPageSavesSuccessorsFromTheTable: one "Save successors" saves every changed field of the
// table; successors show by name with the e-mail as the title.
func TestSessionPageSavesSuccessorsFromTheTable(t *testing.T) {
	t.Parallel()
	f := newSessionFixture(t)
	page := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID, nil, withCookie(f.manager)))
	if !strings.Contains(page, `<span class="successor-name" title="lee@example.com">Lee Chen</span>`) ||
		strings.Count(page, ">Save successors</button>") != 1 || strings.Contains(page, ">Save</button>\n          </form>") {
		t.Fatalf("the table's successors:\n%s", page)
	}
	form := url.Values{}
	for name, id := range f.accounts {
		form.Set("successor_"+id, "")
		if name == "Stark Logistics" {
			form.Set("successor_"+id, "lee@example.com")
		}
	}
	form.Set("successor_"+f.accounts["Initech"], " Sam@Example.com ")
	form.Set("successor_"+f.accounts["Wayne Retail"], "sam@example.com")
	r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", form, f.manager)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.StatusCode, readBody(t, r))
	}
	if f.successorOf(t, "Initech") != "sam@example.com" || f.successorOf(t, "Wayne Retail") != "sam@example.com" || f.successorOf(t, "Stark Logistics") != "lee@example.com" {
		t.Fatal("the successors were not saved")
	}
	page = readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID, nil, withCookie(f.manager)))
	if strings.Count(page, `title="sam@example.com">Samira Okonkwo-Lindqvist</span>`) != 2 {
		t.Fatal("the new successor is not shown by name")
	}

	// Clearing a field clears that successor only.
	form.Set("successor_"+f.accounts["Wayne Retail"], "")
	form.Set("successor_"+f.accounts["Initech"], "sam@example.com")
	if r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", form, f.manager); r.StatusCode != http.StatusSeeOther ||
		f.successorOf(t, "Wayne Retail") != "" || f.successorOf(t, "Initech") != "sam@example.com" {
		t.Fatalf("clear: %d", r.StatusCode)
	}
	// A form with no successor fields at all is refused.
	if r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", url.Values{"other": {"x"}}, f.manager); r.StatusCode != 400 {
		t.Fatalf("empty form: %d", r.StatusCode)
	}
}

// TestSessionPageShowsAMistypedSuccessorOnItsField: a mistyped e-mail comes back on its field, marked
// invalid with the message linked to it and what was typed kept; nothing is saved, not even the other
// fields' changes.
func TestSessionPageShowsAMistypedSuccessorOnItsField(t *testing.T) {
	t.Parallel()
	f := newSessionFixture(t)
	form := url.Values{}
	for _, id := range f.accounts {
		form.Set("successor_"+id, "")
	}
	form.Set("successor_"+f.accounts["Stark Logistics"], "lee@example.com")
	form.Set("successor_"+f.accounts["Initech"], "sam@example.com")
	form.Set("successor_"+f.accounts["Globex Corporation of the Americas and EMEA"], "sam@exmaple.com")
	form.Set("successor_"+f.accounts["Wayne Retail"], "maria@example.com")
	r := f.e.postForm("/interviews/"+f.iv.ID+"/successors", form, f.manager)
	page := readBody(t, r)
	if r.StatusCode != 400 {
		t.Fatalf("status %d", r.StatusCode)
	}
	globex := f.accounts["Globex Corporation of the Americas and EMEA"]
	field := regexp.MustCompile(`<input id="succ-` + globex + `"[^>]*>`).FindString(page)
	if !strings.Contains(field, `value="sam@exmaple.com"`) || !strings.Contains(field, `aria-invalid="true"`) ||
		!strings.Contains(field, `aria-describedby="succ-`+globex+`-error"`) {
		t.Fatalf("the mistyped field: %s", field)
	}
	if !strings.Contains(page, `<p class="field-error" id="succ-`+globex+`-error">No user has the e-mail sam@exmaple.com`) {
		t.Fatal("no message next to the field")
	}
	if !strings.Contains(page, `id="succ-`+f.accounts["Wayne Retail"]+`-error">maria@example.com is a user with the manager role`) {
		t.Fatal("a manager named as successor is not marked")
	}
	if strings.Contains(page, `class="alert info"`) {
		t.Fatal("the problem is still a neutral notice")
	}
	initech := regexp.MustCompile(`<input id="succ-` + f.accounts["Initech"] + `"[^>]*>`).FindString(page)
	if !strings.Contains(initech, `value="sam@example.com"`) || strings.Contains(initech, "aria-invalid") {
		t.Fatalf("a good field: %s", initech)
	}
	if f.successorOf(t, "Initech") != "" || f.successorOf(t, "Stark Logistics") != "lee@example.com" {
		t.Fatal("something was saved")
	}

	// The ticked-accounts form marks its own field.
	r = f.e.postForm("/interviews/"+f.iv.ID+"/successors", url.Values{"account_id": {f.accounts["Initech"]}, "email": {"nobody@example.com"}}, f.manager)
	page = readBody(t, r)
	if r.StatusCode != 400 || !regexp.MustCompile(`<input id="bulk-email"[^>]*value="nobody@example.com" aria-invalid="true" aria-describedby="bulk-email-error">`).MatchString(page) ||
		!strings.Contains(page, `id="bulk-email-error">No user has the e-mail nobody@example.com`) || f.successorOf(t, "Initech") != "" {
		t.Fatalf("the ticked-accounts form: %d\n%s", r.StatusCode, page)
	}
	// So does the one-account route.
	r = f.e.postForm("/interviews/"+f.iv.ID+"/accounts/"+f.accounts["Initech"]+"/successor", url.Values{"email": {"sam@exmaple.com"}}, f.manager)
	page = readBody(t, r)
	if r.StatusCode != 400 || !strings.Contains(page, `aria-describedby="succ-`+f.accounts["Initech"]+`-error"`) {
		t.Fatalf("one account: %d", r.StatusCode)
	}
}

// TestSessionTranscriptShowsTheInterviewAsItRuns: the manager reads the questions and answers in order
// with their account and topics, credentials redacted; the fragment the page's script polls returns only
// what was said since.
func TestSessionTranscriptShowsTheInterviewAsItRuns(t *testing.T) {
	t.Parallel()
	f := newSessionFixture(t)
	page := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript", nil, withCookie(f.manager)))
	if !strings.Contains(page, `id="transcript-empty">Nothing has been said yet.`) {
		t.Fatalf("an empty transcript:\n%s", page)
	}
	f.answer(t, "Initech runs on the Enterprise plan; the admin password is hunter2hunter2 and the CFO signs.")
	r := f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript", nil, withCookie(f.manager))
	page = readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(page, "Initech runs on the Enterprise plan") || strings.Contains(page, "hunter2hunter2") || !strings.Contains(page, "[REDACTED password]") {
		t.Fatalf("the transcript: %d\n%s", r.StatusCode, page)
	}
	entries := regexp.MustCompile(`(?s)<li class="entry entry-(\w+)[^"]*" id="msg-(\d+)".*?</li>`).FindAllStringSubmatch(page, -1)
	if len(entries) < 3 || entries[0][1] != "interviewer" {
		t.Fatalf("%d entries\n%s", len(entries), page)
	}
	var answer string
	for _, e := range entries {
		if e[1] == "csm" {
			answer = e[0]
		}
	}
	if !strings.Contains(answer, `<span class="entry-about">Initech</span> <span class="entry-topic">Overview</span>`) || !strings.Contains(answer, `class="entry-topic"`) {
		t.Fatalf("the answer is not shown with its account and topic:\n%s\n%s", answer, page)
	}
	last := entries[len(entries)-1][2]

	// The fragment after the last entry is empty until the CSM answers again; then it holds just that.
	frag := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript?fragment=entries&after="+last, nil, withCookie(f.manager)))
	if strings.TrimSpace(frag) != "" {
		t.Fatalf("nothing new, yet:\n%s", frag)
	}
	f.answer(t, "Priya Shah is the champion at Initech.")
	r = f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript?fragment=entries&after="+last, nil, withCookie(f.manager))
	frag = readBody(t, r)
	if !strings.Contains(frag, "Priya Shah is the champion") || strings.Contains(frag, "Enterprise plan") || strings.Contains(frag, "<html") ||
		r.Header.Get("X-Transcript-Last") == last {
		t.Fatalf("the new entries:\n%s", frag)
	}
	if r := f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript?after=-1", nil, withCookie(f.manager)); r.StatusCode != 400 {
		t.Fatalf("a bad after: %d", r.StatusCode)
	}
	// Another manager finds no such session.
	_, pw := f.e.user(store.RoleManager, "omar@example.com")
	if r := f.e.do(http.MethodGet, "/interviews/"+f.iv.ID+"/transcript", nil, withCookie(f.e.login("omar@example.com", pw))); r.StatusCode != 404 {
		t.Fatalf("another manager: %d", r.StatusCode)
	}
	// The session page links to it.
	if page := readBody(t, f.e.do(http.MethodGet, "/interviews/"+f.iv.ID, nil, withCookie(f.manager))); !strings.Contains(page, `href="/interviews/`+f.iv.ID+`/transcript"`) {
		t.Fatal("the session page does not link the transcript")
	}
}
