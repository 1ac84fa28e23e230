package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// knowledgeFixture captures a few answers in two sessions and returns the tokens of everyone who searches.
type knowledgeFixture struct {
	e      *testEnv
	tokens map[string]string
	ivs    map[string]store.Interview
}

func newKnowledgeFixture(t *testing.T) *knowledgeFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	ctx := context.Background()
	users := map[string]store.User{}
	for name, role := range map[string]store.Role{"admin": store.RoleAdmin, "manager A": store.RoleManager, "manager B": store.RoleManager,
		"successor 1": store.RoleSuccessor, "successor 2": store.RoleSuccessor, "successor 0": store.RoleSuccessor} {
		email := strings.ReplaceAll(name, " ", "") + "@example.com"
		users[name], _ = e.user(role, email)
	}
	f := &knowledgeFixture{e: e, tokens: map[string]string{}, ivs: map[string]store.Interview{}}
	for name, u := range users {
		f.tokens[name] = e.token(u.Email)
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	session := func(key string, manager store.User, accounts map[string]string, answers [][3]string) {
		var accs []store.Account
		for name, succ := range accounts {
			accs = append(accs, store.Account{Name: name, Depth: "deep", SuccessorID: users[succ].ID})
		}
		iv, stored, err := e.store.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
			TimeBudgetMinutes: 60, Accounts: accs, InviteHash: []byte(key), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
		if err != nil {
			t.Fatal(err)
		}
		f.ivs[key] = iv
		ids := map[string]string{}
		for _, a := range stored {
			ids[a.Name] = a.ID
		}
		for _, qa := range answers {
			var answer store.Message
			err := e.store.Transact(ctx, func(tx *store.Store) error {
				if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
					return err
				}
				q, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question", Content: "Tell me more.",
					AccountID: ids[qa[0]], Topics: []string{qa[1]}})
				if err != nil {
					return err
				}
				answer, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: qa[2], ReplyTo: q.ID})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := capture.Capture(ctx, answer.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	session("one", users["manager A"], map[string]string{"Northwind": "successor 1", "Globex": "successor 2"}, [][3]string{
		{"Northwind", "renewal", "Marco Rossi signs the renewal."},
		{"Globex", "stakeholders", "Sara Lind is the champion."},
		{"", "escalation_paths", "Bugs go to Lena Fischer in engineering."},
	})
	session("two", users["manager B"], map[string]string{"Initech": "successor 2"}, [][3]string{
		{"Initech", "stakeholders", "Peter Gibbons is the admin."},
		{"", "escalation_paths", "Omar handles legal questions."},
	})
	return f
}

const everything = "renewal champion admin bugs legal Marco Sara Lena Peter Omar"

func (f *knowledgeFixture) search(t *testing.T, who string, params url.Values) (int, []string) {
	t.Helper()
	var opts []reqOpt
	if tok := f.tokens[who]; tok != "" {
		opts = append(opts, withBearer(tok))
	}
	r := f.e.do(http.MethodGet, "/api/v1/search?"+params.Encode(), nil, opts...)
	if r.StatusCode != 200 {
		return r.StatusCode, nil
	}
	body := decodeInto[struct{ Results []searchResultJSON }](t, r)
	var texts []string
	for _, res := range body.Results {
		texts = append(texts, res.Text)
		if res.MessageID == "" || res.InterviewID == "" || res.ChunkID == "" {
			t.Errorf("result without its source: %+v", res)
		}
	}
	sort.Strings(texts)
	return 200, texts
}

// TestSearchSeesOnlyWhatTheCallerMay checks the access rules for search, role by role.
func TestSearchSeesOnlyWhatTheCallerMay(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	nw, gx, bugs := "Marco Rossi signs the renewal.", "Sara Lind is the champion.", "Bugs go to Lena Fischer in engineering."
	it, legal := "Peter Gibbons is the admin.", "Omar handles legal questions."
	sorted := func(s ...string) []string { sort.Strings(s); return s }
	cases := map[string][]string{
		"admin":       sorted(nw, gx, bugs, it, legal),
		"manager A":   sorted(nw, gx, bugs),
		"manager B":   sorted(it, legal),
		"successor 1": sorted(nw, bugs),
		"successor 2": sorted(gx, bugs, it, legal),
		"successor 0": nil,
	}
	for who, want := range cases {
		t.Run(who, func(t *testing.T) {
			code, got := f.search(t, who, url.Values{"q": {everything}, "limit": {"50"}})
			if code != 200 {
				t.Fatalf("status %d", code)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("visible (-want +got):\n%s", diff)
			}
		})
	}
	// A CSM's invite reaches no search at all, and an anonymous caller none either.
	tok, _, err := f.e.srv.ivs.NewInvite(context.Background(), f.ivs["one"])
	if err != nil {
		t.Fatal(err)
	}
	f.tokens["csm"] = tok
	if code, _ := f.search(t, "csm", url.Values{"q": {everything}}); code != 403 {
		t.Errorf("CSM: %d", code)
	}
	if code, _ := f.search(t, "anonymous", url.Values{"q": {everything}}); code != 401 {
		t.Errorf("anonymous: %d", code)
	}
}

func TestSearchFiltersAndBadInput(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	for name, tc := range map[string]struct {
		params url.Values
		want   []string
	}{
		"account by name": {url.Values{"q": {everything}, "account": {"globex"}}, []string{"Sara Lind is the champion."}},
		"topic":           {url.Values{"q": {everything}, "topic": {"escalation_paths"}}, []string{"Bugs go to Lena Fischer in engineering.", "Omar handles legal questions."}},
		"interview":       {url.Values{"q": {everything}, "interview": {f.ivs["two"].ID}}, []string{"Omar handles legal questions.", "Peter Gibbons is the admin."}},
		"limit":           {url.Values{"q": {"Marco Rossi renewal"}, "limit": {"1"}}, []string{"Marco Rossi signs the renewal."}},
	} {
		t.Run(name, func(t *testing.T) {
			_, got := f.search(t, "admin", tc.params)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for name, params := range map[string]url.Values{
		"no query":      {},
		"only stops":    {"q": {"who is the"}},
		"unknown topic": {"q": {"x y"}, "topic": {"gossip"}},
		"bad limit":     {"q": {"renewal"}, "limit": {"0"}},
		"bad interview": {"q": {"renewal"}, "interview": {"nope"}},
		"too long":      {"q": {strings.Repeat("word ", 101)}},
	} {
		t.Run(name, func(t *testing.T) {
			if code, _ := f.search(t, "admin", params); code != 400 {
				t.Errorf("status %d, want 400", code)
			}
		})
	}
}

func TestSnippetsMarkMatches(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	r := f.e.do(http.MethodGet, "/api/v1/search?q=Marco", nil, withBearer(f.tokens["admin"]))
	body := decodeInto[struct{ Results []searchResultJSON }](t, r)
	if len(body.Results) == 0 || !strings.Contains(body.Results[0].Snippet, "<mark>Marco</mark>") {
		t.Fatalf("snippet: %+v", body.Results)
	}
}

func TestAskAnswersWithCitationsOrSaysNotCaptured(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	r := f.e.postJSON("/api/v1/ask", `{"question":"who signs the renewal at Northwind?"}`, withBearer(f.tokens["manager A"]))
	a := decodeInto[askJSON](t, r)
	if r.StatusCode != 200 || !a.Grounded || len(a.Citations) == 0 || !strings.Contains(a.Answer, "Marco Rossi") || a.Citations[0].MessageID == "" {
		t.Fatalf("grounded ask: %d %+v", r.StatusCode, a)
	}
	r = f.e.postJSON("/api/v1/ask", `{"question":"what is the capital of France?"}`, withBearer(f.tokens["manager A"]))
	a = decodeInto[askJSON](t, r)
	if r.StatusCode != 200 || a.Grounded || len(a.Citations) != 0 || !strings.Contains(a.Answer, "Nothing captured") {
		t.Fatalf("ungrounded ask: %d %+v", r.StatusCode, a)
	}
	// What a successor may not see is not used to answer them.
	r = f.e.postJSON("/api/v1/ask", `{"question":"who is the champion at Globex?"}`, withBearer(f.tokens["successor 1"]))
	a = decodeInto[askJSON](t, r)
	if a.Grounded || strings.Contains(a.Answer, "Sara") {
		t.Fatalf("successor 1 learned about Globex: %+v", a)
	}
	if r := f.e.postJSON("/api/v1/ask", `{"question":""}`, withBearer(f.tokens["admin"])); r.StatusCode != 400 {
		t.Fatalf("empty question: %d", r.StatusCode)
	}
}

func TestSearchAndMessagePages(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	page := func(who, path string) (int, string) {
		r := f.e.do(http.MethodGet, path, nil, withBearer(f.tokens[who]))
		return r.StatusCode, readBody(t, r)
	}
	code, body := page("successor 1", "/search?q="+url.QueryEscape("who signs the renewal"))
	if code != 200 || !strings.Contains(body, "<mark>signs</mark>") || strings.Contains(body, "Sara Lind") {
		t.Fatalf("search page: %d\n%s", code, body)
	}
	m := regexp.MustCompile(`href="/messages/([0-9a-f-]{36})"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to the source message")
	}
	if code, body := page("successor 1", "/messages/"+m[1]); code != 200 || !strings.Contains(body, "Marco Rossi signs the renewal.") {
		t.Fatalf("own message: %d", code)
	}
	// The Globex answer is not successor 1's to read; the manager's and admin's it is.
	_, adminBody := page("admin", "/search?q=Sara")
	globex := regexp.MustCompile(`href="/messages/([0-9a-f-]{36})"`).FindStringSubmatch(adminBody)[1]
	for who, want := range map[string]int{"successor 1": 404, "successor 2": 200, "manager A": 200, "manager B": 404, "admin": 200} {
		if code, _ := page(who, "/messages/"+globex); code != want {
			t.Errorf("%s reading the Globex message: %d, want %d", who, code, want)
		}
	}
	r := f.e.postForm("/search/ask", url.Values{"question": {"who signs the renewal at Northwind?"}}, nil, withBearer(f.tokens["manager A"]))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "Marco Rossi") || !strings.Contains(body, `href="/messages/`) {
		t.Fatalf("ask page: %d", r.StatusCode)
	}
	if code, _ := page("successor 1", "/search?q="+url.QueryEscape("who is the")); code != 400 {
		t.Fatalf("stop-word search: %d", code)
	}
	for question, want := range map[string]string{"": "is required", "who is the": "has no words", strings.Repeat("x", 501): "at most 500"} {
		r := f.e.postForm("/search/ask", url.Values{"question": {question}}, nil, withBearer(f.tokens["manager A"]))
		if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("ask page with %.20q: %d, want 400 saying %q", question, r.StatusCode, want)
		}
	}
}

// TestSearchPageResultsFragment: the results alone, for the page's script, under the same access rules.
func TestSearchPageResultsFragment(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	r := f.e.do(http.MethodGet, "/search?q=champion+renewal&fragment=results", nil, withBearer(f.tokens["successor 1"]))
	body := readBody(t, r)
	if r.StatusCode != 200 || strings.Contains(body, "<html") || !strings.Contains(body, `<ol class="results">`) || !strings.Contains(body, "Marco") ||
		strings.Contains(body, "Sara") {
		t.Fatalf("fragment: %d\n%s", r.StatusCode, body)
	}
	// An account's result links to the account's page, which the successor may open.
	m := regexp.MustCompile(`<a href="/accounts/([0-9a-f-]{36})">Northwind</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no link to the Northwind page in\n%s", body)
	}
	if r := f.e.do(http.MethodGet, "/accounts/"+m[1], nil, withBearer(f.tokens["successor 1"])); r.StatusCode != 200 {
		t.Fatalf("the account link: %d", r.StatusCode)
	}
	r = f.e.do(http.MethodGet, "/search?q=champion&fragment=results", nil)
	if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous fragment: %d", r.StatusCode)
	}
}

// TestFillerIsNotIndexed: an answer that says nothing a successor could use ("no", "the usual people",
// "That is everything I know about that.") stays in the transcript and is not found as knowledge; a short
// answer that says something is.
func TestFillerIsNotIndexed(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	for _, answer := range []string{"no", "the usual people", "That is everything I know about that.",
		"No upsell at Northwind: do not pitch EMEA until the rate-limit fix ships."} {
		f.csm(t, answer)
	}
	var chunks []string
	rows, err := f.e.store.Pool().Query(context.Background(), `SELECT text FROM chunks WHERE interview_id = $1`, f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		chunks = append(chunks, s)
	}
	if len(chunks) != 1 || !strings.Contains(chunks[0], "do not pitch EMEA") {
		t.Fatalf("indexed passages: %q", chunks)
	}
	body := f.search(t, "maria", "Northwind expansion EMEA")
	if !strings.Contains(body, "do not pitch EMEA") || strings.Contains(body, `"text":"no"`) {
		t.Fatalf("search: %s", body)
	}
	if n := f.e.count("messages WHERE role = 'csm' AND interview_id = '" + f.iv.ID + "'"); n != 4 {
		t.Fatalf("%d answers in the transcript, want all 4", n)
	}
}

// TestAskReadsTheQuestionAndAnswersFromFacts: a successor's question is read for the account it names,
// misspelt or not, and for what it asks; where a fact understood of that account answers it, Ask answers
// from the fact, citing the passage it was understood from. Ask's three outcomes each come out, and a
// successor of another account learns nothing of it.
func TestAskReadsTheQuestionAndAnswersFromFacts(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "At Northwind, Marco Rossi, the CFO, signs the renewal. Northwind's champion is Priya Shah, who runs support operations. "+
		"Northwind has had three demos with Fleetly since November.")
	f.csm(t, "Globex is quiet, nothing to report.")
	ask := func(who, question string) askJSON {
		t.Helper()
		r := f.e.postJSON("/api/v1/ask", `{"question":"`+question+`"}`, withBearer(f.tokens[who]))
		if r.StatusCode != 200 {
			t.Fatalf("ask %q: %d", question, r.StatusCode)
		}
		return decodeInto[askJSON](t, r)
	}
	for question, want := range map[string]string{
		"who signs at northwnd":         "Marco Rossi",
		"northwind champion":            "Priya Shah",
		"who's Northwind's champ?":      "Priya Shah",
		"what is northwind demoing?":    "Fleetly",
		"Which competitor is NW eyeing": "", // "NW" is not read as Northwind (one word, two letters, no initials of a two-word name)
	} {
		a := ask("sam", question)
		if want == "" {
			continue
		}
		if a.Outcome != "answer" || !a.Grounded || !strings.Contains(a.Answer, want) || len(a.Citations) == 0 ||
			!strings.Contains(a.Citations[0].Text, want) || a.Citations[0].MessageID == "" {
			t.Errorf("sam asks %q: %+v", question, a)
		}
	}
	if a := ask("sam", "what is the NPS score at northwind"); a.Grounded || a.Outcome == "answer" {
		t.Errorf("an NPS nobody gave was answered: %+v", a)
	}
	if a := ask("sam", "when does the xylophone orchestra tour Peru"); a.Outcome != "nothing" || a.Grounded || len(a.Citations) != 0 ||
		!strings.Contains(a.Answer, "Nothing captured") {
		t.Errorf("a question nothing is near: %+v", a)
	}
	// Globex's successor may not see Northwind: its name reads as no account of theirs, and nothing of it
	// comes back.
	for _, question := range []string{"who signs at northwind", "northwind champion", "who is Priya Shah"} {
		if a := ask("lee", question); a.Grounded || strings.Contains(a.Answer, "Marco") || strings.Contains(a.Answer, "Priya") {
			t.Errorf("lee asks %q: %+v", question, a)
		}
	}
}

// TestTheQuestionsSuccessorsAskedAreAnswered: the questions that once came back "nothing captured", or
// answered with filler, are answered from what the CSM said, with citations: who decides and who signs a
// renewal (an account's possessive), what the CSM promised someone (the CSM named in the question), why a
// discount was given, which competitor, and what is open (not "nothing major" from another answer).
func TestTheQuestionsSuccessorsAskedAreAnswered(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	manager, _ := e.user(store.RoleManager, "maria@example.com")
	e.user(store.RoleSuccessor, "sam@example.com")
	// The answers are given to whatever the interviewer asks, so the accounts they name are the CSM's to
	// confirm in their review: the manager, who sees them meanwhile, asks.
	token := e.token("maria@example.com")
	c, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 0, 20).Format(time.DateOnly), TimeBudgetMinutes: 30,
		Accounts: []book.Account{{Name: "Umbrella Health", Successor: "sam@example.com"}, {Name: "Northwind", Successor: "sam@example.com"},
			{Name: "Globex", Successor: "sam@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	f := &questionsFixture{e: e, iv: c.Interview, invite: c.InviteToken}
	log := slog.New(slog.DiscardHandler)
	f.capture = knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	for _, answer := range []string{
		"Umbrella Health: Dr. Helen Cho, the CFO, makes the renewal decision and signs it. Raj Patel in IT is our champion.",
		"nothing major",
		"At Umbrella Health ticket SUP-4411 is open: the export times out on large date ranges, engineering has a fix in progress.",
		"I promised Tom Baker at Umbrella Health a written plan for the SSO fix by 15 January.",
		"Northwind got a 10% discount last year because they threatened to leave and keeping them was cheaper than losing them.",
		"Northwind has had three demos with Fleetly since November.",
		"no",
	} {
		f.csm(t, answer)
	}
	for question, want := range map[string]string{
		"Who is the decision maker for the Umbrella Health renewal?": "Helen Cho",
		"Who signs Umbrella Health's renewal?":                       "Helen Cho",
		"What did Dana promise Tom?":                                 "SSO fix",
		"Why was Northwind given a 10% discount?":                    "threatened to leave",
		"Which competitor is Northwind looking at?":                  "Fleetly",
		"What is open at Umbrella Health?":                           "SUP-4411",
	} {
		r := e.postJSON("/api/v1/ask", `{"question":"`+question+`"}`, withBearer(token))
		if r.StatusCode != 200 {
			t.Fatalf("ask %q: %d", question, r.StatusCode)
		}
		a := decodeInto[askJSON](t, r)
		cited := false
		for _, c := range a.Citations {
			cited = cited || strings.Contains(c.Text, want)
		}
		if a.Outcome != "answer" || !a.Grounded || !strings.Contains(a.Answer, want) || !cited || strings.Contains(a.Answer, "nothing major") {
			t.Errorf("%q: %+v", question, a)
		}
	}
}
