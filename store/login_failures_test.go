package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// Two pools on one database stand for two replicas: the reservation must hold across them.
func twoReplicas(t *testing.T) [2]*store.Store {
	t.Helper()
	pool, url := dbtest.NewWithURL(t)
	other, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(other.Close)
	return [2]*store.Store{store.New(pool), store.New(other)}
}

func TestReserveLoginAttemptLetsThroughNoMoreThanTheLimit(t *testing.T) {
	t.Parallel()
	replicas := twoReplicas(t)
	ctx := context.Background()
	since := time.Now().Add(-time.Hour)
	reserve := func(n int, email, ip func(i int) string) int64 {
		var granted atomic.Int64
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := replicas[i%2].ReserveLoginAttempt(ctx, email(i), ip(i), since, 5, 30)
				if err != nil {
					t.Error(err)
				}
				if r.Granted() {
					granted.Add(1)
				}
			}()
		}
		wg.Wait()
		return granted.Load()
	}
	// 40 guesses at one email from many addresses: the email's limit.
	if n := reserve(40, func(int) string { return "target@example.com" }, func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }); n != 5 {
		t.Fatalf("%d of 40 parallel attempts at one email were let through, want 5", n)
	}
	// 100 attempts at many emails from one address: the address's limit.
	if n := reserve(100, func(i int) string { return fmt.Sprintf("u%d@example.com", i) }, func(int) string { return "198.51.100.1" }); n != 30 {
		t.Fatalf("%d of 100 parallel attempts from one address were let through, want 30", n)
	}
	// A refusal reports the counts that refused it and records nothing.
	r, err := replicas[0].ReserveLoginAttempt(ctx, "target@example.com", "192.0.2.1", since, 5, 30)
	if err != nil || r.Granted() || r.ByEmail != 5 || r.ByIP != 0 {
		t.Fatalf("refused attempt: %+v %v", r, err)
	}
	var rows int
	if err := replicas[0].Pool().QueryRow(ctx, `SELECT count(*) FROM login_failures`).Scan(&rows); err != nil || rows != 35 {
		t.Fatalf("%d attempts recorded, want 35 (%v)", rows, err)
	}
	// Attempts older than the window do not count.
	if r, err := replicas[1].ReserveLoginAttempt(ctx, "target@example.com", "192.0.2.1", time.Now().Add(time.Minute), 5, 30); err != nil || !r.Granted() {
		t.Fatalf("attempt after the window: %+v %v", r, err)
	}
}
