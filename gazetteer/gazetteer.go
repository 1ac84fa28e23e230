// Package gazetteer knows the names that are never people: channels ("Slack Connect"), time zones
// ("Central"), regions ("Midwest"), places, departments, tools, calendar words and sentence openers.
// The list is prompts/never_people.txt, read once; the interviewer's follow-ups and extraction both ask
// it, so "What is Midwest's role?" is never asked and "Connect" is never greeted.
package gazetteer

import (
	"strings"
	"sync"

	"github.com/exitinterview/exitinterview/prompts"
)

type list struct {
	words   map[string]bool       // single-word entries, lower case
	phrases map[string][][]string // entries of several words, by their first word, lower case
	longest int
}

var load = sync.OnceValue(func() list {
	text, err := prompts.Read("never_people.txt")
	if err != nil {
		panic(err) // embedded in the binary: missing is a build mistake, caught by the tests
	}
	l := list{words: map[string]bool{}, phrases: map[string][][]string{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "[") {
			continue
		}
		ws := strings.Fields(strings.ToLower(line))
		if len(ws) == 1 {
			l.words[ws[0]] = true
			continue
		}
		l.phrases[ws[0]] = append(l.phrases[ws[0]], ws)
		l.longest = max(l.longest, len(ws))
	}
	return l
})

// NotPerson reports whether a single word is never a person's name ("Teams", "Midwest", "Monday").
func NotPerson(word string) bool {
	return load().words[strings.ToLower(strings.Trim(word, ".,;:!?\"'()"))]
}

// PhraseAt returns how many of words, from i on, make a phrase that is never a person ("Slack Connect",
// "Jack Henry"), or 0.
func PhraseAt(words []string, i int) int {
	l := load()
	best := 0
	for _, p := range l.phrases[strings.ToLower(strings.Trim(words[i], ".,;:!?\"'()"))] {
		if i+len(p) > len(words) || len(p) <= best {
			continue
		}
		match := true
		for k, w := range p {
			if strings.ToLower(strings.Trim(words[i+k], ".,;:!?\"'()")) != w {
				match = false
				break
			}
		}
		if match {
			best = len(p)
		}
	}
	return best
}

type givenNames struct {
	names map[string]bool // every given name, lower case
	words map[string]bool // given names that are also everyday English words ("may", "will")
	// nicknames are the given names a short form stands for ("gerry" → gerald, gerard, geraldine).
	nicknames map[string][]string
}

var loadGiven = sync.OnceValue(func() givenNames {
	sections, err := prompts.Sections("given_names.txt")
	if err != nil {
		panic(err) // embedded in the binary: a broken list is a build mistake, caught by the tests
	}
	g := givenNames{names: map[string]bool{}, words: map[string]bool{}, nicknames: map[string][]string{}}
	for _, v := range sections["names"] {
		for _, w := range strings.Fields(strings.ToLower(v)) {
			g.names[w] = true
		}
	}
	for _, v := range sections["nicknames"] {
		for _, line := range strings.Split(strings.ToLower(v), "\n") {
			if ws := strings.Fields(line); len(ws) > 1 {
				g.nicknames[ws[0]] = append(g.nicknames[ws[0]], ws[1:]...)
			}
		}
	}
	for _, v := range sections["also words"] {
		for _, w := range strings.Fields(strings.ToLower(v)) {
			g.names[w], g.words[w] = true, true
		}
	}
	return g
})

// SameGivenName reports whether two given names (any case) can be one person's: equal, or one a short
// form of the other ("Gerry" and "Gerald", "Bob" and "Robert").
func SameGivenName(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return true
	}
	g := loadGiven()
	for _, full := range g.nicknames[a] {
		if full == b {
			return true
		}
	}
	for _, full := range g.nicknames[b] {
		if full == a {
			return true
		}
	}
	return false
}

// GivenName reports whether word is a common given name as written: with a capital any listed name
// counts ("Jan", "May"), in lower case only a name that is not also an everyday word ("karen", not
// "will").
func GivenName(word string) bool {
	word = strings.Trim(word, ".,;:!?\"'()")
	lower := strings.ToLower(word)
	g := loadGiven()
	if !g.names[lower] {
		return false
	}
	return word != lower || !g.words[lower]
}
