package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// env is a fresh database with two managers and an admin, the webhook service on it (private addresses
// allowed, for the test's receivers; short retries), and a River client that only inserts jobs.
type env struct {
	t        *testing.T
	st       *store.Store
	hooks    *Service
	river    *river.Client[pgx.Tx]
	ivs      *interview.Service
	maria    store.User // a manager
	omar     store.User // another manager
	admin    store.User
	baseURL  string
	received *receiver
}

func newEnv(t *testing.T, retry ...time.Duration) *env {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	log := slog.New(slog.DiscardHandler)
	e := &env{t: t, st: st, baseURL: "https://ei.example.com"}
	if len(retry) == 0 {
		retry = []time.Duration{100 * time.Millisecond}
	}
	e.hooks = New(st, Config{BaseURL: e.baseURL, AllowPrivate: true, Timeout: 5 * time.Second, Retry: retry}, log)
	var err error
	e.river, err = river.NewClient(riverpgxv5.New(pool), &river.Config{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	e.hooks.SetJobs(e.river)
	for _, u := range []struct {
		to          *store.User
		email, name string
		role        store.Role
	}{{&e.maria, "maria@example.com", "Maria Keller", store.RoleManager}, {&e.omar, "omar@example.com", "Omar Haddad", store.RoleManager},
		{&e.admin, "ada@example.com", "Ada Admin", store.RoleAdmin}} {
		if *u.to, err = st.CreateUser(ctx, store.NewUser{Email: u.email, Name: u.name, Role: u.role}); err != nil {
			t.Fatal(err)
		}
	}
	offline, err := interview.NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	e.ivs = interview.NewService(st, offline, offline, interview.Config{BaseURL: e.baseURL, InviteGrace: time.Hour}, log)
	e.ivs.SetEvents(e.hooks)
	e.received = newReceiver(t)
	return e
}

// session creates a session of manager's leaving in days.
func (e *env) session(manager store.User, csm string, days int, accounts ...string) interview.Created {
	e.t.Helper()
	var book_ []book.Account
	for _, a := range accounts {
		book_ = append(book_, book.Account{Name: a})
	}
	c, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: csm, TimeBudgetMinutes: 10,
		DepartureDate: time.Now().AddDate(0, 0, days).Format(time.DateOnly), Accounts: book_})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// endpoint registers an endpoint of owner's for events at url and returns it with its secret.
func (e *env) endpoint(owner store.User, url string, events ...string) (Endpoint, string) {
	e.t.Helper()
	ep, secret, err := e.hooks.Create(context.Background(), owner, NewEndpoint{URL: url, Events: events})
	if err != nil {
		e.t.Fatal(err)
	}
	return ep, secret
}

// worker returns a River client that runs the webhook workers, started; stopped when the test ends.
func (e *env) worker() *river.Client[pgx.Tx] {
	e.t.Helper()
	workers := river.NewWorkers()
	if err := e.hooks.AddWorkers(workers); err != nil {
		e.t.Fatal(err)
	}
	c, err := river.NewClient(riverpgxv5.New(e.st.Pool()), &river.Config{Logger: slog.New(slog.DiscardHandler), Workers: workers,
		Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}}, FetchCooldown: 20 * time.Millisecond,
		FetchPollInterval: 50 * time.Millisecond})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := c.Start(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(ctx)
	})
	return c
}

// pendingDeliveries returns the ids of the deliveries not yet done, oldest first.
func (e *env) pendingDeliveries() []string {
	e.t.Helper()
	rows, err := e.st.Pool().Query(context.Background(), `SELECT id FROM webhook_deliveries WHERE status = 'pending' ORDER BY seq`)
	if err != nil {
		e.t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		e.t.Fatal(err)
	}
	return ids
}

// request is one request a receiver got.
type request struct {
	Header http.Header
	Body   []byte
	At     time.Time
	Status int
}

func (r request) payload(t *testing.T) Payload {
	t.Helper()
	var p Payload
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("payload %s: %v", r.Body, err)
	}
	return p
}

// receiver is an HTTP server that records what it receives and answers with the statuses it is told
// (200 once they run out).
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	got      []request
	statuses []int
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		status := http.StatusOK
		if len(r.statuses) > 0 {
			status, r.statuses = r.statuses[0], r.statuses[1:]
		}
		r.got = append(r.got, request{Header: req.Header.Clone(), Body: body, At: time.Now(), Status: status})
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.Close)
	return r
}

// answerWith makes the next requests answer with statuses.
func (r *receiver) answerWith(statuses ...int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, statuses...)
}

func (r *receiver) requests() []request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]request(nil), r.got...)
}

// waitFor waits until cond holds, on a loaded machine too.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
