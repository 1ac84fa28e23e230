// Package dbtest gives tests an isolated, migrated database on the local PostgreSQL cluster, cheaply: the
// schema is migrated once into a template database (named after a hash of the migrations, so a changed
// migration makes a new one) and every test gets its own clone, dropped when the test ends.
//
// The cluster comes from EXITINTERVIEW_TEST_DATABASE_URL (set by `make test`), or else from
// scripts/localdb.sh's URL of the running local cluster.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/exitinterview/exitinterview/migrations"
	"github.com/exitinterview/exitinterview/store"
)

// templateLock serialises template creation across test processes (go test runs packages in parallel).
const templateLock = 0x74706c74 // "tplt"

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// New returns a pool on a fresh migrated database of its own, closed and dropped when t ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, _ := NewWithURL(t)
	return pool
}

// NewWithURL is New that also returns the new database's URL, for code under test that connects itself.
func NewWithURL(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ctx := context.Background()
	server, err := ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx, server) })
	if templateErr != nil {
		t.Fatalf("test database template: %v", templateErr)
	}

	name := "exitinterview_test_" + randomHex(6)
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to test cluster: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName)); err != nil {
		t.Fatalf("clone test database: %v", err)
	}
	dbURL := withDatabase(server, name)
	pool, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("connect to drop test database: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name)); err != nil {
			t.Errorf("drop test database: %v", err)
		}
	})
	return pool, dbURL
}

// ServerURL returns a URL of the test cluster (any database on it).
func ServerURL() (string, error) {
	if u := os.Getenv("EXITINTERVIEW_TEST_DATABASE_URL"); u != "" {
		return u, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	out, err := exec.Command(filepath.Join(root, "scripts", "localdb.sh"), "url").Output()
	if err != nil {
		return "", fmt.Errorf("no EXITINTERVIEW_TEST_DATABASE_URL and no local cluster (run `make db` or `make test`): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func ensureTemplate(ctx context.Context, server string) (string, error) {
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "exitinterview_tmpl_" + sum
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return "", fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return "", err
	}
	defer conn.Exec(ctx, "SELECT pg_advisory_unlock($1)", templateLock) //nolint:errcheck

	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// Build under a temporary name and rename when complete, so a crash never leaves a half-migrated template.
	building := name + "_building"
	if _, err := conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s", building)); err != nil {
		return "", err
	}
	if err := store.Migrate(ctx, withDatabase(server, building), slog.New(slog.DiscardHandler)); err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, name)); err != nil {
		return "", err
	}
	// Marked as a template (which PostgreSQL refuses to drop) with its creation time, so that another
	// checkout's tests on the same cluster, with other migrations, leave it alone while it is in use.
	if _, err := conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s IS_TEMPLATE true", name)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS '%d'", name, time.Now().Unix())); err != nil {
		return "", err
	}
	// Templates of older migrations are of no further use once a day old.
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database
WHERE datname LIKE 'exitinterview\_tmpl\_%' AND datname <> $1
  AND coalesce(nullif(shobj_description(oid, 'pg_database'), ''), '0') ~ '^[0-9]+$'
  AND coalesce(nullif(shobj_description(oid, 'pg_database'), ''), '0')::bigint < $2`, name, time.Now().Add(-24*time.Hour).Unix())
	if err != nil {
		return "", err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	for _, old := range stale {
		_, _ = conn.Exec(ctx, fmt.Sprintf("ALTER DATABASE %s IS_TEMPLATE false", old))
		_, _ = conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", old))
	}
	return name, nil
}

// migrationsHash names the template after the migrations' content (and River's version, via go.sum).
func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", path, b)
		return nil
	})
	if err != nil {
		return "", err
	}
	if root, err := repoRoot(); err == nil {
		if b, err := os.ReadFile(filepath.Join(root, "go.sum")); err == nil {
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func withDatabase(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server
	}
	u.Path = "/" + name
	return u.String()
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
