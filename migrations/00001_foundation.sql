-- Why: the foundation every later capability needs: who may log in and with which role (users), how
-- programs authenticate (personal API tokens, stored hashed), how browsers stay logged in (server-side
-- sessions, stored hashed, so a database dump holds no usable cookie), failed logins for rate limiting
-- shared by every replica, and an audit log of security-relevant actions. pgvector is enabled here so
-- later migrations can rely on it.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL UNIQUE
                  CHECK (email = lower(btrim(email)) AND email LIKE '_%@_%' AND length(email) <= 254),
    name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    role          text NOT NULL CHECK (role IN ('admin', 'manager', 'successor')),
    -- NULL: the user cannot log in with a password (only with an API token, or not at all).
    password_hash text,
    disabled_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    -- SHA-256 of the token: tokens are 256-bit random secrets, so a fast hash is enough.
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id);

CREATE TABLE browser_sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- Absolute end of the session; the idle timeout is checked against last_seen_at.
    expires_at   timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX browser_sessions_user_id_idx ON browser_sessions (user_id);
CREATE INDEX browser_sessions_expires_at_idx ON browser_sessions (expires_at);

CREATE TABLE login_failures (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text NOT NULL,
    ip           text NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, attempted_at);
CREATE INDEX login_failures_ip_idx ON login_failures (ip, attempted_at);

CREATE TABLE audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    action        text NOT NULL,
    subject       text NOT NULL DEFAULT '',
    ip            text NOT NULL DEFAULT '',
    details       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE browser_sessions;
DROP TABLE api_tokens;
DROP TABLE users;
