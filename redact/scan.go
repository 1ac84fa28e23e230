package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is a run of text between spaces. A marker left by an earlier redaction is a word of its own, even
// when glued to its quotes, so that nothing is ever read into or across it: that keeps Text idempotent.
type word struct {
	s, e   int
	marker bool
}

// scan is one text cut into words, shared by the detectors.
type scan struct {
	text  string
	words []word
}

const markerPrefix = "[REDACTED "

var kinds = [...]Kind{Password, APIKey, Token, PrivateKey, ConnectionString, Secret}

// markerLen returns the length of the marker at i, or 0.
func markerLen(s string, i int) int {
	if !strings.HasPrefix(s[i:], markerPrefix) {
		return 0
	}
	rest := s[i+len(markerPrefix):]
	for _, k := range kinds {
		if strings.HasPrefix(rest, string(k)) && strings.HasPrefix(rest[len(k):], "]") {
			return len(markerPrefix) + len(k) + 1
		}
	}
	return 0
}

func newScan(text string) *scan {
	sc := &scan{text: text, words: make([]word, 0, len(text)/6+1)}
	start := -1
	flush := func(end int) {
		if start >= 0 {
			sc.words = append(sc.words, word{s: start, e: end})
			start = -1
		}
	}
	for i := 0; i < len(text); {
		if text[i] == '[' {
			if m := markerLen(text, i); m > 0 {
				flush(i)
				sc.words = append(sc.words, word{s: i, e: i + m, marker: true})
				i += m
				continue
			}
		}
		space, width := spaceAt(text, i)
		if space {
			flush(i)
		} else if start < 0 {
			start = i
		}
		i += width
	}
	flush(len(text))
	return sc
}

// spaceAt reports whether a space starts at i, and the width of the character there (1 for a byte that
// is not valid UTF-8, so invalid input is walked byte by byte and never splits a valid character).
func spaceAt(s string, i int) (bool, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f', 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return r != utf8.RuneError && unicode.IsSpace(r), w
}

func (sc *scan) raw(k int) string { w := sc.words[k]; return sc.text[w.s:w.e] }

// core returns the offsets of word k without the quotes, brackets and punctuation around it.
func (sc *scan) core(k int) (int, int) {
	w := sc.words[k]
	s := trimOpen(sc.text, w.s, w.e)
	return s, trimClose(sc.text, s, w.e, true)
}

// lower returns word k's core in lower case ("" for a marker or past the end): the form keywords and
// stop-lists are written in.
func (sc *scan) lower(k int) string {
	if k < 0 || k >= len(sc.words) || sc.words[k].marker {
		return ""
	}
	s, e := sc.core(k)
	return lowerASCII(sc.text[s:e])
}

// ends reports whether word k ends with one of chars (sentence and clause ends).
func (sc *scan) ends(k int, chars string) bool {
	r := sc.raw(k)
	return r != "" && strings.IndexByte(chars, r[len(r)-1]) >= 0
}

// Quotes and brackets that wrap a value without being part of it.
const (
	asciiOpen  = "\"'`([{<"
	asciiClose = "\"'`)]}>.,;:?"
)

func trimOpen(s string, i, j int) int {
	for i < j {
		if strings.IndexByte(asciiOpen, s[i]) >= 0 {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:j])
		if r != '‘' && r != '“' && r != '«' && r != '„' {
			break
		}
		i += w
	}
	return i
}

// trimClose drops trailing punctuation from s[i:j]; a closing bracket stays when the value opened it
// ("Pa(55)"), and "!" stays unless bang, because "Winter2024!" is a very common password.
func trimClose(s string, i, j int, bang bool) int {
	// Brackets are counted once: recounting for every trailing ")" would make "x)))…" quadratic.
	var opens, closes [3]int
	for p := i; p < j; p++ {
		if b := strings.IndexByte("([{", s[p]); b >= 0 {
			opens[b]++
		} else if b := strings.IndexByte(")]}", s[p]); b >= 0 {
			closes[b]++
		}
	}
	for j > i {
		c := s[j-1]
		if c < utf8.RuneSelf {
			b := strings.IndexByte(")]}", c)
			if b >= 0 && opens[b] >= closes[b] { // "Pa(55)": the value opened it
				break
			}
			if c == '!' && bang || strings.IndexByte(asciiClose, c) >= 0 {
				if b >= 0 {
					closes[b]--
				}
				j--
				continue
			}
			break
		}
		r, w := utf8.DecodeLastRuneInString(s[i:j])
		if r != '’' && r != '”' && r != '»' {
			break
		}
		j -= w
	}
	return j
}

// openQuote returns the closing quote for a quote opening at i, and the opener's width.
func openQuote(s string, i int) (string, int) {
	switch s[i] {
	case '"', '\'', '`':
		return s[i : i+1], 1
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	switch r {
	case '‘':
		return "’", w
	case '“', '„':
		return "”", w
	case '«':
		return "»", w
	}
	return "", 0
}

// quoted returns the inside of a quoted value starting at i. The closing quote must come on the same
// line, soon, and not be glued to a letter ("it's"), or the quote did not delimit a value.
func quoted(s string, i int) (int, int, bool) {
	closer, w := openQuote(s, i)
	if closer == "" {
		return 0, 0, false
	}
	inS := i + w
	limit := min(len(s), inS+160)
	for off := inS; off < limit; {
		j := strings.Index(s[off:limit], closer)
		if j < 0 {
			return 0, 0, false
		}
		j += off
		if nl := strings.IndexByte(s[inS:j], '\n'); nl >= 0 {
			return 0, 0, false
		}
		after := j + len(closer)
		if after == len(s) || !isAlnum(s[after]) {
			a, b := inS, j
			for a < b && s[a] == ' ' {
				a++
			}
			for b > a && s[b-1] == ' ' {
				b--
			}
			return a, b, b > a
		}
		off = after
	}
	return 0, 0, false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
func isHex(c byte) bool   { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// isIdentChar covers the characters of identifiers such as DB_PASSWORD, x-api-key and
// spring.datasource.password.
func isIdentChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' || c == '.' }

// identWidth returns the width of the identifier character at i (0: none). Letters beyond ASCII count,
// so that "contraseña" and "Zugangsdaten für" are read as words.
func identWidth(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	if s[i] < utf8.RuneSelf {
		if isIdentChar(s[i]) {
			return 1
		}
		return 0
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	if r != utf8.RuneError && unicode.IsLetter(r) {
		return w
	}
	return 0
}

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// lowerASCII lower-cases ASCII letters only. It keeps every byte where it was, so offsets found in the
// result hold in the original even for invalid UTF-8 (strings.ToLower widens a bad byte to U+FFFD).
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && !isUpper(s[i]) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s)
	for ; i < len(b); i++ {
		if isUpper(b[i]) {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}
