package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/webhook"
)

// TestWebhooksAreTheirOwners: a manager registers an endpoint over the API and sees its secret once;
// bad input is a 400 that stores nothing; another manager can neither see, read the deliveries of, resend
// nor delete it (404), a successor is refused (403), an admin manages everyone's.
func TestWebhooksAreTheirOwners(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	tokens := map[string]string{}
	for name, role := range map[string]store.Role{"maria": store.RoleManager, "omar": store.RoleManager, "sam": store.RoleSuccessor, "ada": store.RoleAdmin} {
		e.user(role, name+"@example.com")
		tokens[name] = e.token(name + "@example.com")
	}
	r := e.postJSON("/api/v1/webhooks", `{"url":"https://hooks.example.com/exit","events":["session.created","report.ready"],"description":"CRM sync"}`,
		withBearer(tokens["maria"]))
	body := readBody(t, r)
	var created struct {
		ID, Secret, URL, Status string
		Events                  []string
	}
	if err := json.Unmarshal([]byte(body), &created); err != nil || r.StatusCode != 201 || !strings.HasPrefix(created.Secret, "whsec_") ||
		created.Status != "active" || len(created.Events) != 2 {
		t.Fatalf("create: %d %s", r.StatusCode, body)
	}
	for _, bad := range []string{
		`{"url":"http://hooks.example.com/exit","events":["session.created"]}`,
		`{"url":"https://127.0.0.1/exit","events":["session.created"]}`,
		`{"url":"https://169.254.169.254/latest","events":["session.created"]}`,
		`{"url":"https://hooks.example.com/exit","events":[]}`,
		`{"url":"https://hooks.example.com/exit","events":["everything"]}`,
	} {
		before := e.count("webhook_endpoints")
		r := e.postJSON("/api/v1/webhooks", bad, withBearer(tokens["maria"]))
		if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, `"invalid_input"`) || e.count("webhook_endpoints") != before {
			t.Errorf("%s: %d %s", bad, r.StatusCode, body)
		}
	}
	list := readBody(t, e.do(http.MethodGet, "/api/v1/webhooks", nil, withBearer(tokens["maria"])))
	if !strings.Contains(list, created.ID) || strings.Contains(list, created.Secret) || strings.Contains(list, "whsec_") {
		t.Fatalf("Maria's list: %s", list)
	}
	if list := readBody(t, e.do(http.MethodGet, "/api/v1/webhooks", nil, withBearer(tokens["omar"]))); list != "{\"webhooks\":[]}\n" {
		t.Errorf("Omar's list: %s", list)
	}
	if list := readBody(t, e.do(http.MethodGet, "/api/v1/webhooks", nil, withBearer(tokens["ada"]))); !strings.Contains(list, created.ID) {
		t.Errorf("the admin's list: %s", list)
	}
	// A session of Maria's makes a delivery to resend.
	maria, _ := e.store.UserByEmail(context.Background(), "maria@example.com")
	if _, err := e.ivs.Create(context.Background(), maria.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: departure(),
		Accounts: []book.Account{{Name: "Northwind"}}}); err != nil {
		t.Fatal(err)
	}
	var deliveries struct {
		Deliveries []struct {
			ID, Status string
			EventType  string `json:"event_type"`
		}
	}
	r = e.do(http.MethodGet, "/api/v1/webhooks/"+created.ID+"/deliveries", nil, withBearer(tokens["maria"]))
	if err := json.Unmarshal([]byte(readBody(t, r)), &deliveries); err != nil || len(deliveries.Deliveries) != 1 ||
		deliveries.Deliveries[0].EventType != "session.created" || deliveries.Deliveries[0].Status != "pending" {
		t.Fatalf("deliveries: %d %+v %v", r.StatusCode, deliveries, err)
	}
	resend := "/api/v1/webhooks/" + created.ID + "/deliveries/" + deliveries.Deliveries[0].ID + "/resend"
	for who, want := range map[string]int{"sam": 403, "omar": 404, "maria": 202, "ada": 202} {
		if r := e.postJSON(resend, `{}`, withBearer(tokens[who])); r.StatusCode != want {
			t.Errorf("resend as %s: %d, want %d", who, r.StatusCode, want)
		}
		if want == 202 {
			want = 200
		}
		if r := e.do(http.MethodGet, "/api/v1/webhooks/"+created.ID+"/deliveries", nil, withBearer(tokens[who])); r.StatusCode != want {
			t.Errorf("deliveries as %s: %d, want %d", who, r.StatusCode, want)
		}
	}
	for who, want := range map[string]int{"sam": 403, "omar": 404} {
		if r := e.do(http.MethodDelete, "/api/v1/webhooks/"+created.ID, nil, withBearer(tokens[who])); r.StatusCode != want {
			t.Errorf("delete as %s: %d, want %d", who, r.StatusCode, want)
		}
	}
	if r := e.do(http.MethodDelete, "/api/v1/webhooks/"+created.ID, nil, withBearer(tokens["ada"])); r.StatusCode != 204 {
		t.Fatalf("the admin's delete: %d", r.StatusCode)
	}
	if r := e.do(http.MethodDelete, "/api/v1/webhooks/"+created.ID, nil, withBearer(tokens["maria"])); r.StatusCode != 404 || e.count("webhook_endpoints") != 0 {
		t.Fatalf("deleting again: %d", r.StatusCode)
	}
}

// TestWebhookPayloadsCarryNoTranscriptText: a whole session — created, the CSM answering (with a question
// a successor asked), finishing, the report made, an account gone blind, the handover — makes each event
// for an admin's endpoint, and no payload holds any of what the CSM said (nor the names and figures the
// report drew from it) or the question asked; the links use the base URL.
func TestWebhookPayloadsCarryNoTranscriptText(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newQuestionsFixture(t) // the session is created before the endpoint: session.created is checked below on another one
	ada, _ := f.e.user(store.RoleAdmin, "ada@example.com")
	all := make([]string, 0, len(webhook.EventTypes))
	for _, ev := range webhook.EventTypes {
		all = append(all, ev.Type)
	}
	if _, _, err := f.e.hooks.Create(ctx, ada, webhook.NewEndpoint{URL: "https://hooks.example.com/all", Events: all}); err != nil {
		t.Fatal(err)
	}
	said := []string{
		"Northwind routes support tickets for 140 agents; Priya Shah is the champion and the budget holder.",
		"Renewal on 31 January, Marco Rossi signs, likely.",
		"Raj Patel runs their Snowflake data warehouse and approves every schema change.",
	}
	const question = "who runs the data warehouse at Northwind?"
	f.csm(t, said[0])
	accounts, err := f.e.store.Accounts(ctx, f.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	northwind := accounts[0].ID
	for _, a := range accounts {
		if a.Name == "Northwind" {
			northwind = a.ID
		}
	}
	if r := f.e.postForm("/questions", url.Values{"account_id": {northwind}, "text": {question}, "back": {"/search"}}, f.cookies["sam"]); r.StatusCode != 303 {
		t.Fatalf("asking: %d", r.StatusCode)
	}
	turn := f.csm(t, said[1])
	for i := 0; turn.Next != nil && turn.Next.From == "" && i < 4; i++ {
		turn = f.csm(t, "Nothing more to add about that.")
	}
	if turn.Next == nil || turn.Next.From != "successor" {
		t.Fatalf("the asked question did not come: %+v", turn.Next)
	}
	f.csm(t, said[2])
	if r := f.e.do(http.MethodPost, "/api/v1/interview/finish", nil, withBearer(f.invite)); r.StatusCode != 200 {
		t.Fatalf("finish: %d", r.StatusCode)
	}
	var reportID string
	if err := f.e.store.Pool().QueryRow(ctx, `SELECT id FROM reports WHERE interview_id = $1 AND status = 'pending'`, f.iv.ID).Scan(&reportID); err != nil {
		t.Fatal(err)
	}
	if err := f.e.reports.Generate(ctx, reportID); err != nil {
		t.Fatal(err)
	}
	// Account readiness as the dashboard has it: Globex (no answers) is blind; the last day is 20 days
	// away, so bring it within 14.
	if _, err := f.e.store.Pool().Exec(ctx, `UPDATE interviews SET departure_date = current_date + 5 WHERE id = $1`, f.iv.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.e.hooks.CheckBlind(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if r := f.e.postJSON("/api/v1/interviews/"+f.iv.ID+"/handover", `{}`, withBearer(f.tokens["maria"])); r.StatusCode != 200 {
		t.Fatalf("handover: %d %s", r.StatusCode, readBody(t, r))
	}
	// A new session of Maria's, for session.created.
	maria, _ := f.e.store.UserByEmail(ctx, "maria@example.com")
	if _, err := f.e.ivs.Create(ctx, maria.ID, interview.CreateInput{CSMName: "Lee Chan", DepartureDate: departure(), Accounts: []book.Account{{Name: "Initech"}}}); err != nil {
		t.Fatal(err)
	}

	rows, err := f.e.store.Pool().Query(ctx, `SELECT type, payload::text FROM webhook_events ORDER BY created_at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types := map[string]int{}
	for rows.Next() {
		var typ, payload string
		if err := rows.Scan(&typ, &payload); err != nil {
			t.Fatal(err)
		}
		types[typ]++
		for _, s := range append(said, question, "140 agents", "Snowflake", "Priya", "Marco Rossi", "Raj Patel") {
			if strings.Contains(payload, s) {
				t.Errorf("the %s payload holds %q: %s", typ, s, payload)
			}
		}
		if strings.Contains(payload, "://") && !strings.Contains(payload, f.e.cfg.BaseURL+"/") {
			t.Errorf("the %s payload links elsewhere than the base URL: %s", typ, payload)
		}
	}
	for _, want := range all {
		if types[want] == 0 {
			t.Errorf("no %s event; got %v", want, types)
		}
	}
	var globex int
	if err := f.e.store.Pool().QueryRow(ctx, `SELECT count(*) FROM webhook_events WHERE type = 'account.blind'
AND payload->'data'->>'account_name' = 'Globex'`).Scan(&globex); err != nil || globex != 1 {
		t.Errorf("Globex, of which nothing was said, announced blind %d times (%v)", globex, err)
	}
}

// TestBrowserLayoutWebhooks: a manager registers an endpoint on the webhooks page (from the navigation),
// sees the secret once, and the page, the deliveries page and the saved Slack channel (masked) fit a
// laptop and a phone, break no word and pass axe.
func TestBrowserLayoutWebhooks(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	manager, pw := e.user(store.RoleManager, "maria@example.com")
	ctx := browser(t)
	signIn(t, ctx, e.ts.URL, "maria@example.com", pw)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/"), chromedp.WaitVisible(`a[href="/webhooks"]`)))
	must(t, chromedp.Do(ctx, chromedp.Click(`a[href="/webhooks"]`), chromedp.WaitVisible(`#url`)))
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#url", "https://hooks.example.com/exitinterview/events"),
		chromedp.Click(`input[value="session.created"]`),
		chromedp.Click(`input[value="report.ready"]`),
		chromedp.Click(`form[action="/webhooks"] button[type="submit"]`),
		chromedp.WaitVisible(`code.secret`)))
	secret := run(t, ctx, chromedp.Text(`code.secret`))
	if !strings.HasPrefix(secret, "whsec_") {
		t.Fatalf("secret shown: %q", secret)
	}
	checkLayout(t, ctx, "webhooks-created")
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/webhooks"), chromedp.WaitVisible(`table.webhooks`)))
	if html := run(t, ctx, chromedp.OuterHTML("main")); strings.Contains(html, secret) {
		t.Fatal("the secret is shown again")
	}
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#slack_url", "https://hooks.slack.com/services/T0001/B0001/abcdefghijklmnop"),
		chromedp.Click(`form[action="/webhooks/slack"] button[type="submit"]`),
		chromedp.WaitVisible(`form[action="/webhooks/slack/remove"]`)))
	if main := run(t, ctx, chromedp.Text("main")); strings.Contains(main, "abcdefghijkl") || !strings.Contains(main, "https://hooks.slack.com/…mnop") {
		t.Fatalf("the Slack URL is not masked:\n%s", main)
	}
	checkLayout(t, ctx, "webhooks")
	if _, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: "Dana Whitfield", DepartureDate: departure(),
		Accounts: []book.Account{{Name: "Northwind"}}}); err != nil {
		t.Fatal(err)
	}
	must(t, chromedp.Do(ctx, chromedp.Click(`table.webhooks a[href^="/webhooks/"]`), chromedp.WaitVisible(`table.deliveries`)))
	checkLayout(t, ctx, "webhook-deliveries")
	must(t, chromedp.Do(ctx, chromedp.Click(`table.deliveries button[type="submit"]`), chromedp.WaitVisible(`p.notice`)))
	if n := e.count("webhook_deliveries"); n != 2 {
		t.Fatalf("%d deliveries after sending again, want 2", n)
	}
}
