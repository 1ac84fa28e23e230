package extract

import (
	"strings"
	"time"
)

// Work in flight: what the CSM promised, which issues are open, which workarounds someone must keep
// running.

var (
	// Only the CSM's side promises: "they agreed to" is the customer's business.
	promiseRE = compile(`(?i)\b(?:I|we)(?:'ve|’ve)?(?:\s+(?:have|had|also|already|personally|still))*\s+(?:promised|committed to|agreed to|offered(?: to)?|owe)\b|\b(?:(?:told|assured|promised)\s+(?:\S+\s+){0,3}?(?:I|we)(?:'d|’d|\s+would)|(?:I|we)(?:'ll|’ll|\s+will|\s+am going to|\s+are going to))\s+(?:\w+\s+)?` + promiseVerbs + `|\b(?:was|were|is|are) promised\b|(?:^\W*|[,;:(]\s*|\band\s+)promised\b|\b(?:I|we)(?:\s+(?:have|had|also|already))*\s+agreed\b|\bsaid\s+(?:I|we)(?:'d|’d|d|'ll|’ll|\s+would|\s+will)\s+(?:\w+\s+)?` + promiseVerbs)
	// notPromiseRE is an item of a commitments answer that is not a promise: a request to the successor,
	// the CSM's own leaving, what someone else said, the renewal.
	notPromiseRE = compile(`(?i)^\W*(?:please|pls|plz)\b|^\W*(?:the\s+|their\s+)?(?:renewal|contract|term)(?:'s|’s)?\s*(?:is|was|date|on|in|due|ends|expires|runs|:|$)|\b(?:i'm|i’m|im|i am)\s+(?:gone|off|out|leaving)\b|\bmy last day\b|^\W*(?:and\s+|but\s+)?(?:they|he|she|product|eng\w*|legal|finance|support|procurement)\s+(?:said|says|say|asked|asks|want|wants|think|thinks|reckon|reckons)\b`)
	pointBackRE  = compile(`(?i)^\W*(?:the (?:first|second|last|other) (?:one|session|part)?|it|that|this|which|the one|(?:and|but) (?:it|that))\b`)
	// toldRE is a softer promise: "ive told tunde fix in two weeks" is one only when it carries a date.
	toldRE       = compile(`(?i)\b(?:I|we)(?:'ve|’ve|ve|\s+have|\s+had)?\s+(?:told|assured)\b`)
	promiseVerbs = `(?:send|get|follow|walk|hold|hand over|deliver|merge|push|ship|call|share|deliver|fix|set up|arrange|check|book|schedule|provide|run|organi[sz]e|prepare|review|confirm|introduce|look into|come back)\b`
	itemSepRE    = compile(`,\s*and\s+|;\s*|,\s*plus\s+|\s+and also\s+|,\s*as well as\s+`)
	recipientRE  = compile(`(?i)^\s*(?:to\s+)?(?:them|him|her|the customer|the client)\b`)
	toWhomRE     = compile(`(?i)(?:\bto|\bfor|\bwith)\s+$`)
	duePrepRE    = compile(`(?i)\s*(?:by|before|on|until|till|in|no later than|for|around|at the end of|end of|latest)?\s*$`)
	doneRE       = compile(`(?i)\b(?:done|delivered|already (?:sent|did|done|delivered|shared)|completed|sent it|has been sent|was sent)\b`)
	doneTailRE   = compile(`(?i)(?:[,;]?\s*(?:which|that|it)?\s*(?:was|is|has been|were)?\s*(?:already\s*)?)$`)
)

// commitments lists what the CSM promised, each promise with its own due date. A promise that names no
// day takes the date of the next sentence when that sentence promises nothing itself ("I promised
// Rahul two sessions. The first one is in two weeks."); in an answer about commitments, a dated item
// without a promise verb is a promise too ("- RCA writeup to Denise by Friday").
func commitments(d *doc) []Finding {
	var out []Finding
	used := map[int]bool{} // sentences whose date went to the promise before them
	for _, p := range d.promise {
		cl := d.clauseAt(p.start)
		later := d.laterDate(p.start, used)
		ms := promiseMatches(d.text[p.start:cl.end])
		status := "open"
		if doneRE.MatchString(d.at(cl)) {
			status = "done"
		}
		for k, m := range ms {
			obj := span{p.start + m[1], cl.end}
			if k+1 < len(ms) {
				obj.end = p.start + ms[k+1][0]
			}
			to := ""
			for _, mm := range d.mentionsIn(cl) {
				switch {
				case mm.sp.start >= p.start+m[0] && mm.sp.end <= p.start+m[1] && to == "":
					to = mm.name // "told Marco I'd send…"
				case mm.sp.end <= p.start+m[0] && strings.Contains(strings.ToLower(d.text[mm.sp.end:p.start+m[1]]), "promised"):
					to = mm.name // "Priya was promised…"
				case obj.contains(mm.sp) && strings.TrimLeft(d.text[obj.start:mm.sp.start], " ") == "" && to == "":
					to, obj.start = mm.name, mm.sp.end // "promised Priya a fix date"
				case obj.contains(mm.sp) && toWhomRE.MatchString(d.text[obj.start:mm.sp.start]) && to == "":
					to = mm.name
				}
			}
			if loc := recipientRE.FindStringIndex(d.at(obj)); loc != nil {
				obj.start += loc[1]
			} else if _, st, end := leadingRole(d.at(obj)); to == "" && end > 0 {
				// "promised their admin a fix": a role stands for the person.
				to, obj.start = d.text[obj.start+st:obj.start+end], obj.start+end
			}
			for _, item := range splitAt(d.text, obj, itemSepRE) {
				if loc := doneRE.FindStringIndex(d.at(item)); loc != nil {
					item.end = item.start + len(doneTailRE.ReplaceAllString(d.text[item.start:item.start+loc[0]], ""))
				}
				fields := d.dueAndWhat(item, later)
				fields["to_whom"], fields["status"] = to, status
				if i := d.sentenceAt(p.start); fields["what"] == to && i > 0 {
					d.toWhom[i-1] = to // "Audit log export, by end of Jan. Promised to Katrin."
					continue
				}
				if f, ok := d.finding(Commitment, cl, fields); ok && fields["what"] != "" {
					out = append(out, f)
				}
			}
		}
	}
	if d.has("commitments") {
		out = append(out, d.datedItems(used)...)
	}
	return out
}

// promiseMatches finds the promises in s: the promise verbs, or failing them "told them".
func promiseMatches(s string) [][]int {
	if ms := promiseRE.FindAllStringIndex(s, -1); ms != nil {
		return ms
	}
	return toldRE.FindAllStringIndex(s, -1)
}

// dueAndWhat reads an item's due date and what it is without the date. Of several dates a firm one wins
// over a vague one ("by next Friday I mean Friday, December 18"), then one after a deadline word
// ("after the holidays, latest 15.1."; "the October outage, due by 15 December"); an item without a
// date takes fallback, the date of the sentence after it.
func (d *doc) dueAndWhat(item span, fallback *dateHit) map[string]string {
	fields := map[string]string{"what": d.at(item)}
	ds := dates(d.text, item, d.c.Today)
	if len(ds) > 0 {
		// The date that says when ("due by 15 December") over one that says what ("the October outage").
		h, best := ds[0], -1
		for _, x := range ds {
			score := 0
			if dueWordRE.MatchString(d.text[item.start:x.sp.start]) {
				score++
			}
			if x.prec.Firm() {
				score += 2
			}
			if score > best {
				h, best = x, score
			}
		}
		pre := duePrepRE.FindStringIndex(d.text[item.start:h.sp.start])
		fields["due_date"] = h.String()
		fields["what"] = d.text[item.start:item.start+pre[0]] + " " + d.text[h.sp.end:item.end]
	} else if fallback != nil {
		fields["due_date"] = fallback.String()
	}
	fields["what"] = strings.TrimPrefix(clean(dueTailRE.ReplaceAllString(fields["what"], "")), "to ")
	return fields
}

// sentenceAt is the index of the sentence holding pos, or -1.
func (d *doc) sentenceAt(pos int) int {
	for i, s := range d.sents {
		if pos >= s.start && pos < s.end {
			return i
		}
	}
	return -1
}

// laterDate is the date of the sentence after the one holding pos, when that sentence makes no
// promise of its own and the promise's sentence names no day ("…before end of term. they break up fri
// 18th."). The sentence is marked used, so it is not read as a promise again.
func (d *doc) laterDate(pos int, used map[int]bool) *dateHit {
	i := d.sentenceAt(pos)
	if i < 0 || i+1 >= len(d.sents) || len(dates(d.text, d.sents[i], d.c.Today)) > 0 {
		return nil
	}
	next := d.sents[i+1]
	if d.promised(next) || d.neg[i+1] {
		return nil
	}
	ds := dates(d.text, next, d.c.Today)
	// The next sentence must be about the promise: it opens with its date or points back at it ("The
	// first one is in two weeks"), or the promise named a day the words do not give ("end of term").
	if len(ds) == 0 || !(ds[0].sp.start == next.start || pointBackRE.MatchString(d.at(next)) || anchorRE.MatchString(d.at(d.sents[i]))) {
		return nil
	}
	used[i+1] = true
	return &ds[0]
}

// datedItems reads an answer about commitments: every item with a date that is not part of a promise
// already read is one ("1) ETA export fix to TW by 8 Jan", "post-mortem deck to Bea by Thursday").
// The person after "to" or "for" is whom it was promised to.
func (d *doc) datedItems(used map[int]bool) []Finding {
	var out []Finding
	for i, s := range d.sents {
		if used[i] || d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			if cl = d.unpromised(cl); cl.start >= cl.end || doneRE.MatchString(d.at(cl)) || notPromiseRE.MatchString(d.dateSegment(cl)) {
				continue
			}
			var later *dateHit
			if len(dates(d.text, cl, d.c.Today)) == 0 {
				// "training before end of term. they break up fri 18th.": the next sentence gives the day.
				if !anchorRE.MatchString(d.at(cl)) {
					continue
				}
				if later = d.laterDate(cl.start, used); later == nil {
					continue
				}
			}
			to := d.toWhom[i]
			for _, mm := range d.mentionsIn(cl) {
				if to == "" && toWhomRE.MatchString(d.text[cl.start:mm.sp.start]) {
					to = mm.name
				}
			}
			fields := d.dueAndWhat(cl, later)
			if due, err := time.Parse(time.DateOnly, fields["due_date"]); err == nil && !d.c.Today.IsZero() && due.Before(d.c.Today.Truncate(24*time.Hour)) {
				continue // "with product since September": a time past is no promise still to keep
			}
			fields["to_whom"], fields["status"] = to, "open"
			if f, ok := d.finding(Commitment, cl, fields); ok && fields["what"] != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

// dateSegment is the part of cl between the last comma before its first date and that date's end
// ("eng says fixed, Bea wants proof post-mortem deck to Bea by Thursday" → from "Bea wants"): who
// speaks there is who the dated item belongs to. Without a date it is the whole clause.
func (d *doc) dateSegment(cl span) string {
	ds := dates(d.text, cl, d.c.Today)
	if len(ds) == 0 {
		return d.at(cl)
	}
	seg := span{cl.start, ds[0].sp.end}
	if k := strings.LastIndexAny(d.text[seg.start:ds[0].sp.start], ",;:"); k >= 0 {
		seg.start += k + 1
	}
	return d.at(seg)
}

// clauseAt returns the clause holding byte offset pos.
func (d *doc) clauseAt(pos int) span {
	for _, s := range d.sents {
		for _, cl := range clauses(d.text, s) {
			if pos >= cl.start && pos < cl.end {
				return cl
			}
		}
	}
	return span{pos, pos}
}

var (
	refRE       = compile(`(?:\b(?i:jira|zendesk|servicenow|freshdesk)\s+)?(?:\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b|#\d{2,7}\b|\b(?i:ticket|case)\s+#?\d{3,9}\b)`)
	notRefRE    = compile(`^(?:Q[1-4]|ISO|COVID|SOC|GDPR|HIPAA|PCI|FY|H[12])-`)
	issueNounRE = compile(`(?i)\b(?:bugs?|tickets?|issues?|incidents?|outages?|escalations?|defects?|errors?|problems?|cases?|crash(?:es)?|failures?|downtime)\b`)
	countOnlyRE = compile(`(?i)^(?:\d+|one|two|three|four|five|several|a few|some|many|no)\s+(?:open\s+|active\s+|outstanding\s+)?(?:tickets|bugs|issues|incidents|escalations|cases)\W*$`)
	issueSepRE  = compile(`;|,\s*(?:and\s+|also\s+)?|\s+and\s+`)
	// dueWordRE ends the text before a date that is a deadline.
	dueWordRE = compile(`(?i)\b(?:by|before|until|till|til|due|latest|no later than|deadline(?: is)?)\s*(?:the\s+)?$`)
	// dueTailRE is what a removed deadline leaves at the end of a commitment: "…, due".
	dueTailRE = compile(`(?i)[,;]?\s*\b(?:due|deadline(?: is)?)\s*$`)
	// refNounRE is a word that only introduces a reference: "ticket OPS-2231" names no new issue.
	refNounRE  = compile(`(?i)^\s*(?:the\s+)?(?:ticket|jira|case|issue|incident|escalation)\s+`)
	statusCues = []cue{
		{compile(`(?i)\b(?:under investigation|investigating|being investigated|looking into it|root cause)\b`), "under investigation"},
		{compile(`(?i)\b(?:in progress|working on|being fixed|in development|being worked on)\b`), "in progress"},
		{compile(`(?i)\b(?:waiting (?:on|for)|pending|blocked|on hold)\b`), "waiting"},
		{compile(`(?i)\bescalated\b`), "escalated"},
		{compile(`(?i)\b(?:fixed|resolved|closed|done|shipped)\b`), "resolved"},
		{compile(`(?i)\b(?:open|unresolved|outstanding|still broken|ongoing|active)\b`), "open"},
	}
	ownerRE     = compile(`(?i)\b(?:by|with|owned by|assigned to|escalated to|sits with|waiting on|waiting for)\s+(?:the\s+|our\s+|their\s+)?(engineering|product(?: management| team)?|support|devs?|development|devops|security|legal|finance|billing|sales|customer|client|vendor|r&d|qa|sre|l[123]|tier [123])(?:\s+team)?\b|^\s*(?:the\s+)?(engineering|product|support|devops|security)(?:\s+team)?\s+(?:is|are|has|have)\s+(?:on it|looking|investigating|working)`)
	leadRE      = compile(`(?i)^(?:(?:but|and|also|plus)\s+)?(?:(?:there (?:is|are|'s)|we (?:have|got)|they have)\s+)?`)
	ownerPrepRE = compile(`(?i)\b(?:by|with|owned by|assigned to|escalated to|sits with)\s+$`)
)

// openIssues lists issues one by one: "Two open tickets: the export bug SUP-4411 and last week's SSO
// outage, still under investigation" holds two, each with its own status.
func openIssues(d *doc) []Finding {
	topic := d.has("open_issues")
	// "No open issues." elsewhere in the answer: only a ticket reference or an open status makes one.
	denied := false
	for i, s := range d.sents {
		denied = denied || d.neg[i] && issueNounRE.MatchString(d.at(s))
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			header, body := "", cl
			if k := strings.Index(d.at(cl), ": "); k >= 0 && issueNounRE.MatchString(d.text[cl.start:cl.start+k]) {
				header, body = d.text[cl.start:cl.start+k], span{cl.start + k + 1, cl.end}
			}
			for _, it := range d.issueItems(body) {
				if f, ok := d.issue(it, header, topic && !denied); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// issueItems splits a list of issues: a piece naming an issue starts an item, other pieces
// ("still under investigation by engineering") belong to the item before.
func (d *doc) issueItems(body span) []span {
	var items []span
	for _, p := range splitAt(d.text, body, issueSepRE) {
		if d.promised(p) {
			continue
		}
		t := d.at(p)
		ref := refRE.FindString(t)
		onlyRef := ref != "" && (ref == t || strings.TrimSpace(refNounRE.ReplaceAllString(t, "")) == ref)
		if len(items) > 0 && onlyRef && !refRE.MatchString(d.at(items[len(items)-1])) {
			items[len(items)-1].end = p.end // "an escalation about slow exports, ESC-77"
		} else if len(items) == 0 || issueNounRE.MatchString(t) || refRE.MatchString(t) {
			items = append(items, p)
		} else {
			items[len(items)-1].end = p.end
		}
	}
	return items
}

func (d *doc) issue(it span, header string, topic bool) (Finding, bool) {
	t := d.at(it)
	ref := refRE.FindString(t)
	if notRefRE.MatchString(strings.TrimSpace(ref)) {
		ref = ""
	}
	noun := issueNounRE.MatchString(t)
	status := firstOf(t, statusCues)
	if status == "" {
		status = firstOf(header, statusCues)
	}
	if countOnlyRE.MatchString(t) || !(ref != "" || noun && (topic || status == "open" || status == "escalated")) {
		return Finding{}, false
	}
	owner := ""
	cut := len(t)
	if m := ownerRE.FindStringSubmatchIndex(t); m != nil {
		g := 2
		if m[2] < 0 {
			g = 4
		}
		owner, cut = t[m[g]:m[g+1]], min(cut, m[0])
	}
	for _, m := range d.mentionsIn(it) {
		if owner == "" && ownerPrepRE.MatchString(d.text[it.start:m.sp.start]) {
			owner, cut = m.name, min(cut, m.sp.start-it.start)
		}
	}
	if k := strings.IndexByte(t, ','); k >= 0 {
		cut = min(cut, k)
	}
	// A status after the issue ends its description; one before it is part of it ("one open ticket").
	after := 1
	if loc := issueNounRE.FindStringIndex(t); loc != nil {
		after = loc[1]
	}
	for _, c := range statusCues {
		if loc := c.re.FindStringIndex(t[after:]); loc != nil {
			cut = min(cut, after+loc[0])
		}
	}
	what := t[:cut]
	if ref != "" {
		what = strings.Replace(what, ref, " ", 1)
	}
	what = clean(leadRE.ReplaceAllString(clean(what), ""))
	for _, w := range []string{"is ", "are ", "about ", "for "} {
		what = strings.TrimPrefix(what, w)
	}
	for _, w := range []string{" is", " are", " still", " is"} {
		what = strings.TrimSuffix(what, w)
	}
	return d.finding(OpenIssue, it, map[string]string{"what": what, "reference": ref, "status": status, "owner": owner})
}
