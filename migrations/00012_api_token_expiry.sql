-- Every personal API token now has an expiry, so a token forgotten in a script stops working on its own.
-- Tokens made before tokens had one (expires_at NULL, never expiring) get 90 days from this upgrade:
-- long enough for their owners to notice on the API tokens page and replace them, rather than breaking
-- every integration at once on upgrade.

-- +goose Up
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;

-- +goose Down
ALTER TABLE api_tokens ALTER COLUMN expires_at DROP NOT NULL;
