package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.do(http.MethodGet, path, nil); r.StatusCode != 200 {
			t.Fatalf("%s: %d", path, r.StatusCode)
		}
	}
	// Take the database away: readiness fails with 503, liveness stays 200.
	server, err := dbtest.ServerURL()
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(e.dbURL)
	conn, err := pgx.Connect(context.Background(), server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), fmt.Sprintf("DROP DATABASE %s WITH (FORCE)", strings.TrimPrefix(u.Path, "/"))); err != nil {
		t.Fatal(err)
	}
	r := e.do(http.MethodGet, "/readyz", nil)
	var body struct {
		Error apiError `json:"error"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.StatusCode != 503 || body.Error.Code != "database_unavailable" {
		t.Fatalf("readyz with the database gone: %d %+v %v", r.StatusCode, body, err)
	}
	if r := e.do(http.MethodGet, "/healthz", nil); r.StatusCode != 200 {
		t.Fatalf("healthz with the database gone: %d", r.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	for _, path := range []string{"/login", "/api/v1/me", "/nowhere"} {
		h := e.do(http.MethodGet, path, nil).Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
}

func TestCrossSiteRequestsAreRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "admin@example.com")
	cookie := e.login("admin@example.com", pw)
	users := e.count("users")

	cross := []reqOpt{withHeader("Sec-Fetch-Site", "cross-site")}
	evilOrigin := []reqOpt{withHeader("Origin", "https://evil.example")}
	for name, opts := range map[string][]reqOpt{"Sec-Fetch-Site": cross, "Origin": evilOrigin} {
		t.Run(name, func(t *testing.T) {
			r := e.postForm("/users", url.Values{"email": {"csrf@example.com"}, "name": {"C"}, "role": {"admin"}}, cookie, opts...)
			if r.StatusCode != http.StatusForbidden {
				t.Fatalf("cross-site form post: %d", r.StatusCode)
			}
			r = e.postJSON("/api/v1/users", `{"email":"csrf2@example.com","name":"C","role":"admin"}`, append(opts, withCookie(cookie))...)
			if r.StatusCode != http.StatusForbidden {
				t.Fatalf("cross-site JSON post: %d", r.StatusCode)
			}
			r = e.postForm("/login", url.Values{"email": {"admin@example.com"}, "password": {pw}}, nil, opts...)
			if r.StatusCode != http.StatusForbidden {
				t.Fatalf("cross-site login: %d", r.StatusCode)
			}
		})
	}
	if n := e.count("users"); n != users {
		t.Fatalf("cross-site requests created %d users", n-users)
	}
	// Same-origin browser requests pass.
	r := e.postForm("/users", url.Values{"email": {"ok@example.com"}, "name": {"Ok"}, "role": {"manager"}}, cookie, withHeader("Sec-Fetch-Site", "same-origin"))
	if r.StatusCode != 200 {
		t.Fatalf("same-origin form post: %d", r.StatusCode)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	r := e.do(http.MethodGet, "/api/v1/nothing-here", nil)
	var body struct {
		Error apiError `json:"error"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.StatusCode != 404 || body.Error.Code != "not_found" {
		t.Fatalf("API 404: %d %+v %v", r.StatusCode, body, err)
	}
	r = e.do(http.MethodGet, "/nothing-here", nil)
	if b := readBody(t, r); r.StatusCode != 404 || !strings.Contains(b, "<html") || !strings.Contains(b, "Not found") {
		t.Fatalf("page 404: %d", r.StatusCode)
	}
	r = e.do(http.MethodDelete, "/api/v1/me", nil)
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("wrong method: %d", r.StatusCode)
	}
}

func TestStaticAssetsAreContentHashed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	page := readBody(t, e.do(http.MethodGet, "/login", nil))
	m := regexp.MustCompile(`href="(/static/([0-9a-f]{12})/app\.css)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("login page links no hashed stylesheet")
	}
	r := e.do(http.MethodGet, m[1], nil)
	if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("asset: %d %q %q", r.StatusCode, r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"))
	}
	if r := e.do(http.MethodGet, "/static/000000000000/app.css", nil); r.StatusCode != 404 {
		t.Fatalf("stale hash: %d", r.StatusCode)
	}
}

func TestPanicsAndTimeoutsBecomeCleanErrors(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_REQUEST_TIMEOUT": "50ms"})
	e.srv.echo.GET("/api/v1/test-panic", func(echo.Context) error { panic("boom") })
	e.srv.echo.GET("/api/v1/test-slow", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return c.Request().Context().Err()
	})
	for path, want := range map[string]struct {
		status int
		code   string
	}{"/api/v1/test-panic": {500, "internal"}, "/api/v1/test-slow": {503, "timeout"}} {
		r := e.do(http.MethodGet, path, nil)
		b := readBody(t, r)
		var body struct {
			Error apiError `json:"error"`
		}
		if err := json.Unmarshal([]byte(b), &body); err != nil || r.StatusCode != want.status || body.Error.Code != want.code {
			t.Fatalf("%s: %d %s", path, r.StatusCode, b)
		}
		if strings.Contains(b, "boom") || strings.Contains(b, "goroutine") {
			t.Fatalf("%s leaks internals: %s", path, b)
		}
	}
	if r := e.do(http.MethodGet, "/healthz", nil); r.StatusCode != 200 {
		t.Fatal("server stopped serving after a panic")
	}
}

func TestUsersPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "admin@example.com")
	cookie := e.login("admin@example.com", pw)

	r := e.postForm("/users", url.Values{"email": {"Lee@Example.com"}, "name": {"Lee <script>alert(1)</script>"}, "role": {"successor"}}, cookie)
	page := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(page, "can now sign in") {
		t.Fatalf("create via form: %d", r.StatusCode)
	}
	if strings.Contains(page, "<script>alert(1)") || !strings.Contains(page, "Lee &lt;script&gt;") {
		t.Fatal("a user's name is not escaped")
	}
	m := regexp.MustCompile(`<code class="secret">([A-Z2-7]{26})</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no one-time password shown")
	}
	e.login("lee@example.com", m[1])
	if strings.Contains(readBody(t, e.do(http.MethodGet, "/users", nil, withCookie(cookie))), m[1]) {
		t.Fatal("the one-time password is shown again")
	}

	r = e.postForm("/users", url.Values{"email": {"bad"}, "name": {""}, "role": {"owner"}}, cookie)
	page = readBody(t, r)
	if r.StatusCode != 400 || !strings.Contains(page, "Email must be a valid email address") || !strings.Contains(page, `aria-invalid="true"`) {
		t.Fatalf("invalid form: %d", r.StatusCode)
	}
}
