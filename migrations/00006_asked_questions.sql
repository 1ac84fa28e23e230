-- Questions back to the CSM: a manager (or a successor, for their accounts) asks; the question joins the
-- CSM's interview as the next question after the one they are answering (or reopens a finished one), and
-- its answer is captured like any other. messages.asked_question_id ties the posed question to it.

-- +goose Up
CREATE TABLE asked_questions (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    interview_id        uuid NOT NULL REFERENCES interviews (id) ON DELETE CASCADE,
    account_id          uuid REFERENCES accounts (id) ON DELETE CASCADE,
    asked_by            uuid REFERENCES users (id) ON DELETE SET NULL,
    asked_from          text NOT NULL CHECK (asked_from IN ('manager', 'successor')),
    text                text NOT NULL,
    status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'asked', 'answered', 'skipped')),
    question_message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
    answer_message_id   uuid REFERENCES messages (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    answered_at         timestamptz
);
CREATE INDEX asked_questions_interview_idx ON asked_questions (interview_id, created_at);

ALTER TABLE messages ADD COLUMN asked_question_id uuid REFERENCES asked_questions (id) ON DELETE SET NULL;
ALTER TABLE messages ADD COLUMN asked_from text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE messages DROP COLUMN asked_from;
ALTER TABLE messages DROP COLUMN asked_question_id;
DROP TABLE asked_questions;
