package extract

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/exitinterview/exitinterview/prompts"
)

// How the offline rules read the churn-risk level a CSM meant. The words live in prompts/risk.txt, read
// once; this file is the small engine that matches them. A sentence is cut into lower-case words, and
// at each word the longest phrase of the lexicon that starts there is taken. What a phrase says:
//
//	section        meaning                                                 example
//	levels         a level word; the CSM's verdict only where it is one:   "lowish", "amber", "severe"
//	               first in its sentence (modifiers aside: "deep red"),
//	               after a frame, before a word of the present ("green
//	               now"), or near a risk word ("risk: amber", "I'd call
//	               it severe")
//	sizes          a level word only near a risk word                      "the risk is small", "big risk"
//	verdicts       an idiom that is the CSM's verdict wherever it stands   "touch and go", "in the bag"
//	signals        something that happened and hints at a level            "3 demos" (high), "given notice"
//	risk words     names risk itself; negated it means low                 "no real risk", "no red flags"
//	negators       turn the next three words around                        "not", "wouldn't", "no"
//	frames         make the next level word a verdict                      "I'd say", "call it", "as"
//	               (so does a negator right before it: "not critical, not high")
//	hedges         are skipped, and do not start a hypothetical            "if I'm honest", "tbh"
//	hypothetical   what follows in the sentence is not the present state   "if", "unless", "could become"
//	past           the next level word is what it was, not what it is      "was", "used to be"
//	crm            what follows in the clause is the CRM's view            "the CRM says green"
//	asides         what follows in the clause is about something else      "the upsell is 50/50"
//	churn words    make a percentage or a score a chance of leaving        "80% they walk", "8/10"
//	renew words    make a percentage a chance of staying                   "odds: 40%"
//	drivers        name what drives the risk                               "budget", "demo" (competitor)
//	spellings      shorthand written out before anything is read           "rcvd", "champ", "w/", "→"
//	other risks    a risk word in them is some other risk                  "risk appetite", "flood risk"
//	present        after a level word, make it today's verdict             "green now", "amber atm"
//	conditionals   a clause ending in "if" that holds one is hypothetical  "maybe red if it slips"
//	opinions       between a negation and a risk word, deny high risk      "wouldn't say at risk"
//	beliefs        make what the account will do likely, not certain       "I suspect they'll leave"
//	copulas        join an outcome noun to its mood                        "renewal is sure"
//	assessments    make the signal after them the CSM's own word           "it's a bit iffy"
//	irony          the sentence means the opposite of its words            "chocolate teapot"
//	answers        answer the question in the sentence before              "at risk? not really"
//	none words     as a risk label's value, say there is none              "Risk: none flagged"
//	metrics, directions, magnitudes, nps words, health words: trends and health numbers (riskgrammar.go)
//	modality, outcomes, subjects, doubts, acts, objects, modifiers, noun markers: what the account will
//	do, what was done, and how sure (riskgrammar.go)
//
// Levels are low, medium, high and critical; a value "a..b" is a range ("severe" is high or critical); a
// value ending in "!" is a strong signal, one that speaks of leaving by itself.
// Negation: a negated risk word is a low verdict ("not at risk"); a negated low rules low out ("not
// great", "wouldn't call it safe"); a negated level from medium up rules it and every level above it out
// ("wouldn't call it high", "not lost yet"). Level words joined by "to", "-" or "/" are a span and read
// as the upper one ("low to medium" is medium, "medium-high" is high, "between medium and high" high).
//
// One answer gives one reading:
//  1. The last level verdict stands (a level word, a score "8/10", a churn chance "90% gone"); without
//     one, the last idiom verdict; without one, the last "no risk". The verdict is the CSM's own.
//  2. A verdict that is a range is read at its top when the strong signals say so (a critical one, or
//     two different ones of high or above), else at its bottom: "severe" with "halfway out the door" and
//     "3 demos with Fleetly" is critical, with "not worth what we pay" alone high.
//  3. Without a verdict, the CSM's last assessment stands (a signal word said of how things are: "it's a
//     bit iffy", not conceded by a "but" after it), raised only by a strong signal;
//     without one, the strongest signal stands; without one, the level next to a negated one ("I
//     wouldn't call it high" is medium).
//  4. The level is moved to the nearest level that negations leave ("I wouldn't say at risk, but I
//     wouldn't call it safe either" is medium).
//
// A risk word negated through an opinion ("I wouldn't say they're at risk", "wouldn't call it a churn
// risk") rules high and critical out rather than stating low: alone it reads low, beside a sign of
// trouble ("cheesed off about support, wouldn't say at risk tho") medium. A clause that ends in a
// hypothetical is part of it when it holds a word of possibility or the "if" follows a level word: the
// levels said there do not count ("amber, maybe red if the integration slips again" is medium), the
// signals do ("they might churn if the SSO issue is not fixed" is medium).
//
// A risk word that labels a value ("Risk rating: 2 (low)", "Risk: none flagged") makes a level word in the
// next six words of its clause a verdict, and a none word there a "no risk".
//
// A sentence with a mark of irony ([irony]: "chocolate teapot", "I'll eat my hat") says the opposite of
// its words: its evidence is read inverted, and its "if" is no hypothetical but what is denied ("if they
// renew I'll eat my hat" is high).
//
// Outside the churn-risk question only sentences that name risk (a risk word, a level after "risk:")
// are read in full; elsewhere only strong signals and level words of high or above count, so that "a data
// export" promised or a renewal "50/50" is not a risk of its own.

// riskLevels in order; a level's rank is its index.
var riskLevels = []string{"low", "medium", "high", "critical"}

func riskRank(level string) int { return slices.Index(riskLevels, level) }

// phrase is one lexicon entry: its words (a word ending in "*" matches any word it begins), their stems
// (for the sections that match inflections) and its value.
type phrase struct {
	words []string
	stems []string
	value string
}

// phraseTable holds a section's phrases by their first word ("" for those starting with a wildcard, "~"
// and a stem for those that may match an inflection of it). loose sections match inflections and one
// word inserted inside a phrase.
type phraseTable struct {
	first map[string][]phrase
	loose bool
	tight bool // only a modifier may stand inside a phrase
}

func (t *phraseTable) add(p phrase) {
	key := p.words[0]
	if strings.HasSuffix(key, "*") {
		key = ""
	}
	t.first[key] = append(t.first[key], p)
	if t.loose && key != "" && p.stems[0] != "" {
		t.first["~"+p.stems[0]] = append(t.first["~"+p.stems[0]], p)
	}
}

// riskLexicon is prompts/risk.txt, parsed.
type riskLexicon struct {
	sections map[string]*phraseTable
	negators map[string]bool // the one-word negators: no phrase stretches over one
}

// looseSections say what the account's state is: an inflection of their words says the same ("higher",
// "concerning", "expanding"), and so does the phrase with one more word inside it ("served written
// notice", "had a quick demo", "two other vendors"), but for outcomes, where only a modifier may stand
// inside ("they moved offices to Bristol" is no "move to").
var looseSections = []string{"levels", "sizes", "verdicts", "signals", "outcomes", "acts", "objects", "churn words", "renew words",
	"metrics", "directions"}

// at returns the longest phrase of a section that matches words from i on, and how many words it took (0
// when none does). Of two phrases as long, the one matched word for word wins.
func (l riskLexicon) at(section string, ws []string, i int) (phrase, int) {
	t := l.sections[section]
	var best phrase
	if t == nil || i >= len(ws) {
		return best, 0
	}
	lists := [][]phrase{t.first[ws[i]], t.first[""]}
	if strings.HasSuffix(ws[i], "n't") {
		lists = append(lists, t.first["not"])
	}
	if t.loose {
		if st := inflectionStem(ws[i]); st != "" {
			lists = append(lists, t.first["~"+st])
		}
	}
	took, length, exact := 0, 0, false
	for _, list := range lists {
		for _, p := range list {
			n, ex, ok := l.match(t, p, ws[i:])
			if !ok {
				continue
			}
			if len(p.words) > length || len(p.words) == length && ex && !exact {
				best, took, length, exact = p, n, len(p.words), ex
			}
		}
	}
	return best, took
}

// riskWordAt is the risk word at i ([risk words]), unless a phrase of [other risks] covers it: "their
// risk appetite", "a flood risk model", "the risk register" name risk of something else.
func (l riskLexicon) riskWordAt(ws []string, i int) (phrase, int) {
	p, n := l.at("risk words", ws, i)
	if n == 0 {
		return p, 0
	}
	for k := max(0, i-2); k <= i; k++ {
		if _, m := l.at("other risks", ws, k); m > 0 && k+m > i {
			return phrase{}, 0
		}
	}
	return p, n
}

// match reports whether p matches the start of words, how many words it took and whether word for word.
// A loose match lets a word stand for an inflection of the phrase's word, and one word that is neither a
// mark nor a negator, or a modifier, stand between two of its words.
func (l riskLexicon) match(t *phraseTable, p phrase, words []string) (took int, exact, ok bool) {
	loose := t.loose
	exact = true
	j, gap := 0, false
	for k, pw := range p.words {
		if j >= len(words) {
			return 0, false, false
		}
		if m, ex := wordMatch(pw, p.stems[k], words[j], loose); m {
			exact = exact && ex
			j++
			continue
		}
		if loose && k > 0 && !gap {
			if g := l.gapAt(words, j, t.tight); g > 0 && j+g < len(words) {
				if m, _ := wordMatch(pw, p.stems[k], words[j+g], loose); m {
					gap, exact = true, false
					j += g + 1
					continue
				}
			}
		}
		return 0, false, false
	}
	return j, exact, true
}

// gapAt is how many words at j may stand inside a loose phrase: a modifier of any length ("gone a bit
// quiet", "usage has really dropped"), else one word that is neither a mark, a negator nor a level.
func (l riskLexicon) gapAt(words []string, j int, tight bool) int {
	if _, n := l.at("modifiers", words, j); n > 0 {
		return n
	}
	if tight || j >= len(words) || isMark(words[j]) || l.negators[words[j]] {
		return 0
	}
	for _, section := range []string{"levels", "sizes"} {
		if _, n := l.at(section, words, j); n > 0 {
			return 0 // "at moderate risk" is moderate, not "at risk"
		}
	}
	return 1
}

// wordMatch reports whether a text word matches a lexicon word: the same word; any word it begins, for a
// word ending in "*"; a contraction with "n't" for "not"; or, loosely, a longer word with the same stem
// ("higher" for "high").
func wordMatch(pw, stem, w string, loose bool) (match, exact bool) {
	if prefix, ok := strings.CutSuffix(pw, "*"); ok {
		return strings.HasPrefix(w, prefix), true
	}
	if w == pw {
		return true, true
	}
	if pw == "not" && strings.HasSuffix(w, "n't") {
		return true, false // "aren't going anywhere" says "not going anywhere"
	}
	return loose && stem != "" && len(w) > len(pw) && inflectionStem(w) == stem, false
}

// inflectionSuffixes are cut from a word of four letters or more to find its stem, the first that fits
// and leaves three letters, then a doubled last letter is halved:
//
//	suffix  becomes  example
//	iest    y        happiest → happy
//	ier     y        happier → happy
//	ied     y        worried → worry
//	ies     y        worries → worry
//	ing     -        concerning → concern, stopping → stop
//	ed      -        expanded → expand
//	est     -        highest → high
//	er      -        higher → high, bigger → big
//	es      -        (kept apart from s: "churches")
//	s       -        concerns → concern
//	e       -        terminate → terminat
//
// A text word matches a lexicon word by stem only when it is the longer of the two, so "tend" is no
// inflection of "tender" and "highly" (no suffix here) none of "high".
var inflectionSuffixes = [][2]string{{"iest", "y"}, {"ier", "y"}, {"ied", "y"}, {"ies", "y"}, {"ing", ""}, {"ed", ""},
	{"est", ""}, {"er", ""}, {"es", ""}, {"s", ""}, {"e", ""}}

// inflectionStem is a word's stem, or "" for a word too short or not all letters.
func inflectionStem(w string) string {
	if len(w) < 4 {
		return ""
	}
	for _, r := range w {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	for _, s := range inflectionSuffixes {
		if stem, ok := strings.CutSuffix(w, s[0]); ok && len(stem) >= 3 {
			w = stem + s[1]
			break
		}
	}
	if n := len(w); n >= 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1]
	}
	return w
}

var riskSections = []string{"levels", "sizes", "verdicts", "signals", "risk words", "negators", "frames", "hedges",
	"hypothetical", "past", "crm", "asides", "churn words", "renew words", "drivers", "modality", "outcomes", "subjects",
	"doubts", "acts", "objects", "modifiers", "retractions", "level nouns", "number words", "health words", "noun markers",
	"spellings", "metrics", "directions", "magnitudes", "nps words", "none words", "conditionals", "opinions", "beliefs", "copulas", "assessments", "irony", "answers", "other risks", "present"}

// levelSections are the sections whose values are levels or ranges of levels.
var levelSections = []string{"levels", "sizes", "verdicts", "signals"}

var loadRiskLexicon = sync.OnceValues(func() (riskLexicon, error) {
	sections, err := prompts.Sections("risk.txt")
	if err != nil {
		return riskLexicon{}, err
	}
	l := riskLexicon{sections: map[string]*phraseTable{}, negators: map[string]bool{}}
	for _, name := range riskSections {
		variants, ok := sections[name]
		if !ok {
			return l, fmt.Errorf("prompt risk.txt: no [%s] section", name)
		}
		t := &phraseTable{first: map[string][]phrase{}, loose: slices.Contains(looseSections, name), tight: name == "outcomes"}
		for _, line := range strings.Split(variants[0], "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			text, value, _ := strings.Cut(line, "=")
			p := phrase{words: riskWords(text), value: strings.TrimSpace(value)}
			for _, w := range p.words {
				p.stems = append(p.stems, inflectionStem(w))
			}
			if name == "negators" && len(p.words) == 1 {
				l.negators[p.words[0]] = true
			}
			if len(p.words) == 0 {
				return l, fmt.Errorf("prompt risk.txt [%s]: no words in %q", name, line)
			}
			if slices.Contains(levelSections, name) {
				if _, _, ok := levelRange(p.value); !ok {
					return l, fmt.Errorf("prompt risk.txt [%s]: %q is not a level", name, line)
				}
			}
			t.add(p)
		}
		l.sections[name] = t
	}
	return l, nil
})

func riskLexiconOrPanic() riskLexicon {
	l, err := loadRiskLexicon()
	if err != nil {
		panic(err) // embedded in the binary: a broken file is a build mistake, caught by the tests
	}
	return l
}

// levelRange reads "high" or "high..critical".
func levelRange(v string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(strings.TrimSuffix(v, "!"), "..")
	lo, hi = riskRank(a), riskRank(a)
	if isRange {
		hi = riskRank(b)
	}
	return lo, hi, lo >= 0 && hi >= lo
}

// riskWords cuts text into the lexicon's words: lower case, curly apostrophes straightened, "'s" a word
// of its own ("it's" → "it", "is"), "non-" the word "not", every other mark but the apostrophe and "*" a separator of its own,
// kept as a word so clauses can be told apart; a hyphen inside a word is the word hyphen. Scores like "8/10" and signed numbers ("-5", "+45" is
// "45") stay whole.
func riskWords(text string) []string {
	text = strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "–", "-", "—", "-").Replace(text))
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		w := cur.String()
		cur.Reset()
		if stem, ok := strings.CutSuffix(w, "'s"); ok && stem != "" {
			out = append(out, stem, "is")
			return
		}

		out = append(out, strings.Trim(w, "'"))
	}
	rs := []rune(text)
	for i, r := range rs {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '*':
			cur.WriteRune(r)
		case r == '-' && cur.String() == "non" && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			cur.Reset() // "non-renewal" is "not renewal"
			out = append(out, "not")
		case (r == '-' || r == '+') && cur.Len() == 0 && (i == 0 || unicode.IsSpace(rs[i-1]) || rs[i-1] == '(') &&
			i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			if r == '-' {
				cur.WriteRune(r) // a signed number: "NPS -5", "usage -40%"
			}
		case r == '-' && cur.Len() > 0 && i+1 < len(rs) && (unicode.IsLetter(rs[i+1]) || unicode.IsDigit(rs[i+1])):
			flush()
			out = append(out, hyphen) // "three-year", "medium-high": inside a word, no clause's end
		case r == '/' && cur.Len() > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur.WriteRune(r)
		case r == '.' && cur.Len() > 0 && i+1 < len(rs) && unicode.IsDigit(rs[i+1]):
			cur.WriteRune(r)
		case unicode.IsSpace(r):
			flush()
		default:
			flush()
			out = append(out, string(r))
		}
	}
	flush()
	return out
}

// hyphen stands for a hyphen inside a word ("multi-year"), told apart from a dash between clauses
// ("risk - high").
const hyphen = "‐"

// isMark reports whether a word is punctuation.
func isMark(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// frameObjects may follow a frame whose negation reaches past it: "wouldn't call it a churn risk", "don't
// consider them at risk" ("cannot say anything about risk" says nothing).
var frameObjects = wordSet(`it them they they're this that a an the`)

// clauseEnd reports whether a word ends a clause for the CRM's view and the reach of a risk word.
var clauseEnds = wordSet(`; - but however though although whereas . ! ?`)

// negationStop reports whether a word stops a negation from reaching further.
var negationStops = wordSet(`, ; : - ( ) but however though although . ! ? and`)

// riskEvidence is one thing a sentence says about the risk.
type riskEvidence struct {
	kind    string // "level", "verdict", "signal", "no risk", "score"
	lo, hi  int    // levels, as ranks
	negated bool
	strong  bool   // a signal that speaks of leaving by itself
	key     string // the phrase, so that signals said twice count once
	denial  bool   // a risk word negated through an opinion: "I wouldn't say at risk"
}

// riskReading is what one answer says about the account's churn risk.
type riskReading struct {
	level     string
	stated    bool // the CSM gave a verdict; otherwise the level is read from what they told
	drivers   []string
	crmHealth string // the health the CSM says the CRM shows
}

// churnChanceLevel maps a chance of leaving to a level: up to 20% low, under 50% medium, under 85%
// high, else critical.
func churnChanceLevel(p float64) int {
	switch {
	case p <= 0.2:
		return 0
	case p < 0.5:
		return 1
	case p < 0.85:
		return 2
	}
	return 3
}

// sentenceRisk reads one sentence's evidence. inTopic is whether the answer replies to the churn-risk
// question; outside it only sentences that name risk count in full. crm is set to the health the
// sentence says the CRM shows, drivers gathers what drives the risk.
func sentenceRisk(l riskLexicon, text string, inTopic bool) (ev []riskEvidence, drivers []string, crm string, retracts bool) {
	return readSentenceRisk(l, text, inTopic, false)
}

// readSentenceRisk is sentenceRisk; asserted makes every level word in the sentence a verdict, for a
// question the CSM answered yes to ("is it critical? yes").
func readSentenceRisk(l riskLexicon, text string, inTopic, asserted bool) (ev []riskEvidence, drivers []string, crm string, retracts bool) {
	ws := normaliseRiskWords(l, riskWords(text))
	ironic := false // "about as safe as a chocolate teapot": the words say the opposite
	for i := range ws {
		if _, n := l.at("irony", ws, i); n > 0 {
			ironic = true
		}
	}
	namesRisk := false
	for i := range ws {
		if _, n := l.riskWordAt(ws, i); n > 0 {
			namesRisk = true
		}
	}
	full := inTopic || namesRisk

	inCRM := false                 // inside a clause about the CRM's view or about something else
	negateUntil := -1              // words up to this index are negated
	frameUntil := -1               // a level word up to this index is a verdict
	pastUntil := -1                // a level word up to this index is what it was
	lastRiskWord := -10            // index of the last risk word in this clause
	leading := true                // nothing but hedges, frames, risk words and marks so far
	live := make([]int8, len(ws))  // 1: the word speaks of the account's present state; 0: unread; -1: not
	taken := make([]bool, len(ws)) // inside a phrase read as a statement
	doubtUntil := -1               // words up to this index are doubted ("no reason to believe …")
	end := len(ws)
	clauseStart, evAtClause := 0, 0 // where the clause began, and how much evidence stood then
	negatorAt, negatorEnd := -1, -1 // where the last negation began, and the word after it
	beliefUntil := -1               // a critical signal up to this index is only believed: high
	take := func(i, n int) {
		for k := i; k < i+n && k < len(taken); k++ {
			taken[k] = true
		}
	}
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if clauseEnds[w] {
			inCRM, lastRiskWord = false, -10
		}
		if w == "," {
			inCRM = false // "Salesforce has them green, I'd say amber"
		}
		if negationStops[w] {
			negateUntil = -1
		}
		if clauseEnds[w] || w == "," {
			doubtUntil = -1
			clauseStart, evAtClause = i+1, len(ev)
		}
		if isMark(w) {
			continue
		}
		live[i] = 1
		if inCRM {
			live[i] = -1
		}
		if _, n := l.at("hedges", ws, i); n > 0 {
			i += n - 1
			continue
		}
		if _, n := l.at("retractions", ws, i); n > 0 {
			ev, retracts = nil, true // "disaster of an account lol, kidding, …": what came before was a joke
			i += n - 1
			continue
		}
		if _, n := l.at("modality", ws, i); n >= 2 {
			i += n - 1 // "wouldn't be surprised if": no negation, no hypothetical; the outcome read below
			continue
		}
		if p, n := l.at("doubts", ws, i); n > 0 && p.value == "possible" {
			i += n - 1 // "not sure they'll renew": the outcome is read below, as possible
			continue
		}
		if _, n := l.at("beliefs", ws, i); n > 0 {
			beliefUntil = clauseEndAfter(ws, i+n)
			i += n - 1
			continue
		}
		if _, n := l.at("doubts", ws, i); n > 0 {
			doubtUntil = len(ws)
			for k := i + n; k < len(ws); k++ {
				if clauseEnds[ws[k]] || ws[k] == "," {
					doubtUntil = k
					break
				}
			}
			i += n - 1
			continue
		}
		if _, n := l.at("hypothetical", ws, i); n > 0 && !ironic {
			end = i
			if conditionalClause(l, ws, clauseStart, i) {
				ev = withoutStatedLevels(ev, evAtClause) // "maybe red if it slips again"
			}
			break // the rest of the sentence is what might be
		}
		if _, n := l.at("crm", ws, i); n > 0 {
			inCRM = true
			for k := i + n; k < len(ws) && k < i+n+5 && crm == ""; k++ {
				if clauseEnds[ws[k]] {
					break
				}
				if colour := crmColour(ws[k]); colour != "" {
					crm = colour
				}
			}
			if e, ok := healthScoreAt(l, ws, i+n); ok && full {
				ev = append(ev, e) // "health score 34/100": the CRM's number, but a sign all the same
			}
			i += n - 1
			continue
		}
		if _, n := l.at("asides", ws, i); n > 0 {
			inCRM = true
			i += n - 1
			continue
		}
		if _, n := l.at("negators", ws, i); n > 0 && n >= longestStatement(l, ws, i) {
			if answerParticle(l, ws, i, n) {
				frameUntil = i + 1 + 3 // "lol no they're grand", "high. actually, no, medium": an answer, not a negation
				continue
			}
			if i <= negateUntil {
				negateUntil = -1 // a negation of a negation: "not that they aren't happy", "can't say I'm not worried"
			} else {
				negateUntil, negatorAt, negatorEnd = i+n-1+3, i, i+n
			}
			i += n - 1
			continue
		}
		if _, n := l.at("past", ws, i); n > 0 {
			pastUntil = i + n - 1 + 2
			i += n - 1
			continue
		}
		if _, n := l.at("frames", ws, i); n > 0 && n > longestStatement(l, ws, i) {
			frameUntil = i + n - 1 + 3
			if i <= negateUntil && i+n < len(ws) && frameObjects[ws[i+n]] {
				negateUntil = max(negateUntil, frameUntil) // "wouldn't call it a churn risk"
			}
			i += n - 1
			continue
		}
		if _, n := l.at("modifiers", ws, i); n > 0 && longestStatement(l, ws, i) == 0 {
			if _, m := l.at("levels", ws, i+n); m > 0 {
				i += n - 1 // "deep red", "very low": a modifier leaves the level word after it leading
				continue
			}
		}
		negated := (i <= negateUntil) != (i <= doubtUntil)
		if _, n := l.riskWordAt(ws, i); n > 0 {
			take(i, n)
			lastRiskWord = i + n - 1
			labelEnd := riskLabelEnd(ws, i+n)
			if negated && !inCRM && i <= negateUntil && opinionBetween(l, ws, negatorAt, i) {
				// "wouldn't say at risk": high is ruled out, not low ruled in
				ev = append(ev, riskEvidence{kind: "level", lo: 2, hi: 2, negated: true, denial: true, key: "denial"})
			} else if negated && !inCRM || labelEnd > 0 && noneAfterLabel(l, ws, i+n) {
				ev = append(ev, riskEvidence{kind: "no risk", lo: 0, hi: 0, key: strings.Join(ws[i:i+n], " ")})
			} else if p, m := l.at("verdicts", ws, i); m >= n && !inCRM && i > pastUntil {
				// a risk word that is a verdict too: "at risk. big time." ("used to be at risk" was one)
				lo, hi, _ := levelRange(p.value)
				ev = append(ev, riskEvidence{kind: "verdict", lo: lo, hi: hi, key: strings.Join(p.words, " ")})
				n = m
			}
			// a level right after a risk word is read as a level ("risk: high", "risk = med").
			frameUntil = max(frameUntil, i+n-1+3, labelEnd)
			i += n - 1
			continue
		}
		if inCRM {
			continue
		}
		if e, n := chanceAt(l, ws, i, full); n > 0 {
			e.negated = negated
			ev = append(ev, e)
			i += n - 1
			leading = false
			continue
		}
		p, n := l.at("levels", ws, i)
		size := false
		if q, m := l.at("sizes", ws, i); m > n {
			p, n, size = q, m, true
		}
		if n > 0 {
			lo, hi, _ := levelRange(p.value)
			// "low to medium", "medium-high", "low/medium": a span of levels reads as the upper one.
			between := i > 0 && ws[i-1] == "between"
			if k := i + n; k+1 < len(ws) && (ws[k] == "to" || ws[k] == "-" || ws[k] == hyphen || ws[k] == "/" || between && ws[k] == "and") {
				if q, m := l.at("levels", ws, k+1); m > 0 {
					qlo, qhi, _ := levelRange(q.value)
					if qlo >= lo {
						lo, hi, n = qlo, qhi, k+1+m-i
					}
				}
			}
			after := false
			for k := i + n; k < len(ws) && k < i+n+4 && !clauseEnds[ws[k]]; k++ {
				if _, m := l.riskWordAt(ws, k); m > 0 {
					after = true
				}
			}
			nearRisk := i-lastRiskWord <= 4 || after
			if _, m := l.at("level nouns", ws, i+n); m > 0 {
				nearRisk = true // "on the higher side", "middle level", "a high-risk bucket"
			}
			verdict := nearRisk || (!size && (leading || asserted || between || i <= frameUntil || negated && i == negatorEnd))
			if _, m := l.at("present", ws, i+n); m > 0 {
				verdict = true // "green now", "amber at the moment"
			}
			if otherThingsRisk(l, ws, i+n) {
				verdict = false // "the high-risk items are on the plan": the items' risk, not the account's
			}
			if describesMetric(l, ws, i+n) || metricBefore(l, ws, i) {
				verdict = false // "low adoption", "usage is high right now": a trend, read below
			}
			if verdict && i > pastUntil && (full || (hi >= 2 && !negated)) {
				ev = append(ev, riskEvidence{kind: "level", lo: lo, hi: hi, negated: negated, key: p.value})
				take(i, n)
			}
			i += n - 1
			leading = false
			continue
		}
		if p, n := l.at("verdicts", ws, i); n > 0 {
			take(i, n)
			lo, hi, _ := levelRange(p.value)
			if full || lo >= 2 {
				ev = append(ev, riskEvidence{kind: "verdict", lo: lo, hi: hi, negated: negated, key: strings.Join(p.words, " ")})
			}
			i += n - 1
			leading = false
			continue
		}
		if p, n := l.at("signals", ws, i); n > 0 {
			take(i, n)
			lo, hi, _ := levelRange(p.value)
			lo, hi = modified(l, ws, i, n, lo, hi)
			if i <= beliefUntil && lo == 3 {
				lo, hi = 2, 2 // "I think they will churn"
			}
			if outcomeInMood(l, ws, i, n) {
				i += n - 1 // "they could walk": an outcome with its mood, read with it below
				leading = false
				continue
			}
			if riskOf(l, ws, i) {
				i += n - 1 // "a moderate likelihood of non-renewal": what the risk is of, not what happened
				leading = false
				continue
			}
			if full || strings.HasSuffix(p.value, "!") {
				kind := "signal"
				if assessedAt(l, ws, i) && !negated && !contrastAfter(ws, i+n, len(ws)) {
					kind = "assessment" // "reckon it's a bit iffy": the CSM's own word on it
				}
				ev = append(ev, riskEvidence{kind: kind, lo: lo, hi: hi, negated: negated, key: strings.Join(p.words, " "),
					strong: strings.HasSuffix(p.value, "!")})
			}
			i += n - 1
			leading = false
			continue
		}
		leading = false
	}
	ev = append(ev, outcomes(l, ws, end, taken, live, full, ironic)...)
	ev = append(ev, acts(l, ws, end, taken, live, full)...)
	ev = append(ev, trends(l, ws, end, live, full)...)
	ev = append(ev, healthNumbers(l, ws, end, full)...)
	if ironic {
		ev = inverted(ev)
	}
	return ev, riskDrivers(l, ws, live, end), crm, retracts
}

// inverted reads evidence said in irony as its opposite: low is high, medium stays, high and critical are
// low; a "no risk" is a high verdict.
func inverted(ev []riskEvidence) []riskEvidence {
	flip := func(v int) int { return max(0, 2-v) }
	out := make([]riskEvidence, 0, len(ev))
	for _, e := range ev {
		if e.kind == "no risk" {
			e.kind = "verdict"
		}
		e.lo, e.hi = flip(e.hi), flip(e.lo)
		e.strong = false
		out = append(out, e)
	}
	return out
}

// riskDrivers lists the kinds of driver the words name, where they speak of the present state: a word
// the reading did not stop at (inside a phrase it took whole) is as live as the word before it.
func riskDrivers(l riskLexicon, ws []string, live []int8, end int) []string {
	var out []string
	on := false
	for i := 0; i < end; i++ {
		if live[i] != 0 {
			on = live[i] > 0
		}
		if p, n := l.at("drivers", ws, i); n > 0 && on && !slices.Contains(out, p.value) {
			out = append(out, p.value)
		}
	}
	return out
}

// intensified reports whether an intensifier ([modifiers] +1) stands right before word i.
func intensified(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if p, n := l.at("modifiers", ws, k); n > 0 && k+n == i && p.value == "+1" {
			return true
		}
	}
	return false
}

// outcomeInMood reports whether a signal at i (n words) holds an outcome said with a mood of its own
// ("they could walk", "they probably won't renew"): the outcome reading, which weighs the mood, stands
// for it.
func outcomeInMood(l riskLexicon, ws []string, i, n int) bool {
	for k := i; k < i+n && k < len(ws); k++ {
		p, m := l.at("outcomes", ws, k)
		if m == 0 || k+m > i+n {
			continue
		}
		mood, _, ok := outcomeMood(l, ws, k, towardsUs(p), m >= 2)
		return ok && mood != "certain"
	}
	return false
}

// longestStatement is the length of the longest level, verdict or signal phrase at word i, so that a
// phrase that starts with a negation ("not worth what we pay", "can't see them going anywhere") is read
// as the phrase.
func longestStatement(l riskLexicon, ws []string, i int) int {
	n := 0
	for _, section := range levelSections {
		_, m := l.at(section, ws, i)
		n = max(n, m)
	}
	return n
}

// answerParticle reports whether a one-word negator at i answers rather than negates: "no" before the
// subject of a clause or a comma ("no they're grand", "nah it is fine", "actually, no, medium") says no to
// the question or to what was said, and what follows stands as it is, a level word there a verdict.
func answerParticle(l riskLexicon, ws []string, i, n int) bool {
	if n != 1 || i+1 >= len(ws) || !(ws[i] == "no" || ws[i] == "nah" || ws[i] == "nope") {
		return false
	}
	if ws[i+1] == "," || ws[i+1] == "-" {
		return true // "no, medium at most"
	}
	_, m := l.at("subjects", ws, i+1)
	return m > 0
}

// otherThingsRisk reports whether a level word ending before k is joined by a hyphen to a risk word that
// describes a noun other than the account: "high-risk items" (but "a high-risk account", "a high-risk
// bucket" are the account's).
func otherThingsRisk(l riskLexicon, ws []string, k int) bool {
	if k+2 >= len(ws) || ws[k] != hyphen {
		return false
	}
	_, m := l.riskWordAt(ws, k+1)
	if m == 0 || k+1+m >= len(ws) {
		return false
	}
	next := ws[k+1+m]
	if isMark(next) {
		return false
	}
	if _, n := l.at("level nouns", ws, k+1+m); n > 0 {
		return false
	}
	p, n := l.at("subjects", ws, k+1+m)
	return n == 0 || p.value != "account"
}

// riskLabelEnd is, when a risk word is a label (a ":" or "=" at k follows it, or one word on: "Risk
// rating: 2 (low)", "RAG status: amber"), the last word its value may reach: six words on, or the clause's end. Else 0.
func riskLabelEnd(ws []string, k int) int {
	if k+1 < len(ws) && !isMark(ws[k]) && (ws[k+1] == ":" || ws[k+1] == "=") {
		k++ // "risk rating:", "RAG status:"
	}
	if k >= len(ws) || ws[k] != ":" && ws[k] != "=" {
		return 0
	}
	end := k
	for end+1 < len(ws) && end+1 <= k+6 && !clauseEnds[ws[end+1]] && ws[end+1] != "," {
		end++
	}
	return end
}

// noneAfterLabel reports whether the value of a risk label whose mark is at k or k+1 says there is none
// ([none words]: "Risk: none flagged", "red flags: nil").
func noneAfterLabel(l riskLexicon, ws []string, k int) bool {
	if k < len(ws) && ws[k] != ":" && ws[k] != "=" {
		k++
	}
	_, n := l.at("none words", ws, k+1)
	return n > 0
}

// assessedAt reports whether a signal at i says how things stand, in the CSM's words: an assessment frame
// ([assessments]: "it's", "this one is", "things are") right before it, a modifier allowed between
// ("reckon it's a bit iffy").
func assessedAt(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-6); k < i; k++ {
		_, n := l.at("assessments", ws, k)
		if n == 0 {
			continue
		}
		j := k + n
		if _, m := l.at("modifiers", ws, j); m > 0 {
			j += m
		}
		if j == i {
			return true
		}
	}
	return false
}

// contrastAfter reports whether a contrast ("but", "though", "however") stands between from and to: an
// assessment conceded before one ("it's fine, but usage is down sharply") no longer bounds the signals.
func contrastAfter(ws []string, from, to int) bool {
	for k := from; k < to; k++ {
		if contrasts[ws[k]] {
			return true
		}
	}
	return false
}

var contrasts = wordSet(`but however though although yet`)

// withoutStatedLevels drops the levels, verdicts and scores from ev[from:]: they were said of what might
// be. Signals stay, their mood already says how sure they are ("they might churn if the SSO issue is not
// fixed" is medium).
func withoutStatedLevels(ev []riskEvidence, from int) []riskEvidence {
	out := ev[:min(from, len(ev))]
	for _, e := range ev[min(from, len(ev)):] {
		if e.kind == "signal" || e.kind == "assessment" {
			out = append(out, e)
		}
	}
	return out
}

// clauseEndAfter is the index of the word that ends the clause k is in (a clause end or a comma), or the
// sentence's length.
func clauseEndAfter(ws []string, k int) int {
	for ; k < len(ws); k++ {
		if clauseEnds[ws[k]] || ws[k] == "," {
			return k
		}
	}
	return len(ws)
}

// conditionalClause reports whether the clause from start to a hypothetical at i belongs to it: it holds
// a word of possibility ([conditionals]: "maybe red if it slips", "could go critical if they lose the
// budget"), or the hypothetical follows a level word straight ("amber, red if the renewal slips").
func conditionalClause(l riskLexicon, ws []string, start, i int) bool {
	for k := start; k < i; k++ {
		if _, n := l.at("conditionals", ws, k); n > 0 {
			return true
		}
		for _, section := range []string{"levels", "verdicts"} {
			if _, n := l.at(section, ws, k); n > 0 && k+n == i {
				return true
			}
		}
	}
	return false
}

// opinionBetween reports whether an opinion verb ([opinions]: "say", "call", "describe") stands between a
// negation at from and word i.
func opinionBetween(l riskLexicon, ws []string, from, i int) bool {
	for k := max(0, from); k < i; k++ {
		if _, n := l.at("opinions", ws, k); n > 0 {
			return true
		}
	}
	return false
}

// crmColour reads a health word the CRM may show.
func crmColour(w string) string {
	switch w {
	case "green", "healthy", "good":
		return "green"
	case "amber", "yellow", "orange":
		return "amber"
	case "red", "critical", "poor":
		return "red"
	}
	return ""
}

// chanceAt reads a score ("8/10"), odds ("70/30") or a percentage at word i as evidence, with how many
// words it took: a percentage or odds near a churn word are a chance of leaving and a verdict; near a
// renew word a chance of staying, and a signal. A percentage of something ("30% of the ARR", "10% discount") is neither.
func chanceAt(l riskLexicon, ws []string, i int, full bool) (riskEvidence, int) {
	near := func(section string, from, to int) bool {
		for k := max(0, from); k < min(len(ws), to); k++ {
			if clauseEnds[ws[k]] && k > i {
				break
			}
			if _, n := l.at(section, ws, k); n > 0 {
				return true
			}
		}
		return false
	}
	if a, ok := oddsChance(ws[i]); ok && full {
		switch {
		case near("churn words", i-4, i+6):
			lv := churnChanceLevel(a)
			return riskEvidence{kind: "score", lo: lv, hi: lv, key: ws[i]}, 1
		case near("renew words", i-5, i+6):
			lv := churnChanceLevel(1 - a)
			return riskEvidence{kind: "signal", lo: lv, hi: lv, key: "renewal chance"}, 1
		}
	}
	if f, ok := scoreFraction(ws[i]); ok && full {
		if renewAfter(l, ws, i) {
			lv := churnChanceLevel(1 - f) // "8 out of 10 chance they renew"
			return riskEvidence{kind: "signal", lo: lv, hi: lv, key: "renewal chance"}, 1
		}
		if healthBefore(l, ws, i) {
			lv := fractionLevel(1 - f)
			return riskEvidence{kind: "signal", lo: lv, hi: lv, key: "health " + ws[i]}, 1
		}
		lv := fractionLevel(f)
		return riskEvidence{kind: "score", lo: lv, hi: lv, key: ws[i]}, 1
	}
	if i+1 >= len(ws) || !(ws[i+1] == "%" || ws[i+1] == "percent") {
		return riskEvidence{}, 0
	}
	p, err := strconv.ParseFloat(ws[i], 64)
	if err != nil || p > 100 || p < 0 {
		return riskEvidence{}, 0 // "-55%" is a change, not a chance
	}
	if k := i + 2; k < len(ws) && (ws[k] == "of" || ws[k] == "discount" || ws[k] == "off" || ws[k] == "increase" || ws[k] == "uplift") {
		return riskEvidence{}, 0
	}
	switch {
	case near("churn words", i-4, i+6):
		lv := churnChanceLevel(p / 100)
		return riskEvidence{kind: "score", lo: lv, hi: lv, key: ws[i]}, 2
	case near("renew words", i-5, i+6):
		lv := churnChanceLevel(1 - p/100)
		if !full {
			return riskEvidence{}, 2
		}
		return riskEvidence{kind: "signal", lo: lv, hi: lv, key: "renewal chance"}, 2
	}
	return riskEvidence{}, 0
}

// renewAfter reports whether a score at i is a chance of staying: a renew word follows in the next four
// words of its clause ("8 out of 10 chance they renew"), and no risk word stands just before it ("risk
// 8/10, renewal in May" is a risk score).
func renewAfter(l riskLexicon, ws []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if _, n := l.riskWordAt(ws, k); n > 0 {
			return false
		}
	}
	for k := i + 1; k < min(len(ws), i+5); k++ {
		if clauseEnds[ws[k]] || ws[k] == "," {
			return false
		}
		if _, n := l.at("renew words", ws, k); n > 0 {
			return true
		}
	}
	return false
}

// readRisk combines the evidence of one answer into its reading (the rules are in the comment at the
// top of this file).
func readRisk(ev []riskEvidence) (level int, stated, ok bool) {
	allowed := []bool{true, true, true, true}
	var verdict *riskEvidence
	var negatedLevel = -1
	signal, strongSignals, critical := -1, map[string]bool{}, false
	denied := false
	assessment, strongest := -1, -1
	priority := func(e riskEvidence) int {
		switch e.kind {
		case "level", "score":
			return 3
		case "verdict":
			return 2
		case "no risk":
			return 1
		}
		return 0
	}
	for i := range ev {
		e := ev[i]
		if e.negated && e.kind == "signal" && e.lo >= 1 {
			e = riskEvidence{kind: "signal", key: e.key} // "not unhappy", "never complain": a sign they stay
			ev[i] = e
		}
		if e.denial {
			denied = true
			allowed[2], allowed[3] = false, false
			continue
		}
		if e.negated {
			if e.lo == 0 {
				allowed[0] = false
				if negatedLevel < 0 {
					negatedLevel = 0
				}
			} else {
				for k := e.lo; k < len(allowed); k++ {
					allowed[k] = false
				}
				negatedLevel = max(negatedLevel, e.lo)
			}
			continue
		}
		if p := priority(e); p > 0 {
			if verdict == nil || p >= priority(*verdict) {
				verdict = &ev[i]
			}
			continue
		}
		if e.kind == "assessment" {
			assessment = e.lo
		}
		if e.strong {
			strongest = max(strongest, e.lo)
		}
		signal = max(signal, e.lo)
		if e.strong && e.lo >= 2 {
			strongSignals[e.key] = true
		}
		critical = critical || (e.strong && e.lo == 3)
	}
	switch {
	case verdict != nil:
		level, stated = verdict.lo, true
		if verdict.hi > verdict.lo && (critical || len(strongSignals) >= 2) {
			level = verdict.hi
		}
	case assessment >= 0:
		level = max(assessment, strongest)
	case signal >= 0:
		level = signal
	case negatedLevel >= 0:
		level = negatedLevel
	case denied:
		level = 0
	default:
		return 0, false, false
	}
	return nearestAllowed(level, allowed), stated, true
}

// nearestAllowed moves level to the nearest level negations leave, the higher one on a tie; when they
// leave none, the level stands.
func nearestAllowed(level int, allowed []bool) int {
	for d := 0; d < len(allowed); d++ {
		for _, k := range []int{level + d, level - d} {
			if k >= 0 && k < len(allowed) && allowed[k] {
				return k
			}
		}
	}
	return level
}

// RiskStatement is one risk finding as the account's level is chosen from it: its level and whether the
// CSM stated it (a verdict such as "high", "I'd call it severe", "not at risk") or it was read from what
// they told (a competitor's demos, a budget cut).
type RiskStatement struct {
	Level  string
	Stated bool
}

// RiskStatementOf reads a risk finding's fields as a RiskStatement.
func RiskStatementOf(fields map[string]string) RiskStatement {
	return RiskStatement{Level: fields["level"], Stated: fields["basis"] == "stated"}
}

// AccountRisk picks the account's one churn-risk level from its risk findings, given in the order they
// were said (oldest first), and returns it with the index of the statement it came from (-1 and "" when
// none has a level):
//
//	the latest stated level stands: the CSM's last word on it ("lowish" in the notes, then "not at risk")
//	when nothing was stated, the highest level read from what they told stands
//
// So a later remark in passing ("it's Pinecrest you should be worried about") does not overrule the
// level the CSM gave, and a hypothetical ("if it fails again I'd revise that to high") is never one.
func AccountRisk(statements []RiskStatement) (string, int) {
	best := -1
	for i, s := range statements {
		if riskRank(s.Level) < 0 {
			continue
		}
		switch {
		case best < 0:
			best = i
		case s.Stated:
			best = i
		case !statements[best].Stated && riskRank(s.Level) > riskRank(statements[best].Level):
			best = i
		}
	}
	if best < 0 {
		return "", -1
	}
	return statements[best].Level, best
}
