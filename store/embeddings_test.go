package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// chunkFixture stores one interview with one answer captured as two chunks, without vectors.
func chunkFixture(t *testing.T) (*store.Store, store.User, []store.Chunk) {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	manager, err := s.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, _, err := s.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 30, Accounts: []store.Account{{Name: "Northwind", Depth: "deep"}}, InviteHash: []byte("x"),
		InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var m store.Message
	err = s.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
			return err
		}
		m, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "Two things."})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	chunks := []store.Chunk{{InterviewID: iv.ID, MessageID: m.ID, Text: "The renewal is in March."},
		{InterviewID: iv.ID, MessageID: m.ID, Position: 1, Text: "Marco signs."}}
	if err := s.ReplaceCapture(ctx, m.ID, chunks, nil); err != nil {
		t.Fatal(err)
	}
	if chunks, err = s.Chunks(ctx, m.ID); err != nil || len(chunks) != 2 {
		t.Fatalf("chunks: %v, %v", chunks, err)
	}
	return s, manager, chunks
}

func unit(dims, at int) []float32 {
	v := make([]float32, dims)
	v[at] = 1
	return v
}

// TestLongVectorsAreIndexedAsHalfvec: a model of more than 2,000 dimensions (text-embedding-3-large has
// 3,072) cannot have an HNSW index on vector; it gets one on halfvec, and search uses it.
func TestLongVectorsAreIndexedAsHalfvec(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, manager, chunks := chunkFixture(t)
	const model, dims = "text-embedding-3-large", 3072
	if err := s.RegisterEmbeddingModel(ctx, model, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.StoreEmbeddings(ctx, model, []string{chunks[0].ID, chunks[1].ID}, [][]float32{unit(dims, 0), unit(dims, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureEmbeddingIndex(ctx, model); err != nil {
		t.Fatal(err)
	}
	var def string
	if err := s.Pool().QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE tablename = 'chunk_embeddings' AND indexdef LIKE '%text-embedding-3-large%'`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	if want := "halfvec(3072)"; !strings.Contains(def, want) || !strings.Contains(def, "hnsw") {
		t.Fatalf("index %q does not index %s with hnsw", def, want)
	}
	// Building it again is a no-op.
	if err := s.EnsureEmbeddingIndex(ctx, model); err != nil {
		t.Fatal(err)
	}
	vec, _, err := s.SearchCandidates(ctx, store.Viewer{UserID: manager.ID, Role: store.RoleManager}, store.SearchFilter{}, model, unit(dims, 1), "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(vec) != 2 || vec[0].ChunkID != chunks[1].ID {
		t.Fatalf("vector candidates %v; want the second chunk first", vec)
	}
}

// TestEmbeddingLengthIsHeldToTheFirst: one model has one length (its index casts to it).
func TestEmbeddingLengthIsHeldToTheFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t)
	if err := s.StoreEmbeddings(ctx, "m1", []string{chunks[0].ID}, [][]float32{unit(8, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := s.StoreEmbeddings(ctx, "m1", []string{chunks[1].ID}, [][]float32{unit(16, 0)}); !errors.Is(err, store.ErrDims) {
		t.Fatalf("a 16-dimension vector after 8: err = %v, want ErrDims", err)
	}
	if err := s.StoreEmbeddings(ctx, "m2", []string{chunks[0].ID, chunks[1].ID}, [][]float32{unit(8, 0), unit(9, 0)}); !errors.Is(err, store.ErrDims) {
		t.Fatalf("mixed lengths in one call: err = %v, want ErrDims", err)
	}
	if err := s.ReplaceCapture(ctx, chunks[0].MessageID, []store.Chunk{{InterviewID: chunks[0].InterviewID, Text: "x",
		Embeddings: map[string][]float32{"m1": unit(4, 0)}}}, nil); !errors.Is(err, store.ErrDims) {
		t.Fatalf("a capture with the wrong length: err = %v, want ErrDims", err)
	}
	if got, err := s.Chunks(ctx, chunks[0].MessageID); err != nil || len(got) != 2 {
		t.Fatalf("the refused capture changed the chunks: %d, %v", len(got), err)
	}
	// The length asked of the endpoint is kept, for queries to the model while another is built.
	if err := s.RegisterEmbeddingModel(ctx, "text-embedding-3-large", 256); err != nil {
		t.Fatal(err)
	}
	models, err := s.EmbeddingModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		if m.Model == "text-embedding-3-large" && m.RequestedDims != 256 {
			t.Errorf("requested length %d, want 256", m.RequestedDims)
		}
	}
	for _, bad := range []string{"", "x'; DROP TABLE chunks; --", "has space"} {
		if err := s.RegisterEmbeddingModel(ctx, bad, 0); err == nil {
			t.Errorf("RegisterEmbeddingModel(%q) accepted", bad)
		}
	}
}

// TestRetireEmbeddingModel removes the vectors, the index and the record, in batches.
func TestRetireEmbeddingModel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t)
	if err := s.StoreEmbeddings(ctx, "offline-hash-v1", []string{chunks[0].ID, chunks[1].ID}, [][]float32{unit(384, 0), unit(384, 1)}); err != nil {
		t.Fatal(err)
	}
	gone, err := s.RetireEmbeddingModel(ctx, "offline-hash-v1", 1)
	if err != nil || gone {
		t.Fatalf("first batch: gone %v, %v; want more to do", gone, err)
	}
	for i := 0; !gone; i++ {
		if i > 3 {
			t.Fatal("retiring does not end")
		}
		if gone, err = s.RetireEmbeddingModel(ctx, "offline-hash-v1", 1); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := s.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM chunk_embeddings) + (SELECT count(*) FROM embedding_models)
    + (SELECT count(*) FROM pg_indexes WHERE indexname = 'chunk_embeddings_offline_hash_v1_idx')`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d vectors, models or indexes left", n)
	}
}

// TestVectorsCarryTheirChunksAccount: a vector written by a capture or by re-embedding carries its
// chunk's account, so that a search within one account reads only that account's vectors; a chunk
// moved to another account takes its vectors with it; and search within an account finds only its own.
func TestVectorsCarryTheirChunksAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	manager, err := s.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, accounts, err := s.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 30, Accounts: []store.Account{{Name: "Northwind", Depth: "deep"}, {Name: "Globex", Depth: "deep"}}, InviteHash: []byte("x"),
		InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var m store.Message
	if err := s.Transact(ctx, func(tx *store.Store) error {
		m, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "Two accounts."})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	const model = "offline-hash-v1"
	vec := make([]float32, 384)
	vec[0] = 1
	chunks := []store.Chunk{
		{InterviewID: iv.ID, AccountID: accounts[0].ID, MessageID: m.ID, Text: "Northwind renews in March.", Embeddings: map[string][]float32{model: vec}},
		{InterviewID: iv.ID, AccountID: accounts[1].ID, MessageID: m.ID, Position: 1, Text: "Globex renews in May.", Embeddings: map[string][]float32{model: vec}},
		{InterviewID: iv.ID, MessageID: m.ID, Position: 2, Text: "Escalations go to Priya.", Embeddings: map[string][]float32{model: vec}},
	}
	if err := s.ReplaceCapture(ctx, m.ID, chunks, nil); err != nil {
		t.Fatal(err)
	}
	if chunks, err = s.Chunks(ctx, m.ID); err != nil || len(chunks) != 3 {
		t.Fatalf("chunks: %v, %v", chunks, err)
	}
	// Another model's vectors, as re-embedding writes them.
	other := unit(8, 0)
	if err := s.StoreEmbeddings(ctx, "m8", []string{chunks[0].ID, chunks[1].ID, chunks[2].ID}, [][]float32{other, other, other}); err != nil {
		t.Fatal(err)
	}
	mismatched := func() int {
		t.Helper()
		var n int
		if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM chunk_embeddings e JOIN chunks c ON c.id = e.chunk_id
WHERE e.account_id IS DISTINCT FROM c.account_id`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var total int
	if err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM chunk_embeddings`).Scan(&total); err != nil || total != 6 {
		t.Fatalf("%d vectors (%v); want 6", total, err)
	}
	if n := mismatched(); n != 0 {
		t.Fatalf("%d vectors do not carry their chunk's account", n)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE chunks SET account_id = $1 WHERE id = $2`, accounts[1].ID, chunks[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := mismatched(); n != 0 {
		t.Fatalf("after a chunk moved, %d vectors do not carry their chunk's account", n)
	}
	admin := store.Viewer{Role: store.RoleAdmin}
	got, _, err := s.SearchCandidates(ctx, admin, store.SearchFilter{Account: "Globex"}, model, vec, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range got {
		ids[c.ChunkID] = true
	}
	if len(got) != 2 || !ids[chunks[0].ID] || !ids[chunks[1].ID] {
		t.Fatalf("search within Globex found %v; want the two chunks now filed under it", got)
	}
}
