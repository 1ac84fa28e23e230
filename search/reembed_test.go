package search

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/exitinterview/exitinterview/store"
)

// vectorCounts returns how many vectors each model has.
func vectorCounts(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `SELECT model, count(*) FROM chunk_embeddings GROUP BY model`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var m string
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			t.Fatal(err)
		}
		out[m] = n
	}
	return out
}

// partialIndexes returns the names of chunk_embeddings' valid partial indexes, by the model they cover.
func partialIndexes(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `
SELECT substring(pg_get_expr(x.indpred, x.indrelid) from '''([^'']+)'''), c.relname FROM pg_index x
JOIN pg_class c ON c.oid = x.indexrelid
WHERE x.indrelid = 'chunk_embeddings'::regclass AND x.indpred IS NOT NULL AND x.indisvalid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var model, name string
		if err := rows.Scan(&model, &name); err != nil {
			t.Fatal(err)
		}
		out[model] = name
	}
	return out
}

// rankOf is the 1-based rank of the first result containing want, 0 when none does.
func rankOf(results []Result, want string) int {
	for i, r := range results {
		if strings.Contains(r.Text, want) {
			return i + 1
		}
	}
	return 0
}

// endpointModel is the embeddings model endpointVectors serves.
const endpointModel = "text-embedding-3-small"

// endpointVectors switches st to an endpoint's embeddings model (endpointModel) that embeds like the
// offline one, so search quality can be compared; the offline model stays to answer queries while the
// new one is built. While down is set the endpoint answers 503. The model is registered.
func endpointVectors(t *testing.T, st *store.Store, offline *embed.Offline, down *atomic.Bool) (*llmtest.Server, *knowledge.Vectors) {
	t.Helper()
	srv := llmtest.New(t)
	srv.Respond = func(r llmtest.Request) llmtest.Reply {
		if down != nil && down.Load() {
			return llmtest.Reply{Status: 503}
		}
		vecs := make([][]float32, 0, len(r.Inputs()))
		for _, in := range r.Inputs() {
			vecs = append(vecs, offline.Vector(in))
		}
		return llmtest.Reply{Embeddings: vecs}
	}
	client := llm.New(llm.Config{BaseURL: srv.URL, EmbedModel: endpointModel, MaxAttempts: 1, Timeout: 5 * time.Second})
	vectors := knowledge.NewVectors(st, embed.NewOpenAI(client, 0), func(m store.EmbeddingModel) embed.Embedder {
		if m.Model == offline.Model() {
			return offline
		}
		return nil
	}, slog.New(slog.DiscardHandler))
	if err := vectors.Register(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv, vectors
}

// TestModelChangeReembedsWhileSearchKeepsWorking switches a database captured with the offline embedder
// to an endpoint's embeddings model: search keeps answering from the offline vectors while the new ones
// are made, captures write both, a capture during an outage of the endpoint still stores its knowledge,
// and when the backfill completes the new model serves search and the old vectors and index are gone.
func TestModelChangeReembedsWhileSearchKeepsWorking(t *testing.T) {
	t.Parallel()
	st, iv, manager, accounts := captured(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	offline := embed.NewOffline()
	before := vectorCounts(t, st)
	if before[offline.Model()] == 0 || len(before) != 1 {
		t.Fatalf("vectors before the change: %v", before)
	}

	// The endpoint's "model" embeds like the offline one, so search quality can be compared; which model
	// made a vector is told by the rows and by the requests the endpoint receives.
	var down atomic.Bool
	srv, vectors := endpointVectors(t, st, offline, &down)
	svc := New(st, vectors, log)
	viewer := store.Viewer{UserID: manager.ID, Role: store.RoleManager}
	const question, want = "who signs the contract at Northwind", "Marco Rossi, the CFO, signs"

	// While the new model builds, queries are embedded offline and the answer is found.
	if e, err := vectors.ForQuery(ctx); err != nil || e.Model() != offline.Model() {
		t.Fatalf("ForQuery while building = %v, %v; want the offline embedder", e, err)
	}
	results, err := svc.Search(ctx, viewer, Query{Text: question})
	if err != nil {
		t.Fatal(err)
	}
	if r := rankOf(results, want); r < 1 || r > 3 {
		t.Fatalf("while building: %q ranks %d", want, r)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("the endpoint got %d requests before anything was captured or backfilled", n)
	}

	// A capture while building writes vectors of both models.
	capture := knowledge.New(st, vectors, nil, log)
	northwind := accounts[slices.IndexFunc(accounts, func(a store.Account) bool { return strings.HasPrefix(a.Name, "Northwind") })]
	both := insertAnswer(t, st, iv.ID, northwind.ID, "Anything else about Northwind?", []string{"stakeholders"},
		"Their new VP of Finance, Priya Raman, wants a quarterly value review before she signs anything.")
	if err := capture.Capture(ctx, both.ID); err != nil {
		t.Fatal(err)
	}
	if got := vectorCounts(t, st); got[offline.Model()] != before[offline.Model()]+1 || got[endpointModel] != 1 {
		t.Fatalf("vectors after a capture while building: %v; want one more offline and one of %s", got, endpointModel)
	}
	// During an outage of the endpoint a capture still stores its chunks and findings, without that
	// model's vectors.
	down.Store(true)
	outage := insertAnswer(t, st, iv.ID, northwind.ID, "What do their admins rely on?", []string{"workarounds"},
		"The admins export the usage report by hand every Monday because the scheduled export times out.")
	if err := capture.Capture(ctx, outage.ID); err != nil {
		t.Fatalf("capture during an outage: %v", err)
	}
	if chunks, err := st.Chunks(ctx, outage.ID); err != nil || len(chunks) == 0 {
		t.Fatalf("chunks of the answer captured during the outage: %d, %v", len(chunks), err)
	}
	missing, err := st.ChunksWithoutEmbedding(ctx, endpointModel, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(missing); got != before[offline.Model()]+1 {
		t.Fatalf("%d chunks lack the new model's vectors; want the %d captured before plus the outage's", got, before[offline.Model()])
	}
	// Search with the endpoint down still answers (offline vectors and full text).
	if results, err := svc.Search(ctx, viewer, Query{Text: "scheduled export times out"}); err != nil || rankOf(results, "export the usage report") != 1 {
		t.Fatalf("search during the outage: %v, rank %d", err, rankOf(results, "export the usage report"))
	}

	// The endpoint is back: the backfill completes, indexes the new model and retires the old one.
	down.Store(false)
	done, err := vectors.Backfill(ctx, time.Minute)
	if err != nil || !done {
		t.Fatalf("Backfill = %v, %v", done, err)
	}
	after := vectorCounts(t, st)
	if len(after) != 1 || after[endpointModel] != before[offline.Model()]+2 {
		t.Fatalf("vectors after the backfill: %v; want only %s, for every chunk", after, endpointModel)
	}
	indexes := partialIndexes(t, st)
	if _, ok := indexes[endpointModel]; !ok || len(indexes) != 1 {
		t.Fatalf("partial indexes after the backfill: %v; want one, for %s", indexes, endpointModel)
	}
	models, err := st.EmbeddingModels(ctx)
	if err != nil || len(models) != 1 || models[0].Model != endpointModel || !models[0].Ready || models[0].Dims != offline.Dims() {
		t.Fatalf("embedding models: %+v, %v", models, err)
	}
	if e, err := vectors.ForQuery(ctx); err != nil || e.Model() != endpointModel {
		t.Fatalf("ForQuery after the backfill = %v, %v; want %s", e, err, endpointModel)
	}

	// Queries are now embedded by the endpoint, and search finds as well as before.
	asked := len(srv.Requests())
	results, err = svc.Search(ctx, viewer, Query{Text: question})
	if err != nil {
		t.Fatal(err)
	}
	if r := rankOf(results, want); r < 1 || r > 3 {
		t.Fatalf("after the change: %q ranks %d", want, r)
	}
	reqs := srv.Requests()
	// The account the question names is searched by filter; what is embedded is the rest of it.
	if len(reqs) != asked+1 || !slices.Contains(reqs[len(reqs)-1].Inputs(), "signs contract") {
		t.Fatalf("the query was not embedded by the endpoint (%d requests before, %d after)", asked, len(reqs))
	}

	// Running it again changes nothing.
	if done, err := vectors.Backfill(ctx, time.Minute); err != nil || !done {
		t.Fatalf("second Backfill = %v, %v", done, err)
	}
	if again := vectorCounts(t, st); again[endpointModel] != after[endpointModel] || len(again) != 1 {
		t.Fatalf("vectors after a second backfill: %v, want %v", again, after)
	}
}
