-- The CSM's corrections of what was captured from them. The transcript keeps what they said; a
-- correction replaces (or, withdrawn, removes) one statement of an answer in what is captured from it, so
-- search, ask and the next report use the corrected words, and the history stays here.

-- +goose Up
CREATE TABLE corrections (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    message_id   uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    original     text NOT NULL,
    corrected    text NOT NULL DEFAULT '',
    withdrawn    boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX corrections_message_idx ON corrections (message_id, created_at);

-- +goose Down
DROP TABLE corrections;
