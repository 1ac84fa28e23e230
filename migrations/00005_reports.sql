-- Reports: every generation of an interview's knowledge-transfer report is a version. A request makes a
-- pending version and a River job in one transaction; the job writes the model (JSON), the PDF and the
-- Markdown and marks it ready. The latest ready version is served. The handover checklist lives apart,
-- keyed by the report's stable item ids, so a manager's ticks, owners and dates survive regeneration.

-- +goose Up
CREATE TABLE reports (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id  uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    version       integer NOT NULL CHECK (version > 0),
    status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
    requested_by  uuid REFERENCES users (id) ON DELETE SET NULL,
    engine        text NOT NULL DEFAULT '',
    model         jsonb,
    pdf           bytea,
    markdown      text,
    error         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    generated_at  timestamptz,
    UNIQUE (interview_id, version)
);
CREATE INDEX reports_ready_idx ON reports (interview_id, version DESC) WHERE status = 'ready';

CREATE TABLE checklist_items (
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    id           text NOT NULL,
    done         boolean NOT NULL DEFAULT false,
    owner        text NOT NULL,
    due_date     date NOT NULL,
    updated_by   uuid REFERENCES users (id) ON DELETE SET NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (interview_id, id)
);

-- +goose Down
DROP TABLE checklist_items;
DROP TABLE reports;
