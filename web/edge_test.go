package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// TestBadTextIsRefusedAtTheEdge sends NUL bytes, invalid UTF-8, control characters and bidirectional
// controls to the routes that store or look up text: each is a 400 naming the field, and nothing is
// written.
func TestBadTextIsRefusedAtTheEdge(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	ctx := context.Background()
	admin, adminPW := e.user(store.RoleAdmin, "admin@example.com")
	e.user(store.RoleSuccessor, "sam@example.com")
	tok := e.token("admin@example.com")
	cookie := e.login("admin@example.com", adminPW)
	c, err := e.ivs.Create(ctx, admin.ID, interview.CreateInput{CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 0, 20).Format(time.DateOnly), TimeBudgetMinutes: 10,
		Accounts: []book.Account{{Name: "Northwind"}, {Name: "Globex"}}})
	if err != nil {
		t.Fatal(err)
	}
	iv, acc := c.Interview.ID, c.Accounts[0].ID
	tables := []string{"users", "asked_questions", "corrections", "audit_log", "messages", "interviews"}
	before := map[string]int{}
	for _, tb := range tables {
		before[tb] = e.count(tb)
	}

	type call struct {
		name, method, path, contentType, body string
		invite                                bool
		field, problem                        string
	}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	const js, fm = "application/json", "application/x-www-form-urlencoded"
	calls := []call{
		{"login NUL", "POST", "/login", fm, form("email", "admin@example.com\x00", "password", "x"), false, "email", "must not contain NUL bytes"},
		{"login bad UTF-8", "POST", "/login", fm, "email=adm%FFin%40example.com&password=x", false, "email", "must be valid UTF-8 text"},
		{"users API name NUL", "POST", "/api/v1/users", js, `{"email":"n@example.com","name":"New\u0000","role":"successor"}`, false, "name", "must not contain NUL bytes"},
		{"users API name bidi", "POST", "/api/v1/users", js, `{"email":"n@example.com","name":"evil\u202egnp.exe","role":"successor"}`, false, "name", "must not contain bidirectional text controls"},
		{"users API name newline", "POST", "/api/v1/users", js, `{"email":"n@example.com","name":"New\nPerson","role":"successor"}`, false, "name", "must not contain control characters or line breaks"},
		{"users API bad UTF-8", "POST", "/api/v1/users", js, "{\"email\":\"n@example.com\",\"name\":\"\xff\",\"role\":\"successor\"}", false, "body", "must be valid UTF-8 text"},
		{"users page name NUL", "POST", "/users", fm, form("email", "n@example.com", "name", "New\x00", "role", "successor"), false, "name", "must not contain NUL bytes"},
		{"users page name LRM", "POST", "/users", fm, form("email", "n@example.com", "name", "New\u200e", "role", "successor"), false, "name", "must not contain bidirectional text controls"},
		{"successor API NUL", "PUT", "/api/v1/interviews/" + iv + "/accounts/" + acc + "/successor", js, `{"email":"sam@example.com\u0000"}`, false, "email", "must not contain NUL bytes"},
		{"successor form NUL", "POST", "/interviews/" + iv + "/accounts/" + acc + "/successor", fm, form("email", "sam@example.com\x00"), false, "email", "must not contain NUL bytes"},
		{"successors API NUL", "PUT", "/api/v1/interviews/" + iv + "/successors", js, `{"email":"sam@example.com","accounts":["Northwind\u0000"]}`, false, "accounts[0]", "must not contain NUL bytes"},
		{"search q NUL", "GET", "/api/v1/search?q=renewal%00", "", "", false, "q", "must not contain NUL bytes"},
		{"search account bad UTF-8", "GET", "/api/v1/search?q=renewal&account=North%FFwind", "", "", false, "account", "must be valid UTF-8 text"},
		{"search interview NUL", "GET", "/api/v1/search?q=renewal&interview=" + iv + "%00", "", "", false, "interview", "must not contain NUL bytes"},
		{"search page q NUL", "GET", "/search?q=renewal%00", "", "", false, "q", "must not contain NUL bytes"},
		{"ask API NUL", "POST", "/api/v1/ask", js, `{"question":"who signs?\u0000"}`, false, "question", "must not contain NUL bytes"},
		{"ask API account bidi", "POST", "/api/v1/ask", js, `{"question":"who signs?","account":"\u2066Northwind"}`, false, "account", "must not contain bidirectional text controls"},
		{"ask page NUL", "POST", "/search/ask", fm, form("question", "who signs?\x00"), false, "question", "must not contain NUL bytes"},
		{"question API NUL", "POST", "/api/v1/interviews/" + iv + "/questions", js, `{"text":"Who signs the renewal?\u0000","account":"Northwind"}`, false, "text", "must not contain NUL bytes"},
		{"question API escape sequence", "POST", "/api/v1/interviews/" + iv + "/questions", js, `{"text":"Who signs \u001b[2Jthe renewal?","account":"Northwind"}`, false, "text", "must not contain control characters"},
		{"question API RLO", "POST", "/api/v1/interviews/" + iv + "/questions", js, `{"text":"Who signs \u202ethe renewal?","account":"Northwind"}`, false, "text", "must not contain bidirectional text controls"},
		{"question form NUL", "POST", "/questions", fm, form("interview_id", iv, "account", "Northwind", "text", "Who signs the renewal?\x00"), false, "text", "must not contain NUL bytes"},
		{"question form account bad UTF-8", "POST", "/questions", fm, "interview_id=" + iv + "&account=North%C3wind&text=Who+signs%3F", false, "account", "must be valid UTF-8 text"},
		{"CSM answer NUL", "POST", "/api/v1/interview/messages", js, `{"content":"Northwind renews\u0000 in May."}`, true, "content", "must not contain NUL bytes"},
		{"CSM answer bad UTF-8", "POST", "/api/v1/interview/messages", js, "{\"content\":\"Northwind \xc3 renews\"}", true, "body", "must be valid UTF-8 text"},
		{"correction NUL", "POST", "/api/v1/interview/review/findings/00000000-0000-0000-0000-000000000000", js, `{"text":"Erik signs.\u0000"}`, true, "text", "must not contain NUL bytes"},
		{"correction bidi", "POST", "/api/v1/interview/review/findings/00000000-0000-0000-0000-000000000000", js, `{"text":"Erik \u202esigns."}`, true, "text", "must not contain bidirectional text controls"},
		{"correction page control", "POST", "/interview/review/00000000-0000-0000-0000-000000000000", fm, form("text", "Erik\x07 signs."), true, "text", "must not contain control characters"},
		{"path parameter NUL", "GET", "/api/v1/interviews/%00", "", "", false, "id", "must not contain NUL bytes"},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			opts := []reqOpt{withBearer(tok)}
			if strings.HasPrefix(tc.path, "/users") || strings.HasPrefix(tc.path, "/questions") || strings.HasPrefix(tc.path, "/search") || strings.HasPrefix(tc.path, "/interviews/") {
				opts = []reqOpt{withCookie(cookie)}
			}
			if tc.path == "/login" {
				opts = nil
			}
			if tc.invite {
				opts = []reqOpt{withBearer(c.InviteToken)}
			}
			if tc.contentType != "" {
				opts = append(opts, withHeader("Content-Type", tc.contentType))
			}
			var body *strings.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			var r *http.Response
			if body == nil {
				r = e.do(tc.method, tc.path, nil, opts...)
			} else {
				r = e.do(tc.method, tc.path, body, opts...)
			}
			if r.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.StatusCode, readBody(t, r))
			}
			text := readBody(t, r)
			if strings.HasPrefix(tc.path, "/api/") {
				var got errorBody
				if err := json.Unmarshal([]byte(text), &got); err != nil {
					t.Fatalf("not the JSON error shape: %s", text)
				}
				if got.Error.Fields[tc.field] != tc.problem {
					t.Fatalf("fields %v, want %s: %s", got.Error.Fields, tc.field, tc.problem)
				}
				return
			}
			// Pages show the message, which names the field.
			if !strings.Contains(text, "&#34;"+tc.field+"&#34; "+tc.problem) {
				t.Fatalf("the page does not name %s (%s): %s", tc.field, tc.problem, text)
			}
		})
	}
	for _, tb := range tables {
		if n := e.count(tb); n != before[tb] {
			t.Errorf("%s: %d rows, had %d: a refused request wrote", tb, n, before[tb])
		}
	}

	// Ordinary text still passes: a CSM's answer keeps its line breaks and tabs, a question its line
	// breaks, a name its accents and right-to-left letters.
	r := e.postJSON("/api/v1/interview/messages", `{"content":"Northwind:\n\t- renews in May\r\n- Marco signs"}`, withBearer(c.InviteToken))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("answer with line breaks: %d %s", r.StatusCode, readBody(t, r))
	}
	r = e.postJSON("/api/v1/interviews/"+iv+"/questions", `{"text":"Who signs?\nAnd when?","account":"Northwind"}`, withBearer(tok))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("question with a line break: %d %s", r.StatusCode, readBody(t, r))
	}
	r = e.postJSON("/api/v1/users", `{"email":"zoe@example.com","name":"Zoë Müller-شريف","role":"successor"}`, withBearer(tok))
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("accented name: %d %s", r.StatusCode, readBody(t, r))
	}
}

// TestResponsesAreNotCached: API responses and pages, errors included, carry Cache-Control: no-store;
// content-hashed assets stay cacheable.
func TestResponsesAreNotCached(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "admin@example.com")
	tok := e.token("admin@example.com")
	cookie := e.login("admin@example.com", pw)
	for _, r := range []*http.Response{
		e.do(http.MethodGet, "/api/v1/me", nil),
		e.do(http.MethodGet, "/api/v1/me", nil, withBearer(tok)),
		e.do(http.MethodGet, "/api/v1/users", nil, withBearer(tok)),
		e.postJSON("/api/v1/users", `{"email":"n@example.com","name":"N","role":"successor"}`, withBearer(tok)),
		e.postJSON("/api/v1/users", `{}`, withBearer(tok)),
		e.do(http.MethodGet, "/api/v1/nowhere", nil, withBearer(tok)),
		e.do(http.MethodGet, "/users", nil, withCookie(cookie)),
		e.do(http.MethodGet, "/", nil, withCookie(cookie)),
	} {
		if got := r.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s %s (%d): Cache-Control %q", r.Request.Method, r.Request.URL.Path, r.StatusCode, got)
		}
	}
	asset, err := e.srv.pages.assetURL("app.css")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.do(http.MethodGet, asset, nil).Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("asset: Cache-Control %q", got)
	}
}
