package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
)

// benchSearch fills the scratch database with n synthetic chunks (20 sessions of 10 accounts), then
// measures: the offline embedder's rate on one goroutine, hybrid search latency with one filter, and the
// recall@10 of the HNSW vector search against an exact scan with the same filter.
func benchSearch(ctx context.Context, w io.Writer, svc *services, n, queries int) error {
	rng := rand.New(rand.NewPCG(1, 2))
	texts := make([]string, n)
	for i := range texts {
		texts[i] = syntheticChunk(rng)
	}
	emb := embed.NewOffline()
	start := time.Now()
	vecs := make([][]float32, n)
	for i, t := range texts {
		vecs[i] = emb.Vector(t)
	}
	fmt.Fprintf(w, "embed_chunks_per_s %.0f\n", float64(n)/time.Since(start).Seconds())

	accounts, err := seedChunks(ctx, svc, texts, vecs, emb.Model())
	if err != nil {
		return err
	}
	s := search.New(svc.store, search.Fixed(emb), slog.New(slog.DiscardHandler))
	admin := store.Viewer{Role: store.RoleAdmin}
	var lat []time.Duration
	recall, measured := 0.0, 0
	unfiltered := 0.0
	for i := range queries {
		q := queryFrom(texts[rng.IntN(n)], rng)
		account := accounts[i%len(accounts)]
		began := time.Now()
		if _, err := s.Search(ctx, admin, search.Query{Text: q, Account: account, Limit: 10}); err != nil {
			return err
		}
		lat = append(lat, time.Since(began))
		vec := emb.Vector(q)
		approx, _, err := svc.store.SearchCandidates(ctx, admin, store.SearchFilter{Account: account}, emb.Model(), vec, "", 10)
		if err != nil {
			return err
		}
		exact, _, err := svc.store.SearchCandidates(ctx, admin, store.SearchFilter{Account: account, Exact: true}, emb.Model(), vec, "", 10)
		if err != nil {
			return err
		}
		if len(exact) > 0 {
			recall += overlapShare(approx, exact)
			measured++
		}
		// Without a filter the HNSW index does all the work (with a selective filter the planner may
		// prefer an exact scan of the account's chunks).
		approx, _, err = svc.store.SearchCandidates(ctx, admin, store.SearchFilter{}, emb.Model(), vec, "", 10)
		if err != nil {
			return err
		}
		exact, _, err = svc.store.SearchCandidates(ctx, admin, store.SearchFilter{Exact: true}, emb.Model(), vec, "", 10)
		if err != nil {
			return err
		}
		unfiltered += overlapShare(approx, exact)
	}
	slices.Sort(lat)
	fmt.Fprintf(w, "search_chunks %d\nsearch_p50_ms %.1f\nsearch_p95_ms %.1f\nsearch_recall10 %.3f\nsearch_recall10_unfiltered %.3f\n",
		n, percentile(lat, 0.5), percentile(lat, 0.95), recall/float64(max(measured, 1)), unfiltered/float64(max(queries, 1)))
	return nil
}

// overlapShare is the share of exact found in approx.
func overlapShare(approx, exact []store.Candidate) float64 {
	if len(exact) == 0 {
		return 1
	}
	found := 0
	for _, e := range exact {
		if slices.ContainsFunc(approx, func(a store.Candidate) bool { return a.ChunkID == e.ChunkID }) {
			found++
		}
	}
	return float64(found) / float64(len(exact))
}

// seedChunks writes the chunks and their vectors with COPY, building the HNSW index after the load (as
// fast as PostgreSQL can), and returns the account names to filter by.
func seedChunks(ctx context.Context, svc *services, texts []string, vecs [][]float32, model string) ([]string, error) {
	pool := svc.pool
	manager, err := svc.store.CreateUser(ctx, store.NewUser{Email: "bench-search@example.com", Name: "Bench", Role: store.RoleManager})
	if err != nil {
		return nil, err
	}
	type slot struct{ interview, account, message string }
	var slots []slot
	var names []string
	for i := range 20 {
		accs := make([]store.Account, 10)
		for j := range accs {
			accs[j] = store.Account{Name: fmt.Sprintf("Account %02d-%02d", i, j), Depth: "deep"}
		}
		iv, stored, err := svc.store.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Bench", DepartureDate: time.Now().AddDate(0, 1, 0),
			TimeBudgetMinutes: 60, Accounts: accs, InviteHash: []byte(fmt.Sprint("bench", i)), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
		if err != nil {
			return nil, err
		}
		var msg store.Message
		if err := svc.store.Transact(ctx, func(tx *store.Store) error {
			msg, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "bench"})
			return err
		}); err != nil {
			return nil, err
		}
		for _, a := range stored {
			slots = append(slots, slot{iv.ID, a.ID, msg.ID})
			names = append(names, a.Name)
		}
	}
	if _, err := pool.Exec(ctx, `DROP INDEX chunk_embeddings_offline_hash_v1_idx`); err != nil {
		return nil, err
	}
	ids := make([]string, len(texts))
	rows := make([][]any, len(texts))
	for i, t := range texts {
		sl := slots[i%len(slots)]
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		rows[i] = []any{ids[i], sl.interview, sl.account, sl.message, i, []string{"account_overview"}, t, ""}
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"chunks"}, []string{"id", "interview_id", "account_id", "message_id", "position", "topics", "text", "context"},
		pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("copy chunks: %w", err)
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"chunk_embeddings"}, []string{"chunk_id", "model", "embedding"},
		pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) { return []any{ids[i], model, pgvector.NewVector(vecs[i])}, nil })); err != nil {
		return nil, fmt.Errorf("copy embeddings: %w", err)
	}
	if _, err := pool.Exec(ctx, `CREATE INDEX chunk_embeddings_offline_hash_v1_idx ON chunk_embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) WHERE model = 'offline-hash-v1'`); err != nil {
		return nil, fmt.Errorf("build the HNSW index: %w", err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE chunks; ANALYZE chunk_embeddings`); err != nil {
		return nil, err
	}
	return names, nil
}

var (
	benchPeople   = []string{"Priya Shah", "Marco Rossi", "Hannah Lee", "Victor Hale", "Sara Lind", "Erik Holm", "Ben Ortiz", "Aisha Khan", "Peter Gibbons", "Lena Fischer", "Tom Baker", "Omar Said"}
	benchRoles    = []string{"the CFO", "our champion", "the IT admin", "head of support", "VP of operations", "the procurement lead", "the executive sponsor"}
	benchThings   = []string{"the reporting module", "the SSO integration", "the mobile app", "the export connector", "the routing rules", "the voice add-on", "the knowledge base", "the API limits", "the billing sync", "the dashboard"}
	benchVerbs    = []string{"is frustrated with", "loves", "keeps asking about", "escalated", "wants a discount on", "is evaluating a competitor because of", "signed off", "is sceptical about", "depends on", "promised to review"}
	benchWhen     = []string{"before the renewal in January", "by the end of the quarter", "every Friday", "since the outage in October", "after the last QBR", "next week", "on 15 December", "in March"}
	benchSuffixes = []string{"The workaround is a nightly CSV export in the shared drive.", "Ticket SUP-4411 is still open with engineering.", "Renewal likelihood is around 70 percent.", "They prefer Slack over e-mail.", "We offered a workshop to help.", "The upsell is 40 seats for about $60k.", "Nothing else is open right now."}
)

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

func syntheticChunk(rng *rand.Rand) string {
	return fmt.Sprintf("%s, %s, %s %s %s. %s %s", pick(rng, benchPeople), pick(rng, benchRoles), pick(rng, benchVerbs),
		pick(rng, benchThings), pick(rng, benchWhen), pick(rng, benchSuffixes), pick(rng, benchSuffixes))
}

// queryFrom makes a question from a chunk: a few of its words, as a successor would type them.
func queryFrom(text string, rng *rand.Rand) string {
	words := strings.Fields(text)
	from := rng.IntN(max(1, len(words)-6))
	return "what about " + strings.Join(words[from:min(len(words), from+6)], " ")
}
