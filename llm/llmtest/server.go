// Package llmtest is a fake OpenAI-compatible endpoint, so tests run go-openai's real HTTP and
// streaming code against scripted answers instead of a model.
package llmtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"
)

// Reply is one scripted answer of the fake server.
type Reply struct {
	Status       int           // HTTP status; 0 means 200
	Body         string        // for errors: the raw body; default an OpenAI-shaped error JSON
	RetryAfter   string        // Retry-After header value, if any
	Content      string        // assistant message content; streamed in chunks when the request asks for a stream
	Chunks       []string      // explicit stream chunks (overrides splitting Content)
	FinishReason string        // default "stop"
	Delay        time.Duration // wait before answering, cut short when the client goes away
	DropAfter    int           // when > 0 and streaming: break the connection after this many content chunks
	Embeddings   [][]float32   // for embeddings; nil means Vector of each input

	// Misbehaviours of a failing endpoint.
	Hang     bool          // never answer: hold the request until the client gives up
	Drip     time.Duration // write the body one byte at a time, with this pause before each byte
	HoldOpen bool          // send the headers and the start of the body (a stream's chunks), then neither end nor close it
	Raw      string        // with a 200: this body as is instead of the answer (malformed JSON, say)
}

// Server is a fake OpenAI endpoint. Requests are answered from the queue of Replies (FIFO); when the
// queue is empty, Respond is called; when Respond is nil, a 500 is returned and the test fails.
type Server struct {
	// URL is the base URL including /v1, for llm.Config.BaseURL.
	URL string
	// AzureURL is the bare server URL, for an Azure-configured client: go-openai appends
	// /openai/deployments/{deployment}/… itself.
	AzureURL string
	// Respond answers when the queue is empty. Set it before the first request.
	Respond func(r Request) Reply

	t    testing.TB
	srv  *httptest.Server
	done chan struct{} // closed at cleanup so delayed handlers let Close finish

	mu       sync.Mutex
	queue    []Reply
	requests []Request
}

// New starts a fake server that is closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, done: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL + "/v1"
	s.AzureURL = s.srv.URL
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
	})
	return s
}

// Enqueue adds replies to be given, in order, to the next requests.
func (s *Server) Enqueue(replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue = append(s.queue, replies...)
}

// Requests returns every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	req, err := decode(r)
	if err != nil {
		s.t.Errorf("llmtest: %s %s: %v", r.Method, r.URL.Path, err)
		writeError(w, Reply{Status: http.StatusBadRequest, Body: errorBody(http.StatusBadRequest, err.Error())})
		return
	}

	s.mu.Lock()
	s.requests = append(s.requests, req)
	var reply Reply
	var scripted bool
	if len(s.queue) > 0 {
		reply, scripted = s.queue[0], true
		s.queue = s.queue[1:]
	}
	respond := s.Respond
	s.mu.Unlock()

	if !scripted {
		if respond == nil {
			s.t.Errorf("llmtest: unexpected request %s: no reply queued and no Respond", req.Path)
			writeError(w, Reply{Status: http.StatusInternalServerError})
			return
		}
		reply = respond(req)
	}

	if reply.Hang {
		s.hold(r)
		return
	}
	if reply.Delay > 0 {
		timer := time.NewTimer(reply.Delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	if reply.Drip > 0 {
		w = &dripWriter{ResponseWriter: w, pause: reply.Drip, stop: r.Context().Done(), done: s.done}
	}

	if reply.RetryAfter != "" {
		w.Header().Set("Retry-After", reply.RetryAfter)
	}
	if reply.Status != 0 && reply.Status != http.StatusOK {
		writeError(w, reply)
		return
	}

	switch {
	case reply.Raw != "":
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, reply.Raw)
	case req.Embed != nil:
		writeEmbeddings(w, req, reply)
	case req.Chat.Stream:
		s.writeStream(w, r, req, reply)
	case reply.HoldOpen:
		// Half of a well-formed answer, then nothing more.
		var b strings.Builder
		_ = json.NewEncoder(&b).Encode(completion(req, reply))
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
		_, _ = io.WriteString(w, b.String()[:b.Len()/2])
		_ = http.NewResponseController(w).Flush()
		s.hold(r)
	default:
		writeCompletion(w, req, reply)
	}
}

// hold keeps a request open until the client goes away or the test ends.
func (s *Server) hold(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

var errGone = errors.New("llmtest: the client went away")

// dripWriter writes one byte at a time, flushed, with a pause before each, like an endpoint that is
// alive but too slow to be of use. It stops writing when the client goes away.
type dripWriter struct {
	http.ResponseWriter
	pause time.Duration
	stop  <-chan struct{}
	done  chan struct{}
}

func (d *dripWriter) Write(p []byte) (int, error) {
	for i := range p {
		t := time.NewTimer(d.pause)
		select {
		case <-t.C:
		case <-d.stop:
			t.Stop()
			return i, errGone
		case <-d.done:
			t.Stop()
			return i, errGone
		}
		if _, err := d.ResponseWriter.Write(p[i : i+1]); err != nil {
			return i, err
		}
		d.Flush()
	}
	return len(p), nil
}

func (d *dripWriter) Flush() { _ = http.NewResponseController(d.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the connection (to drop a stream).
func (d *dripWriter) Unwrap() http.ResponseWriter { return d.ResponseWriter }

func writeError(w http.ResponseWriter, reply Reply) {
	status := reply.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	body := reply.Body
	if body == "" {
		body = errorBody(status, http.StatusText(status))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// errorBody is shaped like OpenAI's, so go-openai decodes it into an *openai.APIError.
func errorBody(status int, message string) string {
	typ, code := "invalid_request_error", any(nil)
	switch {
	case status == http.StatusUnauthorized:
		typ, code = "invalid_request_error", "invalid_api_key"
	case status == http.StatusTooManyRequests:
		typ, code = "requests", "rate_limit_exceeded"
	case status >= 500:
		typ = "server_error"
	}
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": message, "type": typ, "code": code}})
	return string(b)
}

func finishReason(reply Reply) openai.FinishReason {
	if reply.FinishReason == "" {
		return openai.FinishReasonStop
	}
	return openai.FinishReason(reply.FinishReason)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeCompletion(w http.ResponseWriter, req Request, reply Reply) {
	writeJSON(w, completion(req, reply))
}

func completion(req Request, reply Reply) openai.ChatCompletionResponse {
	prompt := 0
	for _, m := range req.Chat.Messages {
		prompt += tokens(m.Content)
	}
	completion := tokens(reply.Content)
	return openai.ChatCompletionResponse{
		ID:      "chatcmpl-fake",
		Object:  "chat.completion",
		Created: time.Now().Unix(),
		Model:   req.Chat.Model,
		Choices: []openai.ChatCompletionChoice{{
			Message:      openai.ChatCompletionMessage{Role: openai.ChatMessageRoleAssistant, Content: reply.Content},
			FinishReason: finishReason(reply),
		}},
		Usage: openai.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion},
	}
}

// tokens is a rough count; nothing depends on it beyond looking plausible.
func tokens(s string) int { return (len(s) + 3) / 4 }

func (s *Server) writeStream(w http.ResponseWriter, r *http.Request, req Request, reply Reply) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		s.t.Errorf("llmtest: response writer cannot flush")
		return
	}
	chunks := reply.Chunks
	if chunks == nil {
		chunks = split(reply.Content, 3)
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)

	send := func(delta openai.ChatCompletionStreamChoiceDelta, finish openai.FinishReason) {
		b, _ := json.Marshal(openai.ChatCompletionStreamResponse{
			ID: "chatcmpl-fake", Object: "chat.completion.chunk", Created: time.Now().Unix(), Model: req.Chat.Model,
			Choices: []openai.ChatCompletionStreamChoice{{Delta: delta, FinishReason: finish}},
		})
		fmt.Fprintf(w, "data: %s\n\n", b)
		flusher.Flush()
	}

	// OpenAI opens with a role-only delta; clients must not mistake it for content.
	send(openai.ChatCompletionStreamChoiceDelta{Role: openai.ChatMessageRoleAssistant}, "")
	for i, c := range chunks {
		if reply.DropAfter > 0 && i == reply.DropAfter {
			s.drop(w)
			return
		}
		send(openai.ChatCompletionStreamChoiceDelta{Content: c}, "")
	}
	if reply.DropAfter > 0 && reply.DropAfter >= len(chunks) {
		s.drop(w)
		return
	}
	if reply.HoldOpen {
		s.hold(r)
		return
	}
	send(openai.ChatCompletionStreamChoiceDelta{}, finishReason(reply))
	fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}

// drop closes the connection without ending the chunked body, so the client reads an unexpected EOF
// rather than a clean end of stream — a plain return would look like a finished (if [DONE]-less) stream.
func (s *Server) drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		s.t.Errorf("llmtest: hijack to drop the stream: %v", err)
		return
	}
	_ = conn.Close()
}

// split cuts s into pieces of n runes.
func split(s string, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		k := min(n, len(r))
		out = append(out, string(r[:k]))
		r = r[k:]
	}
	return out
}

func writeEmbeddings(w http.ResponseWriter, req Request, reply Reply) {
	vectors := reply.Embeddings
	if vectors == nil {
		for _, in := range req.Inputs() {
			vectors = append(vectors, Vector(in))
		}
	}
	resp := openai.EmbeddingResponse{Object: "list", Model: req.Embed.Model}
	for i, v := range vectors {
		resp.Data = append(resp.Data, openai.Embedding{Object: "embedding", Index: i, Embedding: v})
	}
	writeJSON(w, resp)
}
