package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// verify checks a request's signature with the Standard Webhooks reference library (not this package's
// code), as a receiver would.
func verify(t *testing.T, secret string, r request) {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := wh.Verify(r.Body, r.Header); err != nil {
		t.Fatalf("the signature does not verify: %v (headers %v)", err, r.Header)
	}
}

// TestSignatureIsTheStandardOne: a signature this package makes verifies with the Standard Webhooks
// library, and one of another body, id, timestamp or secret does not.
func TestSignatureIsTheStandardOne(t *testing.T) {
	t.Parallel()
	secret := NewSecret()
	if !strings.HasPrefix(secret, "whsec_") || len(secret) < 40 || secret == NewSecret() {
		t.Fatalf("secret %q", secret)
	}
	body := []byte(`{"type":"session.created","timestamp":"2026-12-07T21:00:00Z","data":{"session":{"id":"x"}}}`)
	now := time.Now().Unix()
	sig, err := Sign(secret, "msg_1", now, body)
	if err != nil || !strings.HasPrefix(sig, "v1,") {
		t.Fatalf("signature %q, %v", sig, err)
	}
	headers := func(id string, ts int64, sig string) http.Header {
		h := http.Header{}
		h.Set("webhook-id", id)
		h.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
		h.Set("webhook-signature", sig)
		return h
	}
	verify(t, secret, request{Body: body, Header: headers("msg_1", now, sig)})
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatal(err)
	}
	other := NewSecret()
	otherSig, _ := Sign(other, "msg_1", now, body)
	for name, h := range map[string]http.Header{
		"another id":        headers("msg_2", now, sig),
		"another timestamp": headers("msg_1", now-1, sig),
		"another secret":    headers("msg_1", now, otherSig),
	} {
		if err := wh.Verify(body, h); err == nil {
			t.Errorf("%s: verifies", name)
		}
	}
	if err := wh.Verify(append([]byte(" "), body...), headers("msg_1", now, sig)); err == nil {
		t.Error("another body verifies")
	}
	if _, err := Sign("not-a-secret", "msg_1", now, body); err == nil {
		t.Error("a secret without whsec_ signs")
	}
}

// TestEventsReachTheirOwnersEndpointsSignedAndRetried: a manager's endpoint receives the events of their
// own sessions only, an admin's everyone's; each request is signed (verified with the Standard Webhooks
// library), carries the payload's type, timestamp and data with links, and a receiver that fails twice
// gets the same message (same webhook-id) a third time, when it succeeds; every attempt is logged.
func TestEventsReachTheirOwnersEndpointsSignedAndRetried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, 100*time.Millisecond, 100*time.Millisecond, 100*time.Millisecond)
	mariaHook, mariaSecret := e.endpoint(e.maria, e.received.URL+"/maria", SessionCreated)
	adminReceiver := newReceiver(t)
	_, adminSecret := e.endpoint(e.admin, adminReceiver.URL+"/admin", SessionCreated, HandoverCompleted)
	e.received.answerWith(http.StatusInternalServerError, http.StatusBadGateway)

	mine := e.session(e.maria, "Dana Whitfield", 20, "Northwind", "Globex")
	theirs := e.session(e.omar, "Lee Chan", 20, "Initech")
	e.worker()
	waitFor(t, "Maria's endpoint to succeed after two failures", func() bool { return len(e.received.requests()) >= 3 })
	waitFor(t, "the admin's endpoint to get both sessions", func() bool { return len(adminReceiver.requests()) >= 2 })
	time.Sleep(500 * time.Millisecond) // nothing more may arrive

	got := e.received.requests()
	if len(got) != 3 || got[0].Status != 500 || got[1].Status != 502 || got[2].Status != 200 {
		t.Fatalf("Maria's endpoint got %d requests", len(got))
	}
	for _, r := range got {
		verify(t, mariaSecret, r)
		if r.Header.Get("webhook-id") != got[0].Header.Get("webhook-id") {
			t.Error("a retry has another webhook-id")
		}
		p := r.payload(t)
		data := p.Data.(map[string]any)
		session := data["session"].(map[string]any)
		if p.Type != SessionCreated || session["id"] != mine.Interview.ID || session["csm_name"] != "Dana Whitfield" ||
			session["url"] != e.baseURL+"/interviews/"+mine.Interview.ID || data["accounts"] != float64(2) || time.Since(p.Timestamp) > time.Minute {
			t.Errorf("payload %s", r.Body)
		}
	}
	seen := map[string]bool{}
	for _, r := range adminReceiver.requests() {
		verify(t, adminSecret, r)
		seen[r.payload(t).Data.(map[string]any)["session"].(map[string]any)["id"].(string)] = true
	}
	if !seen[mine.Interview.ID] || !seen[theirs.Interview.ID] {
		t.Errorf("the admin's endpoint saw %v", seen)
	}

	// The log: one delivery, three attempts with their statuses and latencies.
	list, err := e.hooks.Deliveries(ctx, e.maria, mariaHook.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("deliveries %v, %v", list, err)
	}
	d := list[0]
	if d.Status != "succeeded" || len(d.Attempts) != 3 || d.Attempts[0].StatusCode != 500 || d.Attempts[0].Error != "HTTP 500" ||
		d.Attempts[2].StatusCode != 200 || d.Attempts[2].Error != "" || d.EventType != SessionCreated {
		t.Fatalf("delivery %+v", d)
	}
	// Omar sees neither Maria's endpoint nor its deliveries.
	if _, err := e.hooks.Deliveries(ctx, e.omar, mariaHook.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Omar reads Maria's deliveries: %v", err)
	}
	if list, _ := e.hooks.List(ctx, e.omar); len(list) != 0 {
		t.Errorf("Omar lists %d endpoints", len(list))
	}
	if list, _ := e.hooks.List(ctx, e.admin); len(list) != 2 {
		t.Errorf("the admin lists %d endpoints", len(list))
	}

	// Resent, the event arrives again, signed, as a new delivery.
	again, err := e.hooks.Resend(ctx, e.maria, mariaHook.ID, d.ID)
	if err != nil || again.ID == d.ID {
		t.Fatalf("resend %+v, %v", again, err)
	}
	waitFor(t, "the resent delivery", func() bool { return len(e.received.requests()) == 4 })
	verify(t, mariaSecret, e.received.requests()[3])
}

// TestASessionsEventsArriveInOrder: while a session's first event to an endpoint is being retried, its
// later events to that endpoint wait, then arrive in the order they happened.
func TestASessionsEventsArriveInOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t, 300*time.Millisecond, 300*time.Millisecond)
	_, secret := e.endpoint(e.maria, e.received.URL, SessionCreated, InterviewStarted, InterviewCompleted, HandoverCompleted)
	e.received.answerWith(http.StatusServiceUnavailable, http.StatusServiceUnavailable)
	c := e.session(e.maria, "Dana Whitfield", 20, "Northwind")
	if _, err := e.ivs.Answer(ctx, c.Interview.ID, "They route support tickets for 140 agents.", "a1", "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ivs.Finish(ctx, c.Interview.ID); err != nil {
		t.Fatal(err)
	}
	iv, err := e.st.InterviewByID(ctx, c.Interview.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.HandOver(ctx, iv.ID); err != nil {
			return err
		}
		return e.hooks.HandedOver(ctx, tx, iv)
	}); err != nil {
		t.Fatal(err)
	}
	if n := len(e.pendingDeliveries()); n != 4 {
		t.Fatalf("%d deliveries queued, want 4", n)
	}
	e.worker()
	waitFor(t, "four events delivered", func() bool { return len(e.pendingDeliveries()) == 0 })
	var order []string
	for _, r := range e.received.requests() {
		verify(t, secret, r)
		if r.Status == http.StatusOK {
			order = append(order, r.payload(t).Type)
		} else if r.payload(t).Type != SessionCreated {
			t.Errorf("a failed attempt was %s, not the first event", r.payload(t).Type)
		}
	}
	want := []string{SessionCreated, InterviewStarted, InterviewCompleted, HandoverCompleted}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("arrived in the order %v, want %v", order, want)
	}
}

// TestAnEndpointFailingForADayIsDisabled: an attempt that fails when every attempt has failed for a day
// disables the endpoint, gives up its pending deliveries and e-mails its owner (package notify's e-mail);
// a disabled endpoint gets no new events and cannot be resent to.
func TestAnEndpointFailingForADayIsDisabled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	e.hooks.SetMailer(notify.New(e.st, noQueue{}, e.baseURL, e.hooks.log))
	ep, _ := e.endpoint(e.maria, e.received.URL, SessionCreated)
	e.received.answerWith(500, 500)
	e.session(e.maria, "Dana Whitfield", 20, "Northwind")
	e.session(e.maria, "Lee Chan", 20, "Globex")
	ids := e.pendingDeliveries()
	if len(ids) != 2 {
		t.Fatalf("%d deliveries", len(ids))
	}
	// A first failure: retried later, the endpoint failing but enabled.
	if err := e.hooks.deliver(ctx, ids[0], false); err == nil {
		t.Fatal("a failed attempt is no error to retry")
	}
	got, err := e.hooks.Get(ctx, e.maria, ep.ID)
	if err != nil || got.Status != "failing" || got.DisabledAt != nil {
		t.Fatalf("after a failure: %+v, %v", got, err)
	}
	// Failing for a day: the next failure disables it.
	if _, err := e.st.Pool().Exec(ctx, `UPDATE webhook_endpoints SET failing_since = now() - interval '25 hours'`); err != nil {
		t.Fatal(err)
	}
	if err := e.hooks.deliver(ctx, ids[0], false); err != nil {
		t.Fatalf("the attempt that disables is retried: %v", err)
	}
	got, err = e.hooks.Get(ctx, e.maria, ep.ID)
	if err != nil || got.Status != "disabled" || !strings.Contains(got.DisabledReason, "HTTP 500") {
		t.Fatalf("after a day of failures: %+v, %v", got, err)
	}
	if len(e.pendingDeliveries()) != 0 {
		t.Error("the disabled endpoint's deliveries are still pending")
	}
	var to, text string
	if err := e.st.Pool().QueryRow(ctx, `SELECT to_address, text_body FROM emails WHERE kind = 'webhook_disabled'`).Scan(&to, &text); err != nil ||
		to != e.maria.Email || !strings.Contains(text, ep.URL) || !strings.Contains(text, "HTTP 500") || !strings.Contains(text, e.baseURL+"/webhooks") {
		t.Errorf("the owner's e-mail: to %q, %v:\n%s", to, err, text)
	}
	before := len(e.received.requests())
	if err := e.hooks.deliver(ctx, ids[1], false); err != nil || len(e.received.requests()) != before {
		t.Errorf("a delivery to a disabled endpoint was sent: %v", err)
	}
	e.session(e.maria, "Ann Other", 20, "Acme")
	if n := len(e.pendingDeliveries()); n != 0 {
		t.Errorf("a disabled endpoint got %d new deliveries", n)
	}
	if _, err := e.hooks.Resend(ctx, e.maria, ep.ID, ids[0]); !errors.Is(err, ErrEndpointDisabled) {
		t.Errorf("resend to a disabled endpoint: %v", err)
	}
	// A healthy endpoint's success clears its failing mark.
	ok, _ := e.endpoint(e.maria, e.received.URL+"/ok", SessionCreated)
	e.received.answerWith(500)
	e.session(e.maria, "Bo Brown", 20, "Acme")
	id := e.pendingDeliveries()[0]
	_ = e.hooks.deliver(ctx, id, false)
	if got, _ := e.hooks.Get(ctx, e.maria, ok.ID); got.Status != "failing" {
		t.Fatalf("status %s", got.Status)
	}
	if err := e.hooks.deliver(ctx, id, false); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.hooks.Get(ctx, e.maria, ok.ID); got.Status != "active" {
		t.Fatalf("after a success: %s", got.Status)
	}
}

// noQueue sends no e-mail: the tests read the e-mails where they are queued.
type noQueue struct{}

func (noQueue) EnqueueEmail(context.Context, *store.Store, string) error { return nil }

// TestInternalAddressesAreRefused: without private addresses allowed, registration refuses internal and
// non-https URLs with a reason, and the client refuses at dial time to reach loopback (by address or by
// a name that resolves to it); a redirect is never followed.
func TestInternalAddressesAreRefused(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		url, problem string
	}{
		{"https://hooks.example.com/x", ""},
		{"http://hooks.example.com/x", "must use https://"},
		{"ftp://hooks.example.com/x", "must be an https:// URL"},
		{"https://127.0.0.1/x", "must not point to a private"},
		{"https://[::1]/x", "must not point to a private"},
		{"https://10.1.2.3/x", "must not point to a private"},
		{"https://169.254.169.254/latest/meta-data", "must not point to a private"},
		{"https://100.64.0.1/x", "must not point to a private"},
		{"https://224.0.0.1/x", "must not point to a private"},
		{"https://0.0.0.0/x", "must not point to a private"},
		{"https://[::ffff:192.168.0.1]/x", "must not point to a private"},
		{"https://localhost/x", "must name a public host"},
		{"https://intranet/x", "must name a public host"},
		{"https://user:pw@hooks.example.com/x", "must not carry a user name"},
		{"hooks.example.com/x", "must be an absolute URL"},
		{"", "must be an absolute URL"},
	} {
		if got := CheckURL(c.url, false); c.problem == "" && got != "" || c.problem != "" && !strings.Contains(got, c.problem) {
			t.Errorf("CheckURL(%q) = %q, want %q", c.url, got, c.problem)
		}
	}
	if p := CheckURL("http://127.0.0.1:8080/x", true); p != "" {
		t.Errorf("with private addresses allowed: %q", p)
	}
	for _, ip := range []string{"8.8.8.8", "2a00:1450:4001::1"} {
		if Blocked(netip.MustParseAddr(ip)) {
			t.Errorf("%s is blocked", ip)
		}
	}

	hit := false
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hit = true }))
	defer target.Close()
	guarded := NewClient(false, 5*time.Second)
	port := target.URL[strings.LastIndexByte(target.URL, ':'):]
	for _, u := range []string{target.URL + "/hook?token=s3cr3t", "http://localhost" + port + "/hook?token=s3cr3t"} {
		_, _, err := post(context.Background(), guarded, u, nil, []byte(`{}`))
		if !errors.Is(err, ErrBlockedAddress) {
			t.Errorf("%s: %v, want the address refused", u, err)
		} else if strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("the error, which is stored and logged, holds the URL: %v", err)
		}
	}
	if hit {
		t.Fatal("the guarded client reached loopback")
	}

	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	code, _, err := post(context.Background(), NewClient(true, 5*time.Second), redirect.URL, nil, []byte(`{}`))
	if code != http.StatusTemporaryRedirect || err == nil || !strings.Contains(err.Error(), "redirects are not followed") || hit {
		t.Fatalf("redirect: %d %v, target hit %v", code, err, hit)
	}

	// Registration refuses with the field named, and stores nothing.
	e := newEnv(t)
	strict := New(e.st, Config{BaseURL: e.baseURL}, e.hooks.log)
	_, _, err = strict.Create(context.Background(), e.maria, NewEndpoint{URL: "https://127.0.0.1/x", Events: []string{SessionCreated}})
	var fields validation.Errors
	if !errors.As(err, &fields) || fields["url"] == "" {
		t.Fatalf("a loopback endpoint: %v", err)
	}
	_, _, err = strict.Create(context.Background(), e.maria, NewEndpoint{URL: "https://hooks.example.com/x", Events: []string{"session.deleted"}})
	if !errors.As(err, &fields) || fields["events"] == "" {
		t.Fatalf("an unknown event: %v", err)
	}
	if list, _ := strict.List(context.Background(), e.maria); len(list) != 0 {
		t.Fatalf("refused endpoints were stored: %d", len(list))
	}
}
