// Package llm is the model client: a thin layer over go-openai for any OpenAI-compatible endpoint
// (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio) that adds what go-openai leaves out — a timeout per
// attempt, retries with backoff that honour Retry-After, and a check that structured output is a
// JSON object.
package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/sashabaranov/go-openai"
)

// Config selects the endpoint. BaseURL is like "https://api.openai.com/v1" or
// "http://localhost:11434/v1"; for Azure it is the resource URL ("https://NAME.openai.azure.com").
// When AzureAPIVersion is set the client speaks Azure OpenAI, and the model names are the
// deployment names.
type Config struct {
	BaseURL    string
	APIKey     string // may be empty for local servers
	ChatModel  string
	EmbedModel string
	// EmbedDims asks for vectors of this length (text-embedding-3 and later models shorten theirs);
	// 0 takes the model's own length.
	EmbedDims       int
	AzureAPIVersion string
	Timeout         time.Duration // per attempt; default 60s
	MaxAttempts     int           // total attempts for retryable failures; default 3
	BaseBackoff     time.Duration // default 500ms; exponential with full jitter, capped at 10s
	// BreakerFailures consecutive failed requests open the circuit breaker (default 3): requests then fail
	// at once with ErrCircuitOpen for BreakerCooldown (default 30s), then one trial request is let through.
	BreakerFailures int
	BreakerCooldown time.Duration
	Log             *slog.Logger // the breaker's state changes; default slog.Default()
}

const (
	defaultTimeout     = 60 * time.Second
	defaultMaxAttempts = 3
	defaultBaseBackoff = 500 * time.Millisecond
	defaultBreakerFail = 3
	defaultCooldown    = 30 * time.Second
	temperature        = 0.2
)

// Role is the author of a chat message.
type Role string

// The roles of chat messages.
const (
	RoleSystem    Role = openai.ChatMessageRoleSystem
	RoleUser      Role = openai.ChatMessageRoleUser
	RoleAssistant Role = openai.ChatMessageRoleAssistant
)

// Message is one chat message.
type Message struct {
	Role    Role
	Content string
}

// Schema is a JSON schema for structured output, written for OpenAI's strict mode: every property
// listed in "required", "additionalProperties": false at every object level, nullable fields as
// {"type": ["string","null"]}. Name is the schema name sent to the API.
type Schema struct {
	Name   string
	Schema json.RawMessage
}

// Client talks to one OpenAI-compatible endpoint. It is safe for concurrent use.
type Client struct {
	cfg Config
	api *openai.Client
	// breaker guards chat requests, embedBreaker embeddings: a chat model that hangs while embeddings
	// answer (two models of one local server, say) must still open the first. Both are shared by the copies
	// WithEmbedModel makes.
	breaker, embedBreaker *Breaker
	// sleep waits between attempts; tests replace it to see the delays without waiting.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a client for cfg, with defaults for the zero values.
func New(cfg Config) *Client {
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = defaultMaxAttempts
	}
	if cfg.BaseBackoff <= 0 {
		cfg.BaseBackoff = defaultBaseBackoff
	}
	if cfg.BreakerFailures <= 0 {
		cfg.BreakerFailures = defaultBreakerFail
	}
	if cfg.BreakerCooldown <= 0 {
		cfg.BreakerCooldown = defaultCooldown
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}

	var oc openai.ClientConfig
	if cfg.AzureAPIVersion != "" {
		oc = openai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
		oc.APIVersion = cfg.AzureAPIVersion
		// The default mapper rewrites names ("gpt-3.5" → "gpt-35"); ours are deployment names already.
		oc.AzureModelMapperFunc = func(model string) string { return model }
	} else {
		oc = openai.DefaultConfig(cfg.APIKey)
		if cfg.BaseURL != "" {
			oc.BaseURL = cfg.BaseURL
		}
	}
	// No http.Client.Timeout: it would cut long streams; each attempt has its own context deadline.
	var transport http.RoundTripper = http.DefaultTransport
	if t, ok := transport.(*http.Transport); ok {
		transport = t.Clone() // its own connection pool, not shared with unrelated clients
	}
	oc.HTTPClient = headerRecorder{&http.Client{Transport: transport}}

	log := cfg.Log.With("base_url", cfg.BaseURL)
	return &Client{cfg: cfg, api: openai.NewClientWithConfig(oc), sleep: sleepCtx,
		breaker:      newBreaker(cfg.BreakerFailures, cfg.BreakerCooldown, log.With("requests", "chat")),
		embedBreaker: newBreaker(cfg.BreakerFailures, cfg.BreakerCooldown, log.With("requests", "embeddings"))}
}

// Breaker returns the circuit breaker of chat requests (the interviewer, extraction, report prose, ask), for
// its state and its counts of requests by outcome.
func (c *Client) Breaker() *Breaker { return c.breaker }

// EmbedBreaker returns the circuit breaker of embedding requests.
func (c *Client) EmbedBreaker() *Breaker { return c.embedBreaker }

// ChatModel returns the model (or Azure deployment) used for chat.
func (c *Client) ChatModel() string { return c.cfg.ChatModel }

// EmbedModel returns the model (or Azure deployment) used for embeddings.
func (c *Client) EmbedModel() string { return c.cfg.EmbedModel }

// WithEmbedModel returns a client of the same endpoint that embeds with another model of the given
// length (0: the model's own): search keeps using the vectors of a previous model while a new one's are
// being made.
func (c *Client) WithEmbedModel(model string, dims int) *Client {
	cp := *c
	cp.cfg.EmbedModel = model
	cp.cfg.EmbedDims = dims
	return &cp
}

// Structured asks for one JSON object that matches schema and returns its raw JSON text, checked to be
// a syntactically valid JSON object; whether it means anything is the caller's to check. Retryable
// failures are retried with backoff.
func (c *Client) Structured(ctx context.Context, msgs []Message, schema Schema) (string, error) {
	req := c.chatRequest(msgs, schema)
	var out string
	err := c.retry(ctx, c.breaker, func(ctx context.Context) error {
		resp, err := c.api.CreateChatCompletion(ctx, req)
		if err != nil {
			return err
		}
		if len(resp.Choices) == 0 {
			return fmt.Errorf("%w: no choices", ErrInvalidOutput)
		}
		ch := resp.Choices[0]
		out, err = checkObject(ch.Message.Content, string(ch.FinishReason), ch.Message.Refusal)
		return err
	})
	if err != nil {
		return "", c.redact(fmt.Errorf("llm: structured %q: %w", schema.Name, err))
	}
	return out, nil
}

func (c *Client) chatRequest(msgs []Message, schema Schema) openai.ChatCompletionRequest {
	req := openai.ChatCompletionRequest{
		Model:    c.cfg.ChatModel,
		Messages: make([]openai.ChatCompletionMessage, len(msgs)),
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name:   schema.Name,
				Schema: schema.Schema,
				Strict: true,
			},
		},
		Temperature: temperature,
	}
	for i, m := range msgs {
		req.Messages[i] = openai.ChatCompletionMessage{Role: string(m.Role), Content: m.Content}
	}
	// Reasoning models (o1…, gpt-5…) accept only the default temperature, and go-openai refuses the
	// request before sending it; a zero Temperature is omitted from the JSON.
	if openai.NewReasoningValidator().Validate(req) != nil {
		req.Temperature = 0
	}
	return req
}
