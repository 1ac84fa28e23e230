package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Attachment is a file the CSM attached to their interview as evidence: its original is kept (see
// AttachmentContent), and its text, once read, is passages (chunks) that cite the file and their place
// in it.
type Attachment struct {
	ID          string
	InterviewID string
	AccountID   string // "" for the whole portfolio
	AccountName string
	MessageID   string // the answer it was attached to, or ""
	Name        string
	Kind        string // filetext's kind: pdf, docx, xlsx, csv, pptx, txt, md
	MIME        string
	Size        int64
	SHA256      string // hex
	State       string // reading, ready or unreadable
	Reason      string // why it is unreadable
	Units       int    // pages, sheets or slides read
	// Withheld says what reading the file removed from its passages ("credentials", "personal remarks",
	// or both): the original then goes to the session's manager, admins and the CSM only.
	Withheld  string
	CreatedAt time.Time
	CreatedBy string
}

// The states of an attachment.
const (
	AttachmentReading    = "reading"
	AttachmentReady      = "ready"
	AttachmentUnreadable = "unreadable"
)

const attachmentColumns = `a.id::text, a.interview_id::text, coalesce(a.account_id::text, ''), coalesce(ac.name, ''),
    coalesce(a.message_id::text, ''), a.name, a.kind, a.mime, a.size, a.sha256, a.state, a.reason, a.units, a.withheld, a.created_at, a.created_by`

const attachmentFrom = `attachments a LEFT JOIN accounts ac ON ac.id = a.account_id`

func scanAttachment(r pgx.CollectableRow) (Attachment, error) {
	var a Attachment
	err := r.Scan(&a.ID, &a.InterviewID, &a.AccountID, &a.AccountName, &a.MessageID, &a.Name, &a.Kind, &a.MIME, &a.Size, &a.SHA256,
		&a.State, &a.Reason, &a.Units, &a.Withheld, &a.CreatedAt, &a.CreatedBy)
	return a, err
}

// CreateAttachment stores a file with its metadata (a.ID, State, CreatedAt are set here). When the same
// file (by its checksum) was attached for the same account of the interview before, nothing is stored
// and that attachment is returned with created false.
func (s *Store) CreateAttachment(ctx context.Context, a Attachment, content []byte) (out Attachment, created bool, err error) {
	var id string
	err = s.q.QueryRow(ctx, `
INSERT INTO attachments (interview_id, account_id, message_id, name, kind, mime, size, sha256, content, created_by)
VALUES ($1::uuid, nullif($2, '')::uuid, nullif($3, '')::uuid, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT DO NOTHING
RETURNING id::text`, a.InterviewID, a.AccountID, a.MessageID, a.Name, a.Kind, a.MIME, int64(len(content)), a.SHA256, content, a.CreatedBy).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		out, err = s.SameAttachment(ctx, a.InterviewID, a.AccountID, a.SHA256)
		return out, false, err
	case err != nil:
		return Attachment{}, false, fmt.Errorf("store attachment: %w", err)
	}
	out, err = s.AttachmentByID(ctx, id)
	return out, true, err
}

// SameAttachment returns the attachment of the interview with that checksum for that account ("" the
// portfolio), or ErrNotFound.
func (s *Store) SameAttachment(ctx context.Context, interviewID, accountID, sha256 string) (Attachment, error) {
	rows, err := s.q.Query(ctx, `SELECT `+attachmentColumns+` FROM `+attachmentFrom+`
WHERE a.interview_id = $1::uuid AND a.account_id IS NOT DISTINCT FROM nullif($2, '')::uuid AND a.sha256 = $3`, interviewID, accountID, sha256)
	if err != nil {
		return Attachment{}, fmt.Errorf("same attachment: %w", err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	if err != nil {
		return Attachment{}, fmt.Errorf("same attachment: %w", notFound(err))
	}
	return a, nil
}

// CountAttachments is how many files the interview holds.
func (s *Store) CountAttachments(ctx context.Context, interviewID string) (int, error) {
	var n int
	if err := s.q.QueryRow(ctx, `SELECT count(*) FROM attachments WHERE interview_id = $1::uuid`, interviewID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count attachments: %w", err)
	}
	return n, nil
}

// AttachmentByID returns one attachment (without its content), or ErrNotFound.
func (s *Store) AttachmentByID(ctx context.Context, id string) (Attachment, error) {
	if !ValidUUID(id) {
		return Attachment{}, fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	rows, err := s.q.Query(ctx, `SELECT `+attachmentColumns+` FROM `+attachmentFrom+` WHERE a.id = $1::uuid`, id)
	if err != nil {
		return Attachment{}, fmt.Errorf("attachment %s: %w", id, err)
	}
	a, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	if err != nil {
		return Attachment{}, fmt.Errorf("attachment %s: %w", id, notFound(err))
	}
	return a, nil
}

// Attachments returns an interview's attachments, oldest first.
func (s *Store) Attachments(ctx context.Context, interviewID string) ([]Attachment, error) {
	rows, err := s.q.Query(ctx, `SELECT `+attachmentColumns+` FROM `+attachmentFrom+`
WHERE a.interview_id = $1::uuid ORDER BY a.created_at, a.id`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("attachments of %s: %w", interviewID, err)
	}
	out, err := pgx.CollectRows(rows, scanAttachment)
	if err != nil {
		return nil, fmt.Errorf("attachments of %s: %w", interviewID, err)
	}
	return out, nil
}

// AttachmentContent returns the original file, or ErrNotFound.
func (s *Store) AttachmentContent(ctx context.Context, id string) ([]byte, error) {
	if !ValidUUID(id) {
		return nil, fmt.Errorf("attachment %q: %w", id, ErrNotFound)
	}
	var b []byte
	if err := s.q.QueryRow(ctx, `SELECT content FROM attachments WHERE id = $1::uuid`, id).Scan(&b); err != nil {
		return nil, fmt.Errorf("attachment %s: %w", id, notFound(err))
	}
	return b, nil
}

// DeleteAttachment removes one attachment of the interview, its file and its passages (and their
// vectors, by cascade); ErrNotFound when the interview holds no such attachment.
func (s *Store) DeleteAttachment(ctx context.Context, interviewID, id string) (Attachment, error) {
	a, err := s.AttachmentByID(ctx, id)
	if err != nil {
		return Attachment{}, err
	}
	if a.InterviewID != interviewID {
		return Attachment{}, fmt.Errorf("attachment %s: %w", id, ErrNotFound)
	}
	tag, err := s.q.Exec(ctx, `DELETE FROM attachments WHERE id = $1::uuid AND interview_id = $2::uuid`, id, interviewID)
	if err != nil {
		return Attachment{}, fmt.Errorf("delete attachment %s: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return Attachment{}, fmt.Errorf("attachment %s: %w", id, ErrNotFound)
	}
	return a, nil
}

// AttachmentVisible reports whether v may see (and download) the attachment: the same rule as for its
// passages (visibleSQL), applied to the file's own account and session, so that a file nobody has read
// yet is as visible as its passages will be.
func (s *Store) AttachmentVisible(ctx context.Context, v Viewer, id string) (bool, error) {
	if !ValidUUID(id) {
		return false, nil
	}
	userID := v.id()
	var ok bool
	err := s.q.QueryRow(ctx, `
SELECT EXISTS (
    SELECT 1 FROM (SELECT a.interview_id, a.account_id, false AS account_uncertain FROM attachments a WHERE a.id = $3::uuid) c
    JOIN interviews i ON i.id = c.interview_id
    WHERE `+visibleSQL+`
)`, string(v.Role), userID, id).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("attachment visible: %w", err)
	}
	return ok, nil
}

// AttachmentChunks returns the passages read from an attachment, in order.
func (s *Store) AttachmentChunks(ctx context.Context, id string) ([]Chunk, error) {
	rows, err := s.q.Query(ctx, `SELECT `+chunkColumns+`
FROM chunks c WHERE c.attachment_id = $1::uuid ORDER BY c.position`, id)
	if err != nil {
		return nil, fmt.Errorf("chunks of attachment %s: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, scanChunk)
	if err != nil {
		return nil, fmt.Errorf("chunks of attachment %s: %w", id, err)
	}
	return out, nil
}

// SaveAttachmentChunks stores the passages read from an attachment (with their vectors), replacing any
// stored before, and marks it ready with the units read and what reading it withheld, in one transaction: reading it again leaves
// the same rows. ErrNotFound when the attachment was removed meanwhile.
func (s *Store) SaveAttachmentChunks(ctx context.Context, id string, chunks []Chunk, units int, withheld string) error {
	return s.InTransaction(ctx, func(tx *Store) error {
		var interviewID string
		if err := tx.q.QueryRow(ctx, `SELECT interview_id::text FROM attachments WHERE id = $1::uuid FOR UPDATE`, id).Scan(&interviewID); err != nil {
			return fmt.Errorf("attachment %s: %w", id, notFound(err))
		}
		// Every model's vector length is checked (and recorded the first time) as an answer's are.
		checked := map[string]bool{}
		for _, c := range chunks {
			for model, vec := range c.Embeddings {
				key := fmt.Sprintf("%s/%d", model, len(vec))
				if checked[key] {
					continue
				}
				checked[key] = true
				if err := tx.recordDims(ctx, model, len(vec)); err != nil {
					return err
				}
			}
		}
		if _, err := tx.q.Exec(ctx, `DELETE FROM chunks WHERE attachment_id = $1::uuid`, id); err != nil {
			return fmt.Errorf("replace chunks of attachment %s: %w", id, err)
		}
		for _, c := range chunks {
			topics := c.Topics
			if topics == nil {
				topics = []string{}
			}
			var chunkID string
			if err := tx.q.QueryRow(ctx, `
INSERT INTO chunks (interview_id, account_id, attachment_id, location, position, topics, text, context)
VALUES ($1::uuid, nullif($2, '')::uuid, $3::uuid, $4, $5, $6, $7, $8) RETURNING id::text`,
				interviewID, c.AccountID, id, c.Location, c.Position, topics, c.Text, c.Context).Scan(&chunkID); err != nil {
				return fmt.Errorf("store chunk of attachment %s: %w", id, err)
			}
			for _, model := range slices.Sorted(maps.Keys(c.Embeddings)) {
				if _, err := tx.q.Exec(ctx, `INSERT INTO chunk_embeddings (chunk_id, model, embedding, account_id)
VALUES ($1::uuid, $2, $3, nullif($4, '')::uuid)`, chunkID, model, pgvector.NewVector(c.Embeddings[model]), c.AccountID); err != nil {
					return fmt.Errorf("store vector of attachment %s: %w", id, err)
				}
			}
		}
		_, err := tx.q.Exec(ctx, `UPDATE attachments SET state = 'ready', reason = '', units = $2, withheld = $3 WHERE id = $1::uuid`, id, units, withheld)
		if err != nil {
			return fmt.Errorf("mark attachment %s ready: %w", id, err)
		}
		return nil
	})
}

// MarkAttachmentUnreadable keeps the file and says why its text could not be read; its passages, if any
// were stored by an earlier reading, go.
func (s *Store) MarkAttachmentUnreadable(ctx context.Context, id, reason string) error {
	return s.InTransaction(ctx, func(tx *Store) error {
		if _, err := tx.q.Exec(ctx, `DELETE FROM chunks WHERE attachment_id = $1::uuid`, id); err != nil {
			return fmt.Errorf("mark attachment %s unreadable: %w", id, err)
		}
		tag, err := tx.q.Exec(ctx, `UPDATE attachments SET state = 'unreadable', reason = $2, units = 0 WHERE id = $1::uuid`, id, reason)
		if err != nil {
			return fmt.Errorf("mark attachment %s unreadable: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("attachment %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

// CurrentQuestionAccount is the account of the interview's latest question ("" when it is about the
// portfolio, or none was asked yet): what a file attached without naming one is about.
func (s *Store) CurrentQuestionAccount(ctx context.Context, interviewID string) (string, error) {
	var account string
	err := s.q.QueryRow(ctx, `SELECT coalesce(account_id::text, '') FROM messages
WHERE interview_id = $1::uuid AND role = 'interviewer' AND kind IN ('question', 'follow_up')
ORDER BY seq DESC LIMIT 1`, interviewID).Scan(&account)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("current question of %s: %w", interviewID, err)
	}
	return account, nil
}
