package llm

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

// TestMisbehavingEndpointStaysWithinTheCallersDeadline: whatever the endpoint does, a call with a deadline
// returns an error by that deadline, with the attempts' own (long) timeout left at its default, and no
// wait is taken that would end after it.
func TestMisbehavingEndpointStaysWithinTheCallersDeadline(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		reply llmtest.Reply
	}{
		{"hang", llmtest.Reply{Hang: true}},
		{"drip", llmtest.Reply{Content: validJSON, Drip: 100 * time.Millisecond}},
		{"429 with a long Retry-After", llmtest.Reply{Status: 429, RetryAfter: "20"}},
		{"500", llmtest.Reply{Status: 500}},
		{"malformed JSON", llmtest.Reply{Raw: `{"id":"chatcmpl-1","choices":[{"message":`}},
		{"a page, not JSON", llmtest.Reply{Raw: `<html>Gateway says hello</html>`}},
		{"stream cut midway", llmtest.Reply{Content: validJSON, DropAfter: 4}},
		{"body held open", llmtest.Reply{Content: validJSON, HoldOpen: true}},
	}
	for _, tc := range cases {
		for _, stream := range []bool{false, true} {
			name := tc.name
			if stream {
				name += ", streamed"
			} else if tc.reply.DropAfter > 0 {
				continue // only a stream can be cut midway
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				srv := llmtest.New(t)
				srv.Respond = func(llmtest.Request) llmtest.Reply { return tc.reply }
				c, w := newTestClient(srv, Config{Timeout: time.Minute, MaxAttempts: 50, BreakerFailures: 1000,
					Log: slog.New(slog.DiscardHandler)})
				c.sleep = func(ctx context.Context, d time.Duration) error {
					_ = w.sleep(ctx, d)
					return sleepCtx(ctx, d) // waits for real, so the attempts use up the deadline
				}
				ctx, cancel := context.WithTimeout(t.Context(), 400*time.Millisecond)
				defer cancel()

				var err error
				if stream {
					_, err = c.StreamStructured(ctx, msgs, questionSchema, nil)
				} else {
					_, err = c.Structured(ctx, msgs, questionSchema)
				}

				if err == nil {
					t.Fatal("no error from a misbehaving endpoint")
				}
				if ctx.Err() == nil && !IsRetryable(err) && !errors.Is(err, ErrInvalidOutput) {
					t.Fatalf("gave up early with an error that is not the endpoint's: %v", err)
				}
				for _, d := range w.all() {
					if d >= 400*time.Millisecond {
						t.Fatalf("waited %v, beyond the caller's deadline", d)
					}
				}
				if tc.reply.Status == 429 && len(srv.Requests()) > 1 {
					t.Fatalf("%d requests: a Retry-After beyond the deadline must end the call", len(srv.Requests()))
				}
			})
		}
	}
}
