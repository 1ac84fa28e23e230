-- Signed webhooks: managers and admins register endpoints that receive events (a session created, an
-- interview started or completed, a report ready…) as JSON signed the Standard Webhooks way. Each event
-- is stored once with its payload; each endpoint that wants it gets a delivery, sent by a River job
-- queued in the event's own transaction, retried for about a day, and every attempt is logged so the
-- owner can see why a delivery failed and send it again. An endpoint failing for a day is disabled.

-- +goose Up
CREATE TABLE webhook_endpoints (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url             text NOT NULL CHECK (length(url) <= 2000),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 200),
    events          text[] NOT NULL CHECK (cardinality(events) > 0),
    -- The signing secret (whsec_ + base64). It must be kept to sign; it is shown to its owner once, at
    -- creation, and never returned again.
    secret          text NOT NULL,
    -- When every attempt since the last success began failing; NULL while the endpoint is healthy.
    failing_since   timestamptz,
    disabled_at     timestamptz,
    disabled_reason text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_owner ON webhook_endpoints (owner_id);

CREATE TABLE webhook_events (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    type         text NOT NULL,
    interview_id uuid REFERENCES interviews (id) ON DELETE CASCADE,
    payload      jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Orders the deliveries of one endpoint: a session's events arrive in the order they happened.
    seq          bigserial NOT NULL,
    endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id     uuid NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    interview_id uuid,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts     int NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, interview_id, seq) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    id           bigserial PRIMARY KEY,
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    status_code  int NOT NULL DEFAULT 0,
    latency_ms   int NOT NULL DEFAULT 0,
    error        text NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

-- The accounts an account.blind event was sent for, while they stay blind: an account is announced
-- once when it becomes at risk of a blind handover, and again only if it recovers and falls back.
CREATE TABLE webhook_blind_accounts (
    account_id uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    noticed_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE webhook_blind_accounts;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_events;
DROP TABLE webhook_endpoints;
