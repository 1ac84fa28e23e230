package knowledge

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/fidelity"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// batchFixture stores a fidelity persona's answered interview and returns a capture service on it and
// the answers' ids.
func batchFixture(t *testing.T) (*Service, *store.Store, []string) {
	t.Helper()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	personas, err := fidelity.Personas()
	if err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.NewUser{Email: "batch@example.com", Name: "Batch", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	answers, err := fidelity.StoreAnswers(ctx, st, u.ID, personas[0], "batch", nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	return New(st, NewVectors(st, embed.NewOffline(), nil, log), nil, log), st, answers
}

// captureWhileHeld captures the answers at once while the interview's turn to write is held elsewhere,
// and once every capture waits in the interview's open batch, runs meanwhile (if any) and lets the turn
// go: they are then written as one batch. It returns each capture's error.
func captureWhileHeld(t *testing.T, s *Service, interviewID string, answers []string, meanwhile func()) []error {
	t.Helper()
	ctx := context.Background()
	s.batches.mu.Lock()
	s.batches.open, s.batches.turns = map[string]*batch{}, map[string]*turn{}
	held := &turn{token: make(chan struct{}, 1), users: 1}
	held.token <- struct{}{}
	s.batches.turns[interviewID] = held
	s.batches.mu.Unlock()
	errs := make([]error, len(answers))
	var wg sync.WaitGroup
	for i, id := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Capture(ctx, id)
		}()
	}
	for deadline := time.Now().Add(time.Minute); ; {
		s.batches.mu.Lock()
		b := s.batches.open[interviewID]
		waiting := b != nil && len(b.captures) == len(answers)
		s.batches.mu.Unlock()
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the captures never all waited in one batch")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if meanwhile != nil {
		meanwhile()
	}
	<-held.token
	s.batches.leave(interviewID, held)
	wg.Wait()
	return errs
}

// TestCapturesOfAnInterviewWaitingTogetherAreWrittenTogether: captures that finish while the interview's
// previous batch is written are stored in one transaction (their answers were captured at the same
// moment), and the facts it derives are those that capturing them one by one derives.
func TestCapturesOfAnInterviewWaitingTogetherAreWrittenTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, st, answers := batchFixture(t)
	m, err := st.MessageByID(ctx, answers[0])
	if err != nil {
		t.Fatal(err)
	}
	batched := answers[:6]
	for i, err := range captureWhileHeld(t, s, m.InterviewID, batched, nil) {
		if err != nil {
			t.Fatalf("capture %d: %v", i, err)
		}
	}
	var moments int
	if err := st.Pool().QueryRow(ctx, `SELECT count(DISTINCT captured_at) FROM messages WHERE id = ANY ($1::uuid[])`, batched).Scan(&moments); err != nil {
		t.Fatal(err)
	}
	if moments != 1 {
		t.Fatalf("the batch's answers were captured at %d moments, not in one transaction", moments)
	}
	together, err := st.Facts(ctx, m.InterviewID)
	if err != nil {
		t.Fatal(err)
	}

	// Captured again one by one, the same answers leave the same facts.
	for _, id := range batched {
		if err := s.Capture(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	alone, err := st.Facts(ctx, m.InterviewID)
	if err != nil {
		t.Fatal(err)
	}
	if len(together) == 0 || !slices.Equal(factKeys(together), factKeys(alone)) {
		t.Fatalf("written together:\n%v\none by one:\n%v", factKeys(together), factKeys(alone))
	}
}

// factKeys are what facts say, sorted.
func factKeys(all []store.Fact) []string {
	var keys []string
	for _, f := range all {
		keys = append(keys, fmt.Sprintf("%s|%s|%s|%v|%v|%v|%d|%s", f.ID, f.Type, f.Text, f.Fields, f.Sources, f.Uncertain, f.Position, f.State))
	}
	slices.Sort(keys)
	return keys
}

// TestABatchThatFailsIsWrittenOneByOne: an answer deleted while its capture waited fails its batch's
// transaction; the others of the batch are then written on their own and succeed.
func TestABatchThatFailsIsWrittenOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, st, answers := batchFixture(t)
	m, err := st.MessageByID(ctx, answers[0])
	if err != nil {
		t.Fatal(err)
	}
	batched := answers[:3]
	gone := batched[1]
	errs := captureWhileHeld(t, s, m.InterviewID, batched, func() { // each capture has read its answer: one is deleted
		if _, err := st.Pool().Exec(ctx, `DELETE FROM messages WHERE id = $1`, gone); err != nil {
			t.Fatal(err)
		}
	})
	for i, id := range batched {
		if id == gone {
			if errs[i] == nil {
				t.Fatal("the deleted answer's capture succeeded")
			}
			continue
		}
		if errs[i] != nil {
			t.Fatalf("capture %d failed with the deleted answer's batch: %v", i, errs[i])
		}
	}
	ids, err := st.UncapturedAnswers(ctx, m.InterviewID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if id == batched[0] || id == batched[2] {
			t.Fatalf("answer %s was not captured", id)
		}
	}
}
