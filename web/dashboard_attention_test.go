package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
)

// attentionFixture is a manager with one departure of two accounts: a $1.2M one whose CRM health is 45,
// renewing 16 days after the last day, and an $8.4k one renewing 5 days after it. Nothing is answered.
type attentionFixture struct {
	e      *testEnv
	cookie *http.Cookie
	iv     store.Interview
	invite string
}

func newAttentionFixture(t *testing.T) *attentionFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	manager, pw := e.user(store.RoleManager, "maria@example.com")
	departure := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 20)
	big, small := 1_200_000.0, 8_400.0
	bigRenewal, smallRenewal := departure.AddDate(0, 0, 16), departure.AddDate(0, 0, 5)
	c, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: "Dana Whitfield", CSMEmail: "dana@example.com",
		DepartureDate: departure.Format(time.DateOnly), TimeBudgetMinutes: 10,
		Accounts: []book.Account{
			{Name: "Tiny Shop", ARR: &small, RenewalDate: &smallRenewal},
			{Name: "Big Bank", ARR: &big, RenewalDate: &bigRenewal, CRM: book.CRMContext{Health: "45"}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return &attentionFixture{e: e, cookie: e.login("maria@example.com", pw), iv: c.Interview, invite: c.InviteToken}
}

func (f *attentionFixture) dashboard(t *testing.T) string {
	t.Helper()
	r := f.e.do(http.MethodGet, "/interviews", nil, withCookie(f.cookie))
	body := readBody(t, r)
	if r.StatusCode != 200 {
		t.Fatalf("dashboard: %d", r.StatusCode)
	}
	return body
}

func attentionOf(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, "Needs your attention"), strings.Index(body, `id="sessions-h"`)
	if i < 0 || j < i {
		t.Fatal("no attention list")
	}
	return body[i:j]
}

// TestDashboardRanksByValueAtRiskBeforeAnyAnswer: before any answer and any report, the $1.2M account
// whose CRM health is red is in the attention list, first, with its risk and where it comes from; no
// account reads "ready 10%", they are not started; the CSM has not answered yet.
func TestDashboardRanksByValueAtRiskBeforeAnyAnswer(t *testing.T) {
	t.Parallel()
	f := newAttentionFixture(t)
	body := f.dashboard(t)
	attention := attentionOf(t, body)
	bigAt, smallAt := strings.Index(attention, "Big Bank"), strings.Index(attention, "Tiny Shop")
	if bigAt < 0 || smallAt < 0 || bigAt > smallAt {
		t.Fatalf("Big Bank at %d, Tiny Shop at %d in the attention list:\n%s", bigAt, smallAt, attention)
	}
	for _, want := range []string{"high risk", "risk from CRM health 45", "$840,000 at risk", "not started: nothing was discussed yet"} {
		if !strings.Contains(attention, want) {
			t.Errorf("the attention list lacks %q", want)
		}
	}
	if strings.Contains(body, "ready 10%") || strings.Contains(body, "ready 0%") {
		t.Error("an account nobody talked about reads as a percentage ready")
	}
	if !strings.Contains(body, "no answer yet") {
		t.Error("the sessions table does not say the CSM has not answered yet")
	}
	sr, err := f.e.srv.readinessOf(context.Background(), f.iv)
	if err != nil {
		t.Fatal(err)
	}
	if sr.Score != 0 || sr.Accounts[0].Account.Name != "Big Bank" || sr.Accounts[0].Risk != "high" {
		t.Errorf("session readiness %d, first account %s (%s risk)", sr.Score, sr.Accounts[0].Account.Name, sr.Accounts[0].Risk)
	}
}

// TestDashboardNotDiscussedReadsTheFacts: a churn risk the fact model holds is never "not discussed",
// though the coverage did not count it; the CSM's stated level raises the account's risk.
func TestDashboardNotDiscussedReadsTheFacts(t *testing.T) {
	t.Parallel()
	f := newAttentionFixture(t)
	ctx := context.Background()
	accounts, err := f.e.store.Accounts(ctx, f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	tiny := accounts[0]
	if _, err := f.e.store.SaveFact(ctx, store.Fact{InterviewID: f.iv.ID, AccountID: tiny.ID, Type: "risk",
		Fields: map[string]string{"level": "critical"}, Text: "They are about to leave us.", State: "extracted"}); err != nil {
		t.Fatal(err)
	}
	sr, err := f.e.srv.readinessOf(ctx, f.iv)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sr.Accounts {
		if a.Account.ID != tiny.ID {
			continue
		}
		reasons := strings.Join(a.Reasons, "; ")
		if a.Risk != "critical" || a.RiskBasis != "the CSM said so" || a.NotStarted {
			t.Errorf("Tiny Shop: %s risk from %q, not started %v", a.Risk, a.RiskBasis, a.NotStarted)
		}
		if strings.Contains(reasons, "not discussed: stakeholders, churn risk") || !strings.Contains(reasons, "only partly discussed: churn risk") {
			t.Errorf("Tiny Shop's reasons: %s", reasons)
		}
	}
	attention := attentionOf(t, f.dashboard(t))
	i := strings.Index(attention, "Tiny Shop")
	if i < 0 || strings.Contains(attention[i:], "not discussed: stakeholders, churn risk") {
		t.Errorf("the dashboard lists a discussed churn risk as not discussed:\n%s", attention)
	}
	// Critical, but $8.4k: still after the $1.2M account.
	if j := strings.Index(attention, "Big Bank"); j < 0 || j > i {
		t.Errorf("the critical $8.4k account comes before the $1.2M one")
	}
}

// TestReminderByHandWithoutEmail: without e-mail a reminder gives a new link to send by hand (the old
// one stops working), once an hour, and is audited.
func TestReminderByHandWithoutEmail(t *testing.T) {
	t.Parallel()
	f := newAttentionFixture(t)
	path := "/interviews/" + f.iv.ID + "/reminder"
	if body := f.dashboard(t); !strings.Contains(body, `action="`+path+`"`) || !strings.Contains(body, "E-mail is not set up") {
		t.Fatal("the dashboard offers no reminder, or does not say e-mail is off")
	}
	r := f.e.postForm(path, nil, f.cookie)
	body := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(body, "Send this link by hand") || !strings.Contains(body, f.e.cfg.BaseURL+"/i/") {
		t.Fatalf("reminder without e-mail: %d\n%s", r.StatusCode, body)
	}
	if r := f.e.do(http.MethodGet, "/api/v1/interview", nil, withBearer(f.invite)); r.StatusCode < 400 {
		t.Errorf("the previous link still works: %d", r.StatusCode)
	}
	r = f.e.postForm(path, nil, f.cookie)
	if body := readBody(t, r); r.StatusCode != 429 || !strings.Contains(body, "one an hour") || strings.Contains(body, "/i/") {
		t.Fatalf("a second reminder within the hour: %d\n%s", r.StatusCode, body)
	}
	if n := f.e.count("audit_log WHERE action = 'csm.reminded' AND subject = '" + f.iv.ID + "'"); n != 1 {
		t.Errorf("%d reminders audited", n)
	}
	if body := f.dashboard(t); !strings.Contains(body, "reminded just now; next after") {
		t.Error("the dashboard does not say when the next reminder may go")
	}
}

// TestReminderByEmail: with e-mail the reminder is queued in the outbox for the CSM; a second one
// within the hour is refused (429 with Retry-After) and queues nothing; the CSM's last answer shows.
func TestReminderByEmail(t *testing.T) {
	t.Parallel()
	f := newAttentionFixture(t)
	f.e.srv.notifier = notify.New(f.e.store, f.e.queue, "https://ei.example.com", slog.New(slog.DiscardHandler))
	answerTurnsWith(t, f.e, f.iv.ID, 1, "Big Bank runs payroll on it in three countries.")
	if body := f.dashboard(t); !strings.Contains(body, "just now") || strings.Contains(body, "no answer yet") {
		t.Error("the dashboard does not show the CSM's last answer")
	}
	r := f.e.postForm("/interviews/"+f.iv.ID+"/reminder", url.Values{}, f.cookie)
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "on its way to dana@example.com") {
		t.Fatalf("reminder: %d\n%s", r.StatusCode, body)
	}
	if n := f.e.count("emails WHERE kind = 'reminder' AND to_address = 'dana@example.com' AND key LIKE 'nudge:%' AND text_body LIKE '%continue your knowledge-transfer interview%'"); n != 1 {
		t.Fatalf("%d reminder e-mails queued", n)
	}
	r = f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/reminder", `{}`, withCookie(f.cookie))
	if body := readBody(t, r); r.StatusCode != 429 || r.Header.Get("Retry-After") == "" || !strings.Contains(body, "reminded_recently") {
		t.Fatalf("a second reminder within the hour: %d %q %s", r.StatusCode, r.Header.Get("Retry-After"), body)
	}
	if n := f.e.count("emails"); n != 1 {
		t.Errorf("%d e-mails queued", n)
	}
	// An hour later it may go again.
	if _, err := f.e.store.Pool().Exec(context.Background(), `UPDATE interviews SET reminded_at = now() - interval '61 minutes'`); err != nil {
		t.Fatal(err)
	}
	r = f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/reminder", `{}`, withCookie(f.cookie))
	if body := readBody(t, r); r.StatusCode != 202 || !strings.Contains(body, `"sent":"email"`) {
		t.Fatalf("a reminder an hour later: %d %s", r.StatusCode, body)
	}
	if n := f.e.count("audit_log WHERE action = 'csm.reminded'"); n != 2 {
		t.Errorf("%d reminders audited", n)
	}
	// A handed-over session has nobody to remind.
	if _, err := f.e.store.HandOver(context.Background(), f.iv.ID); err != nil {
		t.Fatal(err)
	}
	if r := f.e.postForm("/interviews/"+f.iv.ID+"/reminder", nil, f.cookie); r.StatusCode != 409 {
		t.Errorf("reminder after the handover: %d", r.StatusCode)
	}
}
