package extract

import (
	"strings"
)

var (
	workaroundRE  = compile(`(?i)\b(?:workarounds?|work-arounds?|manual(?:ly)?|by hand|scripts?|hacks?|cron(?:\s?jobs?)?|macros?|re-?imports?|exports?\s+(?:\w+\s+){0,3}(?:to|into)|custom (?:fields?|reports?|integrations?|setup|code|configs?|configurations?)|special (?:configs?|configurations?|setup)|hard-?coded|feature flags?)\b`)
	setupRE       = compile(`(?i)\b(?:config\w*|set ?up|integrations?|sso|saml|apis?|webhooks?|sandbox|customi[sz]\w*)\b`)
	continuesRE   = compile(`(?i)^(?:it|this|that|the (?:script|export|job|sheet|file|workaround|macro|integration)|otherwise|or else|without (?:it|this)|if (?:it|this|nobody|no one))\b`)
	whatEndRE     = compile(`(?i)\s+(?:because|since|so that|due to)\b|,\s*(?:it|which)\s+(?:lives|runs|sits|is stored)\b|[;.]`)
	locationRE    = compile(`(?i)\b(?:in|on|under|inside|at|from)\s+((?:the|my|our|their|a|an)\s+)?([^,;.]*)`)
	placeNounRE   = compile(`(?i)\b(?:drive|folder|repo\w*|server|console|settings|admin|confluence|sharepoint|onedrive|dropbox|github|gitlab|bitbucket|notion|wiki|laptop|desktop|vm|aws|lambda|jenkins|workspace|portal|account|instance|tenant|sandbox|icloud|inbox|box)\b|\w/\w`)
	impactRE      = compile(`(?i)\b(?:otherwise|or else|if (?:it|this|that|nobody|no one|someone|we|you|they|the \w+)\s+(?:stops?|fails?|doesn'?t|don'?t|isn'?t|is not|forgets?|skips?|breaks?|miss(?:es)?)[^,;.]*,\s*|without it,?)\s*([^;.]+)`)
	reasonRE      = compile(`(?i)\b(?:because(?: of)?|since|due to)\s+([^;.]+)`)
	placeEndRE    = compile(`(?i)\s+(?:with|where|that|which|containing|tracking|listing|so|because|and (?:it|they|I|we))\b`)
	cadenceRE     = compile(`(?i)\b(nightly|daily|hourly|weekly|bi-?weekly|fortnightly|monthly|quarterly|yearly|annually)\b|\b(?:every|each|once a|twice a|once every)\s+(?:other\s+|two\s+|2\s+|three\s+)?(?:night|morning|evening|day|week|month|quarter|year|hour|weekday|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|\bon (?:mondays|tuesdays|wednesdays|thursdays|fridays)\b`)
	cadenceWords  = map[string]string{"night": "nightly", "morning": "daily", "evening": "daily", "day": "daily", "week": "weekly", "month": "monthly", "quarter": "quarterly", "year": "yearly", "hour": "hourly"}
	cadencePrefix = compile(`(?i)^(?:every|each|once a|once every)\s+`)
)

// cadence reads how often something happens: the usual adverb when the words mean one ("every night"
// → "nightly"), else the words as said ("every Monday", "twice a week").
func cadence(s string) (string, span) {
	loc := cadenceRE.FindStringSubmatchIndex(s)
	if loc == nil {
		return "", span{}
	}
	sp := span{loc[0], loc[1]}
	if loc[2] >= 0 {
		return strings.ToLower(s[loc[2]:loc[3]]), sp
	}
	phrase := s[loc[0]:loc[1]]
	if p := cadencePrefix.FindString(phrase); p != "" {
		if v, ok := cadenceWords[strings.ToLower(phrase[len(p):])]; ok {
			return v, sp
		}
	}
	return lowerFirst(clean(phrase)), sp // "Every Monday" opening a sentence is still "every Monday"
}

// location finds where something lives: a phrase after in/on/under that names a place.
func location(s string) string {
	for _, m := range locationRE.FindAllStringSubmatchIndex(s, -1) {
		phrase := s[m[4]:m[5]]
		if m[2] >= 0 {
			phrase = s[m[2]:m[5]]
		}
		if loc := placeEndRE.FindStringIndex(phrase); loc != nil {
			phrase = phrase[:loc[0]]
		}
		if placeNounRE.MatchString(phrase) {
			return bare(phrase) // "the shared drive" → "shared drive", but "my Drive" stays mine
		}
	}
	return ""
}

// workarounds makes one finding per clause that describes one; a next clause about "it" adds where
// it lives, how often it runs or what breaks without it.
func workarounds(d *doc) []Finding {
	topic := d.has("workarounds")
	var out []Finding
	n, prev := 0, -2 // clause counter, and the clause the last finding came from
	for i, s := range d.sents {
		for _, cl := range clauses(d.text, s) {
			n++
			text := d.at(cl)
			if d.neg[i] {
				continue
			}
			fields := map[string]string{"location": location(text), "impact": firstGroup(text, impactRE, reasonRE)}
			fields["frequency"], _ = cadence(text)
			if continuesRE.MatchString(text) && prev == n-1 {
				last := &out[len(out)-1]
				grown := false
				for k, v := range fields {
					if v = clean(v); v != "" && last.Fields[k] == "" {
						last.Fields[k], grown = v, true
					}
				}
				if grown {
					last.End = cl.end
					last.Text = d.text[last.Start:last.End]
					prev = n
				}
				continue
			}
			if !workaroundRE.MatchString(text) && !(topic && setupRE.MatchString(text)) {
				continue
			}
			what := text
			if loc := whatEndRE.FindStringIndex(text); loc != nil {
				what = text[:loc[0]]
			}
			fields["what"] = what
			if f, ok := d.finding(Workaround, cl, fields); ok {
				out = append(out, f)
				prev = n
			}
		}
	}
	return out
}
