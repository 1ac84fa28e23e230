package metrics_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestBreakersAreReadAtEachScrape: a model endpoint that keeps failing opens the embeddings' breaker, and
// the next scrape says so, with the requests counted by outcome; the chat's breaker stays closed.
func TestBreakersAreReadAtEachScrape(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	srv := llmtest.New(t)
	client := llm.New(llm.Config{BaseURL: srv.URL, ChatModel: "gpt-4o-mini", EmbedModel: "text-embedding-3-small", MaxAttempts: 1,
		BreakerFailures: 2, Log: slog.New(slog.DiscardHandler)})
	h := metrics.Handler(pool, map[string]metrics.Breaker{"chat": client.Breaker(), "embeddings": client.EmbedBreaker()}, slog.New(slog.DiscardHandler))
	scrape := func() string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	if body := scrape(); !strings.Contains(body, `exitinterview_model_breaker_state{requests="embeddings"} 0`) {
		t.Fatalf("before any request:\n%s", body)
	}
	srv.Enqueue(llmtest.Reply{Status: 500}, llmtest.Reply{Status: 500})
	for range 3 {
		if _, err := client.Embed(t.Context(), []string{"Northwind renews in March."}); err == nil {
			t.Fatal("a failing endpoint embedded")
		}
	}
	body := scrape()
	for _, want := range []string{
		`exitinterview_model_breaker_state{requests="embeddings"} 2`,
		`exitinterview_model_breaker_state{requests="chat"} 0`,
		`exitinterview_model_calls_total{outcome="failed",requests="embeddings"} 2`,
		`exitinterview_model_calls_total{outcome="skipped",requests="embeddings"} 1`,
		`exitinterview_model_calls_total{outcome="ok",requests="chat"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in:\n%s", want, body)
		}
	}
}
