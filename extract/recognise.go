package extract

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/gazetteer"
	"github.com/exitinterview/exitinterview/prompts"
)

// The person recogniser. A candidate is a run of capitalised words ("Karen Liu", "Dr. Amal Haddad"), a
// common given name written in lower case ("spoke to karen"), or initials ("KL"). Words that are never
// people (the gazetteer: "Midwest", "Slack Connect", "QBR") and the names of the accounts are cut off
// first. Each candidate is then weighed by its shape and the words around it, and kept when its score is
// at least 1:
//
//	evidence                                                               points
//	a run of capitalised words                                             +1
//	a given name written in lower case ("karen")                           -2
//	initials ("KL", "TW")                                                  -1
//	a title or honorific ("Dr.", "Mrs", "Frau", "Mister", "Tanaka-san")    +3
//	the first word is a common given name                                  +2
//	two or more capitalised words                                          +1
//	a person cue before ("spoke to", "cc", "thanks to", "champion:")       +2
//	a role before ("the CFO", "his chief of staff", "their admin,")        +2
//	a person cue after ("said", "'s", "(VP Ops)", ", the CFO", "= champ")  +2
//	initials of a full name the answer gives ("TW" and "Tomasz Wierzbicki") +3
//	joined by "and", "&", "+" or "/" to a person                           +2
//	a capitalised single word that opens the sentence                      -2
//	one capitalised word that is not a given name                          -1
//	a place word before ("in", "at", "on", "based in", "came from")        -2
//	inside quotes ("Handover - Initech")                                   -2
//	a place or team word after ("team", "office", "module")                -4
//	ends in an organisation word ("Group", "Financial", "Committee")       -4
//	after a department cue ("heads", "VP of"), or a job word cut from it   -4
//
// The word lists are prompts/person_cues.txt and prompts/given_names.txt; the interviewer's follow-ups
// read the same recogniser (People), so it asks about a person only if extraction would take them for one.

type cueLists struct {
	before, after, placeAfter, placeBefore, deptBefore *pattern
	orgWords                                           map[string]bool
}

var cues = sync.OnceValue(func() cueLists {
	sections, err := prompts.Sections("person_cues.txt")
	if err != nil {
		panic(err) // embedded in the binary: a broken list is a build mistake, caught by the tests
	}
	alts := func(name string) string {
		return alternation("person_cues.txt", sections, name, func(line string) string {
			return strings.Join(strings.Fields(regexp.QuoteMeta(line)), `\s+`)
		})
	}
	endsWith := func(name string) *pattern {
		return compile(`(?i)(?:^|[^\pL\pN'])` + alts(name) + `[\s,:]*$`)
	}
	startsWith := func(name string) *pattern {
		return compile(`(?i)^[\s,]*` + alts(name) + `(?:$|[^\pL\pN])`)
	}
	org := map[string]bool{}
	for _, v := range sections["organisation words"] {
		for _, w := range strings.Fields(strings.ToLower(v)) {
			org[w] = true
		}
	}
	return cueLists{before: endsWith("before"), after: startsWith("after"), placeAfter: startsWith("place after"),
		placeBefore: endsWith("place before"), deptBefore: endsWith("department before"), orgWords: org}
})

type candidateKind int

const (
	capitalised candidateKind = iota
	lowerCase
	initials
)

type candidate struct {
	sp       span
	run      span // the capitalised run the candidate was cut from
	kind     candidateKind
	jobWord  bool // a job word ("Officer", "Manager") was cut from the run: what is left is a department
	score    int
	accepted bool
}

var (
	lowerNameRE = compile(`\p{Ll}[\p{Ll}-]*\p{Ll}`)
	initialsRE  = compile(`\p{Lu}{2,3}`)
	labelRE     = compile(`(?i)(?:^|[\n;,]|\s[-–]\s)\s*([\pL][\pL /&'-]{0,24}?)(?:\s*[:=]|\s+is)\s*$`)
	possessRE   = compile(`^['’]s\b`)
	joinRE      = compile(`(?i)^\s*(?:and|&|\+|/|,)\s*$`)
	copulaCueRE = compile(`(?i)^\s+(?:is|was|are|were|=)\s+([^,;.]{0,40})`)
	honorRE     = compile(`(?i)^(?:dr|mr|mrs|ms|mx|prof|frau|herr|mister|sir|dame|madame|monsieur|señor|señora)\.?$`)
	sanRE       = compile(`-(?:san|sama|ji)$`)
	quoteRE     = compile(`["“‘][^"”’]*$`)
)

// weigh scores c by the table above; sent is the candidate's sentence.
func (d *doc) weigh(c *candidate, sent span, people []candidate) {
	name := d.text[c.sp.start:c.sp.end]
	words := strings.Fields(name)
	before := d.text[sent.start:c.sp.start]
	runBefore := d.text[sent.start:min(c.sp.start, max(c.run.start, sent.start))]
	after := d.text[c.sp.end:sent.end]
	score := 0
	switch c.kind {
	case capitalised:
		score++
	case lowerCase:
		score -= 2
	case initials:
		score--
	}
	first := words[0]
	if honorRE.MatchString(first) || sanRE.MatchString(words[len(words)-1]) {
		score += 3
		if len(words) > 1 {
			first = words[1]
		}
	}
	if gazetteer.GivenName(first) {
		score += 2
	} else if c.kind == capitalised && len(words) == 1 {
		score--
	}
	if c.kind == capitalised && len(words) > 1 {
		score++
	}
	cl := cues()
	if cl.before.MatchString(before) || cl.before.MatchString(runBefore) || roleBefore(before) != "" || d.roleLabel(before) {
		score += 2
	}
	if d.personCue(after) {
		score += 2
	}
	if c.kind == initials && d.initialsOfName(name) {
		score += 3
	}
	if c.kind == capitalised && len(words) == 1 && strings.TrimLeft(before, ` "'(*-•–`) == "" {
		score -= 2
	}
	if cl.placeBefore.MatchString(before) || cl.placeBefore.MatchString(runBefore) || quoteRE.MatchString(before) {
		score -= 2
	}
	if cameFromRE.MatchString(before) {
		score -= 2 // "he came in September from Otto": where someone came from is a firm
	}
	if cl.placeAfter.MatchString(after) || cl.orgWords[strings.ToLower(strings.Trim(words[len(words)-1], ".,"))] && len(words) > 1 ||
		cl.deptBefore.MatchString(before) || cl.deptBefore.MatchString(runBefore) || c.jobWord {
		score -= 4
	}
	c.score = score
}

// roleLabel reports a label before the name that is a role or a relationship ("champ:", "Okta admin =",
// "Contacts:", "CEO is").
func (d *doc) roleLabel(before string) bool {
	m := labelRE.FindStringSubmatch(before)
	if m == nil {
		return false
	}
	label := strings.ToLower(m[1])
	return roleWordRE.MatchString(label) || firstOf(label, relationshipRE) != "" || peopleLabelRE.MatchString(label)
}

// cameFromRE is a move from somewhere, ending right before the name.
var cameFromRE = compile(`(?i)\b(?:came|comes|coming|moved|joined|switched|poached|hired|recruited)\b[^,.;]{0,30}\bfrom\s*$`)

var peopleLabelRE = compile(`(?i)\b(?:contacts?|stakeholders?|people|who|attendees|dnc|do not contact|champ|decider|buyer|signer|signatory|approver|user|owner|boss|deputy|pa|ea|cc)\b`)

// personCue reports words right after a name that say a person does or is something.
func (d *doc) personCue(rest string) bool {
	if cues().after.MatchString(rest) || possessRE.MatchString(rest) {
		return true
	}
	if m := copulaCueRE.FindStringSubmatch(rest); m != nil {
		return roleWordRE.MatchString(m[1]) || firstOf(m[1], relationshipRE) != "" || firstOf(m[1], sentimentRE) != "" ||
			strings.Contains(strings.ToLower(m[1]), "champ")
	}
	_, n := roleAfter(rest)
	_, v := roleVerb(rest)
	return n > 0 || v > 0
}

// initialsOfName reports whether the answer gives a full name whose initials these are ("TW" and
// "Tomasz Wierzbicki").
func (d *doc) initialsOfName(abbr string) bool {
	for _, loc := range nameRE.FindAllStringIndex(d.text, -1) {
		ws := strings.Fields(d.text[loc[0]:loc[1]])
		if len(ws) != utf8.RuneCountInString(abbr) {
			continue
		}
		match := true
		for _, r := range abbr {
			w, _ := utf8.DecodeRuneInString(ws[0])
			if unicode.ToUpper(w) != r {
				match = false
				break
			}
			ws = ws[1:]
		}
		if match {
			return true
		}
	}
	return false
}

// alternation joins the lines of a section of a word list (lower case, blank lines left out), each made a
// pattern by pattern, into one regular expression group. A section with no line is a build mistake.
func alternation(file string, sections map[string][]string, name string, pattern func(line string) string) string {
	var out []string
	for _, v := range sections[name] {
		for _, line := range strings.Split(v, "\n") {
			if line = strings.TrimSpace(strings.ToLower(line)); line != "" {
				out = append(out, pattern(line))
			}
		}
	}
	if len(out) == 0 {
		panic("prompts/" + file + " has no [" + name + "]")
	}
	return `(?:` + strings.Join(out, "|") + `)`
}
