package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

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

// searchablePoll is how often benchSearchable looks for answers that have become searchable: the
// figures are at most this much late.
const searchablePoll = 10 * time.Millisecond

// benchSearchable measures how soon an answer is searchable while interviews answer at a CSM's pace:
// each of `interviews` sessions commits one answer at a time, pausing about `think` between them (from
// half to one and a half times it), for `duration`, and every answer's capture is enqueued with it as a
// turn does. An answer's wait runs from its commit to the moment polling finds it captured (its chunks
// committed, so search sees them). The answers are the fidelity personas' (all of them, each session
// starting at its own place), filed under the question they answered, and each session has its own
// CSM, so no session reuses another's reading of an answer; the turn's own work (the interviewer's reply)
// is not done here: the turn figures measure it. It prints searchable_answers, searchable_p50_ms,
// searchable_p95_ms, searchable_max_ms and searchable_uncaptured (still not searchable a minute after
// the last answer).
func benchSearchable(ctx context.Context, w io.Writer, svc *services, interviews int, think, duration time.Duration) error {
	personas, err := fidelity.Personas()
	if err != nil {
		return err
	}
	var answers []fidelity.Answer
	var book []store.Account
	for _, p := range personas {
		answers = append(answers, p.Answers...)
		for _, a := range p.Accounts {
			book = append(book, store.Account{Name: a.Name, Depth: "deep"})
		}
	}
	mgr, err := svc.auth.CreateUser(ctx, auth.NewUserInput{Email: "searchable@example.com", Name: "Searchable Bench", Role: store.RoleManager},
		"", auth.Client{})
	if err != nil {
		return err
	}
	sessions := make([]answerSession, interviews+1)
	for i := range sessions {
		if sessions[i], err = newAnswerSession(ctx, svc, mgr.ID, fmt.Sprintf("CSM %d", i), book); err != nil {
			return err
		}
	}
	// The first answer of a process reads slower (the rules' expressions are compiled when first used):
	// one answer is captured before the clock starts.
	warm, err := sessions[interviews].answer(ctx, svc, answers[0])
	if err != nil {
		return err
	}
	if _, err := waitSearchable(ctx, svc, map[string]time.Time{warm: time.Now()}, time.Minute); err != nil {
		return err
	}

	var mu sync.Mutex
	committed := map[string]time.Time{} // answer id → when its commit returned
	var wg sync.WaitGroup
	errs := make(chan error, interviews)
	stop := time.Now().Add(duration)
	for i := range interviews {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := i * len(answers) / interviews; ; n++ {
				if think > 0 {
					time.Sleep(think/2 + rand.N(think))
				}
				if time.Now().After(stop) {
					return
				}
				id, err := sessions[i].answer(ctx, svc, answers[n%len(answers)])
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				committed[id] = time.Now()
				mu.Unlock()
			}
		}()
	}
	finished := make(chan struct{})
	go func() {
		wg.Wait()
		close(finished)
	}()
	// Polled until the last session has stopped answering, then until every answer is searchable.
	waits, err := pollSearchable(ctx, svc, &mu, committed, func() bool {
		select {
		case <-finished:
			return true
		default:
			return false
		}
	})
	<-finished
	close(errs)
	if err == nil {
		err = <-errs
	}
	if err != nil {
		return err
	}
	rest, err := waitSearchable(ctx, svc, committed, time.Minute)
	if err != nil {
		return err
	}
	waits = append(waits, rest...)
	slices.Sort(waits)
	fmt.Fprintf(w, "searchable_answers %d\nsearchable_p50_ms %.0f\nsearchable_p95_ms %.0f\nsearchable_max_ms %.0f\nsearchable_uncaptured %d\n",
		len(waits), percentile(waits, 0.50), percentile(waits, 0.95), percentile(waits, 1), len(committed))
	return nil
}

// answerSession is one interview of the searchable bench.
type answerSession struct {
	interviewID string
	accounts    map[string]string // name → id
}

func newAnswerSession(ctx context.Context, svc *services, managerID, csm string, book []store.Account) (answerSession, error) {
	iv, stored, err := svc.store.CreateInterview(ctx, store.NewInterview{ManagerID: managerID, CSMName: csm,
		DepartureDate: time.Now().AddDate(0, 1, 0), TimeBudgetMinutes: 60, Accounts: book,
		InviteHash: []byte("searchable-" + csm), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		return answerSession{}, err
	}
	s := answerSession{interviewID: iv.ID, accounts: map[string]string{}}
	for _, a := range stored {
		s.accounts[a.Name] = a.ID
	}
	return s, nil
}

// answer commits a question about the answer's account and topic and the CSM's answer to it, with the
// answer's capture enqueued in the same transaction as a turn does, and returns the answer's id.
func (s answerSession) answer(ctx context.Context, svc *services, a fidelity.Answer) (string, error) {
	var id string
	err := svc.store.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, s.interviewID); err != nil {
			return err
		}
		q, err := tx.InsertMessage(ctx, store.Message{InterviewID: s.interviewID, Role: "interviewer", Kind: "question",
			Content: "Tell me about " + a.Topic, AccountID: s.accounts[a.Account], Topics: []string{a.Topic}})
		if err != nil {
			return err
		}
		m, err := tx.InsertMessage(ctx, store.Message{InterviewID: s.interviewID, Role: "csm", Kind: "answer", Content: a.Text, ReplyTo: q.ID})
		if err != nil {
			return err
		}
		id = m.ID
		return svc.queue.EnqueueCapture(ctx, tx, m.ID)
	})
	return id, err
}

// pollSearchable takes from committed, until done says so, the answers whose capture has committed, and
// returns how long after their own commit each was found.
func pollSearchable(ctx context.Context, svc *services, mu *sync.Mutex, committed map[string]time.Time, done func() bool) ([]time.Duration, error) {
	var waits []time.Duration
	for !done() {
		mu.Lock()
		ids := slices.Collect(maps.Keys(committed))
		mu.Unlock()
		if len(ids) > 0 {
			rows, err := svc.pool.Query(ctx, `SELECT id::text FROM messages WHERE id = ANY ($1::uuid[]) AND captured_at IS NOT NULL`, ids)
			if err != nil {
				return nil, err
			}
			found, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return nil, err
			}
			now := time.Now()
			mu.Lock()
			for _, id := range found {
				waits = append(waits, now.Sub(committed[id]))
				delete(committed, id)
			}
			mu.Unlock()
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(searchablePoll):
		}
	}
	return waits, nil
}

// waitSearchable is pollSearchable until every answer of committed is searchable or limit has passed.
func waitSearchable(ctx context.Context, svc *services, committed map[string]time.Time, limit time.Duration) ([]time.Duration, error) {
	var mu sync.Mutex
	deadline := time.Now().Add(limit)
	return pollSearchable(ctx, svc, &mu, committed, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(committed) == 0 || time.Now().After(deadline)
	})
}
