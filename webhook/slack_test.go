package webhook

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
)

// slackBlocks reads a posted message with slack-go's Block Kit types, failing on anything they do not
// know, and returns the header, the mrkdwn texts and the buttons' links.
func slackBlocks(t *testing.T, body []byte) (header string, texts []string, buttons []string) {
	t.Helper()
	var msg slack.WebhookMessage
	if err := json.Unmarshal(body, &msg); err != nil {
		t.Fatalf("not a Slack message: %v\n%s", err, body)
	}
	if msg.Text == "" || msg.Blocks == nil || len(msg.Blocks.BlockSet) == 0 {
		t.Fatalf("no fallback text or no blocks: %s", body)
	}
	for _, b := range msg.Blocks.BlockSet {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if b.Text == nil || b.Text.Type != slack.PlainTextType {
				t.Errorf("header %+v", b.Text)
			}
			header = b.Text.Text
		case *slack.SectionBlock:
			if b.Text == nil || b.Text.Type != slack.MarkdownType || len(b.Text.Text) > 3000 {
				t.Errorf("section text %+v", b.Text)
			}
			texts = append(texts, b.Text.Text)
		case *slack.ActionBlock:
			for _, el := range b.Elements.ElementSet {
				btn, ok := el.(*slack.ButtonBlockElement)
				if !ok || btn.Text == nil || btn.Text.Type != slack.PlainTextType {
					t.Errorf("action element %T %+v", el, el)
					continue
				}
				buttons = append(buttons, btn.URL)
			}
		default:
			t.Errorf("unexpected block %T (%s)", b, b.BlockType())
		}
	}
	return header, texts, buttons
}

// TestSlackGetsTheManagersNotificationsAsBlockKit: with a Slack channel saved (instead of the e-mail
// digest), the manager's digest, a report ready, a question answered and an account gone blind are
// posted to it as Block Kit — a header, mrkdwn sections, links to the right pages — with the digest's
// words from package notify, and never the question's or an answer's text. The URL shows only masked.
func TestSlackGetsTheManagersNotificationsAsBlockKit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	if err := e.hooks.SetSlack(ctx, e.maria, e.received.URL+"/services/T000/B000/XXXXsecret", false); err != nil {
		t.Fatal(err)
	}
	setting, err := e.hooks.Slack(ctx, e.maria.ID)
	if err != nil || setting == nil || strings.Contains(setting.Masked(), "XXXX") || !strings.HasSuffix(setting.Masked(), "cret") {
		t.Fatalf("setting %+v, masked %q, %v", setting, setting.Masked(), err)
	}
	if email, err := e.hooks.DigestByEmail(ctx, e.maria.ID); err != nil || email {
		t.Fatalf("Maria's digest still e-mailed: %v %v", email, err)
	}
	if email, _ := e.hooks.DigestByEmail(ctx, e.omar.ID); !email {
		t.Fatal("Omar, without Slack, gets no e-mail digest")
	}
	c := e.session(e.maria, "Dana Whitfield", 3, "Northwind")
	e.session(e.omar, "Lee Chan", 3, "Initech") // Omar has no channel: nothing is posted for him
	iv := c.Interview

	// The day's digest, once however often the job runs; by e-mail only to Omar, who has no channel.
	for range 2 {
		if err := e.hooks.SlackDigests(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	mail := notify.New(e.st, noQueue{}, e.baseURL, e.hooks.log)
	mail.SetDigestByEmail(e.hooks.DigestByEmail)
	if err := mail.Periodic(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	var digestTo []string
	rows, err := e.st.Pool().Query(ctx, `SELECT to_address FROM emails WHERE kind = 'digest'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var to string
		if err := rows.Scan(&to); err != nil {
			t.Fatal(err)
		}
		digestTo = append(digestTo, to)
	}
	if len(digestTo) != 1 || digestTo[0] != e.omar.Email {
		t.Errorf("digest e-mails to %v; want Omar's only (Maria has Slack instead)", digestTo)
	}
	// A report ready.
	rep, _, err := e.st.RequestReport(ctx, iv.ID, e.maria.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CompleteReport(ctx, rep.ID, "offline", []byte(`{}`), []byte("%PDF"), []byte("# r"), nil); err != nil {
			return err
		}
		return e.hooks.ReportReady(ctx, tx, rep.ID)
	}); err != nil {
		t.Fatal(err)
	}
	// A question answered.
	accounts, err := e.st.Accounts(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	const question = "Who signs the Northwind renewal, and where is the contract kept?"
	q, err := e.st.CreateAskedQuestion(ctx, store.AskedQuestion{InterviewID: iv.ID, AccountID: accounts[0].ID, AskedBy: e.maria.ID, From: "manager", Text: question})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.st.Transact(ctx, func(tx *store.Store) error { return e.hooks.QuestionAnswered(ctx, tx, iv, q.ID) }); err != nil {
		t.Fatal(err)
	}
	// An account gone blind (the readiness here is a stand-in: the dashboard's is wired in by the web
	// package and tested there).
	e.hooks.SetReadiness(func(_ context.Context, of store.Interview) ([]AccountReadiness, error) {
		if of.ID != iv.ID {
			return nil, nil
		}
		return []AccountReadiness{{Account: accounts[0], Score: 22, Blind: true, Reasons: []string{"not discussed: the renewal"}}}, nil
	})
	if err := e.hooks.CheckBlind(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}

	e.worker()
	waitFor(t, "four Slack messages", func() bool { return len(e.received.requests()) >= 4 })
	time.Sleep(300 * time.Millisecond)
	got := e.received.requests()
	if len(got) != 4 {
		t.Fatalf("%d Slack messages, want 4", len(got))
	}
	byHeader := map[string]struct{ texts, buttons []string }{}
	for _, r := range got {
		if r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("content type %q", r.Header.Get("Content-Type"))
		}
		if strings.Contains(string(r.Body), "Who signs") || strings.Contains(string(r.Body), "contract") {
			t.Errorf("a Slack message carries the question's text: %s", r.Body)
		}
		h, texts, buttons := slackBlocks(t, r.Body)
		byHeader[h] = struct{ texts, buttons []string }{texts, buttons}
	}
	digest, ok := byHeader["1 departure this week"]
	if !ok || !strings.Contains(strings.Join(digest.texts, "\n"), "Dana Whitfield leaves") ||
		!strings.Contains(strings.Join(digest.texts, "\n"), "<"+e.baseURL+"/interviews|Open the dashboard>") ||
		len(digest.buttons) != 1 || digest.buttons[0] != e.baseURL+"/interviews" {
		t.Errorf("digest: %+v (headers %v)", digest, keys(byHeader))
	}
	report, ok := byHeader["The handover report of Dana Whitfield is ready"]
	if !ok || len(report.buttons) != 1 || report.buttons[0] != e.baseURL+"/interviews/"+iv.ID+"/report" {
		t.Errorf("report: %+v", report)
	}
	answered, ok := byHeader["Dana Whitfield answered a question"]
	if !ok || len(answered.buttons) != 1 || answered.buttons[0] != e.baseURL+"/accounts/"+accounts[0].ID ||
		!strings.Contains(strings.Join(answered.texts, " "), "Maria Keller's question about Northwind") {
		t.Errorf("question answered: %+v", answered)
	}
	blind, ok := byHeader["Northwind would be handed over blind"]
	if !ok || !strings.Contains(strings.Join(blind.texts, " "), "readiness 22 of 100") || !strings.Contains(strings.Join(blind.texts, " "), "• not discussed: the renewal") ||
		blind.buttons[0] != e.baseURL+"/accounts/"+accounts[0].ID {
		t.Errorf("blind: %+v", blind)
	}

	// Slack instead of e-mail can be switched back; removing the channel posts nothing more.
	if err := e.hooks.SetSlack(ctx, e.maria, "", true); err != nil {
		t.Fatal(err)
	}
	if email, _ := e.hooks.DigestByEmail(ctx, e.maria.ID); !email {
		t.Error("e-mail too was not saved")
	}
	if err := e.hooks.SetSlack(ctx, e.maria, "ftp://x", true); err == nil {
		t.Error("a bad Slack URL was saved")
	}
	if err := e.hooks.RemoveSlack(ctx, e.maria.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.hooks.SlackDigests(ctx, time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := e.st.Pool().QueryRow(ctx, `SELECT count(*) FROM slack_messages`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d Slack messages stored after the channel was removed, %v", n, err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestBlindIsAnnouncedOncePerSpell: an account announced as blind is not announced again while it stays
// blind, is again after it recovered and fell back; only sessions within 14 days of the last day count.
func TestBlindIsAnnouncedOncePerSpell(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newEnv(t)
	e.endpoint(e.maria, e.received.URL, AccountBlind)
	near := e.session(e.maria, "Dana Whitfield", 10, "Northwind")
	far := e.session(e.maria, "Lee Chan", 40, "Globex")
	blind := true
	e.hooks.SetReadiness(func(_ context.Context, iv store.Interview) ([]AccountReadiness, error) {
		accounts, err := e.st.Accounts(ctx, iv.ID)
		if err != nil {
			return nil, err
		}
		return []AccountReadiness{{Account: accounts[0], Score: 30, Blind: blind, Reasons: []string{"no successor assigned"}}}, nil
	})
	events := func() []string {
		rows, err := e.st.Pool().Query(ctx, `SELECT payload->'data'->>'account_name' FROM webhook_events WHERE type = 'account.blind' ORDER BY created_at`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	for range 2 {
		if err := e.hooks.CheckBlind(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if got := events(); len(got) != 1 || got[0] != "Northwind" {
		t.Fatalf("announced %v; want Northwind once (Globex's last day is 40 days away)", got)
	}
	blind = false
	if err := e.hooks.CheckBlind(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	blind = true
	if err := e.hooks.CheckBlind(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := events(); len(got) != 2 {
		t.Fatalf("after recovering and falling back: %v", got)
	}
	var payload string
	if err := e.st.Pool().QueryRow(ctx, `SELECT payload::text FROM webhook_events WHERE type = 'account.blind' LIMIT 1`).Scan(&payload); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"readiness": 30`, `"days_left": 10`, `"reasons": ["no successor assigned"]`, near.Interview.ID, `/accounts/`} {
		if !strings.Contains(payload, want) {
			t.Errorf("the account.blind payload lacks %s: %s", want, payload)
		}
	}
	_ = far
}
