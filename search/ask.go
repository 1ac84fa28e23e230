package search

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/gazetteer"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/store"
)

// Citation is a passage an answer rests on.
type Citation struct {
	ChunkID     string
	MessageID   string // "" for a passage read from an attachment
	Attachment  *Attachment
	InterviewID string
	Account     string
	Text        string
}

// Answer is the reply to a question in plain words.
type Answer struct {
	Text     string
	Grounded bool
	// Outcome is what Ask could do: OutcomeAnswer (it answers from passages that answer the question,
	// cited), OutcomeNearest (nothing answers it for certain: the nearest passages, cited, may help) or
	// OutcomeNothing (nothing captured is near it).
	Outcome   string
	Citations []Citation
	// Accounts are the names of the accounts the question names, however it spelt them.
	Accounts []string
}

// Ask's outcomes.
const (
	OutcomeAnswer  = "answer"
	OutcomeNearest = "nearest"
	OutcomeNothing = "nothing"
)

// Relevance gate, checked on the labelled set and on questions nothing answers. A question is read for
// the accounts it names (mention.FindLoose: "nordhafn", "K&B") and its subject, its other content words.
// A passage of another account than the one named never answers. A passage answers when it shares a
// third of the subject's words (one of "who signs"; not one of "who fixed the bugs in the mobile app last
// spring") and is close to the subject in meaning (cosine ≥ minCosine with the offline embedder), or
// holds two thirds of the subject's words; it is near when it shares a subject word or is somewhat close
// in meaning (cosine ≥ nearCosine). Nothing near: "not captured" is the honest answer; near passages are
// shown as ones that may help, never as an answer.
const (
	minCosine  = 0.25
	nearCosine = 0.15
	minShare   = 0.33
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

// question is a question as Ask reads it.
type question struct {
	text     string   // as asked, with the accounts it names written out in full
	accounts []string // the names of the accounts it names
	subject  []string // its content words besides the accounts' names
	names    []string // the subject's words that name a person ("stephanie", "park")
	intent   string   // what it asks (prompts/intents.txt), "" when no intent reads it
	topics   []string // the interview topics the intent is asked of
	kind     string   // the kind of thing it asks for (answerKind), "" for none
	ours     bool     // it asks about the CSM's own company ("our own leave policy"), not a customer
	next     bool     // it asks about the next or upcoming one ("when is the next QBR")
	scorer   Scorer   // the similarity Ask's gate reads (nil: words alone)
	// compounds are the phrases of the question whose words mean something else together ("risk team").
	compounds [][]string
	unsaid    bool   // a content word of it is in none of the passages found for it (weigh)
	anchor    string // the content word the fewest of them hold, that an answering sentence must hold
	// asked are the subject's words that only say what the intent is ("open" in "what's open at halden"):
	// a passage filed under a topic that answers the intent by itself holds them.
	asked   []string
	visible []store.NamedAccount
	matcher *mention.Matcher  // finds the accounts v may see in a text
	byID    map[string]string // their names by id
}

// read reads a question for the accounts it names among those v may see, and its subject.
func (s *Service) read(ctx context.Context, v store.Viewer, text string) (question, error) {
	visible, err := s.store.VisibleAccountNames(ctx, v, 2000)
	if err != nil {
		return question{}, err
	}
	book := make([]mention.Account, len(visible))
	names := map[string]string{}
	for i, a := range visible {
		book[i] = mention.Account{ID: a.ID, Name: a.Name}
		names[a.ID] = a.Name
	}
	q := question{text: text, visible: visible, matcher: mention.NewMatcher(book), byID: names}
	var rest, written strings.Builder
	at := 0
	for _, h := range q.matcher.FindLoose(text) {
		name := names[h.AccountID]
		if !slices.Contains(q.accounts, name) {
			q.accounts = append(q.accounts, name)
		}
		rest.WriteString(text[at:h.Start] + " ")
		written.WriteString(text[at:h.Start] + name)
		at = h.End
	}
	rest.WriteString(text[at:])
	written.WriteString(text[at:])
	q.text = written.String()
	// The departing CSM is named in a question about their own ways ("marisol's tracker"), never in their
	// answers: their name is no word to search for.
	csm := map[string]bool{}
	for _, a := range visible {
		for _, w := range terms(a.CSM) {
			csm[w] = true
		}
	}
	for _, w := range terms(rest.String()) {
		if !csm[w] {
			q.subject = append(q.subject, w)
		}
	}
	if len(q.subject) == 0 {
		q.subject = terms(text) // "northwind?": the account is the subject
	}
	q.names = peopleNamed(rest.String(), q.subject)
	q.intent = intentOf(rest.String())
	q.topics = intentTopics(q.intent)
	q.asked = intentWords(q.intent, rest.String(), q.subject)
	for _, p := range intents().phrases["not"] {
		if holds(plainWords(rest.String()), p) {
			q.compounds = append(q.compounds, p)
		}
	}
	q.kind = answerKind(rest.String(), q.intent)
	q.ours = asksOfUs(plainWords(text))
	q.next = asksNext(plainWords(rest.String()))
	return q, nil
}

// Ask answers a question from the knowledge v may see. When passages answer it, the answer is written
// from them (with a model, SetWriter), or is their best sentences, each cited; when none does for
// certain but some are near, it says so and cites them; only when nothing is near does it say that
// nothing captured answers it.
func (s *Service) Ask(ctx context.Context, v store.Viewer, text, account string, scorer Scorer) (Answer, error) {
	q, err := s.read(ctx, v, text)
	if err != nil {
		return Answer{}, err
	}
	if account != "" {
		q.accounts = []string{account}
	}
	if len(q.accounts) == 1 {
		// What the question asks may be a fact understood of the account: the decider, the champion, the
		// renewal, the risk and why, the promises… A model, when there is one, writes the answer from the
		// passages the facts were understood from.
		a, ok, err := s.fromFacts(ctx, v, q, q.accounts[0])
		if err != nil || ok && s.writer == nil {
			return a, err
		}
		if ok {
			var passages []Result
			for _, c := range a.Citations {
				passages = append(passages, Result{ChunkID: c.ChunkID, MessageID: c.MessageID, Attachment: c.Attachment, InterviewID: c.InterviewID, Account: c.Account, Text: c.Text})
			}
			if w, ok := s.written(ctx, text, passages, nil); ok {
				return w, nil
			}
			return a, nil
		}
	}
	results, err := s.search(ctx, v, Query{Text: q.text, Account: account, Limit: 8}, q)
	if err != nil {
		return Answer{}, err
	}
	sv := scorer.Vector(strings.Join(q.subject, " "))
	q.scorer = scorer
	q.weigh(results)
	// Passages keep the search's order (vector and text fused, reranked; another account than the one
	// named is already left out); the gate only sorts them into those that answer and those that are near.
	var relevant, near []Result
	for _, r := range results {
		over, sim := overlap(q.subject, r.Text), cosine(sv, scorer.Vector(r.Text))
		s.log.Debug("ask: a passage weighed", "subject", q.subject, "intent", q.intent, "kind", q.kind, "share", q.share(r), "similarity", sim,
			"answers", q.answersIn(r, time.Now()), "chunk_id", r.ChunkID)
		switch {
		case q.share(r) >= minShare && q.answersIn(r, time.Now()):
			if len(relevant) < maxWritten {
				relevant = append(relevant, r)
			}
		case over > 0 || sim >= nearCosine || q.filedUnder(r):
			near = append(near, r)
		}
	}
	near = near[:min(len(near), maxCited)]
	out := Answer{Accounts: q.accounts, Citations: []Citation{}}
	if len(relevant) == 0 && len(near) == 0 {
		out.Outcome = OutcomeNothing
		out.Text = "Nothing captured so far answers this. The departing CSM may not have been asked about it yet: " +
			"consider asking them while they are still here."
		return out, nil
	}
	if s.writer != nil {
		passages := relevant
		if len(passages) == 0 {
			passages = near
		}
		if w, ok := s.written(ctx, text, passages, near); ok {
			w.Accounts = q.accounts
			return w, nil
		}
	}
	if len(relevant) == 0 {
		out.Outcome = OutcomeNearest
		parts := []string{"I'm not certain anything captured answers this; these passages may help:"}
		for i, r := range near {
			parts = append(parts, said(r, bestSentence(r.Text, sv, q.subject, scorer), i))
			out.Citations = append(out.Citations, citationOf(r))
		}
		out.Text = strings.Join(parts, "\n")
		return out, nil
	}
	out.Outcome, out.Grounded = OutcomeAnswer, true
	relevant = relevant[:min(len(relevant), maxCited)]
	var parts []string
	for i, r := range relevant {
		parts = append(parts, said(r, bestSentence(r.Text, sv, q.subject, scorer), i))
		out.Citations = append(out.Citations, citationOf(r))
	}
	out.Text = strings.Join(parts, "\n")
	return out, nil
}

// written is the model's answer from passages: grounded, citing those it used; or, when it finds no
// answer in them, its words, with the near passages cited (OutcomeNearest) or none (OutcomeNothing). ok
// is false when the model failed or its answer was not held to the passages: answer without it.
func (s *Service) written(ctx context.Context, question string, passages, near []Result) (Answer, bool) {
	text, indexes, grounded, err := s.writer.write(ctx, question, passages)
	if err != nil {
		s.log.Warn("model answer refused or failed; answering extractively", "err", err)
		return Answer{}, false
	}
	out := Answer{Text: text, Grounded: grounded, Outcome: OutcomeAnswer, Citations: []Citation{}}
	if grounded {
		for _, k := range indexes {
			out.Citations = append(out.Citations, citationOf(passages[k]))
		}
		return out, true
	}
	out.Outcome = OutcomeNothing
	if len(near) > 0 {
		out.Outcome = OutcomeNearest
		out.Text += "\n\nThese passages may help:"
		for i, r := range near {
			out.Text += "\n" + said(r, r.Text, i)
			out.Citations = append(out.Citations, citationOf(r))
		}
	}
	return out, true
}

// peopleNamed are the words of subject that name people in text: those the recogniser takes for a
// person, a common given name however it is written ("stephanie"), and the word right after a given name
// that has no possessive of its own and is no word of prompts/synonyms.txt ("stephanie park's": "park";
// not "lukas's manager", "did priya demo").
func peopleNamed(text string, subject []string) []string {
	var out []string
	add := func(w string) {
		if slices.Contains(subject, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	for _, p := range extract.People(text, nil) {
		for _, w := range terms(p.Name) {
			add(w)
		}
	}
	raw := strings.Fields(strings.ToLower(text))
	for i, w := range raw {
		bare := strings.TrimRight(w, "?!.,;:")
		possessive := strings.HasSuffix(bare, "'s") || strings.HasSuffix(bare, "’s")
		bare = strings.TrimSuffix(strings.TrimSuffix(bare, "'s"), "’s")
		if !gazetteer.GivenName(bare) {
			continue
		}
		add(bare)
		if !possessive && i+1 < len(raw) {
			next := strings.TrimSuffix(strings.TrimSuffix(strings.TrimRight(raw[i+1], "?!.,;:"), "'s"), "’s")
			if _, known := synonyms()[next]; !known {
				add(next) // "did priya demo": "demo" is a word of the trade, not her surname
			}
		}
	}
	return out
}

// asksOf reports whether text holds a word of what the question asks besides the people it names:
// "Stephanie Park manages the contact center" names her, and does not answer "stephanie park's phone
// number". A question of names alone ("who is Priya Shah") is asked of any text.
func (q question) asksOf(subject []string, text string) bool {
	var rest []string
	for _, w := range subject {
		if !slices.Contains(q.names, w) {
			rest = append(rest, w)
		}
	}
	return len(rest) == 0 || overlap(rest, text) > 0
}

// share is the share of the question's subject words a passage holds; when it is filed under a topic that
// answers the question's intent by itself, or the question asks which one and the passage says the intent
// in words of its own ("three demos with…" for "which competitor"), the words that only say the intent
// count as held.
func (q question) share(r Result) float64 {
	words := q.subject
	if q.answeredBy(r) || q.kind == kindName && saysIntent(q.intent, r.Text) {
		words = without(q.subject, q.asked)
		if len(words) == 0 {
			return 1
		}
		return (overlap(words, r.Text)*float64(len(words)) + float64(len(q.asked))) / float64(len(q.subject))
	}
	return overlap(words, r.Text)
}

// answeredBy reports whether a passage is filed, for the account the question names, under a topic that
// answers its intent by itself ("what's open at Halden": its open issues).
func (q question) answeredBy(r Result) bool {
	return q.filedUnder(r) && slices.ContainsFunc(r.Topics, func(t string) bool { return slices.Contains(answeringTopics(q.intent), t) })
}

func without(words, drop []string) []string {
	var out []string
	for _, w := range words {
		if !slices.Contains(drop, w) {
			out = append(out, w)
		}
	}
	return out
}

// asksOfUs reports whether a question asks about the CSM's own company, not a customer: "our own…", "our
// company…", or "our", "I" or "my" with a word of its own rules and people ("how do I expense…", "our
// parental leave policy").
func asksOfUs(ws []string) bool {
	if !slices.Contains(ws, "our") && !slices.Contains(ws, "i") && !slices.Contains(ws, "my") {
		return false
	}
	return slices.ContainsFunc(ws, func(w string) bool { return ourOwn[w] })
}

var ourOwn = map[string]bool{"own": true, "company": true, "expensing": true, "reimburse": true, "reimbursed": true, "policy": true, "policies": true, "handbook": true, "hr": true, "expense": true,
	"expenses": true, "payroll": true, "benefits": true, "holiday": true, "holidays": true, "pension": true, "office": true, "offices": true}

// filedUnder reports whether a passage is filed under a topic the question's intent is asked of, for the
// account it names if it names one ("nordhafen - who are they talking to besides us": its churn risk).
func (q question) filedUnder(r Result) bool {
	return (len(q.accounts) == 0 || slices.Contains(q.accounts, r.Account)) &&
		slices.ContainsFunc(r.Topics, func(t string) bool { return slices.Contains(q.topics, t) })
}

// said is one cited sentence of an answer: "Northwind: Marco Rossi signs. [1]".
func said(r Result, sentence string, i int) string {
	prefix := ""
	if r.Account != "" {
		prefix = r.Account + ": "
	}
	return prefix + sentence + " [" + strconv.Itoa(i+1) + "]"
}

func citationOf(r Result) Citation {
	return Citation{ChunkID: r.ChunkID, MessageID: r.MessageID, Attachment: r.Attachment, InterviewID: r.InterviewID, Account: r.Account, Text: r.Text}
}

// bestSentence picks the sentence of a passage closest to the question.
func bestSentence(text string, qv []float32, words []string, scorer Scorer) string {
	best, bestScore := text, -1.0
	for _, s := range extract.Sentences(text) {
		score := cosine(qv, scorer.Vector(s)) + overlap(words, s)/2
		if score > bestScore {
			best, bestScore = s, score
		}
	}
	return best
}

// overlap is the share of the question's content words found in text, as the word, its stem or a word of
// its synonym group ("demoing" is in "three demos", "champ" in "our champion"), accents aside ("jurgen" is
// "Jürgen").
func overlap(words []string, text string) float64 {
	if len(words) == 0 {
		return 0
	}
	have := map[string]bool{}
	for _, w := range terms(text) {
		w = fold(w)
		have[w] = true
		have[embed.Stem(w)] = true
	}
	n := 0
	for _, w := range words {
		for _, a := range alike(w) {
			a = fold(a)
			if have[a] || have[embed.Stem(a)] {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(words))
}

// fold takes the accents off a word.
func fold(w string) string {
	for _, r := range w {
		if r > 0x7f {
			return strings.Join(plainWords(w), "")
		}
	}
	return w
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
