package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/sashabaranov/go-openai"
)

func TestStructured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		cfg       Config
		replies   []llmtest.Reply
		want      string
		wantErr   error // matched with errors.Is
		wantCode  int   // HTTP status carried by the error
		requests  int
		waits     []time.Duration // checked when not nil
		retryable bool            // of the error returned
	}{
		{name: "success", replies: []llmtest.Reply{{Content: validJSON}}, want: validJSON, requests: 1},
		{
			name:     "surrounding whitespace and a code fence are removed",
			replies:  []llmtest.Reply{{Content: "\n```json\n" + validJSON + "\n```\n"}},
			want:     validJSON,
			requests: 1,
		},
		{
			name:     "invalid JSON then valid",
			replies:  []llmtest.Reply{{Content: `{"question": "unterminated`}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
		{
			name:     "JSON that is not an object then valid",
			replies:  []llmtest.Reply{{Content: `["question"]`}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
		{
			name:     "empty content then valid",
			replies:  []llmtest.Reply{{Content: ""}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
		{
			name:     "truncated then valid",
			replies:  []llmtest.Reply{{Content: validJSON, FinishReason: "length"}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
		{
			name:      "always invalid",
			replies:   []llmtest.Reply{{Content: `{"question": "unterminated`}, {Content: "sure!"}, {Content: `{"a":`}},
			wantErr:   ErrInvalidOutput,
			requests:  3,
			retryable: true,
		},
		{
			name:     "429 with Retry-After then success",
			replies:  []llmtest.Reply{{Status: 429, RetryAfter: "1"}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
			waits:    []time.Duration{time.Second},
		},
		{
			name:     "503 with a long Retry-After is capped",
			replies:  []llmtest.Reply{{Status: 503, RetryAfter: "3600"}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
			waits:    []time.Duration{30 * time.Second},
		},
		{name: "500, 500, success", replies: []llmtest.Reply{{Status: 500}, {Status: 500}, {Content: validJSON}}, want: validJSON, requests: 3},
		{name: "408 and 409 are retried", replies: []llmtest.Reply{{Status: 408}, {Status: 409}, {Content: validJSON}}, want: validJSON, requests: 3},
		{
			name:      "500 until attempts run out",
			replies:   []llmtest.Reply{{Status: 500}, {Status: 502}, {Status: 500}},
			wantCode:  500,
			requests:  3,
			retryable: true,
		},
		{
			name:     "MaxAttempts is honoured",
			cfg:      Config{MaxAttempts: 2},
			replies:  []llmtest.Reply{{Status: 500}, {Status: 500}},
			wantCode: 500, requests: 2, retryable: true,
		},
		{name: "400 is not retried", replies: []llmtest.Reply{{Status: 400}}, wantCode: 400, requests: 1},
		{name: "401 is not retried", replies: []llmtest.Reply{{Status: 401}}, wantCode: 401, requests: 1},
		{name: "404 is not retried", replies: []llmtest.Reply{{Status: 404}}, wantCode: 404, requests: 1},
		{name: "422 is not retried", replies: []llmtest.Reply{{Status: 422}}, wantCode: 422, requests: 1},
		{
			name:     "a non-JSON error body still carries the status",
			replies:  []llmtest.Reply{{Status: 502, Body: "<html>Bad Gateway</html>"}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
		{
			name:     "an attempt that times out is retried",
			cfg:      Config{Timeout: 100 * time.Millisecond},
			replies:  []llmtest.Reply{{Delay: 2 * time.Second, Content: validJSON}, {Content: validJSON}},
			want:     validJSON,
			requests: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t)
			srv.Enqueue(tt.replies...)
			c, w := newTestClient(srv, tt.cfg)

			got, err := c.Structured(t.Context(), msgs, questionSchema)

			switch {
			case tt.wantErr == nil && tt.wantCode == 0:
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if got != tt.want {
					t.Errorf("content = %q, want %q", got, tt.want)
				}
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			case tt.wantCode != 0 && statusCode(err) != tt.wantCode:
				t.Errorf("error = %v, want status %d", err, tt.wantCode)
			}
			if err != nil && IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, !tt.retryable, tt.retryable)
			}
			if n := len(srv.Requests()); n != tt.requests {
				t.Errorf("%d requests, want %d", n, tt.requests)
			}
			if tt.waits != nil {
				if got := w.all(); len(got) != len(tt.waits) || got[0] != tt.waits[0] {
					t.Errorf("waits = %v, want %v", got, tt.waits)
				}
			}
		})
	}
}

func TestStructuredRequest(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	srv.Enqueue(llmtest.Reply{Content: validJSON})
	c, _ := newTestClient(srv, Config{APIKey: "sk-test-key"})

	if _, err := c.Structured(t.Context(), msgs, questionSchema); err != nil {
		t.Fatal(err)
	}
	req := srv.Requests()[0]
	if req.Path != "/v1/chat/completions" {
		t.Errorf("path = %s", req.Path)
	}
	if got := req.Header.Get("Authorization"); got != "Bearer sk-test-key" {
		t.Errorf("Authorization = %q", got)
	}
	chat := req.Chat
	if chat.Model != "gpt-4o-mini" || chat.Stream || chat.Temperature != 0.2 {
		t.Errorf("model %q, stream %v, temperature %v", chat.Model, chat.Stream, chat.Temperature)
	}
	rf := chat.ResponseFormat
	if rf == nil || rf.Type != openai.ChatCompletionResponseFormatTypeJSONSchema || rf.JSONSchema == nil || !rf.JSONSchema.Strict {
		t.Fatalf("response_format = %+v, want json_schema with strict true", rf)
	}
	if req.SchemaName() != "next_question" {
		t.Errorf("schema name = %q", req.SchemaName())
	}
	sent, err := json.Marshal(rf.JSONSchema.Schema)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if json.Unmarshal(sent, &a) != nil || json.Unmarshal(questionSchema.Schema, &b) != nil || !jsonEqual(a, b) {
		t.Errorf("schema sent = %s, want %s", sent, questionSchema.Schema)
	}
	if len(chat.Messages) != 2 || chat.Messages[0].Role != "system" || req.LastUserMessage() != msgs[1].Content {
		t.Errorf("messages = %+v", chat.Messages)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func TestReasoningModelGetsDefaultTemperature(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	srv.Enqueue(llmtest.Reply{Content: validJSON})
	c, _ := newTestClient(srv, Config{ChatModel: "gpt-5-mini"})

	if _, err := c.Structured(t.Context(), msgs, questionSchema); err != nil {
		t.Fatalf("go-openai refused the request: %v", err)
	}
	if temp := srv.Requests()[0].Chat.Temperature; temp != 0 {
		t.Errorf("temperature %v sent to a reasoning model", temp)
	}
}

func TestCallerContextStopsRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ctx  func(t *testing.T) context.Context
		want error
	}{
		{
			name: "cancelled",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithCancel(t.Context())
				time.AfterFunc(50*time.Millisecond, cancel)
				return ctx
			},
			want: context.Canceled,
		},
		{
			name: "caller's deadline, shorter than the attempt's",
			ctx: func(t *testing.T) context.Context {
				ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
				t.Cleanup(cancel)
				return ctx
			},
			want: context.DeadlineExceeded,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t)
			srv.Enqueue(llmtest.Reply{Delay: 30 * time.Second, Content: validJSON}, llmtest.Reply{Content: validJSON})
			c, w := newTestClient(srv, Config{})

			_, err := c.Structured(tt.ctx(t), msgs, questionSchema)

			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if IsRetryable(err) {
				t.Errorf("the caller's own context error is retryable: %v", err)
			}
			// One request at most (the caller may give up before it even arrives), and no second one.
			if n := len(srv.Requests()); n > 1 {
				t.Errorf("%d requests: the client tried again after the caller gave up", n)
			}
			if len(w.all()) != 0 {
				t.Errorf("waited %v after the caller gave up", w.all())
			}
		})
	}
}

func TestAlreadyCancelledSendsNothing(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	c, _ := newTestClient(srv, Config{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := c.Structured(ctx, msgs, questionSchema); !errors.Is(err, context.Canceled) {
		t.Fatalf("error = %v", err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests", n)
	}
}

func TestAPIKeyNeverInErrors(t *testing.T) {
	t.Parallel()
	const key = "sk-proj-SECRET0123456789"
	srv := llmtest.New(t)
	// A misbehaving proxy that echoes the key back in its error.
	srv.Enqueue(llmtest.Reply{Status: http.StatusUnauthorized, Body: `{"error":{"message":"bad key ` + key + `","type":"invalid_request_error"}}`})
	c, _ := newTestClient(srv, Config{APIKey: key})

	_, err := c.Structured(t.Context(), msgs, questionSchema)
	if err == nil || statusCode(err) != http.StatusUnauthorized {
		t.Fatalf("error = %v, want a 401", err)
	}
	if strings.Contains(err.Error(), key) {
		t.Errorf("error reveals the key: %v", err)
	}
}

func TestAzure(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	srv.Enqueue(llmtest.Reply{Content: validJSON}, llmtest.Reply{})
	c, _ := newTestClient(srv, Config{
		BaseURL: srv.AzureURL, APIKey: "azure-key", AzureAPIVersion: "2024-10-21",
		ChatModel: "interviewer-gpt-4.1", EmbedModel: "embeddings-3-small",
	})

	got, err := c.Structured(t.Context(), msgs, questionSchema)
	if err != nil {
		t.Fatal(err)
	}
	if got != validJSON {
		t.Errorf("content = %q", got)
	}
	if _, err := c.Embed(t.Context(), []string{"renewal"}); err != nil {
		t.Fatal(err)
	}

	reqs := srv.Requests()
	for i, want := range []string{
		"/openai/deployments/interviewer-gpt-4.1/chat/completions",
		"/openai/deployments/embeddings-3-small/embeddings",
	} {
		r := reqs[i]
		if r.Path != want || r.Query.Get("api-version") != "2024-10-21" {
			t.Errorf("request %d: %s?%s, want %s?api-version=2024-10-21", i, r.Path, r.Query.Encode(), want)
		}
		if r.Header.Get("api-key") != "azure-key" || r.Header.Get("Authorization") != "" {
			t.Errorf("request %d: api-key %q, Authorization %q", i, r.Header.Get("api-key"), r.Header.Get("Authorization"))
		}
	}
}
