package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/webhook"
)

// TestAccessByRouteAndRole walks every protected route with every kind of caller, over both a browser
// session and an API token. Keep it in step with routes.go.
func TestAccessByRouteAndRole(t *testing.T) {
	t.Parallel()
	// Single sign-on is on, with a real provider, so its routes answer as they do in use.
	idp := newTestIdP(t, "http://localhost:8080/login/sso/callback")
	e := newTestEnv(t, idp.env("", nil))
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

	// Targets of the account routes: a user to disable and enable, and a token of the admin's to revoke
	// (not the one the admin calls with).
	victim, _ := e.user(store.RoleSuccessor, "victim@example.com")
	adminUser, err := e.store.UserByEmail(t.Context(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	_, adminToken, err := e.auth.IssueAPIToken(t.Context(), adminUser, "to revoke", 0, adminUser.ID, auth.Client{})
	if err != nil {
		t.Fatal(err)
	}
	// A session of the manager's for the session pages, the handover and the reminder, and one handed over
	// long ago (nothing to remind of, nothing to undo): both give managers and admins the same answer.
	managerUser, err := e.store.UserByEmail(t.Context(), "manager@example.com")
	if err != nil {
		t.Fatal(err)
	}
	session, err := e.ivs.Create(t.Context(), managerUser.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: departure(),
		Accounts: []book.Account{{Name: "Northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	sessionPath := "/interviews/" + session.Interview.ID
	newSession := func(name string) string {
		c, err := e.ivs.Create(t.Context(), managerUser.ID, interview.CreateInput{CSMName: name, TimeBudgetMinutes: 10,
			DepartureDate: time.Now().AddDate(0, 0, 20).Format(time.DateOnly), Accounts: []book.Account{{Name: "Acme"}}})
		if err != nil {
			t.Fatal(err)
		}
		return "/interviews/" + c.Interview.ID
	}
	open, old := newSession("Olive Open"), newSession("Harold Handed")
	if _, err := e.store.HandOver(t.Context(), strings.TrimPrefix(old, "/interviews/")); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Pool().Exec(t.Context(), `UPDATE interviews SET handed_over_at = now() - interval '2 days' WHERE csm_name = 'Harold Handed'`); err != nil {
		t.Fatal(err)
	}
	// Webhook endpoints: the manager's (with a delivery, from a session made after it), one of the
	// manager's to delete from the page, and the admin's, which the manager cannot see.
	hook, _, err := e.hooks.Create(t.Context(), managerUser, webhook.NewEndpoint{URL: "https://hooks.example.com/m", Events: []string{webhook.SessionCreated}})
	if err != nil {
		t.Fatal(err)
	}
	doomed, _, err := e.hooks.Create(t.Context(), managerUser, webhook.NewEndpoint{URL: "https://hooks.example.com/d", Events: []string{webhook.SessionCreated}})
	if err != nil {
		t.Fatal(err)
	}
	adminHook, _, err := e.hooks.Create(t.Context(), adminUser, webhook.NewEndpoint{URL: "https://hooks.example.com/a", Events: []string{webhook.HandoverCompleted}})
	if err != nil {
		t.Fatal(err)
	}
	newSession("Wendy Webhook")
	var delivery string
	if err := e.store.Pool().QueryRow(t.Context(), `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1`, hook.ID).Scan(&delivery); err != nil {
		t.Fatal(err)
	}
	hookPath, adminHookPath := "/webhooks/"+hook.ID, "/webhooks/"+adminHook.ID
	// A file the CSM of the manager's session attached for Northwind (which has no successor yet).
	file, _, err := e.store.CreateAttachment(t.Context(), store.Attachment{InterviewID: session.Interview.ID, AccountID: session.Accounts[0].ID,
		Name: "notes.txt", Kind: "txt", MIME: "text/plain; charset=utf-8", SHA256: strings.Repeat("ab", 32)}, []byte("Northwind notes"))
	if err != nil {
		t.Fatal(err)
	}
	filePath := "/api/v1/attachments/" + file.ID + "/file"
	hookJSON := func() string { return `{"url":"https://hooks.example.com/new","events":["report.ready"]}` }
	hookForm := func() url.Values {
		return url.Values{"url": {"https://hooks.example.com/form"}, "events": {"report.ready"}}
	}
	slackForm := func() url.Values { return url.Values{"slack_url": {"https://hooks.slack.com/services/T/B/secret"}} }
	emptyForm := func() url.Values { return url.Values{"unconfirmed": {"1"}} }
	emptyJSON := func() string { return `{}` }
	tokenJSON := func() string { return `{"name":"script","expires_in_days":30}` }
	tokenForm := func() url.Values { return url.Values{"name": {"script"}, "expires_in_days": {"30"}} }

	type want struct{ anonymous, successor, manager, admin int }
	routes := []struct {
		method, path string
		api          bool
		want         want
		json         func() string     // the body of an API request; a new user when nil
		form         func() url.Values // the form of a page's POST; a new user when nil
	}{
		{"GET", "/", false, want{303, 200, 200, 200}, nil, nil},
		{"GET", "/users", false, want{303, 403, 403, 200}, nil, nil},
		{"POST", "/users", false, want{303, 403, 403, 200}, nil, nil},
		{"POST", "/logout", false, want{303, 303, 303, 303}, nil, nil},
		// Single sign-on: anyone starts it (to the provider; a signed-in user goes home instead), and a
		// callback without a sign-in under way is a 400 whoever calls.
		{"GET", "/login/sso", false, want{303, 303, 303, 303}, nil, nil},
		{"GET", "/login/sso/callback?state=unknown&code=x", false, want{400, 400, 400, 400}, nil, nil},
		// A missing account is a 404 for every role; who sees which account is in account_page_test.go.
		{"GET", "/accounts/00000000-0000-4000-8000-000000000000", false, want{303, 404, 404, 404}, nil, nil},
		{"GET", "/api/v1/me", true, want{401, 200, 200, 200}, nil, nil},
		{"GET", "/api/v1/users", true, want{401, 403, 403, 200}, nil, nil},
		{"POST", "/api/v1/users", true, want{401, 403, 403, 201}, nil, nil},
		{"POST", "/api/v1/users/" + victim.ID + "/disable", true, want{401, 403, 403, 200}, nil, nil},
		{"POST", "/api/v1/users/" + victim.ID + "/enable", true, want{401, 403, 403, 200}, nil, nil},
		{"POST", "/users/" + victim.ID + "/disable", false, want{303, 403, 403, 303}, nil, nil},
		{"POST", "/users/" + victim.ID + "/enable", false, want{303, 403, 403, 303}, nil, nil},
		{"GET", "/api/v1/tokens", true, want{401, 200, 200, 200}, nil, nil},
		{"GET", "/api/v1/tokens?user_id=" + victim.ID, true, want{401, 403, 403, 200}, nil, nil},
		{"POST", "/api/v1/tokens", true, want{401, 201, 201, 201}, tokenJSON, nil},
		// Someone else's token is not found, except by an admin; revoking twice changes nothing.
		{"DELETE", "/api/v1/tokens/" + adminToken.ID, true, want{401, 404, 404, 204}, nil, nil},
		{"GET", "/tokens", false, want{303, 200, 200, 200}, nil, nil},
		{"GET", "/tokens?user_id=" + victim.ID, false, want{303, 403, 403, 200}, nil, nil},
		{"POST", "/tokens", false, want{303, 200, 200, 200}, nil, tokenForm},
		{"POST", "/tokens/" + adminToken.ID + "/revoke", false, want{303, 404, 404, 303}, nil, nil},
		{"GET", sessionPath, false, want{303, 403, 200, 200}, nil, nil},
		{"GET", sessionPath + "/transcript", false, want{303, 403, 200, 200}, nil, nil},
		{"GET", sessionPath + "/transcript?fragment=entries&after=0", false, want{303, 403, 200, 200}, nil, nil},
		// The handover's confirmation (a post without it asks again), its undo, the reminder to the CSM
		// and the whole checklist form.
		{"GET", open + "/handover", false, want{303, 403, 200, 200}, nil, nil},
		{"POST", open + "/handover", false, want{303, 403, 200, 200}, nil, emptyForm},
		{"POST", open + "/handover/undo", false, want{303, 403, 409, 409}, nil, emptyForm},
		{"POST", old + "/reminder", false, want{303, 403, 409, 409}, nil, emptyForm},
		{"POST", open + "/checklist", false, want{303, 403, 400, 400}, nil, emptyForm},
		{"GET", "/api/v1" + open + "/handover", true, want{401, 403, 200, 200}, nil, nil},
		{"DELETE", "/api/v1" + old + "/handover", true, want{401, 403, 409, 409}, nil, nil},
		{"POST", "/api/v1" + old + "/reminder", true, want{401, 403, 409, 409}, emptyJSON, nil},
		// Webhooks and Slack: managers and admins; a manager's endpoint is not found by another's
		// callers but the admin. Deleting over the API is in webhooks_test.go (a second delete is a 404).
		{"GET", "/webhooks", false, want{303, 403, 200, 200}, nil, nil},
		{"POST", "/webhooks", false, want{303, 403, 200, 200}, nil, hookForm},
		{"POST", "/webhooks/slack", false, want{303, 403, 303, 303}, nil, slackForm},
		{"POST", "/webhooks/slack/remove", false, want{303, 403, 303, 303}, nil, emptyForm},
		{"GET", hookPath, false, want{303, 403, 200, 200}, nil, nil},
		{"GET", adminHookPath, false, want{303, 403, 404, 200}, nil, nil},
		{"POST", hookPath + "/deliveries/" + delivery + "/resend", false, want{303, 403, 303, 303}, nil, emptyForm},
		{"POST", "/webhooks/" + doomed.ID + "/delete", false, want{303, 403, 303, 404}, nil, emptyForm},
		{"GET", "/api/v1/webhooks", true, want{401, 403, 200, 200}, nil, nil},
		{"POST", "/api/v1/webhooks", true, want{401, 403, 201, 201}, hookJSON, nil},
		{"GET", "/api/v1" + hookPath + "/deliveries", true, want{401, 403, 200, 200}, nil, nil},
		{"GET", "/api/v1" + adminHookPath + "/deliveries", true, want{401, 403, 404, 200}, nil, nil},
		{"POST", "/api/v1" + hookPath + "/deliveries/" + delivery + "/resend", true, want{401, 403, 202, 202}, emptyJSON, nil},
		// Attachments: only the CSM's invite uploads, lists and removes (attachments_test.go); the original
		// is served to who may see its account's knowledge (a successor of another account: 404).
		{"POST", "/api/v1/interview/attachments", true, want{401, 401, 401, 401}, emptyJSON, nil},
		{"GET", "/api/v1/interview/attachments", true, want{401, 401, 401, 401}, nil, nil},
		{"DELETE", "/api/v1/interview/attachments/" + file.ID, true, want{401, 401, 401, 401}, nil, nil},
		{"GET", filePath, true, want{401, 404, 200, 200}, nil, nil},
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
					case rt.method == "GET" || rt.method == "DELETE":
						resp = e.do(rt.method, rt.path, nil, opts...)
					case rt.api && rt.json != nil:
						resp = e.postJSON(rt.path, rt.json(), opts...)
					case rt.api:
						resp = e.postJSON(rt.path, newUserJSON(), opts...)
					case rt.form != nil:
						resp = e.postForm(rt.path, rt.form(), nil, opts...)
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

	// The MCP endpoint opens to a personal API token of any role and never to a browser session; it is
	// stateless, so GET and DELETE (a session's stream and its end) are 405 once authenticated. The rest
	// of its rules are in mcp_test.go.
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"access","version":"1"}}}`
	for _, who := range []string{"anonymous", "successor", "manager", "admin"} {
		for _, via := range []string{"session", "token"} {
			for _, method := range []string{"POST", "GET", "DELETE"} {
				t.Run(fmt.Sprintf("%s %s as %s by %s", method, mcpRoute, who, via), func(t *testing.T) {
					c := callers[who]
					opts := []reqOpt{withHeader("Accept", "application/json, text/event-stream")}
					if via == "session" {
						opts = append(opts, withCookie(c.cookie))
					} else if c.token != "" {
						opts = append(opts, withBearer(c.token))
					}
					expected := map[string]int{"POST": 200, "GET": 405, "DELETE": 405}[method]
					if who == "anonymous" || via == "session" {
						expected = 401
					}
					var resp *http.Response
					if method == "POST" {
						resp = e.postJSON(mcpRoute, initialize, opts...)
					} else {
						resp = e.do(method, mcpRoute, nil, opts...)
					}
					if resp.StatusCode != expected {
						t.Fatalf("status %d, want %d", resp.StatusCode, expected)
					}
					if expected == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
						t.Errorf("401 without WWW-Authenticate: Bearer")
					}
				})
			}
		}
	}
}
