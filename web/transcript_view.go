package web

import (
	"context"
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// What a reader is shown of a CSM's answer. The session's manager (and admins) read the answer as it was
// given, with credentials redacted (also when originals are kept) and personal remarks marked. A
// successor reads only the chunks captured from it that they may see: redacted, personal remarks out,
// corrections applied, another account's sentences and unapproved or unsettled knowledge left out. A
// successor's view is never built from the stored message text.

// answerView is what v may read of the CSM answer m ("" when nothing: not yet captured, or not theirs).
// accounts are the accounts the visible part is about.
func (s *Server) answerView(ctx context.Context, v store.Viewer, messageID, stored string) (text string, accounts []string, err error) {
	if v.Role != store.RoleSuccessor {
		clean, _ := redact.Text(stored)
		return personal.Mark(clean), nil, nil
	}
	chunks, err := s.store.VisibleChunks(ctx, v, messageID)
	if err != nil {
		return "", nil, err
	}
	parts := make([]string, len(chunks))
	for i, c := range chunks {
		parts[i] = c.Text
		if !slices.Contains(accounts, c.AccountID) {
			accounts = append(accounts, c.AccountID)
		}
	}
	text = strings.Join(parts, " ")
	if personal.Found(stored) {
		text = strings.TrimSpace(text + " " + personal.Marker)
	}
	return text, accounts, nil
}

// questionView is what v may read of the interviewer's question q, given the accounts of the answer's
// part they may see. A successor reads a plan question about one of those accounts (or the portfolio);
// a follow-up, a question someone asked or one a model wrote may quote what the CSM said about another
// account, so it is named, not shown.
func questionView(v store.Viewer, q store.Message, accounts []string) string {
	if v.Role != store.RoleSuccessor {
		clean, _ := redact.Text(q.Content)
		return clean
	}
	if q.Kind == "question" && q.AskedQuestionID == "" && q.Engine != "model" && (q.AccountID == "" || slices.Contains(accounts, q.AccountID)) {
		clean, _ := redact.Text(q.Content)
		return clean
	}
	return "(the interviewer's question is not shown)"
}

// askedQuestions returns the questions asked of the CSM in an interview (by: only that user's), each
// answer as v may read it (see answerView).
func (s *Server) askedQuestions(ctx context.Context, v store.Viewer, interviewID, by string) ([]store.AskedQuestion, error) {
	qs, err := s.store.AskedQuestions(ctx, interviewID, by)
	if err != nil {
		return nil, err
	}
	for i, q := range qs {
		if q.AnswerMessageID == "" {
			continue
		}
		if qs[i].Answer, _, err = s.answerView(ctx, v, q.AnswerMessageID, q.Answer); err != nil {
			return nil, err
		}
	}
	return qs, nil
}
