package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(dbtest.New(t))
}

func TestMigrationsAreIdempotentAndComplete(t *testing.T) {
	t.Parallel()
	pool, url := dbtest.NewWithURL(t)
	ctx := context.Background()
	// The template is already migrated: migrating again must change nothing and not fail.
	if err := store.Migrate(ctx, url, discard()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	for _, table := range []string{"users", "api_tokens", "browser_sessions", "login_failures", "audit_log", "river_job", "goose_db_version"} {
		var ok bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&ok); err != nil || !ok {
			t.Errorf("table %s missing (err %v)", table, err)
		}
	}
	var ext string
	if err := pool.QueryRow(ctx, "SELECT extversion FROM pg_extension WHERE extname = 'vector'").Scan(&ext); err != nil {
		t.Fatalf("pgvector extension: %v", err)
	}
	// pgvector's types are registered on every connection: a vector round-trips.
	var dims int
	if err := pool.QueryRow(ctx, "SELECT vector_dims('[1,2,3]'::vector)").Scan(&dims); err != nil || dims != 3 {
		t.Fatalf("vector_dims = %d, %v", dims, err)
	}
}

func TestMigrateFromEmptyDatabase(t *testing.T) {
	t.Parallel()
	// A database with nothing in it, as on a first `make run`: drop everything the template gave us.
	pool, url := dbtest.NewWithURL(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public;`); err != nil {
		t.Fatal(err)
	}
	pool.Reset()
	if err := store.Migrate(ctx, url, discard()); err != nil {
		t.Fatalf("migrate empty database: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&n); err != nil || n == 0 {
		t.Fatalf("goose versions = %d, %v", n, err)
	}
}

func TestConcurrentMigrateTakesTurns(t *testing.T) {
	t.Parallel()
	pool, url := dbtest.NewWithURL(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `DROP SCHEMA public CASCADE; CREATE SCHEMA public;`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = store.Migrate(ctx, url, discard()) }()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
		}
	}
}

func TestCreateUserRejectsDuplicateEmail(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	nu := store.NewUser{Email: "ada@example.com", Name: "Ada", Role: store.RoleManager}
	if _, err := s.CreateUser(ctx, nu); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, nu); !errors.Is(err, store.ErrEmailTaken) {
		t.Fatalf("duplicate: got %v, want ErrEmailTaken", err)
	}
	if _, err := s.UserByEmail(ctx, "nobody@example.com"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing user: got %v, want ErrNotFound", err)
	}
}

func TestCreateFirstUserCreatesExactlyOne(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	created := make([]bool, 4)
	for i := range created {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ok, err := s.CreateFirstUser(ctx, store.NewUser{Email: "admin@localhost", Name: "Admin", Role: store.RoleAdmin})
			if err != nil {
				t.Error(err)
			}
			created[i] = ok
		}()
	}
	wg.Wait()
	n := 0
	for _, ok := range created {
		if ok {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d replicas created the first user, want 1", n)
	}
}

func TestTransactRollsBackOnErrorAndCancel(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.CreateUser(ctx, store.NewUser{Email: "a@example.com", Name: "A", Role: store.RoleSuccessor}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	_ = s.Transact(cctx, func(tx *store.Store) error {
		if _, err := tx.CreateUser(cctx, store.NewUser{Email: "b@example.com", Name: "B", Role: store.RoleSuccessor}); err != nil {
			return err
		}
		cancel()
		return cctx.Err()
	})
	users, err := s.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 0 {
		t.Fatalf("rolled-back users are visible: %+v", users)
	}
}

func TestSessionExpiryAndIdleTimeout(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.NewUser{Email: "s@example.com", Name: "S", Role: store.RoleSuccessor})
	if err != nil {
		t.Fatal(err)
	}
	live := []byte("live-session-hash")
	expired := []byte("expired-session-hash")
	idle := []byte("idle-session-hash")
	for _, bs := range []store.BrowserSession{
		{TokenHash: live, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)},
		{TokenHash: expired, UserID: u.ID, ExpiresAt: time.Now().Add(-time.Second)},
		{TokenHash: idle, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)},
	} {
		if err := s.CreateBrowserSession(ctx, bs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE browser_sessions SET last_seen_at = now() - interval '3 hours' WHERE token_hash = $1`, idle); err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserBySession(ctx, live, 2*time.Hour); err != nil || got.ID != u.ID {
		t.Fatalf("live session: %v %v", got, err)
	}
	for name, h := range map[string][]byte{"expired": expired, "idle": idle} {
		if _, err := s.UserBySession(ctx, h, 2*time.Hour); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s session: got %v, want ErrNotFound", name, err)
		}
	}
	n, err := s.DeleteStaleBrowserSessions(ctx, 2*time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("deleted %d stale sessions (%v), want 2", n, err)
	}
}
