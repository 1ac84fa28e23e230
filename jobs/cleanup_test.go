package jobs

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestCleanupRunsOnStartAndRemovesOnlyWhatExpired starts the real River client, as `serve` and `worker`
// do, and waits for the periodic cleanup it schedules on start.
func TestCleanupRunsOnStartAndRemovesOnlyWhatExpired(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	u, err := st.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	for _, bs := range []store.BrowserSession{
		{TokenHash: []byte("live"), UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)},
		{TokenHash: []byte("expired"), UserID: u.ID, ExpiresAt: time.Now().Add(-time.Minute)},
	} {
		if err := st.CreateBrowserSession(ctx, bs); err != nil {
			t.Fatal(err)
		}
	}
	for _, age := range []string{"2 days", "1 minute"} {
		if _, err := pool.Exec(ctx, `INSERT INTO login_failures (email, ip, attempted_at) VALUES ('m@example.com', '127.0.0.1', now() - $1::interval)`, age); err != nil {
			t.Fatal(err)
		}
	}

	client, err := NewClient(pool, Deps{Store: st, Log: slog.New(slog.DiscardHandler), SessionIdleTimeout: time.Hour}, true)
	if err != nil {
		t.Fatal(err)
	}
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	select {
	case ev := <-events:
		if ev.Kind != river.EventKindJobCompleted || ev.Job.Kind != "cleanup" {
			t.Fatalf("event %s for %s: %v", ev.Kind, ev.Job.Kind, ev.Job.Errors)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the cleanup job did not run on start")
	}
	var sessions, failures int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM browser_sessions), (SELECT count(*) FROM login_failures)`).Scan(&sessions, &failures); err != nil {
		t.Fatal(err)
	}
	if sessions != 1 || failures != 1 {
		t.Fatalf("after cleanup: %d sessions, %d login failures; want 1 and 1", sessions, failures)
	}
}
