package jobs

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
)

type fakeReports struct {
	generated, failed []string
	err               error
}

func (f *fakeReports) Generate(_ context.Context, id string) error {
	f.generated = append(f.generated, id)
	return f.err
}

func (f *fakeReports) Fail(_ context.Context, id string, _ error) error {
	f.failed = append(f.failed, id)
	return nil
}

// TestReportWaitsForTheLastCaptures: the interview's end enqueues its report in the same transaction; the
// report waits while captures of its answers are queued, then is generated; its last failed attempt
// marks the version failed.
func TestReportWaitsForTheLastCaptures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "http://x")
	pool, st, log, manager, ivs := env.pool, env.store, env.log, env.manager, env.ivs
	client, err := NewClient(pool, Deps{Store: st, Log: log, SessionIdleTimeout: time.Hour}, false)
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(client)
	ivs.SetCaptureQueue(q)
	ivs.SetReportQueue(q)
	c, err := ivs.Create(ctx, manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		Accounts: []book.Account{{Name: "Northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ivs.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ivs.Answer(ctx, c.Interview.ID, "Marco signs the renewal.", "k1", v.Next.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ivs.Finish(ctx, c.Interview.ID); err != nil {
		t.Fatal(err)
	}
	latest, _, _, err := st.LatestReports(ctx, c.Interview.ID)
	if err != nil || latest == nil || latest.Status != "pending" || latest.Version != 1 {
		t.Fatalf("after the interview ended: %+v, %v", latest, err)
	}

	reports := &fakeReports{}
	w := &ReportWorker{pool: pool, generate: reports}
	job := &river.Job[ReportArgs]{JobRow: &rivertype.JobRow{CreatedAt: time.Now(), Attempt: 1, MaxAttempts: 4},
		Args: ReportArgs{ReportID: latest.ID, InterviewID: c.Interview.ID}}
	var snooze *river.JobSnoozeError
	if err := w.Work(ctx, job); !errors.As(err, &snooze) || len(reports.generated) != 0 {
		t.Fatalf("with a capture queued: err %v, %d generated; want a snooze", err, len(reports.generated))
	}
	// Once the captures are done (here: deleted), or after the wait, it is generated.
	if _, err := pool.Exec(ctx, `DELETE FROM river_job WHERE kind = 'capture'`); err != nil {
		t.Fatal(err)
	}
	if err := w.Work(ctx, job); err != nil || len(reports.generated) != 1 {
		t.Fatalf("captures done: err %v, %d generated", err, len(reports.generated))
	}
	reports.err = errors.New("render failed")
	if err := w.Work(ctx, job); err == nil || len(reports.failed) != 0 {
		t.Fatalf("a failed attempt with more to come: err %v, %d marked failed", err, len(reports.failed))
	}
	job.Attempt = 4
	if err := w.Work(ctx, job); err == nil || len(reports.failed) != 1 {
		t.Fatalf("the last failed attempt: err %v, %d marked failed", err, len(reports.failed))
	}
}
