-- A handover can be undone for a while, so a manager who marked the wrong session, or too early, gets
-- it back as it was: when it was handed over and the status it had are kept, and the invite links the
-- handover revoked are marked, so an undo reopens exactly those. A manager can also send the CSM a
-- reminder by hand; when the last one went is kept so reminders are limited to one an hour.

-- +goose Up
ALTER TABLE interviews ADD COLUMN handed_over_at timestamptz;
ALTER TABLE interviews ADD COLUMN status_before_handover text
    CHECK (status_before_handover IS NULL OR status_before_handover IN ('invited', 'in_progress', 'completed'));
ALTER TABLE interviews ADD COLUMN reminded_at timestamptz;
ALTER TABLE invites ADD COLUMN revoked_by_handover boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE invites DROP COLUMN revoked_by_handover;
ALTER TABLE interviews DROP COLUMN reminded_at;
ALTER TABLE interviews DROP COLUMN status_before_handover;
ALTER TABLE interviews DROP COLUMN handed_over_at;
