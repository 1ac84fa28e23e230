package search

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestAttachmentPassages: the passages of an attached file are embedded like an answer's, re-embedded
// when the model changes, and found by search and Ask with the file and their place in it.
func TestAttachmentPassages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st := store.New(dbtest.New(t))
	manager, err := st.CreateUser(ctx, store.NewUser{Email: "maria@example.com", Name: "Maria", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, accounts, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 60, Accounts: []store.Account{{Name: "Globex", Depth: "deep"}}, InviteHash: []byte("h"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	file, _, err := st.CreateAttachment(ctx, store.Attachment{InterviewID: iv.ID, AccountID: accounts[0].ID, Name: "steering.md", Kind: "md",
		MIME: "text/markdown", SHA256: strings.Repeat("0c", 32)}, []byte("# Steering\n\nThe Globex steering committee meets every second Tuesday to review the rollout.\n"))
	if err != nil {
		t.Fatal(err)
	}
	offline := embed.NewOffline()
	if err := knowledge.New(st, knowledge.NewVectors(st, offline, nil, log), nil, log).CaptureAttachment(ctx, file.ID); err != nil {
		t.Fatal(err)
	}
	if got := vectorCounts(t, st); got[offline.Model()] == 0 {
		t.Fatalf("the file's passages have no vectors: %v", got)
	}

	// The model changes: re-embedding gives the file's passages the new model's vectors too.
	_, vectors := endpointVectors(t, st, offline, nil)
	if done, err := vectors.Backfill(ctx, time.Minute); err != nil || !done {
		t.Fatalf("Backfill = %v, %v", done, err)
	}
	var missing int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM chunks c WHERE c.attachment_id = $1
    AND NOT EXISTS (SELECT 1 FROM chunk_embeddings e WHERE e.chunk_id = c.id AND e.model = $2)`, file.ID, endpointModel).Scan(&missing); err != nil || missing != 0 {
		t.Fatalf("%d of the file's passages lack %s vectors (%v)", missing, endpointModel, err)
	}

	svc := New(st, vectors, log)
	viewer := store.Viewer{UserID: manager.ID, Role: store.RoleManager}
	results, err := svc.Search(ctx, viewer, Query{Text: "when does the steering committee meet"})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 || results[0].Attachment == nil || results[0].Attachment.ID != file.ID || results[0].Attachment.Cite() != "steering.md" ||
		results[0].MessageID != "" {
		t.Fatalf("search: %+v", results)
	}
	a, err := svc.Ask(ctx, viewer, "When does the Globex steering committee meet?", "", offline)
	if err != nil {
		t.Fatal(err)
	}
	cited := false
	for _, c := range a.Citations {
		cited = cited || c.Attachment != nil && c.Attachment.ID == file.ID
	}
	if !cited || !strings.Contains(a.Text, "second Tuesday") {
		t.Fatalf("ask: %+v", a)
	}
	if got := (&Attachment{Name: "Q3 QBR deck.pdf", Location: "page 2"}).Cite(); got != "Q3 QBR deck.pdf, page 2" {
		t.Errorf("Cite() = %q", got)
	}
}
