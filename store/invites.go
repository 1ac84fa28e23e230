package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrHandedOver is returned for what a handed-over interview no longer allows: a new invite link, and
// the CSM's changes.
var ErrHandedOver = errors.New("the interview was handed over")

// CreateInvite stores the hash of a new invite token for an interview, or returns ErrHandedOver when the
// interview was handed over. The interview's row is locked while it is checked, so an invite created
// while a handover commits is either refused or revoked by it.
func (s *Store) CreateInvite(ctx context.Context, interviewID string, hash []byte, expiresAt time.Time) error {
	tag, err := s.q.Exec(ctx, `
INSERT INTO invites (interview_id, token_hash, expires_at)
SELECT id, $2, $3 FROM interviews WHERE id = $1 AND status <> 'handed_over' FOR UPDATE`,
		interviewID, hash, expiresAt)
	if err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("create invite for %s: %w", interviewID, ErrHandedOver)
	}
	return nil
}

// HandOver marks an interview handed over and revokes its invite links in one transaction, and reports
// whether it did (false: it already was). It keeps the status it had and marks the links it revoked, so
// UndoHandOver can put both back.
func (s *Store) HandOver(ctx context.Context, interviewID string) (bool, error) {
	var changed bool
	err := s.Transact(ctx, func(tx *Store) error {
		tag, err := tx.q.Exec(ctx, `
UPDATE interviews SET status = 'handed_over', status_before_handover = status, handed_over_at = now(), updated_at = now()
WHERE id = $1 AND status <> 'handed_over'`, interviewID)
		if err != nil {
			return err
		}
		changed = tag.RowsAffected() > 0
		_, err = tx.q.Exec(ctx, `UPDATE invites SET revoked_at = now(), revoked_by_handover = true
WHERE interview_id = $1 AND revoked_at IS NULL`, interviewID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("hand over interview %s: %w", interviewID, err)
	}
	return changed, nil
}

// HandoverUndoWindow is how long after a handover it can be undone.
const HandoverUndoWindow = 24 * time.Hour

// Errors of UndoHandOver.
var (
	ErrNotHandedOver   = errors.New("the interview is not handed over")
	ErrUndoWindowEnded = errors.New("the handover can no longer be undone")
)

// UndoHandOver puts a handed-over interview back as it was before, within HandoverUndoWindow of the
// handover: its status, and the invite links the handover revoked (those expired meanwhile stay
// expired). It returns the status the interview has again.
func (s *Store) UndoHandOver(ctx context.Context, interviewID string) (string, error) {
	var status string
	err := s.Transact(ctx, func(tx *Store) error {
		var current string
		var at *time.Time
		err := tx.q.QueryRow(ctx, `SELECT status, handed_over_at FROM interviews WHERE id = $1 FOR UPDATE`, interviewID).Scan(&current, &at)
		if err != nil {
			return notFound(err)
		}
		switch {
		case current != "handed_over":
			return ErrNotHandedOver
		case at == nil || time.Since(*at) > HandoverUndoWindow:
			return ErrUndoWindowEnded
		}
		if err := tx.q.QueryRow(ctx, `
UPDATE interviews SET status = coalesce(status_before_handover, 'completed'), status_before_handover = NULL,
    handed_over_at = NULL, updated_at = now()
WHERE id = $1 RETURNING status`, interviewID).Scan(&status); err != nil {
			return err
		}
		_, err = tx.q.Exec(ctx, `UPDATE invites SET revoked_at = NULL, revoked_by_handover = false
WHERE interview_id = $1 AND revoked_by_handover`, interviewID)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("undo handover of %s: %w", interviewID, err)
	}
	return status, nil
}

// InviteStatus says whether an invite token can be used, and if not, why.
type InviteStatus string

// The invite statuses.
const (
	InviteValid   InviteStatus = "valid"
	InviteExpired InviteStatus = "expired"
	InviteRevoked InviteStatus = "revoked"
)

// InterviewByInvite returns the interview an invite token hash opens and the invite's status; ErrNotFound
// when no invite has that hash.
func (s *Store) InterviewByInvite(ctx context.Context, hash []byte) (Interview, InviteStatus, error) {
	var status InviteStatus
	var iv Interview
	err := s.q.QueryRow(ctx, `
SELECT CASE WHEN v.revoked_at IS NOT NULL THEN 'revoked' WHEN v.expires_at <= now() THEN 'expired' ELSE 'valid' END,
       `+prefixed("i.", interviewColumns)+`
FROM invites v JOIN interviews i ON i.id = v.interview_id
WHERE v.token_hash = $1`, hash).Scan(append([]any{&status}, iv.dest()...)...)
	if err != nil {
		return Interview{}, "", fmt.Errorf("interview by invite: %w", notFound(err))
	}
	return iv, status, nil
}

// RevokeInvites revokes every live invite of an interview and returns how many.
func (s *Store) RevokeInvites(ctx context.Context, interviewID string) (int64, error) {
	tag, err := s.q.Exec(ctx, `UPDATE invites SET revoked_at = now() WHERE interview_id = $1 AND revoked_at IS NULL`, interviewID)
	if err != nil {
		return 0, fmt.Errorf("revoke invites: %w", err)
	}
	return tag.RowsAffected(), nil
}
