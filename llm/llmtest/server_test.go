package llmtest

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func post(t *testing.T, url, body string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	const chat = `{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":%s}`
	tests := []struct {
		name, path, body string
		reply            Reply
		check            func(t *testing.T, resp *http.Response, body string)
	}{
		{
			name: "completion", path: "/v1/chat/completions", body: strings.Replace(chat, "%s", "false", 1),
			reply: Reply{Content: `{"a":1}`},
			check: func(t *testing.T, _ *http.Response, body string) {
				var v struct {
					Object  string
					Choices []struct {
						Message      struct{ Role, Content string }
						FinishReason string `json:"finish_reason"`
					}
					Usage struct {
						TotalTokens int `json:"total_tokens"`
					}
				}
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Fatal(err)
				}
				if v.Object != "chat.completion" || len(v.Choices) != 1 || v.Choices[0].Message.Role != "assistant" ||
					v.Choices[0].Message.Content != `{"a":1}` || v.Choices[0].FinishReason != "stop" || v.Usage.TotalTokens == 0 {
					t.Errorf("body: %s", body)
				}
			},
		},
		{
			name: "stream", path: "/v1/chat/completions", body: strings.Replace(chat, "%s", "true", 1),
			reply: Reply{Content: "abcdefg"},
			check: func(t *testing.T, resp *http.Response, body string) {
				if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
					t.Errorf("Content-Type %q", ct)
				}
				events := strings.Split(strings.TrimSuffix(body, "\n\n"), "\n\n")
				// role-only opening, 3 content chunks of up to 3 runes, the finish, [DONE]
				if len(events) != 6 || events[5] != "data: [DONE]" || !strings.Contains(events[4], `"finish_reason":"stop"`) ||
					!strings.Contains(events[3], `"content":"g"`) {
					t.Errorf("events: %q", events)
				}
			},
		},
		{
			name: "error", path: "/v1/chat/completions", body: strings.Replace(chat, "%s", "false", 1),
			reply: Reply{Status: 429, RetryAfter: "2"},
			check: func(t *testing.T, resp *http.Response, body string) {
				var v struct {
					Error struct{ Message, Type, Code string }
				}
				if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" ||
					json.Unmarshal([]byte(body), &v) != nil || v.Error.Code != "rate_limit_exceeded" {
					t.Errorf("%d %v %s", resp.StatusCode, resp.Header, body)
				}
			},
		},
		{
			name: "embeddings of one string", path: "/v1/embeddings", body: `{"model":"e","input":"hello"}`,
			check: func(t *testing.T, _ *http.Response, body string) {
				var v struct {
					Object string
					Data   []struct {
						Index     int
						Embedding []float32
					}
				}
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Fatal(err)
				}
				if v.Object != "list" || len(v.Data) != 1 || !slices.Equal(v.Data[0].Embedding, Vector("hello")) {
					t.Errorf("body: %s", body)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := New(t)
			s.Enqueue(tt.reply)
			resp, body := post(t, s.AzureURL+tt.path, tt.body)
			tt.check(t, resp, body)
			if got := s.Requests(); len(got) != 1 || got[0].Path != tt.path {
				t.Errorf("recorded %+v", got)
			}
		})
	}
}

func TestVector(t *testing.T) {
	t.Parallel()
	a, b := Vector("renewal at Stark"), Vector("renewal at Stark ")
	if !slices.Equal(a, Vector("renewal at Stark")) || slices.Equal(a, b) {
		t.Error("Vector is not a function of the text")
	}
	var norm float64
	for _, x := range a {
		norm += float64(x) * float64(x)
	}
	if len(a) != 8 || math.Abs(norm-1) > 1e-5 {
		t.Errorf("len %d, squared norm %v", len(a), norm)
	}
}
