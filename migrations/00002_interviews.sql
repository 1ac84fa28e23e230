-- Why: the interview itself (a session, its plan and its turns). A manager's knowledge-transfer session with the
-- departing CSM's book of business, the invite links that let the CSM in (hashed, revocable, expiring), the
-- transcript (every message durable the moment it is sent, numbered per interview for citations) and the
-- coverage of every (account, topic) pair of the plan. Portfolio-wide topics have no account.

-- +goose Up
CREATE TABLE interviews (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    manager_id          uuid NOT NULL REFERENCES users (id),
    csm_name            text NOT NULL CHECK (btrim(csm_name) <> '' AND length(csm_name) <= 200),
    csm_email           text NOT NULL DEFAULT '',
    departure_date      date NOT NULL,
    status              text NOT NULL DEFAULT 'invited'
                        CHECK (status IN ('invited', 'in_progress', 'completed', 'handed_over')),
    time_budget_minutes integer NOT NULL DEFAULT 60 CHECK (time_budget_minutes BETWEEN 10 AND 600),
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    finished_at         timestamptz
);
CREATE INDEX interviews_manager_id_idx ON interviews (manager_id);

CREATE TABLE accounts (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id         uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    -- Order in the interview plan: highest risk and value first.
    position             integer NOT NULL,
    name                 text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    arr                  numeric(16, 2) CHECK (arr >= 0),
    renewal_date         date,
    segment              text NOT NULL DEFAULT '',
    crm_id               text NOT NULL DEFAULT '',
    crm_health           text NOT NULL DEFAULT '',
    crm_last_contact     date,
    crm_open_opportunity text NOT NULL DEFAULT '',
    crm_notes            text NOT NULL DEFAULT '',
    successor_id         uuid REFERENCES users (id) ON DELETE SET NULL,
    -- Deep accounts get a question per topic and follow-ups; the rest, within the time budget, fewer and
    -- broader questions. Nothing is dropped: what is not covered stays a gap.
    depth                text NOT NULL DEFAULT 'deep' CHECK (depth IN ('deep', 'brief')),
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_interview_name_idx ON accounts (interview_id, lower(name));
CREATE INDEX accounts_successor_id_idx ON accounts (successor_id);

CREATE TABLE invites (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX invites_interview_id_idx ON invites (interview_id);

CREATE TABLE messages (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id   uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    -- 1, 2, 3… per interview: the number a report cites.
    seq            integer NOT NULL,
    role           text NOT NULL CHECK (role IN ('interviewer', 'csm')),
    content        text NOT NULL,
    -- Interviewer: intro, question, follow_up, closing, farewell. CSM: answer, skip.
    kind           text NOT NULL CHECK (kind IN ('intro', 'question', 'follow_up', 'closing', 'farewell', 'answer', 'skip')),
    account_id     uuid REFERENCES accounts (id) ON DELETE SET NULL,
    topics         text[] NOT NULL DEFAULT '{}',
    -- The CSM's idempotency key: a resend with the same client_id is the same message.
    client_id      text,
    -- For a CSM message: the interviewer message it answers.
    reply_to       uuid REFERENCES messages (id),
    -- For an interviewer message: what produced it.
    engine         text NOT NULL DEFAULT '',
    model          text NOT NULL DEFAULT '',
    prompt_version text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (interview_id, seq)
);
CREATE UNIQUE INDEX messages_client_id_idx ON messages (interview_id, client_id) WHERE client_id IS NOT NULL;

CREATE TABLE coverage (
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    account_id   uuid REFERENCES accounts (id) ON DELETE CASCADE,
    topic        text NOT NULL,
    state        text NOT NULL DEFAULT 'missing' CHECK (state IN ('missing', 'partial', 'covered', 'skipped')),
    -- How often it was asked directly and in follow-ups: the plan stops at its limits.
    asked        integer NOT NULL DEFAULT 0,
    follow_ups   integer NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (interview_id, account_id, topic)
);

-- +goose Down
DROP TABLE coverage;
DROP TABLE messages;
DROP TABLE invites;
DROP TABLE accounts;
DROP TABLE interviews;
