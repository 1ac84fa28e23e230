package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CaptureSource is what capturing one answer reads: the answer, the question it replied to (zero when it
// replied to none), its interview and the interview's accounts, the CSM's corrections of it and where they
// settled which account its sentences are about (see Attributions).
type CaptureSource struct {
	Message      Message
	Question     Message
	Interview    Interview
	Accounts     []Account
	Corrections  []Correction
	Attributions map[string]string
}

// CaptureSource reads what capturing a message needs in one round trip: every query finds the interview
// through the message, so none waits for another's answer. A message that does not exist is ErrNotFound.
func (s *Store) CaptureSource(ctx context.Context, messageID string) (CaptureSource, error) {
	if !ValidUUID(messageID) {
		return CaptureSource{}, fmt.Errorf("message %q: %w", messageID, ErrNotFound)
	}
	const interviewOf = `(SELECT interview_id FROM messages WHERE id = $1::uuid)`
	var src CaptureSource
	b := &pgx.Batch{}
	b.Queue(`SELECT `+messageColumns+` FROM messages WHERE id = $1::uuid`, messageID).QueryRow(func(row pgx.Row) error {
		var err error
		src.Message, err = scanMessage(row)
		return notFound(err)
	})
	b.Queue(`SELECT `+messageColumns+` FROM messages WHERE id = (SELECT reply_to FROM messages WHERE id = $1::uuid)`, messageID).
		Query(func(rows pgx.Rows) error {
			qs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) { return scanMessage(r) })
			if len(qs) > 0 {
				src.Question = qs[0]
			}
			return err
		})
	b.Queue(`SELECT `+interviewColumns+` FROM interviews WHERE id = `+interviewOf, messageID).QueryRow(func(row pgx.Row) error {
		var err error
		src.Interview, err = scanInterview(row)
		return notFound(err)
	})
	b.Queue(`SELECT `+accountColumns+` FROM accounts a LEFT JOIN users u ON u.id = a.successor_id
WHERE a.interview_id = `+interviewOf+` ORDER BY a.position`, messageID).Query(func(rows pgx.Rows) error {
		var err error
		src.Accounts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
		return err
	})
	b.Queue(`SELECT `+correctionColumns+` FROM corrections WHERE interview_id = `+interviewOf+` AND message_id = $1::uuid
ORDER BY created_at, id`, messageID).Query(func(rows pgx.Rows) error {
		var err error
		src.Corrections, err = pgx.CollectRows(rows, scanCorrection)
		return err
	})
	b.Queue(`SELECT text, coalesce(account_id::text, '') FROM attributions WHERE message_id = $1::uuid`, messageID).Query(func(rows pgx.Rows) error {
		src.Attributions = map[string]string{}
		var text, account string
		_, err := pgx.ForEachRow(rows, []any{&text, &account}, func() error {
			src.Attributions[text] = account
			return nil
		})
		return err
	})
	if err := s.q.SendBatch(ctx, b).Close(); err != nil {
		return CaptureSource{}, fmt.Errorf("capture source of message %s: %w", messageID, err)
	}
	return src, nil
}
