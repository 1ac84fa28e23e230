package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/fidelity"
	"github.com/exitinterview/exitinterview/store"
)

// benchCapture measures how many answers capture gets through a second, the way `serve` runs it: the
// fidelity personas' answers are stored as `interviews` interviews of answered questions, all their
// captures are enqueued at once, and the in-process workers drain the queue. It prints capture_answers,
// capture_per_s, and how long the last answer waited to be searchable.
func benchCapture(ctx context.Context, w io.Writer, svc *services, interviews int) error {
	personas, err := fidelity.Personas()
	if err != nil {
		return err
	}
	mgr, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "capture@example.com", Name: "Capture Bench", Role: store.RoleManager},
		"", auth.Client{})
	if err != nil {
		return err
	}
	var total int
	began := time.Now()
	for n := 0; n < interviews; n++ {
		ids, err := fidelity.StoreAnswers(ctx, svc.store, mgr.ID, personas[n%len(personas)], fmt.Sprintf("capture-bench-%d", n),
			func(tx *store.Store, m store.Message) error { return svc.queue.EnqueueCapture(ctx, tx, m.ID) })
		if err != nil {
			return err
		}
		total += len(ids)
	}
	if err := waitForJobs(ctx, svc, 10*time.Minute); err != nil {
		return err
	}
	elapsed := time.Since(began)
	var uncaptured int
	var lastMS float64
	if err := svc.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE captured_at IS NULL),
    coalesce(max(extract(epoch FROM captured_at - created_at)), 0) * 1000
FROM messages WHERE role = 'csm' AND kind = 'answer'`).Scan(&uncaptured, &lastMS); err != nil {
		return err
	}
	fmt.Fprintf(w, "capture_answers %d\ncapture_per_s %.0f\ncapture_longest_wait_ms %.0f\ncapture_uncaptured %d\n",
		total, float64(total-uncaptured)/elapsed.Seconds(), lastMS, uncaptured)
	return nil
}
