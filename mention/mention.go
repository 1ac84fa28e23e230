// Package mention finds which accounts of a book a text names, the way a CSM names them: the full name,
// the name without its legal form ("Hooli" for "Hooli Inc."), its first distinctive word ("Umbrella" for
// "Umbrella Corporation"), with or without a possessive ("Hooli's"), in any letter case. It is the one
// place that decides it, for capture (which account a sentence is filed under) and extraction.
package mention

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Account is an account of the book: its id and its name as the manager entered it.
type Account struct {
	ID   string
	Name string
}

// Hit is one account named in a text: the first place it is named.
type Hit struct {
	AccountID string
	Start     int // byte offsets of the name in the text
	End       int
	// Short is true when the text used a short form (not the full name).
	Short bool
	// Comparison is true when the account is named as a point of comparison ("unlike Hooli", "same as
	// at Globex"), so the sentence is likely about something else.
	Comparison bool
	// Misspelt is true when FindLoose took a misspelling for the name ("nordhafn"; also "price" for Pryce).
	Misspelt bool
}

type form struct {
	accountID string
	words     []string // lower-case words of the form
	short     bool
}

// Matcher finds the accounts of one book in texts. Build it once per book.
type Matcher struct {
	forms []form
}

// legalForms are the words of a company's legal form or group designation, dropped from the end of a
// name to get the name people say.
var legalForms = wordSet(`inc incorporated corp corporation co company ltd limited llc llp lp plc gmbh ag kg sa sas sarl srl spa bv nv oy ab as asa aps pty pte kk group holdings holding the`)

// commonFirstWords are first words of company names that are ordinary words people use all the time, so
// they never name an account on their own ("First National Bank" is not "First").
var commonFirstWords = wordSet(`a an the first second new old north south east west central global united national international
american european general great big best blue green red black white gold golden silver royal city state
digital data health care bank capital american pacific atlantic smart open one all my our your their
premier prime true next pro total advanced applied integrated summit alpha beta delta omega`)

// NewMatcher returns a matcher for a book. A short form two accounts share names neither.
func NewMatcher(accounts []Account) *Matcher {
	m := &Matcher{}
	owners := map[string]map[string]bool{} // short form → the accounts it could be
	var shorts []form
	for _, a := range accounts {
		full := words(a.Name)
		if len(full) == 0 {
			continue
		}
		m.forms = append(m.forms, form{accountID: a.ID, words: full})
		for _, f := range shortForms(full) {
			key := strings.Join(f, " ")
			if owners[key] == nil {
				owners[key] = map[string]bool{}
			}
			owners[key][a.ID] = true
			shorts = append(shorts, form{accountID: a.ID, words: f, short: true})
		}
	}
	fulls := map[string]bool{}
	for _, f := range m.forms {
		fulls[strings.Join(f.words, " ")] = true
	}
	for _, f := range shorts {
		key := strings.Join(f.words, " ")
		if len(owners[key]) == 1 && !fulls[key] {
			m.forms = append(m.forms, f)
		}
	}
	// Longest forms first, so "Acme Health" wins over a shorter overlapping form.
	slices.SortStableFunc(m.forms, func(a, b form) int { return len(b.words) - len(a.words) })
	return m
}

// shortForms are the names people use for a company besides its full name.
func shortForms(full []string) [][]string {
	var out [][]string
	core := full
	for len(core) > 1 && legalForms[core[len(core)-1]] {
		core = core[:len(core)-1]
	}
	for len(core) > 1 && core[0] == "the" {
		core = core[1:]
	}
	if len(core) < len(full) {
		out = append(out, core)
	}
	if len(core) > 1 {
		first := core[0]
		if utf8.RuneCountInString(first) >= 3 && !commonFirstWords[first] && !legalForms[first] {
			out = append(out, []string{first})
		}
	}
	return out
}

// Find returns the accounts the text names, each once, in the order they are first named.
func (m *Matcher) Find(text string) []Hit { return m.find(text, !hasCapitals(text)) }

// find is Find; casual reads a short form in lower case as a name whatever the rest of the text does.
func (m *Matcher) find(text string, casual bool) []Hit {
	if m == nil || len(m.forms) == 0 {
		return nil
	}
	toks := tokenize(text)
	lowerWriter := casual
	taken := make([]bool, len(toks))
	seen := map[string]int{}
	var hits []Hit
	for _, f := range m.forms {
		for i := 0; i+len(f.words) <= len(toks); i++ {
			if !matchAt(toks, i, f.words) || slices.Contains(taken[i:i+len(f.words)], true) {
				continue
			}
			if f.short && !lowerWriter && !capitalised(text[toks[i].start:toks[i].end]) {
				continue // "a stark contrast" is not Stark Logistics; a lower-case writer is read as written
			}
			for k := i; k < i+len(f.words); k++ {
				taken[k] = true
			}
			h := Hit{AccountID: f.accountID, Start: toks[i].start, End: toks[i+len(f.words)-1].end, Short: f.short,
				Comparison: comparison(text[:toks[i].start])}
			if j, ok := seen[f.accountID]; ok {
				if h.Start < hits[j].Start {
					hits[j] = h
				}
				continue
			}
			seen[f.accountID] = len(hits)
			hits = append(hits, h)
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int { return a.Start - b.Start })
	return hits
}

type token struct {
	start, end int
	lower      string
}

// tokenize cuts text into words of letters and digits; "&", "-" and "." inside a word stay in it
// ("AT&T", "Hewlett-Packard", "Booking.com"), an apostrophe ends it ("Hooli's" is "Hooli").
func tokenize(text string) []token {
	var out []token
	start := -1
	for i, r := range text {
		inWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		if !inWord && start >= 0 && (r == '&' || r == '-' || r == '.') {
			next, _ := utf8.DecodeRuneInString(text[i+utf8.RuneLen(r):])
			inWord = unicode.IsLetter(next) || unicode.IsDigit(next)
		}
		switch {
		case inWord && start < 0:
			start = i
		case !inWord && start >= 0:
			out = append(out, token{start, i, strings.ToLower(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, token{start, len(text), strings.ToLower(text[start:])})
	}
	return out
}

func words(name string) []string {
	toks := tokenize(name)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.lower
	}
	return out
}

func matchAt(toks []token, i int, ws []string) bool {
	for k, w := range ws {
		if toks[i+k].lower != w {
			return false
		}
	}
	return true
}

func capitalised(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// hasCapitals reports whether the writer uses capital letters at all beyond "I": someone who writes
// everything in lower case names accounts in lower case too.
func hasCapitals(text string) bool {
	for i, r := range text {
		if unicode.IsUpper(r) {
			if r == 'I' && (i+1 >= len(text) || !unicode.IsLetter(rune(text[i+1]))) {
				continue
			}
			return true
		}
	}
	return false
}

// comparisonCues are the words just before a name that make it a point of comparison.
var comparisonCues = []string{"unlike", "like", "similar to", "same as", "as with", "as at", "compared to", "compared with",
	"than", "than at", "than with", "just as", "the way", "as we did with", "as we did for", "as happened at", "as happened with",
	"same thing at", "same thing with", "same issue as", "same problem as", "à la", "happened at", "happened with",
	"happened to", "happened for", "saw at", "seen at", "had at", "did at", "did for", "did with", "did to"}

// comparison reports whether the words right before a name compare with it.
func comparison(before string) bool {
	ws := words(before)
	if len(ws) > 6 {
		ws = ws[len(ws)-6:]
	}
	tail := " " + strings.Join(ws, " ")
	for _, c := range comparisonCues {
		if strings.HasSuffix(tail, " "+c) {
			return true
		}
	}
	return false
}

func wordSet(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(s) {
		out[w] = true
	}
	return out
}
