package llm

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/exitinterview/exitinterview/llm/llmtest"
)

var questionSchema = Schema{
	Name: "next_question",
	Schema: json.RawMessage(`{"type":"object","properties":{"question":{"type":"string"},"topic":{"type":["string","null"]}},` +
		`"required":["question","topic"],"additionalProperties":false}`),
}

var msgs = []Message{
	{Role: RoleSystem, Content: "You interview a departing CSM."},
	{Role: RoleUser, Content: "Who signs the renewal at Stark?"},
}

const validJSON = `{"question":"Who is the champion at Stark?","topic":null}`

// waits records the delays the client asked for between attempts, without waiting.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

// newTestClient points a client at srv with tiny backoffs, recording the waits instead of sleeping.
func newTestClient(srv *llmtest.Server, cfg Config) (*Client, *waits) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = srv.URL
	}
	if cfg.ChatModel == "" {
		cfg.ChatModel = "gpt-4o-mini"
	}
	if cfg.EmbedModel == "" {
		cfg.EmbedModel = "text-embedding-3-small"
	}
	if cfg.BaseBackoff == 0 {
		cfg.BaseBackoff = time.Millisecond
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	c := New(cfg)
	w := &waits{}
	c.sleep = w.sleep
	return c, w
}
