-- The length a model's vectors were asked for (text-embedding-3 models shorten theirs on request), so
-- queries to a previous model ask for the same length while a new model is built; 0: its own length.

-- +goose Up
ALTER TABLE embedding_models ADD COLUMN requested_dims integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE embedding_models DROP COLUMN requested_dims;
