package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// TestAttachmentVisibility: a file is visible by its passages' rule: admins, the session's manager (not
// another manager), the successor of its account (not of another account), in a session that shows
// successors only approved knowledge only once its account is approved; a portfolio-wide file to the
// session's successors. Its passages follow the same rule in search, and a file's passages have no
// message.
func TestAttachmentVisibility(t *testing.T) {
	t.Parallel()
	st := newStore(t)
	ctx := context.Background()
	user := func(email string, role store.Role) store.User {
		u, err := st.CreateUser(ctx, store.NewUser{Email: email, Name: email, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	admin, manager, otherManager := user("admin@example.com", store.RoleAdmin), user("maria@example.com", store.RoleManager), user("mo@example.com", store.RoleManager)
	sam, olga, nobody := user("sam@example.com", store.RoleSuccessor), user("olga@example.com", store.RoleSuccessor), user("nobody@example.com", store.RoleSuccessor)
	iv, accounts, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 60, Accounts: []store.Account{{Name: "Globex", Depth: "deep", SuccessorID: sam.ID}, {Name: "Initech", Depth: "deep", SuccessorID: olga.ID}},
		InviteHash: []byte("h"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	globex := accounts[0]
	if accounts[0].Name != "Globex" {
		globex = accounts[1]
	}
	file, created, err := st.CreateAttachment(ctx, store.Attachment{InterviewID: iv.ID, AccountID: globex.ID, Name: "renewals.csv", Kind: "csv",
		MIME: "text/csv", SHA256: strings.Repeat("0a", 32)}, []byte("a,b\n1,2\n"))
	if err != nil || !created || file.AccountName != "Globex" || file.State != store.AttachmentReading || file.Size != 8 {
		t.Fatalf("create: %+v %v %v", file, created, err)
	}
	if again, created, err := st.CreateAttachment(ctx, store.Attachment{InterviewID: iv.ID, AccountID: globex.ID, Name: "copy.csv", Kind: "csv",
		MIME: "text/csv", SHA256: strings.Repeat("0a", 32)}, []byte("a,b\n1,2\n")); err != nil || created || again.ID != file.ID {
		t.Fatalf("the same file again: %+v %v %v", again, created, err)
	}
	portfolio, _, err := st.CreateAttachment(ctx, store.Attachment{InterviewID: iv.ID, Name: "team.txt", Kind: "txt", MIME: "text/plain",
		SHA256: strings.Repeat("0b", 32)}, []byte("escalations go to Lena"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveAttachmentChunks(ctx, file.ID, []store.Chunk{{InterviewID: iv.ID, AccountID: globex.ID, Location: "sheet Renewals",
		Text: "Hank Scorpio approves the renewal budget.", Embeddings: map[string][]float32{"offline-hash-v1": make384(0.1)}}}, 1, ""); err != nil {
		t.Fatal(err)
	}
	check := func(when string, want map[string]bool) {
		t.Helper()
		for name, u := range map[string]store.User{"admin": admin, "manager": manager, "other manager": otherManager, "sam": sam, "olga": olga, "nobody": nobody} {
			v := store.Viewer{UserID: u.ID, Role: u.Role}
			got, err := st.AttachmentVisible(ctx, v, file.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, text, err := st.SearchCandidates(ctx, v, store.SearchFilter{}, "offline-hash-v1", nil, "renewal & budget", 10)
			if err != nil {
				t.Fatal(err)
			}
			if got != want[name] || (len(text) == 1) != want[name] {
				t.Errorf("%s: %s sees the file %v and finds %d of its passages; want %v", when, name, got, len(text), want[name])
			}
		}
	}
	check("before approval is asked for", map[string]bool{"admin": true, "manager": true, "sam": true})
	if _, err := st.Pool().Exec(ctx, `UPDATE interviews SET successors_after_approval = true WHERE id = $1`, iv.ID); err != nil {
		t.Fatal(err)
	}
	check("awaiting approval", map[string]bool{"admin": true, "manager": true})
	if err := st.Approve(ctx, iv.ID, globex.ID); err != nil {
		t.Fatal(err)
	}
	check("approved", map[string]bool{"admin": true, "manager": true, "sam": true})
	// The portfolio-wide file: the session's successors, once the portfolio is approved.
	for name, want := range map[*store.User]bool{&sam: false, &olga: false, &nobody: false} {
		if got, _ := st.AttachmentVisible(ctx, store.Viewer{UserID: name.ID, Role: name.Role}, portfolio.ID); got != want {
			t.Errorf("%s sees the unapproved portfolio file: %v", name.Email, got)
		}
	}
	if err := st.Approve(ctx, iv.ID, ""); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[*store.User]bool{&sam: true, &olga: true, &nobody: false} {
		if got, _ := st.AttachmentVisible(ctx, store.Viewer{UserID: name.ID, Role: name.Role}, portfolio.ID); got != want {
			t.Errorf("%s sees the approved portfolio file: %v, want %v", name.Email, got, want)
		}
	}

	// Hits carry the file; removing it removes passages and vectors.
	_, text, err := st.SearchCandidates(ctx, store.Viewer{UserID: admin.ID, Role: store.RoleAdmin}, store.SearchFilter{}, "offline-hash-v1", nil, "renewal & budget", 10)
	if err != nil || len(text) != 1 {
		t.Fatalf("candidates: %v %v", text, err)
	}
	hits, err := st.SearchHits(ctx, []string{text[0].ChunkID}, "renewal & budget")
	if err != nil || len(hits) != 1 || hits[0].MessageID != "" || hits[0].Attachment != (store.HitAttachment{ID: file.ID, Name: "renewals.csv", Location: "sheet Renewals"}) {
		t.Fatalf("hits: %+v %v", hits, err)
	}
	if _, err := st.DeleteAttachment(ctx, iv.ID, file.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteAttachment(ctx, iv.ID, file.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
	var chunks, vectors int
	if err := st.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM chunks WHERE attachment_id IS NOT NULL), (SELECT count(*) FROM chunk_embeddings)`).Scan(&chunks, &vectors); err != nil ||
		chunks != 0 || vectors != 0 {
		t.Fatalf("after removal: %d passages, %d vectors (%v)", chunks, vectors, err)
	}
	// A passage must come from an answer or a file, not neither.
	if _, err := st.Pool().Exec(ctx, `INSERT INTO chunks (interview_id, position, text) VALUES ($1, 0, 'x')`, iv.ID); err == nil {
		t.Fatal("a passage from neither an answer nor a file was stored")
	}
}

func make384(v float32) []float32 {
	out := make([]float32, 384)
	for i := range out {
		out[i] = v
	}
	return out
}
