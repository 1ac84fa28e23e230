-- E-mail notifications: each is stored with a key that says what it is about (the invite of an
-- interview, a day's digest for a manager…), unique, so an event that happens twice queues one e-mail; a
-- River job sends it and marks it sent, and a sent e-mail is never sent again.

-- +goose Up
CREATE TABLE emails (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key        text NOT NULL UNIQUE,
    kind       text NOT NULL,
    to_address text NOT NULL,
    subject    text NOT NULL,
    text_body  text NOT NULL,
    html_body  text NOT NULL,
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    error      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);

-- +goose Down
DROP TABLE emails;
