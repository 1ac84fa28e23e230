package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// questionsFixture is an interview under way: Northwind handed to Sam, Globex to Lee.
type questionsFixture struct {
	e       *testEnv
	iv      store.Interview
	invite  string
	tokens  map[string]string
	cookies map[string]*http.Cookie
	capture *knowledge.Service
}

func newQuestionsFixture(t *testing.T) *questionsFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	f := &questionsFixture{e: e, tokens: map[string]string{}, cookies: map[string]*http.Cookie{}}
	users := map[string]store.User{}
	for name, role := range map[string]store.Role{"maria": store.RoleManager, "omar": store.RoleManager, "sam": store.RoleSuccessor,
		"lee": store.RoleSuccessor, "nobody": store.RoleSuccessor} {
		var pw string
		users[name], pw = e.user(role, name+"@example.com")
		f.tokens[name] = e.token(name + "@example.com")
		f.cookies[name] = e.login(name+"@example.com", pw)
	}
	c, err := e.ivs.Create(context.Background(), users["maria"].ID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 0, 20).Format(time.DateOnly), TimeBudgetMinutes: 10,
		Accounts: []book.Account{{Name: "Northwind", Successor: "sam@example.com"}, {Name: "Globex", Successor: "lee@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.iv, f.invite = c.Interview, c.InviteToken
	log := slog.New(slog.DiscardHandler)
	f.capture = knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	return f
}

type csmTurn struct {
	Message struct{ ID string }
	Next    *struct {
		ID, Text, Kind, From string
		Account              *string
	} `json:"next_question"`
	Done bool
}

// csm answers the open question over the API, as the CSM, and captures the answer as the job would.
func (f *questionsFixture) csm(t *testing.T, answer string) csmTurn {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"content": answer, "client_id": fmt.Sprintf("q-%d", time.Now().UnixNano())})
	r := f.e.do(http.MethodPost, "/api/v1/interview/messages", strings.NewReader(string(body)), withBearer(f.invite),
		withHeader("Content-Type", "application/json"))
	var turn csmTurn
	if err := json.Unmarshal([]byte(readBody(t, r)), &turn); err != nil || r.StatusCode != 201 {
		t.Fatalf("CSM answer: %d %v", r.StatusCode, err)
	}
	if err := f.capture.Capture(context.Background(), turn.Message.ID); err != nil {
		t.Fatal(err)
	}
	return turn
}

func (f *questionsFixture) view(t *testing.T) csmTurn {
	t.Helper()
	r := f.e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(f.invite))
	var v csmTurn
	if err := json.Unmarshal([]byte(readBody(t, r)), &v); err != nil || r.StatusCode != 200 {
		t.Fatalf("CSM view: %d %v", r.StatusCode, err)
	}
	return v
}

// TestQuestionBackLoop is issue 6's second "done when": a successor's question on a "not captured"
// answer reaches the CSM in the chat, is answered, and the successor then finds the answer by search,
// with its citation; the manager's question waits its turn and the asker sees the answer.
func TestQuestionBackLoop(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "Northwind routes support tickets for 140 agents; Priya Shah is the champion.")
	const question = "who runs the data warehouse at Northwind?"

	// The successor asks; nothing was captured, so the page offers to ask the CSM, about Sam's accounts only.
	r := f.e.postForm("/search/ask", url.Values{"question": {question}}, f.cookies["sam"])
	page := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(page, "Nothing captured") || !strings.Contains(page, `action="/questions"`) {
		t.Fatalf("not-captured ask page: %d", r.StatusCode)
	}
	options := regexp.MustCompile(`<option value="([0-9a-f-]{36})"[^>]*>([^<(]+)`).FindAllStringSubmatch(page, -1)
	if len(options) != 1 || strings.TrimSpace(options[0][2]) != "Northwind" {
		t.Fatalf("accounts offered: %v", options)
	}
	r = f.e.postForm("/questions", url.Values{"account_id": {options[0][1]}, "text": {question}, "back": {"/search"}}, f.cookies["sam"])
	if r.StatusCode != 303 || r.Header.Get("Location") != "/search?asked=1" {
		t.Fatalf("asking: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	// The manager asks about the portfolio over the API.
	r = f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/questions", `{"text":"Where do you keep your renewal notes?"}`, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 201 || !strings.Contains(body, `"status":"open"`) {
		t.Fatalf("manager's question: %d %s", r.StatusCode, body)
	}

	// The CSM is in the middle of a plan question: it stays; the chat says what is coming.
	v := f.view(t)
	if v.Next == nil || v.Next.From != "" {
		t.Fatalf("the open plan question was replaced: %+v", v.Next)
	}
	chat := f.e.do(http.MethodGet, "/interview", nil, withCookie(findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)))
	if body := readBody(t, chat); !strings.Contains(body, "2 new questions from your manager and your successors.") {
		t.Fatalf("the chat page does not announce the questions:\n%.3000s", body)
	}
	// Answering it brings the successor's question (asked first), then the manager's.
	turn := f.csm(t, "Renewal on 31 January, Marco Rossi signs, likely.")
	for i := 0; turn.Next != nil && turn.Next.Kind == "follow_up"; i++ { // a follow-up on that answer stays first
		if i > 2 {
			t.Fatal("follow-ups without end")
		}
		turn = f.csm(t, "Nothing more to add.")
	}
	if turn.Next == nil || turn.Next.Kind != "question" || turn.Next.From != "successor" || turn.Next.Account == nil || *turn.Next.Account != "Northwind" ||
		!strings.Contains(turn.Next.Text, "who takes over Northwind, asks: "+question) {
		t.Fatalf("after the plan answer: %+v", turn.Next)
	}
	turn = f.csm(t, "Raj Patel runs their Snowflake data warehouse and approves every schema change.")
	answerID := turn.Message.ID
	if turn.Next == nil || turn.Next.From != "manager" || !strings.Contains(turn.Next.Text, "your manager, has a question: Where do you keep") {
		t.Fatalf("after the successor's question: %+v", turn.Next)
	}
	turn = f.csm(t, "In a Google Sheet called Renewal radar.")
	if turn.Next == nil || turn.Next.From != "" || turn.Next.Kind == "question" && strings.Contains(turn.Next.Text, "asks") {
		t.Fatalf("the plan does not go on after the asked questions: %+v", turn.Next)
	}

	// The successor sees their own question answered, not the manager's.
	r = f.e.do(http.MethodGet, "/api/v1/interviews/"+f.iv.ID+"/questions", nil, withBearer(f.tokens["sam"]))
	var list struct {
		Questions []struct {
			Text, Status, From string
			MessageID          *string `json:"message_id"`
			Answer             *struct{ Text string }
		}
	}
	if err := json.Unmarshal([]byte(readBody(t, r)), &list); err != nil || r.StatusCode != 200 || len(list.Questions) != 1 {
		t.Fatalf("successor's questions: %d %+v", r.StatusCode, list)
	}
	if q := list.Questions[0]; q.Status != "answered" || q.MessageID == nil || *q.MessageID != answerID || !strings.Contains(q.Answer.Text, "Raj Patel") {
		t.Fatalf("the successor's question: %+v", q)
	}
	r = f.e.do(http.MethodGet, "/api/v1/interviews/"+f.iv.ID+"/questions", nil, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); strings.Count(body, `"status":"answered"`) != 2 {
		t.Fatalf("the manager's list: %s", body)
	}

	// And search finds the answer for the successor, citing it.
	r = f.e.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape(question), nil, withBearer(f.tokens["sam"]))
	var found struct {
		Results []struct {
			Text      string
			MessageID string `json:"message_id"`
		}
	}
	if err := json.Unmarshal([]byte(readBody(t, r)), &found); err != nil || len(found.Results) == 0 ||
		!strings.Contains(found.Results[0].Text, "Raj Patel") || found.Results[0].MessageID != answerID {
		t.Fatalf("search after the answer: %+v", found)
	}
	r = f.e.postJSON("/api/v1/ask", `{"question":"`+question+`"}`, withBearer(f.tokens["sam"]))
	if body := readBody(t, r); !strings.Contains(body, `"grounded":true`) || !strings.Contains(body, answerID) {
		t.Fatalf("ask after the answer: %s", body)
	}
	if r := f.e.do(http.MethodGet, "/messages/"+answerID, nil, withBearer(f.tokens["sam"])); r.StatusCode != 200 {
		t.Fatalf("the cited message: %d", r.StatusCode)
	}
}

// TestAskingTheCSMIsCheckedAndClosesAtTheLastDay: who may ask what, bad input, and the end.
func TestAskingTheCSMIsCheckedAndClosesAtTheLastDay(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	path := "/api/v1/interviews/" + f.iv.ID + "/questions"
	for _, tc := range []struct {
		who, body string
		status    int
		contains  string
	}{
		{"lee", `{"text":"Who signs at Northwind?","account":"Northwind"}`, 403, "only about the accounts handed to you"},
		{"lee", `{"text":"Who signs at Globex?"}`, 400, `"account"`},
		{"nobody", `{"text":"Who signs at Northwind?","account":"Northwind"}`, 404, "not_found"},
		{"omar", `{"text":"Who signs at Northwind?","account":"Northwind"}`, 404, "not_found"},
		{"maria", `{"text":"Why?"}`, 400, `"text"`},
		{"maria", `{"text":"Who signs there?","account":"Acme"}`, 400, `"account"`},
		{"maria", `{"text":"Who signs there?","unknown":1}`, 400, ""},
	} {
		r := f.e.postJSON(path, tc.body, withBearer(f.tokens[tc.who]))
		if body := readBody(t, r); r.StatusCode != tc.status || !strings.Contains(body, tc.contains) {
			t.Errorf("%s %s: %d %s", tc.who, tc.body, r.StatusCode, body)
		}
	}
	if r := f.e.postJSON(path, `{"text":"Who signs there?"}`, withBearer(f.invite)); r.StatusCode != 401 && r.StatusCode != 403 {
		t.Errorf("the CSM's invite: %d", r.StatusCode)
	}
	if n := f.e.count("asked_questions"); n != 0 {
		t.Fatalf("%d questions stored by refused requests", n)
	}
	// A password in a question does not reach the CSM's transcript.
	r := f.e.postJSON(path, `{"text":"The Globex admin password is Winter2024! - is that still right?","account":"Globex"}`, withBearer(f.tokens["lee"]))
	if body := readBody(t, r); r.StatusCode != 201 {
		t.Fatalf("lee about Globex: %d %s", r.StatusCode, body)
	}
	if qs, _ := f.e.store.AskedQuestions(context.Background(), f.iv.ID, ""); len(qs) != 1 || strings.Contains(qs[0].Text, "Winter2024") {
		t.Fatalf("stored question %+v", qs)
	}
	// After the last day nobody can ask.
	if _, err := f.e.store.Pool().Exec(context.Background(), `UPDATE interviews SET departure_date = current_date - 1 WHERE id = $1`, f.iv.ID); err != nil {
		t.Fatal(err)
	}
	r = f.e.postJSON(path, `{"text":"Who signs at Northwind?","account":"Northwind"}`, withBearer(f.tokens["maria"]))
	if body := readBody(t, r); r.StatusCode != 409 || !strings.Contains(body, "last day has passed") {
		t.Fatalf("after the last day: %d %s", r.StatusCode, body)
	}
}

// TestAQuestionReopensAFinishedInterview: the CSM finished; a question reopens the chat, and answering it
// ends the interview again with a new report.
func TestAQuestionReopensAFinishedInterview(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	if _, err := f.e.ivs.Finish(context.Background(), f.iv.ID); err != nil {
		t.Fatal(err)
	}
	if v := f.view(t); !v.Done {
		t.Fatal("not finished")
	}
	(&reportFixture{e: f.e, iv: f.iv}).generate(t) // the report of the first end
	r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/questions", `{"text":"Who approves discounts at Globex?","account":"Globex"}`,
		withBearer(f.tokens["maria"]))
	if r.StatusCode != 201 {
		t.Fatalf("asking: %d", r.StatusCode)
	}
	v := f.view(t)
	if v.Done || v.Next == nil || v.Next.From != "manager" || !strings.Contains(v.Next.Text, "about Globex: Who approves discounts") {
		t.Fatalf("after the question: done %v, next %+v", v.Done, v.Next)
	}
	iv, _ := f.e.store.InterviewByID(context.Background(), f.iv.ID)
	if iv.Status != "in_progress" {
		t.Fatalf("status %s", iv.Status)
	}
	turn := f.csm(t, "Erik Holm, their VP of operations, approves every discount above ten percent.")
	for i := 0; turn.Next != nil && !turn.Done; i++ {
		if i > 5 {
			t.Fatalf("does not end again: %+v", turn.Next)
		}
		turn = f.csm(t, "Nothing more to add.")
	}
	iv, _ = f.e.store.InterviewByID(context.Background(), f.iv.ID)
	latest, _, _, err := f.e.store.LatestReports(context.Background(), f.iv.ID)
	if iv.Status != "completed" || err != nil || latest == nil || latest.Version != 2 {
		t.Fatalf("after answering: status %s, report %+v, %v", iv.Status, latest, err)
	}
}
