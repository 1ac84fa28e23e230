-- Each vector carries its chunk's account, with an index on (model, account_id): a search within one
-- account then reads that account's vectors and orders them exactly, rather than walking the HNSW graph
-- past every other account's chunks (at a million chunks over 200 accounts, one in 200 passes the
-- filter). The account is the chunk's: chunks are written with their account and a capture replaces
-- them rather than moving them, and should one be moved the trigger below moves its vectors with it.
-- The chunks' topics get an index too, so that a search within the passages filed under a topic (what an
-- intent is asked of: "who signs" of the stakeholders) reads only those among the full-text matches.

-- +goose Up
ALTER TABLE chunk_embeddings ADD COLUMN account_id uuid;
UPDATE chunk_embeddings e SET account_id = c.account_id FROM chunks c WHERE c.id = e.chunk_id AND c.account_id IS NOT NULL;
CREATE INDEX chunk_embeddings_model_account_idx ON chunk_embeddings (model, account_id);
CREATE INDEX chunks_topics_idx ON chunks USING gin (topics);

-- +goose StatementBegin
CREATE FUNCTION chunk_embeddings_follow_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE chunk_embeddings SET account_id = NEW.account_id WHERE chunk_id = NEW.id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER chunks_account_moved AFTER UPDATE OF account_id ON chunks
    FOR EACH ROW WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id) EXECUTE FUNCTION chunk_embeddings_follow_account();

-- +goose Down
DROP TRIGGER chunks_account_moved ON chunks;
DROP FUNCTION chunk_embeddings_follow_account();
DROP INDEX chunks_topics_idx;
DROP INDEX chunk_embeddings_model_account_idx;
ALTER TABLE chunk_embeddings DROP COLUMN account_id;
