package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/store"
)

// Vectors decides which embedding models vectors are made with and which one search uses. The
// configured model is the target: every chunk gets a vector of it, at capture and, for chunks captured
// before, by Backfill in the background. Until the target's vectors are complete and indexed, search uses
// the most recently completed model, whose vectors captures keep making too. Then the older models are
// retired.
type Vectors struct {
	store  *store.Store
	target embed.Embedder
	// other returns an embedder for a stored model that is not the target, or nil when this process
	// cannot make its vectors (a model of an endpoint that is no longer configured).
	other func(store.EmbeddingModel) embed.Embedder
	log   *slog.Logger

	mu       sync.Mutex
	query    embed.Embedder // nil: no usable model; search is full-text only
	queryAt  time.Time
	queryTTL time.Duration
}

// NewVectors returns the vectors of target, with other for stored models that are not the target.
func NewVectors(st *store.Store, target embed.Embedder, other func(store.EmbeddingModel) embed.Embedder, log *slog.Logger) *Vectors {
	return &Vectors{store: st, target: target, other: other, log: log, queryTTL: 10 * time.Second}
}

// Target returns the configured embedder.
func (v *Vectors) Target() embed.Embedder { return v.target }

// Register records the target model, so a new one starts building.
func (v *Vectors) Register(ctx context.Context) error {
	return v.store.RegisterEmbeddingModel(ctx, v.target.Model(), v.target.Dims())
}

// ForQuery returns the embedder search uses: the target once ready, otherwise the most recently ready
// model this process can embed with; nil when there is none (search then uses full text alone). The
// choice is cached for a few seconds.
func (v *Vectors) ForQuery(ctx context.Context) (embed.Embedder, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.queryAt.IsZero() && time.Since(v.queryAt) < v.queryTTL {
		return v.query, nil
	}
	models, err := v.store.EmbeddingModels(ctx)
	if err != nil {
		return nil, err
	}
	v.query = nil
	for _, m := range models { // the most recently ready first
		if !m.Ready {
			continue
		}
		if e := v.embedderFor(m); e != nil {
			v.query = e
			break
		}
	}
	v.queryAt = time.Now()
	return v.query, nil
}

func (v *Vectors) embedderFor(m store.EmbeddingModel) embed.Embedder {
	if m.Model == v.target.Model() {
		return v.target
	}
	if v.other == nil {
		return nil
	}
	return v.other(m)
}

// forCapture returns the embedders a capture makes vectors with: the target, and the model search uses
// when it is another one.
func (v *Vectors) forCapture(ctx context.Context) []embed.Embedder {
	out := []embed.Embedder{v.target}
	q, err := v.ForQuery(ctx)
	if err != nil {
		v.log.Warn("embedding models unknown; capturing with the configured model only", "err", err)
	}
	if q != nil && q.Model() != v.target.Model() {
		out = append(out, q)
	}
	return out
}

// backfillBatch is the chunks embedded per request and transaction.
const backfillBatch = 128

// Backfill gives chunks without a vector of the target one, a batch at a time, until none is left or
// budget has passed. When none is left it builds the target's index, makes it the model search uses and
// retires the older models. It reports whether all of that is done; run it again when not. Running it
// twice at once is safe (both write the same vectors), but wasteful: the caller runs one at a time.
func (v *Vectors) Backfill(ctx context.Context, budget time.Duration) (done bool, err error) {
	model := v.target.Model()
	if err := v.Register(ctx); err != nil {
		return false, err
	}
	deadline := time.Now().Add(budget)
	embedded := 0
	for {
		batch, err := v.store.ChunksWithoutEmbedding(ctx, model, backfillBatch)
		if err != nil {
			return false, err
		}
		if len(batch) == 0 {
			break
		}
		inputs := make([]string, len(batch))
		ids := make([]string, len(batch))
		for i, c := range batch {
			inputs[i] = embedInput(c.Context, c.Text)
			ids[i] = c.ID
		}
		vecs, err := v.target.Embed(ctx, inputs)
		if err != nil {
			return false, fmt.Errorf("re-embed with %s: %w", model, err)
		}
		if err := v.store.StoreEmbeddings(ctx, model, ids, vecs); err != nil {
			return false, err
		}
		embedded += len(batch)
		if time.Now().After(deadline) {
			v.log.Info("re-embedding continues", "model", model, "chunks", embedded)
			return false, nil
		}
	}
	models, err := v.store.EmbeddingModels(ctx)
	if err != nil {
		return false, err
	}
	var target store.EmbeddingModel
	for _, m := range models {
		if m.Model == model {
			target = m
		}
	}
	if !target.Ready {
		if target.Dims == 0 {
			// Nothing was ever embedded with it (an empty database): learn its length from one vector.
			vecs, err := v.target.Embed(ctx, []string{"exitinterview"})
			if err != nil {
				return false, fmt.Errorf("embedding model %s: %w", model, err)
			}
			if err := v.store.RecordEmbeddingDims(ctx, model, len(vecs[0])); err != nil {
				return false, err
			}
		}
		if err := v.store.EnsureEmbeddingIndex(ctx, model); err != nil {
			return false, err
		}
		if err := v.store.MarkEmbeddingModelReady(ctx, model); err != nil {
			return false, err
		}
		v.log.Info("embedding model ready; search uses it now", "model", model, "chunks_embedded", embedded)
		v.mu.Lock()
		v.queryAt = time.Time{}
		v.mu.Unlock()
	}
	for _, m := range models {
		if m.Model == model {
			continue
		}
		for {
			gone, err := v.store.RetireEmbeddingModel(ctx, m.Model, 5000)
			if err != nil {
				return false, err
			}
			if gone {
				v.log.Info("embedding model retired", "model", m.Model)
				break
			}
			if time.Now().After(deadline) {
				return false, nil
			}
		}
	}
	return true, nil
}

// embedInput is the text a chunk's vector is made from: what it answers, then what was said.
func embedInput(context, text string) string { return context + "\n" + text }
