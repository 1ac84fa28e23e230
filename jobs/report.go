package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
)

// ReportArgs asks for a pending version of an interview's report to be generated.
type ReportArgs struct {
	ReportID    string `json:"report_id"`
	InterviewID string `json:"interview_id"`
}

// Kind names the job in River's tables.
func (ReportArgs) Kind() string { return "report" }

// InsertOpts: a report that keeps failing is marked failed within minutes, not weeks.
func (ReportArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 4} }

// ReportGenerator makes a pending version, or gives it up.
type ReportGenerator interface {
	Generate(ctx context.Context, reportID string) error
	Fail(ctx context.Context, reportID string, cause error) error
}

// captureWait is how long a report waits for the captures of its interview's last answers, so a report
// made as the interview ends includes them; after that it is made with what is there.
const captureWait = 2 * time.Minute

// ReportWorker generates reports.
type ReportWorker struct {
	river.WorkerDefaults[ReportArgs]
	pool     *pgxpool.Pool
	generate ReportGenerator
	rescue   time.Duration
}

// Timeout bounds one generation.
func (w *ReportWorker) Timeout(*river.Job[ReportArgs]) time.Duration {
	return limit(reportTimeout, w.rescue)
}

// Work waits (snoozing, which costs no attempt) while captures of the interview are queued, then
// generates. The last attempt's failure marks the version failed, so the manager sees it.
func (w *ReportWorker) Work(ctx context.Context, job *river.Job[ReportArgs]) error {
	if time.Since(job.CreatedAt) < captureWait {
		var waiting bool
		err := w.pool.QueryRow(ctx, `
SELECT EXISTS (SELECT 1 FROM river_job j JOIN messages m ON m.id::text = j.args->>'message_id'
WHERE j.kind = 'capture' AND j.state IN ('available', 'running', 'retryable', 'scheduled', 'pending') AND m.interview_id = $1::uuid)`,
			job.Args.InterviewID).Scan(&waiting)
		if err != nil {
			return fmt.Errorf("captures of %s: %w", job.Args.InterviewID, err)
		}
		if waiting {
			return river.JobSnooze(time.Second)
		}
	}
	err := w.generate.Generate(ctx, job.Args.ReportID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err == nil {
		// An answer captured while this version was being built is in neither it nor a rebuild yet.
		return rebuildIncomplete(ctx, store.New(w.pool), job.Args.InterviewID, w.rescue)
	}
	if err != nil && job.Attempt >= job.MaxAttempts {
		if ferr := w.generate.Fail(context.WithoutCancel(ctx), job.Args.ReportID, err); ferr != nil {
			return errors.Join(err, ferr)
		}
	}
	return err
}

// EnqueueReport makes a pending version of the interview's report and its job, in tx: both exist only if
// tx commits. A pending version that exists already is returned instead, unless it is stale (its job was
// lost with a worker, or it has been pending too long): then a new version replaces it.
func (q *Queue) EnqueueReport(ctx context.Context, tx *store.Store, interviewID, requestedBy string) (store.Report, error) {
	if tx.Tx() == nil {
		return store.Report{}, errors.New("enqueue report: not in a transaction")
	}
	r, fresh, err := tx.RequestReport(ctx, interviewID, requestedBy, q.rescueAfter())
	if err != nil || !fresh {
		return r, err
	}
	if err := q.insertTx(ctx, tx, ReportArgs{ReportID: r.ID, InterviewID: interviewID}, "report of "+interviewID); err != nil {
		return store.Report{}, err
	}
	return r, nil
}
