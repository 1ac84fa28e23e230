package extract

import (
	"strings"
	"unicode"

	"github.com/exitinterview/exitinterview/gazetteer"
)

// SamePerson reports whether two names are one person, as a CSM names people: known holds the names
// said about the same account (nil when none is known), so that a short form only stands for a full
// name when it fits exactly one of them. The rule:
//
//	the same name, ignoring case, titles and dots       "Dr. Karen Liu"  "karen liu"
//	a given name alone and the full name it starts       "Karen"          "Karen Liu"
//	a title and a surname and the full name it ends      "Mr Liu"         "Karen Liu"
//	initials and the full name                           "KL"             "Karen Liu"
//	an initial for a word, word for word                 "K. Liu"         "Karen Liu"
//
// A short form that fits two full names among known ("Karen" with "Karen Liu" and "Karen Smith") is
// neither of them.
func SamePerson(a, b string, known []string) bool {
	na, nb := nameOf(a), nameOf(b)
	if len(na.words) == 0 || len(nb.words) == 0 {
		return false
	}
	if equalWords(na.words, nb.words) {
		return true
	}
	short, full := na, nb
	if len(short.words) > len(full.words) || len(short.words) == len(full.words) && len(a) > len(b) {
		short, full = nb, na
	}
	if !short.fits(full) {
		return false
	}
	fitting := 0
	var seen [][]string
	for _, k := range known {
		nk := nameOf(k)
		if len(nk.words) < 2 || equalWords(nk.words, short.words) || containsWords(seen, nk.words) {
			continue
		}
		seen = append(seen, nk.words)
		if short.fits(nk) {
			fitting++
		}
	}
	return fitting <= 1
}

type personName struct {
	words    []string // lower case, without titles and dots
	titled   bool
	initials bool // written as initials ("KL")
}

func nameOf(s string) personName {
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i] // "Karen Liu (VP Ops)"
	}
	var n personName
	for _, w := range strings.Fields(s) {
		if titleRE.MatchString(w) {
			n.titled = true
			continue
		}
		w = strings.Trim(w, ".,;:")
		if w != "" {
			n.words = append(n.words, strings.ToLower(w))
		}
	}
	if len(n.words) == 1 {
		w := strings.Trim(strings.TrimSpace(s), ".")
		n.initials = len([]rune(w)) >= 2 && len([]rune(w)) <= 3 && strings.ToUpper(w) == w && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
	}
	return n
}

// fits reports whether short can stand for full by the rule of SamePerson.
func (short personName) fits(full personName) bool {
	s, f := short.words, full.words
	switch {
	case equalWords(s, f):
		return true
	case len(s) == 1 && short.initials:
		if len([]rune(s[0])) != len(f) {
			return false
		}
		for i, r := range []rune(s[0]) {
			if []rune(f[i])[0] != r {
				return false
			}
		}
		return true
	case len(s) == 1 && len(f) > 1:
		return gazetteer.SameGivenName(s[0], f[0]) || short.titled && s[0] == f[len(f)-1]
	case len(s) == len(f):
		for i := range s {
			if s[i] != f[i] && !(isInitialOf(s[i], f[i]) || isInitialOf(f[i], s[i])) && !(i == 0 && gazetteer.SameGivenName(s[i], f[i])) {
				return false
			}
		}
		return true
	}
	return false
}

func isInitialOf(initial, word string) bool {
	r := []rune(initial)
	return len(r) == 1 && strings.HasPrefix(word, initial)
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func containsWords(list [][]string, w []string) bool {
	for _, x := range list {
		if equalWords(x, w) {
			return true
		}
	}
	return false
}
