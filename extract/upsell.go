package extract

import (
	"strings"
)

var (
	upsellWordRE  = compile(`(?i)\b(?:upsell\w*|up-sell\w*|cross-?sell\w*|expan\w*|add-?ons?|more seats|additional (?:seats|licen[cs]es|users)|upgrade\w*|proposal|quote[ds]?|pricing|opportunit\w*)\b`)
	productNounRE = compile(`(?i)\b(?:add-?ons?|modules?|licen[cs]es|seats|tier|edition|package|plan|suite|upgrade|bundle)\b`)
	productOfRE   = compile(`(?i)\b(?:(?:upsell|cross-sell|expansion|upgrade)\s+(?:of|to|into|on)|interested in|pitch(?:ing|ed)|selling(?: them)?)\s+(?:(?:the|a|an|our|their)\s+)?([^,;.]+?)(?:\s+(?:for|with|worth|at|on|by|in|from|to)\s|[,;.]|$)`)
	productStop   = wordSet(`a an the for of into their our its about around want wants interested buy buying discussing pitch pitched pitching selling sell upsell need needs adding add sent is are was with on in to and or x per also maybe`)
	// From the furthest stage down, so the furthest one mentioned wins; an opportunity the CSM calls dead
	// is lost, whatever stage it had reached.
	stages = []cue{
		{compile(`(?i)\b(?:dead|deader|closed[- ]lost|no longer (?:viable|happening|on the table)|not (?:going|moving) ahead|off the table|won'?t happen|(?:said|says) no|forget (?:it|about it)|bin it|close it(?: out)?|please close|don'?t forecast|shelved|paused)\b`), "lost"},
		{compile(`(?i)\b(?:closed[- ]won|(?:contract|order|deal) (?:is |was )?signed|signed (?:the )?(?:contract|order)|po (?:received|issued)|done deal)\b`), "closed"},
		{compile(`(?i)\b(?:verbal\w*|agreed in principle|said yes)\b`), "verbal"},
		{compile(`(?i)\b(?:negotiat\w*|redlin\w*|in procurement|with procurement|legal review)\b`), "negotiation"},
		{compile(`(?i)\b(?:proposals?|quote[ds]?|quoted|pricing (?:discussed|sent|shared)|discussed pricing|sent pricing)\b`), "proposal"},
		{compile(`(?i)\b(?:demo\w*|discovery|scoping|trial|pilot|poc|workshop|requirements)\b`), "discovery"},
		{compile(`(?i)\b(?:idea|interested|early (?:days|stage)|floated|mentioned|thinking about|curious|exploring)\b`), "idea"},
	}
	nextStepRE = compile(`(?i)\bnext steps?\s*(?:is|are|:|-|–)?\s*([^;.]+)`)
	meetingRE  = compile(`(?i)\b(?:demo\w*|call|meeting|workshop|review|presentation|proposal|quote|session|follow-up|pilot|trial|visit)\b`)
	futureRE   = compile(`(?i)\b(?:will|going to|plan(?:ned)? to|scheduled|booked|planned)\b`)
	commaRE    = compile(`[,;]`)
	// noCommercialRE is a "nothing to report" sentence about upsells.
	noCommercialRE = compile(`(?i)\b(?:commercial\w*|upsell\w*|expansion|cross-?sell\w*|opportunit\w*|in motion|in the pipeline)\b`)
)

// upsell gathers one opportunity per answer. A scheduled demo or call is the next step; the stage
// comes from what already happened ("proposal sent").
func upsell(d *doc) []Finding {
	topic := d.has("upsell")
	// "Nothing commercial in motion": under the topic, only a sentence that names an upsell makes one (a
	// deployment's "25 seats" is not one).
	for i, s := range d.sents {
		if d.neg[i] && noCommercialRE.MatchString(d.at(s)) {
			topic = false
		}
	}
	fields := map[string]string{}
	stageRank := len(stages)
	first, last := -1, -1
	for i, s := range d.sents {
		text := d.at(s)
		if d.neg[i] {
			continue
		}
		amounts := money(d.text, s)
		if !topic && !(upsellWordRE.MatchString(text) && (len(amounts) > 0 || productNounRE.MatchString(text))) {
			continue
		}
		got := map[string]string{"product": d.product(s)}
		if len(amounts) > 0 {
			got["value"] = amounts[0].value
		}
		next, ok := d.nextStep(s)
		rest := text
		if ok {
			got["next_step"] = d.at(next)
			if ds := dates(d.text, next, d.c.Today); len(ds) > 0 {
				got["due_date"] = ds[0].String()
			}
			rest = d.text[s.start:next.start] + d.text[next.end:s.end]
		}
		rank := rankOf(rest)
		if rank == len(stages) && ok && rankOf(d.at(next)) >= 4 {
			rank = rankOf(d.at(next)) // a demo booked is discovery under way; a proposal to send is not yet one
		}
		if ms := d.mentionsIn(s); len(ms) > 0 {
			got["contact"] = ms[0].name
		}
		contributed := false
		if rank < stageRank {
			stageRank, fields["stage"], contributed = rank, stages[rank].val, true
		}
		for k, v := range got {
			if v != "" && fields[k] == "" {
				fields[k], contributed = v, true
			}
		}
		if contributed {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 || fields["product"]+fields["value"]+fields["stage"] == "" {
		return nil
	}
	if f, ok := d.finding(Upsell, d.spanOf(first, last), fields); ok {
		return []Finding{f}
	}
	return nil
}

func rankOf(s string) int {
	for i, c := range stages {
		if c.re.MatchString(s) {
			return i
		}
	}
	return len(stages)
}

// product names what is being sold: "upgrade to the Enterprise tier", else a phrase ending in a
// product word ("Workforce management add-on").
func (d *doc) product(s span) string {
	if m := locate(productOfRE, d.text, s); m != nil {
		return d.text[m[2]:m[3]]
	}
	m := productNounRE.FindStringIndex(d.at(s))
	if m == nil {
		return ""
	}
	noun := span{s.start + m[0], s.start + m[1]}
	return d.at(expandLeft(d.text, s, noun, productStop))
}

// expandLeft widens sp over the words before it inside within, stopping at a stop word, a number or
// punctuation, to take in a product's or a tool's name.
func expandLeft(text string, within, sp span, stop map[string]bool) span {
	start := sp.start
	for {
		j := start
		if j <= within.start || text[j-1] != ' ' {
			return span{start, sp.end}
		}
		for j > within.start && text[j-1] == ' ' {
			j--
		}
		k := j
		for k > within.start && text[k-1] != ' ' {
			k--
		}
		w := text[k:j]
		if w == "" || stop[strings.ToLower(w)] || strings.ContainsAny(w, "0123456789$€£,;:()\"") {
			return span{start, sp.end}
		}
		start = k
	}
}

// nextStep finds what happens next: said as such, or a meeting with a date or a plan.
func (d *doc) nextStep(s span) (span, bool) {
	if m := locate(nextStepRE, d.text, s); m != nil {
		return trim(d.text, span{m[2], m[3]}, clauseCut), true
	}
	for _, p := range splitAt(d.text, s, commaRE) {
		t := d.at(p)
		if meetingRE.MatchString(t) && (len(dates(d.text, p, d.c.Today)) > 0 || futureRE.MatchString(t)) {
			return p, true
		}
	}
	return span{}, false
}
