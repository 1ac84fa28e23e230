package store

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// EmbeddingModel is a model whose vectors are (or are being) stored. Dims is 0 until the model's first
// vector was seen.
type EmbeddingModel struct {
	Model   string
	Dims    int
	Ready   bool
	ReadyAt time.Time
	// RequestedDims is the length asked of the endpoint (0: the model's own).
	RequestedDims int
}

// maxVectorDims is the most dimensions pgvector's HNSW indexes on vector; longer vectors are indexed as
// halfvec (up to 4,000).
const (
	maxVectorDims  = 2000
	maxHalfvecDims = 4000
)

// vectorCast is the type a model's vectors are cast to in its index and in every query on it.
func vectorCast(dims int) string {
	if dims > maxVectorDims {
		return fmt.Sprintf("halfvec(%d)", dims)
	}
	return fmt.Sprintf("vector(%d)", dims)
}

func checkModel(model string) error {
	if !modelName.MatchString(model) {
		return fmt.Errorf("unusable embedding model name %q (letters, digits and ._:/- only)", model)
	}
	return nil
}

// RegisterEmbeddingModel records model as the one every chunk should have a vector of: a new model
// starts 'building'. Registering a known model changes nothing.
func (s *Store) RegisterEmbeddingModel(ctx context.Context, model string, requestedDims int) error {
	if err := checkModel(model); err != nil {
		return err
	}
	if _, err := s.q.Exec(ctx, `INSERT INTO embedding_models (model, requested_dims) VALUES ($1, $2) ON CONFLICT (model) DO NOTHING`,
		model, requestedDims); err != nil {
		return fmt.Errorf("register embedding model %s: %w", model, err)
	}
	return nil
}

// EmbeddingModels returns the stored models, the most recently ready first, building ones last.
func (s *Store) EmbeddingModels(ctx context.Context) ([]EmbeddingModel, error) {
	rows, err := s.q.Query(ctx, `SELECT model, coalesce(dims, 0), state = 'ready', coalesce(ready_at, 'epoch'), requested_dims
FROM embedding_models ORDER BY ready_at DESC NULLS LAST, created_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("embedding models: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (EmbeddingModel, error) {
		var m EmbeddingModel
		err := r.Scan(&m.Model, &m.Dims, &m.Ready, &m.ReadyAt, &m.RequestedDims)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("embedding models: %w", err)
	}
	return out, nil
}

// ChunkText is what a chunk's vector is computed from.
type ChunkText struct {
	ID      string
	Context string
	Text    string
}

// ChunksWithoutEmbedding returns up to limit chunks that have no vector of model yet, oldest first.
func (s *Store) ChunksWithoutEmbedding(ctx context.Context, model string, limit int) ([]ChunkText, error) {
	rows, err := s.q.Query(ctx, `
SELECT c.id::text, c.context, c.text FROM chunks c
WHERE NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.model = $1)
ORDER BY c.created_at, c.id LIMIT $2`, model, limit)
	if err != nil {
		return nil, fmt.Errorf("chunks without %s vectors: %w", model, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ChunkText, error) {
		var c ChunkText
		err := r.Scan(&c.ID, &c.Context, &c.Text)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("chunks without %s vectors: %w", model, err)
	}
	return out, nil
}

// ErrDims is returned when a model's vectors change length: one model has one index of one length.
var ErrDims = errors.New("embedding length differs from the model's recorded length")

// StoreEmbeddings stores vectors of model for the given chunks (a chunk deleted meanwhile is skipped),
// recording the model's length with its first vectors.
func (s *Store) StoreEmbeddings(ctx context.Context, model string, chunkIDs []string, vecs [][]float32) error {
	if len(chunkIDs) != len(vecs) {
		return fmt.Errorf("store embeddings: %d vectors for %d chunks", len(vecs), len(chunkIDs))
	}
	if len(vecs) == 0 {
		return nil
	}
	return s.Transact(ctx, func(tx *Store) error {
		if err := tx.recordDims(ctx, model, len(vecs[0])); err != nil {
			return err
		}
		batch := &pgx.Batch{}
		for i, id := range chunkIDs {
			if len(vecs[i]) != len(vecs[0]) {
				return fmt.Errorf("store embeddings of %s: %w", model, ErrDims)
			}
			batch.Queue(`INSERT INTO chunk_embeddings (chunk_id, model, embedding, account_id)
SELECT id, $2, $3, account_id FROM chunks WHERE id = $1
ON CONFLICT (chunk_id, model) DO UPDATE SET embedding = excluded.embedding`, id, model, pgvector.NewVector(vecs[i]))
		}
		if err := tx.q.SendBatch(ctx, batch).Close(); err != nil {
			return fmt.Errorf("store embeddings of %s: %w", model, err)
		}
		return nil
	})
}

// RecordEmbeddingDims records the length of a model's vectors, learned before any were stored.
func (s *Store) RecordEmbeddingDims(ctx context.Context, model string, dims int) error {
	return s.recordDims(ctx, model, dims)
}

// recordDims sets the model's length the first time and checks it afterwards. A model not registered
// yet (a capture racing a configuration change) is registered.
func (tx *Store) recordDims(ctx context.Context, model string, dims int) error {
	if err := checkModel(model); err != nil {
		return err
	}
	if dims <= 0 || dims > maxHalfvecDims {
		return fmt.Errorf("embedding model %s: %d dimensions; pgvector indexes at most %d", model, dims, maxHalfvecDims)
	}
	var stored int
	// Read first: the common case writes nothing, so concurrent captures do not queue on the row.
	err := tx.q.QueryRow(ctx, `SELECT coalesce(dims, 0) FROM embedding_models WHERE model = $1`, model).Scan(&stored)
	if err == nil && stored == dims {
		return nil
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("record dimensions of %s: %w", model, err)
	}
	err = tx.q.QueryRow(ctx, `
INSERT INTO embedding_models (model, dims) VALUES ($1, $2)
ON CONFLICT (model) DO UPDATE SET dims = coalesce(embedding_models.dims, excluded.dims)
RETURNING dims`, model, dims).Scan(&stored)
	if err != nil {
		return fmt.Errorf("record dimensions of %s: %w", model, err)
	}
	if stored != dims {
		return fmt.Errorf("embedding model %s: %w (%d, recorded %d)", model, ErrDims, dims, stored)
	}
	return nil
}

// embeddingIndexName is the partial index of a model: readable, and unique by a hash of the exact name.
func embeddingIndexName(model string) string {
	h := fnv.New32a()
	h.Write([]byte(model))
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return '_'
	}, model)
	if len(clean) > 30 {
		clean = clean[:30]
	}
	return fmt.Sprintf("chunk_embeddings_%s_%08x_idx", clean, h.Sum32())
}

// EnsureEmbeddingIndex builds the model's partial HNSW index (cosine, on a cast to its length) unless a
// valid one exists, without locking out writes (CREATE INDEX CONCURRENTLY). An invalid index left by an
// interrupted build is dropped and built again. It needs the model's length recorded.
func (s *Store) EnsureEmbeddingIndex(ctx context.Context, model string) error {
	if err := checkModel(model); err != nil {
		return err
	}
	var dims int
	if err := s.q.QueryRow(ctx, `SELECT coalesce(dims, 0) FROM embedding_models WHERE model = $1`, model).Scan(&dims); err != nil {
		return fmt.Errorf("index of %s: %w", model, notFound(err))
	}
	if dims == 0 {
		return fmt.Errorf("index of %s: its length is not known yet", model)
	}
	found, err := s.embeddingIndexes(ctx, model)
	if err != nil {
		return err
	}
	for _, i := range found {
		if i.valid {
			return nil
		}
		if _, err := s.q.Exec(ctx, `DROP INDEX CONCURRENTLY IF EXISTS `+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return fmt.Errorf("drop the invalid index of %s: %w", model, err)
		}
	}
	cast := vectorCast(dims)
	ops := "vector_cosine_ops"
	if strings.HasPrefix(cast, "halfvec") {
		ops = "halfvec_cosine_ops"
	}
	sql := fmt.Sprintf(`CREATE INDEX CONCURRENTLY IF NOT EXISTS %s ON chunk_embeddings USING hnsw ((embedding::%s) %s) %s WHERE model = '%s'`,
		pgx.Identifier{embeddingIndexName(model)}.Sanitize(), cast, ops, HNSWOptions, model)
	if _, err := s.q.Exec(ctx, sql); err != nil {
		return fmt.Errorf("build the index of %s: %w", model, err)
	}
	return nil
}

// HNSWOptions are the HNSW build settings of every embedding index: pgvector's m with twice its
// ef_construction, a better-connected graph for the same ef_search (see the bench's recall figures).
const HNSWOptions = "WITH (m = 16, ef_construction = 128)"

type embeddingIndex struct {
	name  string
	valid bool
}

// embeddingIndexes returns the partial indexes of chunk_embeddings for model, found by their predicate.
func (s *Store) embeddingIndexes(ctx context.Context, model string) ([]embeddingIndex, error) {
	rows, err := s.q.Query(ctx, `
SELECT c.relname, x.indisvalid FROM pg_index x
JOIN pg_class c ON c.oid = x.indexrelid
WHERE x.indrelid = 'chunk_embeddings'::regclass AND pg_get_expr(x.indpred, x.indrelid) = $1`,
		fmt.Sprintf("(model = '%s'::text)", model))
	if err != nil {
		return nil, fmt.Errorf("indexes of %s: %w", model, err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (embeddingIndex, error) {
		var i embeddingIndex
		err := r.Scan(&i.name, &i.valid)
		return i, err
	})
	if err != nil {
		return nil, fmt.Errorf("indexes of %s: %w", model, err)
	}
	return found, nil
}

// MarkEmbeddingModelReady makes model the one search uses.
func (s *Store) MarkEmbeddingModelReady(ctx context.Context, model string) error {
	if _, err := s.q.Exec(ctx, `UPDATE embedding_models SET state = 'ready', ready_at = now() WHERE model = $1 AND state <> 'ready'`, model); err != nil {
		return fmt.Errorf("mark %s ready: %w", model, err)
	}
	return nil
}

// RetireEmbeddingModel deletes a model's vectors, its index and its record, a batch of rows at a time so
// no long transaction holds the table. It reports whether the model is gone.
func (s *Store) RetireEmbeddingModel(ctx context.Context, model string, batch int) (bool, error) {
	if err := checkModel(model); err != nil {
		return false, err
	}
	tag, err := s.q.Exec(ctx, `DELETE FROM chunk_embeddings WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM chunk_embeddings WHERE model = $1 LIMIT $2))`, model, batch)
	if err != nil {
		return false, fmt.Errorf("retire %s: %w", model, err)
	}
	if tag.RowsAffected() > 0 {
		return false, nil
	}
	found, err := s.embeddingIndexes(ctx, model)
	if err != nil {
		return false, err
	}
	for _, i := range found {
		if _, err := s.q.Exec(ctx, `DROP INDEX CONCURRENTLY IF EXISTS `+pgx.Identifier{i.name}.Sanitize()); err != nil {
			return false, fmt.Errorf("retire %s: drop its index: %w", model, err)
		}
	}
	if _, err := s.q.Exec(ctx, `DELETE FROM embedding_models WHERE model = $1`, model); err != nil {
		return false, fmt.Errorf("retire %s: %w", model, err)
	}
	return true, nil
}
