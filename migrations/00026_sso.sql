-- Single sign-on with an OpenID Connect provider. A user signed in through the provider once is linked
-- to their identity there, (issuer, subject), so later sign-ins find them by it rather than by an e-mail
-- that the provider may let its owner change; a user has at most one identity per provider. A sign-in
-- under way keeps its state, nonce and PKCE verifier here, server-side, for minutes: the callback
-- takes its row out (so a state is used once, on whichever replica the browser comes back to), and it
-- works only in the browser that started it, whose cookie's hash is kept beside them.

-- +goose Up
CREATE TABLE sso_identities (
    issuer        text NOT NULL,
    subject       text NOT NULL,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject),
    UNIQUE (user_id, issuer)
);

CREATE TABLE sso_attempts (
    -- SHA-256 of the state sent to the provider: a database dump holds no usable state.
    state_hash   bytea PRIMARY KEY,
    browser_hash bytea NOT NULL,
    nonce        text NOT NULL,
    verifier     text NOT NULL,
    next         text NOT NULL DEFAULT '/',
    ip           text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sso_attempts_expires_at_idx ON sso_attempts (expires_at);
CREATE INDEX sso_attempts_ip_idx ON sso_attempts (ip, expires_at);

-- +goose Down
DROP TABLE sso_attempts;
DROP TABLE sso_identities;
