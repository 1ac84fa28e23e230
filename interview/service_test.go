package interview

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
	"github.com/exitinterview/exitinterview/validation"
)

type fixture struct {
	svc     *Service
	store   *store.Store
	offline *Offline
	manager store.User
}

func newFixture(t *testing.T, engine func(*Offline) Engine) *fixture {
	return newFixtureWith(t, engine)
}

func newFixtureTB(b *testing.B) *fixture { return newFixtureWith(b, nil) }

func newFixtureWith(t testing.TB, engine func(*Offline) Engine) *fixture {
	t.Helper()
	st := store.New(dbtest.New(t))
	offline, err := NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	var e Engine = offline
	if engine != nil {
		e = engine(offline)
	}
	svc := NewService(st, e, offline, Config{BaseURL: "http://kt.example.com", InviteGrace: 7 * 24 * time.Hour}, slog.New(slog.DiscardHandler))
	m, err := st.CreateUser(context.Background(), store.NewUser{Email: "maria@example.com", Name: "Maria Lopez", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, store: st, offline: offline, manager: m}
}

// sixAccounts is a realistic book of business.
func sixAccounts() []book.Account {
	d := func(s string) *time.Time { t, _ := time.Parse(time.DateOnly, s); return &t }
	return []book.Account{
		{Name: "Northwind Traders", ARR: ptr(240000.0), RenewalDate: d("2027-01-31"), CRM: book.CRMContext{Health: "yellow"}},
		{Name: "Globex", ARR: ptr(180000.0), RenewalDate: d("2027-06-30")},
		{Name: "Initech", ARR: ptr(45000.0)},
		{Name: "Umbrella Health", ARR: ptr(320000.0), RenewalDate: d("2027-09-15")},
		{Name: "Stark Logistics", ARR: ptr(95000.0), RenewalDate: d("2027-02-20"), CRM: book.CRMContext{Health: "red"}},
		{Name: "Wayne Retail", ARR: ptr(30000.0)},
	}
}

func (f *fixture) create(t *testing.T, accounts []book.Account) Created {
	t.Helper()
	c, err := f.svc.Create(context.Background(), f.manager.ID, CreateInput{CSMName: "Dana Whitfield", CSMEmail: "dana@example.com",
		DepartureDate: time.Now().AddDate(0, 0, 21).Format(time.DateOnly), Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answers are what a thorough CSM says about each topic.
var answers = map[string]string{
	"account_overview":   "They use the platform for support ticket routing across three regional teams, about 140 seats, live since 2024. Adoption is solid in EMEA; they measure first response time and CSAT.",
	"success_plan":       "Their objective is to cut first response time below two hours; at the last QBR the takeaway was that the SLA dashboard matters most to them and the chatbot does not.",
	"implementation":     "They bought the Professional package in March 2024, went live in May, and it is integrated with Salesforce and their Looker BI.",
	"stakeholders":       "Priya Shah is our champion and runs support operations. Marco Rossi, the CFO, signs the renewal and is sceptical about cost. Tom Baker is the admin.",
	"communication":      "Priya prefers Slack in our shared channel, weekly; Marco only answers e-mail and wants a quarterly business review.",
	"churn_risk":         "Medium risk: they are evaluating a competitor because the reporting module is too slow for their board reports. We offered a reporting workshop.",
	"renewal":            "The renewal is on 31 January; Marco decides, and I'd say 70% likely if reporting is fixed before then.",
	"upsell":             "An upsell of the workforce management add-on, 40 seats for about $60k; the proposal was sent and the next step is a demo with Priya's team leads on 10 December.",
	"open_issues":        "Two open tickets: the SLA report export bug SUP-4411 and an SSO outage from last week that engineering is still investigating.",
	"commitments":        "I promised Priya a fix date for the export bug by 5 December and a roadmap call with our product manager before the renewal.",
	"workarounds":        "A nightly script exports tickets to CSV and re-imports them into their BI tool because the connector breaks on custom fields; it lives in the shared drive under Integrations.",
	"history":            "At the QBR on 12 November we agreed that Priya's team pilots the new routing rules in January and that I send the SLA report monthly.",
	"documents":          "The MSA, order forms and invoices are in the customer folder on the shared drive; the QBR decks and meeting notes are linked from the Salesforce account.",
	"advocacy":           "Priya did a reference call for two prospects this year; in return we promised her team early access to the reporting beta.",
	"escalation_paths":   "Bugs go to Lena Fischer, the support engineering lead, in the #cs-escalations Slack channel; billing to finance via a Jira ticket; outages page the on-call engineer.",
	"onboarding_changes": "I replaced the two-hour kickoff with two 45-minute sessions and a checklist in Notion, because customers retained more and admin setup finished a week earlier.",
	"shadow_systems":     "I keep a Google Sheet called Renewal radar in my Drive with every renewal date, last contact and sentiment; my manager has access since last week.",
	"product_feedback":   "Customers keep asking for faster reporting, bulk edit of tickets and a proper Salesforce integration; none of it was filed as a feature request.",
	"internal_workflows": "Every Monday I update the renewal forecast in Salesforce, and on Thursdays there is a pipeline review with sales; monthly health scores go to my manager.",
	"decision_rationale": "We gave Globex a 15% discount last year because they agreed to be a reference customer; do not remove it before their renewal.",
}

func answerFor(q *store.Message) string {
	if q.Kind == KindClosing {
		return "No, I think that is everything."
	}
	var parts []string
	for _, t := range q.Topics {
		parts = append(parts, answers[t])
	}
	return strings.Join(parts, " ")
}

// runScriptedCSM answers every question until the interview is done and returns the (account, topic)
// pairs it was asked about.
func runScriptedCSM(t *testing.T, f *fixture, id string) (map[[2]string]bool, View) {
	t.Helper()
	ctx := context.Background()
	v, err := f.svc.View(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	asked := map[[2]string]bool{}
	for turn := 0; !v.Done; turn++ {
		if turn > 150 {
			t.Fatal("the interview does not end")
		}
		if v.Next == nil {
			t.Fatalf("turn %d: no open question and not done", turn)
		}
		for _, topic := range v.Next.Topics {
			asked[[2]string{v.Next.AccountID, topic}] = true
		}
		r, err := f.svc.Answer(ctx, id, answerFor(v.Next), fmt.Sprintf("c-%d", turn), v.Next.ID, nil)
		if err != nil {
			t.Fatalf("turn %d: %v", turn, err)
		}
		v = r.View
	}
	return asked, v
}

// coveredIn reports whether the view's coverage has the pair covered.
func coveredIn(v View, accountID, topic string) bool {
	for _, c := range v.Coverage {
		if c.AccountID == accountID && c.Topic == topic {
			return c.State == Covered
		}
	}
	return false
}

func TestScriptedCSMIsAskedAboutEveryPairAndFinishes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	asked, v := runScriptedCSM(t, f, c.Interview.ID)
	for _, a := range c.Accounts {
		for _, topic := range AccountTopics {
			// A pair an earlier answer covered is not asked again (the decision rationale's "Globex is a
			// reference customer" answers Globex's advocacy before its brief question comes).
			if !asked[[2]string{a.ID, topic}] && !coveredIn(v, a.ID, topic) {
				t.Errorf("never asked about %s of %s, nor covered", topic, a.Name)
			}
		}
	}
	for _, topic := range PortfolioTopics {
		if !asked[[2]string{"", topic}] {
			t.Errorf("never asked about %s", topic)
		}
	}
	if !v.Done || v.Interview.Status != "completed" || v.Messages[len(v.Messages)-1].Kind != KindFarewell {
		t.Fatalf("done %v, status %s", v.Done, v.Interview.Status)
	}
	if p := Percent(v.Coverage); p < 90 {
		t.Errorf("coverage %d%% after thorough answers", p)
	}
	for _, m := range v.Messages {
		if m.Role == "interviewer" && (m.Engine != "offline" || m.PromptVersion == "") {
			t.Fatalf("message %d does not record its engine and prompt version: %q %q", m.Seq, m.Engine, m.PromptVersion)
		}
	}
}

func TestResendWithSameClientIDStoresOnceAndRepliesTheSame(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	if _, err := f.svc.View(ctx, c.Interview.ID, nil); err != nil {
		t.Fatal(err)
	}
	first, err := f.svc.Answer(ctx, c.Interview.ID, "They use it for ticket routing, 140 seats.", "same-key", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.Answer(ctx, c.Interview.ID, "They use it for ticket routing, 140 seats.", "same-key", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if first.Message.ID != again.Message.ID || first.Next.ID != again.Next.ID {
		t.Fatalf("resend differs: %s/%s vs %s/%s", first.Message.ID, first.Next.ID, again.Message.ID, again.Next.ID)
	}
	msgs, _ := f.store.Messages(ctx, c.Interview.ID)
	csm := 0
	for _, m := range msgs {
		if m.Role == "csm" {
			csm++
		}
	}
	if csm != 1 || len(msgs) != 4 {
		t.Fatalf("%d CSM messages, %d in all; want 1 and 4 (intro, question, answer, reply)", csm, len(msgs))
	}
}

// TestTwoTabsAnsweringAtOnce sends answers concurrently: every answer is stored, and the interviewer never
// replies twice in a row.
func TestTwoTabsAnsweringAtOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	if _, err := f.svc.View(ctx, c.Interview.ID, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Answer(ctx, c.Interview.ID, fmt.Sprintf("Answer from tab %d about ticket routing for 140 seats.", i), fmt.Sprintf("tab-%d", i), "", nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	msgs, _ := f.store.Messages(ctx, c.Interview.ID)
	csm := 0
	for i, m := range msgs {
		if m.Seq != i+1 {
			t.Fatalf("sequence broken at %d: %d", i, m.Seq)
		}
		if m.Role == "csm" {
			csm++
		}
		if i > 1 && m.Role == "interviewer" && msgs[i-1].Role == "interviewer" {
			t.Fatalf("the interviewer spoke twice in a row at %d", m.Seq)
		}
	}
	if csm != 8 {
		t.Fatalf("%d of 8 answers stored", csm)
	}
	if last := msgs[len(msgs)-1]; last.Role != "interviewer" {
		t.Fatal("the last answer got no reply")
	}
}

// TestAnswerSurvivesACrashBeforeTheReply stores an answer the way a turn does first, then "crashes"
// (no reply is produced): the next view produces the pending question from it.
func TestAnswerSurvivesACrashBeforeTheReply(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	v, err := f.svc.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.store.InsertAnswer(ctx, store.NewAnswer{InterviewID: c.Interview.ID, ClientID: "k1", Kind: KindAnswer, Content: answers["account_overview"]}); err != nil {
		t.Fatal(err)
	}
	after, err := f.svc.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after.Next == nil || after.Next.ID == v.Next.ID || len(after.Messages) != len(v.Messages)+2 {
		t.Fatalf("no reply to the stored answer: %d → %d messages", len(v.Messages), len(after.Messages))
	}
	if got := after.Messages[len(v.Messages)]; got.Content != answers["account_overview"] || got.ReplyTo != v.Next.ID {
		t.Fatalf("the stored answer is not in place: %+v", got)
	}
}

func TestSkipAndFinish(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	v, _ := f.svc.View(ctx, c.Interview.ID, nil)
	first := v.Next
	r, err := f.svc.Skip(ctx, c.Interview.ID, first.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Next == nil || r.Next.ID == first.ID {
		t.Fatal("skip did not move on")
	}
	// A second click on the same skip changes nothing.
	again, err := f.svc.Skip(ctx, c.Interview.ID, first.ID, nil)
	if err != nil || again.Next.ID != r.Next.ID {
		t.Fatalf("double skip moved on: %v", err)
	}
	for _, ci := range r.Coverage {
		if ci.AccountID == first.AccountID && ci.Topic == first.Topics[0] && ci.State != Skipped {
			t.Errorf("skipped topic is %s", ci.State)
		}
	}
	done, err := f.svc.Finish(ctx, c.Interview.ID)
	if err != nil || !done.Done || done.Interview.Status != "completed" {
		t.Fatalf("finish: %v %v %s", err, done.Done, done.Interview.Status)
	}
	if !strings.Contains(done.Messages[len(done.Messages)-1].Content, "still open") {
		t.Errorf("the farewell does not mention the gaps: %s", done.Messages[len(done.Messages)-1].Content)
	}
	if _, err := f.svc.Answer(ctx, c.Interview.ID, "one more thing", "late", "", nil); !errors.Is(err, ErrFinished) {
		t.Fatalf("answer after finish: %v", err)
	}
	if again, err := f.svc.Finish(ctx, c.Interview.ID); err != nil || len(again.Messages) != len(done.Messages) {
		t.Fatalf("finishing twice: %v", err)
	}
}

func TestBadAnswersAreRefusedAndNothingIsStored(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	v, _ := f.svc.View(ctx, c.Interview.ID, nil)
	for name, content := range map[string]string{
		"empty":           "",
		"blank":           " \n\t ",
		"too long":        strings.Repeat("a", MaxAnswerRunes+1),
		"invalid UTF-8":   "caf\xe9",
		"control":         "hello\x00world",
		"escape sequence": "red \x1b[31m text",
	} {
		_, err := f.svc.Answer(ctx, c.Interview.ID, content, "", "", nil)
		var ve validation.Errors
		if !errors.As(err, &ve) || ve["content"] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.svc.Answer(ctx, c.Interview.ID, "fine", strings.Repeat("x", 101), "", nil); err == nil {
		t.Error("an overlong client_id was accepted")
	}
	if _, err := f.svc.Answer(ctx, c.Interview.ID, strings.Repeat("é", MaxAnswerRunes), "max", "", nil); err != nil {
		t.Errorf("an answer of exactly the limit was refused: %v", err)
	}
	after, _ := f.store.Messages(ctx, c.Interview.ID)
	if len(after) != len(v.Messages)+2 {
		t.Fatalf("refused answers were stored: %d → %d messages", len(v.Messages), len(after))
	}
}

func TestCreateValidates(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	in := CreateInput{CSMName: " ", CSMEmail: "nope", DepartureDate: "2020-01-01", TimeBudgetMinutes: 5,
		Accounts: []book.Account{{Name: "Acme"}, {Name: " acme "}, {Name: ""}, {Name: "Neg", ARR: ptr(-1.0), Successor: "ghost@example.com"},
			{Name: "Big", ARR: ptr(1e15), CRM: book.CRMContext{Notes: "nul\x00here"}}, {Name: "Bell\x07"}}}
	_, err := f.svc.Create(ctx, f.manager.ID, in)
	var ve validation.Errors
	if !errors.As(err, &ve) {
		t.Fatalf("got %v", err)
	}
	for _, field := range []string{"csm.name", "csm.email", "departure_date", "time_budget_minutes", "accounts[1].name", "accounts[2].name", "accounts[3].arr", "accounts[3].successor", "accounts[4].arr", "accounts[4].crm.notes", "accounts[5].name"} {
		if ve[field] == "" {
			t.Errorf("no error for %s in %v", field, ve)
		}
	}
	ivs, _ := f.store.ListInterviews(ctx, "")
	if len(ivs) != 0 {
		t.Fatal("an invalid session was stored")
	}
}

func TestInvites(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	if !strings.HasPrefix(c.InviteToken, InvitePrefix) || c.InviteURL != "http://kt.example.com/i/"+c.InviteToken {
		t.Fatalf("invite %q %q", c.InviteToken, c.InviteURL)
	}
	if iv, err := f.svc.InterviewByInvite(ctx, c.InviteToken); err != nil || iv.ID != c.Interview.ID {
		t.Fatalf("valid invite: %v", err)
	}
	fresh, _, err := f.svc.NewInvite(ctx, c.Interview)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.InterviewByInvite(ctx, c.InviteToken); !errors.Is(err, ErrInviteRevoked) {
		t.Fatalf("replaced invite: %v", err)
	}
	if _, err := f.store.Pool().Exec(ctx, `UPDATE invites SET expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.InterviewByInvite(ctx, fresh); !errors.Is(err, ErrInviteExpired) {
		t.Fatalf("expired invite: %v", err)
	}
	if _, err := f.svc.InterviewByInvite(ctx, InvitePrefix+"nothing"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("unknown invite: %v", err)
	}
	var stored []byte
	if err := f.store.Pool().QueryRow(ctx, `SELECT token_hash FROM invites LIMIT 1`).Scan(&stored); err != nil || strings.Contains(string(stored), "eiv_") {
		t.Fatal("invite tokens are not stored hashed")
	}
}

// TestAnswerFromATabThatFellBehind: an answer to a question that is no longer open is refused and stored
// nowhere, instead of being filed under the next question.
func TestAnswerFromATabThatFellBehind(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	v, _ := f.svc.View(ctx, c.Interview.ID, nil)
	if _, err := f.svc.Answer(ctx, c.Interview.ID, answers["account_overview"], "tab-a", v.Next.ID, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := f.store.Messages(ctx, c.Interview.ID)
	if _, err := f.svc.Answer(ctx, c.Interview.ID, "typed in the old tab", "tab-b", v.Next.ID, nil); !errors.Is(err, ErrQuestionChanged) {
		t.Fatalf("stale answer: %v", err)
	}
	after, _ := f.store.Messages(ctx, c.Interview.ID)
	if len(after) != len(before) {
		t.Fatal("the stale answer was stored")
	}
	// A resend of the answer that did get through is still recognised.
	if _, err := f.svc.Answer(ctx, c.Interview.ID, answers["account_overview"], "tab-a", v.Next.ID, nil); err != nil {
		t.Fatalf("resend: %v", err)
	}
}

// TestAnswerBeforeTheFirstView: the interviewer introduces the interview and asks first.
func TestAnswerBeforeTheFirstView(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	r, err := f.svc.Answer(context.Background(), c.Interview.ID, "Hello, I am ready.", "k", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.Messages[0].Kind != KindIntro || r.Message.ReplyTo != r.Messages[1].ID {
		t.Fatalf("first messages: %s, answer replies to %q", r.Messages[0].Kind, r.Message.ReplyTo)
	}
}

// TestConcurrentSkipsSkipOneQuestion: two clicks on Skip at once skip the open question once.
func TestConcurrentSkipsSkipOneQuestion(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, sixAccounts())
	ctx := context.Background()
	v, _ := f.svc.View(ctx, c.Interview.ID, nil)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.svc.Skip(ctx, c.Interview.ID, v.Next.ID, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	msgs, _ := f.store.Messages(ctx, c.Interview.ID)
	skips := 0
	for _, m := range msgs {
		if m.Kind == KindSkip {
			skips++
		}
	}
	if skips != 1 {
		t.Fatalf("%d skips stored for one question", skips)
	}
}

// TestTheInterviewerChecksTheCRM: what the CRM says about an account is put to the CSM to confirm, not
// taken as true.
func TestTheInterviewerChecksTheCRM(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	c := f.create(t, []book.Account{{Name: "Northwind", CRM: book.CRMContext{Health: "green", OpenOpportunity: "200 more seats"}}, {Name: "Globex"}})
	_, v := runScriptedCSM(t, f, c.Interview.ID)
	names := map[string]string{}
	for _, a := range c.Accounts {
		names[a.ID] = a.Name
	}
	var northwind, globex []string
	for _, m := range v.Messages {
		if m.Role != "interviewer" {
			continue
		}
		switch names[m.AccountID] {
		case "Northwind":
			northwind = append(northwind, m.Content)
		case "Globex":
			globex = append(globex, m.Content)
		}
	}
	all := strings.Join(northwind, "\n")
	for _, want := range []string{"The CRM shows Northwind as green; is that still right?", "The CRM lists an open opportunity at Northwind: 200 more seats."} {
		if !strings.Contains(all, want) {
			t.Errorf("the Northwind questions never say %q:\n%s", want, all)
		}
	}
	if other := strings.Join(globex, "\n"); strings.Contains(other, "CRM shows") || strings.Contains(other, "CRM lists") {
		t.Errorf("Globex, with nothing in the CRM, is asked about it:\n%s", other)
	}
}
