package llmtest

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/sashabaranov/go-openai"
)

// Request is what the fake received, decoded.
type Request struct {
	Path       string      // "/v1/chat/completions", "/v1/embeddings" or the Azure deployment path
	Query      url.Values  // Azure's api-version travels here
	Deployment string      // the Azure deployment name; empty for OpenAI-style paths
	Header     http.Header // as received, authorization included
	Chat       *openai.ChatCompletionRequest
	// Embed has Input decoded as a string or a []string.
	Embed *openai.EmbeddingRequest
}

// LastUserMessage returns the content of the last user message of a chat request.
func (r Request) LastUserMessage() string {
	if r.Chat == nil {
		return ""
	}
	for i := len(r.Chat.Messages) - 1; i >= 0; i-- {
		if m := r.Chat.Messages[i]; m.Role == openai.ChatMessageRoleUser {
			return m.Content
		}
	}
	return ""
}

// SchemaName returns the name of the JSON schema the chat request asked for, if any.
func (r Request) SchemaName() string {
	if r.Chat == nil || r.Chat.ResponseFormat == nil || r.Chat.ResponseFormat.JSONSchema == nil {
		return ""
	}
	return r.Chat.ResponseFormat.JSONSchema.Name
}

// Inputs returns the texts of an embeddings request, whichever shape the input had.
func (r Request) Inputs() []string {
	if r.Embed == nil {
		return nil
	}
	switch in := r.Embed.Input.(type) {
	case string:
		return []string{in}
	case []string:
		return in
	}
	return nil
}

// Vector is the embedding the fake returns for text by default: 8 dimensions derived from a hash of
// the text, normalised to length 1, so equal texts get equal vectors and tests can compare.
func Vector(text string) []float32 {
	sum := sha256.Sum256([]byte(text))
	v := make([]float32, 8)
	var norm float64
	for i := range v {
		x := float64(int32(binary.BigEndian.Uint32(sum[i*4:]))) / math.MaxInt32
		v[i] = float32(x)
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for i := range v {
		v[i] = float32(float64(v[i]) / norm)
	}
	return v
}

func decode(r *http.Request) (Request, error) {
	req := Request{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()}
	if r.Method != http.MethodPost {
		return req, fmt.Errorf("method %s, want POST", r.Method)
	}
	endpoint := r.URL.Path
	if rest, ok := strings.CutPrefix(r.URL.Path, "/openai/deployments/"); ok {
		name, tail, found := strings.Cut(rest, "/")
		if !found || name == "" {
			return req, fmt.Errorf("malformed Azure path %q", r.URL.Path)
		}
		if req.Query.Get("api-version") == "" {
			return req, fmt.Errorf("Azure path %q without api-version", r.URL.Path)
		}
		req.Deployment, endpoint = name, "/v1/"+tail
	}
	dec := json.NewDecoder(r.Body)
	switch endpoint {
	case "/v1/chat/completions":
		req.Chat = new(openai.ChatCompletionRequest)
		if err := dec.Decode(req.Chat); err != nil {
			return req, fmt.Errorf("decode chat request: %w", err)
		}
	case "/v1/embeddings":
		var body struct {
			openai.EmbeddingRequest
			Input json.RawMessage `json:"input"`
		}
		if err := dec.Decode(&body); err != nil {
			return req, fmt.Errorf("decode embeddings request: %w", err)
		}
		var one string
		var many []string
		if err := json.Unmarshal(body.Input, &one); err == nil {
			body.EmbeddingRequest.Input = one
		} else if err := json.Unmarshal(body.Input, &many); err == nil {
			body.EmbeddingRequest.Input = many
		} else {
			return req, fmt.Errorf("embeddings input is neither a string nor a list of strings: %s", body.Input)
		}
		req.Embed = &body.EmbeddingRequest
	default:
		return req, fmt.Errorf("unknown endpoint %q", r.URL.Path)
	}
	return req, nil
}
