package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Viewer is who searches: the access rules are applied inside the SQL, so a result a viewer
// may not see is never read, counted or ranked.
type Viewer struct {
	UserID string
	Role   Role
}

// id is the viewer's user id for a query, or the nil UUID (which matches no user) when it is not a
// valid UUID.
func (v Viewer) id() string {
	if !ValidUUID(v.UserID) {
		return "00000000-0000-0000-0000-000000000000"
	}
	return v.UserID
}

// SearchFilter narrows a search. Account is an account's id or its name (any interview's).
type SearchFilter struct {
	Account     string
	Topic       string
	InterviewID string
	// Exact skips the HNSW index for an exact nearest-neighbour scan: the reference that
	// `exitinterview bench` measures the index's recall against.
	Exact bool
}

// Candidate is a chunk id with its rank in one of the two searches (1 is best).
type Candidate struct {
	ChunkID string
	Rank    int
	// Similarity is a vector candidate's cosine similarity to the query (0 for full-text candidates).
	Similarity float64
}

// visibleSQL is the access rule for a chunk c of interview i, with $1 the role and $2 the user id:
// admins see everything; managers their own sessions; successors the chunks of their accounts and the
// portfolio-wide chunks of sessions in which they hold at least one account, and, in a session that
// shows successors only what the CSM approved, only approved ones; never a chunk whose account is a
// guess (it may be about another account) until the CSM has said which account it is about.
const visibleSQL = `(
    $1 = 'admin'
    OR ($1 = 'manager' AND i.manager_id = $2::uuid)
    OR ($1 = 'successor' AND NOT c.account_uncertain AND (
        (c.account_id IS NOT NULL AND EXISTS (SELECT 1 FROM accounts sa WHERE sa.id = c.account_id AND sa.successor_id = $2::uuid
            AND (NOT i.successors_after_approval OR sa.approved_at IS NOT NULL)))
        OR (c.account_id IS NULL AND EXISTS (SELECT 1 FROM accounts sa WHERE sa.interview_id = c.interview_id AND sa.successor_id = $2::uuid)
            AND (NOT i.successors_after_approval OR i.portfolio_approved_at IS NOT NULL))
    ))
)`

// filterSQL is the condition of SearchFilter f on chunk c, with $3 the account ids (resolved from the
// name first), $4 the topic, $5 the interview and $8 the sessions whose portfolio-wide passages are in
// scope too (see searchScope). Only the filters set are written, so that each can use its index whatever
// plan PostgreSQL keeps for the statement.
func filterSQL(f SearchFilter, sc searchScope) string {
	// The first condition holds always; it names the parameters, which PostgreSQL must see to type.
	conds := []string{"num_nulls($3::uuid[], $4::text, $5::text, $8::uuid[]) >= 0"}
	switch {
	case sc.portfolios != nil:
		conds = append(conds, "(c.account_id = ANY ($3::uuid[]) OR (c.account_id IS NULL AND c.interview_id = ANY ($8::uuid[])))")
	case sc.accounts != nil:
		conds = append(conds, "c.account_id = ANY ($3::uuid[])")
	}
	if f.Topic != "" {
		conds = append(conds, "c.topics @> ARRAY[$4::text]")
	}
	if f.InterviewID != "" {
		conds = append(conds, "c.interview_id::text = $5")
	}
	return strings.Join(conds, " AND ")
}

// textPool is how many full-text matches a search ranks at most (see SearchCandidates).
const textPool = 1000

var modelName = regexp.MustCompile(`^[A-Za-z0-9._:/-]{1,100}$`)

// SearchCandidates runs the two searches of a hybrid search: the nearest chunks to vec by cosine
// distance (HNSW, for the model's own partial index) and the best full-text matches of tsquery. Each
// returns at most limit candidates in rank order.
func (s *Store) SearchCandidates(ctx context.Context, v Viewer, f SearchFilter, model string, vec []float32, tsquery string, limit int) (vector, text []Candidate, err error) {
	if !modelName.MatchString(model) {
		return nil, nil, fmt.Errorf("search: unusable model name %q", model)
	}
	userID := v.id()
	var sc searchScope
	switch {
	case f.Account != "":
		rows, err := s.q.Query(ctx, `SELECT id::text FROM accounts WHERE id::text = $1 OR lower(name) = lower($1)`, f.Account)
		if err != nil {
			return nil, nil, fmt.Errorf("resolve account filter: %w", err)
		}
		if sc.accounts, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return nil, nil, fmt.Errorf("resolve account filter: %w", err)
		}
		if len(sc.accounts) == 0 {
			return nil, nil, nil
		}
	case v.Role == RoleSuccessor:
		// A successor sees only their accounts' passages and the portfolio-wide ones of the sessions they
		// hold an account in (the access rule decides which of those): the search reads just those, as a
		// search within accounts does, instead of testing the rule on every passage of every session (seconds
		// at a million chunks, where a successor's accounts hold a few per cent of them).
		err := s.q.QueryRow(ctx, `SELECT coalesce(array_agg(id::text), '{}'), coalesce(array_agg(DISTINCT interview_id::text), '{}')
FROM accounts WHERE successor_id = $1::uuid`, userID).Scan(&sc.accounts, &sc.portfolios)
		if err != nil {
			return nil, nil, fmt.Errorf("a successor's accounts: %w", err)
		}
		if len(sc.accounts) == 0 {
			return nil, nil, nil
		}
	}
	vectorSQL, textSQL := searchStatements(model, len(vec), f, sc)
	// The two searches run at once, each in a read-only transaction of its own on its own connection
	// (inside a caller's transaction, one after the other in it).
	run := func(q string, args ...any) ([]Candidate, error) {
		var out []Candidate
		err := s.InTransaction(ctx, func(tx *Store) error {
			if err := tx.searchSettings(ctx, f.Exact); err != nil {
				return err
			}
			var err error
			out, err = collectCandidates(tx.q.Query(ctx, q, args...))
			return err
		})
		return out, err
	}
	var vectorErr, textErr error
	var wg sync.WaitGroup
	if len(vec) > 0 {
		search := func() {
			vector, vectorErr = run(vectorSQL, string(v.Role), userID, sc.accounts, f.Topic, f.InterviewID, pgvector.NewVector(vec), limit, sc.portfolios)
		}
		if s.Tx() == nil && strings.TrimSpace(tsquery) != "" {
			wg.Go(search)
		} else {
			search()
		}
	}
	if strings.TrimSpace(tsquery) != "" {
		text, textErr = run(textSQL, string(v.Role), userID, sc.accounts, f.Topic, f.InterviewID, tsquery, limit, sc.portfolios)
	}
	wg.Wait()
	if vectorErr != nil {
		return nil, nil, fmt.Errorf("vector search: %w", vectorErr)
	}
	if textErr != nil {
		return nil, nil, fmt.Errorf("text search: %w", textErr)
	}
	return vector, text, nil
}

// searchScope is the passages a search reads at most, before the access rule and the filters: those of
// accounts (nil: any account's, and those about none) and, when portfolios is not nil, the ones about no
// account of those sessions as well.
type searchScope struct {
	accounts, portfolios []string
}

// searchStatements are the two statements of SearchCandidates, for the model's vectors of dims
// dimensions, filter f and scope sc. Their parameters are the role ($1), the user id ($2), the scope's
// accounts ($3), the topic ($4), the interview ($5), the query vector or the full-text query ($6), the
// limit ($7) and the scope's sessions ($8).
func searchStatements(model string, dims int, f SearchFilter, sc searchScope) (vectorSQL, textSQL string) {
	// The model and dimension are written into the SQL, not bound: PostgreSQL uses a partial index only
	// when the query's condition matches the index predicate at planning time. So is whether the search is
	// within accounts: the vectors' own account column then lets it read just those accounts' vectors
	// (and order them exactly) where walking the graph past the other accounts would cost more.
	accountCond := ""
	switch {
	case sc.portfolios != nil:
		accountCond = "AND (e.account_id = ANY ($3::uuid[]) OR e.account_id IS NULL)"
	case sc.accounts != nil:
		accountCond = "AND e.account_id = ANY ($3::uuid[])"
	}
	vectorSQL = `
SELECT c.id::text, 1 - (e.embedding::%[4]s <=> $6::%[4]s) FROM chunk_embeddings e
JOIN chunks c ON c.id = e.chunk_id
JOIN interviews i ON i.id = c.interview_id
WHERE e.model = '%[1]s' %[5]s AND %[2]s AND %[3]s
ORDER BY e.embedding::%[4]s <=> $6::%[4]s
LIMIT $7`
	if sc.accounts != nil {
		// Within accounts every vector of theirs is measured (exactly), and only the distances are carried
		// on: sorting or hashing whole 1.5 kB vectors spilled to disk at a successor's 25,000 passages.
		vectorSQL = `
WITH d AS MATERIALIZED (
    SELECT e.chunk_id, e.embedding::%[4]s <=> $6::%[4]s AS distance FROM chunk_embeddings e
    WHERE e.model = '%[1]s' %[5]s)
SELECT c.id::text, 1 - d.distance FROM d
JOIN chunks c ON c.id = d.chunk_id
JOIN interviews i ON i.id = c.interview_id
WHERE %[2]s AND %[3]s
ORDER BY d.distance
LIMIT $7`
	}
	vectorSQL = fmt.Sprintf(vectorSQL, model, visibleSQL, filterSQL(f, sc), vectorCast(dims), accountCond)
	// Full text ranks at most textPool matches: a question of common words ("renewal risk") matches a
	// large share of a big corpus, and ranking every match is what would make it slow. Up to that many
	// matches (any account's passages, in practice) the ranking is complete. The query is written where
	// it is used, not read from a CTE, so that the planner sees it and knows how many passages it
	// matches: for common words, reading passages in order until textPool match is then far cheaper than
	// the term index, which collects every match first (a third of a million at a million chunks).
	// Within accounts (those asked for, or a successor's) their own passages are matched one by one
	// (ts_match_vq is @@ in a form no index serves): there are a few thousand an account, where the term
	// index would again collect every match in the corpus before keeping the accounts'.
	match := "c.tsv @@ to_tsquery('english', $6)"
	if sc.accounts != nil {
		match = "ts_match_vq(c.tsv, to_tsquery('english', $6))"
	}
	textSQL = fmt.Sprintf(`
WITH m AS MATERIALIZED (
    SELECT c.id, c.tsv, c.created_at FROM chunks c JOIN interviews i ON i.id = c.interview_id
    WHERE %s AND %s AND %s
    LIMIT %d)
SELECT m.id::text FROM m
ORDER BY ts_rank_cd(m.tsv, to_tsquery('english', $6), 32) DESC, m.created_at DESC
LIMIT $7`, match, visibleSQL, filterSQL(f, sc), textPool)
	return vectorSQL, textSQL
}

// searchSettings are a search transaction's settings. ef_search 100 finds 0.99 of the exact top 10 at
// 100,000 chunks and 0.96–0.98 at a million (40 finds 0.94 there, 200 no more than 100); iterative scans
// keep a filtered search from coming back short (pgvector 0.8). Each execution is planned for its own parameters: a
// generic plan cannot tell an admin from a successor, so it guesses the access rule keeps few chunks and
// sorts all of them by distance instead of walking the index (seconds at a million chunks); nor can it
// see the full-text query, and so how many passages it matches. Exact turns the HNSW index off, for an
// exact nearest-neighbour scan.
func (s *Store) searchSettings(ctx context.Context, exact bool) error {
	settings := `SET LOCAL hnsw.ef_search = 100; SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL plan_cache_mode = force_custom_plan`
	if exact {
		settings += `; SET LOCAL enable_indexscan = off`
	}
	_, err := s.q.Exec(ctx, settings)
	return err
}

// collectCandidates reads candidates in rank order: an id, and for vector candidates their similarity.
func collectCandidates(rows pgx.Rows, err error) ([]Candidate, error) {
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Candidate, error) {
		var c Candidate
		var err error
		if len(r.FieldDescriptions()) == 2 {
			err = r.Scan(&c.ChunkID, &c.Similarity)
		} else {
			err = r.Scan(&c.ChunkID)
		}
		return c, err
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, err
}

// SearchHit is a chunk as a search shows it.
type SearchHit struct {
	ChunkID     string
	Text        string
	Snippet     string // the text with matches between \x01 and \x02, for the caller to escape and mark
	AccountID   string
	AccountName string
	Topics      []string
	InterviewID string
	MessageID   string // "" for a passage of an attachment
	// Attachment is the file a passage was read from (zero for an answer's).
	Attachment HitAttachment
	CreatedAt  string
}

// HitAttachment names the file a passage was read from and its place in it.
type HitAttachment struct {
	ID       string
	Name     string
	Location string
}

// SearchHits loads the given chunks (already access-checked by SearchCandidates), with a highlighted
// snippet for tsquery, in no particular order.
func (s *Store) SearchHits(ctx context.Context, ids []string, tsquery string) ([]SearchHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if strings.TrimSpace(tsquery) == "" {
		tsquery = "''"
	}
	rows, err := s.q.Query(ctx, `
SELECT c.id::text, c.text,
       ts_headline('english', c.text, to_tsquery('english', $2),
                   'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', HighlightAll=true'),
       coalesce(a.id::text, ''), coalesce(a.name, ''), c.topics, c.interview_id::text, coalesce(c.message_id::text, ''),
       coalesce(c.attachment_id::text, ''), coalesce(f.name, ''), c.location, c.created_at::text
FROM chunks c LEFT JOIN accounts a ON a.id = c.account_id LEFT JOIN attachments f ON f.id = c.attachment_id
WHERE c.id = ANY ($1::uuid[])`, ids, tsquery)
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SearchHit, error) {
		var h SearchHit
		err := r.Scan(&h.ChunkID, &h.Text, &h.Snippet, &h.AccountID, &h.AccountName, &h.Topics, &h.InterviewID, &h.MessageID,
			&h.Attachment.ID, &h.Attachment.Name, &h.Attachment.Location, &h.CreatedAt)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("search hits: %w", err)
	}
	return out, nil
}

// MessageVisible reports whether v may read a transcript message: admins and the session's manager
// always; a successor when a chunk captured from it is one they may see.
func (s *Store) MessageVisible(ctx context.Context, v Viewer, messageID string) (bool, error) {
	if !ValidUUID(messageID) {
		return false, nil
	}
	userID := v.id()
	var ok bool
	err := s.q.QueryRow(ctx, `
SELECT EXISTS (
    SELECT 1 FROM messages m JOIN interviews i ON i.id = m.interview_id
    WHERE m.id = $3::uuid AND ($1 = 'admin' OR ($1 = 'manager' AND i.manager_id = $2::uuid))
) OR EXISTS (
    SELECT 1 FROM chunks c JOIN interviews i ON i.id = c.interview_id
    WHERE c.message_id = $3::uuid AND `+visibleSQL+`
)`, string(v.Role), userID, messageID).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("message visible: %w", err)
	}
	return ok, nil
}

// VisibleChunks returns the chunks captured from one message that v may see, in order: what a successor
// is shown of a transcript message, instead of the message itself.
func (s *Store) VisibleChunks(ctx context.Context, v Viewer, messageID string) ([]Chunk, error) {
	if !ValidUUID(messageID) {
		return nil, nil
	}
	userID := v.id()
	rows, err := s.q.Query(ctx, `SELECT `+chunkColumns+`
FROM chunks c JOIN interviews i ON i.id = c.interview_id
WHERE c.message_id = $3::uuid AND `+visibleSQL+`
ORDER BY c.position`, string(v.Role), userID, messageID)
	if err != nil {
		return nil, fmt.Errorf("visible chunks of %s: %w", messageID, err)
	}
	out, err := pgx.CollectRows(rows, scanChunk)
	if err != nil {
		return nil, fmt.Errorf("visible chunks of %s: %w", messageID, err)
	}
	return out, nil
}
