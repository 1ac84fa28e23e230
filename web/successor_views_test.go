package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// leakFixture is a session in which the CSM, asked about Umbrella Health, also told a Hooli secret,
// named two accounts in one sentence, made a personal remark and typed a credential that was kept (as
// with EXITINTERVIEW_KEEP_SECRETS=true); the answer also answers a question Umbrella's successor asked.
// A second session waits for the CSM's approval before its successor sees anything.
type leakFixture struct {
	e                    *testEnv
	tokens               map[string]string
	cookies              map[string]*http.Cookie
	iv, waiting          store.Interview
	accounts             map[string]string // name → id
	answer, waitingReply store.Message
}

const (
	plantedOwn       = "Sarah Kim signs the Umbrella renewal in May."
	plantedOther     = "Hooli's CEO Gavin told me in confidence they are moving to a competitor."
	plantedUncertain = "Northwind and Umbrella both run the nightly CSV export workaround."
	plantedPersonal  = "Honestly my manager micromanages everything."
	plantedSecret    = "Winter2024!xq"
	plantedWaiting   = "Initrode's champion Pat Lee wants the SSO fix first."
)

func newLeakFixture(t *testing.T) *leakFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	ctx := context.Background()
	f := &leakFixture{e: e, tokens: map[string]string{}, cookies: map[string]*http.Cookie{}, accounts: map[string]string{}}
	users := map[string]store.User{}
	for name, role := range map[string]store.Role{"maria": store.RoleManager, "umb": store.RoleSuccessor, "hoo": store.RoleSuccessor,
		"nor": store.RoleSuccessor, "ini": store.RoleSuccessor} {
		var pw string
		users[name], pw = e.user(role, name+"@example.com")
		f.tokens[name] = e.token(name + "@example.com")
		f.cookies[name] = e.login(name+"@example.com", pw)
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	session := func(key string, accounts map[string]string) (store.Interview, map[string]string) {
		var accs []store.Account
		for name, succ := range accounts {
			accs = append(accs, store.Account{Name: name, Depth: "deep", SuccessorID: users[succ].ID})
		}
		iv, stored, err := e.store.CreateInterview(ctx, store.NewInterview{ManagerID: users["maria"].ID, CSMName: "Dana",
			DepartureDate: time.Now().AddDate(0, 1, 0), TimeBudgetMinutes: 60, Accounts: accs, InviteHash: []byte(key),
			InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{}
		for _, a := range stored {
			ids[a.Name] = a.ID
		}
		return iv, ids
	}
	answer := func(iv store.Interview, accountID, asker, question, text string) store.Message {
		var m store.Message
		err := e.store.Transact(ctx, func(tx *store.Store) error {
			if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
				return err
			}
			asked, err := tx.CreateAskedQuestion(ctx, store.AskedQuestion{InterviewID: iv.ID, AccountID: accountID, AskedBy: users[asker].ID,
				From: "successor", Text: question})
			if err != nil {
				return err
			}
			q, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question", Content: question,
				AccountID: accountID, Topics: []string{"stakeholders"}, AskedQuestionID: asked.ID, AskedFrom: "successor"})
			if err != nil {
				return err
			}
			if err := tx.MarkQuestionPosed(ctx, asked.ID, q.ID); err != nil {
				return err
			}
			if m, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: text, ReplyTo: q.ID}); err != nil {
				return err
			}
			return tx.MarkQuestionAnswered(ctx, asked.ID, m.ID, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := capture.Capture(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		return m
	}

	var ids map[string]string
	f.iv, ids = session("one", map[string]string{"Umbrella Health": "umb", "Hooli": "hoo", "Northwind Traders": "nor"})
	for k, v := range ids {
		f.accounts[k] = v
	}
	f.answer = answer(f.iv, ids["Umbrella Health"], "umb", "Who signs the Umbrella Health renewal?",
		plantedOwn+" "+plantedOther+" "+plantedUncertain+" "+plantedPersonal+" The admin password is "+plantedSecret+".")

	f.waiting, ids = session("two", map[string]string{"Initrode": "ini"})
	f.accounts["Initrode"] = ids["Initrode"]
	if err := e.store.SetApprovalRequired(ctx, f.waiting.ID, true); err != nil {
		t.Fatal(err)
	}
	f.waitingReply = answer(f.waiting, ids["Initrode"], "ini", "Who is the champion at Initrode?", plantedWaiting)
	return f
}

// successorViews are every route on which a successor reads captured knowledge or the transcript.
func (f *leakFixture) successorViews(who string, iv store.Interview, account string, message store.Message) map[string]func() (int, string) {
	get := func(path string) func() (int, string) {
		return func() (int, string) {
			r := f.e.do(http.MethodGet, path, nil, withCookie(f.cookies[who]))
			return r.StatusCode, readBody(f.e.t, r)
		}
	}
	getAPI := func(path string) func() (int, string) {
		return func() (int, string) {
			r := f.e.do(http.MethodGet, path, nil, withBearer(f.tokens[who]))
			return r.StatusCode, readBody(f.e.t, r)
		}
	}
	// Words of every planted sentence, none of the strings the checks look for (pages repeat the query).
	const q = "CEO confidence moving nightly workaround manager everything admin password signs renewal champion wants first"
	return map[string]func() (int, string){
		"search API":                 getAPI("/api/v1/search?" + url.Values{"q": {q}}.Encode()),
		"search API, account filter": getAPI("/api/v1/search?" + url.Values{"q": {q}, "account": {account}}.Encode()),
		"search page":                getAPI("/search?" + url.Values{"q": {q}}.Encode()),
		"search as you type":         getAPI("/search?" + url.Values{"q": {q}, "fragment": {"results"}}.Encode()),
		"ask API": func() (int, string) {
			r := f.e.postJSON("/api/v1/ask", `{"question": "Which CEO told you in confidence they are moving?"}`, withBearer(f.tokens[who]))
			return r.StatusCode, readBody(f.e.t, r)
		},
		"ask API, account filter": func() (int, string) {
			r := f.e.postJSON("/api/v1/ask", `{"question": "Which CEO told you in confidence they are moving?", "account": "`+account+`"}`,
				withBearer(f.tokens[who]))
			return r.StatusCode, readBody(f.e.t, r)
		},
		"ask page": func() (int, string) {
			r := f.e.postForm("/search/ask", url.Values{"question": {"which CEO told you in confidence they are moving?"}}, f.cookies[who])
			return r.StatusCode, readBody(f.e.t, r)
		},
		"message page":  get("/messages/" + message.ID),
		"account page":  get("/accounts/" + f.accounts[account]),
		"home page":     get("/"),
		"questions API": getAPI("/api/v1/interviews/" + iv.ID + "/questions"),
	}
}

// TestSuccessorViewsShowOnlyWhatTheSuccessorMaySee walks every successor-facing route and API with a
// planted cross-account sentence, a sentence naming two accounts, a personal remark, a kept credential
// and an unapproved answer: none of them reaches the wrong successor, while each successor still reads
// their own knowledge.
func TestSuccessorViewsShowOnlyWhatTheSuccessorMaySee(t *testing.T) {
	t.Parallel()
	f := newLeakFixture(t)
	for _, tc := range []struct {
		who, account string
		iv           store.Interview
		message      store.Message
		never        []string
	}{
		{"umb", "Umbrella Health", f.iv, f.answer, []string{"Gavin", "competitor", "CSV export", "micromanages", plantedSecret, "Pat Lee"}},
		{"hoo", "Hooli", f.iv, f.answer, []string{"Sarah Kim", "CSV export", "micromanages", plantedSecret, "Pat Lee"}},
		{"nor", "Northwind Traders", f.iv, f.answer, []string{"Sarah Kim", "Gavin", "CSV export", "micromanages", plantedSecret}},
		{"ini", "Initrode", f.waiting, f.waitingReply, []string{"Pat Lee", "SSO fix", "Gavin", "Sarah Kim", plantedSecret}},
	} {
		for route, view := range f.successorViews(tc.who, tc.iv, tc.account, tc.message) {
			status, body := view()
			if status >= 500 {
				t.Errorf("%s, %s: status %d", tc.who, route, status)
			}
			for _, s := range tc.never {
				if strings.Contains(body, s) {
					t.Errorf("%s, %s: shows %q", tc.who, route, s)
				}
			}
		}
	}

	// Each successor still reads what is theirs, so the checks above can fail.
	for _, tc := range []struct{ who, account, route, want string }{
		{"umb", "Umbrella Health", "search API", "Sarah Kim"},
		{"umb", "Umbrella Health", "message page", "Sarah Kim"},
		{"umb", "Umbrella Health", "questions API", "Sarah Kim"},
		{"umb", "Umbrella Health", "account page", "Sarah Kim"},
		{"hoo", "Hooli", "search API", "Gavin"},
		{"hoo", "Hooli", "account page", "competitor"},
		{"hoo", "Hooli", "message page", "Gavin"},
	} {
		status, body := f.successorViews(tc.who, f.iv, tc.account, f.answer)[tc.route]()
		if status != 200 || !strings.Contains(body, tc.want) {
			t.Errorf("%s, %s: status %d, want %q in %.300s", tc.who, tc.route, status, tc.want, body)
		}
	}
	// The message page shows Hooli's successor the Hooli sentence, not the question Umbrella's successor
	// asked about Umbrella.
	if _, body := f.successorViews("hoo", f.iv, "Hooli", f.answer)["message page"](); strings.Contains(body, "Who signs the Umbrella") {
		t.Error("Hooli's successor reads the question asked about Umbrella Health")
	}
}

// TestManagerSeesTheWholeAnswerWithoutTheCredential: the session's manager reads the answer as given,
// the sentence whose account is unsure included, but never a credential that was kept.
func TestManagerSeesTheWholeAnswerWithoutTheCredential(t *testing.T) {
	t.Parallel()
	f := newLeakFixture(t)
	r := f.e.do(http.MethodGet, "/messages/"+f.answer.ID, nil, withBearer(f.tokens["maria"]))
	body := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(body, "Gavin") || !strings.Contains(body, "CSV export") || strings.Contains(body, plantedSecret) {
		t.Fatalf("manager's message page: %d %.500s", r.StatusCode, body)
	}
	r = f.e.do(http.MethodGet, "/api/v1/interviews/"+f.iv.ID+"/questions", nil, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "Gavin") || strings.Contains(body, plantedSecret) {
		t.Fatalf("manager's questions: %d %.500s", r.StatusCode, body)
	}
	r = f.e.do(http.MethodGet, "/accounts/"+f.accounts["Northwind Traders"], nil, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); !strings.Contains(body, "CSV export") || !strings.Contains(body, "It is not certain this is about this account") {
		t.Fatalf("the manager's account page does not show the passage whose account is unsure, marked: %.2000s", body)
	}
	r = f.e.do(http.MethodGet, "/api/v1/search?"+url.Values{"q": {"CSV export workaround"}}.Encode(), nil, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); !strings.Contains(body, "CSV export") {
		t.Fatalf("the manager does not find the sentence whose account is unsure: %.500s", body)
	}
}
