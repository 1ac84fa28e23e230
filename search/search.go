// Package search finds captured knowledge: a hybrid of vector similarity (pgvector, HNSW) and PostgreSQL
// full-text search, fused by reciprocal rank fusion, with the access rules applied inside the
// SQL. Every result cites the transcript message it came from.
package search

import (
	"context"
	"errors"
	"html"
	"log/slog"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// Models chooses the embedding model a query is embedded with: the one whose vectors are complete
// (knowledge.Vectors). A nil embedder means there is none, and search uses full text alone.
type Models interface {
	ForQuery(ctx context.Context) (embed.Embedder, error)
}

// Fixed is Models that always uses one embedder (benchmarks, tests).
func Fixed(e embed.Embedder) Models { return fixed{e} }

type fixed struct{ e embed.Embedder }

func (f fixed) ForQuery(context.Context) (embed.Embedder, error) { return f.e, nil }

// Service searches.
type Service struct {
	store  *store.Store
	models Models
	writer *Writer // nil: extractive answers
	log    *slog.Logger
}

// New returns a search service.
func New(st *store.Store, m Models, log *slog.Logger) *Service {
	return &Service{store: st, models: m, log: log}
}

// SetWriter makes Ask write its answers with a model. Call it before serving.
func (s *Service) SetWriter(w *Writer) { s.writer = w }

// Query is a search.
type Query struct {
	Text        string
	Account     string // an account's id or name
	Topic       string
	InterviewID string
	Limit       int // 1–50; 0 means 10
}

// Result is one hit.
type Result struct {
	ChunkID     string
	Text        string
	Snippet     string // HTML: the text escaped, with matches in <mark>
	Account     string // "" for portfolio-wide knowledge
	AccountID   string
	Topics      []string
	InterviewID string
	MessageID   string // "" for a passage read from an attachment
	// Attachment is the file the passage was read from (nil for an answer's).
	Attachment *Attachment
	Score      float64
}

// Attachment names the file a passage was read from and the place in it.
type Attachment struct {
	ID       string
	Name     string
	Location string // "page 2", "sheet Renewals"; "" for a file read as one piece
}

// Cite is how the passage names its source: "Q3 QBR deck.pdf, page 2".
func (a *Attachment) Cite() string {
	if a == nil {
		return ""
	}
	if a.Location == "" {
		return a.Name
	}
	return a.Name + ", " + a.Location
}

func hitAttachment(h store.HitAttachment) *Attachment {
	if h.ID == "" {
		return nil
	}
	return &Attachment{ID: h.ID, Name: h.Name, Location: h.Location}
}

// ErrEmptyQuery is returned for a query with no words to search for.
var ErrEmptyQuery = errors.New("the query has no words to search for")

// Fusion parameters, chosen on the labelled set in search_quality_test.go: k damps the influence of
// lower ranks; the text side's weight is lower because ts_rank is a weaker ranker than the embedding
// (PITFALLS: RRF of equal weights can be worse than vectors alone); each side contributes this many
// candidates.
const (
	rrfK          = 60
	vectorWeight  = 1.0
	textWeight    = 0.6
	candidatesPer = 50
	// vectorFloor: a vector-only candidate must be at least this share as similar as the best one.
	vectorFloor = 0.5
)

// Search returns the best chunks for q that v may see.
func (s *Service) Search(ctx context.Context, v store.Viewer, q Query) ([]Result, error) {
	if len(terms(q.Text)) == 0 {
		return nil, ErrEmptyQuery
	}
	// The accounts the question names, however it spells them ("nordhafn", "K&B"), are written out in
	// full for both sides of the search.
	asked, err := s.read(ctx, v, q.Text)
	if err != nil {
		return nil, err
	}
	return s.search(ctx, v, q, asked)
}

// search is Search of a question already read.
func (s *Service) search(ctx context.Context, v store.Viewer, q Query, asked question) ([]Result, error) {
	words := terms(asked.text)
	if len(words) == 0 {
		return nil, ErrEmptyQuery
	}
	query := asked.text
	if len(asked.accounts) > 0 && len(asked.subject) > 0 {
		// The account is searched by filter: its name in the query would only rank the passages that
		// name it above those that answer.
		words, query = asked.subject, strings.Join(asked.subject, " ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, 50)
	model, vec := s.queryVector(ctx, query)
	// Full text looks for the subject's words and their synonyms; a question whose subject only says the
	// intent also for the words the intent is said in: "which competitor is Northwind looking at" finds
	// "three demos with Fleetly".
	tsWords := words
	if len(without(asked.subject, asked.asked)) == 0 {
		tsWords = append(slices.Clone(words), intentKeywords(asked.intent)...)
	}
	tsq := orQuery(expand(tsWords))
	// The search itself, and, for a question that names an account ("who signs at Northwind"), the same
	// search within that account (other accounts' passages are left out below; what is about no account
	// stays); for a question whose intent is asked of some topics ("halden champ?": the stakeholders),
	// the search within the passages filed under them too. They run at once and are fused in this order.
	searches := []store.SearchFilter{{Account: q.Account, Topic: q.Topic, InterviewID: q.InterviewID}}
	var within []store.SearchFilter
	if q.Account == "" {
		for _, name := range asked.accounts {
			within = append(within, store.SearchFilter{Account: name, Topic: q.Topic, InterviewID: q.InterviewID})
		}
	}
	if len(within) == 0 {
		within = append(within, searches[0])
	}
	for i, f := range within {
		if i > 0 || f.Account != q.Account {
			searches = append(searches, f)
		}
		if q.Topic != "" {
			continue
		}
		for _, topic := range asked.topics {
			f.Topic = topic
			searches = append(searches, f)
		}
	}
	type found struct {
		vector, text []store.Candidate
		err          error
	}
	results := make([]found, len(searches))
	var wg sync.WaitGroup
	for i, f := range searches {
		one := func() {
			r := &results[i]
			r.vector, r.text, r.err = s.store.SearchCandidates(ctx, v, f, model, vec, tsq, max(candidatesPer, limit))
		}
		if s.store.Tx() != nil {
			one() // a transaction's statements run one at a time
		} else {
			wg.Go(one)
		}
	}
	wg.Wait()
	scores := map[string]float64{}
	for i, r := range results {
		if r.err != nil {
			return nil, r.err
		}
		// A passage only the vectors found, and much further from the question than the closest, is
		// noise ("None." under a question about something else); not so among the passages filed under
		// what the question asks of the account it names, which say it in words of their own.
		floor := searches[i].Topic == "" || searches[i].Topic == q.Topic
		inText := make(map[string]bool, len(r.text))
		for _, c := range r.text {
			inText[c.ChunkID] = true
		}
		best := 0.0
		for _, c := range r.vector {
			best = max(best, c.Similarity)
		}
		for _, c := range r.vector {
			if floor && !inText[c.ChunkID] && c.Similarity < vectorFloor*best {
				continue
			}
			scores[c.ChunkID] += vectorWeight / float64(rrfK+c.Rank)
		}
		for _, c := range r.text {
			scores[c.ChunkID] += textWeight / float64(rrfK+c.Rank)
		}
	}
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if scores[ids[i]] != scores[ids[j]] {
			return scores[ids[i]] > scores[ids[j]]
		}
		return ids[i] < ids[j]
	})
	keep := max(limit, rerankDepth)
	if q.Account == "" && len(asked.accounts) > 0 {
		keep = max(limit, 100) // some will be another account's
	}
	if len(ids) > keep {
		ids = ids[:keep]
	}
	hits, err := s.store.SearchHits(ctx, ids, tsq)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.SearchHit{}
	for _, h := range hits {
		byID[h.ChunkID] = h
	}
	ids = rerank(ids, byID, scores, asked)
	out := make([]Result, 0, len(ids))
	for _, id := range ids {
		h, ok := byID[id]
		if !ok {
			continue // deleted meanwhile
		}
		if q.Account == "" && len(asked.accounts) > 0 && h.AccountName != "" && !slices.Contains(asked.accounts, h.AccountName) {
			continue // another account's
		}
		out = append(out, Result{ChunkID: id, Text: h.Text, Snippet: markSnippet(h.Snippet), Account: h.AccountName, AccountID: h.AccountID,
			Topics: h.Topics, InterviewID: h.InterviewID, MessageID: h.MessageID, Attachment: hitAttachment(h.Attachment), Score: scores[id]})
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// queryVector embeds the query with the model search uses. When there is none, or the model's endpoint
// fails, the search goes on with full text alone rather than failing the successor.
func (s *Service) queryVector(ctx context.Context, text string) (model string, vec []float32) {
	e, err := s.models.ForQuery(ctx)
	if err == nil && e == nil {
		return "none", nil
	}
	if err == nil {
		var vecs [][]float32
		if vecs, err = e.Embed(ctx, []string{text}); err == nil {
			return e.Model(), vecs[0]
		}
	}
	s.log.Warn("query not embedded; searching full text only", "err", err)
	return "none", nil
}

// markSnippet escapes a headline and turns its \x01…\x02 markers into <mark>: the captured text is
// escaped before any markup is added.
func markSnippet(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "\x01", "<mark>")
	return strings.ReplaceAll(s, "\x02", "</mark>")
}

// terms are a query's words without stop words, lower-cased, safe to put into a tsquery.
func terms(q string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) < 2 || stopWords[w] || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// TextQuery is the full-text query search makes of a question's words before synonyms and intents are
// added: its content words ORed together (what `exitinterview bench` measures the text side with).
func TextQuery(q string) string { return orQuery(terms(q)) }

// orQuery ORs the words: a question in plain words rarely has all its words in the answer
// (websearch_to_tsquery ANDs them and finds nothing for "who signs the contract at Stark").
func orQuery(words []string) string {
	return strings.Join(words, " | ")
}

var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been but by can could did do does doing for from had has have how i if in into
is it its me my no not of on or our out so than that the their them then there these they this those to up us was we were what when
where which who whom why will with would you your about any anyone anything all also just only own same some such very tell know
should shall may might must want need please
whats whos hows wheres whens whys im ive id dont doesnt didnt isnt arent wasnt cant wont ok
going gonna really actually still currently go goes get gets got put thing things stuff next wise
didn doesn isn aren wasn weren don won couldn shouldn wouldn haven hasn`) {
		m[w] = true
	}
	return m
}()

// How the fused candidates are ranked again by what they say: each passage's fused score (as a share of
// the best) is added to the share of the question's content words (or their stems or synonyms) it holds,
// to the closeness in meaning of its closest sentence to them (offline embedder), and to a bonus for each
// of: being filed under a topic the question's intent is asked of, holding a phrase the intent is said in
// ("demos" for "which competitor…"), and naming a person the question names. The content words are the
// subject without the words that only say the intent ("looking" in "which competitor is X looking at"). A
// long answer that names the account everywhere no longer outranks the one sentence that answers.
const (
	rerankDepth    = 30
	overlapWeight  = 0.5
	sentenceWeight = 0.5
	topicWeight    = 0.3
	intentWeight   = 0.2
	nameWeight     = 0.2
)

var offline = embed.NewOffline()

func rerank(ids []string, hits map[string]store.SearchHit, scores map[string]float64, q question) []string {
	if len(q.subject) == 0 || len(ids) < 2 {
		return ids
	}
	content := without(q.subject, q.asked)
	if len(content) == 0 {
		content = q.subject
	}
	n := min(len(ids), rerankDepth)
	best := scores[ids[0]]
	sv := offline.Vector(strings.Join(content, " "))
	final := make(map[string]float64, n)
	for _, id := range ids[:n] {
		h, ok := hits[id]
		if !ok {
			continue
		}
		closest := 0.0
		for _, sentence := range extract.Sentences(h.Text) {
			closest = max(closest, cosine(sv, offline.Vector(sentence)))
		}
		final[id] = scores[id]/best + overlapWeight*overlap(content, h.Text) + sentenceWeight*closest
		if slices.ContainsFunc(h.Topics, func(t string) bool { return slices.Contains(q.topics, t) }) {
			final[id] += topicWeight
		}
		if saysIntent(q.intent, h.Text) {
			final[id] += intentWeight
		}
		if len(q.names) > 0 && overlap(q.names, h.Text) > 0 {
			final[id] += nameWeight
		}
	}
	top := slices.Clone(ids[:n])
	sort.SliceStable(top, func(i, j int) bool { return final[top[i]] > final[top[j]] })
	return append(top, ids[n:]...)
}
