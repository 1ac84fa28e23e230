package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

type sseEvent struct {
	name string
	data string
}

func readSSE(t *testing.T, r *http.Response) []sseEvent {
	t.Helper()
	var events []sseEvent
	sc := bufio.NewScanner(r.Body)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		case line == "" && cur.name != "":
			events = append(events, cur)
			cur = sseEvent{}
		}
	}
	return events
}

func TestCSMTurnsOverHTTP(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)

	first := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm))
	if first.Status != "invited" || len(first.Messages) != 2 || first.Messages[0].Kind != "intro" || first.NextQuestion == nil ||
		first.NextQuestion.Account == nil || *first.NextQuestion.Account != "Stark Logistics" || first.NextQuestion.Kind != "question" || first.Done {
		t.Fatalf("first view: %+v", first)
	}

	// A plain JSON turn, then the same client_id again: the same response, nothing stored twice.
	send := `{"content":"They route support tickets for 140 agents across three regions; adoption is good and they track CSAT.","client_id":"turn-1"}`
	r := e.postJSON("/api/v1/interview/messages", send, csm)
	turn := decodeInto[turnJSON](t, r)
	if r.StatusCode != 201 || turn.Message == nil || turn.Message.Role != "csm" || turn.NextQuestion == nil || turn.NextQuestion.ID == first.NextQuestion.ID {
		t.Fatalf("turn: %d %+v", r.StatusCode, turn)
	}
	again := decodeInto[turnJSON](t, e.postJSON("/api/v1/interview/messages", send, csm))
	if again.Message.ID != turn.Message.ID || again.NextQuestion.ID != turn.NextQuestion.ID {
		t.Fatalf("resend gave another response: %+v", again)
	}
	if n := e.count("messages"); n != 4 {
		t.Fatalf("%d messages after a resend, want 4", n)
	}

	// Streamed: token events that spell the question, then the question event with the same JSON shape.
	r = e.postJSON("/api/v1/interview/messages", `{"content":"Priya Shah is the champion and runs support; Marco Rossi, the CFO, signs. Slack for Priya, e-mail for Marco.","client_id":"turn-2"}`,
		csm, withHeader("Accept", "text/event-stream"))
	if ct := r.Header.Get("Content-Type"); r.StatusCode != 201 || !strings.HasPrefix(ct, "text/event-stream") || r.Header.Get("X-Accel-Buffering") != "no" {
		t.Fatalf("stream: %d %q", r.StatusCode, ct)
	}
	events := readSSE(t, r)
	var text strings.Builder
	for _, ev := range events[:len(events)-1] {
		if ev.name != "token" {
			t.Fatalf("event %q before the end", ev.name)
		}
		var tok struct{ Text string }
		_ = json.Unmarshal([]byte(ev.data), &tok)
		text.WriteString(tok.Text)
	}
	last := events[len(events)-1]
	var streamed turnJSON
	if err := json.Unmarshal([]byte(last.data), &streamed); err != nil || last.name != "question" || streamed.NextQuestion == nil {
		t.Fatalf("last event %q: %v", last.name, err)
	}
	if len(events) < 5 || text.String() != streamed.NextQuestion.Text {
		t.Fatalf("%d events; tokens spell %q, question is %q", len(events), text.String(), streamed.NextQuestion.Text)
	}

	// Skip, then finish.
	r = e.postJSON("/api/v1/interview/skip", `{"question_id":"`+streamed.NextQuestion.ID+`"}`, csm)
	skipped := decodeInto[turnJSON](t, r)
	if r.StatusCode != 200 || skipped.NextQuestion == nil || skipped.NextQuestion.ID == streamed.NextQuestion.ID {
		t.Fatalf("skip: %d %+v", r.StatusCode, skipped)
	}
	r = e.do(http.MethodPost, "/api/v1/interview/finish", nil, csm)
	done := decodeInto[turnJSON](t, r)
	if r.StatusCode != 200 || !done.Done || done.NextQuestion != nil {
		t.Fatalf("finish: %d %+v", r.StatusCode, done)
	}
	r = e.postJSON("/api/v1/interview/messages", `{"content":"one more thing","client_id":"late"}`, csm)
	if b := decodeInto[errorBody](t, r); r.StatusCode != 409 || b.Error.Code != "interview_finished" {
		t.Fatalf("answer after finish: %d %+v", r.StatusCode, b)
	}
	view := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm))
	if !view.Done || view.Status != "completed" || view.Messages[len(view.Messages)-1].Kind != "farewell" {
		t.Fatalf("after finish: %+v", view)
	}
}

func TestCSMAnswerRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_MAX_BODY_BYTES": "200000"})
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)
	e.do(http.MethodGet, "/api/v1/interview", nil, csm)
	before := e.count("messages")
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"empty", `{"content":"","client_id":"a"}`, 400, "invalid_input"},
		{"blank", `{"content":"  \n ","client_id":"a"}`, 400, "invalid_input"},
		{"too long", `{"content":"` + strings.Repeat("x", 20001) + `","client_id":"a"}`, 400, "invalid_input"},
		{"control character", `{"content":"bad \u0007 bell","client_id":"a"}`, 400, "invalid_input"},
		{"invalid UTF-8", "{\"content\":\"caf\xe9\",\"client_id\":\"a\"}", 400, "invalid_encoding"},
		{"unknown field", `{"content":"hi","client_id":"a","role":"interviewer"}`, 400, "unknown_field"},
		{"wrong type", `{"content":42,"client_id":"a"}`, 400, "invalid_type"},
		{"bad client id", `{"content":"hi","client_id":"has spaces"}`, 400, "invalid_input"},
		{"not JSON", `content=hi`, 400, "invalid_json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.postJSON("/api/v1/interview/messages", tc.body, csm)
			b := decodeInto[errorBody](t, r)
			if r.StatusCode != tc.status || b.Error.Code != tc.code {
				t.Fatalf("%d %+v", r.StatusCode, b.Error)
			}
		})
	}
	if after := e.count("messages"); after != before {
		t.Fatalf("refused answers wrote %d messages", after-before)
	}
}
