package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
)

// CaptureArgs asks for one stored answer to be captured: redacted, chunked, mined and embedded.
type CaptureArgs struct {
	MessageID string `json:"message_id"`
}

// Kind names the job in River's tables.
func (CaptureArgs) Kind() string { return "capture" }

// QueueCapture is the captures' own queue (see captureWorkers), so a burst of answers never takes the
// CPU from the CSMs' turns.
const QueueCapture = "capture"

// InsertOpts: a capture that keeps failing should show within hours, not weeks.
func (CaptureArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, Queue: QueueCapture}
}

// Capturer captures one message.
type Capturer interface {
	Capture(ctx context.Context, messageID string) error
}

// CaptureWorker runs captures. A capture replaces what it wrote before, so River running it twice is
// harmless; a message deleted meanwhile is nothing to do.
type CaptureWorker struct {
	river.WorkerDefaults[CaptureArgs]
	capture Capturer
	store   *store.Store
	rescue  time.Duration
}

// Timeout bounds one capture.
func (w *CaptureWorker) Timeout(*river.Job[CaptureArgs]) time.Duration {
	return limit(captureTimeout, w.rescue)
}

// Work captures the message, then has the interview's report rebuilt when it was built without this
// answer. Should it stop between the two (a killed worker), River runs it again and both happen.
func (w *CaptureWorker) Work(ctx context.Context, job *river.Job[CaptureArgs]) error {
	err := w.capture.Capture(ctx, job.Args.MessageID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil || w.store == nil {
		return err
	}
	// One query says whether a report waits for this answer; most often none does.
	interviewID, rebuild, err := w.store.ReportAwaitsRebuildAfter(ctx, job.Args.MessageID)
	if errors.Is(err, store.ErrNotFound) || err == nil && !rebuild {
		return nil
	}
	if err != nil {
		return err
	}
	return rebuildIncomplete(ctx, w.store, interviewID, w.rescue)
}

// rebuildIncomplete requests a new version of the interview's report when its newest version is ready
// but lists as incomplete an answer whose capture has completed since. It runs under the interview's
// lock, and a pending version is reused, so captures completing together make one new version. Outside
// a River job (a direct call in a test) there is no client to enqueue with, and it does nothing.
func rebuildIncomplete(ctx context.Context, st *store.Store, interviewID string, rescue time.Duration) error {
	client, err := river.ClientFromContextSafely[pgx.Tx](ctx)
	if err != nil {
		return nil
	}
	// Most captures find no report waiting for them: a read without the lock says so, and the lock, which
	// the CSM's turns take too, is taken only when there is a rebuild to decide.
	if rebuild, err := st.ReportAwaitsRebuild(ctx, interviewID); err != nil || !rebuild {
		return err
	}
	q := &Queue{client: client, rescue: rescue}
	err = st.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, interviewID); err != nil {
			return err
		}
		rebuild, err := tx.ReportAwaitsRebuild(ctx, interviewID)
		if err != nil || !rebuild {
			return err
		}
		_, err = q.EnqueueReport(ctx, tx, interviewID, "")
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rebuild the incomplete report of %s: %w", interviewID, err)
	}
	return nil
}

// Queue enqueues jobs with a River client.
type Queue struct {
	client *river.Client[pgx.Tx]
	rescue time.Duration // the workers' rescue window; 0: DefaultRescueAfter
}

// NewQueue returns a queue on client.
func NewQueue(client *river.Client[pgx.Tx]) *Queue { return &Queue{client: client} }

// SetRescueAfter tells the queue the workers' rescue window (EXITINTERVIEW_JOB_RESCUE_AFTER): a report
// whose job has been running longer was lost with its worker, and a new request replaces it.
func (q *Queue) SetRescueAfter(d time.Duration) { q.rescue = d }

func (q *Queue) rescueAfter() time.Duration {
	if q.rescue <= 0 {
		return DefaultRescueAfter
	}
	return q.rescue
}

// EnqueueCapture inserts the capture job in tx: it exists only if the answer's transaction commits.
func (q *Queue) EnqueueCapture(ctx context.Context, tx *store.Store, messageID string) error {
	return q.insertTx(ctx, tx, CaptureArgs{MessageID: messageID}, "capture of "+messageID)
}

// insertTx inserts a job in tx, so it exists only if tx commits; what says which, for errors.
func (q *Queue) insertTx(ctx context.Context, tx *store.Store, args river.JobArgs, what string) error {
	if tx.Tx() == nil {
		return fmt.Errorf("enqueue %s: not in a transaction", what)
	}
	if _, err := q.client.InsertTx(ctx, tx.Tx(), args, nil); err != nil {
		return fmt.Errorf("enqueue %s: %w", what, err)
	}
	return nil
}
