package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// span is a byte range of the answer. Every finding's Text is cut from one, so Text always equals
// the input at [Start:End], whatever the input holds.
type span struct{ start, end int }

func (sp span) contains(o span) bool { return o.start >= sp.start && o.end <= sp.end }

// Words that end with a period without ending the sentence ("Dr. Aisha Khan", "e.g. exports").
var abbrevs = wordSet(`dr mr mrs ms mx prof st e.g i.e vs approx ca jr sr inc ltd`)

// sentences splits text at sentence ends and line breaks; list bullets are left out of the spans.
func sentences(text string) []span {
	var out []span
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			out = appendSentence(out, text, span{start, i})
			start = i + 1
		case '.', '!', '?':
			j := i + 1
			for j < len(text) && strings.IndexByte(`.!?"')`, text[j]) >= 0 {
				j++
			}
			if j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\n' && text[j] != '\r' {
				continue
			}
			if text[i] == '.' && isAbbrev(text[:i]) {
				continue
			}
			out = appendSentence(out, text, span{start, j})
			start = j
			i = j - 1
		}
	}
	return appendSentence(out, text, span{start, len(text)})
}

// Sentences returns text's sentences as the rules read them: cut at sentence ends (not after "Dr." or an
// initial) and at line breaks, list bullets left out, lines of no words dropped.
func Sentences(text string) []string {
	spans := sentences(text)
	out := make([]string, len(spans))
	for i, sp := range spans {
		out[i] = text[sp.start:sp.end]
	}
	return out
}

// EndsWithAbbreviation reports whether text ends with a title, an initial or an abbreviation ("Dr",
// "J", "e.g") that a period after it does not end the sentence of: the rules' one list of them.
func EndsWithAbbreviation(text string) bool { return isAbbrev(text) }

// isAbbrev reports whether the word ending before a period is a title, an initial or an abbreviation.
func isAbbrev(before string) bool {
	k := len(before)
	for k > 0 && (isASCIILetter(before[k-1]) || before[k-1] == '.') {
		k--
	}
	w := before[k:]
	if len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z' && (k == 0 || before[k-1] == ' ' || before[k-1] == '\n') {
		return true // an initial ("J. Smith"), not "$1.2M."
	}
	return abbrevs[strings.ToLower(w)]
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

var bulletRE = compile(`^(?:[-*•–]|\d{1,2}[.)])\s+`)

func appendSentence(out []span, text string, sp span) []span {
	sp = trim(text, sp, " \t\r\n")
	if loc := bulletRE.FindStringIndex(text[sp.start:sp.end]); loc != nil {
		sp.start += loc[1]
	}
	if !hasWord(text[sp.start:sp.end]) {
		return out
	}
	return append(out, sp)
}

func hasWord(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// trim shrinks sp past the given ASCII bytes at both ends; ASCII bytes never sit inside a multi-byte
// rune, so the span stays on rune boundaries.
func trim(text string, sp span, cut string) span {
	for sp.start < sp.end && strings.IndexByte(cut, text[sp.start]) >= 0 {
		sp.start++
	}
	for sp.end > sp.start && strings.IndexByte(cut, text[sp.end-1]) >= 0 {
		sp.end--
	}
	return sp
}

const clauseCut = " \t\r\n,;:."

// splitAt cuts sp at every match of re, dropping the separators and empty pieces.
func splitAt(text string, sp span, re *pattern) []span {
	var out []span
	start := sp.start
	for _, loc := range re.FindAllStringIndex(text[sp.start:sp.end], -1) {
		out = appendPiece(out, text, span{start, sp.start + loc[0]})
		start = sp.start + loc[1]
	}
	return appendPiece(out, text, span{start, sp.end})
}

func appendPiece(out []span, text string, sp span) []span {
	sp = trim(text, sp, clauseCut)
	if sp.start < sp.end && hasWord(text[sp.start:sp.end]) {
		out = append(out, sp)
	}
	return out
}

var semicolonRE = compile(`;`)

// clauses splits a sentence at semicolons, which CSMs use to list separate facts.
func clauses(text string, sp span) []span { return splitAt(text, sp, semicolonRE) }

// locate is FindStringSubmatchIndex on the part of text inside sp, with offsets into text.
func locate(re *pattern, text string, sp span) []int {
	m := re.FindStringSubmatchIndex(text[sp.start:sp.end])
	for i := range m {
		if m[i] >= 0 {
			m[i] += sp.start
		}
	}
	return m
}

// group returns submatch k of m as a span, if it matched.
func group(m []int, k int) (span, bool) {
	if m == nil || 2*k+1 >= len(m) || m[2*k] < 0 {
		return span{}, false
	}
	return span{m[2*k], m[2*k+1]}, true
}

var articleRE = compile(`(?i)^(?:the|a|an)\s+`)

// clean makes a field value from words of the answer: spaces collapsed, edge punctuation dropped,
// valid UTF-8 so it can be stored and shown.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), " ,", ",")
	for prev := ""; prev != s; {
		prev = s
		s = trimQuotes(strings.Trim(s, " ,;:.-–—"))
	}
	return s
}

var quotePairs = [][2]string{{`"`, `"`}, {"'", "'"}, {"“", "”"}, {"‘", "’"}, {"(", ")"}}

// trimQuotes drops a quote or bracket at an edge unless it closes one inside the value, so that
// "Google Sheet 'Renewal radar'" keeps its quotes and "(bulk edit times out)" loses them.
func trimQuotes(s string) string {
	for _, q := range quotePairs {
		open, close := q[0], q[1]
		switch {
		case len(s) >= len(open)+len(close) && strings.HasPrefix(s, open) && strings.HasSuffix(s, close) &&
			!strings.Contains(s[len(open):len(s)-len(close)], close):
			s = s[len(open) : len(s)-len(close)]
		case strings.HasPrefix(s, open) && !strings.Contains(s[len(open):], close):
			s = s[len(open):]
		case strings.HasSuffix(s, close) && !strings.Contains(s[:len(s)-len(close)], open):
			s = s[:len(s)-len(close)]
		}
	}
	return s
}

// bare is clean without a leading article ("the shared drive" → "shared drive").
func bare(s string) string { return clean(articleRE.ReplaceAllString(clean(s), "")) }

// lowerFirst writes a list heading ("Bugs go to…") as a value ("bugs"), leaving acronyms alone.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || len(s) <= n {
		return strings.ToLower(s)
	}
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && unicode.IsLower(r2) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// words limits a value to n words, so a theme stays short.
func words(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = f[:n]
	}
	return clean(strings.Join(f, " "))
}
