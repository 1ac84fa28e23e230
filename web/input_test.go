package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/store"
)

// TestCreateUserRejectsBadInput sends bad bodies to an API route: each gets a clear 4xx in the API's
// error shape, and nothing is written (no user, no audit entry).
func TestCreateUserRejectsBadInput(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_MAX_BODY_BYTES": "4096"})
	e.user(store.RoleAdmin, "admin@example.com")
	tok := e.token("admin@example.com")
	e.user(store.RoleManager, "taken@example.com")
	users, audits := e.count("users"), e.count("audit_log")

	cases := []struct {
		name        string
		body        string
		contentType string
		status      int
		code        string
		fields      map[string]string
	}{
		{"unknown field", `{"email":"a@example.com","name":"A","role":"manager","admin":true}`, "", 400, "unknown_field", map[string]string{"admin": "is not a known field"}},
		{"wrong type", `{"email":"a@example.com","name":"A","role":7}`, "", 400, "invalid_type", map[string]string{"role": "must be a string"}},
		{"not an object", `["a@example.com"]`, "", 400, "invalid_json", nil},
		{"malformed", `{"email":`, "", 400, "invalid_json", nil},
		{"syntax error", `{"email" "a"}`, "", 400, "invalid_json", nil},
		{"empty body", ``, "", 400, "invalid_json", nil},
		{"two objects", `{"email":"a@example.com","name":"A","role":"manager"}{}`, "", 400, "invalid_json", nil},
		{"oversized", `{"email":"a@example.com","name":"` + strings.Repeat("x", 5000) + `","role":"manager"}`, "", 413, "body_too_large", nil},
		{"form instead of JSON", `email=a@example.com`, "application/x-www-form-urlencoded", 415, "unsupported_media_type", nil},
		{"missing fields", `{}`, "", 400, "invalid_input", map[string]string{"email": "must be a valid email address", "name": "is required", "role": "must be one of admin, manager, successor"}},
		{"bad values", `{"email":"not-an-email","name":"` + strings.Repeat("n", 201) + `","role":"owner","password":"short"}`, "", 400, "invalid_input", map[string]string{"email": "must be a valid email address", "name": "must be at most 200 characters", "role": "must be one of admin, manager, successor", "password": "must be at least 12 characters"}},
		{"duplicate email", `{"email":"TAKEN@example.com","name":"Again","role":"manager"}`, "", 400, "invalid_input", map[string]string{"email": "a user with this email already exists"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ct := tc.contentType
			if ct == "" {
				ct = "application/json"
			}
			resp := e.do(http.MethodPost, "/api/v1/users", strings.NewReader(tc.body), withBearer(tok), withHeader("Content-Type", ct))
			var got struct {
				Error apiError `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatalf("status %d, body is not the JSON error shape: %v", resp.StatusCode, err)
			}
			if resp.StatusCode != tc.status || got.Error.Code != tc.code || got.Error.Message == "" {
				t.Fatalf("got %d %q %q, want %d %q", resp.StatusCode, got.Error.Code, got.Error.Message, tc.status, tc.code)
			}
			if diff := cmp.Diff(tc.fields, got.Error.Fields); tc.fields != nil && diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	if u, a := e.count("users"), e.count("audit_log"); u != users || a != audits {
		t.Fatalf("refused requests wrote: users %d→%d, audit %d→%d", users, u, audits, a)
	}

	// The same route with a good body works, and the generated password is returned once.
	resp := e.postJSON("/api/v1/users", `{"email":"New.Person@Example.com","name":" New Person ","role":"successor"}`, withBearer(tok))
	var created createUserResponse
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	if created.Email != "new.person@example.com" || created.Name != "New Person" || len(created.Password) < 20 {
		t.Fatalf("created %+v", created)
	}
	e.login("new.person@example.com", created.Password)
}

func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"email":"a"}`, `{"email":1}`, `[]`, `{"x":{}}`, `{"email":"a"}{"b":1}`, `nul`, "\xff"} {
		f.Add(s)
	}
	e := testEchoContext()
	f.Fuzz(func(t *testing.T, body string) {
		c := e(body)
		var req createUserRequest
		err := decodeJSON(c, &req)
		if err == nil {
			return
		}
		ae := classify(err)
		if ae.Status < 400 || ae.Status >= 500 || ae.Code == "" || ae.Message == "" {
			t.Fatalf("body %q: %v → %+v", body, err, ae)
		}
	})
}
