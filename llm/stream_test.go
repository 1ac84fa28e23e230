package llm

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

func TestStreamStructured(t *testing.T) {
	t.Parallel()
	errStop := errors.New("browser went away")
	tests := []struct {
		name       string
		replies    []llmtest.Reply
		onDelta    func(got []string) error // nil: accept every delta
		want       string
		wantDeltas []string // nil: the deltas must concatenate to want
		wantErr    error    // matched with errors.Is
		requests   int
		retryable  bool
	}{
		{
			name:     "deltas arrive in order",
			replies:  []llmtest.Reply{{Content: validJSON}},
			want:     validJSON,
			requests: 1,
		},
		{
			name:       "explicit chunks",
			replies:    []llmtest.Reply{{Chunks: []string{`{"question":`, `"Wer unterschreibt? 署名"`, `,"topic":null}`}}},
			want:       `{"question":"Wer unterschreibt? 署名","topic":null}`,
			wantDeltas: []string{`{"question":`, `"Wer unterschreibt? 署名"`, `,"topic":null}`},
			requests:   1,
		},
		{
			name:     "a failure before the first delta is retried",
			replies:  []llmtest.Reply{{Status: 503}, {Chunks: []string{}}, {Content: validJSON}},
			want:     validJSON,
			requests: 3,
		},
		{
			name:       "a broken stream after deltas is returned, not retried",
			replies:    []llmtest.Reply{{Chunks: []string{`{"quest`, `ion": "Who`, ` signs`}, DropAfter: 2}, {Content: validJSON}},
			wantDeltas: []string{`{"quest`, `ion": "Who`},
			wantErr:    io.ErrUnexpectedEOF,
			requests:   1,
			retryable:  true,
		},
		{
			name:       "invalid JSON after deltas is returned, not retried",
			replies:    []llmtest.Reply{{Chunks: []string{`{"question": `, `"unterminated`}}, {Content: validJSON}},
			wantDeltas: []string{`{"question": `, `"unterminated`},
			wantErr:    ErrInvalidOutput,
			requests:   1,
			retryable:  true,
		},
		{
			name:       "truncated after deltas",
			replies:    []llmtest.Reply{{Chunks: []string{`{"question": "Who`}, FinishReason: "length"}, {Content: validJSON}},
			wantDeltas: []string{`{"question": "Who`},
			wantErr:    ErrInvalidOutput,
			requests:   1,
			retryable:  true,
		},
		{
			name:    "an onDelta error aborts the stream",
			replies: []llmtest.Reply{{Chunks: []string{`{"q":`, `"a"`, `}`}}, {Content: validJSON}},
			onDelta: func(got []string) error {
				if len(got) == 2 {
					return errStop
				}
				return nil
			},
			wantDeltas: []string{`{"q":`, `"a"`},
			wantErr:    errStop,
			requests:   1,
		},
		{
			name:      "400 before the stream",
			replies:   []llmtest.Reply{{Status: 400}},
			wantErr:   nil,
			requests:  1,
			retryable: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t)
			srv.Enqueue(tt.replies...)
			c, _ := newTestClient(srv, Config{})

			var deltas []string
			got, err := c.StreamStructured(t.Context(), msgs, questionSchema, func(d string) error {
				deltas = append(deltas, d)
				if tt.onDelta != nil {
					return tt.onDelta(deltas)
				}
				return nil
			})

			wantFailure := tt.wantErr != nil || tt.want == ""
			switch {
			case !wantFailure && err != nil:
				t.Fatalf("error: %v", err)
			case !wantFailure && got != tt.want:
				t.Errorf("content = %q, want %q", got, tt.want)
			case wantFailure && err == nil:
				t.Fatalf("no error, content %q", got)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
			if errors.Is(tt.wantErr, errStop) && err != errStop {
				t.Errorf("onDelta's error came back changed: %v", err)
			}
			if err != nil && IsRetryable(err) != tt.retryable {
				t.Errorf("IsRetryable(%v) = %v, want %v", err, !tt.retryable, tt.retryable)
			}
			if tt.wantDeltas != nil {
				if strings.Join(deltas, "|") != strings.Join(tt.wantDeltas, "|") {
					t.Errorf("deltas = %q, want %q", deltas, tt.wantDeltas)
				}
			} else if strings.Join(deltas, "") != tt.want {
				t.Errorf("deltas %q do not add up to %q", deltas, tt.want)
			}
			reqs := srv.Requests()
			if len(reqs) != tt.requests {
				t.Errorf("%d requests, want %d", len(reqs), tt.requests)
			}
			for _, r := range reqs {
				if !r.Chat.Stream || r.SchemaName() != questionSchema.Name {
					t.Errorf("request stream %v schema %q", r.Chat.Stream, r.SchemaName())
				}
			}
		})
	}
}
