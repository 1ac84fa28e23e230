package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Message is one message of a transcript.
type Message struct {
	ID            string
	InterviewID   string
	Seq           int
	Role          string // interviewer or csm
	Content       string
	Kind          string
	AccountID     string // "" for portfolio-wide or none
	Topics        []string
	ClientID      string
	ReplyTo       string
	Engine        string
	Model         string
	PromptVersion string
	// Redactions say which credentials were removed from a CSM's message before it was stored (never the
	// values themselves), so the report can tell someone to move them into a vault.
	Redactions []Redaction
	CreatedAt  time.Time
	// AskedQuestionID is set on a question a manager or successor asked (AskedFrom says which), posed to
	// the CSM by the interviewer.
	AskedQuestionID string
	AskedFrom       string
	// Choices are the answers an interviewer's question offers (the risk levels, when the rules are
	// unsure of one); Choice is the one a CSM's reply chose.
	Choices []Choice
	Choice  string
	// Filed is what the CSM said a CSM's answer is about, when they corrected the topic reader's filing
	// on the review page (nil while the reader's filing stands; empty: about nothing in particular).
	Filed []Filed
}

// Filed is one (account, topic) pair a CSM filed an answer under; AccountID is "" for a portfolio topic.
type Filed struct {
	AccountID string `json:"account_id"`
	Topic     string `json:"topic"`
}

// Choice is one answer a question offers.
type Choice struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Redaction is one credential removed from a message.
type Redaction struct {
	Kind   string `json:"kind"`
	System string `json:"system"`
}

const messageColumns = `id, interview_id, seq, role, content, kind, coalesce(account_id::text, ''), topics,
coalesce(client_id, ''), coalesce(reply_to::text, ''), engine, model, prompt_version, redactions, created_at,
coalesce(asked_question_id::text, ''), asked_from, choices, coalesce(choice, ''), filed`

func scanMessage(row pgx.Row) (Message, error) {
	var m Message
	err := row.Scan(&m.ID, &m.InterviewID, &m.Seq, &m.Role, &m.Content, &m.Kind, &m.AccountID, &m.Topics,
		&m.ClientID, &m.ReplyTo, &m.Engine, &m.Model, &m.PromptVersion, &m.Redactions, &m.CreatedAt, &m.AskedQuestionID, &m.AskedFrom, &m.Choices, &m.Choice, &m.Filed)
	return m, err
}

// InsertMessage appends a message to its interview's transcript with the next sequence number. Call it with
// the interview locked (LockInterview) so numbers never collide.
func (s *Store) InsertMessage(ctx context.Context, m Message) (Message, error) {
	topics := m.Topics
	if topics == nil {
		topics = []string{}
	}
	redactions := m.Redactions
	if redactions == nil {
		redactions = []Redaction{}
	}
	var choices []Choice // NULL when the question offers none
	if len(m.Choices) > 0 {
		choices = m.Choices
	}
	out, err := scanMessage(s.q.QueryRow(ctx, `
INSERT INTO messages (interview_id, seq, role, content, kind, account_id, topics, client_id, reply_to, engine, model, prompt_version, redactions,
    asked_question_id, asked_from, choices, choice)
VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE interview_id = $1), $2, $3, $4,
        nullif($5, '')::uuid, $6, nullif($7, ''), nullif($8, '')::uuid, $9, $10, $11, $12, nullif($13, '')::uuid, $14, $15, nullif($16, ''))
RETURNING `+messageColumns,
		m.InterviewID, m.Role, m.Content, m.Kind, m.AccountID, topics, m.ClientID, m.ReplyTo, m.Engine, m.Model, m.PromptVersion, redactions,
		m.AskedQuestionID, m.AskedFrom, choices, m.Choice))
	if err != nil {
		return Message{}, fmt.Errorf("insert message: %w", err)
	}
	return out, nil
}

// FileAnswer records what the CSM says their answer is about (never nil: an empty list files it under
// nothing). A message of another interview, or not a CSM's, is ErrNotFound.
func (s *Store) FileAnswer(ctx context.Context, interviewID, messageID string, filed []Filed) error {
	if filed == nil {
		filed = []Filed{}
	}
	tag, err := s.q.Exec(ctx, `UPDATE messages SET filed = $3 WHERE interview_id = $1 AND id::text = $2 AND role = 'csm' AND kind = 'answer'`,
		interviewID, messageID, filed)
	if err != nil {
		return fmt.Errorf("file answer %s: %w", messageID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// Messages returns an interview's transcript in order.
func (s *Store) Messages(ctx context.Context, interviewID string) ([]Message, error) {
	rows, err := s.q.Query(ctx, `SELECT `+messageColumns+` FROM messages WHERE interview_id = $1 ORDER BY seq`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", interviewID, err)
	}
	msgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("messages of %s: %w", interviewID, err)
	}
	return msgs, nil
}

// MessageByClientID returns the CSM message sent with that idempotency key, or ErrNotFound.
func (s *Store) MessageByClientID(ctx context.Context, interviewID, clientID string) (Message, error) {
	m, err := scanMessage(s.q.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages
WHERE interview_id = $1 AND client_id = $2`, interviewID, clientID))
	if err != nil {
		return Message{}, fmt.Errorf("message by client id: %w", notFound(err))
	}
	return m, nil
}

// MessageAfter returns the first interviewer message after seq, or ErrNotFound.
func (s *Store) MessageAfter(ctx context.Context, interviewID string, seq int) (Message, error) {
	m, err := scanMessage(s.q.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages
WHERE interview_id = $1 AND seq > $2 AND role = 'interviewer' AND kind <> 'intro' ORDER BY seq LIMIT 1`, interviewID, seq))
	if err != nil {
		return Message{}, fmt.Errorf("message after %d: %w", seq, notFound(err))
	}
	return m, nil
}

// LastSeq returns the sequence number of an interview's last message (0 when there is none).
func (s *Store) LastSeq(ctx context.Context, interviewID string) (int, error) {
	var n int
	if err := s.q.QueryRow(ctx, `SELECT coalesce(max(seq), 0) FROM messages WHERE interview_id = $1`, interviewID).Scan(&n); err != nil {
		return 0, fmt.Errorf("last seq: %w", err)
	}
	return n, nil
}

// NewAnswer is a CSM message to store. OnStored, when set, runs in the same transaction after the
// message is stored (to enqueue its capture: the job exists only if the answer does).
type NewAnswer struct {
	InterviewID string
	ClientID    string
	Kind        string // answer, skip or readback
	Content     string
	Choice      string // the choice the question offered that the CSM picked, if any
	QuestionID  string // the question the CSM saw, "" for any
	Redactions  []Redaction
	OnStored    func(ctx context.Context, tx *Store, m Message) error
	// OnStarted, when set, runs in the same transaction when this answer starts the interview (its first).
	OnStarted func(ctx context.Context, tx *Store, iv Interview) error
}

// Errors of InsertAnswer.
var (
	ErrInterviewClosed = errors.New("interview closed")
	ErrNoQuestion      = errors.New("no question asked yet")
	ErrQuestionChanged = errors.New("the question being answered is no longer the open one")
)

// InsertAnswer stores a CSM message (an answer or a skip) in its own transaction, with the interview
// locked, as the reply to the last question asked. questionID, when given, must be that question: an
// answer typed in a tab that fell behind is refused rather than filed under another question. With a
// clientID already used it stores nothing and returns the earlier message with fresh false. The first
// answer moves the interview to in_progress.
func (s *Store) InsertAnswer(ctx context.Context, a NewAnswer) (m Message, fresh bool, err error) {
	interviewID, clientID, questionID := a.InterviewID, a.ClientID, a.QuestionID
	err = s.Transact(ctx, func(tx *Store) error {
		iv, err := tx.LockInterview(ctx, interviewID)
		if err != nil {
			return err
		}
		if clientID != "" {
			if prev, err := tx.MessageByClientID(ctx, interviewID, clientID); err == nil {
				m = prev
				return nil
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		if iv.Status == "completed" || iv.Status == "handed_over" {
			return ErrInterviewClosed
		}
		var last string
		if err := tx.q.QueryRow(ctx, `SELECT coalesce((SELECT id::text FROM messages WHERE interview_id = $1 AND role = 'interviewer'
AND kind IN ('question', 'follow_up', 'closing', 'readback') ORDER BY seq DESC LIMIT 1), '')`, interviewID).Scan(&last); err != nil {
			return err
		}
		switch {
		case last == "":
			return ErrNoQuestion
		case questionID != "" && questionID != last:
			return ErrQuestionChanged
		}
		m, err = tx.InsertMessage(ctx, Message{InterviewID: interviewID, Role: "csm", Kind: a.Kind, Content: a.Content,
			ClientID: clientID, ReplyTo: last, Redactions: a.Redactions, Choice: a.Choice})
		if err != nil {
			return err
		}
		fresh = true
		if a.OnStored != nil {
			if err := a.OnStored(ctx, tx, m); err != nil {
				return err
			}
		}
		if iv.Status == "invited" {
			if err := tx.SetInterviewStatus(ctx, interviewID, "in_progress"); err != nil {
				return err
			}
			if a.OnStarted != nil {
				return a.OnStarted(ctx, tx, iv)
			}
		}
		return nil
	})
	if err != nil {
		return Message{}, false, fmt.Errorf("store answer: %w", err)
	}
	return m, fresh, nil
}
