package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/mail"
	"github.com/exitinterview/exitinterview/mail/mailtest"
	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestNotificationsAreQueuedWithTheirEventAndSentOnce: creating a session queues the CSM's invitation and
// the successors' notes in its transaction; the workers send them through SMTP (plain text and HTML);
// a job run again sends nothing twice; the invitation's stored body loses the link once sent; the
// periodic job reminds a quiet CSM and sends a manager's digest once a day.
func TestNotificationsAreQueuedWithTheirEventAndSentOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "https://ei.example.com")
	pool, st, log, manager, ivs := env.pool, env.store, env.log, env.manager, env.ivs
	if _, err := st.CreateUser(ctx, store.NewUser{Email: "zoe@example.com", Name: "Zoë Ångström", Role: store.RoleSuccessor}); err != nil {
		t.Fatal(err)
	}
	smtp := mailtest.New(t)
	sender, err := mail.NewSMTP("smtp://"+smtp.Addr, "exitinterview <noreply@example.com>")
	if err != nil {
		t.Fatal(err)
	}
	notifier := notify.New(st, nil, "https://ei.example.com", log)
	client, err := NewClient(pool, Deps{Store: st, Log: log, SessionIdleTimeout: time.Hour, Mail: sender, Notify: notifier}, true)
	if err != nil {
		t.Fatal(err)
	}
	q := NewQueue(client)
	notifier.SetQueue(q)
	ivs.SetNotifier(notifier)
	created, err := ivs.Create(ctx, manager.ID, interview.CreateInput{CSMName: "Dana Whitfield", CSMEmail: "dana@example.com",
		DepartureDate: time.Now().AddDate(0, 0, 5).Format(time.DateOnly),
		Accounts:      []book.Account{{Name: "Northwind", Successor: "zoe@example.com"}, {Name: "Globex", Successor: "zoe@example.com"}, {Name: "Initech"}}})
	if err != nil {
		t.Fatal(err)
	}
	count := func(where string) int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM emails WHERE `+where).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("status = 'pending'"); n != 2 {
		t.Fatalf("%d e-mails queued with the session; want the invitation and Zoë's note", n)
	}

	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	waitFor := func(n int) []mailtest.Received {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for len(smtp.Messages()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d e-mails delivered; want %d", len(smtp.Messages()), n)
			}
			time.Sleep(50 * time.Millisecond)
		}
		return smtp.Messages()
	}
	// The invitation, Zoë's note, and the first periodic run's digest (Dana leaves within a week).
	got := waitFor(3)
	by := map[string]string{}
	for _, m := range got {
		raw := strings.ReplaceAll(m.Raw, "=\r\n", "")
		by[m.To] += raw
	}
	if !strings.Contains(by["dana@example.com"], created.InviteToken) || !strings.Contains(by["dana@example.com"], "text/html") {
		t.Errorf("the invitation lacks its link or HTML part:\n%.600s", by["dana@example.com"])
	}
	if !strings.Contains(by["zoe@example.com"], "Globex") || !strings.Contains(by["zoe@example.com"], "Northwind") || strings.Contains(by["zoe@example.com"], "Initech") {
		t.Errorf("Zoë's note:\n%.600s", by["zoe@example.com"])
	}
	if !strings.Contains(by["maria@example.com"], "Dana Whitfield leaves") {
		t.Errorf("Maria's digest:\n%.600s", by["maria@example.com"])
	}
	deadline := time.Now().Add(10 * time.Second)
	for count("status = 'sent'") < 3 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := count("kind = 'invite' AND (text_body LIKE '%" + created.InviteToken + "%' OR html_body LIKE '%" + created.InviteToken + "%')"); n != 0 {
		t.Error("the sent invitation still holds its link in the database")
	}

	// Never twice: the periodic run again, and a sent e-mail's job again.
	if err := notifier.Periodic(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := pool.QueryRow(ctx, `SELECT id FROM emails WHERE kind = 'invite'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	w := &EmailWorker{store: st, sender: sender}
	if err := w.Work(ctx, &river.Job[EmailArgs]{JobRow: &rivertype.JobRow{Attempt: 1, MaxAttempts: 8}, Args: EmailArgs{EmailID: id}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 3 {
		t.Fatalf("%d e-mails after running things again; want still 3", n)
	}

	// A CSM quiet for three days is reminded, once.
	if _, err := pool.Exec(ctx, `UPDATE interviews SET created_at = now() - interval '4 days' WHERE id = $1`, created.Interview.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := notifier.Periodic(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got = waitFor(4)
	time.Sleep(300 * time.Millisecond)
	if n := len(smtp.Messages()); n != 4 || got[3].To != "dana@example.com" || !strings.Contains(got[3].Raw, "waiting for you") {
		t.Fatalf("reminders: %d e-mails, last to %s", n, got[3].To)
	}
}

// TestEmailWorkerRetriesThenGivesUp: a refused delivery is an error for River to retry; the last
// attempt's failure marks the e-mail failed.
func TestEmailWorkerRetriesThenGivesUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	smtp := mailtest.New(t)
	sender, err := mail.NewSMTP("smtp://"+smtp.Addr, "noreply@example.com")
	if err != nil {
		t.Fatal(err)
	}
	var id string
	err = st.Transact(ctx, func(tx *store.Store) error {
		id, _, err = tx.QueueEmail(ctx, store.Email{Key: "k", Kind: "digest", To: "m@example.com", Subject: "s", Text: "t", HTML: "<p>t</p>"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w := &EmailWorker{store: st, sender: sender}
	job := func(attempt int) *river.Job[EmailArgs] {
		return &river.Job[EmailArgs]{JobRow: &rivertype.JobRow{Attempt: attempt, MaxAttempts: 3}, Args: EmailArgs{EmailID: id}}
	}
	smtp.FailNext(3)
	for attempt := 1; attempt <= 3; attempt++ {
		if err := w.Work(ctx, job(attempt)); err == nil {
			t.Fatalf("attempt %d: no error", attempt)
		}
	}
	e, err := st.EmailByID(ctx, id)
	if err != nil || e.Status != "failed" {
		t.Fatalf("after the last attempt: %+v, %v", e, err)
	}
	if err := w.Work(ctx, job(1)); err != nil || len(smtp.Messages()) != 0 {
		t.Fatalf("a failed e-mail was sent again: %v, %d", err, len(smtp.Messages()))
	}
}
