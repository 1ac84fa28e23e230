package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/store"
)

func TestLoginPageAndLoginLogout(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")

	resp := e.do(http.MethodGet, "/login", nil)
	if body := readBody(t, resp); resp.StatusCode != 200 || !strings.Contains(body, `name="password"`) {
		t.Fatalf("login page: %d", resp.StatusCode)
	}

	cookie := e.login("Maria@Example.com ", pw) // emails are matched case- and space-insensitively
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Errorf("cookie flags: HttpOnly %v SameSite %v Secure %v", cookie.HttpOnly, cookie.SameSite, cookie.Secure)
	}
	if !strings.HasPrefix(cookie.Value, "eis_") || len(cookie.Value) < 40 {
		t.Errorf("session secret %q is not a long random secret", cookie.Value)
	}
	var stored int
	if err := e.store.Pool().QueryRow(context.Background(), "SELECT count(*) FROM browser_sessions WHERE token_hash = $1", auth.HashSecret(cookie.Value)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("session stored by hash: %d, %v", stored, err)
	}

	resp = e.do(http.MethodGet, "/", nil, withCookie(cookie))
	body := readBody(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(body, "Test manager") || !strings.Contains(body, "No sessions yet") {
		t.Fatalf("home: %d\n%s", resp.StatusCode, body)
	}

	resp = e.postForm("/logout", nil, cookie)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c := findCookie(resp, e.srv.sessionCookieName()); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout does not clear the cookie: %+v", c)
	}
	// The old cookie no longer works: the session is gone from the database, not only from the browser.
	resp = e.do(http.MethodGet, "/", nil, withCookie(cookie))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
		t.Fatalf("after logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("%d sessions left after logout", n)
	}
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleSuccessor, "sam@example.com")
	if _, err := e.store.Pool().Exec(context.Background(), `UPDATE users SET disabled_at = now() WHERE email = 'sam@example.com'`); err != nil {
		t.Fatal(err)
	}
	_, pw2 := e.user(store.RoleSuccessor, "kim@example.com")
	cases := []struct {
		name, email, password string
		status                int
		message               string
	}{
		{"wrong password", "kim@example.com", "nope nope nope", 401, "do not match"},
		{"unknown email", "ghost@example.com", pw2, 401, "do not match"},
		{"disabled user", "sam@example.com", pw, 401, "do not match"},
		{"empty fields", "", "", 400, "Enter your email and password"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.postForm("/login", url.Values{"email": {tc.email}, "password": {tc.password}}, nil)
			body := readBody(t, resp)
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.message) {
				t.Fatalf("status %d, want %d; body has %q: %v", resp.StatusCode, tc.status, tc.message, strings.Contains(body, tc.message))
			}
			if findCookie(resp, e.srv.sessionCookieName()) != nil {
				t.Fatal("a failed login set a session cookie")
			}
		})
	}
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("failed logins created %d sessions", n)
	}
}

func TestLoginRotatesSessionAndKeepsNextLocal(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "root@example.com")
	first := e.login("root@example.com", pw)

	// Logging in again from a browser that holds a session ends that session and issues a new secret.
	resp := e.postForm("/login", url.Values{"email": {"root@example.com"}, "password": {pw}, "next": {"//evil.example/steal"}}, first)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: %d", resp.StatusCode)
	}
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example redirected to %q, want /", loc)
	}
	second := findCookie(resp, e.srv.sessionCookieName())
	if second == nil || second.Value == first.Value {
		t.Fatal("login did not rotate the session secret")
	}
	if r := e.do(http.MethodGet, "/", nil, withCookie(first)); r.StatusCode != http.StatusSeeOther {
		t.Errorf("the pre-login session still works: %d", r.StatusCode)
	}
	if r := e.do(http.MethodGet, "/", nil, withCookie(second)); r.StatusCode != 200 {
		t.Errorf("the new session does not work: %d", r.StatusCode)
	}

	// A protected page sends an anonymous browser to the login with a way back; next is followed after login.
	r := e.do(http.MethodGet, "/users", nil)
	if loc := r.Header.Get("Location"); r.StatusCode != http.StatusSeeOther || loc != "/login?next=%2Fusers" {
		t.Fatalf("anonymous /users: %d %q", r.StatusCode, loc)
	}
	r = e.postForm("/login", url.Values{"email": {"root@example.com"}, "password": {pw}, "next": {"/users"}}, nil)
	if loc := r.Header.Get("Location"); loc != "/users" {
		t.Errorf("next=/users redirected to %q", loc)
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                     "/",
		"/users":               "/users",
		"/users?x=1":           "/users?x=1",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"javascript:alert(1)":  "/",
		"users":                "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSessionExpiryAndIdleTimeout(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_SESSION_IDLE_TIMEOUT": "1h"})
	_, pw := e.user(store.RoleManager, "m@example.com")
	ctx := context.Background()
	for name, update := range map[string]string{
		"absolute expiry": `UPDATE browser_sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1`,
		"idle timeout":    `UPDATE browser_sessions SET last_seen_at = now() - interval '61 minutes' WHERE token_hash = $1`,
	} {
		t.Run(name, func(t *testing.T) {
			cookie := e.login("m@example.com", pw)
			if r := e.do(http.MethodGet, "/api/v1/me", nil, withCookie(cookie)); r.StatusCode != 200 {
				t.Fatalf("fresh session: %d", r.StatusCode)
			}
			if _, err := e.store.Pool().Exec(ctx, update, auth.HashSecret(cookie.Value)); err != nil {
				t.Fatal(err)
			}
			r := e.do(http.MethodGet, "/api/v1/me", nil, withCookie(cookie))
			if r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("stale session on the API: %d, want 401", r.StatusCode)
			}
			if c := findCookie(r, e.srv.sessionCookieName()); c == nil || c.MaxAge >= 0 {
				t.Error("a stale session cookie is not cleared")
			}
			if r := e.do(http.MethodGet, "/", nil, withCookie(cookie)); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("stale session on a page: %d, want a redirect to the login", r.StatusCode)
			}
		})
	}
}

func TestSecureCookiesBehindTLS(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_BASE_URL": "https://kt.example.com"})
	_, pw := e.user(store.RoleManager, "m@example.com")
	c := e.login("m@example.com", pw)
	if c.Name != "__Host-exitinterview_session" || !c.Secure || !c.HttpOnly {
		t.Fatalf("cookie %s Secure %v HttpOnly %v", c.Name, c.Secure, c.HttpOnly)
	}
	if h := e.do(http.MethodGet, "/login", nil).Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("no HSTS behind TLS: %q", h)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_LOGIN_MAX_FAILURES": "3", "EXITINTERVIEW_LOGIN_MAX_FAILURES_PER_IP": "5"})
	_, pw := e.user(store.RoleManager, "target@example.com")
	_, otherPW := e.user(store.RoleManager, "other@example.com")
	bad := url.Values{"email": {"target@example.com"}, "password": {"wrong password!"}}
	for i := 0; i < 3; i++ {
		if r := e.postForm("/login", bad, nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, r.StatusCode)
		}
	}
	// Now even the right password is refused for that email, with a clear message and Retry-After.
	r := e.postForm("/login", url.Values{"email": {"target@example.com"}, "password": {pw}}, nil)
	if body := readBody(t, r); r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("after 3 failures: %d Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Another account from the same address still logs in (the address has 3 of its 5 failures).
	e.login("other@example.com", otherPW)

	// Rotating X-Forwarded-For does not escape the per-address limit: no proxy is trusted by default.
	for i := 0; i < 2; i++ {
		e.postForm("/login", url.Values{"email": {"spray" + string(rune('a'+i)) + "@example.com"}, "password": {"x"}}, nil,
			withHeader("X-Forwarded-For", "203.0.113."+string(rune('1'+i))))
	}
	r = e.postForm("/login", url.Values{"email": {"other@example.com"}, "password": {otherPW}}, nil, withHeader("X-Forwarded-For", "198.51.100.7"))
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after 5 failures from one address: %d, want 429", r.StatusCode)
	}
	entries, err := e.store.RecentAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	limited := 0
	for _, a := range entries {
		if a.Action == "login.rate_limited" {
			limited++
		}
	}
	if limited != 2 {
		t.Errorf("%d rate-limited logins audited, want 2", limited)
	}
}

func TestTrustedProxyAddressIsUsed(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_TRUSTED_PROXIES": "127.0.0.0/8", "EXITINTERVIEW_LOGIN_MAX_FAILURES_PER_IP": "2", "EXITINTERVIEW_LOGIN_MAX_FAILURES": "100"})
	_, pw := e.user(store.RoleManager, "m@example.com")
	for i := 0; i < 2; i++ {
		e.postForm("/login", url.Values{"email": {"m@example.com"}, "password": {"wrong"}}, nil, withHeader("X-Forwarded-For", "203.0.113.9"))
	}
	// Behind a trusted proxy the client address is taken from the header: a different client is not limited.
	if r := e.postForm("/login", url.Values{"email": {"m@example.com"}, "password": {pw}}, nil, withHeader("X-Forwarded-For", "198.51.100.1")); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("other client behind the proxy: %d", r.StatusCode)
	}
	if r := e.postForm("/login", url.Values{"email": {"m@example.com"}, "password": {pw}}, nil, withHeader("X-Forwarded-For", "203.0.113.9")); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("limited client behind the proxy: %d", r.StatusCode)
	}
}

func TestBearerTokens(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	u, _ := e.user(store.RoleManager, "m@example.com")
	tok := e.token("m@example.com")

	r := e.do(http.MethodGet, "/api/v1/me", nil, withBearer(tok))
	var me userJSON
	if err := json.NewDecoder(r.Body).Decode(&me); err != nil || r.StatusCode != 200 || me.ID != u.ID || me.Role != "manager" {
		t.Fatalf("valid token: %d %+v %v", r.StatusCode, me, err)
	}

	revoked := e.token("m@example.com")
	var id string
	if err := e.store.Pool().QueryRow(context.Background(), "SELECT id FROM api_tokens WHERE token_hash = $1", auth.HashSecret(revoked)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if err := e.store.RevokeAPIToken(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"wrong token":     "Bearer eit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"no prefix":       "Bearer " + strings.TrimPrefix(tok, "eit_"),
		"revoked token":   "Bearer " + revoked,
		"other scheme":    "Basic " + tok,
		"empty bearer":    "Bearer ",
		"session as auth": "Bearer eis_" + strings.TrimPrefix(tok, "eit_"),
	}
	for name, header := range cases {
		t.Run(name, func(t *testing.T) {
			r := e.do(http.MethodGet, "/api/v1/me", nil, withHeader("Authorization", header))
			var body struct {
				Error apiError `json:"error"`
			}
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != 401 || body.Error.Code == "" || body.Error.Message == "" {
				t.Fatalf("%d %+v", r.StatusCode, body)
			}
			if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
		})
	}
	// A disabled user's tokens stop working.
	if _, err := e.store.Pool().Exec(context.Background(), `UPDATE users SET disabled_at = now() WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.do(http.MethodGet, "/api/v1/me", nil, withBearer(tok)); r.StatusCode != 401 {
		t.Fatalf("disabled user's token: %d", r.StatusCode)
	}
}

func findCookie(r *http.Response, name string) *http.Cookie {
	for _, c := range r.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestParallelLoginGuessesAreBounded(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil) // 5 failures per email
	e.user(store.RoleManager, "target@example.com")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// All from one address (limit 30): the email's limit of 5 is the one that binds.
			r := e.postForm("/login", url.Values{"email": {"target@example.com"}, "password": {fmt.Sprintf("guess %d", i)}}, nil)
			body := readBody(t, r)
			mu.Lock()
			defer mu.Unlock()
			statuses[r.StatusCode]++
			if r.StatusCode == http.StatusTooManyRequests && (r.Header.Get("Retry-After") == "" || !strings.Contains(strings.ToLower(body), "try again")) {
				t.Errorf("429 without Retry-After or advice: %q", r.Header.Get("Retry-After"))
			}
		}()
	}
	wg.Wait()
	if statuses[401] > 5 || statuses[401]+statuses[429] != 40 || e.auth.HashesChecked() > 5 {
		t.Fatalf("statuses %v, %d passwords checked; want at most 5 checked and 401, the rest 429", statuses, e.auth.HashesChecked())
	}
}

// TestParallelAnonymousLoginsFromOneAddressAreBounded: 100 logins at once for unknown emails from one
// address check no more passwords than the address's limit, and the rest are refused with a 429.
func TestParallelAnonymousLoginsFromOneAddressAreBounded(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_LOGIN_CONCURRENCY": "1"}) // 30 per address
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.postForm("/login", url.Values{"email": {fmt.Sprintf("nobody%d@example.com", i)}, "password": {"a guess"}}, nil)
			readBody(t, r)
			mu.Lock()
			statuses[r.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if checked := e.auth.HashesChecked(); checked > 30 || statuses[401] != int(checked) || statuses[429] != 100-int(checked) {
		t.Fatalf("statuses %v, %d passwords checked; want at most 30 checked (401), the rest 429", statuses, checked)
	}
}
