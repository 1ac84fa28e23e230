-- When an answer's capture was first stored (it became searchable), and which answers a report version
-- could not include because their capture had not completed when it was built: a report built under
-- load says it is incomplete, and is rebuilt once those captures complete.

-- +goose Up
ALTER TABLE messages ADD COLUMN captured_at timestamptz;
-- Answers stored before this column existed are taken as captured: nearly all were, and one whose capture
-- job is still queued is captured when it runs (only a report built in between would not flag it).
UPDATE messages SET captured_at = created_at WHERE role = 'csm' AND kind = 'answer';
CREATE INDEX messages_uncaptured_idx ON messages (interview_id) WHERE captured_at IS NULL AND role = 'csm' AND kind = 'answer';
ALTER TABLE reports ADD COLUMN incomplete uuid[] NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE reports DROP COLUMN incomplete;
DROP INDEX messages_uncaptured_idx;
ALTER TABLE messages DROP COLUMN captured_at;
