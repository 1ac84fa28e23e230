// Package about reads what each sentence of a CSM's answer is about: which account (package mention
// decides) and which topics of the interview, whatever question it answered. A pasted block of notes
// given to "what do they use us for?" covers the stakeholders, the risk and the renewal it lists; "see my
// notes above" covers nothing by itself.
//
// The rule, per sentence (word lists and weights in prompts/topics.txt):
//
//	the sentence                                   covers
//	scores 1 or more for a topic of the question   that topic, of the question's account
//	scores 4 or more for any other topic           that topic, of the account it is about
//	  (a topic word and a word that helps; a label   (and of every other account it names as a subject)
//	  "renewal:", the topic in the key of a
//	  "messaging add-on: dead" line or the topic
//	  opening a line scores 4), or 3 when it turns
//	  from the question's account to another, unless
//	  it points elsewhere, or (about the account
//	  asked) does not outscore the topics asked by 2,
//	  or the topic is the portfolio's and the
//	  question an account's
//	scores on no topic enough, points elsewhere    nothing
//	  ("see above", "as I said")
//	scores on no topic enough, goes on a line       the topics of the sentence before
//	  whose sentence before covered something
//	scores on no topic enough, otherwise           the question's topics, if about the question's account
//	                                                 (weakly if it holds words of other topics)
//
// A cover is weak (the topic reads as partly answered, and is still asked) when the sentence is hedged
// and short, when its only evidence is a word that merely helps (weight 1), or for a topic not asked:
// always for a portfolio topic, and for an account topic without a label that scores under 6.
package about

import (
	"regexp"
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/mention"
)

// Question is what an answer replied to: an account ("" for the portfolio) and the topics asked.
type Question struct {
	AccountID string
	Topics    []string
}

// Pair is one (account, topic) an answer covers; AccountID is "" for a portfolio topic.
type Pair struct {
	AccountID string
	Topic     string
}

// Cover is a pair a sentence covers; Weak when it only partly answers it.
type Cover struct {
	Pair
	Weak bool
	// inherited: the sentence had no evidence of its own and took the pair from the sentence before it
	// or from the question.
	inherited bool
}

// Sentence is one sentence of an answer and what it covers.
type Sentence struct {
	Text      string
	AccountID string // the account it is about ("" for none)
	Covers    []Cover
	// Reference: the sentence points at something said elsewhere ("see above").
	Reference bool
	// scored: some topic's words are in it, though maybe too few to cover the topic.
	scored bool
}

// Reader reads answers about the accounts of one book. It is safe for concurrent use.
type Reader struct {
	matcher *mention.Matcher
}

// NewReader returns a reader for a book.
func NewReader(accounts []mention.Account) *Reader {
	return &Reader{matcher: mention.NewMatcher(accounts)}
}

// Topics returns the topic keys the reader knows, with whether each is a portfolio topic.
func Topics() map[string]bool {
	out := make(map[string]bool, len(words.portfolio))
	for k, v := range words.portfolio {
		out[k] = v
	}
	return out
}

// Evidence needed for a topic.
const (
	askedNeeds  = 1 // a topic of the question
	otherNeeds  = 4 // any other topic of the question's account (a topic word and a word that helps)
	turnNeeds   = 3 // any topic of another account the sentence turns to (its topic word alone)
	weakBelow   = 2 // a score under this makes a weak cover
	otherStrong = 6 // a topic not asked covered with less, and no label, is covered weakly
	otherMargin = 2 // by how much a topic not asked must outscore the topics asked
)

// Read returns the sentences of an answer with what each covers.
func (r *Reader) Read(answer string, q Question) []Sentence {
	spans := sentenceSpans(answer)
	if len(spans) == 0 {
		return nil
	}
	texts := make([]string, len(spans))
	for i, sp := range spans {
		texts[i] = answer[sp.start:sp.end]
	}
	attr := r.matcher.Attribute(texts, q.AccountID)
	out := make([]Sentence, len(spans))
	var prev []Cover
	for i, sp := range spans {
		s := r.sentence(answer, sp, attr[i].AccountID, q)
		if len(s.Covers) == 0 && !s.Reference && s.AccountID == q.AccountID {
			if !sp.lineStart && len(prev) > 0 {
				s.Covers = slices.Clone(prev)
			} else {
				s.Covers = inherited(texts[i], q, s.scored)
			}
			for j := range s.Covers {
				s.Covers[j].inherited = true
			}
		}
		out[i] = s
		prev = s.Covers
		if s.Reference {
			prev = nil
		}
	}
	return out
}

// sentence scores one sentence and keeps the topics with enough evidence.
func (r *Reader) sentence(answer string, sp span, accountID string, q Question) Sentence {
	text := answer[sp.start:sp.end]
	toks := tokens(text)
	s := Sentence{Text: text, AccountID: accountID}
	score := map[string]int{}
	labelled := map[string]bool{}
	hedged := false
	for _, m := range words.find(text, toks, sp.lineStart) {
		switch m.e.topic {
		case "\x00" + listReference:
			s.Reference = true
		case "\x00" + listHedge:
			hedged = true
		case "\x00" + listNothing, "\x00" + listEmpty:
		default:
			s.scored = true
			score[m.e.topic] += m.weight
			if m.label {
				labelled[m.e.topic] = true
			}
		}
	}
	others := r.otherSubjects(text, accountID)
	best := 0 // the best score of a topic asked, in a sentence about the account asked
	for _, topic := range q.Topics {
		if words.portfolio[topic] || accountID == q.AccountID {
			best = max(best, score[topic])
		}
	}
	for _, topic := range words.topics {
		n := score[topic]
		if n == 0 {
			continue
		}
		asked := slices.Contains(q.Topics, topic) && (words.portfolio[topic] || accountID == q.AccountID)
		needs := otherNeeds
		if q.AccountID != "" && accountID != "" && accountID != q.AccountID && !words.portfolio[topic] {
			needs = turnNeeds
		}
		switch {
		case asked && n >= askedNeeds:
		case asked, s.Reference, words.portfolio[topic] && q.AccountID != "", n < needs, n < best+otherMargin:
			continue // what points elsewhere adds no topic; the portfolio is told in its own questions
		}
		weak := n < weakBelow || hedged && len(toks) < 12 || !asked && (words.portfolio[topic] || n < otherStrong && !labelled[topic])
		if words.portfolio[topic] {
			s.Covers = append(s.Covers, Cover{Pair: Pair{"", topic}, Weak: weak})
			continue
		}
		if accountID != "" {
			s.Covers = append(s.Covers, Cover{Pair: Pair{accountID, topic}, Weak: weak})
		}
		if n >= needs {
			for _, id := range others {
				s.Covers = append(s.Covers, Cover{Pair: Pair{id, topic}, Weak: weak})
			}
		}
	}
	return s
}

// inherited is what a sentence with no evidence of its own covers: the question's topics, weakly
// unless it says there is nothing to report or says something of a few words; weakly too when it holds
// words of other topics, too few to cover them (it is likely about something else).
func inherited(text string, q Question, scored bool) []Cover {
	toks := tokens(text)
	nothing, hedged := false, false
	for _, m := range words.find(text, toks, false) {
		switch m.e.topic {
		case "\x00" + listNothing:
			nothing = true
		case "\x00" + listHedge:
			hedged = true
		}
	}
	weak := !nothing && (len(toks) < 3 || hedged && len(toks) < 12 || scored)
	var out []Cover
	for _, t := range q.Topics {
		id := q.AccountID
		if words.portfolio[t] {
			id = ""
		} else if id == "" {
			continue
		}
		out = append(out, Cover{Pair: Pair{id, t}, Weak: weak})
	}
	return out
}

// otherSubjects are the accounts a sentence names besides the one it is about, not as a comparison
// ("Halvorsen and Pinecrest are the two I'd lose sleep over").
func (r *Reader) otherSubjects(text, accountID string) []string {
	var out []string
	for _, h := range r.matcher.Find(text) {
		if !h.Comparison && h.AccountID != accountID {
			out = append(out, h.AccountID)
		}
	}
	return out
}

// Covers returns the pairs the sentences cover, each once, in order. A pair is weak only if every
// sentence that covers it does so weakly, and fewer than two sentences give evidence of it of their own:
// one aside ("never cc Dieter") is a partial answer, a few sentences about it are an answer.
func Covers(sents []Sentence) []Cover {
	var out []Cover
	at := map[Pair]int{}
	own := map[Pair]int{}
	for _, s := range sents {
		for _, c := range s.Covers {
			if !c.inherited {
				own[c.Pair]++
			}
			if i, ok := at[c.Pair]; ok {
				out[i].Weak = out[i].Weak && c.Weak
				continue
			}
			at[c.Pair] = len(out)
			c.inherited = false
			out = append(out, c)
		}
	}
	for i := range out {
		if own[out[i].Pair] >= 2 {
			out[i].Weak = false
		}
	}
	return out
}

type span struct {
	start, end int
	lineStart  bool // the sentence opens a line
}

var sentenceEnd = regexp.MustCompile(`[.!?]+\s+|\n+`)

// sentenceSpans cuts an answer at ".", "!", "?" followed by a space, and at line breaks.
func sentenceSpans(text string) []span {
	var out []span
	last, lineStart := 0, true
	add := func(end int, nextLine bool) {
		seg := text[last:end]
		trimmed := strings.TrimSpace(seg)
		if trimmed != "" {
			start := last + strings.Index(seg, trimmed)
			out = append(out, span{start, start + len(trimmed), lineStart})
			lineStart = false
		}
		if nextLine {
			lineStart = true
		}
	}
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		add(loc[1], strings.Contains(text[loc[0]:loc[1]], "\n"))
		last = loc[1]
	}
	add(len(text), false)
	return out
}

// lineOf is the line a sentence lies on.
func lineOf(text string, sp span) string {
	start := strings.LastIndexByte(text[:sp.start], '\n') + 1
	end := strings.IndexByte(text[sp.end:], '\n')
	if end < 0 {
		return text[start:]
	}
	return text[start : sp.end+end]
}

// SaysNothing reports whether text says nothing a successor could use on its own: every word of it is a
// stop word, a word of [nothing], [reference] or [hedge], or of [empty] ("no", "see above", "nothing
// major", "the usual people", "That is everything I know about that."). "No upsell: do not pitch until the
// rate-limit fix" says something.
func SaysNothing(text string) bool {
	toks := tokens(text)
	used := make([]bool, len(toks))
	for _, m := range words.find(text, toks, false) {
		switch m.e.topic {
		case "\x00" + listNothing, "\x00" + listReference, "\x00" + listHedge, "\x00" + listEmpty:
			for k := range m.e.words {
				used[m.start+k] = true
			}
		}
	}
	for i, t := range toks {
		if !used[i] && !embed.IsStopWord(strings.NewReplacer("'", "", "’", "").Replace(t.word)) {
			return false
		}
	}
	return true
}
