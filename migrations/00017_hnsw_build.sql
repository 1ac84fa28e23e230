-- The built-in embedder's HNSW index is built with ef_construction 128 instead of pgvector's default 64:
-- a better-connected graph finds more of the true nearest chunks at the same ef_search (100), which
-- matters as the corpus grows (`exitinterview bench --only search --chunks N` prints the recall against an
-- exact scan). The build costs about twice the time. Indexes of other embedding models are built with the
-- same settings (store.HNSWOptions).

-- +goose Up
DROP INDEX chunk_embeddings_offline_hash_v1_idx;
CREATE INDEX chunk_embeddings_offline_hash_v1_idx ON chunk_embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WITH (m = 16, ef_construction = 128)
    WHERE model = 'offline-hash-v1';

-- +goose Down
DROP INDEX chunk_embeddings_offline_hash_v1_idx;
CREATE INDEX chunk_embeddings_offline_hash_v1_idx ON chunk_embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'offline-hash-v1';
