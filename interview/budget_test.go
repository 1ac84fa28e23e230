package interview

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
)

// budgetFixture is a model fixture whose client keeps go-openai's patience (a minute per attempt, three
// attempts), so only the turn's budget can cut a misbehaving endpoint short.
func budgetFixture(t *testing.T, budget time.Duration, breakerFailures int) (*fixture, *llmtest.Server, *llm.Client) {
	t.Helper()
	fake := llmtest.New(t)
	client := llm.New(llm.Config{BaseURL: fake.URL, APIKey: "test-key", ChatModel: "gpt-test", Timeout: time.Minute,
		MaxAttempts: 3, BaseBackoff: time.Millisecond, BreakerFailures: breakerFailures, BreakerCooldown: time.Hour,
		Log: slog.New(slog.DiscardHandler)})
	f := newFixture(t, func(o *Offline) Engine {
		m, err := NewModel(client, o, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		return m
	})
	f.svc.cfg.ModelBudget = budget
	return f, fake, client
}

// TestTurnEndsWithinTheModelBudget: against every misbehaviour of the endpoint, the turn ends with the
// offline engine's question and no error, while the caller's own (long) deadline is still far off: the
// budget, not the caller or the client's timeouts, ended the model's part.
func TestTurnEndsWithinTheModelBudget(t *testing.T) {
	t.Parallel()
	const valid = `{"assessment":[],"follow_up_topic":null,"question":"Who signs?"}`
	always := func(r llmtest.Reply) func(llmtest.Request) llmtest.Reply {
		return func(llmtest.Request) llmtest.Reply { return r }
	}
	cases := []struct {
		name  string
		reply func(llmtest.Request) llmtest.Reply
	}{
		{"hang", always(llmtest.Reply{Hang: true})},
		{"drip", always(llmtest.Reply{Content: valid, Drip: 200 * time.Millisecond})},
		{"429 with a long Retry-After", always(llmtest.Reply{Status: 429, RetryAfter: "20"})},
		{"500", always(llmtest.Reply{Status: 500})},
		{"malformed JSON", always(llmtest.Reply{Raw: `{"choices":[{"message":{"content":"{\"quest`})},
		{"stream cut midway, then a hang", func(r llmtest.Request) llmtest.Reply {
			if r.Chat.Stream {
				return llmtest.Reply{Content: valid, DropAfter: 5}
			}
			return llmtest.Reply{Hang: true}
		}},
		{"body held open", always(llmtest.Reply{Content: valid, HoldOpen: true})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, fake, _ := budgetFixture(t, 2*time.Second, 1000)
			var n atomic.Int32
			fake.Respond = goodTurn(&n)
			c := f.create(t, sixAccounts())
			if _, err := f.svc.View(t.Context(), c.Interview.ID, nil); err != nil {
				t.Fatal(err)
			}
			before := len(fake.Requests())
			fake.Respond = tc.reply
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()

			var streamed strings.Builder
			r, err := f.svc.Answer(ctx, c.Interview.ID, answers["account_overview"], "k", "", func(s string) { streamed.WriteString(s) })

			if err != nil {
				t.Fatalf("the turn failed: %v", err)
			}
			if ctx.Err() != nil {
				t.Fatal("the turn outlasted the caller's deadline: the budget did not end the model's part")
			}
			if len(fake.Requests()) == before {
				t.Fatal("the model was not asked")
			}
			if r.Next == nil || r.Next.Engine != "offline" || r.Message.Content != answers["account_overview"] {
				t.Fatalf("answer %q, next %+v", r.Message.Content, r.Next)
			}
			if !strings.HasSuffix(streamed.String(), r.Next.Content) {
				t.Fatalf("the stream did not end with the offline question:\n%q\n%q", streamed.String(), r.Next.Content)
			}
			stored, err := f.store.Messages(context.Background(), c.Interview.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last := stored[len(stored)-1]; last.ID != r.Next.ID || last.Engine != "offline" {
				t.Fatalf("the reply was not stored: the last message is %+v", last)
			}
		})
	}
}

// TestReplyIsWrittenAfterTheCallersTimeIsSpent: the caller's deadline ends the model's part (it is shorter
// than the budget); the offline reply is still decided and written, each on a context of its own.
func TestReplyIsWrittenAfterTheCallersTimeIsSpent(t *testing.T) {
	t.Parallel()
	f, fake, _ := budgetFixture(t, time.Hour, 1000)
	var n atomic.Int32
	fake.Respond = goodTurn(&n)
	c := f.create(t, sixAccounts())
	if _, err := f.svc.View(t.Context(), c.Interview.ID, nil); err != nil {
		t.Fatal(err)
	}
	fake.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Hang: true} }
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()

	r, err := f.svc.Answer(ctx, c.Interview.ID, answers["account_overview"], "k", "", nil)

	if err != nil {
		t.Fatalf("the turn failed: %v", err)
	}
	if ctx.Err() == nil {
		t.Fatal("the caller's deadline did not pass during the turn: the test proves nothing")
	}
	stored, err := f.store.Messages(context.Background(), c.Interview.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := stored[len(stored)-1]; r.Next == nil || last.ID != r.Next.ID || last.Engine != "offline" {
		t.Fatalf("reply %+v, last stored %+v", r.Next, last)
	}
}

// TestBreakerSkipsTheModelAfterFailures: once the endpoint has failed the configured number of times in a
// row, turns come from the offline engine without a request to the model, quickly and without error.
func TestBreakerSkipsTheModelAfterFailures(t *testing.T) {
	t.Parallel()
	f, fake, client := budgetFixture(t, 5*time.Second, 3)
	c := f.create(t, sixAccounts())
	fake.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Status: 500} }
	ctx := t.Context()
	if _, err := f.svc.View(ctx, c.Interview.ID, nil); err != nil {
		t.Fatal(err)
	}
	if got := client.Breaker().State(); got != llm.BreakerOpen {
		t.Fatalf("breaker %s after %d failed requests", got, len(fake.Requests()))
	}
	opened := len(fake.Requests())
	for i := range 3 {
		r, err := f.svc.Answer(ctx, c.Interview.ID, answers["account_overview"], "k"+string(rune('a'+i)), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Next == nil || r.Next.Engine != "offline" {
			t.Fatalf("turn %d: %+v", i, r.Next)
		}
	}
	if n := len(fake.Requests()); n != opened {
		t.Fatalf("the model was asked %d more times while the breaker was open", n-opened)
	}
	if calls := client.Breaker().Calls(); calls[llm.OutcomeSkipped] == 0 || calls[llm.OutcomeFailed] != 3 {
		t.Fatalf("calls by outcome: %v", calls)
	}
}

// TestBudgetIsTheTurnsNotEachStep: an answer sent before the interview was opened makes the interviewer
// introduce it and then reply, two model calls in one turn; against a hanging endpoint the first spends
// the budget and the second is not even sent.
func TestBudgetIsTheTurnsNotEachStep(t *testing.T) {
	t.Parallel()
	f, fake, _ := budgetFixture(t, 2*time.Second, 1000)
	c := f.create(t, sixAccounts())
	fake.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{Hang: true} }

	r, err := f.svc.Answer(t.Context(), c.Interview.ID, answers["account_overview"], "early", "", nil)

	if err != nil {
		t.Fatal(err)
	}
	if r.Next == nil || r.Next.Engine != "offline" {
		t.Fatalf("next %+v", r.Next)
	}
	if n := len(fake.Requests()); n != 1 {
		t.Fatalf("%d requests to the model in one turn, want the 1 that spent its budget", n)
	}
}
