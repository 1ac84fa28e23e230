-- Each account's ARR keeps the currency it was given in: a book of business may mix euros, pounds and
-- dollars, and "8.400 €" shown as "$8,400" misstates what is at stake. The ISO 4217 code; accounts
-- imported before amounts had a currency were all shown in dollars, so they keep USD.

-- +goose Up
ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$');

-- +goose Down
ALTER TABLE accounts DROP COLUMN currency;
