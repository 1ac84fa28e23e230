package extract

import (
	"regexp"
	"strings"
)

// A stakeholder's status and whether they may be contacted, read from the sentences that name them: an
// introduction e-mail must not greet a sponsor who left, a champion on leave, or someone the CSM said
// must never be cc'd. A cue applies to the person named nearest to it in its sentence, or, in a
// sentence that names nobody and starts with "he" or "she", to the person named last.
var (
	leftRE  = regexp.MustCompile(`(?i)\b(?:has|had|have)\s+(?:since\s+)?left\b|\bleft\s+(?:the\s+(?:company|business|org\w*|firm|team|account)|us\b|them\b|in\s+\w+|last\s+\w+|back\s+in\b|for\s+|to\s+join|recently|earlier|over\s+the\s+\w+|this\s+(?:year|month|summer|spring|autumn|fall|winter))|\bleft\s*[.!;,)]|\bleft$|\bno\s+longer\s+(?:there|with|at|works?|working|around|on)\b|\bmoved\s+on\b|\bdeparted\b|\bresigned\b|\bretired\b|\bquit\b|\blet\s+go\b|\blaid\s+off\b|\bnot\s+there\s+any\s*more\b|\bgone\s+(?:now|since)\b|\bis\s+gone\b`)
	leaveRE = regexp.MustCompile(`(?i)\bon\s+(?:(?:her|his|their)\s+)?(?:maternity|paternity|parental|sick|medical|long[- ]term\s+sick|extended|compassionate|garden)\s+leave\b|\bon\s+leave\b|\bon\s+sabbatical\b|\belternzeit\b|\bmat(?:ernity)?\s+leave\b|\b(?:out|off|away)\s+(?:sick\s+)?(?:until|till|til|through)\b|\blong[- ]term\s+sick\b|\boff\s+sick\b|\bon\s+mat\s+leave\b`)
	newRE   = regexp.MustCompile(`(?i)\b(?:the\s+)?new\s+(?:\w+\s+){0,2}?(?:cio|cto|ceo|cfo|coo|cro|ciso|vp|svp|head|director|manager|champion|sponsor|admin\w*|lead|hire|contact|owner|buyer|decision[- ]?maker)\b|\b(?:just|recently|only\s+just)\s+(?:joined|started|came\s+on\s*board)\b|\bjoined\s+(?:in|last|this|recently|a\s+few|only)\b|\bstarted\s+(?:in|last|this)\s+\w+|\bnew\s+in\s+(?:the\s+)?(?:role|job|post|seat)\b|\bis\s+new\b`)
	dncRE   = regexp.MustCompile(`(?i)\b(?:never|don'?t|do\s+not|dont|must\s+not|mustn'?t|should\s+not|shouldn'?t|nie)\s+(?:ever\s+)?(?:cc|bcc|contact|e-?mail|call|ping|loop\s+in|include|copy|add|reach\s+out\s+to|message|text|approach|go\s+(?:to|around|over))\b|\bkeep\s+\S+\s+(?:out\s+of|off)\b|\bnot\s+to\s+be\s+(?:contacted|cc'?d|copied|e-?mailed)\b|\bno\s+contact\b|\bdo[- ]not[- ]contact\b|\bleave\s+(?:him|her|them)\s+out\b`)
	heSheRE = regexp.MustCompile(`(?i)^\W*(?:she|he|she's|he's)\b`)
)

type status struct {
	state        string // left, on_leave, new ("" : active, as far as the answer says)
	doNotContact bool
	reason       string
}

// statuses reads, over every sentence of the answer (negated ones too: "never cc Tom" is a negation),
// the status cues of the people named, by name.
func (d *doc) statuses() map[string]status {
	out := map[string]status{}
	var last string
	for _, s := range d.sents {
		text := d.at(s)
		ms := d.mentionsIn(s)
		apply := func(loc []int, fn func(*status)) {
			name := ""
			switch {
			case len(ms) > 0:
				best := -1
				for _, m := range ms {
					dist := abs(m.sp.start - (s.start + loc[0]))
					if best < 0 || dist < best {
						best, name = dist, m.name
					}
				}
			case heSheRE.MatchString(text):
				name = last
			}
			if name == "" {
				return
			}
			st := out[name]
			fn(&st)
			out[name] = st
		}
		if loc := dncRE.FindStringIndex(text); loc != nil {
			apply(loc, func(st *status) { st.doNotContact, st.reason = true, strings.TrimSpace(text) })
		}
		for _, c := range []struct {
			re    *regexp.Regexp
			state string
		}{{leftRE, "left"}, {leaveRE, "on_leave"}, {newRE, "new"}} {
			if loc := c.re.FindStringIndex(text); loc != nil {
				apply(loc, func(st *status) {
					if st.state == "" || st.state == "new" {
						st.state = c.state
					}
				})
				break
			}
		}
		if len(ms) > 0 {
			last = ms[len(ms)-1].name
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
