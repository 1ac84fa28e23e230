package search

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/exitinterview/exitinterview/store"
)

// Citation is a passage an answer rests on.
type Citation struct {
	ChunkID     string
	MessageID   string
	InterviewID string
	Account     string
	Text        string
}

// Answer is the reply to a question in plain words.
type Answer struct {
	Text      string
	Grounded  bool
	Citations []Citation
}

// Relevance gate, checked on the labelled set and on questions nothing answers: a passage counts as
// answering a question when it shares at least one content word with it (the account's name counts) and
// is close in meaning (cosine ≥ minCosine with the offline embedder), or when it holds two thirds of the
// question's content words. Below that, "not captured" is the honest answer.
const (
	minCosine  = 0.25
	minOverlap = 0.66
	maxCited   = 3
	// maxWritten is how many passages a model answer may draw on.
	maxWritten = 5
)

// Scorer gives the similarity of two texts; the offline embedder's cosine is used for the gate whatever
// model embeds the chunks, so the threshold means the same in every deployment.
type Scorer interface {
	Vector(text string) []float32
}

// Ask answers a question from the knowledge v may see, or, when nothing captured answers it, says so
// instead of guessing. With a model (SetWriter) the answer is written from the passages that pass the
// gate; otherwise, or when the model fails, it is the best sentences of the best passages, each cited.
func (s *Service) Ask(ctx context.Context, v store.Viewer, question, account string, scorer Scorer) (Answer, error) {
	results, err := s.Search(ctx, v, Query{Text: question, Account: account, Limit: 8})
	if err != nil {
		return Answer{}, err
	}
	qv := scorer.Vector(question)
	words := terms(question)
	// Passages keep the search's order (vector and text fused, the named account first); the gate only
	// drops those that do not answer.
	var relevant []Result
	for _, r := range results {
		over := overlap(words, r.Account+" "+r.Text)
		if (over > 0 && cosine(qv, scorer.Vector(r.Text)) >= minCosine) || over >= minOverlap {
			relevant = append(relevant, r)
		}
		if len(relevant) == maxWritten {
			break
		}
	}
	if len(relevant) == 0 {
		return Answer{Text: "Nothing captured so far answers this. The departing CSM may not have been asked about it yet: " +
			"consider asking them while they are still here.", Grounded: false, Citations: []Citation{}}, nil
	}
	if s.writer != nil {
		text, indexes, grounded, err := s.writer.write(ctx, question, relevant)
		if err == nil {
			cites := make([]Citation, len(indexes))
			for i, k := range indexes {
				cites[i] = citationOf(relevant[k])
			}
			return Answer{Text: text, Grounded: grounded, Citations: cites}, nil
		}
		s.log.Warn("model answer refused or failed; answering extractively", "err", err)
	}
	relevant = relevant[:min(len(relevant), maxCited)]
	var parts []string
	var cites []Citation
	for i, r := range relevant {
		sentence := bestSentence(r.Text, qv, words, scorer)
		prefix := ""
		if r.Account != "" {
			prefix = r.Account + ": "
		}
		parts = append(parts, prefix+sentence+" ["+strconv.Itoa(i+1)+"]")
		cites = append(cites, citationOf(r))
	}
	return Answer{Text: strings.Join(parts, "\n"), Grounded: true, Citations: cites}, nil
}

func citationOf(r Result) Citation {
	return Citation{ChunkID: r.ChunkID, MessageID: r.MessageID, InterviewID: r.InterviewID, Account: r.Account, Text: r.Text}
}

// bestSentence picks the sentence of a passage closest to the question.
func bestSentence(text string, qv []float32, words []string, scorer Scorer) string {
	best, bestScore := text, -1.0
	for _, s := range splitSentences(text) {
		score := cosine(qv, scorer.Vector(s)) + overlap(words, s)/2
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		if c := text[i]; (c == '.' || c == '!' || c == '?' || c == ';') && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n') {
			if s := strings.TrimSpace(text[start : i+1]); s != "" {
				out = append(out, s)
			}
			start = i + 1
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// overlap is the share of the question's content words found in text.
func overlap(words []string, text string) float64 {
	if len(words) == 0 {
		return 0
	}
	have := map[string]bool{}
	for _, w := range terms(text) {
		have[w] = true
	}
	n := 0
	for _, w := range words {
		if have[w] {
			n++
		}
	}
	return float64(n) / float64(len(words))
}

func cosine(a, b []float32) float64 {
	if len(a) != len(b) {
		return 0
	}
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
