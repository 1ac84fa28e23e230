// Package embed turns chunks of interview answers, and the questions successors ask about them, into
// vectors for pgvector's cosine search. Offline is the default: it needs no model files and no network,
// so a fresh install searches meaningfully at once; OpenAI uses any OpenAI-compatible endpoint when an
// operator configures one. Every vector is L2-normalised, so cosine distance and inner product agree.
package embed

import (
	"context"
	"math"
)

// Embedder turns texts into vectors. Implementations are safe for concurrent use.
type Embedder interface {
	// Model names the model; it is stored with every vector, and a change of model re-embeds.
	Model() string
	// Dims is the length of every vector.
	Dims() int
	// Embed returns one L2-normalised vector per text, in order.
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

var (
	_ Embedder = (*Offline)(nil)
	_ Embedder = (*OpenAI)(nil)
)

// normalize scales v to unit length in place. It reports false, leaving v alone, when v has no
// direction (all zero) or holds NaN or ±Inf: such a vector would poison every cosine it takes part in.
func normalize(v []float32) bool {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return false
	}
	inv := 1 / math.Sqrt(sum)
	for i, x := range v {
		v[i] = float32(float64(x) * inv)
	}
	return true
}
