package extract

import (
	"strings"
)

type person struct {
	name                          string
	sp                            span // the first sentence that said something about them
	role, rel, sentiment, channel string
	rank                          int // of rel in relationshipRE; a champion outranks an admin
	notes                         []string
	said                          bool
}

var (
	pronounRE = compile(`(?i)^(?:she|he)\b`)
	lastSepRE = compile(`[,;]\s*(?:and\s+|but\s+)?|\s(?:and|but)\s`)
	introRE   = compile(`(?i)^\s*(?:the|our|their|his|her|my)\s`)
	partRE    = compile(`,\s*(?:and\s+)?|\s+(?:and|but)\s+`)
	// An aside about a person worth keeping for a successor: what they want, what worries them.
	noteRE = compile(`(?i)^(?:(?:is|are|was|seems)\s+)?(?:(?:very|quite|a bit|rather|really|still|a little)\s+)?((?:sceptical|skeptical|worried|concerned|unhappy|happy|frustrated|keen|nervous|sensitive|critical|excited|annoyed|touchy)\s+(?:about|of|with|on|to|towards?)\s+.+|(?:wants|needs|expects|asks? for|asked for|cares about|likes|loves|hates|dislikes|insists on|worries about|pushes for|reports to|joined|is new|is leaving|left)\b.*)`)
)

// stakeholders gives one finding per person per answer, merging what each clause says about them. Out
// of the stakeholder and communication topics a person needs a role or a relationship to count, so a
// name in passing ("I promised Priya…") is not a stakeholder of its own; in the portfolio topics about
// internal work, people are colleagues, not stakeholders.
func stakeholders(d *doc) []Finding {
	if d.has("escalation_paths") || d.has("internal_workflows") {
		return nil
	}
	open := d.has("stakeholders") || d.has("communication")
	byName := map[string]*person{}
	var order []*person
	var last *person
	get := func(m mention) *person {
		p := byName[m.name]
		if p == nil {
			p = &person{name: m.name, sp: d.sents[m.sent], rank: len(relationshipRE)}
			byName[m.name] = p
			order = append(order, p)
		}
		return p
	}
	for si, s := range d.sents {
		if d.neg[si] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			ms := d.mentionsIn(cl)
			if len(ms) == 0 {
				// "She prefers e-mail." goes on about the last person named.
				if loc := pronounRE.FindStringIndex(d.at(cl)); loc != nil && last != nil {
					d.describe(last, s, "", d.text[cl.start+loc[1]:cl.end])
				}
				continue
			}
			for k, m := range ms {
				before := d.text[cl.start:m.sp.start]
				if k > 0 {
					before = d.text[ms[k-1].sp.end:m.sp.start]
				}
				after := d.text[m.sp.end:cl.end]
				if k+1 < len(ms) {
					// "Anna from finance approves, and their admin, Tom, …": the words that introduce the
					// next person are about them.
					after = d.text[m.sp.end:ms[k+1].sp.start]
					body := strings.TrimRight(after, " ,;")
					if loc := lastSepRE.FindAllStringIndex(body, -1); len(loc) > 0 && introRE.MatchString(body[loc[len(loc)-1][1]:]) {
						after = body[:loc[len(loc)-1][0]]
					}
				}
				last = get(m)
				cue := after
				if k == 0 {
					cue = before + " " + after
				}
				d.describe(last, s, before, after)
				if r := relationOf(cue); r.val != "" {
					last.setRel(r)
				}
			}
		}
	}
	statuses := d.statuses()
	var out []Finding
	for _, p := range order {
		st := statuses[p.name]
		if !open && p.role == "" && p.rel == "" && st.state == "" && !st.doNotContact {
			continue
		}
		if p.sentiment == "" {
			// A champion is for the product and a detractor against it by what the words mean.
			p.sentiment = map[string]string{"champion": "positive", "detractor": "negative"}[p.rel]
		}
		if p.rel == "detractor" {
			p.rel = "other" // a detractor is a person against us: the relationship vocabulary has no such word
		}
		fields := map[string]string{"name": p.name, "role": p.role, "relationship": p.rel,
			"sentiment": p.sentiment, "channel": p.channel, "notes": strings.Join(p.notes, "; "), "status": st.state}
		if st.doNotContact {
			fields["do_not_contact"], fields["reason"] = "yes", st.reason
		}
		if f, ok := d.finding(Stakeholder, p.sp, fields); ok {
			out = append(out, f)
		}
	}
	return out
}

// describe takes what one clause says about p: before and after are the clause's words on either side
// of the name, up to the next person.
func (d *doc) describe(p *person, sent span, before, after string) {
	said := false
	role, n := roleAfter(after)
	if role == "" {
		role = roleBefore(before)
	}
	if role == "" {
		role, n = roleVerb(after)
	}
	if role != "" && p.role == "" {
		p.role, said = role, true
		if r := relationOf(role); r.val != "" {
			p.setRel(r)
		}
	}
	if r := relationOf(after); r.val != "" {
		p.setRel(r)
		said = true
	}
	if v := firstOf(after, sentimentRE); v != "" && p.sentiment == "" {
		p.sentiment, said = v, true
	}
	if v := firstOf(after, channelRE); v != "" && p.channel == "" {
		p.channel, said = v, true
	}
	for _, part := range splitAt(after, span{n, len(after)}, partRE) {
		if m := noteRE.FindStringSubmatch(after[part.start:part.end]); m != nil {
			if note := clean(m[1]); note != "" && !contains(p.notes, note) {
				p.notes = append(p.notes, note)
				said = true
			}
		}
	}
	if said && !p.said {
		p.said, p.sp = true, sent
	}
}

type relation struct {
	val  string
	rank int
}

func relationOf(s string) relation {
	for i, c := range relationshipRE {
		if c.re.MatchString(s) {
			return relation{c.val, i}
		}
	}
	return relation{}
}

func (p *person) setRel(r relation) {
	if r.rank < p.rank {
		p.rel, p.rank = r.val, r.rank
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
