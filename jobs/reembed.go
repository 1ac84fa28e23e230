package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

// ReembedArgs asks for every chunk to get a vector of the configured embedding model, the model's index
// to be built and the older models to be retired once it is complete (knowledge.Vectors.Backfill).
type ReembedArgs struct {
	Model string `json:"model"`
}

// Kind names the job in River's tables.
func (ReembedArgs) Kind() string { return "reembed" }

// InsertOpts: one re-embedding per model at a time, however many replicas start or how often the
// periodic check runs; it has the capture queue's slots, so it never takes the CPU from the CSMs.
func (ReembedArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 10, Queue: QueueCapture, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Backfiller embeds what is missing for the configured model.
type Backfiller interface {
	Backfill(ctx context.Context, budget time.Duration) (done bool, err error)
}

// reembedSlice is how long one run embeds before it yields and is rescheduled: a large re-embedding
// proceeds in slices that each fit the job's timeout, and a stopping worker loses at most one slice.
const reembedSlice = 2 * time.Minute

// ReembedWorker runs re-embeddings.
type ReembedWorker struct {
	river.WorkerDefaults[ReembedArgs]
	backfill Backfiller
	model    string
	rescue   time.Duration
}

// Timeout bounds one slice, with room for the index build at the end (at most the rescue window, so a
// slice still at work is not taken for lost).
func (w *ReembedWorker) Timeout(*river.Job[ReembedArgs]) time.Duration {
	return limit(reembedTimeout, w.rescue)
}

// Work embeds one slice; when more is left it snoozes (which costs no attempt) to run the next. A job
// for a model this process is not configured with is left to a process that is.
func (w *ReembedWorker) Work(ctx context.Context, job *river.Job[ReembedArgs]) error {
	if job.Args.Model != w.model {
		return nil
	}
	done, err := w.backfill.Backfill(ctx, min(reembedSlice, w.Timeout(job)/2))
	if err != nil {
		return err
	}
	if !done {
		return river.JobSnooze(time.Second)
	}
	return nil
}
