-- What the CSM says an answer is about. The topic reader files every answer under the accounts and
-- topics its sentences speak of; on the review page the CSM can correct that filing. `filed` is NULL
-- while the reader's filing stands, and the CSM's list of {"account_id", "topic"} pairs (the portfolio's
-- topics with an empty account_id) once they corrected it: coverage, gaps, the report's transcript and
-- the passages' topics then follow it.

-- +goose Up
ALTER TABLE messages ADD COLUMN filed jsonb CHECK (filed IS NULL OR jsonb_typeof(filed) = 'array');

-- +goose Down
ALTER TABLE messages DROP COLUMN filed;
