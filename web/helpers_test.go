package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/config"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/jobs"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
	"github.com/exitinterview/exitinterview/webhook"
)

// cheapHash keeps argon2id fast under the race detector; the parameters are stored in each hash, so
// the code paths are the same as with the defaults.
var cheapHash = auth.HashParams{Memory: 1024, Time: 1, Threads: 1}

type testEnv struct {
	t       testing.TB
	cfg     config.Config
	store   *store.Store
	auth    *auth.Service
	srv     *Server
	ts      *httptest.Server
	client  *http.Client
	dbURL   string
	reports *report.Service
	ivs     *interview.Service
	queue   *jobs.Queue
	hooks   *webhook.Service
}

func testConfig(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	cfg, err := config.Load(nil, nil, func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		if k == "DATABASE_URL" {
			return "postgres://unused"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newTestEnv starts the real server on a fresh database. env overrides configuration variables.
func newTestEnv(t testing.TB, env map[string]string) *testEnv {
	t.Helper()
	pool, dbURL := dbtest.NewWithURL(t)
	return newTestEnvOn(t, env, pool, dbURL, nil)
}

// newTestEnvOn is newTestEnv on a given pool, with the interviewer engine makes (nil: the offline one).
func newTestEnvOn(t testing.TB, env map[string]string, pool *pgxpool.Pool, dbURL string, engine func(*interview.Offline) interview.Engine) *testEnv {
	t.Helper()
	cfg := testConfig(t, env)
	st := store.New(pool)
	svc, err := auth.NewService(st, auth.Config{
		SessionLifetime: cfg.SessionLifetime, SessionIdleTimeout: cfg.SessionIdleTimeout,
		LoginWindow: cfg.LoginWindow, MaxFailuresEmail: cfg.LoginMaxFailures, MaxFailuresIP: cfg.LoginMaxFailuresIP,
		Hash: cheapHash, HashSlots: cfg.LoginConcurrency, TokenTTL: cfg.TokenTTL,
	})
	if err != nil {
		t.Fatal(err)
	}
	offline, err := interview.NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	var eng interview.Engine = offline
	if engine != nil {
		eng = engine(offline)
	}
	ivs := interview.NewService(st, eng, offline, interview.Config{BaseURL: cfg.BaseURL, InviteGrace: cfg.InviteGrace,
		ModelBudget: cfg.Model.TurnBudget}, slog.New(slog.DiscardHandler))
	embedder := embed.NewOffline()
	// Reports are requested through a real River client that only inserts; tests run the job's work
	// with reports.Generate.
	river, err := jobs.NewClient(pool, jobs.Deps{Store: st, Log: slog.New(slog.DiscardHandler)}, false)
	if err != nil {
		t.Fatal(err)
	}
	queue := jobs.NewQueue(river)
	ivs.SetReportQueue(queue)
	ivs.SetCaptureQueue(queue) // captures are enqueued, not run: tests capture with knowledge.Service
	reports := report.NewService(st, slog.New(slog.DiscardHandler))
	// Webhook deliveries are queued through the same client; tests read the events where they are stored.
	hooks := webhook.New(st, webhook.Config{BaseURL: cfg.BaseURL, AllowPrivate: cfg.WebhooksAllowPrivate}, slog.New(slog.DiscardHandler))
	hooks.SetJobs(river)
	hooks.SetReadiness(WebhookReadiness(st, reports))
	ivs.SetEvents(hooks)
	reports.SetEvents(hooks)
	srv, err := New(Deps{Config: cfg, Store: st, Auth: svc, Interviews: ivs, Search: search.New(st, search.Fixed(embedder), slog.New(slog.DiscardHandler)),
		Embedder: embedder, Reports: reports, ReportQueue: queue, AttachmentQueue: queue, Webhooks: hooks, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testEnv{t: t, cfg: cfg, store: st, auth: svc, srv: srv, ts: ts, client: client, dbURL: dbURL, reports: reports, ivs: ivs, queue: queue, hooks: hooks}
}

// user creates a user with a password and returns it.
func (e *testEnv) user(role store.Role, email string) (store.User, string) {
	e.t.Helper()
	password := "correct horse battery " + string(role)
	u, err := e.auth.CreateUser(context.Background(), auth.NewUserInput{Email: email, Name: "Test " + string(role), Role: role, Password: password}, "", auth.Client{})
	if err != nil {
		e.t.Fatal(err)
	}
	return u, password
}

// token creates a personal API token for email.
func (e *testEnv) token(email string) string {
	e.t.Helper()
	tok, _, err := e.auth.CreateAPIToken(context.Background(), email, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// login signs in through the form and returns the session cookie.
func (e *testEnv) login(email, password string) *http.Cookie {
	e.t.Helper()
	resp := e.postForm("/login", url.Values{"email": {email}, "password": {password}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("login %s: status %d: %s", email, resp.StatusCode, readBody(e.t, resp))
	}
	for _, c := range resp.Cookies() {
		if c.Name == e.srv.sessionCookieName() && c.Value != "" {
			return c
		}
	}
	e.t.Fatalf("login %s: no session cookie", email)
	return nil
}

type reqOpt func(*http.Request)

func withCookie(c *http.Cookie) reqOpt {
	return func(r *http.Request) {
		if c != nil {
			r.AddCookie(c)
		}
	}
}

func withBearer(tok string) reqOpt {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
}

func withHeader(k, v string) reqOpt { return func(r *http.Request) { r.Header.Set(k, v) } }

func (e *testEnv) do(method, path string, body io.Reader, opts ...reqOpt) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.ts.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, o := range opts {
		o(req)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func (e *testEnv) postJSON(path, body string, opts ...reqOpt) *http.Response {
	e.t.Helper()
	return e.do(http.MethodPost, path, strings.NewReader(body), append([]reqOpt{withHeader("Content-Type", "application/json")}, opts...)...)
}

func (e *testEnv) postForm(path string, form url.Values, c *http.Cookie, opts ...reqOpt) *http.Response {
	e.t.Helper()
	return e.do(http.MethodPost, path, strings.NewReader(form.Encode()),
		append([]reqOpt{withHeader("Content-Type", "application/x-www-form-urlencoded"), withCookie(c)}, opts...)...)
}

func readBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// count returns the rows of a table, to show a refused request wrote nothing.
func (e *testEnv) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.store.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// testEchoContext returns a maker of bare Echo contexts carrying a JSON body, for unit tests of handlers'
// helpers.
func testEchoContext() func(body string) echo.Context {
	ec := echo.New()
	return func(body string) echo.Context {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/users", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return ec.NewContext(req, httptest.NewRecorder())
	}
}
