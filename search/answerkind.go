package search

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/gazetteer"
)

// What a question asks for, when it asks for a kind of thing: a passage answers it only when the
// sentences of it that hold the question's words (or the one just before) hold that kind of thing too.
// "When was the last Brightwater business review?" is not answered by "In our last business review,
// Laurent said…", which has no day; "who leads the risk team?" is not answered by "adoption is weaker in
// the Risk team", which names nobody.
//
//	kind     the question                                        a sentence that answers holds
//	person   opens with who/whom/whose, or asks who signs,        a person's name or a role (CFO, head
//	         decides, is the champion, sponsor or admin           of IT…), not only the question's own words
//	day      opens with when, asks by when, what date, the        a date or a time without a day ("after
//	         deadline, or ends on "date" or "when"                the holidays", "Q1")
//	odds     asks the renewal's odds                              a figure or words of likelihood
//	number   asks how many, how much, a number, a score, an id    a figure
//	name     asks which one, or for the name of something         a name: a capitalised word that is not
//	                                                               the first, nor the question's own
const (
	kindPerson = "person"
	kindDay    = "day"
	kindOdds   = "odds"
	kindNumber = "number"
	kindName   = "name"
)

// fragmentWords: a sentence of at most this many words is a fragment, read with the one after it.
const fragmentWords = 3

// answerKind is the kind of thing a question asks for, "" when it asks for no one kind.
func answerKind(text, intent string) string {
	ws := plainWords(text)
	for _, p := range [][]string{{"how", "many"}, {"how", "much"}, {"number"}, {"nps"}, {"score"}, {"id"}, {"arr"}} {
		if holds(ws, p) {
			return kindNumber
		}
	}
	for _, p := range [][]string{{"name", "of"}, {"what's", "the", "name"}, {"what", "is", "the", "name"}, {"called"}, {"last", "name"}, {"surname"}} {
		if holds(ws, p) {
			return kindName
		}
	}
	if i := slices.Index(ws, "which"); i >= 0 && i+1 < len(ws) && !stopWords[ws[i+1]] && ws[i+1] != "one" {
		return kindName // "which competitor…", "which tool…"
	}
	for i, w := range ws {
		switch w {
		case "who", "whom", "whose", "who's":
			return kindPerson
		case "when":
			if i == 0 || i == len(ws)-1 || i > 0 && ws[i-1] == "by" {
				return kindDay
			}
		case "why", "how", "what", "which", "where", "what's", "whats":
			if i+1 < len(ws) && (ws[i+1] == "date" || ws[i+1] == "day" || ws[i+1] == "deadline") {
				return kindDay
			}
			return kindOf(intent)
		}
	}
	if len(ws) > 0 && (ws[0] == "date" || ws[len(ws)-1] == "date" || ws[len(ws)-1] == "deadline") {
		return kindDay
	}
	return kindOf(intent)
}

func kindOf(intent string) string {
	switch intent {
	case "signs", "decides", "champion", "sponsor", "admin":
		return kindPerson
	case "renewal_odds":
		return kindOdds
	}
	return ""
}

// roles are the words that name someone by their role, an answer to "who".
var roles = map[string]bool{"cfo": true, "ceo": true, "cio": true, "cto": true, "coo": true, "cpo": true, "cmo": true, "cro": true,
	"vp": true, "svp": true, "evp": true, "director": true, "head": true, "founder": true, "owner": true, "president": true,
	"procurement": true, "legal": true, "finance": true, "board": true, "chief": true, "lead": true, "team": true, "desk": true,
	"support": true, "engineering": true, "manager": true, "admin": true}

// oddsRE finds the odds in a sentence: a figure ("30%", "60/40", "50 percent") or words of likelihood.
var oddsRE = regexp.MustCompile(`(?i)\d\s*(%|percent|/\s*\d)|\b(likel|unlikel|probab|odds|chance|coin ?flip|toss-?up|dead cert|shoo-?in|won't renew|will renew)`)

// holdsKind reports whether sentence holds the kind of thing asked for, besides the question's own words.
func holdsKind(kind, sentence string, own []string, today time.Time) bool {
	switch kind {
	case kindPerson:
		named := map[string]bool{}
		for _, p := range extract.People(sentence, nil) {
			if overlap(terms(p.Name), strings.Join(own, " ")) < 1 {
				for _, w := range terms(p.Name) {
					named[w] = true
				}
			}
		}
		return nearTo(sentence, own, func(w string) bool {
			w = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(w), "'s"), "'")
			return !slices.Contains(own, w) && (named[w] || roles[w] || gazetteer.GivenName(w))
		})
	case kindDay:
		return len(extract.FindDates(sentence, today)) > 0 || extract.VagueTime(sentence) != ""
	case kindNumber:
		return strings.ContainsAny(sentence, "0123456789")
	case kindName:
		return nearTo(sentence, own, func(w string) bool { return isName(w, own) })
	case kindOdds:
		var rest []string
		for _, w := range strings.Fields(sentence) {
			if overlap(own, w) == 0 {
				rest = append(rest, w)
			}
		}
		return oddsRE.MatchString(strings.Join(rest, " "))
	}
	return true
}

// nearWords is how far, in words, the person or the name that answers "who" or "which" may lie from a
// word of the question in the sentence ("Priya will make the decision": Priya is two words from "make";
// in "Lena is away nobody pushes internally, and Procurement is asking…" she is no answer to who runs
// procurement).
const nearWords = 5

// nearTo reports whether a word of sentence that is(…) lies within nearWords of a word of about (or
// anywhere, when the sentence holds none of them).
func nearTo(sentence string, about []string, is func(word string) bool) bool {
	words := strings.Fields(sentence)
	var anchors []int
	for i, w := range words {
		if overlap(about, w) > 0 {
			anchors = append(anchors, i)
		}
	}
	for i, w := range words {
		if !is(strings.Trim(w, `.,;:!?"'()[]`)) {
			continue
		}
		if len(anchors) == 0 {
			return true
		}
		for _, a := range anchors {
			if i != a && max(i-a, a-i) <= nearWords {
				return true
			}
		}
	}
	return false
}

// isName reports whether a word names something besides the question's own words: it is written with a
// capital and is no pronoun. (A sentence's first word is let through: the distance to the question's words
// decides.)
func isName(w string, own []string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	lower := strings.ToLower(w)
	return unicode.IsUpper(r) && overlap(own, w) == 0 && !pronouns[lower] && lower != "i" && !stopWords[lower] && !calendar[lower]
}

// calendar are the capitalised words that name a day or a month, not a person or a thing.
var calendar = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
christmas xmas easter q1 q2 q3 q4 h1 h2`) {
		m[w] = true
	}
	return m
}()

// answersIn reports whether a passage answers what q asks of the account it names: some sentence of it
// holds a word of what is asked besides the people the question names (asksOf), names one of those people
// (or follows a sentence that does: "she replied to my last one"), is not about another account than the
// one asked, and holds the kind of thing asked for; for a person, the sentence just before may hold them
// ("Dr A …? that's him"). A question about the CSM's own company ("our own leave policy") is answered by
// no account's passage.
func (q question) answersIn(r Result, today time.Time) bool {
	if q.ours && r.Account != "" {
		return false
	}
	subject := q.subject
	if q.answeredBy(r) {
		subject = without(q.subject, q.asked)
	}
	if q.unsaid {
		return false
	}
	sents := extract.Sentences(r.Text)
	for i, s := range sents {
		subject := subject
		if q.kind == kindName && saysIntent(q.intent, s) {
			// "three demos with Fleetly" says which competitor, in words of the intent and a name near them.
			subject = without(subject, q.asked)
		}
		if len(subject) > 0 && !q.closeTo(subject, s) || !q.asksOf(subject, s) || q.elsewhere(s) || !q.namesIn(sents, i) ||
			q.anchor != "" && overlap([]string{q.anchor}, s) == 0 {
			continue
		}
		if q.next && onlyPast(s) {
			continue // "last mtg: Nov QBR" does not say when the next one is
		}
		if r.Account == "" && len(q.accounts) > 0 && !q.namesAsked(s) {
			continue // a passage of the CSM's own ways answers of an account only where it names it
		}
		if holdsKind(q.kind, s, q.subject, today) || q.kind == kindPerson && i > 0 && holdsKind(q.kind, sents[i-1], q.subject, today) ||
			len(strings.Fields(s)) <= fragmentWords && i+1 < len(sents) && holdsKind(q.kind, sents[i+1], q.subject, today) {
			return true
		}
	}
	return false
}

// asksNext reports whether a question asks about the next or an upcoming occurrence of something.
func asksNext(words []string) bool {
	return slices.Contains(words, "next") || slices.Contains(words, "upcoming")
}

// onlyPast reports whether a sentence speaks of the last or a past occurrence of something and of none to
// come: it answers what happened, not when the next one is.
func onlyPast(sentence string) bool {
	ws := plainWords(sentence)
	past := slices.ContainsFunc(ws, func(w string) bool { return w == "last" || w == "previous" || w == "ago" })
	coming := slices.ContainsFunc(ws, func(w string) bool {
		return w == "next" || w == "upcoming" || w == "coming" || w == "planned" || w == "scheduled" || w == "will" || strings.HasSuffix(w, "'ll")
	})
	return past && !coming
}

// closeTo reports whether a sentence says what subject asks about: it holds a third of its words and is
// close to it in meaning (the offline embedder's cosine), or holds two thirds of them. The words of a
// phrase of prompts/intents.txt's [not] list the question holds count only where the sentence holds the
// phrase.
func (q question) closeTo(subject []string, sentence string) bool {
	over := overlap(subject, sentence)
	// A phrase whose words mean something else together ("the risk team") is held whole or not at all.
	for _, c := range q.compounds {
		if !holds(plainWords(sentence), c) {
			over = overlap(without(subject, c), sentence) * float64(len(without(subject, c))) / float64(len(subject))
		}
	}
	if over >= minOverlap || len(subject) == 1 && over > 0 {
		return true
	}
	return over >= minShare && q.scorer != nil && cosine(q.scorer.Vector(strings.Join(subject, " ")), q.scorer.Vector(sentence)) >= minCosine
}

// namesIn reports whether sentence i of a passage is about the people the question names: it names one
// of them, or speaks of someone ("she", "him") after a sentence that did, with no one else named between.
func (q question) namesIn(sents []string, i int) bool {
	if len(q.names) == 0 || overlap(q.names, sents[i]) > 0 {
		return true
	}
	for k := i; k >= 0 && k >= i-pronounReach; k-- {
		if k < i && overlap(q.names, sents[k]) > 0 {
			return true
		}
		if !refersBack(sents[k]) {
			return false
		}
	}
	return false
}

// pronounReach is how many sentences back a "she" or "him" may point.
const pronounReach = 3

var pronouns = map[string]bool{"he": true, "she": true, "him": true, "her": true, "his": true, "hers": true, "they": true, "them": true,
	"their": true, "he's": true, "she's": true, "they're": true}

// refersBack reports whether a sentence speaks of someone by a pronoun and names no one else.
func refersBack(sentence string) bool {
	if len(extract.People(sentence, nil)) > 0 {
		return false
	}
	return slices.ContainsFunc(plainWords(sentence), func(w string) bool { return pronouns[w] })
}

// weigh reads the question's content words (its subject without the people it names and the words that
// only say the intent) against the passages search found for it. When two of them, or all, are held by
// none (nor their stems or synonyms), what it asks was never said near it: "how do I expense a train ticket" is not
// answered by a passage about a support ticket, so nothing answers it for certain (unsaid). Of the words
// they do hold,
// the one the fewest hold is the question's anchor, when some other word is held more widely: the
// sentence that answers "when is the next betriebsrat meeting" holds "betriebsrat", not only "meeting".
func (q *question) weigh(results []Result) {
	content := without(without(q.subject, q.names), q.asked)
	held := map[string]int{}
	unheld := 0
	for _, w := range content {
		for _, r := range results {
			if overlap([]string{w}, r.Text) > 0 {
				held[w]++
			}
		}
		if held[w] == 0 {
			unheld++
		}
	}
	if unheld >= 2 || unheld > 0 && unheld == len(content) {
		q.unsaid = true
		return
	}
	fewest, most := "", 0
	for _, w := range content {
		if held[w] > 0 && (fewest == "" || held[w] < held[fewest]) {
			fewest = w
		}
		most = max(most, held[w])
	}
	if fewest != "" && held[fewest] < most {
		q.anchor = fewest
	}
}

// namesAsked reports whether a sentence names an account the question asks about.
func (q question) namesAsked(sentence string) bool {
	for _, h := range q.matcher.FindLoose(sentence) {
		if !h.Misspelt && slices.Contains(q.accounts, q.byID[h.AccountID]) {
			return true
		}
	}
	return false
}

// elsewhere reports whether a sentence names other accounts and not the one the question asks about.
func (q question) elsewhere(sentence string) bool {
	if len(q.accounts) == 0 || q.matcher == nil {
		return false
	}
	other := false
	for _, h := range q.matcher.FindLoose(sentence) {
		if h.Misspelt {
			continue // the CSM spells the accounts they name: their "price" is not Pryce
		}
		if slices.Contains(q.accounts, q.byID[h.AccountID]) {
			return false
		}
		other = true
	}
	return other
}
