package extract

import (
	"strings"
)

var (
	changeRE     = compile(`(?i)\b(?:changed|replaced|added|removed|dropped|cut|shortened|lengthened|moved|switched|introduced|started|stopped|merged|split|instead|now)\b`)
	routineSepRE = compile(`;|,\s*and\s+(?:then\s+)?(?:I|we)\b`)
	subjectRE    = compile(`(?i)^\s*,?\s*(?:and\s+|then\s+)?(?:I|we)\s+`)
	toolPrepRE   = compile(`(?i)\s*(?:in|on|via|using|through|with|into|from)\s*$`)
	dropCueRE    = compile(`(?i),?\s*\b(?:because(?: of)?|since|given that|the reason (?:was|is)(?: that)?|as)\s+`)
	keepCueRE    = compile(`(?i),?\s*\b(?:so that|in exchange for|to avoid|in order to)\b`)
	pronounWord  = wordSet(`they we he she it the our their i`)
	decideRE     = compile(`(?i)\b(?:decided|decision|chose|chosen|opted|agreed|gave|granted|waived|switched|moved|stopped|started|dropped|replaced|changed|extended|kept|offered|went with|picked|approved)\b`)
	weDecideRE   = compile(`(?i)\b(?:I|we)\s+(?:decided|chose|opted|went with)\b`)
)

// processes: in the internal-workflow topic, each clause with a cadence or a tool is a routine; in
// the onboarding topic, a change without a reason (with one it is a decision).
func processes(d *doc) []Finding {
	workflows, onboarding := d.has("internal_workflows"), d.has("onboarding_changes")
	if !workflows && !onboarding {
		return nil
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range splitAt(d.text, s, routineSepRE) {
			t := d.at(cl)
			cad, csp := cadence(t)
			tool, tsp := "", span{}
			if loc := toolRE.FindStringIndex(t); loc != nil {
				tool, tsp = t[loc[0]:loc[1]], span{loc[0], loc[1]}
			}
			if !(workflows && (cad != "" || tool != "")) && !(onboarding && changeRE.MatchString(t) && reason(t) < 0) {
				continue
			}
			what := t
			// Cut the tool (with its preposition) and the cadence out of the routine, later one first.
			cuts := []span{csp, tsp}
			if tsp.start < csp.start {
				cuts = []span{tsp, csp}
			}
			for k := len(cuts) - 1; k >= 0; k-- {
				c := cuts[k]
				if c.end == 0 {
					continue
				}
				start := c.start
				if c == tsp {
					if loc := toolPrepRE.FindStringIndex(what[:c.start]); loc != nil {
						start = loc[0]
					}
				}
				what = what[:start] + " " + what[c.end:]
			}
			what = subjectRE.ReplaceAllString(clean(what), "")
			if f, ok := d.finding(Process, cl, map[string]string{"what": what, "cadence": cad, "tool": tool}); ok && clean(what) != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

// reason returns where the reason of a sentence starts, or -1. "as" gives a reason only before a
// subject ("as they agreed…"), not in "as a reference".
func reason(s string) int {
	at := -1
	for _, loc := range dropCueRE.FindAllStringIndex(s, -1) {
		cue := strings.ToLower(strings.Trim(s[loc[0]:loc[1]], ", "))
		if cue == "as" && !pronounWord[strings.ToLower(firstWord(s[loc[1]:]))] {
			continue
		}
		at = loc[0]
		break
	}
	if loc := keepCueRE.FindStringIndex(s); loc != nil && (at < 0 || loc[0] < at) {
		at = loc[0]
	}
	return at
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// decisions: what was decided and why. Out of the decision and onboarding topics only "we decided /
// chose … because …" counts, so that every "because" in an answer is not a decision.
func decisions(d *doc) []Finding {
	topic, onboarding := d.has("decision_rationale"), d.has("onboarding_changes")
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		t := d.at(s)
		r := reason(t)
		switch {
		case topic && (r >= 0 || decideRE.MatchString(t)):
		case onboarding && r >= 0 && changeRE.MatchString(t):
		case r >= 0 && weDecideRE.MatchString(t[:r]):
		default:
			continue
		}
		fields := map[string]string{"what": t}
		if r >= 0 {
			why := t[r:]
			if loc := dropCueRE.FindStringIndex(why); loc != nil && loc[0] == 0 {
				why = why[loc[1]:]
			}
			if k := strings.IndexByte(why, ';'); k >= 0 {
				why = why[:k]
			}
			fields["what"], fields["why"] = t[:r], why
		} else if k := strings.IndexByte(t, ';'); k >= 0 {
			fields["what"] = t[:k]
		}
		if f, ok := d.finding(Decision, s, fields); ok && fields["what"] != "" {
			out = append(out, f)
		}
	}
	return out
}

var (
	shadowToolRE = compile(`(?i)\b(?:google\s+sheets?|google\s+docs?|spreadsheets?|excel(?:\s+(?:file|sheet|workbook))?|workbook|notebook|notes|notion(?:\s+(?:page|board|database))?|trello(?:\s+board)?|onenote|evernote|airtable(?:\s+base)?|trackers?|sheets?|docs?|document|calendar(?:\s+reminders?)?|reminders|kanban(?:\s+board)?|apple notes|obsidian)\b`)
	quotedRE     = compile(`(?i)^\s*(?:(?:called|named|titled|labell?ed)\s+)?["“'‘]([^"”'’]{1,60})["”'’]`)
	calledRE     = compile(`(?i)^\s*(?:called|named|titled|labell?ed)\s+(\S+(?:\s+\S+){0,4}?)(?:\s+(?:in|on|with|where|that|which|under|for|at)\b|[,;.]|$)`)
	privateRE    = compile(`(?i)\b(?:my own|private|personal|my)\s+(?:\w+\s+)?$`)
	contentsRE   = compile(`(?i)\b(?:with|containing|(?:that |which )?(?:tracks|lists|has|holds|keeps|contains)|tracking|listing|where I (?:track|keep|log|note|write down))\s+([^;]+)`)
	shadowStop   = wordSet(`a an the my our their i we keep kept have use used in on of for with and is are was`)
)

// shadowSystems: the CSM's own trackers. Out of their topic only one called private or "my" counts.
func shadowSystems(d *doc) []Finding {
	topic := d.has("shadow_systems")
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			m := locate(shadowToolRE, d.text, cl)
			if m == nil || !topic && !privateRE.MatchString(d.text[cl.start:m[0]]) {
				continue
			}
			tool := span{m[0], m[1]}
			rest := d.text[tool.end:cl.end]
			what := d.at(expandLeft(d.text, cl, tool, shadowStop))
			if n := firstGroup(rest, quotedRE, calledRE); n != "" {
				what = d.at(tool) + " '" + clean(n) + "'"
			}
			fields := map[string]string{"what": what, "location": location(rest)}
			if c := contentsRE.FindStringSubmatch(rest); c != nil {
				fields["contents"] = c[1]
			}
			if f, ok := d.finding(ShadowSystem, cl, fields); ok {
				out = append(out, f)
			}
		}
	}
	return out
}
