package interview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// MaxAnswerRunes bounds one answer.
const MaxAnswerRunes = 20000

// ValidateAnswer checks an answer's content: not empty, not too long, valid UTF-8, no control characters
// other than tabs and line breaks.
func ValidateAnswer(content string) error {
	switch {
	case !utf8.ValidString(content):
		return validation.Errors{"content": "must be valid UTF-8 text"}
	case strings.TrimSpace(content) == "":
		return validation.Errors{"content": "must not be empty"}
	case utf8.RuneCountInString(content) > MaxAnswerRunes:
		return validation.Errors{"content": fmt.Sprintf("must be at most %d characters", MaxAnswerRunes)}
	}
	for _, r := range content {
		if r != '\n' && r != '\r' && r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return validation.Errors{"content": "must not contain control characters"}
		}
	}
	return nil
}

func validateClientID(id string) error {
	if len(id) > 100 {
		return validation.Errors{"client_id": "must be at most 100 characters"}
	}
	for _, r := range id {
		if r < 0x21 || r > 0x7e {
			return validation.Errors{"client_id": "must be printable ASCII without spaces"}
		}
	}
	return nil
}

// Answer stores the CSM's answer in its own transaction, before any slow or fallible work, then produces
// the interviewer's reply. A resend with the same clientID returns the same message and the reply that
// followed it, without storing anything twice. questionID, when given, is the question the CSM saw: if
// another tab has moved on meanwhile, the answer is refused with ErrQuestionChanged.
func (s *Service) Answer(ctx context.Context, interviewID, content, clientID, questionID string, emit func(string)) (Reply, error) {
	return s.answer(ctx, interviewID, content, clientID, questionID, "", emit)
}

func (s *Service) answer(ctx context.Context, interviewID, content, clientID, questionID, choice string, emit func(string)) (Reply, error) {
	if err := ValidateAnswer(content); err != nil {
		return Reply{}, err
	}
	if err := validateClientID(clientID); err != nil {
		return Reply{}, err
	}
	ctx = s.withModelDeadline(ctx)
	a := s.newAnswer(interviewID, clientID, KindAnswer, strings.TrimSpace(content), questionID)
	a.Choice = choice
	msg, fresh, err := s.store.InsertAnswer(ctx, a)
	if errors.Is(err, store.ErrNoQuestion) {
		// Answered before the interview was ever opened: let the interviewer introduce it and ask first.
		if _, err := s.resolve(ctx, interviewID, nil); err != nil {
			return Reply{}, err
		}
		msg, fresh, err = s.store.InsertAnswer(ctx, a)
	}
	if err != nil {
		return Reply{}, s.answerError(err)
	}
	r, err := s.replyTo(ctx, msg, fresh, emit)
	return s.withCard(ctx, r, err)
}

// Skip records that the CSM skipped the open question and moves on. questionID, when given, must be the
// open question: a second click on the same skip button changes nothing.
func (s *Service) Skip(ctx context.Context, interviewID, questionID string, emit func(string)) (Reply, error) {
	ctx = s.withModelDeadline(ctx)
	st, err := s.resolve(ctx, interviewID, nil)
	if err != nil {
		return Reply{}, err
	}
	if st.Done {
		return Reply{}, ErrFinished
	}
	if st.Next == nil || questionID != "" && st.Next.ID != questionID {
		return Reply{View: st}, nil
	}
	// One skip per question: a second, concurrent click finds the first by its key.
	msg, fresh, err := s.store.InsertAnswer(ctx, s.newAnswer(interviewID, "skip:"+st.Next.ID, KindSkip, "", st.Next.ID))
	if errors.Is(err, store.ErrQuestionChanged) {
		v, err := s.resolve(ctx, interviewID, nil)
		return Reply{View: v}, err
	}
	if err != nil {
		return Reply{}, s.answerError(err)
	}
	r, err := s.replyTo(ctx, msg, fresh, emit)
	return s.withCard(ctx, r, err)
}

// newAnswer prepares a CSM message for storing: credentials are redacted before it is stored (unless the
// operator chose to keep originals), and its capture is enqueued in the same transaction.
func (s *Service) newAnswer(interviewID, clientID, kind, content, questionID string) store.NewAnswer {
	a := store.NewAnswer{InterviewID: interviewID, ClientID: clientID, Kind: kind, Content: content, QuestionID: questionID}
	redacted, found := redact.Text(content)
	for _, m := range found {
		a.Redactions = append(a.Redactions, store.Redaction{Kind: string(m.Kind), System: m.System})
	}
	if !s.cfg.KeepSecrets {
		a.Content = redacted
	}
	a.OnStored = func(ctx context.Context, tx *store.Store, m store.Message) error {
		// The reply to a question someone asked answers it (or skips it), in the same transaction.
		q, err := tx.MessageByID(ctx, m.ReplyTo)
		if err != nil {
			return err
		}
		if q.AskedQuestionID != "" {
			if err := tx.MarkQuestionAnswered(ctx, q.AskedQuestionID, m.ID, kind == KindSkip); err != nil {
				return err
			}
			if s.events != nil && kind != KindSkip {
				iv, err := tx.InterviewByID(ctx, m.InterviewID)
				if err != nil {
					return err
				}
				if err := s.events.QuestionAnswered(ctx, tx, iv, q.AskedQuestionID); err != nil {
					return err
				}
			}
		}
		if s.queue != nil && kind == KindAnswer {
			return s.queue.EnqueueCapture(ctx, tx, m.ID)
		}
		return nil
	}
	a.OnStarted = func(ctx context.Context, tx *store.Store, iv store.Interview) error {
		if s.events == nil {
			return nil
		}
		return s.events.InterviewStarted(ctx, tx, iv)
	}
	return a
}

func (s *Service) answerError(err error) error {
	switch {
	case errors.Is(err, store.ErrInterviewClosed):
		return ErrFinished
	case errors.Is(err, store.ErrQuestionChanged):
		return ErrQuestionChanged
	}
	return err
}

// replyTo returns the interviewer's reply to msg: the one already stored for a resend, or a new one.
func (s *Service) replyTo(ctx context.Context, msg store.Message, fresh bool, emit func(string)) (Reply, error) {
	if !fresh {
		if next, err := s.store.MessageAfter(ctx, msg.InterviewID, msg.Seq); err == nil {
			st, err := s.load(ctx, msg.InterviewID)
			if err != nil {
				return Reply{}, err
			}
			v := viewOf(st)
			v.Next = &next
			if !isQuestion(next.Kind) {
				v.Next = nil
			}
			return Reply{Message: msg, View: v}, nil
		} else if !errors.Is(err, store.ErrNotFound) {
			return Reply{}, err
		}
	}
	v, err := s.resolve(ctx, msg.InterviewID, emit)
	if err != nil {
		// The answer is stored; the reply will be produced on the next request.
		return Reply{Message: msg}, err
	}
	return Reply{Message: msg, View: v}, nil
}

// Finish ends the interview at the CSM's request: what is still missing stays a gap.
func (s *Service) Finish(ctx context.Context, interviewID string) (View, error) {
	for attempt := 0; attempt < 4; attempt++ {
		st, err := s.load(ctx, interviewID)
		if err != nil {
			return View{}, err
		}
		if st.Done() {
			return viewOf(st), nil
		}
		d, err := s.offline.Farewell(st)
		if err != nil {
			return View{}, err
		}
		after, err := s.apply(ctx, st, d)
		if err != nil {
			return View{}, err
		}
		if after != nil {
			return viewOf(after), nil
		}
	}
	return View{}, ErrBusy
}
