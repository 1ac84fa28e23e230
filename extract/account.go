package extract

import (
	"slices"
	"strings"
)

// The account's state: one risk, one renewal and one upsell per answer, each gathered from the
// sentences that speak of it, since CSMs spread one account's story over several sentences.

var (
	driverRE     = compile(`(?i)\b(?:because(?: of)?|since|due to|as a result of|driven by|caused by|the (?:main )?(?:reason|issue|concern|problem|driver) is)\s+([^;]+)`)
	riskAfterRE  = compile(`(?i)\brisk\s*[,:–—-]\s*([^;]+)`)
	riskIfRE     = compile(`(?i)\b(?:if|unless)\s+([^;]+)`)
	competitorRE = compile(`(?i:\b(?:looked at|looking at|evaluat(?:ing|ed)|trialling|trialing|piloting|talking to|considering|switch(?:ing)? to|moving to|move to|demos? (?:of|from)|pitched by|competitors?,?|competitors? (?:like|such as))\s+)(\p{Lu}[\w.&-]*(?: \p{Lu}[\w.&-]*)?)`)
	// competitorFirstRE names the competitor before what it did: "Samsara has already done a demo for them".
	competitorFirstRE = compile(`(\p{Lu}[\w.&-]*(?: \p{Lu}[\w.&-]*)?)\s+(?i:(?:has|have|had)\s+)?(?i:already\s+)?(?i:(?:done|did|given|gave|run|ran)\s+(?:a|the|their)\s+demo|(?:is|are|was|were)\s+pitching|sent (?:them )?a (?:proposal|quote))`)
	notCompetitor     = wordSet(`the a an other our their it them this that options alternatives competitors vendors pricing we i they`)
)

// risk gathers the answer's one risk finding: the level the CSM meant (risk.go reads it with the risk
// lexicon), whether they stated it, what drives it, the competitor named and the health the CSM says
// the CRM shows.
func risk(d *doc) []Finding {
	l := riskLexiconOrPanic()
	topic := d.has("churn_risk")
	var evidence []riskEvidence
	var drivers []string
	driver, competitor, crm := "", "", ""
	first, last := -1, -1
	for i, s := range d.sents {
		text := d.at(s)
		ev, kinds, crmSays, retracts := sentenceRisk(l, text, topic)
		if i+1 < len(d.sents) {
			ev = answeredQuestion(l, text, d.at(d.sents[i+1]), topic, ev) // "at risk? not really"
		}
		if retracts {
			evidence = nil // "kidding", "seriously though": what was said before was not meant
		}
		found := len(ev) > 0
		if m := competitorRE.FindStringSubmatch(text); m != nil && competitor == "" && d.competitorOK(m[1]) {
			competitor, found = m[1], true
		}
		if m := competitorFirstRE.FindStringSubmatch(text); m != nil && competitor == "" && d.competitorOK(m[1]) {
			competitor, found = m[1], true
		}
		if crm == "" {
			crm = crmSays
		}
		if found || topic {
			for _, k := range kinds {
				if !slices.Contains(drivers, k) {
					drivers = append(drivers, k)
				}
			}
		}
		if !found {
			continue
		}
		evidence = append(evidence, ev...)
		if driver == "" && !d.neg[i] {
			driver = firstGroup(text, driverRE, riskAfterRE, riskIfRE)
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 {
		return nil
	}
	if competitor != "" && !slices.Contains(drivers, "competitor") {
		drivers = append(drivers, "competitor")
	}
	fields := map[string]string{"driver": driver, "competitor": competitor, "drivers": strings.Join(drivers, ", "), "crm_health": crm}
	level, stated, ok := readRisk(evidence)
	if ok {
		fields["level"], fields["basis"] = riskLevels[level], "inferred"
		if stated {
			fields["basis"] = "stated"
		}
	}
	// "High risk. The GPS drifted and the dispatchers lost trust in the maps.": a bare level is explained
	// by the sentence after it.
	if driver == "" && stated && len(strings.Fields(d.at(d.sents[first]))) <= 4 && first+1 < len(d.sents) && !d.neg[first+1] {
		if next := strings.TrimRight(strings.TrimSpace(d.at(d.sents[first+1])), ".!;"); !renewWordRE.MatchString(next) {
			fields["driver"] = words(next, 20)
		}
	}
	f, ok := d.finding(Risk, d.spanOf(first, last), fields)
	if !ok {
		return nil
	}
	return []Finding{f}
}

func (d *doc) competitorOK(name string) bool {
	w := strings.ToLower(strings.Fields(name)[0])
	if notCompetitor[w] || strings.ContainsAny(name, "0123456789") {
		return false
	}
	if _, ok := months[w[:min(3, len(w))]]; ok && len(w) >= 3 {
		return false
	}
	for _, a := range append([]string{d.c.Account}, d.c.Accounts...) {
		if f := strings.Fields(a); len(f) > 0 && strings.EqualFold(f[0], strings.Fields(name)[0]) {
			return false
		}
	}
	return true
}

var (
	renewWordRE = compile(`(?i)\b(?:renew\w*|contract (?:ends|expires|end|is up|runs out|runs until)|expir\w*|auto-?renew\w*|evergreen)\b`)
	deciderRE   = compile(`(?i)^\s*,?\s*(?:(?:the|our|their)\s+\S+(?:\s+\S+)?\s*,?\s*)?(?:will\s+|would\s+)?(?:decides?|makes the (?:final )?(?:call|decision)|signs(?: off)?|has the final (?:say|word)|owns the decision|approves|is the decision[- ]?maker|is the economic buyer|holds the budget)\b`)
	decidedByRE = compile(`(?i)(?:(?:decided|signed off|approved|signed) by|(?:decision|call|sign-off) (?:is|lies|rests|sits) with)\s+$`)
	// crmSaysRE is a clause that reports what the CRM holds; with wrongRE in its sentence the CSM is
	// correcting it, and the date in that clause is the CRM's, not the renewal's: "the CRM lists the
	// renewal as March 15, which is no longer correct", "CRM says 31 March, that's wrong".
	crmSaysRE  = compile(`(?i)\b(?:crm|salesforce|sfdc|hubspot|gainsight|the system|our records?)\b.{0,40}?\b(?:says?|shows?|lists?|has|had|states?|reads?)\b|\b(?:according to|per) (?:the )?(?:crm|salesforce|sfdc|hubspot|gainsight)\b`)
	wrongRE    = compile(`(?i)\b(?:wrong|incorrect|inaccurate|out of date|outdated|no longer (?:correct|right|accurate|true|valid)|not (?:right|correct|accurate|true)|isn'?t (?:right|correct)|stale|mistake|error)\b`)
	blockersRE = compile(`(?i)\b(?:blocked by|blockers? (?:is|are)|blockers?:|depends on|dependent on|contingent on|hinges on|waiting (?:on|for))\s+([^;.]+)|\b((?:unless|as long as|provided|only if|if)\s+[^;.]+)`)
)

func renewal(d *doc) []Finding {
	topic := d.has("renewal")
	fields := map[string]string{}
	strong := map[string]bool{} // the field came from a clause that names the renewal
	first, last := -1, -1
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		correcting := wrongRE.MatchString(d.at(s))
		for _, cl := range clauses(d.text, s) {
			if cl = d.unpromised(cl); cl.start >= cl.end {
				continue
			}
			text := d.at(cl)
			word := renewWordRE.MatchString(text)
			if correcting && crmSaysRE.MatchString(text) {
				continue // the CRM's date the CSM says is wrong
			}
			var blocker span
			got := map[string]string{}
			if m := locate(blockersRE, d.text, cl); m != nil && (word || topic) {
				blocker = span{m[0], m[1]}
				if g, ok := group(m, 1); ok {
					got["blockers"] = d.at(g)
				} else if g, ok := group(m, 2); ok {
					got["blockers"] = d.at(g)
				}
			}
			// The renewal's date is the one the renewal word leads to ("…in September, and the renewal moved to
			// the end of April" is April), else the clause's first.
			at := -1
			if loc := renewWordRE.FindStringIndex(text); loc != nil {
				at = cl.start + loc[0]
			}
			for _, h := range dates(d.text, cl, d.c.Today) {
				if blocker.contains(h.sp) {
					continue
				}
				if got["date"] == "" || at >= 0 && h.sp.start > at {
					got["date"] = h.String()
				}
				if at < 0 || h.sp.start > at {
					break
				}
			}
			got["probability"] = chance(d.text, cl)
			got["decider"] = d.decider(cl)
			if !word && !(topic && (got["date"] != "" || got["probability"] != "" || got["decider"] != "" || got["blockers"] != "")) {
				continue
			}
			contributed := false
			for k, v := range got {
				// A clause that names the renewal outranks one that only sits under the renewal topic:
				// in "It broke in October. They renew on 20 February" the date is February's.
				if v != "" && (fields[k] == "" || (word && !strong[k])) {
					fields[k], contributed = v, true
					strong[k] = word
				}
			}
			if contributed {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
	}
	if first < 0 {
		return nil
	}
	if f, ok := d.finding(Renewal, d.spanOf(first, last), fields); ok {
		return []Finding{f}
	}
	return nil
}

// decider finds the person a clause says decides or signs ("Marco decides", "signed off by Priya").
func (d *doc) decider(cl span) string {
	for _, m := range d.mentionsIn(cl) {
		rest := d.text[m.sp.end:cl.end]
		_, n := roleAfter(rest)
		if deciderRE.MatchString(rest[n:]) || deciderRE.MatchString(rest) || decidedByRE.MatchString(d.text[cl.start:m.sp.start]) {
			return m.name
		}
	}
	return ""
}

// firstGroup returns group 1 of the first pattern that matches s.
func firstGroup(s string, res ...*pattern) string {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}
