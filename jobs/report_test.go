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
	"github.com/exitinterview/exitinterview/store"
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

// TestRegenerateReplacesAStalePendingReport: asking again while a version waits for its job returns that
// version; while its job runs (it may have read the interview before what the request follows), a new
// version follows it and it is left to finish; once a job was lost with a worker (running past the
// rescue window), ended without making its version, or the version has been pending too long, a new
// version replaces it and the old one is failed.
func TestRegenerateReplacesAStalePendingReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "http://x")
	client, err := NewClient(env.pool, Deps{Store: env.store, Log: env.log, SessionIdleTimeout: time.Hour}, false)
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(client)
	q.SetRescueAfter(time.Minute)
	c, err := env.ivs.Create(ctx, env.manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		Accounts: []book.Account{{Name: "Northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	request := func() store.Report {
		t.Helper()
		var r store.Report
		if err := env.store.Transact(ctx, func(tx *store.Store) error {
			var err error
			r, err = q.EnqueueReport(ctx, tx, c.Interview.ID, env.manager.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return r
	}
	jobOf := func(r store.Report) string { return `kind = 'report' AND args->>'report_id' = '` + r.ID + `'` }
	exec := func(sql string) {
		t.Helper()
		if _, err := env.pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}

	v1 := request()
	if again := request(); again.ID != v1.ID {
		t.Fatalf("a second request while v1 is queued made version %d", again.Version)
	}
	// Running, within the rescue window: being made, perhaps from the interview as it was before.
	exec(`UPDATE river_job SET state = 'running', attempted_at = now() - interval '30 seconds' WHERE ` + jobOf(v1))
	v2 := request()
	if v2.Version != 2 || v2.Status != "pending" {
		t.Fatalf("a request while v1 is being made: version %d %s; want a new pending version 2", v2.Version, v2.Status)
	}
	if old, err := env.store.ReportByID(ctx, v1.ID); err != nil || old.Status != "pending" {
		t.Fatalf("the version being made: %+v, %v; want it left pending to finish", old, err)
	}
	if again := request(); again.ID != v2.ID {
		t.Fatalf("a second request while v2 is queued made version %d", again.Version)
	}
	// Its worker was killed: the job has been running longer than the rescue window.
	exec(`UPDATE river_job SET state = 'running', attempted_at = now() - interval '2 minutes' WHERE ` + jobOf(v2))
	v3 := request()
	if v3.Version != 3 || v3.Status != "pending" {
		t.Fatalf("after the worker was lost: version %d %s; want a new pending version 3", v3.Version, v3.Status)
	}
	if old, err := env.store.ReportByID(ctx, v2.ID); err != nil || old.Status != "failed" || old.Error == "" {
		t.Fatalf("the replaced version: %+v, %v", old, err)
	}
	// The job ended without making its version.
	exec(`UPDATE river_job SET state = 'discarded', finalized_at = now() WHERE ` + jobOf(v3))
	v4 := request()
	if v4.Version != 4 {
		t.Fatalf("after the job was discarded: version %d", v4.Version)
	}
	// Pending far too long, whatever its job says.
	exec(`UPDATE reports SET created_at = now() - interval '1 hour' WHERE id = '` + v4.ID + `'`)
	if v5 := request(); v5.Version != 5 {
		t.Fatalf("after an hour pending: version %d", v5.Version)
	}
	var jobs int
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'report'`).Scan(&jobs); err != nil || jobs != 5 {
		t.Fatalf("%d report jobs, %v; want one per version", jobs, err)
	}
}
