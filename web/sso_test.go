package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"github.com/exitinterview/exitinterview/auth"
	"github.com/exitinterview/exitinterview/store"
)

// The single sign-on tests run a real OpenID Provider in the test: zitadel's OP package with its example
// in-memory storage and login page, on its own loopback address. What it signs is verified by the real
// go-oidc path of package sso; a test that needs a bad token has the provider's token endpoint re-sign
// the ID token it issued, with the provider's own key, after changing a claim.

const (
	idpClientID = "exitinterview"
	idpSecret   = "test-provider-client-secret"
	idpPassword = "idp password"
)

// idpUser is a person at the test provider; they sign in there with their e-mail and idpPassword.
type idpUser struct {
	id       string
	email    string
	verified bool
	groups   []string
}

// idpUsers is the provider's user store (storage.UserStore), with groups that tests may change.
type idpUsers struct {
	mu     sync.Mutex
	users  map[string]*storage.User
	groups map[string][]string
}

func (u *idpUsers) GetUserByID(id string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.users[id]
}

func (u *idpUsers) GetUserByUsername(name string) *storage.User {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, user := range u.users {
		if user.Username == name {
			return user
		}
	}
	return nil
}

func (u *idpUsers) ExampleClientID() string { return storage.ServiceUserID }

func (u *idpUsers) setGroups(id string, groups ...string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.groups[id] = groups
}

// setEmail changes a person's e-mail at the provider (a new record: the provider may hold the old one).
func (u *idpUsers) setEmail(id, email string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	changed := *u.users[id]
	changed.Email = email
	u.users[id] = &changed
}

// more adds the claims the example storage does not: the groups, and an email_verified that is false
// (which the storage's type leaves out, as if the provider did not say).
func (u *idpUsers) more(ui *oidc.UserInfo, subject string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if g := u.groups[subject]; g != nil {
		ui.AppendClaims("groups", g)
	}
	if user := u.users[subject]; user != nil && ui.Email != "" && !user.EmailVerified {
		ui.AppendClaims("email_verified", false)
	}
}

// idpStorage is the example storage, which also asserts a groups claim, in the ID token and in userinfo.
type idpStorage struct {
	*storage.Storage
	users *idpUsers
}

func (s *idpStorage) SetUserinfoFromRequest(ctx context.Context, ui *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, ui, token, scopes); err != nil {
		return err
	}
	s.users.more(ui, token.GetSubject())
	return nil
}

func (s *idpStorage) SetUserinfoFromToken(ctx context.Context, ui *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	s.users.more(ui, ui.Subject)
	return nil
}

// testIdP is a running OpenID Provider.
type testIdP struct {
	issuer  string
	storage *idpStorage
	users   *idpUsers
	op      http.Handler
	// tamper, when set, changes the claims of the ID tokens the token endpoint hands out; they are
	// signed again with the provider's key.
	tamper atomic.Pointer[func(claims map[string]any)]
}

func loopbackListener(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

// newTestIdP starts a provider that knows exitinterview as a confidential web client with redirectURI.
func newTestIdP(t testing.TB, redirectURI string, people ...idpUser) *testIdP {
	t.Helper()
	ln := loopbackListener(t)
	issuer := "http://" + ln.Addr().String()
	users := &idpUsers{users: map[string]*storage.User{}, groups: map[string][]string{}}
	for _, p := range people {
		local, _, _ := strings.Cut(p.email, "@")
		users.users[p.id] = &storage.User{ID: p.id, Username: p.email, Password: idpPassword, FirstName: strings.ToUpper(local[:1]) + local[1:],
			LastName: "Tester", Email: p.email, EmailVerified: p.verified, PreferredLanguage: language.English}
		users.groups[p.id] = p.groups
	}
	clients := map[string]*storage.Client{idpClientID: storage.WebClient(idpClientID, idpSecret, redirectURI)}
	st := &idpStorage{Storage: storage.NewStorageWithClients(users, clients), users: users}
	p := &testIdP{issuer: issuer, storage: st, users: users, op: exampleop.SetupServer(issuer, st, nil, false)}
	srv := httptest.NewUnstartedServer(p)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return p
}

// ServeHTTP serves the provider, re-signing the token endpoint's ID token when tamper is set.
func (p *testIdP) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tamper := p.tamper.Load()
	if tamper == nil || r.URL.Path != "/oauth/token" {
		p.op.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.op.ServeHTTP(rec, r)
	var body map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &body)
	idToken, _ := body["id_token"].(string)
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		http.Error(w, "the provider issued no ID token to tamper with", http.StatusInternalServerError)
		return
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	claims := map[string]any{}
	if err == nil {
		err = json.Unmarshal(payload, &claims)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	(*tamper)(claims)
	key, err := p.storage.SigningKey(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: key.SignatureAlgorithm(), Key: jose.JSONWebKey{Key: key.Key(), KeyID: key.ID()}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b, _ := json.Marshal(claims)
	jws, err := signer.Sign(b)
	if err == nil {
		body["id_token"], err = jws.CompactSerialize()
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(rec.Code)
	_ = json.NewEncoder(w).Encode(body)
}

// setTamper makes the token endpoint change every ID token's claims with f (nil: stop).
func (p *testIdP) setTamper(f func(claims map[string]any)) {
	if f == nil {
		p.tamper.Store(nil)
		return
	}
	p.tamper.Store(&f)
}

// env is the configuration of exitinterview with this provider, at base (empty: the default base URL).
func (p *testIdP) env(base string, more map[string]string) map[string]string {
	env := map[string]string{
		"EXITINTERVIEW_OIDC_ISSUER":        p.issuer,
		"EXITINTERVIEW_OIDC_CLIENT_ID":     idpClientID,
		"EXITINTERVIEW_OIDC_CLIENT_SECRET": idpSecret,
		"EXITINTERVIEW_OIDC_PROVIDER_NAME": "Acme ID",
	}
	if base != "" {
		env["EXITINTERVIEW_BASE_URL"] = base
	}
	for k, v := range more {
		env[k] = v
	}
	return env
}

// newSSOEnv starts exitinterview, configured with more, and a provider with people, each knowing the
// other's address.
func newSSOEnv(t *testing.T, more map[string]string, people ...idpUser) (*testEnv, *testIdP) {
	t.Helper()
	ln := loopbackListener(t)
	base := "http://" + ln.Addr().String()
	idp := newTestIdP(t, base+"/login/sso/callback", people...)
	e := newTestEnv(t, idp.env(base, more))
	ts := httptest.NewUnstartedServer(e.srv.Handler())
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	t.Cleanup(ts.Close)
	e.ts = ts
	return e, idp
}

// ssoBrowser is a program acting as a browser: it keeps cookies and follows the provider's redirects,
// but stops at exitinterview's, so the test sees each of its answers.
type ssoBrowser struct {
	t      *testing.T
	e      *testEnv
	client *http.Client
}

func newSSOBrowser(t *testing.T, e *testEnv) *ssoBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, Timeout: time.Minute, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		app := strings.TrimPrefix(e.ts.URL, "http://")
		if req.URL.Host == app || via[len(via)-1].URL.Host == app {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return &ssoBrowser{t: t, e: e, client: client}
}

func (b *ssoBrowser) get(u string) *http.Response {
	b.t.Helper()
	resp, err := b.client.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// toProvider starts a sign-in on exitinterview and signs in at the provider as email; it returns the
// callback URL the provider sends the browser back to, not yet opened.
func (b *ssoBrowser) toProvider(email string) string {
	b.t.Helper()
	resp := b.get(b.e.ts.URL + "/login/sso")
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("GET /login/sso: status %d: %s", resp.StatusCode, readBody(b.t, resp))
	}
	resp = b.get(resp.Header.Get("Location")) // the provider's login page, through its redirects
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("the provider's login page: status %d: %s", resp.StatusCode, readBody(b.t, resp))
	}
	page := resp.Request.URL
	id := page.Query().Get("authRequestID")
	if id == "" {
		b.t.Fatalf("the provider's login page %s names no auth request", page)
	}
	resp, err := b.client.PostForm(page.Scheme+"://"+page.Host+"/login/username",
		url.Values{"id": {id}, "username": {email}, "password": {idpPassword}})
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode/100 != 3 || !strings.HasPrefix(loc, b.e.ts.URL+"/login/sso/callback?") {
		b.t.Fatalf("the provider did not send the browser back: status %d, location %q: %s", resp.StatusCode, loc, readBody(b.t, resp))
	}
	return loc
}

// signIn signs in through the provider as email and returns exitinterview's answer to the callback.
func (b *ssoBrowser) signIn(email string) *http.Response {
	b.t.Helper()
	return b.get(b.toProvider(email))
}

// me is the signed-in user as /api/v1/me shows them, or the status when it is not 200.
func (b *ssoBrowser) me() (map[string]any, int) {
	b.t.Helper()
	resp := b.get(b.e.ts.URL + "/api/v1/me")
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode
	}
	var me map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&me); err != nil {
		b.t.Fatal(err)
	}
	return me, http.StatusOK
}

// refused checks that resp is the login page with status and a message containing msg, and that the
// browser is not signed in.
func (b *ssoBrowser) refused(resp *http.Response, status int, msg string) {
	b.t.Helper()
	body := readBody(b.t, resp)
	if resp.StatusCode != status || !strings.Contains(body, msg) {
		b.t.Fatalf("status %d, want %d with %q:\n%s", resp.StatusCode, status, msg, body)
	}
	if !strings.Contains(body, `href="/login/sso"`) {
		b.t.Errorf("the refusal offers no way to start again:\n%s", body)
	}
	if _, st := b.me(); st != http.StatusUnauthorized {
		b.t.Fatalf("after a refused sign-in /api/v1/me is %d", st)
	}
}

// lastAudit returns the newest audit entry with action.
func lastAudit(t *testing.T, e *testEnv, action string) store.AuditEntry {
	t.Helper()
	entries, err := e.store.RecentAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range entries {
		if a.Action == action {
			return a
		}
	}
	t.Fatalf("no %s in the audit log", action)
	return store.AuditEntry{}
}

// TestBrowserSSOSignsInThroughTheProvider is the whole flow in a real browser: the login page's button,
// the provider's login page, and back, signed in to the home page with the user's role.
func TestBrowserSSOSignsInThroughTheProvider(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, nil, idpUser{id: "m1", email: "maria@example.com", verified: true})
	e.user(store.RoleManager, "maria@example.com")
	ctx := browser(t)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/login"), chromedp.WaitVisible("#sso")))
	if label := run(t, ctx, chromedp.Text("#sso")); label != "Sign in with Acme ID" {
		t.Fatalf("the button says %q", label)
	}
	checkLayout(t, ctx, "login-sso")
	must(t, chromedp.Do(ctx,
		chromedp.Click("#sso"),
		chromedp.WaitVisible("#username"),
		chromedp.SendKeys("#username", "maria@example.com"),
		chromedp.SendKeys("#password", idpPassword),
		chromedp.Click(`button[type="submit"]`),
		chromedp.WaitVisible(`a[href="/interviews"]`),
	))
	if loc := run(t, ctx, chromedp.Location()); loc != e.ts.URL+"/" {
		t.Fatalf("signed in at %s, not the home page", loc)
	}
	role := run(t, ctx, chromedp.Evaluate[string](`fetch("/api/v1/me").then(r => r.json()).then(me => me.role + " " + me.email)`, chromedp.EvalAwaitPromise))
	if role != "manager maria@example.com" {
		t.Fatalf("signed in as %q", role)
	}
	a := lastAudit(t, e, "login.succeeded")
	if a.Subject != "maria@example.com" || a.Details["method"] != "sso" {
		t.Fatalf("the login is recorded as %+v", a)
	}
}

// TestSSOLinksTheIdentityAndKeepsPasswordLogin: the first sign-in finds the user by verified e-mail and
// links (issuer, subject); the password still works beside it, and the page offers both.
func TestSSOLinksTheIdentityAndKeepsPasswordLogin(t *testing.T) {
	t.Parallel()
	e, idp := newSSOEnv(t, nil, idpUser{id: "s1", email: "sam@example.com", verified: true})
	u, pw := e.user(store.RoleSuccessor, "sam@example.com")
	b := newSSOBrowser(t, e)
	resp := b.signIn("sam@example.com")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("callback: status %d to %q: %s", resp.StatusCode, resp.Header.Get("Location"), readBody(t, resp))
	}
	if me, _ := b.me(); me["id"] != u.ID || me["role"] != "successor" {
		t.Fatalf("signed in as %v", me)
	}
	linked, err := e.store.UserBySSOIdentity(t.Context(), idp.issuer, "s1")
	if err != nil || linked.ID != u.ID {
		t.Fatalf("identity not linked: %v %v", linked, err)
	}
	// Linked, the subject finds the user even when the provider's e-mail changes.
	idp.users.setEmail("s1", "sam.new@example.com")
	b2 := newSSOBrowser(t, e)
	if resp := b2.signIn("sam@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d %s", resp.StatusCode, readBody(t, resp))
	}
	if me, _ := b2.me(); me["id"] != u.ID {
		t.Fatalf("the linked identity signed in as %v", me)
	}
	page := readBody(t, e.do("GET", "/login", nil))
	if !strings.Contains(page, "Sign in with Acme ID") || !strings.Contains(page, `name="password"`) {
		t.Fatalf("the login page does not offer both:\n%s", page)
	}
	e.login("sam@example.com", pw)
}

// TestSSORefusesAWrongAudience: an ID token for another client, signed by the provider, is refused.
func TestSSORefusesAWrongAudience(t *testing.T) {
	t.Parallel()
	e, idp := newSSOEnv(t, nil, idpUser{id: "a1", email: "ann@example.com", verified: true})
	e.user(store.RoleManager, "ann@example.com")
	idp.setTamper(func(c map[string]any) { c["aud"] = []string{"another-app"}; c["azp"] = "another-app" })
	b := newSSOBrowser(t, e)
	b.refused(b.signIn("ann@example.com"), http.StatusForbidden, "could not be verified")
	if a := lastAudit(t, e, "login.failed"); a.Details["reason"] != "token" {
		t.Fatalf("audit: %+v", a)
	}
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("%d sessions after a refused sign-in", n)
	}
}

// TestSSORefusesAnExpiredToken: an ID token past its exp is refused.
func TestSSORefusesAnExpiredToken(t *testing.T) {
	t.Parallel()
	e, idp := newSSOEnv(t, nil, idpUser{id: "a1", email: "ann@example.com", verified: true})
	e.user(store.RoleManager, "ann@example.com")
	idp.setTamper(func(c map[string]any) {
		c["iat"] = time.Now().Add(-2 * time.Hour).Unix()
		c["exp"] = time.Now().Add(-time.Hour).Unix()
	})
	b := newSSOBrowser(t, e)
	b.refused(b.signIn("ann@example.com"), http.StatusForbidden, "could not be verified")
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("%d sessions after a refused sign-in", n)
	}
}

// TestSSORefusesABadNonce: an ID token whose nonce is not the one this sign-in sent is refused.
func TestSSORefusesABadNonce(t *testing.T) {
	t.Parallel()
	e, idp := newSSOEnv(t, nil, idpUser{id: "a1", email: "ann@example.com", verified: true})
	e.user(store.RoleManager, "ann@example.com")
	idp.setTamper(func(c map[string]any) { c["nonce"] = "a nonce of another sign-in" })
	b := newSSOBrowser(t, e)
	b.refused(b.signIn("ann@example.com"), http.StatusForbidden, "does not belong to this sign-in")
	if a := lastAudit(t, e, "login.failed"); a.Details["reason"] != "nonce" {
		t.Fatalf("audit: %+v", a)
	}
	// The same provider, behaving, signs her in: the refusal was the nonce's.
	idp.setTamper(nil)
	if resp := b.signIn("ann@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a good sign-in after: %d %s", resp.StatusCode, readBody(t, resp))
	}
}

// TestSSORefusesAReplayedState: a callback's state works once, only in the browser that started it.
func TestSSORefusesAReplayedState(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, nil, idpUser{id: "a1", email: "ann@example.com", verified: true})
	e.user(store.RoleManager, "ann@example.com")

	// Another browser cannot finish this browser's sign-in.
	b := newSSOBrowser(t, e)
	callback := b.toProvider("ann@example.com")
	other := newSSOBrowser(t, e)
	other.refused(other.get(callback), http.StatusBadRequest, "started in another browser")

	b2 := newSSOBrowser(t, e)
	callback = b2.toProvider("ann@example.com")
	if resp := b2.get(callback); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first use: %d %s", resp.StatusCode, readBody(t, resp))
	}
	sessions := e.count("browser_sessions")
	b3 := newSSOBrowser(t, e)
	b3.refused(b3.get(callback), http.StatusBadRequest, "already used")
	// Replayed in the same browser too.
	resp := b2.get(callback)
	if body := readBody(t, resp); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "already used") {
		t.Fatalf("replay in the same browser: %d %s", resp.StatusCode, body)
	}
	if n := e.count("browser_sessions"); n != sessions {
		t.Fatalf("a replay opened a session: %d, then %d", sessions, n)
	}
	// An expired state is refused too.
	b4 := newSSOBrowser(t, e)
	callback = b4.toProvider("ann@example.com")
	if _, err := e.store.Pool().Exec(t.Context(), `UPDATE sso_attempts SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	b4.refused(b4.get(callback), http.StatusBadRequest, "expired")
	// No state at all.
	b4.refused(b4.get(e.ts.URL+"/login/sso/callback?code=x"), http.StatusBadRequest, "incomplete")
}

// TestSSORefusesADomainNotAllowed: an e-mail outside EXITINTERVIEW_OIDC_ALLOWED_DOMAINS is refused, even
// for an existing user and with user creation on.
func TestSSORefusesADomainNotAllowed(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, map[string]string{"EXITINTERVIEW_OIDC_ALLOWED_DOMAINS": "example.com, corp.example.com", "EXITINTERVIEW_OIDC_CREATE_USERS": "true"},
		idpUser{id: "x1", email: "eve@elsewhere.test", verified: true}, idpUser{id: "c1", email: "cy@corp.example.com", verified: true})
	e.user(store.RoleManager, "eve@elsewhere.test")
	users := e.count("users")
	b := newSSOBrowser(t, e)
	b.refused(b.signIn("eve@elsewhere.test"), http.StatusForbidden, "Accounts of elsewhere.test cannot sign in here")
	if a := lastAudit(t, e, "login.failed"); a.Details["reason"] != "domain" || a.Subject != "eve@elsewhere.test" {
		t.Fatalf("audit: %+v", a)
	}
	if e.count("users") != users || e.count("sso_identities") != 0 {
		t.Fatal("a refused sign-in changed users or identities")
	}
	// An allowed domain is created (creation is on) as a successor, the default role.
	c := newSSOBrowser(t, e)
	if resp := c.signIn("cy@corp.example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("allowed domain: %d %s", resp.StatusCode, readBody(t, resp))
	}
	if me, _ := c.me(); me["role"] != "successor" || me["email"] != "cy@corp.example.com" || me["name"] != "Cy Tester" {
		t.Fatalf("created as %v", me)
	}
}

// TestSSORefusesADisabledUser: a disabled user cannot sign in through the provider.
func TestSSORefusesADisabledUser(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, nil, idpUser{id: "d1", email: "dan@example.com", verified: true})
	u, _ := e.user(store.RoleAdmin, "dan@example.com")
	// Linked first, then disabled: the linked path is refused too.
	b := newSSOBrowser(t, e)
	if resp := b.signIn("dan@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("before disabling: %d %s", resp.StatusCode, readBody(t, resp))
	}
	if _, err := e.auth.SetDisabled(t.Context(), u.ID, true, "", auth.Client{}); err != nil {
		t.Fatal(err)
	}
	b2 := newSSOBrowser(t, e)
	b2.refused(b2.signIn("dan@example.com"), http.StatusForbidden, "account is disabled")
	if a := lastAudit(t, e, "login.failed"); a.Details["reason"] != "disabled" {
		t.Fatalf("audit: %+v", a)
	}
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("%d sessions of a disabled user", n)
	}
}

// TestSSORefusesAnUnknownUserWhenCreationIsOff: by default nobody is created; an unverified e-mail is
// refused even when creation is on.
func TestSSORefusesAnUnknownUserWhenCreationIsOff(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, nil, idpUser{id: "n1", email: "nina@example.com", verified: true})
	users := e.count("users")
	b := newSSOBrowser(t, e)
	b.refused(b.signIn("nina@example.com"), http.StatusForbidden, "There is no exitinterview account for nina@example.com")
	if e.count("users") != users || e.count("sso_identities") != 0 {
		t.Fatal("a refused sign-in created something")
	}

	e2, _ := newSSOEnv(t, map[string]string{"EXITINTERVIEW_OIDC_CREATE_USERS": "true"}, idpUser{id: "u1", email: "uma@example.com", verified: false})
	e2.user(store.RoleManager, "uma@example.com") // an unverified e-mail must not take over this account
	b2 := newSSOBrowser(t, e2)
	b2.refused(b2.signIn("uma@example.com"), http.StatusForbidden, "not verified")
	if e2.count("sso_identities") != 0 {
		t.Fatal("an unverified e-mail was linked")
	}
}

// TestSSORoleFollowsTheGroups: with group mapping, the role is the provider's groups' at each sign-in,
// and someone in no mapped group is refused.
func TestSSORoleFollowsTheGroups(t *testing.T) {
	t.Parallel()
	e, idp := newSSOEnv(t, map[string]string{
		"EXITINTERVIEW_OIDC_ADMIN_GROUPS": "kt-admins", "EXITINTERVIEW_OIDC_MANAGER_GROUPS": "cs-managers, cs-leads",
		"EXITINTERVIEW_OIDC_SUCCESSOR_GROUPS": "csm", "EXITINTERVIEW_OIDC_CREATE_USERS": "true",
	}, idpUser{id: "g1", email: "gus@example.com", verified: true, groups: []string{"everyone", "cs-leads"}})

	b := newSSOBrowser(t, e)
	if resp := b.signIn("gus@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first sign-in: %d %s", resp.StatusCode, readBody(t, resp))
	}
	if me, _ := b.me(); me["role"] != "manager" {
		t.Fatalf("first sign-in as %v", me)
	}
	// Moved to the successors' group: the next sign-in makes them a successor.
	idp.users.setGroups("g1", "csm")
	b2 := newSSOBrowser(t, e)
	if resp := b2.signIn("gus@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %d %s", resp.StatusCode, readBody(t, resp))
	}
	if me, _ := b2.me(); me["role"] != "successor" {
		t.Fatalf("after the groups changed, signed in as %v", me)
	}
	if a := lastAudit(t, e, "user.role_changed"); a.Details["from"] != "manager" || a.Details["to"] != "successor" {
		t.Fatalf("audit: %+v", a)
	}
	// Both admin and successor: the most powerful wins.
	idp.users.setGroups("g1", "csm", "kt-admins")
	b3 := newSSOBrowser(t, e)
	b3.signIn("gus@example.com")
	if me, _ := b3.me(); me["role"] != "admin" {
		t.Fatalf("in the admins' group, signed in as %v", me)
	}
	// In no mapped group: refused, with a page that says why, and the role is left as it was.
	idp.users.setGroups("g1", "everyone")
	b4 := newSSOBrowser(t, e)
	b4.refused(b4.signIn("gus@example.com"), http.StatusForbidden, "not in any group that may use exitinterview")
	u, err := e.store.UserByEmail(t.Context(), "gus@example.com")
	if err != nil || u.Role != store.RoleAdmin {
		t.Fatalf("after a refusal: %+v %v", u, err)
	}
}

// TestSSOPasswordLoginOff: with password login off the page offers only the provider, POST /login is a
// 403 that says so, and an admin still gets in with an API token from the command line's path.
func TestSSOPasswordLoginOff(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, map[string]string{"EXITINTERVIEW_OIDC_PASSWORD_LOGIN": "false"}, idpUser{id: "p1", email: "pat@example.com", verified: true})
	_, pw := e.user(store.RoleAdmin, "pat@example.com")
	page := readBody(t, e.do("GET", "/login", nil))
	if !strings.Contains(page, "Sign in with Acme ID") || strings.Contains(page, `name="password"`) {
		t.Fatalf("the login page with password login off:\n%s", page)
	}
	resp := e.postForm("/login", url.Values{"email": {"pat@example.com"}, "password": {pw}}, nil)
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Signing in with a password is turned off") {
		t.Fatalf("POST /login: %d\n%s", resp.StatusCode, body)
	}
	if n := e.count("browser_sessions"); n != 0 {
		t.Fatalf("%d sessions after a refused password login", n)
	}
	// The way in that does not need the provider: a personal API token, as `exitinterview tokens create` makes.
	if resp := e.do("GET", "/api/v1/me", nil, withBearer(e.token("pat@example.com"))); resp.StatusCode != http.StatusOK {
		t.Fatalf("an API token with password login off: %d", resp.StatusCode)
	}
	b := newSSOBrowser(t, e)
	if resp := b.signIn("pat@example.com"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in through the provider: %d %s", resp.StatusCode, readBody(t, resp))
	}
}

// TestBrowserSSOLoginPageWithoutPasswords looks at the login page that offers only the provider.
func TestBrowserSSOLoginPageWithoutPasswords(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, map[string]string{"EXITINTERVIEW_OIDC_PASSWORD_LOGIN": "false"})
	ctx := browser(t)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/login?next=/search"), chromedp.WaitVisible("#sso")))
	if href := run(t, ctx, chromedp.Evaluate[string](`document.getElementById("sso").getAttribute("href")`)); href != "/login/sso?next=%2fsearch" {
		t.Errorf("the button leads to %q", href)
	}
	checkLayout(t, ctx, "login-sso-only")
}

// TestSSOIsOffWithoutAnIssuer: without single sign-on its routes do not exist and the page is as before.
func TestSSOIsOffWithoutAnIssuer(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	for _, path := range []string{"/login/sso", "/login/sso/callback?state=x&code=y"} {
		if resp := e.do("GET", path, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s without single sign-on: %d", path, resp.StatusCode)
		}
	}
	if page := readBody(t, e.do("GET", "/login", nil)); strings.Contains(page, "/login/sso") || !strings.Contains(page, `name="password"`) {
		t.Fatalf("the login page without single sign-on:\n%s", page)
	}
}

// TestSSOShowsTheProviderRefusing: when the provider sends the browser back with an error (the person
// cancelled), the page says so and the sign-in is used up.
func TestSSOShowsTheProviderRefusing(t *testing.T) {
	t.Parallel()
	e, _ := newSSOEnv(t, nil)
	b := newSSOBrowser(t, e)
	resp := b.get(e.ts.URL + "/login/sso?next=/search")
	to, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || err != nil {
		t.Fatalf("GET /login/sso: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := to.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" ||
		q.Get("redirect_uri") != e.ts.URL+"/login/sso/callback" || q.Get("client_id") != idpClientID {
		t.Fatalf("the authorization request lacks PKCE, nonce, state or the redirect URI: %s", to)
	}
	back := e.ts.URL + "/login/sso/callback?error=access_denied&error_description=%3Cb%3Enope%3C%2Fb%3E&state=" + url.QueryEscape(q.Get("state"))
	b.refused(b.get(back), http.StatusForbidden, "did not sign you in (access_denied)")
	b.refused(b.get(back), http.StatusBadRequest, "already used")
}
