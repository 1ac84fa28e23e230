package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

type fakeBackfill struct {
	done  bool
	err   error
	calls int
}

func (f *fakeBackfill) Backfill(context.Context, time.Duration) (bool, error) {
	f.calls++
	return f.done, f.err
}

// TestReembedWorkerSlices: a re-embedding that is not done snoozes (costing no attempt) to run its next
// slice; a failure is retried; a job for another model is left alone.
func TestReembedWorkerSlices(t *testing.T) {
	t.Parallel()
	job := func(model string) *river.Job[ReembedArgs] {
		return &river.Job[ReembedArgs]{Args: ReembedArgs{Model: model}}
	}
	var snooze *river.JobSnoozeError

	more := &fakeBackfill{}
	if err := (&ReembedWorker{backfill: more, model: "m"}).Work(t.Context(), job("m")); !errors.As(err, &snooze) {
		t.Fatalf("not done: err = %v, want a snooze", err)
	}
	done := &fakeBackfill{done: true}
	if err := (&ReembedWorker{backfill: done, model: "m"}).Work(t.Context(), job("m")); err != nil {
		t.Fatalf("done: err = %v", err)
	}
	boom := errors.New("endpoint down")
	failing := &fakeBackfill{err: boom}
	if err := (&ReembedWorker{backfill: failing, model: "m"}).Work(t.Context(), job("m")); !errors.Is(err, boom) {
		t.Fatalf("failing: err = %v", err)
	}
	other := &fakeBackfill{}
	if err := (&ReembedWorker{backfill: other, model: "m"}).Work(t.Context(), job("another")); err != nil || other.calls != 0 {
		t.Fatalf("another model's job: err = %v, %d backfills", err, other.calls)
	}
}
