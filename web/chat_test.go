package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// csmTranscript reads the CSM's whole view over the API.
func (f *questionsFixture) transcript(t *testing.T) csmInterviewJSON {
	t.Helper()
	r := f.e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(f.invite))
	if r.StatusCode != 200 {
		t.Fatalf("CSM view: %d", r.StatusCode)
	}
	return decodeInto[csmInterviewJSON](t, r)
}

// kinds counts the interviewer's messages of each kind, and returns the farewells' words.
func kinds(v csmInterviewJSON) (map[string]int, []string) {
	n := map[string]int{}
	var farewells []string
	for _, m := range v.Messages {
		if m.Role == "interviewer" {
			n[m.Kind]++
		}
		if m.Kind == "farewell" {
			farewells = append(farewells, m.Content)
		}
	}
	return n, farewells
}

// TestReopenedInterviewSaysGoodbyeOnce: the CSM finished; each question asked later reopens the chat,
// and dealing with it closes the chat with a short word, not the whole farewell again.
func TestReopenedInterviewSaysGoodbyeOnce(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	f.csm(t, "Northwind routes support tickets for 140 agents; Priya Shah is the champion.")
	if _, err := f.e.ivs.Finish(context.Background(), f.iv.ID); err != nil {
		t.Fatal(err)
	}
	_, farewells := kinds(f.transcript(t))
	if len(farewells) != 1 || !strings.Contains(farewells[0], "All the best") {
		t.Fatalf("the first farewell: %q", farewells)
	}
	first := farewells[0]

	ask := func(who, text string) {
		t.Helper()
		r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/questions", `{"text":"`+text+`","account":"Globex"}`, withBearer(f.tokens[who]))
		if r.StatusCode != 201 {
			t.Fatalf("asking: %d %s", r.StatusCode, readBody(t, r))
		}
		if v := f.view(t); v.Done || v.Next == nil || !strings.Contains(v.Next.Text, text) {
			t.Fatalf("the question did not reopen the chat: %+v", v)
		}
	}
	ask("maria", "Who approves discounts at Globex?")
	if turn := f.csm(t, "Erik Holm, their VP of operations, approves every discount above ten percent."); !turn.Done || turn.Next != nil {
		t.Fatalf("the answer does not close the chat again: %+v", turn)
	}
	v := f.transcript(t)
	n, farewells := kinds(v)
	if !v.Done || n["farewell"] != 2 || n["closing"] != 0 {
		t.Fatalf("after the answer: done %v, %v", v.Done, n)
	}
	again := farewells[1]
	if again == first || strings.Contains(again, "All the best") || strings.Contains(again, "a few topics are still open") ||
		!strings.Contains(again, "Your answer is saved, and whoever asked will see it.") {
		t.Fatalf("the second goodbye repeats the farewell or does not say the answer is passed on:\n%s\n%s", first, again)
	}

	// Skipped, a second reopening ends with the question left open, still without the farewell.
	ask("lee", "Is the Globex sandbox still in use?")
	r := f.e.postJSON("/api/v1/interview/skip", `{}`, withBearer(f.invite))
	if turn := decodeInto[turnJSON](t, r); r.StatusCode != 200 || !turn.Done {
		t.Fatalf("skip: %d %+v", r.StatusCode, turn)
	}
	_, farewells = kinds(f.transcript(t))
	if len(farewells) != 3 || strings.Contains(farewells[2], "All the best") || !strings.Contains(farewells[2], "That question stays open for now.") {
		t.Fatalf("after a skipped reopening: %q", farewells)
	}
	// The chat page shows the closing card once, with the way to review what was captured.
	body := readBody(t, f.e.do(http.MethodGet, "/interview", nil, withCookie(f.inviteCookie(t))))
	card := regexp.MustCompile(`(?s)<div id="done" class="card success">(.*?)</div>`).FindAllStringSubmatch(body, -1)
	if len(card) != 1 || !strings.Contains(card[0][1], `<a class="button" href="/interview/review">Review what was captured</a>`) {
		t.Fatalf("the closing card:\n%.6000s", body)
	}
}

// TestClosingQuestionIsAskedOnce: a question someone asked arrives while the closing question is open;
// once the CSM has answered both, the interview ends instead of asking the closing question again.
func TestClosingQuestionIsAskedOnce(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	v := f.view(t)
	for i := 0; v.Next != nil && v.Next.Kind != "closing"; i++ {
		if i > 60 {
			t.Fatalf("the closing question never came: %+v", v.Next)
		}
		v = f.csm(t, "Nothing more to add on that.")
	}
	if v.Next == nil {
		t.Fatal("the interview ended without the closing question")
	}
	r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/questions", `{"text":"Who approves discounts at Globex?","account":"Globex"}`, withBearer(f.tokens["maria"]))
	if r.StatusCode != 201 {
		t.Fatalf("asking: %d", r.StatusCode)
	}
	turn := f.csm(t, "Nothing else comes to mind.")
	if turn.Next == nil || turn.Next.From != "manager" {
		t.Fatalf("after the closing answer: %+v", turn.Next)
	}
	turn = f.csm(t, "Erik Holm approves every discount above ten percent.")
	for i := 0; turn.Next != nil && turn.Next.Kind == "readback"; i++ {
		if i > 3 {
			t.Fatal("read-backs without end")
		}
		turn = f.csm(t, "That is right.")
	}
	if !turn.Done || turn.Next != nil {
		t.Fatalf("after the manager's question the chat goes on: %+v", turn.Next)
	}
	n, farewells := kinds(f.transcript(t))
	if n["closing"] != 1 || len(farewells) != 1 || !strings.Contains(farewells[0], "All the best") {
		t.Fatalf("closing questions %d, farewells %q", n["closing"], farewells)
	}
}

// inviteCookie opens the invite link as the CSM's browser would, and returns the session it starts.
func (f *questionsFixture) inviteCookie(t *testing.T) *http.Cookie {
	t.Helper()
	c := findCookie(f.e.postForm("/i/"+f.invite, url.Values{}, nil), inviteCookieName)
	if c == nil {
		t.Fatal("the invite link starts no session")
	}
	return c
}

// TestCredentialInAnswerIsNoticed: an answer with a password in it is stored without it, and the CSM is
// told which kind was kept out of the notes (never the value), in the turn, in the transcript and on the
// chat page; an answer without one gets no such word.
func TestCredentialInAnswerIsNoticed(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	const want = "I kept the Salesforce password out of the notes — please move it to the vault."
	f.view(t)
	r := f.e.postJSON("/api/v1/interview/messages",
		`{"content":"Northwind runs support on us; their Salesforce admin password is Winter2024! if you need it.","client_id":"secret-1"}`, withBearer(f.invite))
	turn := decodeInto[turnJSON](t, r)
	if r.StatusCode != 201 || turn.Message == nil || turn.Message.Notice != want || strings.Contains(turn.Message.Content, "Winter2024") {
		t.Fatalf("the turn: %d %+v", r.StatusCode, turn.Message)
	}
	r = f.e.postJSON("/api/v1/interview/messages", `{"content":"Priya Shah is the champion and runs support.","client_id":"plain-1"}`, withBearer(f.invite))
	if plain := decodeInto[turnJSON](t, r); plain.Message == nil || plain.Message.Notice != "" {
		t.Fatalf("an answer without a credential: %+v", plain.Message)
	}
	notices := 0
	for _, m := range f.transcript(t).Messages {
		if m.Notice != "" {
			notices++
			if m.ID != turn.Message.ID || m.Notice != want {
				t.Errorf("notice on %s (%s): %q", m.ID, m.Content, m.Notice)
			}
		}
	}
	if notices != 1 {
		t.Fatalf("%d notices in the transcript, want 1", notices)
	}
	body := readBody(t, f.e.do(http.MethodGet, "/interview", nil, withCookie(f.inviteCookie(t))))
	if strings.Count(body, `class="msg msg-note"`) != 1 || !strings.Contains(body, "I kept the Salesforce password out of the notes") || strings.Contains(body, "Winter2024") {
		t.Fatalf("the chat page:\n%.6000s", body)
	}
}

// TestChatPageAnchorsTheCurrentQuestion: the open question is the page's anchor #current; a CSM who
// answered before is brought back to it by the invite link (#resume), with a word on where they left off.
// On the first visit the page opens at the introduction.
func TestChatPageAnchorsTheCurrentQuestion(t *testing.T) {
	t.Parallel()
	f := newQuestionsFixture(t)
	r := f.e.postForm("/i/"+f.invite, url.Values{}, nil)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != "/interview" {
		t.Fatalf("the first visit goes to %d %q", r.StatusCode, loc)
	}
	body := readBody(t, f.e.do(http.MethodGet, "/interview", nil, withCookie(f.inviteCookie(t))))
	if strings.Contains(body, `id="resume"`) || strings.Count(body, `id="current"`) != 1 {
		t.Fatalf("the first visit:\n%.6000s", body)
	}
	v := f.csm(t, "They route support tickets for 140 agents across three regions.")
	for i := 0; v.Next.Kind == "follow_up"; i++ {
		if i > 3 {
			t.Fatal("follow-ups without end")
		}
		v = f.csm(t, "Nothing more to add on that.")
	}
	r = f.e.postForm("/i/"+f.invite, url.Values{}, nil)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != "/interview#resume" {
		t.Fatalf("coming back goes to %d %q", r.StatusCode, loc)
	}
	body = readBody(t, f.e.do(http.MethodGet, "/interview", nil, withCookie(f.inviteCookie(t))))
	resume := regexp.MustCompile(`<li class="resume-note" id="resume">([^<]*)</li>\s*<li class="msg msg-interviewer" data-id="([^"]+)" id="current" tabindex="-1">`).FindStringSubmatch(body)
	if resume == nil || resume[2] != v.Next.ID || v.Next.Account == nil || !strings.HasPrefix(resume[1], "Welcome back — you left off at "+*v.Next.Account+": ") {
		t.Fatalf("the open question %s is not anchored with where they left off:\n%.8000s", v.Next.ID, body)
	}
	if !strings.Contains(body, `<a href="#current" id="jump">Jump to the current question</a>`) {
		t.Fatal("no link to the current question")
	}
}

// TestLeftOff names the open question's account and topics, or what kind of question it is.
func TestLeftOff(t *testing.T) {
	accounts := []store.Account{{ID: "a1", Name: "Northwind"}}
	answered := []store.Message{{Role: "interviewer", Kind: "intro"}, {Role: "csm", Kind: "answer"}}
	cases := []struct {
		next store.Message
		want string
	}{
		{store.Message{AccountID: "a1", Kind: "question", Topics: []string{"renewal"}}, "Northwind: renewal"},
		{store.Message{AccountID: "a1", Kind: "question", Topics: []string{"stakeholders", "communication", "churn_risk"}},
			"Northwind: stakeholders, communication and churn risk"},
		{store.Message{Kind: "question", Topics: []string{"escalation_paths"}}, "how you work: escalation paths"},
		{store.Message{AccountID: "a1", Kind: "question", AskedFrom: "successor"}, "a question from a successor about Northwind"},
		{store.Message{AccountID: "a1", Kind: "readback"}, "what I understood of Northwind"},
		{store.Message{Kind: "closing"}, "the last question"},
	}
	for _, c := range cases {
		next := c.next
		if got, want := leftOff(interview.View{Accounts: accounts, Messages: answered, Next: &next}), "Welcome back — you left off at "+c.want+"."; got != want {
			t.Errorf("%+v: %q, want %q", c.next, got, want)
		}
	}
	next := cases[0].next
	if got := leftOff(interview.View{Accounts: accounts, Messages: answered[:1], Next: &next}); got != "" {
		t.Errorf("before any answer: %q", got)
	}
}
