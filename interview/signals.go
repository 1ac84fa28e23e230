package interview

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/prompts"
)

// The offline engine's reading of an answer: rule-based, so it behaves the same every time and needs no
// model. Each topic has words that show the answer is about it; the follow-up rules look for what a good
// interviewer would ask about next.

// The word lists live in prompts/rules.txt, so they can be read and tuned without touching Go code. They
// are parsed once, at start; the file is embedded, so a broken list fails the tests, not a CSM's turn.
var (
	rules          = mustRules()
	topicSignals   = rules.topics
	negativeAnswer = rules.section("nothing")
	vagueMarkers   = rules.section("vague")
	promiseRE      = rules.section("promise")
	noPromiseRE    = rules.section("no_promise")
	requestRE      = rules.section("request")
	elsewhereRE    = rules.section("elsewhere")
	unclearRE      = rules.section("unclear")
	riskRE         = rules.section("risk")
	becauseRE      = rules.section("reason")
	detailRE       = rules.section("detail")
	roleWordsRE    = rules.section("role")
	championRE     = rules.section("champion")
	deciderRE      = rules.section("decider")
	documentRE     = rules.section("document")
	locatedRE      = rules.section("located")
	referenceRE    = rules.section("reference_promise")
	inReturnRE     = rules.section("in_return")
	meetingRE      = rules.section("meeting")
	agreedRE       = rules.section("agreed")
	negatedRE      = regexp.MustCompile(`(?i)\b(no|never|not|none|nothing|nope|nah)\b|n't\b`)
	sentenceRE     = regexp.MustCompile(`[^.!?\n]+[.!?]?`)
)

type ruleSet struct {
	sections map[string]*regexp.Regexp
	topics   map[string]*regexp.Regexp
}

func (r ruleSet) section(name string) *regexp.Regexp {
	re, ok := r.sections[name]
	if !ok {
		panic("prompts/rules.txt has no [" + name + "]")
	}
	return re
}

func mustRules() ruleSet {
	r, err := parseRules()
	if err != nil {
		panic(err)
	}
	return r
}

// parseRules reads prompts/rules.txt: each line of a section is one alternative, matched as a whole word
// (an alternative anchored with ^ or $ is matched as written on that side).
func parseRules() (ruleSet, error) {
	sections, err := prompts.Sections("rules.txt")
	if err != nil {
		return ruleSet{}, err
	}
	r := ruleSet{sections: map[string]*regexp.Regexp{}, topics: map[string]*regexp.Regexp{}}
	for name, variants := range sections {
		lines := strings.Fields(strings.ReplaceAll(strings.Join(variants, "\n"), " ", "\x00"))
		alts := make([]string, 0, len(lines))
		for _, l := range lines {
			alt := strings.ReplaceAll(l, "\x00", " ")
			left, right := `\b`, `\b`
			if strings.HasPrefix(alt, "^") {
				left = ""
			}
			if strings.HasSuffix(alt, "$") {
				right = ""
			}
			alts = append(alts, left+"(?:"+alt+")"+right)
		}
		re, err := regexp.Compile(`(?i)` + strings.Join(alts, "|"))
		if err != nil {
			return ruleSet{}, fmt.Errorf("prompts/rules.txt [%s]: %w", name, err)
		}
		if key, ok := strings.CutPrefix(name, "topic:"); ok {
			if _, known := TopicByKey(key); !known {
				return ruleSet{}, fmt.Errorf("prompts/rules.txt: [%s] is not a topic", name)
			}
			r.topics[key] = re
			continue
		}
		r.sections[name] = re
	}
	for _, t := range Topics {
		if r.topics[t.Key] == nil {
			return ruleSet{}, fmt.Errorf("prompts/rules.txt has no [topic:%s]", t.Key)
		}
	}
	return r, nil
}

func wordCount(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) }))
}

// judge decides the coverage state of topic from the answer text (the offline engine's judgement).
func judge(topic, answer string) string {
	words := wordCount(answer)
	switch {
	case words == 0:
		return Missing
	case negativeAnswer.MatchString(answer) && words <= 25:
		return Covered
	case isVague(answer):
		return Partial
	}
	sig := topicSignals[topic]
	hits := 0
	if sig != nil {
		hits = len(sig.FindAllStringIndex(answer, -1))
	}
	switch {
	case hits >= 2 && words >= 12, hits >= 1 && words >= 25:
		return Covered
	default:
		return Partial
	}
}

// isVague reports a short answer, or a short one full of hedges.
func isVague(answer string) bool {
	words := wordCount(answer)
	if negativeAnswer.MatchString(answer) && words <= 25 {
		return false
	}
	return words < 6 || (words < 20 && len(vagueMarkers.FindAllString(answer, -1)) >= 1 && !becauseRE.MatchString(answer))
}

// names returns the people named in text, with whether a role is stated in the same sentence. Who is a
// person is extraction's recogniser (extract.People), so a follow-up never asks about "Midwest".
func names(text string, exclude []string) (withRole, withoutRole []string) {
	// A name counts as given with a role if any sentence gives it one.
	var order []string
	role := map[string]bool{}
	for _, p := range extract.People(text, exclude) {
		if _, seen := role[p.Name]; !seen {
			order = append(order, p.Name)
		}
		role[p.Name] = role[p.Name] || roleWordsRE.MatchString(p.Sentence)
	}
	for _, name := range order {
		if role[name] {
			withRole = append(withRole, name)
		} else {
			withoutRole = append(withoutRole, name)
		}
	}
	return withRole, withoutRole
}

// quote returns the CSM's own words where re matched: from the word before the match to the end of the
// clause, at most ten words, to use them back in a follow-up.
func quote(text string, re *regexp.Regexp) string {
	loc := re.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	start := loc[0]
	// Take in the word before the match ("I promised", "a manual export"), unless a clause ends there.
	before := strings.TrimRight(text[:start], " ")
	if before != "" && !strings.ContainsAny(before[len(before)-1:], ".,;:!?\n") {
		start = strings.LastIndexAny(before, " \n") + 1
	}
	rest := text[start:]
	if end := strings.IndexAny(rest[loc[1]-start:], ".,;:!?\n"); end >= 0 {
		rest = rest[:loc[1]-start+end]
	}
	words := strings.Fields(rest)
	if len(words) > 10 {
		return strings.Join(words[:9], " ") + "…"
	}
	return strings.Join(words, " ")
}

// roleFact finds the person a text names for a role ("Priya is our champion", "the CFO, Marco Rossi").
func roleFact(text string, role *regexp.Regexp, exclude []string) string {
	for _, sentence := range sentenceRE.FindAllString(text, -1) {
		if !role.MatchString(sentence) {
			continue
		}
		withRole, _ := names(sentence, exclude)
		if len(withRole) > 0 {
			return withRole[0]
		}
	}
	return ""
}

// undatedPromise finds a promise without a day a successor could hold anyone to. Dates are read by the
// extraction's own date reader, so the interviewer and the report agree on what is a date. A sentence
// that promises something (or, in an answer about commitments, any sentence with a time in it) needs a
// firm date: a day or the end of a named period, in it or, when it names no time at all, in the
// sentence after or before it. A sentence saying there is nothing ("No incidents this year") is not read. It returns the sentence's words (at most ten) and the vague words to ask about
// ("after the holidays", "next Friday", "soon"); when is "" when the promise has no time at all. ok is
// false when every promise has a firm date.
func undatedPromise(text string, today time.Time, aboutCommitments bool) (sentence, when string, ok bool) {
	sentences := sentencesOf(text)
	for i, s := range sentences {
		if noPromiseRE.MatchString(s) || requestRE.MatchString(s) || elsewhereRE.MatchString(s) {
			continue // "I didn't promise a date"; "Please book it with him asap"; "that's promised, see commitments"
		}
		ds := extract.FindDates(s, today)
		vague := extract.VagueTime(s)
		promise := promiseRE.MatchString(s)
		if !promise && !(aboutCommitments && (vague != "" || len(ds) > 0) && !negativeAnswer.MatchString(s) && !noneRE.MatchString(s)) {
			continue // "No incidents this year" promises nothing
		}
		firm, loose := false, ""
		for _, d := range ds {
			firm = firm || d.Precision.Firm() || d.Hedged // "the 4th-ish" names the day
			if !d.Precision.Firm() && !d.Hedged && loose == "" {
				loose = d.Text
			}
		}
		if firm {
			continue
		}
		if loose == "" {
			loose = vague
		}
		if loose == "" && (i+1 < len(sentences) && hasFirmDate(sentences[i+1], today) || i > 0 && hasFirmDate(sentences[i-1], today)) {
			continue // "I promised Rahul two sessions. The first one is in two weeks."; "- exec call before xmas. i promised it"
		}
		return shortQuote(s), loose, true
	}
	return "", "", false
}

// sentencesOf splits text into sentences: at a line break, or at a full stop, question or exclamation
// mark followed by a space or the end, so a date such as "8.1." or "30.04.2027" stays in its sentence.
func sentencesOf(text string) []string {
	var out []string
	start := 0
	add := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '\n':
			add(i + 1)
		case strings.IndexByte(".!?", text[i]) >= 0 && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n' || text[i+1] == '\t'):
			add(i + 1)
		}
	}
	add(len(text))
	return out
}

var noneRE = regexp.MustCompile(`(?i)^\W*(?:no|none|nothing|not|nope|nah)\b`)

func hasFirmDate(s string, today time.Time) bool {
	for _, d := range extract.FindDates(s, today) {
		if d.Precision.Firm() {
			return true
		}
	}
	return false
}

// unanswered returns the first sentence of text that names what (a document, a reference, a meeting) and
// does not deny it ("never been a reference"), when no sentence of text gives what answers (where the
// document lives, what was promised in return, what was agreed); ok is false otherwise.
func unanswered(text string, what, answers *regexp.Regexp) (string, bool) {
	if answers.MatchString(text) {
		return "", false
	}
	for _, s := range sentencesOf(text) {
		if what.MatchString(s) && !negatedRE.MatchString(s) {
			return s, true
		}
	}
	return "", false
}

// shortQuote is a sentence as the CSM wrote it, at most ten words.
func shortQuote(s string) string {
	words := strings.Fields(strings.TrimLeft(s, "-*•–1234567890.) \t"))
	if len(words) > 10 {
		return strings.Join(words[:9], " ") + "…"
	}
	return strings.TrimRight(strings.Join(words, " "), ".!?")
}
