package embed

import (
	"context"
	"errors"
	"fmt"

	"github.com/exitinterview/exitinterview/llm"
)

// errVector marks a vector the endpoint returned that cannot be stored: of the wrong length, all zero
// or not finite. Storing it would break the column's fixed dimension or every cosine it meets.
var errVector = errors.New("unusable embedding")

// OpenAI embeds with an OpenAI-compatible endpoint through llm.Client, which batches, orders and
// retries the requests.
type OpenAI struct {
	c    *llm.Client
	dims int
}

// NewOpenAI returns an embedder for c's embedding model. dims is the model's output length (1536 for
// text-embedding-3-small), or 0 to take whatever length the model returns (the store then holds every
// later vector to the first one's length); a vector of another length is an error rather than silently
// stored, because pgvector indexes one length per model. It panics on a nil client or a negative dims,
// which are wiring mistakes, not run-time conditions.
func NewOpenAI(c *llm.Client, dims int) *OpenAI {
	if c == nil {
		panic("embed: NewOpenAI with a nil llm.Client")
	}
	if dims < 0 {
		panic(fmt.Sprintf("embed: NewOpenAI with dims %d", dims))
	}
	return &OpenAI{c: c, dims: dims}
}

// Model returns the endpoint's embedding model (or Azure deployment) name.
func (o *OpenAI) Model() string { return o.c.EmbedModel() }

// Dims returns the length of every vector, 0 when it is the model's own, not known in advance.
func (o *OpenAI) Dims() int { return o.dims }

// Embed returns one unit vector per text, in order. The vectors are re-normalised: OpenAI's are unit
// length already, but other compatible servers (Ollama, vLLM with some models) return raw ones, and
// the store relies on unit vectors. No text means no request.
func (o *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	if len(texts) == 0 {
		return [][]float32{}, nil
	}
	vectors, err := o.c.Embed(ctx, texts)
	if err != nil {
		return nil, fmt.Errorf("embed: %s: %w", o.Model(), err)
	}
	if len(vectors) != len(texts) {
		return nil, fmt.Errorf("embed: %s: %w: %d vectors for %d texts", o.Model(), errVector, len(vectors), len(texts))
	}
	for i, v := range vectors {
		if want := o.dims; (want > 0 && len(v) != want) || len(v) != len(vectors[0]) {
			return nil, fmt.Errorf("embed: %s: %w: text %d got %d dimensions, want %d", o.Model(), errVector, i, len(v), max(want, len(vectors[0])))
		}
		if !normalize(v) {
			return nil, fmt.Errorf("embed: %s: %w: text %d got a zero or non-finite vector", o.Model(), errVector, i)
		}
	}
	return vectors, nil
}
