package report

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/prompts"
)

// The wording of the introduction e-mail: how its recipients are greeted and how it mentions what the
// successor takes over. The words it reads are prompts/email_words.txt, parsed once.

// emailWords is prompts/email_words.txt: sets of lower-case words, and phrases of several words.
type emailWords struct {
	sets       map[string]map[string]bool // section → single words
	phrases    map[string][][]string      // section → every entry as words, longest first
	toCustomer map[string]string          // "their" → "your"
	gerunds    map[string]string          // "sending" → "send"
}

var loadEmailWords = sync.OnceValue(func() emailWords {
	sections, err := prompts.Sections("email_words.txt")
	if err != nil {
		panic(err) // embedded in the binary: a broken file is a build mistake, caught by the tests
	}
	w := emailWords{sets: map[string]map[string]bool{}, phrases: map[string][][]string{}, toCustomer: map[string]string{},
		gerunds: map[string]string{}}
	for name, variants := range sections {
		w.sets[name] = map[string]bool{}
		for _, line := range strings.Split(variants[0], "\n") {
			line = strings.ToLower(strings.TrimSpace(line))
			if line == "" {
				continue
			}
			if from, to, ok := strings.Cut(line, "="); ok {
				w.toCustomer[strings.TrimSpace(from)] = strings.TrimSpace(to)
				continue
			}
			words := strings.Fields(line)
			if len(words) == 1 {
				w.sets[name][line] = true
			}
			w.phrases[name] = append(w.phrases[name], words)
		}
		ps := w.phrases[name]
		// Longest first, so "i promised to" wins over "i promised".
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j]) > len(ps[j-1]); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
	}
	for _, v := range w.phrases["verbs"] {
		for _, g := range gerundsOf(v[0]) {
			w.gerunds[g] = v[0]
		}
	}
	return w
})

// gerundsOf returns the -ing forms a verb may take: "send" → "sending", "share" → "sharing",
// "get" → "getting".
func gerundsOf(verb string) []string {
	out := []string{verb + "ing"}
	if strings.HasSuffix(verb, "e") && !strings.HasSuffix(verb, "ee") {
		out = append(out, strings.TrimSuffix(verb, "e")+"ing")
	}
	if r := []rune(verb); len(r) >= 3 && !vowel(r[len(r)-3]) && vowel(r[len(r)-2]) && !vowel(r[len(r)-1]) &&
		!strings.ContainsRune("wxy", r[len(r)-1]) {
		out = append(out, verb+string(r[len(r)-1])+"ing")
	}
	return out
}

func vowel(r rune) bool { return strings.ContainsRune("aeiou", r) }

// is reports whether word (any case, outer punctuation ignored) is in the section.
func (w emailWords) is(section, word string) bool { return w.sets[section][bare(word)] }

// phraseAt returns how many words from i on make an entry of the section (the longest), or 0.
func (w emailWords) phraseAt(section string, words []string, i int) int {
	for _, p := range w.phrases[section] {
		if i+len(p) > len(words) {
			continue
		}
		match := true
		for k, x := range p {
			if bare(words[i+k]) != x {
				match = false
				break
			}
		}
		if match {
			return len(p)
		}
	}
	return 0
}

// bare is a word in lower case without the punctuation around it.
func bare(word string) string { return strings.ToLower(strings.Trim(word, `.,;:!?"'()[]`)) }

// greeting is the e-mail's first line for its recipients, named as the report names them:
//
//	recipients                                greeting
//	none                                      "Hello,"
//	one to four                               "Hello Karen," "Hello Karen and Tom," "Hello Karen, Tom and Maya,"
//	more than four                            "Hello all,"
//	a title and a full name                   "Dr. Aisha Khan" → "Aisha" (titles are not greeted alone)
//	a title and a surname alone               "Dr. Chen" → "Dr. Chen"
//	an initial and a surname                  "J. Smith" → "J. Smith"
//	a name typed in lower case                "karen liu" → "Karen"
//	two recipients of the same given name     their full names: "Karen Liu and Karen Smith"
//	initials alone ("KL"), with no name       nobody is greeted by name: "Hello," or "Hello all,"
func greeting(names []string) string {
	if len(names) == 0 {
		return "Hello,"
	}
	if len(names) > 4 {
		return "Hello all,"
	}
	given := make([]string, len(names))
	for i, n := range names {
		g, ok := givenName(n)
		if !ok {
			if len(names) == 1 {
				return "Hello,"
			}
			return "Hello all,"
		}
		given[i] = g
	}
	out := make([]string, len(given))
	for i := range given {
		out[i] = given[i]
		for j := range given {
			if i != j && strings.EqualFold(given[i], given[j]) {
				out[i] = untitled(names[i])
			}
		}
	}
	return "Hello " + joinAnd(out) + ","
}

// givenName is how a person is greeted (see greeting), and false when they cannot be greeted by name.
func givenName(name string) (string, bool) {
	words := strings.Fields(displayName(cutParenthesis(name)))
	if len(words) == 0 || len(words) == 1 && isInitials(words[0]) {
		return "", false
	}
	w := loadEmailWords()
	titled := w.is("titles", words[0])
	switch {
	case titled && len(words) == 2:
		return strings.Join(words, " "), true // "Dr. Chen"
	case titled:
		words = words[1:]
	}
	if first := strings.TrimSuffix(words[0], "."); len(words) > 1 && utf8.RuneCountInString(first) == 1 {
		return strings.Join(words, " "), true // "J. Smith"
	}
	return words[0], true
}

// untitled is a name without the title before it.
func untitled(name string) string {
	words := strings.Fields(displayName(cutParenthesis(name)))
	if len(words) > 2 && loadEmailWords().is("titles", words[0]) {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// isInitials reports whether a word is initials alone: two or three capitals ("KL", "T.W.").
func isInitials(word string) bool {
	w := strings.ReplaceAll(word, ".", "")
	n := utf8.RuneCountInString(w)
	return n >= 2 && n <= 3 && strings.ToUpper(w) == w && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

// displayName writes a name typed all in lower case with capitals ("karen liu" → "Karen Liu",
// "josé-maría garcía" → "José-María García", "jan de vries" → "Jan de Vries"); any other name is left as
// it was written.
func displayName(name string) string {
	name = strings.Join(strings.Fields(name), " ")
	if strings.ToLower(name) != name {
		return name
	}
	w := loadEmailWords()
	words := strings.Fields(name)
	for i, word := range words {
		if i > 0 && w.is("particles", word) {
			continue
		}
		parts := strings.Split(word, "-")
		for k, p := range parts {
			parts[k] = capitalise(p)
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

var parenthesis = regexp.MustCompile(`\s*\([^()]*\)`)

func cutParenthesis(s string) string {
	for parenthesis.MatchString(s) {
		s = parenthesis.ReplaceAllString(s, "")
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// meetPhrase asks for a meeting of everyone the e-mail brings together: the CSM, the successor and the
// recipients, counted in words up to six ("for the three of us to meet"); with nobody named, or more
// than six, "for us to meet".
func meetPhrase(recipients int) string {
	counts := []string{"three", "four", "five", "six"}
	if recipients < 1 || recipients > len(counts) {
		return "for us to meet"
	}
	return "for the " + counts[recipients-1] + " of us to meet"
}

// contextPhrase is how the e-mail mentions to the customer what the successor takes over, from the
// words the CSM's answer was captured in:
//
//	upsell      "our conversation about" and the product, as a thing both sides know:
//	            "Enterprise plan" → "our conversation about the Enterprise plan"
//	open issue  "where we are on" and the issue: "The GPS drift bug" → "where we are on the GPS drift bug";
//	            a clause is "the issue that …": "billing sync fails" → "… the issue that billing sync fails"
//	commitment  a verb: "my promise to" and it: "Will send the deck" → "my promise to send the deck";
//	            else "my promise of" and the thing: "SLA report" → "my promise of an SLA report"
//
// The words are tidied first (tidyPhrase) and the customer is spoken to: "their" → "your", "them" →
// "you".
func contextPhrase(typ, what string) string {
	words := strings.Fields(tidyPhrase(what))
	switch typ {
	case extract.Upsell:
		return "our conversation about " + strings.Join(toCustomer(definite(words)), " ")
	case extract.OpenIssue:
		if isClause(words) {
			return "where we are on the issue that " + strings.Join(toCustomer(lowerOpening(words)), " ")
		}
		return "where we are on " + strings.Join(toCustomer(definite(words)), " ")
	}
	words = withoutOpener(words)
	if verb, rest, ok := promisedVerb(words); ok {
		return "my promise to " + strings.Join(toCustomer(append([]string{verb}, rest...)), " ")
	}
	return "my promise of " + strings.Join(toCustomer(indefinite(words)), " ")
}

// mentionable reports whether what was captured reads as a thing to name to the customer, so that the
// e-mail mentions it: not a piece of a sentence ("it", "so", "after the holidays", "He has an open
// complaint"), not cut off mid-way ("by the", "bug which"), not the CSM talking to themselves ("pls",
// "eng says"), no list of its own (a comma, a colon, a dash or a question), at most fifteen words, a
// single word only when it is a name ("SSO", "Salesforce"), and a clause only as an open issue that is
// not about "the issue" itself.
func mentionable(typ, what string) bool {
	tidy := tidyPhrase(what)
	words := strings.Fields(tidy)
	if typ == extract.Commitment {
		words = withoutOpener(words)
	}
	w := loadEmailWords()
	switch {
	case len(words) == 0 || len(words) > 15:
		return false
	case strings.ContainsAny(tidy, `,;:?!"“”—–`) || strings.Contains(tidy, " - "):
		return false
	case w.phraseAt("unfit_starts", words, 0) > 0 || w.is("unfit_ends", words[len(words)-1]):
		return false
	case len(words) == 1 && !startsUpper(words[0]):
		return false
	case utf8.RuneCountInString(bare(words[0])) == 1 && bare(words[0]) != "a":
		return false // "s colleague Ines": a word cut in two
	case w.phraseAt("clause_words", words, 0) > 0:
		return false // "drops updates overnight": a sentence without its subject
	}
	for _, x := range words {
		if w.is("unfit_words", x) {
			return false
		}
	}
	if isClause(words) {
		if typ != extract.OpenIssue {
			_, _, verb := promisedVerb(words)
			return typ == extract.Commitment && verb && !isClause(words[1:])
		}
		for _, x := range words {
			if b := bare(x); b == "issue" || b == "problem" || b == "issues" || b == "problems" {
				return false
			}
		}
	}
	return true
}

var bullet = regexp.MustCompile(`^[\s\-–—•*·>]+`)

// tidyPhrase is a captured phrase without what an e-mail leaves out: asides in parentheses, a bullet
// mark, the punctuation around it, hedges and jokes before or after it ("maybe", ", probably", "lol"),
// and runs of spaces.
func tidyPhrase(s string) string {
	s = cutParenthesis(s)
	s = bullet.ReplaceAllString(s, "")
	words := strings.Fields(s)
	w := loadEmailWords()
	for changed := true; changed && len(words) > 0; {
		changed = false
		if n := w.phraseAt("hedges", words, 0); n > 0 && n < len(words) {
			words, changed = words[n:], true
		}
		for n := min(3, len(words)-1); n >= 1; n-- {
			if w.phraseAt("hedges", words, len(words)-n) == n {
				words, changed = words[:len(words)-n], true
				break
			}
		}
		if len(words) > 0 {
			last := strings.TrimRight(words[len(words)-1], ".,;:!")
			if last != words[len(words)-1] {
				words[len(words)-1], changed = last, true
			}
			if last == "" {
				words = words[:len(words)-1]
			}
		}
	}
	return strings.Join(words, " ")
}

// withoutOpener drops how a promise was announced: "Will send" → "send", "i'll share" → "share".
func withoutOpener(words []string) []string {
	if n := loadEmailWords().phraseAt("promise_openers", words, 0); n > 0 && n < len(words) {
		return words[n:]
	}
	return words
}

// promisedVerb returns the verb a promise starts with, in its plain form ("sending" → "send"), and the
// words after it; false when the promise is a thing, not an action (see the verbs_also_nouns section).
func promisedVerb(words []string) (string, []string, bool) {
	if len(words) == 0 {
		return "", nil, false
	}
	w := loadEmailWords()
	if base, ok := w.gerunds[bare(words[0])]; ok {
		return base, words[1:], true
	}
	n := w.phraseAt("verbs", words, 0)
	if n == 0 {
		return "", nil, false
	}
	verb := strings.ToLower(strings.Join(words[:n], " "))
	rest := words[n:]
	if n == 1 && w.is("verbs_also_nouns", verb) && len(rest) > 0 {
		next := rest[0]
		switch {
		case w.is("noun_prepositions", next):
			return "", nil, false // "update on the roadmap"
		case !startsUpper(next) && !w.is("determiners", next) && !w.is("indefinite", next) && !w.is("quantities", next) &&
			!w.is("numbers", next) && w.toCustomer[bare(next)] == "" && !isPronoun(next) && !startsDigit(next):
			return "", nil, false // "fix date for the bug": a noun made of nouns
		}
	}
	return verb, rest, true
}

func isPronoun(word string) bool {
	switch bare(word) {
	case "me", "you", "him", "her", "us", "them", "it":
		return true
	}
	return false
}

// isClause reports whether the words say something happens rather than name a thing ("data export is
// broken", "billing sync fails nightly"); a relative clause inside a noun phrase does not count ("a sync
// bug where Salesforce shows stale data").
func isClause(words []string) bool {
	w := loadEmailWords()
	for i := range words {
		if i > 0 && w.is("relatives", words[i]) {
			return false // "a sync bug where Salesforce shows stale data" names a bug
		}
		if w.phraseAt("clause_words", words, i) > 0 {
			return true
		}
	}
	return false
}

// definite is a noun phrase as a thing both sides know: an article or a possessive it has is kept, "a",
// "an" or "one" becomes "the", and a bare phrase takes "the" unless it is a name ("Premium Support",
// "SSO", "JIRA-221", "ticket 4471") or a quantity ("more seats", "50 licences").
func definite(words []string) []string {
	words = lowerOpening(words)
	if len(words) == 0 {
		return words
	}
	w := loadEmailWords()
	first := words[0]
	switch {
	case w.is("indefinite", first) && len(words) > 1 && bare(words[1]) != "of":
		return append([]string{"the"}, words[1:]...)
	case w.is("determiners", first) || w.is("indefinite", first) || possessive(words):
		return words
	case w.is("quantities", first) || startsDigit(first) || isName(head(words)):
		return words
	}
	return append([]string{"the"}, words...)
}

// indefinite is a noun phrase as a thing promised: an article, possessive or quantity it has is kept;
// a name, a plural or a mass noun ("training", "support") is bare; anything else takes "a" or "an".
func indefinite(words []string) []string {
	words = lowerOpening(words)
	if len(words) == 0 {
		return words
	}
	w := loadEmailWords()
	first := words[0]
	h := head(words)
	switch {
	case w.is("determiners", first) || w.is("indefinite", first) || w.is("quantities", first) || w.is("numbers", first) ||
		startsDigit(first) || possessive(words) || isName(h) || pluralNoun(h[len(h)-1]) || w.is("mass_nouns", h[len(h)-1]):
		return words
	}
	return append([]string{article(first)}, words...)
}

// head is a noun phrase up to the first preposition: "check-in call every 2 weeks" → "check-in call".
func head(words []string) []string {
	w := loadEmailWords()
	for i := 1; i < len(words); i++ {
		if w.is("prepositions", words[i]) {
			return words[:i]
		}
	}
	return words
}

// isName reports whether the words are a name: every word capitalised or a code ("Premium Support",
// "SSO", "JIRA-221"), or a word and a number ("ticket 4471").
func isName(words []string) bool {
	if len(words) == 0 {
		return false
	}
	if len(words) >= 2 && startsDigit(words[len(words)-1]) {
		return true
	}
	for _, x := range words {
		if !startsUpper(x) && !startsDigit(x) {
			return false
		}
	}
	return true
}

func possessive(words []string) bool {
	for _, x := range words[:min(2, len(words))] {
		if b := bare(x); strings.HasSuffix(b, "'s") || strings.HasSuffix(b, "’s") || strings.HasSuffix(b, "s'") {
			return true
		}
	}
	return false
}

// pluralNoun reports whether a noun looks plural: "seats", "check-ins", not "access", "status" or "analysis".
func pluralNoun(word string) bool {
	b := bare(word)
	return utf8.RuneCountInString(b) > 3 && strings.HasSuffix(b, "s") && !strings.HasSuffix(b, "ss") && !strings.HasSuffix(b, "us") &&
		!strings.HasSuffix(b, "is") && !strings.HasSuffix(b, "'s")
}

// article is "a" or "an" before a word, by how it sounds: "an SLA report", "an update", "a user
// training", "a one-off".
func article(word string) string {
	b := strings.Trim(word, `"'(`)
	if b == "" {
		return "a"
	}
	if isAcronym(b) {
		if strings.ContainsRune("AEFHILMNORSX", rune(b[0])) {
			return "an"
		}
		return "a"
	}
	l := strings.ToLower(b)
	switch {
	case strings.HasPrefix(l, "one") || strings.HasPrefix(l, "uni") || strings.HasPrefix(l, "use") || strings.HasPrefix(l, "usu") ||
		strings.HasPrefix(l, "eu"):
		return "a"
	case strings.HasPrefix(l, "hour") || strings.HasPrefix(l, "honest"):
		return "an"
	case strings.ContainsRune("aeiou", rune(l[0])):
		return "an"
	}
	return "a"
}

// isAcronym reports whether a word is written in capitals ("SLA", "SOC2", "QBR").
func isAcronym(word string) bool {
	letters := 0
	for _, r := range word {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsLower(r):
			return false
		}
	}
	return letters >= 2
}

func startsUpper(word string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimLeft(word, `"'(`))
	return unicode.IsUpper(r)
}

func startsDigit(word string) bool {
	r, _ := utf8.DecodeRuneInString(word)
	return unicode.IsDigit(r)
}

// lowerOpening writes the first word in lower case when it is a word of the language, not a name, that
// only had a capital for opening a sentence ("The", "One", "Send", "Will").
func lowerOpening(words []string) []string {
	if len(words) == 0 || isAcronym(words[0]) || !startsUpper(words[0]) {
		return words
	}
	w := loadEmailWords()
	b := bare(words[0])
	if w.is("determiners", b) || w.is("indefinite", b) || w.is("numbers", b) || w.is("quantities", b) ||
		w.phraseAt("verbs", words, 0) > 0 || w.gerunds[b] != "" || w.toCustomer[b] != "" {
		out := append([]string{strings.ToLower(words[0])}, words[1:]...)
		return out
	}
	return words
}

// toCustomer speaks to the customer: "their" → "your", "them" → "you", keeping a capital.
func toCustomer(words []string) []string {
	w := loadEmailWords()
	out := make([]string, len(words))
	for i, x := range words {
		out[i] = x
		core := strings.Trim(x, `.,;:!?"'()`)
		if to, ok := w.toCustomer[strings.ToLower(core)]; ok {
			if startsUpper(core) {
				to = capitalise(to)
			}
			out[i] = strings.Replace(x, core, to, 1)
		}
	}
	return out
}
