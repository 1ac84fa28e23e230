-- Evidence a departing CSM attaches to the interview (a QBR deck, a spreadsheet of renewals, meeting
-- notes): the original file is kept here with its SHA-256, belongs to an account of the session (or, with
-- no account, to the whole portfolio) and, once read, its text becomes passages in chunks like an
-- answer's, each citing its place in the file ("page 3", "sheet Renewals"). A passage comes either from an
-- answer (message_id) or from a file (attachment_id); deleting the file deletes its passages and their
-- vectors. A file that cannot be read is kept, marked unreadable, with the reason.

-- +goose Up
CREATE TABLE attachments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    -- NULL: about the whole portfolio.
    account_id   uuid REFERENCES accounts (id) ON DELETE CASCADE,
    -- The answer it was attached to, if any.
    message_id   uuid REFERENCES messages (id) ON DELETE SET NULL,
    name         text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 255),
    kind         text NOT NULL,
    mime         text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content      bytea NOT NULL,
    state        text NOT NULL DEFAULT 'reading' CHECK (state IN ('reading', 'ready', 'unreadable')),
    reason       text NOT NULL DEFAULT '',
    -- Pages, sheets or slides read (0: a file read as one piece).
    units        integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Who attached it: the CSM's name, as the interview knows them.
    created_by   text NOT NULL DEFAULT ''
);
CREATE INDEX attachments_interview_id_idx ON attachments (interview_id, created_at);
CREATE INDEX attachments_account_id_idx ON attachments (account_id);
-- The same file attached twice for the same account of a session is one attachment.
CREATE UNIQUE INDEX attachments_same_file_idx ON attachments (interview_id, coalesce(account_id, '00000000-0000-0000-0000-000000000000'::uuid), sha256);

ALTER TABLE chunks ALTER COLUMN message_id DROP NOT NULL;
ALTER TABLE chunks ADD COLUMN attachment_id uuid REFERENCES attachments (id) ON DELETE CASCADE;
-- Where in the file the passage is: "page 3", "sheet Renewals", "slide 4"; '' for an answer or a file read
-- as one piece.
ALTER TABLE chunks ADD COLUMN location text NOT NULL DEFAULT '';
ALTER TABLE chunks ADD CONSTRAINT chunks_source_check CHECK (num_nonnulls(message_id, attachment_id) = 1);
ALTER TABLE chunks ADD CONSTRAINT chunks_attachment_position_key UNIQUE (attachment_id, position);

-- +goose Down
ALTER TABLE chunks DROP CONSTRAINT chunks_attachment_position_key;
ALTER TABLE chunks DROP CONSTRAINT chunks_source_check;
DELETE FROM chunks WHERE message_id IS NULL;
ALTER TABLE chunks DROP COLUMN location;
ALTER TABLE chunks DROP COLUMN attachment_id;
ALTER TABLE chunks ALTER COLUMN message_id SET NOT NULL;
DROP TABLE attachments;
