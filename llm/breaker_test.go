package llm

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

// clock is a settable time for the breaker's cool-down.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// breakerClient is a test client whose breaker opens after 2 failures for a minute of clk's time.
func breakerClient(srv *llmtest.Server) (*Client, *clock) {
	c, _ := newTestClient(srv, Config{MaxAttempts: 1, BreakerFailures: 2, BreakerCooldown: time.Minute, Log: slog.New(slog.DiscardHandler)})
	clk := &clock{t: time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)}
	c.breaker.now = clk.now
	return c, clk
}

// TestBreakerSkipsAFailingEndpoint: after consecutive failures no request reaches the endpoint until the
// cool-down is over; then one trial decides: a failure opens the breaker again, a success closes it.
func TestBreakerSkipsAFailingEndpoint(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	c, clk := breakerClient(srv)
	ctx := t.Context()

	srv.Enqueue(llmtest.Reply{Status: 500}, llmtest.Reply{Status: 503})
	for range 2 {
		if _, err := c.Structured(ctx, msgs, questionSchema); err == nil || errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("a failing request: %v", err)
		}
	}
	if got := c.Breaker().State(); got != BreakerOpen {
		t.Fatalf("state after 2 failures: %s", got)
	}
	for range 3 {
		if _, err := c.Structured(ctx, msgs, questionSchema); !errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("while open: %v", err)
		}
		if _, err := c.StreamStructured(ctx, msgs, questionSchema, nil); !errors.Is(err, ErrCircuitOpen) {
			t.Fatalf("stream while open: %v", err)
		}
	}
	if n := len(srv.Requests()); n != 2 {
		t.Fatalf("%d requests reached the endpoint, want the 2 that failed", n)
	}

	// The cool-down ends: one trial, which fails, opens it again.
	clk.add(time.Minute)
	if got := c.Breaker().State(); got != BreakerHalfOpen {
		t.Fatalf("state after the cool-down: %s", got)
	}
	srv.Enqueue(llmtest.Reply{Status: 502})
	if _, err := c.Structured(ctx, msgs, questionSchema); err == nil || errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("the trial: %v", err)
	}
	if got := c.Breaker().State(); got != BreakerOpen {
		t.Fatalf("state after a failed trial: %s", got)
	}
	if _, err := c.Structured(ctx, msgs, questionSchema); !errors.Is(err, ErrCircuitOpen) || len(srv.Requests()) != 3 {
		t.Fatalf("after a failed trial: %v, %d requests", err, len(srv.Requests()))
	}

	// The next trial succeeds: requests go through again.
	clk.add(time.Minute)
	srv.Enqueue(llmtest.Reply{Content: validJSON}, llmtest.Reply{Content: validJSON})
	for range 2 {
		if _, err := c.Structured(ctx, msgs, questionSchema); err != nil {
			t.Fatalf("after a successful trial: %v", err)
		}
	}
	if got := c.Breaker().State(); got != BreakerClosed {
		t.Fatalf("state after a successful trial: %s", got)
	}
	calls := c.Breaker().Calls()
	if calls[OutcomeOK] != 2 || calls[OutcomeFailed] != 3 || calls[OutcomeSkipped] != 7 {
		t.Fatalf("calls by outcome: %v", calls)
	}
}

// TestBreakerCountsOnlyTheEndpointsFailures: a refusal (400) is an answer, a failure between two
// successes does not add up, and a request the caller cancelled says nothing about the endpoint.
func TestBreakerCountsOnlyTheEndpointsFailures(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	c, _ := breakerClient(srv)
	ctx := t.Context()
	srv.Enqueue(llmtest.Reply{Status: 500}, llmtest.Reply{Status: 400}, llmtest.Reply{Status: 500}, llmtest.Reply{Content: validJSON},
		llmtest.Reply{Status: 429, RetryAfter: "1"})
	for range 5 {
		_, _ = c.Structured(ctx, msgs, questionSchema)
	}
	cancelled, cancel := context.WithCancel(ctx)
	srv.Enqueue(llmtest.Reply{Hang: true}, llmtest.Reply{Content: validJSON})
	go func() { // cancel once the hanging request has arrived
		for len(srv.Requests()) < 6 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	if _, err := c.Structured(cancelled, msgs, questionSchema); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if got := c.Breaker().State(); got != BreakerClosed {
		t.Fatalf("state: %s (calls %v)", got, c.Breaker().Calls())
	}
	if _, err := c.Structured(ctx, msgs, questionSchema); err != nil {
		t.Fatal(err)
	}
}

// TestCallersDeadlineDuringAnAttemptIsAFailure: an endpoint that has not answered when the caller's time
// is up failed (a hanging model must open the breaker), a caller who cancelled says nothing about it.
func TestCallersDeadlineDuringAnAttemptIsAFailure(t *testing.T) {
	t.Parallel()
	b := newBreaker(1, time.Minute, slog.New(slog.DiscardHandler))
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	b.allow()
	record(cancelled, b, context.Canceled, false)
	if b.State() != BreakerClosed {
		t.Fatalf("a cancelled caller opened the breaker")
	}
	expired, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	b.allow()
	record(expired, b, context.DeadlineExceeded, false)
	if b.State() != BreakerOpen {
		t.Fatalf("a caller's deadline passed during the attempt: breaker %s", b.State())
	}
}

// TestBreakerLetsOneTrialThrough: while the trial is in flight, other requests are still skipped.
func TestBreakerLetsOneTrialThrough(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Now()}
	b := newBreaker(1, time.Second, slog.New(slog.DiscardHandler))
	b.now = clk.now
	if !b.allow() {
		t.Fatal("a closed breaker refused")
	}
	b.done(true)
	if b.allow() {
		t.Fatal("an open breaker allowed a request")
	}
	clk.add(time.Second)
	if !b.allow() {
		t.Fatal("no trial after the cool-down")
	}
	if b.allow() || b.allow() {
		t.Fatal("a second request went through during the trial")
	}
	b.release() // the trial's caller gave up: another may try
	if !b.allow() {
		t.Fatal("no trial after the first was given back")
	}
	b.done(false)
	if b.State() != BreakerClosed || !b.allow() {
		t.Fatalf("state after a successful trial: %s", b.State())
	}
}

// TestChatAndEmbeddingsHaveBreakersOfTheirOwn: embeddings that answer do not hide a chat model that keeps
// failing (the capture of every answer embeds it right after the turn), and failing embeddings do not
// stop the interviewer.
func TestChatAndEmbeddingsHaveBreakersOfTheirOwn(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	c, _ := breakerClient(srv)
	ctx := t.Context()
	srv.Enqueue(llmtest.Reply{Status: 500}, llmtest.Reply{}, llmtest.Reply{Status: 500})
	_, _ = c.Structured(ctx, msgs, questionSchema)
	if _, err := c.Embed(ctx, []string{"Priya Shah is the champion."}); err != nil {
		t.Fatal(err)
	}
	_, _ = c.Structured(ctx, msgs, questionSchema)
	if c.Breaker().State() != BreakerOpen || c.EmbedBreaker().State() != BreakerClosed {
		t.Fatalf("chat breaker %s, embeddings breaker %s", c.Breaker().State(), c.EmbedBreaker().State())
	}
	srv.Enqueue(llmtest.Reply{Status: 503}, llmtest.Reply{Status: 503})
	for range 2 {
		_, _ = c.WithEmbedModel("other", 0).Embed(ctx, []string{"x"})
	}
	if c.EmbedBreaker().State() != BreakerOpen {
		t.Fatalf("embeddings breaker %s after 2 failures through a copy of the client", c.EmbedBreaker().State())
	}
}

// TestRetryAfterBeyondTheDeadlineHoldsTheModelOff: a 429 asking for 20 s, which the caller cannot wait, ends
// the call at once and keeps the next calls from the endpoint until then, without counting towards the
// threshold.
func TestRetryAfterBeyondTheDeadlineHoldsTheModelOff(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	c, clk := breakerClient(srv)
	c.cfg.MaxAttempts = 3
	srv.Enqueue(llmtest.Reply{Status: 429, RetryAfter: "20"}, llmtest.Reply{Content: validJSON})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	if _, err := c.Structured(ctx, msgs, questionSchema); err == nil || statusCode(err) != 429 {
		t.Fatalf("a 429 asking for more than the caller has: %v", err)
	}
	if _, err := c.Structured(t.Context(), msgs, questionSchema); !errors.Is(err, ErrCircuitOpen) {
		t.Fatalf("the next call, within the 20 s: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests, want the one that was told to wait", n)
	}
	clk.add(21 * time.Second) // on the breaker's clock
	if _, err := c.Structured(t.Context(), msgs, questionSchema); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}
