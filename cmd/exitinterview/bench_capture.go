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
		p := personas[n%len(personas)]
		var accounts []store.Account
		for _, a := range p.Accounts {
			accounts = append(accounts, store.Account{Name: a.Name, Depth: "deep"})
		}
		err := svc.store.Transact(ctx, func(tx *store.Store) error {
			iv, stored, err := tx.CreateInterview(ctx, store.NewInterview{ManagerID: mgr.ID, CSMName: p.CSM.Name,
				DepartureDate: time.Now().AddDate(0, 1, 0), TimeBudgetMinutes: 60, Accounts: accounts,
				InviteHash: []byte(fmt.Sprintf("capture-bench-%d", n)), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
			if err != nil {
				return err
			}
			ids := map[string]string{}
			for _, a := range stored {
				ids[a.Name] = a.ID
			}
			for _, an := range p.Answers {
				q, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question",
					Content: "Tell me about " + an.Topic, AccountID: ids[an.Account], Topics: []string{an.Topic}})
				if err != nil {
					return err
				}
				m, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: an.Text, ReplyTo: q.ID})
				if err != nil {
					return err
				}
				if err := svc.queue.EnqueueCapture(ctx, tx, m.ID); err != nil {
					return err
				}
				total++
			}
			return nil
		})
		if err != nil {
			return err
		}
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
