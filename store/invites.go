package store

import (
	"context"
	"fmt"
	"time"
)

// CreateInvite stores the hash of a new invite token for an interview.
func (s *Store) CreateInvite(ctx context.Context, interviewID string, hash []byte, expiresAt time.Time) error {
	if _, err := s.q.Exec(ctx, `INSERT INTO invites (interview_id, token_hash, expires_at) VALUES ($1, $2, $3)`,
		interviewID, hash, expiresAt); err != nil {
		return fmt.Errorf("create invite: %w", err)
	}
	return nil
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
