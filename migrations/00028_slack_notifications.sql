-- Slack: a manager can have their notifications (the daily digest, an account at risk of a blind
-- handover, a report ready, a question answered) posted to a Slack channel through an incoming-webhook
-- URL, instead of the e-mail digest or beside it. The URL is a secret (anyone holding it can post to the
-- channel): it is shown masked once saved. Each message is stored under a key that makes it unique, like
-- the e-mails, and a River job posts it, retried for about a day.

-- +goose Up
CREATE TABLE slack_settings (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    webhook_url text NOT NULL CHECK (length(webhook_url) <= 2000),
    -- false: Slack instead of the e-mail digest; true: both.
    email_too   boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE slack_messages (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key        text NOT NULL UNIQUE,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    payload    jsonb NOT NULL,
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   int NOT NULL DEFAULT 0,
    error      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);

-- +goose Down
DROP TABLE slack_messages;
DROP TABLE slack_settings;
