package jobs

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
)

// TestAnswerIsCapturedInTheBackground: a CSM's answer enqueues its capture in the transaction that
// stores it; the worker redacts, chunks by account, mines findings and embeds it.
func TestAnswerIsCapturedInTheBackground(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newJobsEnv(t, "http://x")
	pool, st, log, manager, ivs := env.pool, env.store, env.log, env.manager, env.ivs
	client, err := NewClient(pool, Deps{Store: st, Log: log, SessionIdleTimeout: time.Hour, Capture: knowledge.New(st, knowledge.NewVectors(st, embed.NewOffline(), nil, log), nil, log)}, true)
	if err != nil {
		t.Fatal(err)
	}
	ivs.SetCaptureQueue(NewQueue(client))
	events, cancel := client.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()

	c, err := ivs.Create(ctx, manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format("2006-01-02"),
		Accounts: []book.Account{{Name: "Northwind"}, {Name: "Globex"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := ivs.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	secret := "Winter2024!xq"
	answer := "Northwind routes support tickets for 140 agents; the admin password for their Salesforce sandbox is " + secret +
		". Globex, on the other hand, is evaluating a competitor because reporting is slow."
	r, err := ivs.Answer(ctx, c.Interview.ID, answer, "k1", v.Next.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Message.Content, secret) || len(r.Message.Redactions) != 1 {
		t.Fatalf("stored answer %q with redactions %+v", r.Message.Content, r.Message.Redactions)
	}

	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx) //nolint:errcheck
	deadline := time.After(30 * time.Second)
	for captured := false; !captured; {
		select {
		case ev := <-events:
			if ev.Kind == river.EventKindJobFailed {
				t.Fatalf("%s failed: %v", ev.Job.Kind, ev.Job.Errors)
			}
			captured = ev.Job.Kind == "capture"
		case <-deadline:
			t.Fatal("the answer was not captured")
		}
	}

	chunks, err := st.Chunks(ctx, r.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	accounts := map[string]string{}
	for _, a := range c.Accounts {
		accounts[a.ID] = a.Name
	}
	if len(chunks) != 2 || accounts[chunks[0].AccountID] != "Northwind" || accounts[chunks[1].AccountID] != "Globex" {
		t.Fatalf("chunks: %+v", chunks)
	}
	findings, err := st.Findings(ctx, c.Interview.ID)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, f := range findings {
		types[f.Type]++
		if strings.Contains(f.Text, secret) {
			t.Fatal("a finding holds the secret")
		}
	}
	if types[knowledge.CredentialMentioned] != 1 || types["risk"] == 0 {
		t.Fatalf("finding types %v", types)
	}
	var leaks int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM chunks WHERE text LIKE '%' || $1 || '%' OR context LIKE '%' || $1 || '%')
		+ (SELECT count(*) FROM messages WHERE content LIKE '%' || $1 || '%')`, secret).Scan(&leaks); err != nil || leaks != 0 {
		t.Fatalf("the secret is stored %d times (%v)", leaks, err)
	}
	var embedded int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM chunk_embeddings e JOIN chunks c ON c.id = e.chunk_id WHERE c.message_id = $1`, r.Message.ID).Scan(&embedded); err != nil || embedded != 2 {
		t.Fatalf("%d embeddings (%v)", embedded, err)
	}
}
