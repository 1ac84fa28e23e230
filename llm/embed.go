package llm

import (
	"context"
	"fmt"

	"github.com/sashabaranov/go-openai"
)

// embedBatch is the most inputs per request; OpenAI accepts up to 2,048, local servers often fewer,
// and a smaller batch loses less to a retry.
const embedBatch = 256

// Embed returns one vector per input, in input order, sending at most 256 inputs per request. Each
// request is retried on its own.
func (c *Client) Embed(ctx context.Context, inputs []string) ([][]float32, error) {
	out := make([][]float32, 0, len(inputs))
	for start := 0; start < len(inputs); start += embedBatch {
		batch := inputs[start:min(start+embedBatch, len(inputs))]
		var vectors [][]float32
		err := c.retry(ctx, c.embedBreaker, func(ctx context.Context) error {
			resp, err := c.api.CreateEmbeddings(ctx, openai.EmbeddingRequestStrings{
				Input:      batch,
				Model:      openai.EmbeddingModel(c.cfg.EmbedModel),
				Dimensions: c.cfg.EmbedDims,
			})
			if err != nil {
				return err
			}
			vectors, err = inOrder(resp.Data, len(batch))
			return err
		})
		if err != nil {
			return nil, c.redact(fmt.Errorf("llm: embed inputs %d-%d of %d: %w", start, start+len(batch)-1, len(inputs), err))
		}
		out = append(out, vectors...)
	}
	return out, nil
}

// inOrder places the vectors by their index: the API does not promise to answer in input order.
func inOrder(data []openai.Embedding, n int) ([][]float32, error) {
	if len(data) != n {
		return nil, fmt.Errorf("%w: %d embeddings for %d inputs", ErrInvalidOutput, len(data), n)
	}
	out := make([][]float32, n)
	for _, e := range data {
		if e.Index < 0 || e.Index >= n || out[e.Index] != nil {
			return nil, fmt.Errorf("%w: embedding index %d out of range or repeated", ErrInvalidOutput, e.Index)
		}
		if len(e.Embedding) == 0 {
			return nil, fmt.Errorf("%w: empty embedding at index %d", ErrInvalidOutput, e.Index)
		}
		out[e.Index] = e.Embedding
	}
	return out, nil
}
