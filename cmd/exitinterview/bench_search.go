package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
)

// benchSearch fills the scratch database with n synthetic chunks (20 sessions of 10 accounts), then
// measures: the offline embedder's rate on one goroutine, how long the load and the HNSW build take,
// hybrid search latency with an account filter and without (and each of its two sides with the filter),
// and the recall@10 of the vector search against an exact scan, with the filter and without.
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

	var accounts []string
	var seeded int
	var err error
	if err := svc.pool.QueryRow(ctx, `SELECT count(*) FROM chunks`).Scan(&seeded); err != nil {
		return err
	}
	if seeded == n {
		// A scratch database kept by an earlier run (--scratch): its chunks are these same texts, made
		// from the same seed; only the queries are measured again.
		rows, err := svc.pool.Query(ctx, `SELECT name FROM accounts ORDER BY name`)
		if err != nil {
			return err
		}
		if accounts, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		fmt.Fprintln(w, "search_seed_reused true")
	} else if accounts, err = seedChunks(ctx, w, svc, texts, vecs, emb.Model()); err != nil {
		return err
	}
	prewarm(ctx, w, svc.pool)
	successor, err := benchSuccessor(ctx, svc, accounts)
	if err != nil {
		return err
	}
	if _, err := svc.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS bench_exact_top10 (query text, account text, ids text[], similarities float8[], PRIMARY KEY (query, account))`); err != nil {
		return err
	}
	s := search.New(svc.store, search.Fixed(emb), slog.New(slog.DiscardHandler))
	admin := store.Viewer{Role: store.RoleAdmin}
	timed := func(into *[]time.Duration, f func() error) error {
		began := time.Now()
		err := f()
		*into = append(*into, time.Since(began))
		return err
	}
	var hybrid, hybridAll, asSuccessor, vectorSide, textSide, pipeline, pipelineAll []time.Duration
	recall, measured, recallAll, measuredAll := 0.0, 0, 0.0, 0
	for i := range queries {
		q := queryFrom(texts[rng.IntN(n)], rng)
		account := accounts[i%len(accounts)]
		vec, tsq := emb.Vector(q), search.TextQuery(q)
		// The hybrid search itself: both candidate lists in one transaction, as each search runs them.
		var approx []store.Candidate
		for _, m := range []struct {
			into *[]time.Duration
			f    store.SearchFilter
		}{{&hybrid, store.SearchFilter{Account: account}}, {&hybridAll, store.SearchFilter{}}} {
			if err := timed(m.into, func() (err error) {
				_, _, err = svc.store.SearchCandidates(ctx, admin, m.f, emb.Model(), vec, tsq, 50)
				return err
			}); err != nil {
				return err
			}
		}
		// A successor's search of all their accounts, without naming one.
		if err := timed(&asSuccessor, func() (err error) {
			_, _, err = svc.store.SearchCandidates(ctx, successor, store.SearchFilter{}, emb.Model(), vec, tsq, 50)
			return err
		}); err != nil {
			return err
		}
		if err := timed(&vectorSide, func() (err error) {
			approx, _, err = svc.store.SearchCandidates(ctx, admin, store.SearchFilter{Account: account}, emb.Model(), vec, "", 50)
			return err
		}); err != nil {
			return err
		}
		if err := timed(&textSide, func() error {
			_, _, err := svc.store.SearchCandidates(ctx, admin, store.SearchFilter{Account: account}, emb.Model(), nil, tsq, 50)
			return err
		}); err != nil {
			return err
		}
		// What a successor waits for: the question read, the searches its intent adds (within the
		// topics it is asked of), the passages loaded and ranked again.
		for _, m := range []struct {
			into    *[]time.Duration
			account string
		}{{&pipeline, account}, {&pipelineAll, ""}} {
			if err := timed(m.into, func() error {
				_, err := s.Search(ctx, admin, search.Query{Text: q, Account: m.account, Limit: 10})
				return err
			}); err != nil {
				return err
			}
		}
		exact, err := exactTop10(ctx, svc, admin, store.SearchFilter{Account: account, Exact: true}, emb.Model(), q, vec)
		if err != nil {
			return err
		}
		if len(exact) > 0 {
			recall += overlapShare(approx[:min(10, len(approx))], exact)
			measured++
		}
		// The exact scan of every chunk is the slow part of a large run (seconds a query at a million),
		// so the unfiltered recall is measured on the first recallQueries queries.
		if i < recallQueries {
			approx, _, err = svc.store.SearchCandidates(ctx, admin, store.SearchFilter{}, emb.Model(), vec, "", 10)
			if err != nil {
				return err
			}
			exact, err = exactTop10(ctx, svc, admin, store.SearchFilter{Exact: true}, emb.Model(), q, vec)
			if err != nil {
				return err
			}
			recallAll += overlapShare(approx, exact)
			measuredAll++
		}
	}
	for _, d := range [][]time.Duration{hybrid, hybridAll, asSuccessor, vectorSide, textSide, pipeline, pipelineAll} {
		slices.Sort(d)
	}
	fmt.Fprintf(w, "search_chunks %d\nsearch_p50_ms %.1f\nsearch_p95_ms %.1f\nsearch_unfiltered_p50_ms %.1f\nsearch_unfiltered_p95_ms %.1f\n",
		n, percentile(hybrid, 0.5), percentile(hybrid, 0.95), percentile(hybridAll, 0.5), percentile(hybridAll, 0.95))
	fmt.Fprintf(w, "search_as_successor_p50_ms %.1f\nsearch_as_successor_p95_ms %.1f\n", percentile(asSuccessor, 0.5), percentile(asSuccessor, 0.95))
	fmt.Fprintf(w, "search_vector_p95_ms %.1f\nsearch_text_p95_ms %.1f\n", percentile(vectorSide, 0.95), percentile(textSide, 0.95))
	fmt.Fprintf(w, "search_successor_p50_ms %.1f\nsearch_successor_p95_ms %.1f\nsearch_successor_unfiltered_p50_ms %.1f\nsearch_successor_unfiltered_p95_ms %.1f\n",
		percentile(pipeline, 0.5), percentile(pipeline, 0.95), percentile(pipelineAll, 0.5), percentile(pipelineAll, 0.95))
	fmt.Fprintf(w, "search_recall10 %.3f\nsearch_recall10_unfiltered %.3f\n", recall/float64(max(measured, 1)), recallAll/float64(max(measuredAll, 1)))
	return nil
}

// prewarm reads the HNSW index into shared buffers before it is measured, as an operator would after a
// restart (pg_prewarm, or its autoprewarm); where the extension cannot be made the queries warm it.
func prewarm(ctx context.Context, w io.Writer, pool *pgxpool.Pool) {
	_, err := pool.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_prewarm`)
	if err == nil {
		_, err = pool.Exec(ctx, `SELECT pg_prewarm('chunk_embeddings_offline_hash_v1_idx')`)
	}
	fmt.Fprintf(w, "search_index_prewarmed %t\n", err == nil)
}

// exactTop10 is the exact nearest ten chunks to vec, the reference recall is measured against. A scratch
// database kept for measuring again (--keep, --scratch) keeps them too, in a table of its own (made by
// benchSearch), since at a million chunks each exact scan of every vector takes seconds and its answer
// does not change.
func exactTop10(ctx context.Context, svc *services, v store.Viewer, f store.SearchFilter, model, query string, vec []float32) ([]store.Candidate, error) {
	var ids []string
	var sims []float64
	err := svc.pool.QueryRow(ctx, `SELECT ids, similarities FROM bench_exact_top10 WHERE query = $1 AND account = $2`, query, f.Account).Scan(&ids, &sims)
	if err == nil {
		out := make([]store.Candidate, len(ids))
		for i := range ids {
			out[i] = store.Candidate{ChunkID: ids[i], Rank: i + 1, Similarity: sims[i]}
		}
		return out, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	exact, _, err := svc.store.SearchCandidates(ctx, v, f, model, vec, "", 10)
	if err != nil {
		return nil, err
	}
	ids, sims = nil, nil
	for _, c := range exact {
		ids, sims = append(ids, c.ChunkID), append(sims, c.Similarity)
	}
	_, err = svc.pool.Exec(ctx, `INSERT INTO bench_exact_top10 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, query, f.Account, ids, sims)
	return exact, err
}

// benchSuccessor is a successor who holds five of the accounts (each of another session), made once per
// scratch database.
func benchSuccessor(ctx context.Context, svc *services, accounts []string) (store.Viewer, error) {
	const email = "bench-successor@example.com"
	u, err := svc.store.UserByEmail(ctx, email)
	if err != nil {
		if u, err = svc.store.CreateUser(ctx, store.NewUser{Email: email, Name: "Bench Successor", Role: store.RoleSuccessor}); err != nil {
			return store.Viewer{}, err
		}
	}
	var held []string
	for i := 0; i < len(accounts) && len(held) < 5; i += max(1, len(accounts)/5) + 1 {
		held = append(held, accounts[i])
	}
	if _, err := svc.pool.Exec(ctx, `UPDATE accounts SET successor_id = $1 WHERE name = ANY ($2)`, u.ID, held); err != nil {
		return store.Viewer{}, err
	}
	return store.Viewer{UserID: u.ID, Role: store.RoleSuccessor}, nil
}

// recallQueries is how many queries the unfiltered recall is measured on.
const recallQueries = 50

// overlapShare is the share of the exact top results that approx found, a result counting when it is
// as close as the exact one it stands for: the synthetic corpus repeats texts, and which of several
// identical vectors an index returns is not a miss.
func overlapShare(approx, exact []store.Candidate) float64 {
	if len(exact) == 0 {
		return 1
	}
	const tie = 1e-6
	found := 0
	for i, e := range exact {
		if slices.ContainsFunc(approx, func(a store.Candidate) bool { return a.ChunkID == e.ChunkID }) ||
			i < len(approx) && approx[i].Similarity >= e.Similarity-tie {
			found++
		}
	}
	return float64(found) / float64(len(exact))
}

// seedChunks writes the chunks and their vectors with COPY, building the HNSW index after the load (as
// fast as PostgreSQL can, with the memory to hold the graph), prints how long each took and returns the
// account names to filter by.
func seedChunks(ctx context.Context, w io.Writer, svc *services, texts []string, vecs [][]float32, model string) ([]string, error) {
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
	seeding := time.Now()
	ids := make([]string, len(texts))
	rows := make([][]any, len(texts))
	for i, t := range texts {
		sl := slots[slotOf(i, len(texts))]
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		// Each passage is filed under one of the account topics, as captures file them.
		rows[i] = []any{ids[i], sl.interview, sl.account, sl.message, i, []string{interview.AccountTopics[i%len(interview.AccountTopics)]}, t, ""}
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"chunks"}, []string{"id", "interview_id", "account_id", "message_id", "position", "topics", "text", "context"},
		pgx.CopyFromRows(rows)); err != nil {
		return nil, fmt.Errorf("copy chunks: %w", err)
	}
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"chunk_embeddings"}, []string{"chunk_id", "model", "embedding", "account_id"},
		pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) {
			return []any{ids[i], model, pgvector.NewVector(vecs[i]), slots[slotOf(i, len(ids))].account}, nil
		})); err != nil {
		return nil, fmt.Errorf("copy embeddings: %w", err)
	}
	fmt.Fprintf(w, "search_seed_s %.1f\n", time.Since(seeding).Seconds())
	building := time.Now()
	// The graph is built in memory when it fits in maintenance_work_mem (about 2 GB at a million chunks);
	// otherwise the build goes on on disk, many times slower.
	if _, err := pool.Exec(ctx, `SET maintenance_work_mem = '3GB'; CREATE INDEX chunk_embeddings_offline_hash_v1_idx ON chunk_embeddings
    USING hnsw ((embedding::vector(384)) vector_cosine_ops) `+store.HNSWOptions+` WHERE model = 'offline-hash-v1'; RESET maintenance_work_mem`); err != nil {
		return nil, fmt.Errorf("build the HNSW index: %w", err)
	}
	fmt.Fprintf(w, "search_index_build_s %.1f\n", time.Since(building).Seconds())
	if _, err := pool.Exec(ctx, `ANALYZE chunks; ANALYZE chunk_embeddings`); err != nil {
		return nil, err
	}
	return names, nil
}

// slotOf is the session and account (20 sessions of 10 accounts, numbered session by session) of the
// i-th of n passages, in the order a real corpus is written: one session after another, and within a
// session account by account, an answer's passages together (runs of 25), the CSM coming back to each
// account more than once. So an account's passages lie near one another on disk, as captures write them,
// not one on every page of the table.
func slotOf(i, n int) int {
	const sessions, accounts, run = 20, 10, 25
	per := max(1, (n+sessions-1)/sessions)
	session := min(i/per, sessions-1)
	return session*accounts + (i%per/run)%accounts
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
