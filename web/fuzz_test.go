package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// fuzzBoundary is the multipart boundary of the fuzzed bodies sent as multipart/form-data; seeds that
// are multipart forms use it.
const fuzzBoundary = "fuzzboundary"

// fuzzEnv is one server and database for all of a fuzz run's inputs, with the ids its routes need.
type fuzzEnv struct {
	e       *testEnv
	admin   string // an admin's API token: admins pass every role check
	adminID string
	capture *knowledge.Service
	invite  string // the CSM's invite token
	params  map[string]string
	routes  []fuzzRoute
	agent   string      // the User-Agent of the current input's requests
	serverr *syncBuffer // what the server logged as errors
}

type fuzzRoute struct{ method, path string }

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	b.b.Reset()
	return s
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	e := newTestEnv(f, nil)
	fe := &fuzzEnv{e: e, serverr: &syncBuffer{}}
	e.srv.log = slog.New(slog.NewTextHandler(fe.serverr, &slog.HandlerOptions{Level: slog.LevelError}))

	admin, _ := e.user(store.RoleAdmin, "admin@example.com")
	e.user(store.RoleSuccessor, "sam@example.com")
	fe.adminID, fe.admin = admin.ID, e.token("admin@example.com")
	log := slog.New(slog.DiscardHandler)
	fe.capture = knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)

	// Every route the server has, so routes added later are fuzzed without a change here.
	seen := map[fuzzRoute]bool{}
	for _, rt := range e.srv.echo.Routes() {
		k := fuzzRoute{rt.Method, rt.Path}
		if strings.HasPrefix(rt.Path, "/static/") || !strings.Contains("GET HEAD POST PUT PATCH DELETE", rt.Method) || seen[k] {
			continue
		}
		seen[k] = true
		fe.routes = append(fe.routes, k)
	}
	// Routes that close the session or replace its invite go last, so the others meet an open one.
	last := func(r fuzzRoute) bool {
		return strings.HasSuffix(r.path, "/handover") || strings.HasSuffix(r.path, "/invite") || strings.HasSuffix(r.path, "/finish")
	}
	sort.Slice(fe.routes, func(i, j int) bool {
		a, b := fe.routes[i], fe.routes[j]
		if last(a) != last(b) {
			return last(b)
		}
		return a.path+a.method < b.path+b.method
	})
	if len(fe.routes) < 40 {
		f.Fatalf("only %d routes found", len(fe.routes))
	}
	f.Logf("fuzzing %d routes", len(fe.routes))
	return fe
}

// session starts a fresh interview for one input, with one answer captured so the review routes have a
// real statement: an earlier input may have handed over the last one or replaced its invite.
func (fe *fuzzEnv) session(t *testing.T) {
	ctx := context.Background()
	c, err := fe.e.ivs.Create(ctx, fe.adminID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 0, 20).Format(time.DateOnly), TimeBudgetMinutes: 10,
		Accounts: []book.Account{{Name: "Northwind", Successor: "sam@example.com"}, {Name: "Globex"}}})
	if err != nil {
		t.Fatal(err)
	}
	fe.invite = c.InviteToken
	r := fe.serve(http.MethodPost, "/api/v1/interview/messages", "", "application/json",
		`{"content":"Northwind: Marco Rossi, the CFO, signs the renewal.","client_id":"fuzz-setup"}`)
	if r.Code != http.StatusCreated {
		t.Fatalf("setup answer: %d %s", r.Code, r.Body)
	}
	msgs, err := fe.e.store.Messages(ctx, c.Interview.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Role == "csm" {
			if err := fe.capture.Capture(ctx, m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	findings, err := fe.e.store.Findings(ctx, c.Interview.ID)
	if err != nil || len(findings) == 0 {
		t.Fatalf("setup findings: %d %v", len(findings), err)
	}
	fe.params = map[string]string{"id": c.Interview.ID, "account_id": c.Accounts[0].ID, "finding_id": findings[0].ID,
		"item_id": "renewal-northwind", "token": c.InviteToken, "hash": "0", "name": "app.css"}
}

// serve sends one request straight to the server's handler: bytes a client library would refuse to
// send (NUL in a path, invalid escapes) still reach the router.
func (fe *fuzzEnv) serve(method, path, query, contentType, body string) *httptest.ResponseRecorder {
	body, query = fe.expand(body), fe.expand(query)
	req := httptest.NewRequest(method, "/", strings.NewReader(body))
	req.URL.Path, req.URL.RawPath, req.URL.RawQuery = path, "", query
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	token := fe.admin
	if strings.HasPrefix(path, "/api/v1/interview/") || path == "/api/v1/interview" || strings.HasPrefix(path, "/interview/") || path == "/interview" {
		token = fe.invite
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("User-Agent", fe.agent)
	rec := httptest.NewRecorder()
	fe.e.srv.Handler().ServeHTTP(rec, req)
	return rec
}

// expand replaces {{id}}, {{account_id}} and {{finding_id}} in a seed with the real ids, so a seed can
// be valid in every way but one.
func (fe *fuzzEnv) expand(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	for k, v := range fe.params {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return s
}

// fill puts values into a route's path parameters: the real ids, or one fuzzed value for all of them.
func (fe *fuzzEnv) fill(path, fuzzed string, useFuzzed bool) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if name, ok := strings.CutPrefix(p, ":"); ok {
			v, ok := fe.params[name]
			if !ok {
				v = "00000000-0000-0000-0000-000000000000" // a parameter of a route added since
			}
			if useFuzzed {
				v = strings.NewReplacer("/", "", "?", "").Replace(fe.expand(fuzzed))
			}
			parts[i] = v
		}
	}
	return strings.Join(parts, "/")
}

// FuzzHandlers sends each input to every route of the server: its body as JSON, as a urlencoded form and
// as a multipart form, with the query and, in turn, in every path parameter (and the User-Agent). Whatever the input, no
// route may answer with a 5xx: bad input is the caller's error. The seeds in testdata/fuzz/FuzzHandlers
// run with every plain `go test`.
func FuzzHandlers(f *testing.F) {
	fe := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body, query, param string) {
		fe.agent = ""
		fe.session(t)
		fe.agent = strings.NewReplacer("\x00", "", "\r", "", "\n", "").Replace(param) // what an HTTP server lets through
		check := func(method, path, contentType, what string, rec *httptest.ResponseRecorder) {
			if rec.Code >= 500 {
				t.Errorf("%s %s (%s, query %q): %d\nserver log: %s", method, path, what, query, rec.Code, fe.serverr.take())
			}
		}
		for _, rt := range fe.routes {
			path := fe.fill(rt.path, param, false)
			if rt.method == http.MethodGet || rt.method == http.MethodHead {
				check(rt.method, path, "", "query", fe.serve(rt.method, path, query, "", ""))
			} else {
				for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=" + fuzzBoundary} {
					check(rt.method, path, ct, ct, fe.serve(rt.method, path, query, ct, body))
				}
			}
			if strings.Contains(rt.path, ":") {
				p := fe.fill(rt.path, param, true)
				ct := ""
				if rt.method != http.MethodGet && rt.method != http.MethodHead {
					ct = "application/json"
				}
				check(rt.method, p, ct, "fuzzed path parameters", fe.serve(rt.method, p, query, ct, body))
			}
		}
	})
}
