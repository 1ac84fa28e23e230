-- Embedding models: which vectors exist and which one search uses. A configured model starts as
-- 'building' while a background job embeds every chunk with it and builds its partial HNSW index; search
-- keeps using the newest 'ready' model until then, and older models are retired (their vectors deleted,
-- their index dropped) once the new one is ready. dims is learned from the model's first vector.

-- +goose Up
CREATE TABLE embedding_models (
    model      text PRIMARY KEY,
    dims       integer CHECK (dims > 0),
    state      text NOT NULL DEFAULT 'building' CHECK (state IN ('building', 'ready')),
    created_at timestamptz NOT NULL DEFAULT now(),
    ready_at   timestamptz
);
-- Everything captured so far was embedded by the offline embedder, whose index 00003 created.
INSERT INTO embedding_models (model, dims, state, ready_at) VALUES ('offline-hash-v1', 384, 'ready', now());

-- +goose Down
DROP TABLE embedding_models;
