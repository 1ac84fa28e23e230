-- +goose Up
-- What reading a file removed from its passages (credentials, personal remarks): when anything was, the
-- original is served to the session's manager, admins and the CSM only; successors read the passages.
ALTER TABLE attachments ADD COLUMN withheld text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE attachments DROP COLUMN withheld;
