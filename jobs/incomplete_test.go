package jobs

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
)

// TestAReportBuiltBeforeACaptureSaysSoAndIsRebuiltOnce: a report built while an answer's capture is
// still queued lists that answer as not yet included, in its JSON and Markdown; once the capture
// completes, one new version is built that includes it, and capturing the answer again builds no more.
func TestAReportBuiltBeforeACaptureSaysSoAndIsRebuiltOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "http://x")
	st := env.store
	reports := report.NewService(st, env.log)
	client, err := NewClient(env.pool, Deps{Store: st, Log: env.log, SessionIdleTimeout: time.Hour, Reports: reports,
		Capture: knowledge.New(st, knowledge.NewVectors(st, embed.NewOffline(), nil, env.log), nil, env.log)}, true)
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(client)
	env.ivs.SetCaptureQueue(q)
	c, err := env.ivs.Create(ctx, env.manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		Accounts: []book.Account{{Name: "Northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := env.ivs.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	a, err := env.ivs.Answer(ctx, c.Interview.ID, "Northwind is evaluating a competitor because reporting is slow; the renewal is at risk.", "k1", v.Next.ID, nil)
	if err != nil {
		t.Fatal(err)
	}

	// Built now, with the capture queued and no worker running: version 1 lacks the answer and says so.
	var v1 store.Report
	if err := st.Transact(ctx, func(tx *store.Store) error {
		var err error
		v1, _, err = tx.RequestReport(ctx, c.Interview.ID, "", 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := reports.Generate(ctx, v1.ID); err != nil {
		t.Fatal(err)
	}
	_, r1, err := reports.Current(ctx, c.Interview.ID)
	if err != nil || r1 == nil {
		t.Fatalf("version 1: %v", err)
	}
	if len(r1.IncompleteAnswerIDs) != 1 || r1.IncompleteAnswerIDs[0] != a.Message.ID {
		t.Fatalf("version 1 lists %v as not included; want the answer %s", r1.IncompleteAnswerIDs, a.Message.ID)
	}
	model, _ := json.Marshal(r1)
	md, _, err := st.ReportFile(ctx, c.Interview.ID, "markdown")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(model), `"incomplete_answer_ids":["`+a.Message.ID+`"]`) || !strings.Contains(string(md), "Incomplete: 1 answer not yet included") {
		t.Fatalf("version 1 does not say it is incomplete:\n%s\n%s", model, md)
	}
	if rebuild, err := st.ReportAwaitsRebuild(ctx, c.Interview.ID); err != nil || rebuild {
		t.Fatalf("before the capture, a rebuild is due: %v, %v", rebuild, err)
	}

	// The worker captures the answer, which enqueues version 2; it includes the answer.
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	waitFor := func(kind string) {
		t.Helper()
		deadline := time.After(60 * time.Second)
		for {
			select {
			case ev := <-events:
				if ev.Kind == river.EventKindJobFailed {
					t.Fatalf("%s failed: %v", ev.Job.Kind, ev.Job.Errors)
				}
				if ev.Job.Kind == kind {
					return
				}
			case <-deadline:
				t.Fatalf("no %s job completed", kind)
			}
		}
	}
	waitFor("report")
	latest, r2, err := reports.Current(ctx, c.Interview.ID)
	if err != nil || r2 == nil || latest.Version != 2 || r2.Version != 2 {
		t.Fatalf("after the capture: latest %+v, ready %+v, %v; want version 2 ready", latest, r2, err)
	}
	if len(r2.IncompleteAnswerIDs) != 0 || r2.IncompleteNote() != "" {
		t.Fatalf("version 2 still lacks %v", r2.IncompleteAnswerIDs)
	}
	cites := func(r *report.Report) (n int) {
		for _, acc := range r.Accounts {
			for _, f := range acc.Findings {
				for _, id := range f.MessageIDs {
					if id == a.Message.ID {
						n++
					}
				}
			}
		}
		return n
	}
	if cites(r1) != 0 || cites(r2) == 0 {
		t.Fatalf("findings from the answer: %d in version 1, %d in version 2", cites(r1), cites(r2))
	}

	// Capturing the answer again (a correction does) rebuilds nothing: version 2 is complete.
	if _, err := client.Insert(ctx, CaptureArgs{MessageID: a.Message.ID}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor("capture")
	var versions int
	if err := env.pool.QueryRow(ctx, `SELECT count(*) FROM reports WHERE interview_id = $1`, c.Interview.ID).Scan(&versions); err != nil || versions != 2 {
		t.Fatalf("%d versions (%v); want 2", versions, err)
	}
}
