// Package knowledge turns a stored answer into searchable knowledge: the answer is redacted again (in
// case originals are kept), split into chunks by account, mined for findings and embedded. A capture is
// idempotent: running it again for the same message replaces what it wrote with the same rows.
package knowledge

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/metrics"
	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// CredentialMentioned is the finding type that records where a credential was mentioned (and removed),
// so the report can tell someone to move it into a vault.
const CredentialMentioned = "credential_mentioned"

// Service captures knowledge.
type Service struct {
	store     *store.Store
	vectors   *Vectors
	extractor Extractor
	log       *slog.Logger
	now       func() time.Time
	batches   batches
	reading   chan struct{} // a token per answer being read (maxReading)
	writing   chan struct{} // a token per batch being written (maxWriting)
}

// New returns a capture service that embeds with vectors' models and extracts findings with x (nil: the
// rules).
func New(st *store.Store, vectors *Vectors, x Extractor, log *slog.Logger) *Service {
	if x == nil {
		x = Rules{}
	}
	return &Service{store: st, vectors: vectors, extractor: x, log: log, now: time.Now, reading: make(chan struct{}, maxReading),
		writing: make(chan struct{}, maxWriting)}
}

// maxReading is how many answers a process reads (extracts and embeds) at once, however many capture
// workers run: reading is the CPU-bound part of a capture, and two of them at most never take a 2-core
// machine from the CSMs' turns, while the other workers' captures wait on the database (or on a batch,
// see batches) rather than on the CPU.
const maxReading = 2

// maxWriting is how many batches of captures (see batches) a process writes at once. Writing one derives
// its interview's facts again (CPU here and in the database), and sixteen workers capturing answers of
// sixteen interviews must not write them all at once while the CSMs' turns wait for the CPU. A burst of
// one interview's answers is written one batch at a time anyway: `bench --only capture --interviews 20`
// drained 130–172 answers a second with two slots, 143–145 with four and 140–145 with no limit (three
// runs each, taking turns, load 4.4–5.9).
const maxWriting = 2

// Capture captures one message. Messages that hold no knowledge (the interviewer's, skips) capture
// nothing.
func (s *Service) Capture(ctx context.Context, messageID string) error {
	src, err := s.store.CaptureSource(ctx, messageID)
	if err != nil {
		return err
	}
	m := src.Message
	if m.Role != "csm" || m.Kind != "answer" {
		return nil
	}
	r, err := s.readAndEmbed(ctx, src)
	if err != nil {
		return err
	}
	chunks, findings := r.chunks, r.findings
	for _, red := range m.Redactions {
		what := strings.ReplaceAll(red.Kind, "_", " ")
		text := "A " + what + " was mentioned in this answer and removed before anything was stored or indexed."
		if red.System != "" {
			text = "A " + what + " for " + red.System + " was mentioned in this answer and removed before anything was stored or indexed."
		}
		findings = append(findings, store.Finding{InterviewID: m.InterviewID, AccountID: r.question.AccountID, MessageID: m.ID,
			Type: CredentialMentioned, Text: text, Fields: map[string]string{"kind": red.Kind, "system": red.System}})
	}
	saved, err := s.commit(ctx, m.InterviewID, store.Capture{MessageID: m.ID, Chunks: chunks, Findings: findings})
	if err != nil {
		return err
	}
	if saved.First {
		metrics.CaptureDone(saved.Lag)
	}
	return nil
}

// readAndEmbed reads an answer and embeds its chunks when its turn to read comes (maxReading).
func (s *Service) readAndEmbed(ctx context.Context, src store.CaptureSource) (reading, error) {
	select {
	case s.reading <- struct{}{}:
		defer func() { <-s.reading }()
	case <-ctx.Done():
		return reading{}, ctx.Err()
	}
	r := s.read(ctx, src, s.extractor)
	s.embed(ctx, src.Message.ID, r.chunks, r.inputs)
	return r, nil
}

// reading is what one answer says: its chunks (with what each is embedded from) and findings.
type reading struct {
	question store.Message
	chunks   []store.Chunk
	inputs   []string
	findings []store.Finding
}

// read splits an answer by account (as the CSM settled it, with their corrections) and mines each piece
// with x.
func (s *Service) read(ctx context.Context, src store.CaptureSource, x Extractor) reading {
	m, q, iv := src.Message, src.Question, src.Interview
	r := reading{question: q}
	text, _ := redact.Text(m.Content)
	text, _ = personal.Remove(text) // reasons for leaving and feelings about the employer are not knowledge
	names := make([]string, len(src.Accounts))
	book := make([]mention.Account, len(src.Accounts))
	byID := map[string]store.Account{}
	for i, a := range src.Accounts {
		names[i] = a.Name
		book[i] = mention.Account{ID: a.ID, Name: a.Name}
		byID[a.ID] = a
	}
	pieces := split(text, q.AccountID, mention.NewMatcher(book), src.Attributions, src.Corrections)
	reader := about.NewReader(book)
	for _, p := range pieces {
		if about.SaysNothing(p.text) {
			continue // "no", "see above", "the usual people": kept in the transcript, not knowledge
		}
		accountName := byID[p.accountID].Name
		ctxText := contextOf(accountName, q)
		r.chunks = append(r.chunks, store.Chunk{InterviewID: iv.ID, AccountID: p.accountID, MessageID: m.ID, Position: len(r.chunks),
			Topics: chunkTopics(reader, p, m, q), Text: p.text, Context: ctxText, Uncertain: p.uncertain})
		r.inputs = append(r.inputs, embedInput(ctxText, p.text))
		// Extraction reads a chunk in the light of the question asked; given the chunk's own topics it finds
		// more people in pasted notes, and more words that are not people.
		for _, f := range x.Extract(ctx, p.text, extract.Context{Topics: q.Topics, Account: accountName, Accounts: names,
			CSMName: iv.CSMName, Today: m.CreatedAt}) {
			r.findings = append(r.findings, store.Finding{InterviewID: iv.ID, AccountID: p.accountID, MessageID: m.ID,
				Type: f.Type, Text: f.Text, Fields: f.Fields, Uncertain: p.uncertain, Confidence: f.Confidence})
		}
	}
	return r
}

// RefreshFacts brings an interview's facts up to date with every answer stored so far: those whose
// capture has not completed are read by the rules here (fast, no model, nothing stored of them but the
// facts), so that a read-back shown right after an answer already holds it. Their capture refreshes the
// facts again when it completes.
func (s *Service) RefreshFacts(ctx context.Context, interviewID string) error {
	ids, err := s.store.UncapturedAnswers(ctx, interviewID)
	if err != nil {
		return err
	}
	var pending []store.Finding
	for _, id := range ids {
		src, err := s.store.CaptureSource(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			continue // deleted since
		}
		if err != nil {
			return err
		}
		pending = append(pending, s.read(ctx, src, Rules{}).findings...)
	}
	return facts.Refresh(ctx, s.store, interviewID, pending)
}

// chunkTopics are the topics of a chunk: those of the question it answered, and every other topic the
// reader finds its sentences cover (a pasted block of notes given to the overview question is about the
// stakeholders and the renewal it lists too). Once the CSM filed the answer under topics of their own,
// the chunk has those of them that are about its account or the portfolio, whatever the question was.
func chunkTopics(r *about.Reader, p piece, m, q store.Message) []string {
	if m.Filed != nil {
		var topics []string
		for _, f := range m.Filed {
			if (f.AccountID == "" || f.AccountID == p.accountID) && !slices.Contains(topics, f.Topic) {
				topics = append(topics, f.Topic)
			}
		}
		if len(topics) > 0 {
			return topics
		}
	}
	topics := append([]string(nil), q.Topics...)
	for _, c := range about.Covers(r.Read(p.text, about.Question{AccountID: p.accountID, Topics: q.Topics})) {
		if !slices.Contains(topics, c.Topic) {
			topics = append(topics, c.Topic)
		}
	}
	return topics
}

// embed gives the chunks their vectors. A model that fails leaves its vectors out: the chunks and
// findings are stored all the same (full-text search finds them at once) and the background
// re-embedding fills the gap when the model answers again.
func (s *Service) embed(ctx context.Context, messageID string, chunks []store.Chunk, inputs []string) {
	if len(inputs) == 0 {
		return
	}
	for _, e := range s.vectors.forCapture(ctx) {
		vecs, err := e.Embed(ctx, inputs)
		if err != nil {
			s.log.Warn("capture stored without vectors of a model; re-embedding will add them", "message_id", messageID,
				"model", e.Model(), "err", err)
			continue
		}
		for i := range chunks {
			if chunks[i].Embeddings == nil {
				chunks[i].Embeddings = map[string][]float32{}
			}
			chunks[i].Embeddings[e.Model()] = vecs[i]
		}
	}
}

// contextOf says what a chunk answers: the account and the question asked.
func contextOf(account string, q store.Message) string {
	parts := []string{}
	if account != "" {
		parts = append(parts, account)
	}
	if q.Content != "" {
		question := q.Content
		if len(question) > 400 {
			question = question[:400]
		}
		parts = append(parts, question)
	}
	return strings.Join(parts, ": ")
}
