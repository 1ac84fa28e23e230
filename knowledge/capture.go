// Package knowledge turns a stored answer into searchable knowledge: the answer is redacted again (in
// case originals are kept), split into chunks by account, mined for findings and embedded. A capture is
// idempotent: running it again for the same message replaces what it wrote with the same rows.
package knowledge

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
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
}

// New returns a capture service that embeds with vectors' models and extracts findings with x (nil: the
// rules).
func New(st *store.Store, vectors *Vectors, x Extractor, log *slog.Logger) *Service {
	if x == nil {
		x = Rules{}
	}
	return &Service{store: st, vectors: vectors, extractor: x, log: log, now: time.Now}
}

// Capture captures one message. Messages that hold no knowledge (the interviewer's, skips) capture
// nothing.
func (s *Service) Capture(ctx context.Context, messageID string) error {
	m, err := s.store.MessageByID(ctx, messageID)
	if err != nil {
		return err
	}
	if m.Role != "csm" || m.Kind != "answer" {
		return nil
	}
	iv, accounts, _, msgs, err := s.store.Snapshot(ctx, m.InterviewID)
	if err != nil {
		return err
	}
	var q store.Message
	for _, x := range msgs {
		if x.ID == m.ReplyTo {
			q = x
		}
	}
	text, _ := redact.Text(m.Content)
	corrections, err := s.store.Corrections(ctx, iv.ID, m.ID)
	if err != nil {
		return err
	}
	text, _ = personal.Remove(text) // reasons for leaving and feelings about the employer are not knowledge
	settled, err := s.store.Attributions(ctx, m.ID)
	if err != nil {
		return err
	}
	names := make([]string, len(accounts))
	book := make([]mention.Account, len(accounts))
	byID := map[string]store.Account{}
	for i, a := range accounts {
		names[i] = a.Name
		book[i] = mention.Account{ID: a.ID, Name: a.Name}
		byID[a.ID] = a
	}
	pieces := split(text, q.AccountID, mention.NewMatcher(book), settled, corrections)
	reader := about.NewReader(book)

	chunks := make([]store.Chunk, len(pieces))
	inputs := make([]string, len(pieces))
	var findings []store.Finding
	for i, p := range pieces {
		accountName := byID[p.accountID].Name
		ctxText := contextOf(accountName, q)
		topics := chunkTopics(reader, p, q)
		chunks[i] = store.Chunk{InterviewID: iv.ID, AccountID: p.accountID, MessageID: m.ID, Position: i, Topics: topics,
			Text: p.text, Context: ctxText, Uncertain: p.uncertain}
		inputs[i] = embedInput(ctxText, p.text)
		// Extraction reads a chunk in the light of the question asked; given the chunk's own topics it finds
		// more people in pasted notes, and more words that are not people.
		for _, f := range s.extractor.Extract(ctx, p.text, extract.Context{Topics: q.Topics, Account: accountName, Accounts: names,
			CSMName: iv.CSMName, Today: m.CreatedAt}) {
			findings = append(findings, store.Finding{InterviewID: iv.ID, AccountID: p.accountID, MessageID: m.ID,
				Type: f.Type, Text: f.Text, Fields: f.Fields, Uncertain: p.uncertain})
		}
	}
	for _, r := range m.Redactions {
		what := strings.ReplaceAll(r.Kind, "_", " ")
		text := "A " + what + " was mentioned in this answer and removed before anything was stored or indexed."
		if r.System != "" {
			text = "A " + what + " for " + r.System + " was mentioned in this answer and removed before anything was stored or indexed."
		}
		findings = append(findings, store.Finding{InterviewID: iv.ID, AccountID: q.AccountID, MessageID: m.ID, Type: CredentialMentioned,
			Text: text, Fields: map[string]string{"kind": r.Kind, "system": r.System}})
	}
	s.embed(ctx, m.ID, chunks, inputs)
	lag, first, err := s.store.SaveCapture(ctx, m.ID, chunks, findings)
	if err != nil {
		return err
	}
	if first {
		metrics.CaptureDone(lag)
	}
	return nil
}

// chunkTopics are the topics of a chunk: those of the question it answered, and every other topic the
// reader finds its sentences cover (a pasted block of notes given to the overview question is about the
// stakeholders and the renewal it lists too).
func chunkTopics(r *about.Reader, p piece, q store.Message) []string {
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
