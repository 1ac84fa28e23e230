package about

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/exitinterview/exitinterview/prompts"
)

// entry is one line of prompts/topics.txt: a phrase and what it is evidence of.
type entry struct {
	words  []string // lower-case; a word ending in "*" matches any word it starts
	topic  string   // "" in the [nothing], [reference] and [hedge] lists
	weight int
	label  bool // counts only at the start of a line, before ":", "=" or " - "
}

// lexicon is prompts/topics.txt parsed, indexed by a phrase's first word (or, for a first word ending in
// "*", by what it starts with) so a sentence is matched in one pass over its words.
type lexicon struct {
	exact     map[string][]*entry
	prefix    map[string][]*entry
	maxPrefix int
	portfolio map[string]bool // topic key → asked once for the portfolio
	topics    []string        // sorted
}

// Lists of phrases that are not topics.
const (
	listNothing   = "nothing"
	listReference = "reference"
	listHedge     = "hedge"
	listOther     = "other" // phrases whose words mean something else than the topic they look like
	listEmpty     = "empty" // words that say nothing a successor could use on their own
)

var words = mustLexicon()

func mustLexicon() *lexicon {
	l, err := parseLexicon()
	if err != nil {
		panic(err)
	}
	return l
}

func parseLexicon() (*lexicon, error) {
	sections, err := prompts.Sections("topics.txt")
	if err != nil {
		return nil, err
	}
	l := &lexicon{exact: map[string][]*entry{}, prefix: map[string][]*entry{}, portfolio: map[string]bool{}}
	order := make([]string, 0, len(sections))
	for name := range sections {
		order = append(order, name)
	}
	slices.Sort(order)
	for _, name := range order {
		scope, topic, scoped := strings.Cut(name, ":")
		list := ""
		switch {
		case scoped && (scope == "account" || scope == "portfolio"):
			l.portfolio[topic] = scope == "portfolio"
			l.topics = append(l.topics, topic)
		case name == listNothing || name == listReference || name == listHedge || name == listOther || name == listEmpty:
			list = name
		default:
			return nil, fmt.Errorf("prompts/topics.txt: unknown section [%s]", name)
		}
		for _, line := range strings.Split(strings.Join(sections[name], "\n"), "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			e := &entry{topic: topic, weight: 1}
			if list != "" {
				e.topic = "\x00" + list
			} else {
				w, rest, _ := strings.Cut(line, " ")
				n, err := strconv.Atoi(w)
				if err != nil || n < 1 {
					return nil, fmt.Errorf("prompts/topics.txt [%s]: %q does not start with a weight", name, line)
				}
				e.weight, line = n, strings.TrimSpace(rest)
			}
			if label, ok := strings.CutSuffix(line, ":"); ok {
				e.label, line = true, label
			}
			for _, t := range tokens(line) {
				e.words = append(e.words, t.word)
			}
			if len(e.words) == 0 {
				return nil, fmt.Errorf("prompts/topics.txt [%s]: %q has no words", name, line)
			}
			l.add(e)
		}
	}
	return l, nil
}

func (l *lexicon) add(e *entry) {
	first := e.words[0]
	if p, ok := strings.CutSuffix(first, "*"); ok {
		l.prefix[p] = append(l.prefix[p], e)
		l.maxPrefix = max(l.maxPrefix, len(p))
		return
	}
	l.exact[first] = append(l.exact[first], e)
}

// token is one word of a text, lower-case, with its byte offsets.
type token struct {
	word       string
	start, end int
}

// tokens cuts text into lower-case words of letters and digits; an apostrophe, hyphen or "*" inside a
// word stays in it ("don't", "add-on", "renew*").
func tokens(text string) []token {
	var out []token
	start := -1
	rs := []rune(text)
	pos := 0
	offs := make([]int, len(rs)+1)
	for i, r := range rs {
		offs[i] = pos
		pos += len(string(r))
	}
	offs[len(rs)] = pos
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i, r := range rs {
		in := isWord(r)
		if !in && start >= 0 && (r == '\'' || r == '’' || r == '-') && i+1 < len(rs) && isWord(rs[i+1]) {
			in = true
		}
		if !in && start >= 0 && r == '*' {
			in = true
		}
		switch {
		case in && start < 0:
			start = i
		case !in && start >= 0:
			out = append(out, token{strings.ToLower(strings.ReplaceAll(string(rs[start:i]), "’", "'")), offs[start], offs[i]})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{strings.ToLower(strings.ReplaceAll(string(rs[start:]), "’", "'")), offs[start], offs[len(rs)]})
	}
	return out
}

// match is one entry found in a sentence, with the weight it has there.
type match struct {
	e      *entry
	start  int // token index
	weight int
	label  bool
}

// Keys of a "key: value" line.
const (
	keyWords  = 3 // a key has at most this many words
	keyWeight = 4 // the topic word of a key weighs as a label
	keyNeeds  = 3 // only the topic itself ("add-on", "sponsor") makes a key a label
)

// find returns every entry found in the tokens of text; a label only where a line or bullet starts. The
// topic itself in the key of a "key: value" line counts as a label ("messaging add-on: dead", "exec
// sponsor = Dana"), and so does the topic itself as the first word of a sentence that opens a line
// ("Renewal 31/03/2027, 90 day notice").
func (l *lexicon) find(text string, toks []token, opensLine bool) []match {
	var out []match
	key := keyEnd(text, toks)
	for i, t := range toks {
		try := func(es []*entry) {
			for _, e := range es {
				if !matchAt(toks, i, e.words) || e.label && !isLabel(text, toks, i, len(e.words)) {
					continue
				}
				m := match{e, i, e.weight, e.label}
				if !e.label && e.weight >= keyNeeds && (i+len(e.words) <= key || opensLine && i == 0) {
					m.weight, m.label = keyWeight, true
				}
				out = append(out, m)
			}
		}
		try(l.exact[t.word])
		for n := 1; n <= l.maxPrefix && n <= len(t.word); n++ {
			try(l.prefix[t.word[:n]])
		}
	}
	// The words of a phrase that means something else ("their vendor risk register", "head of risk") are
	// no evidence of the topic they look like.
	masked := map[int]bool{}
	for _, m := range out {
		if m.e.topic == "\x00"+listOther {
			for k := range m.e.words {
				masked[m.start+k] = true
			}
		}
	}
	if len(masked) == 0 {
		return out
	}
	kept := out[:0]
	for _, m := range out {
		if m.e.topic == "\x00"+listOther {
			continue
		}
		overlaps := false
		for k := range m.e.words {
			overlaps = overlaps || masked[m.start+k]
		}
		if !overlaps {
			kept = append(kept, m)
		}
	}
	return kept
}

func matchAt(toks []token, i int, ws []string) bool {
	if i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		if p, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(toks[i+k].word, p) {
				return false
			}
		} else if toks[i+k].word != w {
			return false
		}
	}
	return true
}

// keyEnd is the number of tokens of text that make the key of a "key: value" line: text opens (after
// bullet marks) with at most keyWords words and then ":", "=" or " - ". It is 0 when text is no such line.
func keyEnd(text string, toks []token) int {
	if len(toks) == 0 || strings.TrimLeft(text[:toks[0].start], " \t-*•–—>+0123456789.)!") != "" {
		return 0
	}
	for n := 1; n <= keyWords && n < len(toks); n++ {
		between := text[toks[n-1].end:toks[n].start]
		if strings.Contains(between, "\n") {
			return 0
		}
		if isLabel(text, toks, 0, n) {
			return n
		}
	}
	return 0
}

// isLabel reports whether the n words at token i open a line (after bullet marks) and are followed by
// ":", "=" or " - ".
func isLabel(text string, toks []token, i, n int) bool {
	before := text[:toks[i].start]
	if k := strings.LastIndexByte(before, '\n'); k >= 0 {
		before = before[k+1:]
	}
	if strings.TrimLeft(before, " \t-*•–—>+0123456789.)!") != "" {
		return false
	}
	after := strings.TrimLeft(text[toks[i+n-1].end:], " \t")
	return strings.HasPrefix(after, ":") || strings.HasPrefix(after, "=") || strings.HasPrefix(after, "- ") ||
		strings.HasPrefix(after, "– ")
}
