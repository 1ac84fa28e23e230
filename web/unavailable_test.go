package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/exitinterview/exitinterview/outage"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// proxy stands between the server's pool and PostgreSQL, so a test can take the database away and bring
// it back on the same address without touching the PostgreSQL that other tests share.
type proxy struct {
	*outage.Proxy
	t testing.TB
}

func newProxy(t testing.TB, target string) *proxy {
	t.Helper()
	p, err := outage.Start(target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Cut)
	return &proxy{Proxy: p, t: t}
}

func (p *proxy) restore() {
	p.t.Helper()
	if err := p.Restore(); err != nil {
		p.t.Fatal(err)
	}
}

// outageEnv is a test server whose database connections go through a proxy the test controls.
func outageEnv(t *testing.T) (*testEnv, *proxy) {
	t.Helper()
	direct, dbURL := dbtest.NewWithURL(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newProxy(t, u.Host)
	u.Host = proxy.Addr()
	pool, err := pgxpool.New(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e := newTestEnvOn(t, nil, pool, dbURL, nil)
	e.store = store.New(direct) // the test's own checks read past the proxy
	return e, proxy
}

// TestDatabaseOutageAnswers503AndRecovers: while PostgreSQL is out of reach, API calls and pages answer 503
// with Retry-After, an answer sent meanwhile changes nothing, and once the database is back the same server
// answers again and takes the answer, resent with the same client_id.
func TestDatabaseOutageAnswers503AndRecovers(t *testing.T) {
	t.Parallel()
	e, proxy := outageEnv(t)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	tok := e.token("maria@example.com")
	cookie := e.login("maria@example.com", pw)
	c := e.createSession(tok)
	csm := withBearer(c.InviteToken)
	if r := e.do(http.MethodGet, "/api/v1/interview", nil, csm); r.StatusCode != http.StatusOK {
		t.Fatalf("first view: %d", r.StatusCode)
	}
	before := e.count("messages")
	const answer = `{"content":"They route support tickets for 140 agents; Priya Shah is the champion.","client_id":"during-outage"}`

	proxy.Cut()
	unavailable := func(what string, r *http.Response, wantJSON bool) {
		t.Helper()
		body := readBody(t, r)
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "2" {
			t.Fatalf("%s during the outage: %d, Retry-After %q: %s", what, r.StatusCode, r.Header.Get("Retry-After"), body)
		}
		if wantJSON && !strings.Contains(body, `"code":"unavailable"`) {
			t.Fatalf("%s during the outage: %s", what, body)
		}
		if !wantJSON && (!strings.Contains(body, "cannot reach its database") || strings.Contains(body, `href="/interviews"`)) {
			t.Fatalf("%s during the outage is not a plain page saying why:\n%s", what, body)
		}
	}
	// Twice each: the first meets the pool's broken connections, the second a refused connect.
	for range 2 {
		unavailable("the API", e.do(http.MethodGet, "/api/v1/me", nil, withBearer(tok)), true)
		unavailable("an answer", e.postJSON("/api/v1/interview/messages", answer, csm), true)
		unavailable("a streamed answer", e.postJSON("/api/v1/interview/messages", answer, csm, withHeader("Accept", "text/event-stream")), true)
		unavailable("a page", e.do(http.MethodGet, "/interviews", nil, withCookie(cookie)), false)
	}

	proxy.restore()
	// The pool reconnects by itself; a connection it still held from before the outage may fail once.
	var status int
	for range 20 {
		if status = e.do(http.MethodGet, "/api/v1/me", nil, withBearer(tok)).StatusCode; status == http.StatusOK {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status != http.StatusOK {
		t.Fatalf("after the outage: %d", status)
	}
	if n := e.count("messages"); n != before {
		t.Fatalf("%d messages after the outage, %d before: a refused answer changed something", n, before)
	}
	if r := e.postJSON("/api/v1/interview/messages", answer, csm); r.StatusCode != http.StatusCreated {
		t.Fatalf("the answer resent after the outage: %d %s", r.StatusCode, readBody(t, r))
	}
}

func TestDBUnavailableTellsConnectionFailuresFromRefusals(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("load interview: %w", err) }
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"connect refused", wrap(&pgconn.ConnectError{}), true},
		{"connection failure 08006", wrap(&pgconn.PgError{Code: "08006"}), true},
		{"cannot connect now 57P03", wrap(&pgconn.PgError{Code: "57P03"}), true},
		{"admin shutdown 57P01", wrap(&pgconn.PgError{Code: "57P01"}), true},
		{"crash shutdown 57P02", wrap(&pgconn.PgError{Code: "57P02"}), true},
		{"network error", wrap(&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}), true},
		{"connection cut mid-query", wrap(io.ErrUnexpectedEOF), true},
		{"unique violation", wrap(&pgconn.PgError{Code: "23505"}), false},
		{"serialization failure", wrap(&pgconn.PgError{Code: "40001"}), false},
		{"query cancelled 57014", wrap(&pgconn.PgError{Code: "57014"}), false},
		{"not found", wrap(store.ErrNotFound), false},
		{"anything else", errors.New("boom"), false},
	}
	for _, tt := range tests {
		if got := dbUnavailable(tt.err); got != tt.want {
			t.Errorf("%s: dbUnavailable = %v, want %v", tt.name, got, tt.want)
		}
	}
}
