-- The facts of a complete handover: the success plan (objectives, KPIs, QBR takeaways, the features the
-- customer values or ignores), the implementation (package, go-live, the customer's other systems), where
-- the documents live, the advocacy given and what was promised for it, and the meetings that matter with
-- what was agreed. A meeting's date, like a renewal's, is a day or nothing.

-- +goose Up
ALTER TABLE facts DROP CONSTRAINT facts_type_check;
ALTER TABLE facts ADD CONSTRAINT facts_type_check
    CHECK (type IN ('person', 'risk', 'renewal', 'commitment', 'open_issue', 'upsell', 'workaround', 'shadow_system',
        'escalation_contact', 'decision', 'feedback', 'process', 'objective', 'system', 'document', 'advocacy', 'meeting'));
ALTER TABLE facts ADD CONSTRAINT facts_meeting_date_check
    CHECK (type <> 'meeting' OR coalesce(fields ->> 'date', '') = '' OR fields ->> 'date' ~ '^\d{4}-\d{2}-\d{2}$');

-- +goose Down
DELETE FROM facts WHERE type IN ('objective', 'system', 'document', 'advocacy', 'meeting');
ALTER TABLE facts DROP CONSTRAINT facts_meeting_date_check;
ALTER TABLE facts DROP CONSTRAINT facts_type_check;
ALTER TABLE facts ADD CONSTRAINT facts_type_check
    CHECK (type IN ('person', 'risk', 'renewal', 'commitment', 'open_issue', 'upsell', 'workaround', 'shadow_system',
        'escalation_contact', 'decision', 'feedback', 'process'));
