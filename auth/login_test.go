package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

func newTestService(t *testing.T, cfg Config) *Service {
	t.Helper()
	cfg.Hash = cheap
	if cfg.LoginWindow == 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime, cfg.SessionIdleTimeout = time.Hour, time.Hour
	}
	s, err := NewService(store.New(dbtest.New(t)), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParallelGuessesCheckNoMoreThanTheLimit(t *testing.T) {
	t.Parallel()
	// Slots enough for every guess, so the database reservation alone has to hold the line.
	s := newTestService(t, Config{MaxFailuresEmail: 5, MaxFailuresIP: 100, HashSlots: 40, HashWait: time.Minute})
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, NewUserInput{Email: "target@example.com", Name: "Target", Role: store.RoleManager, Password: "the right password"}, "", Client{}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	outcomes := map[string]int{}
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Login(ctx, "target@example.com", "a wrong guess", Client{IP: "203.0.113.7"})
			var rl *RateLimitedError
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, ErrInvalidCredentials):
				outcomes["wrong"]++
			case errors.As(err, &rl):
				outcomes[rl.Reason]++
			default:
				t.Errorf("guess: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := s.HashesChecked(); n != 5 {
		t.Fatalf("%d passwords checked for 40 parallel guesses, want 5 (outcomes %v)", n, outcomes)
	}
	if outcomes["wrong"] != 5 || outcomes[RefusedEmailLimit] != 35 {
		t.Fatalf("outcomes %v, want 5 wrong and 35 refused for the email", outcomes)
	}
	// The right password is refused too now, without being checked.
	_, err := s.Login(ctx, "target@example.com", "the right password", Client{IP: "203.0.113.7"})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 15*time.Minute || s.HashesChecked() != 5 {
		t.Fatalf("right password after the limit: %v (%d checked)", err, s.HashesChecked())
	}
}

func TestSuccessfulLoginReleasesItsReservation(t *testing.T) {
	t.Parallel()
	s := newTestService(t, Config{MaxFailuresEmail: 2, MaxFailuresIP: 2})
	ctx := context.Background()
	if _, err := s.CreateUser(ctx, NewUserInput{Email: "m@example.com", Name: "M", Role: store.RoleManager, Password: "the right password"}, "", Client{}); err != nil {
		t.Fatal(err)
	}
	// Far more successful logins than the limits: each one's reservation is taken back.
	for i := range 5 {
		if _, err := s.Login(ctx, "m@example.com", "the right password", Client{IP: "203.0.113.7"}); err != nil {
			t.Fatalf("login %d: %v", i+1, err)
		}
	}
	var rows int
	if err := s.store.Pool().QueryRow(ctx, `SELECT count(*) FROM login_failures`).Scan(&rows); err != nil || rows != 0 {
		t.Fatalf("%d attempts left after successful logins (%v)", rows, err)
	}
}

func TestLoginRefusedAsBusyWithoutCheckingOrRecording(t *testing.T) {
	t.Parallel()
	s := newTestService(t, Config{MaxFailuresEmail: 5, MaxFailuresIP: 30, HashSlots: 2, HashWait: 10 * time.Millisecond})
	ctx := context.Background()
	// Both slots taken, as by two logins whose passwords are being checked.
	s.hashSlots <- struct{}{}
	s.hashSlots <- struct{}{}
	_, err := s.Login(ctx, "m@example.com", "whatever", Client{IP: "203.0.113.7"})
	var rl *RateLimitedError
	if !errors.As(err, &rl) || rl.Reason != RefusedBusy || rl.RetryAfter != time.Second {
		t.Fatalf("login with no free slot: %v", err)
	}
	var rows int
	if err := s.store.Pool().QueryRow(ctx, `SELECT count(*) FROM login_failures`).Scan(&rows); err != nil || rows != 0 || s.HashesChecked() != 0 {
		t.Fatalf("a busy refusal recorded %d attempts and checked %d passwords (%v)", rows, s.HashesChecked(), err)
	}
	// A slot coming free lets the next login through.
	<-s.hashSlots
	if _, err := s.Login(ctx, "m@example.com", "whatever", Client{IP: "203.0.113.7"}); !errors.Is(err, ErrInvalidCredentials) {
		t.Fatalf("login with a free slot: %v", err)
	}
}
