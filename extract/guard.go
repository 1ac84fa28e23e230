package extract

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"
)

// pattern is a regular expression with a guard: a few words one of which every match of it holds, read
// from the expression itself (letters compared in one case, see fold). A text holding none of them cannot
// match, and the expression is not run on it: most of a CSM's clauses name no month, no weekday and no
// date in digits, and looking for a few words is far cheaper than running an expression whose every
// alternative is tried at every position. Each method of regexp.Regexp the rules call is overridden here
// with the guard in front, and returns what the expression returns (TestPatternsMatchTheirExpressions and
// TestGuardsLeaveReadingsAsTheyWere hold them to it). With the guards the rules read the fidelity
// personas' 264 answers in about a third of the time: BenchmarkOffline 1.21–1.25 s without them,
// 0.42–0.44 s with them, on this 2-core machine idle (2.5–2.8 s and 0.8–1.1 s under load).
type pattern struct {
	*regexp.Regexp
	words []string // folded; nil: no word is required, the expression always runs
}

// compile is regexp.MustCompile with a guard.
func compile(expr string) *pattern {
	re := regexp.MustCompile(expr)
	p := &pattern{Regexp: re}
	if tree, err := syntax.Parse(expr, syntax.Perl); err == nil {
		if n := loose(need(tree.Simplify()).words); n.ok() {
			p.words = n.words
		}
	}
	compiled.Lock()
	compiled.patterns = append(compiled.patterns, p)
	compiled.Unlock()
	return p
}

// compiled holds every pattern compiled so far (some lists are compiled when first read), for the test
// that holds them to their expressions.
var compiled struct {
	sync.Mutex
	patterns []*pattern
}

// guardsOn is whether guards are used: the test that compares readings with them and without them turns
// them off.
var guardsOn = true

// may reports whether s may hold a match: it holds one of the words, compared as folded.
func (p *pattern) may(s string) bool {
	if p.words == nil || !guardsOn {
		return true
	}
	folded := foldCached(s)
	for _, w := range p.words {
		if strings.Contains(folded, w) {
			return true
		}
	}
	return false
}

// lastFolded is the text folded last and its folding: the rules run many expressions on the same
// clause one after another, and fold it once.
var lastFolded atomic.Pointer[[2]string]

// foldCached is foldString, of the text folded last without folding it again.
func foldCached(s string) string {
	if last := lastFolded.Load(); last != nil && last[0] == s {
		return last[1]
	}
	folded := foldString(s)
	lastFolded.Store(&[2]string{s, folded})
	return folded
}

// foldString is s with every letter in the form fold gives it; a byte that is not UTF-8 is read as the
// expressions read it, as U+FFFD.
func foldString(s string) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		plain = s[i] < utf8.RuneSelf && !('A' <= s[i] && s[i] <= 'Z')
	}
	if plain {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		b = utf8.AppendRune(b, fold(r))
	}
	return string(b)
}

// fold is the form a letter is compared in, the same for each of its cases (those an expression that
// ignores case takes for it: unicode.SimpleFold's orbit): lower case for ASCII letters and the letters
// taken for them (the Kelvin sign, the long s), the smallest of its cases for others.
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	if 'A' <= least && least <= 'Z' {
		return least + 'a' - 'A'
	}
	return least
}

func (p *pattern) MatchString(s string) bool { return p.may(s) && p.Regexp.MatchString(s) }

func (p *pattern) FindString(s string) string {
	if !p.may(s) {
		return ""
	}
	return p.Regexp.FindString(s)
}

func (p *pattern) FindStringIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringIndex(s)
}

func (p *pattern) FindStringSubmatch(s string) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatch(s)
}

func (p *pattern) FindStringSubmatchIndex(s string) []int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindStringSubmatchIndex(s)
}

func (p *pattern) FindAllString(s string, n int) []string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllString(s, n)
}

func (p *pattern) FindAllStringIndex(s string, n int) [][]int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringIndex(s, n)
}

func (p *pattern) FindAllStringSubmatch(s string, n int) [][]string {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringSubmatch(s, n)
}

func (p *pattern) FindAllStringSubmatchIndex(s string, n int) [][]int {
	if !p.may(s) {
		return nil
	}
	return p.Regexp.FindAllStringSubmatchIndex(s, n)
}

func (p *pattern) ReplaceAllString(src, repl string) string {
	if !p.may(src) {
		return src
	}
	return p.Regexp.ReplaceAllString(src, repl)
}

// needed is what a part of an expression requires of a text. With exact, the part matches exactly one of
// words (the empty word: it may match nothing), so parts in a row combine their words; without it, every
// match holds one of words. nil words: nothing is required.
type needed struct {
	words []string
	exact bool
}

// ok reports whether the words are a guard: there are some, and none is empty.
func (n needed) ok() bool { return n.words != nil && !slices.Contains(n.words, "") }

// Bounds on the guards: how many words a part may need before it is taken to need nothing, and how many
// runes a character class may hold to be read as words of one letter.
const (
	maxWords      = 1024
	maxClassRunes = 32
)

var anything = needed{}

// loose is what a part needs that matches more than words but always holds one of them: the fewest of the
// words that say as much, or nothing when they are too many.
func loose(words []string) needed {
	if words == nil || slices.Contains(words, "") {
		return anything
	}
	if words = minimal(words); len(words) > maxWords {
		return anything
	}
	return needed{words: words}
}

// need reads what an expression requires of a text, from its parsed form.
func need(re *syntax.Regexp) needed {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return needed{words: []string{""}, exact: true}
	case syntax.OpLiteral:
		return literal(re.Rune)
	case syntax.OpCharClass:
		return class(re.Rune)
	case syntax.OpCapture:
		return need(re.Sub[0])
	case syntax.OpQuest:
		n := need(re.Sub[0])
		if !n.exact || n.words == nil {
			return anything
		}
		return needed{words: union(n.words, []string{""}), exact: true}
	case syntax.OpPlus:
		return loose(need(re.Sub[0]).words)
	case syntax.OpRepeat:
		if re.Min < 1 {
			return anything
		}
		return loose(need(re.Sub[0]).words)
	case syntax.OpConcat:
		return concat(re.Sub)
	case syntax.OpAlternate:
		var words []string
		exact := true
		for _, sub := range re.Sub {
			n := need(sub)
			if n.words == nil {
				return anything
			}
			words, exact = union(words, n.words), exact && n.exact
		}
		if !exact || len(words) > maxWords {
			return loose(words)
		}
		return needed{words: words, exact: true}
	}
	return anything // any character, star, no match
}

// literal is what a run of characters needs: itself, folded. Folded, a text holding the run holds it
// folded whether case is ignored or not.
func literal(runes []rune) needed {
	return needed{words: []string{foldString(string(runes))}, exact: true}
}

// class is what a character class needs: one of its characters, folded, when it holds few.
func class(ranges []rune) needed {
	var words []string
	count := 0
	for i := 0; i+1 < len(ranges); i += 2 {
		count += int(ranges[i+1]-ranges[i]) + 1
		if count > maxClassRunes {
			return anything
		}
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			words = union(words, []string{string(fold(r))})
		}
	}
	if words == nil {
		return anything
	}
	return needed{words: words, exact: true}
}

// concat is what parts in a row need: the words of runs of exact parts joined (while there are not too
// many), and of the other parts their own; of these the most telling.
func concat(subs []*syntax.Regexp) needed {
	var best needed
	run := needed{words: []string{""}, exact: true}
	all := true
	consider := func(n needed) {
		if n = loose(n.words); n.ok() && (!best.ok() || better(n.words, best.words)) {
			best = n
		}
	}
	for _, sub := range subs {
		n := need(sub)
		if n.exact && n.words != nil {
			if joined := product(run.words, n.words); joined != nil {
				run.words = joined
				continue
			}
		}
		consider(run)
		all = false
		run = needed{words: []string{""}, exact: true}
		if n.exact && n.words != nil {
			run.words = n.words
			continue
		}
		consider(n)
	}
	if all {
		return run
	}
	consider(run)
	return best
}

// product is every word of a followed by one of b, or nil when that is too many.
func product(a, b []string) []string {
	if len(a)*len(b) > maxWords {
		return nil
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return union(nil, out)
}

// better reports whether the words a tell more than b: their shortest is longer, or as long and they are
// fewer.
func better(a, b []string) bool {
	la, lb := shortest(a), shortest(b)
	if la != lb {
		return la > lb
	}
	return len(a) < len(b)
}

func shortest(words []string) int {
	n := -1
	for _, w := range words {
		if n < 0 || len(w) < n {
			n = len(w)
		}
	}
	return n
}

// union is a and b without repeats, sorted.
func union(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

// minimal drops the words that hold another of the words: a text holding them holds that one.
func minimal(words []string) []string {
	sorted := slices.Clone(words)
	slices.SortFunc(sorted, func(a, b string) int { return len(a) - len(b) })
	var out []string
	for _, w := range sorted {
		if !slices.ContainsFunc(out, func(o string) bool { return strings.Contains(w, o) }) {
			out = append(out, w)
		}
	}
	return out
}
