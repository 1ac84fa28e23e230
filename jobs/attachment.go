package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
)

// AttachmentArgs asks for one attached file to be read: its text extracted, redacted, split, embedded
// and stored as passages citing their place in the file.
type AttachmentArgs struct {
	AttachmentID string `json:"attachment_id"`
}

// Kind names the job in River's tables.
func (AttachmentArgs) Kind() string { return "attachment" }

// InsertOpts: reading runs on the captures' queue (it is capture work, bounded the same way), and a file
// that keeps failing shows within hours; it stays "reading" until then, and its original is kept.
func (AttachmentArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, Queue: QueueCapture}
}

// AttachmentReader reads one attachment (knowledge.Service.CaptureAttachment).
type AttachmentReader interface {
	CaptureAttachment(ctx context.Context, attachmentID string) error
}

// AttachmentWorker reads attachments. A reading replaces what it wrote before, so River running it twice
// is harmless; an attachment removed meanwhile is nothing to do.
type AttachmentWorker struct {
	river.WorkerDefaults[AttachmentArgs]
	read   AttachmentReader
	rescue time.Duration
}

// attachmentTimeout bounds one reading: a long PDF's text and its embeddings.
const attachmentTimeout = 3 * time.Minute

// Timeout bounds one reading.
func (w *AttachmentWorker) Timeout(*river.Job[AttachmentArgs]) time.Duration {
	return limit(attachmentTimeout, w.rescue)
}

// Work reads the attachment; a failure is returned for River to retry.
func (w *AttachmentWorker) Work(ctx context.Context, job *river.Job[AttachmentArgs]) error {
	err := w.read.CaptureAttachment(ctx, job.Args.AttachmentID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// EnqueueAttachment inserts the reading of an attachment in tx: it exists only if the attachment's
// transaction commits.
func (q *Queue) EnqueueAttachment(ctx context.Context, tx *store.Store, attachmentID string) error {
	return q.insertTx(ctx, tx, AttachmentArgs{AttachmentID: attachmentID}, "reading of attachment "+attachmentID)
}
