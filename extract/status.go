package extract

import (
	"regexp"
	"strings"
	"sync"

	"github.com/exitinterview/exitinterview/prompts"
)

// A stakeholder's status and whether they may be contacted, read from the sentences that name them: an
// introduction e-mail must not greet a sponsor who left, a champion on leave, or someone the CSM said
// must never be cc'd. The cues are the lexicon prompts/status.txt (its head says how a phrase is
// written and matched). A cue applies to the person named nearest to it in its sentence (a
// do-not-contact cue to the first person named after it who is not named in the possessive, when there
// is one: "don't go over roz's head to Oliver"), or, in a sentence that names nobody and starts with
// "he" or "she", to the person named last. A state cue right after a negation says nothing ("she hasn't
// left"). The reason kept for do-not-contact is the CSM's sentence.

type statusLexicon struct {
	left, onLeave, isNew, doNotContact *pattern
	negation                           *pattern // anchored at the end: the words just before a cue
}

var statusLexiconOnce = sync.OnceValue(func() statusLexicon {
	sections, err := prompts.Sections("status.txt")
	if err != nil {
		panic(err) // embedded in the binary: a broken list is a build mistake, caught by the tests
	}
	alts := func(name string) string { return alternation("status.txt", sections, name, phrasePattern) }
	cue := func(name string) *pattern {
		return compile(`(?i)(?:^|[^\pL\pN'’])` + alts(name) + `(?:$|[^\pL\pN])`)
	}
	return statusLexicon{left: cue("left"), onLeave: cue("on_leave"), isNew: cue("new"), doNotContact: cue("do_not_contact"),
		negation: compile(`(?i)(?:^|[^\pL\pN'’])` + alts("negation") + `\s+(?:\S+\s+)?$`)}
})

// phrasePattern writes one lexicon phrase as a pattern: "*" one word, "**" up to three, "$" the end of a
// clause, an apostrophe optional and straight or curled.
func phrasePattern(phrase string) string {
	var parts []string
	for _, w := range strings.Fields(phrase) {
		switch w {
		case "*":
			parts = append(parts, `\S+`)
		case "**":
			parts = append(parts, `(?:\S+\s+){0,2}\S+|`)
		case "$":
			parts = append(parts, `$`)
		default:
			q := regexp.QuoteMeta(w)
			q = strings.NewReplacer("'", `['’]?`, "’", `['’]?`).Replace(q)
			parts = append(parts, q)
		}
	}
	out := ""
	for i, p := range parts {
		switch {
		case i == 0:
			out = p
		case p == `$`:
			out += `\s*(?:[.!;,)\n]|$)`
		case strings.HasSuffix(p, "|"): // "**": the words and their spaces, or nothing
			out += `\s+(?:(?:\S+\s+){0,2}\S+\s+)?`
			continue
		default:
			if strings.HasSuffix(out, `\s+)?`) {
				out += p
			} else {
				out += `\s+` + p
			}
		}
	}
	return `(?:` + out + `)`
}

type status struct {
	state        string // left, on_leave, new ("" : active, as far as the answer says)
	doNotContact bool
	reason       string
}

var heSheRE = compile(`(?i)^\W*(?:she|he|she's|he's)\b`)

// personPronounRE is a sentence that speaks of a person it does not name ("don't contact her").
var personPronounRE = compile(`(?i)\b(?:she|he|her|him|his|hers)\b`)

// statuses reads, over every sentence of the answer (negated ones too: "never cc Tom" is a negation),
// the status cues of the people named, by name.
func (d *doc) statuses() map[string]status {
	lex := statusLexiconOnce()
	out := map[string]status{}
	var last string
	lastLine := -1
	for _, s := range d.sents {
		text := d.at(s)
		ms := d.mentionsIn(s)
		line := strings.Count(d.text[:s.start], "\n")
		target := func(at int, object bool) string {
			if len(ms) == 0 {
				// A sentence that names nobody speaks of the person named last when it starts with "he" or
				// "she", speaks of "her" or "him", or goes on in the same line of pasted notes ("- champ:
				// Siobhan Keane, Dir. Practice Ops - ON MAT LEAVE since Oct").
				if heSheRE.MatchString(text) || personPronounRE.MatchString(text) || line == lastLine {
					return last
				}
				return ""
			}
			if object {
				for _, m := range ms {
					if m.sp.start >= s.start+at && !possessRE.MatchString(d.text[m.sp.end:]) {
						return m.name
					}
				}
			}
			best, name := -1, ""
			for _, m := range ms {
				if dist := abs(m.sp.start - (s.start + at)); best < 0 || dist < best {
					best, name = dist, m.name
				}
			}
			return name
		}
		if loc := lex.doNotContact.FindStringIndex(text); loc != nil {
			if name := target(loc[0], true); name != "" {
				st := out[name]
				st.doNotContact, st.reason = true, strings.TrimSpace(text)
				out[name] = st
			}
		}
		for _, c := range []struct {
			re    *pattern
			state string
		}{{lex.left, "left"}, {lex.onLeave, "on_leave"}, {lex.isNew, "new"}} {
			// Every cue of the sentence goes to the person named nearest it: "Ana left in October; Bea is on
			// maternity leave" says something of each. Left or on leave outweighs new.
			for _, loc := range unnegated(c.re, lex.negation, text) {
				if name := target(loc[0], false); name != "" {
					st := out[name]
					if st.state == "" || st.state == "new" {
						st.state = c.state
					}
					out[name] = st
				}
			}
		}
		if len(ms) > 0 {
			last, lastLine = ms[len(ms)-1].name, strings.Count(d.text[:ms[len(ms)-1].sp.start], "\n")
		}
	}
	return out
}

// unnegated finds the matches of re in text that do not follow a negation.
func unnegated(re, negation *pattern, text string) [][]int {
	var out [][]int
	for _, loc := range re.FindAllStringIndex(text, -1) {
		if !negation.MatchString(text[:loc[0]+1]) {
			out = append(out, loc)
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
