-- Approval before successors see: a manager may require, per session, that successors see what was
-- captured about an account (or the portfolio) only once the CSM has approved it in their review.

-- +goose Up
ALTER TABLE interviews ADD COLUMN successors_after_approval boolean NOT NULL DEFAULT false;
ALTER TABLE interviews ADD COLUMN portfolio_approved_at timestamptz;
ALTER TABLE accounts ADD COLUMN approved_at timestamptz;

-- +goose Down
ALTER TABLE accounts DROP COLUMN approved_at;
ALTER TABLE interviews DROP COLUMN portfolio_approved_at;
ALTER TABLE interviews DROP COLUMN successors_after_approval;
