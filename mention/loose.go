package mention

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// FindLoose returns the accounts a short question names the way a successor types it: what Find reads
// (a short form in lower case too, whatever case the rest is in), and besides it
//
//	a misspelt word of the name    "nordhafn", "brenwald", "northwnd" (one letter off, two in a name
//	                               word of eight letters or more; only a word of five letters or more,
//	                               and not a common first word)
//	the initials of the name       "K&B", "M&V", "kb" for "Kessler & Baptiste LLP" (two letters or more,
//	                               the legal form left out)
//
// A loose form two accounts share names neither, unless a word next to it is another word of one of
// them ("hallden mutual"). Hits are in the order they are named.
func (m *Matcher) FindLoose(text string) []Hit {
	hits := m.find(text, true) // a question is typed in haste: "polaris IT contact" names Polaris
	named := map[string]bool{}
	for _, h := range hits {
		named[h.AccountID] = true
	}
	toks := tokenize(text)
	for i, t := range toks {
		if slices.ContainsFunc(hits, func(h Hit) bool { return t.start >= h.Start && t.end <= h.End }) {
			continue
		}
		var owners []form
		misspelt := false
		for _, f := range m.forms {
			if ok, typo := m.loose(f, t.lower); ok && !f.short && !named[f.accountID] {
				owners = append(owners, f)
				misspelt = misspelt || typo
			}
		}
		if len(owners) > 1 {
			// "hallden mutual": the word next to it that is another word of one of them says which.
			var near []form
			for _, f := range owners {
				if i > 0 && slices.Contains(f.words, toks[i-1].lower) || i+1 < len(toks) && slices.Contains(f.words, toks[i+1].lower) {
					near = append(near, f)
				}
			}
			owners = near
		}
		if len(owners) == 1 {
			named[owners[0].accountID] = true
			hits = append(hits, Hit{AccountID: owners[0].accountID, Start: t.start, End: t.end, Short: true, Misspelt: misspelt})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int { return a.Start - b.Start })
	return hits
}

// loose reports whether word names the account of full form f by its initials or as a misspelling of
// one of its distinctive words (typo).
func (m *Matcher) loose(f form, word string) (ok, typo bool) {
	core := f.words
	for len(core) > 1 && legalForms[core[len(core)-1]] {
		core = core[:len(core)-1]
	}
	if len(core) >= 2 {
		var initials strings.Builder
		for _, w := range core {
			if w != "&" && w != "and" && w != "the" {
				r, _ := utf8.DecodeRuneInString(w)
				initials.WriteRune(r)
			}
		}
		bare := strings.NewReplacer("&", "", ".", "", "-", "").Replace(word)
		if utf8.RuneCountInString(bare) >= 2 && bare == initials.String() {
			return true, false
		}
	}
	n := utf8.RuneCountInString(word)
	if n < 5 {
		return false, false
	}
	for _, w := range core {
		if commonFirstWords[w] || legalForms[w] || utf8.RuneCountInString(w) < 5 || w == word {
			continue
		}
		allowed := 1
		if utf8.RuneCountInString(w) >= 8 {
			allowed = 2
		}
		if distance(word, w) <= allowed {
			return true, true
		}
	}
	return false, false
}

// distance is the optimal string alignment distance of a and b: insertions, deletions, substitutions and
// swaps of two neighbouring letters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > 2 || d < -2 {
		return 3
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
