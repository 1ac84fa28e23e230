package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
)

func TestIsRetryable(t *testing.T) {
	t.Parallel()
	api := func(code int) error { return &openai.APIError{HTTPStatusCode: code, Message: "x"} }
	raw := func(code int) error { return &openai.RequestError{HTTPStatusCode: code, Body: []byte("<html>")} }
	refused := &url.Error{Op: "Post", URL: "http://localhost:11434/v1/chat/completions",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"408", api(408), true},
		{"409", api(409), true},
		{"429", api(429), true},
		{"500", api(500), true},
		{"503 without a JSON body", raw(503), true},
		{"wrapped 502", fmt.Errorf("call: %w", api(502)), true},
		{"400", api(400), false},
		{"401", api(401), false},
		{"403", raw(403), false},
		{"404", api(404), false},
		{"422", api(422), false},
		{"error event inside a stream", fmt.Errorf("error, %w", api(0)), true},
		{"invalid output", fmt.Errorf("x: %w", ErrInvalidOutput), true},
		{"attempt timeout", timeoutError{after: time.Second, err: context.DeadlineExceeded}, true},
		{"caller's deadline", fmt.Errorf("x: %w", context.DeadlineExceeded), false},
		{"caller's cancel", &url.Error{Op: "Post", URL: "u", Err: context.Canceled}, false},
		{"connection refused", refused, true},
		{"stream cut", io.ErrUnexpectedEOF, true},
		{"too many empty stream messages", openai.ErrTooManyEmptyStreamMessages, true},
		{"unparsable URL", &url.Error{Op: "parse", URL: "::", Err: errors.New("missing protocol scheme")}, false},
		{"onDelta's own error", finalError{err: errors.New("client went away"), caller: true}, false},
		{"a body that is not JSON", fmt.Errorf("x: %w", &json.SyntaxError{Offset: 1}), true},
		{"anything else", errors.New("json: cannot unmarshal"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsRetryable(tt.err); got != tt.want {
				t.Errorf("IsRetryable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		ms, header string
		want       time.Duration
		ok         bool
	}{
		{name: "absent"},
		{name: "seconds", header: "1", want: time.Second, ok: true},
		{name: "zero", header: "0", want: 0, ok: true},
		{name: "capped", header: "86400", want: maxRetryAfter, ok: true},
		{name: "HTTP date", header: now.Add(7 * time.Second).Format(http.TimeFormat), want: 7 * time.Second, ok: true},
		{name: "HTTP date in the past", header: now.Add(-time.Minute).Format(http.TimeFormat), want: 0, ok: true},
		{name: "negative", header: "-3"},
		{name: "garbage", header: "soon"},
		{name: "milliseconds win", ms: "250", header: "1", want: 250 * time.Millisecond, ok: true},
		{name: "bad milliseconds fall back", ms: "NaN", header: "2", want: 2 * time.Second, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lr := &lastResponse{retryAfterMS: tt.ms, retryAfterS: tt.header}
			got, ok := lr.retryAfter(now)
			if got != tt.want || ok != tt.ok {
				t.Errorf("retryAfter(%q, %q) = %v, %v; want %v, %v", tt.ms, tt.header, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	c := New(Config{BaseBackoff: time.Second})
	for n := 1; n <= 70; n++ {
		ceiling := min(time.Second<<min(n-1, 30), maxBackoff)
		for range 20 {
			if d := c.backoff(n, api500, &lastResponse{}); d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, want within [0, %v]", n, d, ceiling)
			}
		}
	}
	// Retry-After counts only on 429 and 503: other statuses may carry it for unrelated reasons.
	hint := &lastResponse{retryAfterS: "5"}
	if d := c.backoff(1, &openai.APIError{HTTPStatusCode: 429}, hint); d != 5*time.Second {
		t.Errorf("429 with Retry-After 5: %v", d)
	}
	if d := c.backoff(1, api500, hint); d > time.Second {
		t.Errorf("500 with Retry-After 5 waited %v", d)
	}
}

var api500 = &openai.APIError{HTTPStatusCode: 500}

func TestNewDefaults(t *testing.T) {
	t.Parallel()
	c := New(Config{ChatModel: "llama3.1", EmbedModel: "nomic-embed-text"})
	if c.cfg.Timeout != 60*time.Second || c.cfg.MaxAttempts != 3 || c.cfg.BaseBackoff != 500*time.Millisecond {
		t.Errorf("defaults: %+v", c.cfg)
	}
	if c.ChatModel() != "llama3.1" || c.EmbedModel() != "nomic-embed-text" {
		t.Errorf("models: %q, %q", c.ChatModel(), c.EmbedModel())
	}
}
