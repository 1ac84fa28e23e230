package web

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestStreamedTurnThatBreaksMidwayEndsWithTheOfflineQuestion: the model's stream is cut after a few words
// and the second try hangs; the browser gets the words so far, then the offline engine's question as the
// final event, never an error event, and that question is the one stored.
func TestStreamedTurnThatBreaksMidwayEndsWithTheOfflineQuestion(t *testing.T) {
	t.Parallel()
	fake := llmtest.New(t)
	const valid = `{"assessment":[],"follow_up_topic":null,"question":"What does Stark use us for, and who depends on it?"}`
	fake.Respond = func(r llmtest.Request) llmtest.Reply { return llmtest.Reply{Content: valid} }
	client := llm.New(llm.Config{BaseURL: fake.URL, APIKey: "test-key", ChatModel: "gpt-test", Timeout: time.Minute,
		BaseBackoff: time.Millisecond, Log: slog.New(slog.DiscardHandler)})
	pool, dbURL := dbtest.NewWithURL(t)
	e := newTestEnvOn(t, map[string]string{"EXITINTERVIEW_MODEL_TURN_BUDGET": "3s"}, pool, dbURL, func(o *interview.Offline) interview.Engine {
		m, err := interview.NewModel(client, o, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return m
	})
	e.user(store.RoleManager, "maria@example.com")
	c := e.createSession(e.token("maria@example.com"))
	csm := withBearer(c.InviteToken)
	if first := decodeInto[csmInterviewJSON](t, e.do(http.MethodGet, "/api/v1/interview", nil, csm)); first.NextQuestion == nil {
		t.Fatalf("first view: %+v", first)
	}
	fake.Respond = func(r llmtest.Request) llmtest.Reply {
		if r.Chat.Stream {
			return llmtest.Reply{Content: valid, DropAfter: 5}
		}
		return llmtest.Reply{Hang: true}
	}

	r := e.postJSON("/api/v1/interview/messages", `{"content":"They route support tickets for 140 agents across three regions.","client_id":"cut"}`,
		csm, withHeader("Accept", "text/event-stream"))
	events := readSSE(t, r)

	if r.StatusCode != http.StatusCreated || len(events) < 2 || events[0].name != "token" {
		t.Fatalf("status %d, events %+v", r.StatusCode, events)
	}
	for _, ev := range events[:len(events)-1] {
		if ev.name != "token" {
			t.Fatalf("a %q event before the end: %s", ev.name, ev.data)
		}
	}
	last := events[len(events)-1]
	if last.name != "question" {
		t.Fatalf("the stream ended with %q: %s", last.name, last.data)
	}
	msgs, err := e.store.Messages(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final := msgs[len(msgs)-1]; final.Engine != "offline" || !isQuestionKind(final.Kind) {
		t.Fatalf("the stored reply: %+v", final)
	}
	if len(fake.Requests()) < 3 {
		t.Fatalf("%d requests: the model was not tried", len(fake.Requests()))
	}
}

func isQuestionKind(kind string) bool {
	return kind == "question" || kind == "follow_up" || kind == "closing"
}
