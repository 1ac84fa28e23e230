package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// TestAccessByRouteAndRole walks every protected route with every kind of caller, over both a browser
// session and an API token. Keep it in step with routes.go.
func TestAccessByRouteAndRole(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	callers := map[string]struct {
		cookie *http.Cookie
		token  string
	}{}
	for _, role := range store.Roles {
		email := string(role) + "@example.com"
		_, pw := e.user(role, email)
		callers[string(role)] = struct {
			cookie *http.Cookie
			token  string
		}{e.login(email, pw), e.token(email)}
	}
	callers["anonymous"] = struct {
		cookie *http.Cookie
		token  string
	}{}

	n := 0
	newUserJSON := func() string {
		n++
		return fmt.Sprintf(`{"email":"new%d@example.com","name":"New %d","role":"successor"}`, n, n)
	}
	newUserForm := func() url.Values {
		n++
		return url.Values{"email": {fmt.Sprintf("form%d@example.com", n)}, "name": {"Form"}, "role": {"successor"}}
	}

	type want struct{ anonymous, successor, manager, admin int }
	routes := []struct {
		method, path string
		api          bool
		want         want
	}{
		{"GET", "/", false, want{303, 200, 200, 200}},
		{"GET", "/users", false, want{303, 403, 403, 200}},
		{"POST", "/users", false, want{303, 403, 403, 200}},
		{"POST", "/logout", false, want{303, 303, 303, 303}},
		// A missing account is a 404 for every role; who sees which account is in account_page_test.go.
		{"GET", "/accounts/00000000-0000-4000-8000-000000000000", false, want{303, 404, 404, 404}},
		{"GET", "/api/v1/me", true, want{401, 200, 200, 200}},
		{"GET", "/api/v1/users", true, want{401, 403, 403, 200}},
		{"POST", "/api/v1/users", true, want{401, 403, 403, 201}},
	}
	for _, rt := range routes {
		for _, who := range []string{"anonymous", "successor", "manager", "admin"} {
			expected := map[string]int{"anonymous": rt.want.anonymous, "successor": rt.want.successor, "manager": rt.want.manager, "admin": rt.want.admin}[who]
			for _, via := range []string{"session", "token"} {
				if via == "token" && !rt.api {
					continue
				}
				t.Run(fmt.Sprintf("%s %s as %s by %s", rt.method, rt.path, who, via), func(t *testing.T) {
					c := callers[who]
					var opts []reqOpt
					if via == "session" {
						opts = append(opts, withCookie(c.cookie))
					} else if c.token != "" {
						opts = append(opts, withBearer(c.token))
					}
					if rt.path == "/logout" && who != "anonymous" {
						// Logging out ends the session: use a fresh one so the other cases keep theirs.
						opts = []reqOpt{withCookie(e.login(who+"@example.com", "correct horse battery "+who))}
					}
					var resp *http.Response
					switch {
					case rt.method == "GET":
						resp = e.do("GET", rt.path, nil, opts...)
					case rt.api:
						resp = e.postJSON(rt.path, newUserJSON(), opts...)
					default:
						resp = e.postForm(rt.path, newUserForm(), nil, opts...)
					}
					if resp.StatusCode != expected {
						t.Fatalf("status %d, want %d", resp.StatusCode, expected)
					}
					if rt.api && expected >= 400 {
						if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
							t.Errorf("denial is not JSON: %q", ct)
						}
					}
				})
			}
		}
	}
}
