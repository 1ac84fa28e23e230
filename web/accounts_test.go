package web

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// TestDisabledUserIsLockedOutAtOnce: disabling a user ends their browser sessions and stops their API
// tokens on the next request, refuses their login, and is audited; enabling them lets their live tokens
// work again. An admin cannot disable themselves.
func TestDisabledUserIsLockedOutAtOnce(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	admin, adminPW := e.user(store.RoleAdmin, "admin@example.com")
	m, pw := e.user(store.RoleManager, "m@example.com")
	adminCookie, adminToken := e.login("admin@example.com", adminPW), e.token("admin@example.com")
	cookie, token := e.login("m@example.com", pw), e.token("m@example.com")

	for _, tc := range []struct {
		path   string
		status int
		code   string
	}{
		{"/api/v1/users/" + admin.ID + "/disable", 409, "cannot_disable_self"},
		{"/api/v1/users/00000000-0000-4000-8000-000000000000/disable", 404, "not_found"},
		{"/api/v1/users/not-a-uuid/disable", 404, "not_found"},
	} {
		r := e.postJSON(tc.path, "", withBearer(adminToken))
		if body := readBody(t, r); r.StatusCode != tc.status || !strings.Contains(body, `"code":"`+tc.code+`"`) {
			t.Errorf("%s: %d %s", tc.path, r.StatusCode, body)
		}
	}
	if r := e.postForm("/users/"+admin.ID+"/disable", nil, adminCookie); r.StatusCode != 409 || !strings.Contains(readBody(t, r), "cannot disable your own account") {
		t.Errorf("disabling oneself from the page: %d", r.StatusCode)
	}
	if n := e.count("users WHERE disabled_at IS NOT NULL"); n != 0 {
		t.Fatalf("%d users disabled by refused requests", n)
	}

	r := e.postJSON("/api/v1/users/"+m.ID+"/disable", "", withBearer(adminToken))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, `"disabled":true`) {
		t.Fatalf("disable: %d %s", r.StatusCode, body)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(token)); r.StatusCode != 401 {
		t.Errorf("a disabled user's token: %d", r.StatusCode)
	}
	if r := e.do("GET", "/", nil, withCookie(cookie)); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("a disabled user's session: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.postForm("/login", url.Values{"email": {"m@example.com"}, "password": {pw}}, nil); r.StatusCode != 401 {
		t.Errorf("a disabled user's login: %d", r.StatusCode)
	}
	if r := e.postJSON("/api/v1/users/"+m.ID+"/disable", "", withBearer(adminToken)); r.StatusCode != 200 {
		t.Errorf("disabling twice: %d", r.StatusCode)
	}
	if n := e.count("audit_log WHERE action = 'user.disabled' AND subject = 'm@example.com'"); n != 1 {
		t.Errorf("%d disables audited, want 1", n)
	}

	// Enabled again from the Users page: the live token works again; the ended session stays ended.
	if r := e.postForm("/users/"+m.ID+"/enable", nil, adminCookie); r.StatusCode != 303 || r.Header.Get("Location") != "/users?done=enabled" {
		t.Fatalf("enable from the page: %d", r.StatusCode)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(token)); r.StatusCode != 200 {
		t.Errorf("the token once enabled again: %d", r.StatusCode)
	}
	if r := e.do("GET", "/", nil, withCookie(cookie)); r.StatusCode != 303 {
		t.Errorf("the session ended by the disable: %d", r.StatusCode)
	}
	cookie = e.login("m@example.com", pw)
	if n := e.count("audit_log WHERE action = 'user.enabled' AND subject = 'm@example.com'"); n != 1 {
		t.Errorf("%d enables audited, want 1", n)
	}

	// The check is made at every request, not only when the disable ends the sessions: a user disabled
	// behind the server's back is refused too.
	if _, err := e.store.Pool().Exec(t.Context(), `UPDATE users SET disabled_at = now() WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/", nil, withCookie(cookie)); r.StatusCode != 303 {
		t.Errorf("a session of a user disabled in the database: %d", r.StatusCode)
	}
	// The Users page offers Enable for them and no Disable for the admin themselves.
	body := readBody(t, e.do("GET", "/users", nil, withCookie(adminCookie)))
	if !strings.Contains(body, `action="/users/`+m.ID+`/enable"`) || strings.Contains(body, `action="/users/`+admin.ID+`/disable"`) {
		t.Errorf("users page buttons wrong:\n%s", body)
	}
}

type tokenListJSON struct {
	Tokens []tokenJSON `json:"tokens"`
}

// TestAPITokensAreNamedExpireAndAreRevoked walks a token's life over the API: created with a name and a
// lifetime (the secret shown in that response only), listed, used, revoked; bad input changes nothing.
func TestAPITokensAreNamedExpireAndAreRevoked(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	e.user(store.RoleAdmin, "admin@example.com")
	m, _ := e.user(store.RoleManager, "m@example.com")
	e.user(store.RoleManager, "other@example.com")
	adminToken, token, otherToken := e.token("admin@example.com"), e.token("m@example.com"), e.token("other@example.com")
	before := e.count("api_tokens")

	for body, field := range map[string]string{
		`{"name":"","expires_in_days":30}`:                            "name",
		`{"name":"` + strings.Repeat("n", 101) + `"}`:                 "name",
		`{"name":"ci","expires_in_days":0}`:                           "expires_in_days",
		`{"name":"ci","expires_in_days":3651}`:                        "expires_in_days",
		`{"name":"ci","expires_in_days":"soon"}`:                      "",
		`{"name":"ci","expires_in_days":30,"extra":true}`:             "",
		`{"name":"ci","expires_in_days":30,"user_id":"` + m.ID + `"}`: "",
	} {
		r := e.postJSON("/api/v1/tokens", body, withBearer(token))
		b := readBody(t, r)
		if r.StatusCode != 400 || (field != "" && !strings.Contains(b, `"`+field+`":`)) {
			t.Errorf("%s: %d %s", body, r.StatusCode, b)
		}
	}
	if n := e.count("api_tokens"); n != before {
		t.Fatalf("bad requests created %d tokens", n-before)
	}

	r := e.postJSON("/api/v1/tokens", `{"name":"CRM sync","expires_in_days":30}`, withBearer(token))
	var created struct {
		tokenJSON
		Token string `json:"token"`
	}
	if err := json.Unmarshal([]byte(readBody(t, r)), &created); err != nil || r.StatusCode != 201 || !strings.HasPrefix(created.Token, "eit_") ||
		created.Name != "CRM sync" || created.Status != "active" || created.ExpiresAt == nil {
		t.Fatalf("create: %d %+v %v", r.StatusCode, created, err)
	}
	if d := time.Until(*created.ExpiresAt); d < 29*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("expires in %s, want 30 days", d)
	}
	r = e.postJSON("/api/v1/tokens", `{"name":"default lifetime"}`, withBearer(token))
	var dflt tokenJSON
	if err := json.Unmarshal([]byte(readBody(t, r)), &dflt); err != nil || r.StatusCode != 201 || dflt.ExpiresAt == nil ||
		time.Until(*dflt.ExpiresAt) < 89*24*time.Hour || time.Until(*dflt.ExpiresAt) > 91*24*time.Hour {
		t.Fatalf("default lifetime: %d %+v", r.StatusCode, dflt)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(created.Token)); r.StatusCode != 200 {
		t.Fatalf("the new token: %d", r.StatusCode)
	}

	list := func(tok, query string) (int, tokenListJSON, string) {
		r := e.do("GET", "/api/v1/tokens"+query, nil, withBearer(tok))
		body := readBody(t, r)
		var l tokenListJSON
		_ = json.Unmarshal([]byte(body), &l)
		return r.StatusCode, l, body
	}
	code, l, body := list(token, "")
	if code != 200 || len(l.Tokens) != 3 || strings.Contains(body, created.Token) || l.Tokens[0].LastUsedAt == nil && l.Tokens[1].LastUsedAt == nil && l.Tokens[2].LastUsedAt == nil {
		t.Fatalf("list: %d %s", code, body)
	}
	if code, _, _ := list(otherToken, "?user_id="+m.ID); code != 403 {
		t.Errorf("a manager lists another's tokens: %d", code)
	}
	if code, l, _ := list(adminToken, "?user_id="+m.ID); code != 200 || len(l.Tokens) != 3 {
		t.Errorf("an admin lists another's tokens: %d %d", code, len(l.Tokens))
	}
	if code, _, _ := list(adminToken, "?user_id=00000000-0000-4000-8000-000000000000"); code != 404 {
		t.Errorf("tokens of nobody: %d", code)
	}

	if r := e.do("DELETE", "/api/v1/tokens/"+created.ID, nil, withBearer(otherToken)); r.StatusCode != 404 {
		t.Errorf("another manager revokes: %d", r.StatusCode)
	}
	if r := e.do("DELETE", "/api/v1/tokens/not-a-uuid", nil, withBearer(token)); r.StatusCode != 404 {
		t.Errorf("revoke a bad id: %d", r.StatusCode)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(created.Token)); r.StatusCode != 200 {
		t.Fatalf("refused revocations revoked: %d", r.StatusCode)
	}
	if r := e.do("DELETE", "/api/v1/tokens/"+created.ID, nil, withBearer(token)); r.StatusCode != 204 {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(created.Token)); r.StatusCode != 401 {
		t.Errorf("a revoked token: %d", r.StatusCode)
	}
	if r := e.do("DELETE", "/api/v1/tokens/"+created.ID, nil, withBearer(token)); r.StatusCode != 204 {
		t.Errorf("revoke again: %d", r.StatusCode)
	}
	// An expired token is refused and listed as expired.
	if _, err := e.store.Pool().Exec(t.Context(), `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, dflt.ID); err != nil {
		t.Fatal(err)
	}
	_, l, _ = list(token, "")
	statuses := map[string]string{}
	for _, tk := range l.Tokens {
		statuses[tk.ID] = tk.Status
	}
	if statuses[created.ID] != "revoked" || statuses[dflt.ID] != "expired" {
		t.Errorf("statuses %v", statuses)
	}
	if n := e.count("audit_log WHERE action = 'token.created' AND subject = 'm@example.com'"); n != 3 {
		t.Errorf("%d creations audited, want 3", n)
	}
	if n := e.count("audit_log WHERE action = 'token.revoked' AND subject = 'm@example.com'"); n != 1 {
		t.Errorf("%d revocations audited, want 1", n)
	}
}

// TestTokensPage: the signed-in user creates a token from the page and sees its secret once, then
// revokes it.
func TestTokensPage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleSuccessor, "s@example.com")
	cookie := e.login("s@example.com", pw)
	body := readBody(t, e.do("GET", "/tokens", nil, withCookie(cookie)))
	if !strings.Contains(body, "You have no API tokens") || !strings.Contains(body, `<option value="90" selected>`) || !strings.Contains(body, `href="/tokens"`) {
		t.Fatalf("empty tokens page:\n%s", body)
	}
	if r := e.postForm("/tokens", url.Values{"name": {""}, "expires_in_days": {"90"}}, cookie); r.StatusCode != 400 || !strings.Contains(readBody(t, r), "Name is required") {
		t.Errorf("no name: %d", r.StatusCode)
	}
	if r := e.postForm("/tokens", url.Values{"name": {"x"}, "expires_in_days": {"-3"}}, cookie); r.StatusCode != 400 {
		t.Errorf("bad lifetime: %d", r.StatusCode)
	}
	r := e.postForm("/tokens", url.Values{"name": {"Laptop script"}, "expires_in_days": {"30"}}, cookie)
	body = readBody(t, r)
	start := strings.Index(body, "eit_")
	if r.StatusCode != 200 || start < 0 {
		t.Fatalf("create from the page: %d", r.StatusCode)
	}
	secret := body[start : start+4+43]
	if r := e.do("GET", "/api/v1/me", nil, withBearer(secret)); r.StatusCode != 200 {
		t.Fatalf("the token shown: %d", r.StatusCode)
	}
	body = readBody(t, e.do("GET", "/tokens", nil, withCookie(cookie)))
	if strings.Contains(body, secret) || !strings.Contains(body, "Laptop script") {
		t.Fatalf("the list shows the secret again, or not the token")
	}
	var id string
	if err := e.store.Pool().QueryRow(t.Context(), `SELECT id FROM api_tokens WHERE name = 'Laptop script'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if r := e.postForm("/tokens/"+id+"/revoke", nil, cookie); r.StatusCode != 303 || r.Header.Get("Location") != "/tokens?revoked=1" {
		t.Fatalf("revoke from the page: %d", r.StatusCode)
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(secret)); r.StatusCode != 401 {
		t.Errorf("the revoked token: %d", r.StatusCode)
	}
}

// TestAdminRevokesAnotherUsersTokenFromThePage: from the Users page an admin opens a user's tokens and
// revokes one; they cannot create tokens for them there.
func TestAdminRevokesAnotherUsersTokenFromThePage(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "admin@example.com")
	m, _ := e.user(store.RoleManager, "m@example.com")
	cookie := e.login("admin@example.com", pw)
	token := e.token("m@example.com")
	if body := readBody(t, e.do("GET", "/users", nil, withCookie(cookie))); !strings.Contains(body, `href="/tokens?user_id=`+m.ID+`"`) {
		t.Fatal("the users page does not link to the user's tokens")
	}
	body := readBody(t, e.do("GET", "/tokens?user_id="+m.ID, nil, withCookie(cookie)))
	if !strings.Contains(body, "API tokens of Test manager") || strings.Contains(body, `action="/tokens"`) {
		t.Fatalf("another user's tokens page:\n%s", body)
	}
	if r := e.do("GET", "/tokens?user_id=00000000-0000-4000-8000-000000000000", nil, withCookie(cookie)); r.StatusCode != 404 {
		t.Errorf("tokens of nobody: %d", r.StatusCode)
	}
	var id string
	if err := e.store.Pool().QueryRow(t.Context(), `SELECT id FROM api_tokens WHERE user_id = $1`, m.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `action="/tokens/`+id+`/revoke"`) {
		t.Fatal("no revoke button for the user's token")
	}
	r := e.postForm("/tokens/"+id+"/revoke", nil, cookie)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/tokens?user_id="+m.ID+"&revoked=1" {
		t.Fatalf("revoke: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := e.do("GET", "/api/v1/me", nil, withBearer(token)); r.StatusCode != 401 {
		t.Errorf("the revoked token: %d", r.StatusCode)
	}
	if n := e.count("audit_log WHERE action = 'token.revoked' AND subject = 'm@example.com' AND actor_user_id IS NOT NULL AND actor_user_id <> '" + m.ID + "'"); n != 1 {
		t.Errorf("%d revocations by the admin audited", n)
	}
}
