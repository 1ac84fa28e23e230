package search

import (
	"context"
	"math"
	"sort"
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

// Relevance gates, measured on the labelled set (search_quality_test.go): a passage counts as answering
// a question when its cosine similarity to the question (offline embedder) reaches minCosine, or when it
// holds at least half of the question's content words. Below both, "not captured" is the honest answer.
const (
	minCosine  = 0.30
	minOverlap = 0.5
	maxCited   = 3
)

// Scorer gives the similarity of two texts; the offline embedder's cosine is used for the gate whatever
// model embeds the chunks, so the threshold means the same in every deployment.
type Scorer interface {
	Vector(text string) []float32
}

// Ask answers a question from the knowledge v may see: the best sentences of the best passages, each
// cited; or, when nothing captured answers it, says so instead of guessing.
func (s *Service) Ask(ctx context.Context, v store.Viewer, question, account string, scorer Scorer) (Answer, error) {
	results, err := s.Search(ctx, v, Query{Text: question, Account: account, Limit: 8})
	if err != nil {
		return Answer{}, err
	}
	qv := scorer.Vector(question)
	words := terms(question)
	type scored struct {
		r     Result
		score float64
	}
	var relevant []scored
	for _, r := range results {
		cos := cosine(qv, scorer.Vector(r.Text))
		over := overlap(words, r.Text)
		if cos >= minCosine || over >= minOverlap {
			relevant = append(relevant, scored{r, cos + over/2})
		}
	}
	if len(relevant) == 0 {
		return Answer{Text: "Nothing captured so far answers this. The departing CSM may not have been asked about it yet: " +
			"consider asking them while they are still here.", Grounded: false, Citations: []Citation{}}, nil
	}
	sort.SliceStable(relevant, func(i, j int) bool { return relevant[i].score > relevant[j].score })
	if len(relevant) > maxCited {
		relevant = relevant[:maxCited]
	}
	var parts []string
	var cites []Citation
	for i, sc := range relevant {
		sentence := bestSentence(sc.r.Text, qv, words, scorer)
		prefix := ""
		if sc.r.Account != "" {
			prefix = sc.r.Account + ": "
		}
		parts = append(parts, prefix+sentence+" ["+strconv.Itoa(i+1)+"]")
		cites = append(cites, Citation{ChunkID: sc.r.ChunkID, MessageID: sc.r.MessageID, InterviewID: sc.r.InterviewID,
			Account: sc.r.Account, Text: sc.r.Text})
	}
	return Answer{Text: strings.Join(parts, "\n"), Grounded: true, Citations: cites}, nil
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
