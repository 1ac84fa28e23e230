-- Which account a sentence is about is sometimes a guess: a sentence that names two accounts, or names
-- one only to compare with it. Such chunks and findings are marked uncertain and shown to the session's
-- manager only (never to a successor, never as portfolio-wide knowledge) until the CSM says which
-- account they are about; the CSM's answer is kept in attributions, by the text it settles, so every
-- later capture of the answer files that text the same way.

-- +goose Up
ALTER TABLE chunks ADD COLUMN account_uncertain boolean NOT NULL DEFAULT false;
ALTER TABLE findings ADD COLUMN account_uncertain boolean NOT NULL DEFAULT false;

CREATE TABLE attributions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    message_id   uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    text         text NOT NULL,
    -- NULL: about no one account (portfolio-wide knowledge).
    account_id   uuid REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (message_id, text)
);

-- +goose Down
DROP TABLE attributions;
ALTER TABLE findings DROP COLUMN account_uncertain;
ALTER TABLE chunks DROP COLUMN account_uncertain;
