-- What the product understood of each account, one fact per thing understood: the people (one row per
-- person, however often they were named), the churn risk, the renewal, the commitments and the rest,
-- derived from the findings and stored, so every output reads the same understanding. The CSM confirms,
-- corrects or withdraws facts (in the chat's read-back or the review); their decision is kept in
-- `state` and wins over any later extraction, which only updates `extracted` and `sources`.
-- A finding now carries how sure the rules (or the model) were of it.
--
-- The read-back: when the interviewer leaves an account it shows the CSM what it understood (a message of
-- kind `readback`), and the CSM's reply is a message of kind `readback` too. A question may offer
-- choices (the risk levels, when the rules are unsure of it); the CSM's reply keeps the one they chose.

-- +goose Up
ALTER TABLE findings ADD COLUMN confidence real NOT NULL DEFAULT 0 CHECK (confidence BETWEEN 0 AND 1);

CREATE TABLE facts (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    account_id   uuid REFERENCES accounts (id) ON DELETE CASCADE,
    type         text NOT NULL CHECK (type IN ('person', 'risk', 'renewal', 'commitment', 'open_issue', 'upsell',
                     'workaround', 'shadow_system', 'escalation_contact', 'decision', 'feedback', 'process')),
    -- The fact as it stands: the CSM's version once they confirmed or corrected it.
    fields       jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(fields) = 'object'),
    -- What the rules last derived (NULL for a fact the CSM added).
    extracted    jsonb CHECK (extracted IS NULL OR jsonb_typeof(extracted) = 'object'),
    -- The CSM's words it rests on.
    text         text NOT NULL DEFAULT '',
    sources      uuid[] NOT NULL DEFAULT '{}',
    confidence   real NOT NULL DEFAULT 0 CHECK (confidence BETWEEN 0 AND 1),
    -- Which account it is about is a guess (it rests on sentences that named another account too): only
    -- the session's manager sees it until the CSM says which account it is about.
    uncertain    boolean NOT NULL DEFAULT false,
    state        text NOT NULL DEFAULT 'extracted' CHECK (state IN ('extracted', 'confirmed', 'corrected', 'withdrawn')),
    position     integer NOT NULL DEFAULT 0,
    decided_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'extracted') = (decided_at IS NULL)),
    CHECK (type <> 'risk' OR coalesce(fields ->> 'level', '') IN ('', 'low', 'medium', 'high', 'critical')),
    CHECK (type <> 'person' OR coalesce(fields ->> 'relationship', '') IN ('', 'champion', 'sponsor', 'decision_maker',
        'admin', 'procurement', 'user', 'other')),
    CHECK (type <> 'person' OR coalesce(fields ->> 'status', '') IN ('', 'active', 'left', 'on_leave', 'new')),
    CHECK (type <> 'person' OR coalesce(fields ->> 'do_not_contact', '') IN ('', 'yes', 'no')),
    CHECK (coalesce(fields ->> 'due_date', '') = '' OR fields ->> 'due_date' ~ '^\d{4}-\d{2}-\d{2}$'),
    CHECK (type <> 'renewal' OR coalesce(fields ->> 'date', '') = '' OR fields ->> 'date' ~ '^\d{4}-\d{2}-\d{2}$')
);
CREATE INDEX facts_interview_idx ON facts (interview_id, account_id, type);

ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('intro', 'question', 'follow_up', 'closing', 'farewell', 'answer', 'skip', 'readback'));
ALTER TABLE messages ADD COLUMN choices jsonb CHECK (choices IS NULL OR jsonb_typeof(choices) = 'array');
ALTER TABLE messages ADD COLUMN choice text;

-- +goose Down
ALTER TABLE messages DROP COLUMN choice;
ALTER TABLE messages DROP COLUMN choices;
DELETE FROM messages WHERE kind = 'readback';
ALTER TABLE messages DROP CONSTRAINT messages_kind_check;
ALTER TABLE messages ADD CONSTRAINT messages_kind_check
    CHECK (kind IN ('intro', 'question', 'follow_up', 'closing', 'farewell', 'answer', 'skip'));
DROP TABLE facts;
ALTER TABLE findings DROP COLUMN confidence;
