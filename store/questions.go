package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AskedQuestion is a question a manager or successor asked the departing CSM.
type AskedQuestion struct {
	ID                string
	InterviewID       string
	AccountID         string // "" for a portfolio-wide question
	AccountName       string
	AskedBy           string
	AskedByName       string
	From              string // manager or successor
	Text              string
	Status            string // open (waiting to be posed), asked, answered, skipped
	QuestionMessageID string
	AnswerMessageID   string
	Answer            string // the CSM's answer, once given
	CreatedAt         time.Time
	AnsweredAt        *time.Time
}

const askedColumns = `q.id, q.interview_id, coalesce(q.account_id::text, ''), coalesce(a.name, ''), coalesce(q.asked_by::text, ''), coalesce(u.name, ''),
q.asked_from, q.text, q.status, coalesce(q.question_message_id::text, ''), coalesce(q.answer_message_id::text, ''),
coalesce(m.content, ''), q.created_at, q.answered_at`

const askedFrom = ` FROM asked_questions q LEFT JOIN accounts a ON a.id = q.account_id LEFT JOIN messages m ON m.id = q.answer_message_id
LEFT JOIN users u ON u.id = q.asked_by`

func scanAsked(r pgx.CollectableRow) (AskedQuestion, error) {
	var q AskedQuestion
	err := r.Scan(&q.ID, &q.InterviewID, &q.AccountID, &q.AccountName, &q.AskedBy, &q.AskedByName, &q.From, &q.Text, &q.Status,
		&q.QuestionMessageID, &q.AnswerMessageID, &q.Answer, &q.CreatedAt, &q.AnsweredAt)
	return q, err
}

// ErrTooManyQuestions is returned by CreateAskedQuestionWithin when the asker has reached the limit.
var ErrTooManyQuestions = errors.New("too many questions to this CSM")

// CreateAskedQuestionWithin stores a new open question unless its asker has already asked limit
// questions in the interview within the last window: then it returns ErrTooManyQuestions and when the
// oldest of those leaves the window. Concurrent questions of one asker take turns on a lock, so the
// limit holds across replicas.
func (s *Store) CreateAskedQuestionWithin(ctx context.Context, q AskedQuestion, limit int, window time.Duration) (AskedQuestion, time.Time, error) {
	var out AskedQuestion
	var retryAt time.Time
	err := s.Transact(ctx, func(tx *Store) error {
		if _, err := tx.q.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('asked_questions:' || $1 || ':' || $2, 0))`,
			q.InterviewID, q.AskedBy); err != nil {
			return fmt.Errorf("lock asker's questions: %w", err)
		}
		var n int
		var oldest *time.Time
		if err := tx.q.QueryRow(ctx, `SELECT count(*), min(created_at) FROM asked_questions
WHERE interview_id = $1 AND asked_by = nullif($2, '')::uuid AND created_at > now() - make_interval(secs => $3)`,
			q.InterviewID, q.AskedBy, window.Seconds()).Scan(&n, &oldest); err != nil {
			return fmt.Errorf("count asker's questions: %w", err)
		}
		if n >= limit {
			if oldest != nil {
				retryAt = oldest.Add(window)
			}
			return ErrTooManyQuestions
		}
		var err error
		out, err = tx.CreateAskedQuestion(ctx, q)
		return err
	})
	return out, retryAt, err
}

// CreateAskedQuestion stores a new open question.
func (s *Store) CreateAskedQuestion(ctx context.Context, q AskedQuestion) (AskedQuestion, error) {
	var id string
	err := s.q.QueryRow(ctx, `INSERT INTO asked_questions (interview_id, account_id, asked_by, asked_from, text)
VALUES ($1, nullif($2, '')::uuid, nullif($3, '')::uuid, $4, $5) RETURNING id`, q.InterviewID, q.AccountID, q.AskedBy, q.From, q.Text).Scan(&id)
	if err != nil {
		return AskedQuestion{}, fmt.Errorf("ask question: %w", err)
	}
	return s.askedByID(ctx, id)
}

func (s *Store) askedByID(ctx context.Context, id string) (AskedQuestion, error) {
	rows, err := s.q.Query(ctx, `SELECT `+askedColumns+askedFrom+` WHERE q.id = $1`, id)
	if err != nil {
		return AskedQuestion{}, err
	}
	q, err := pgx.CollectExactlyOneRow(rows, scanAsked)
	if err != nil {
		return AskedQuestion{}, fmt.Errorf("asked question %s: %w", id, notFound(err))
	}
	return q, nil
}

// AskedQuestions returns an interview's asked questions, oldest first; with askedBy only that user's.
func (s *Store) AskedQuestions(ctx context.Context, interviewID, askedBy string) ([]AskedQuestion, error) {
	rows, err := s.q.Query(ctx, `SELECT `+askedColumns+askedFrom+`
WHERE q.interview_id = $1 AND ($2 = '' OR q.asked_by::text = $2) ORDER BY q.created_at, q.id`, interviewID, askedBy)
	if err != nil {
		return nil, fmt.Errorf("asked questions of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanAsked)
	if err != nil {
		return nil, fmt.Errorf("asked questions of %s: %w", interviewID, err)
	}
	return out, nil
}

const openAskedSQL = `SELECT ` + askedColumns + askedFrom + `
WHERE q.interview_id = $1::uuid AND q.status = 'open' ORDER BY q.created_at, q.id`

// OpenAskedQuestions returns the questions still waiting to be posed to the CSM, oldest first.
func (s *Store) OpenAskedQuestions(ctx context.Context, interviewID string) ([]AskedQuestion, error) {
	rows, err := s.q.Query(ctx, openAskedSQL, interviewID)
	if err != nil {
		return nil, fmt.Errorf("open questions of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanAsked)
	if err != nil {
		return nil, fmt.Errorf("open questions of %s: %w", interviewID, err)
	}
	return out, nil
}

// MarkQuestionPosed records the interviewer message that put the question to the CSM.
func (s *Store) MarkQuestionPosed(ctx context.Context, id, messageID string) error {
	tag, err := s.q.Exec(ctx, `UPDATE asked_questions SET status = 'asked', question_message_id = $2 WHERE id = $1 AND status = 'open'`, id, messageID)
	if err != nil {
		return fmt.Errorf("pose question %s: %w", id, err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("pose question %s: %w", id, ErrNotFound)
	}
	return nil
}

// MarkQuestionAnswered records the CSM's reply to a posed question: answered, or skipped.
func (s *Store) MarkQuestionAnswered(ctx context.Context, id, answerID string, skipped bool) error {
	status := "answered"
	if skipped {
		status = "skipped"
	}
	if _, err := s.q.Exec(ctx, `UPDATE asked_questions SET status = $3, answer_message_id = $2, answered_at = now()
WHERE id = $1 AND status = 'asked'`, id, answerID, status); err != nil {
		return fmt.Errorf("answer question %s: %w", id, err)
	}
	return nil
}
