package embed

import "strings"

// stopWords are dropped before any feature is made, so a question ("who signs the contract at
// Northwind?") and an answer ("Marco, the CFO, approves the renewal") meet on content words instead
// of on "the". The list is compact on purpose: words that carry meaning for a successor ("why",
// "more", "left", "like") stay, and a word listed here can never take part in the lexicon. Spoken
// fillers are here because answers are interview speech. Apostrophes are removed before the lookup,
// hence "dont" and "theyre".
const stopWords = `
a about above after again against all also am an and any anyone anything are as at
be been before being below between both but by can could did do does doing done
down during each else etc even ever every few for from further get gets got had has have having
he her here hers herself him himself his how however i if in into is it its itself just
let lets may me might mine must my myself no nor not now of off oh ok okay on once only onto or
other our ours ourselves out over own please quite rather really same she should so some someone
something such than that thats the their theirs them themselves then there theres these they this
those though through to too uh um under until up upon us very was we well were what whats when
where which while who whom whose will with within without would yeah yes yet you your yours
yourself im ive id youre youve theyre theyve weve dont doesnt didnt isnt arent wasnt werent cant
couldnt wont wouldnt shouldnt hasnt havent hadnt tell know think actually basically kind sort
`

// stopSet is stopWords as a set.
var stopSet = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopWords) {
		m[w] = true
	}
	return m
}()

// IsStopWord reports whether a lower-case word, its apostrophes removed ("dont"), is one the embedder
// drops as carrying no meaning of its own.
func IsStopWord(w string) bool { return stopSet[w] }

// Stem is the stem the embedder reads a lower-case word by ("renewals" and "renewing" are "renew").
func Stem(w string) string { return string(stem([]byte(w))) }

// stem strips one common English suffix from a lower-case ASCII word, in place, and tidies the
// ending, so "renew", "renews", "renewed", "renewing" and "renewal" share "renew", and "price" and
// "pricing" share "pric". It is deliberately light — a Porter stemmer would merge more but also
// mislead more ("customer" into "custom") — and deterministic, because every stored vector depends on
// it: any change to it must bump the model name.
func stem(w []byte) []byte {
	if len(w) == 0 {
		return w
	}
	stripped := false
	for _, r := range suffixRules {
		if w[len(w)-1] != r.suffix[len(r.suffix)-1] || len(w) < len(r.suffix)+r.minStem ||
			string(w[len(w)-len(r.suffix):]) != r.suffix {
			continue
		}
		base := w[:len(w)-len(r.suffix)]
		if !hasVowel(base) || (r.suffix == "s" && strings.IndexByte("siu", base[len(base)-1]) >= 0) {
			continue // "ss", "us", "is" endings are not plurals: process, status, analysis
		}
		w = append(base, r.repl...) // fits: repl is never longer than suffix
		if r.undouble {
			w = undouble(w)
		}
		stripped = true
		break
	}
	n := len(w)
	switch {
	case !stripped && n >= 4 && w[n-1] == 'e':
		w = w[:n-1] // "decide" meets "decided" and "deciding" at "decid"; "agreed" stays "agre"
	case n >= 4 && w[n-1] == 'y' && !isVowel(w[n-2]):
		w[n-1] = 'i' // "company" meets "companies" at "compani"
	}
	return w
}

// suffixRules are tried in order, longest first where one suffix ends another.
var suffixRules = [...]struct {
	suffix, repl string
	minStem      int  // the shortest stem left; shorter ones are real words ("need", "sing")
	undouble     bool // "planned" → "plan", "committed" → "commit"
}{
	{"ations", "at", 3, false}, // "integration" meets "integrate" at "integrat"
	{"ation", "at", 3, false},
	{"nesses", "", 3, false},
	{"ness", "", 3, false},
	{"ments", "", 3, false},
	{"ment", "", 3, false},
	{"ings", "", 3, true},
	{"ing", "", 3, true},
	{"edly", "", 3, true},
	{"ed", "", 3, true},
	{"ies", "i", 3, false},
	{"als", "", 4, false}, // 4: "legal" and "total" keep their ending
	{"al", "", 4, false},
	{"es", "", 3, false},
	{"ly", "", 3, false},
	{"s", "", 3, false},
}

// undouble drops the second of a doubled final consonant, except l, s and z, whose doubles are part of
// the word ("call", "miss", "buzz").
func undouble(w []byte) []byte {
	n := len(w)
	if n >= 4 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && strings.IndexByte("lsz", w[n-1]) < 0 {
		return w[:n-1]
	}
	return w
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

func hasVowel(w []byte) bool {
	for _, c := range w {
		if isVowel(c) || c == 'y' {
			return true
		}
	}
	return false
}

// FNV-1a 64 rather than hash/maphash: maphash seeds are random per process, and a vector must be
// the same in every process that ever wrote one to the database.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// wordHash is the feature key of a word or stem. FNV-1a's low bits are a plain parity of the input
// bytes, so the result goes through a finaliser before its bits pick a slot, a dimension and a sign.
func wordHash(w []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range w {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return mix(h)
}

// mix is MurmurHash3's 64-bit finaliser: every input bit reaches every output bit.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}
