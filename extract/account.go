package extract

import (
	"regexp"
	"strings"
)

// The account's state: one risk, one renewal and one upsell per answer, each gathered from the
// sentences that speak of it, since CSMs spread one account's story over several sentences.

var (
	explicitRiskRE = regexp.MustCompile(`(?i)\b(critical|severe|high|elevated|medium|moderate|low)(?:[- ]to[- ](medium|high|critical))?[- ]risk\b|\brisk(?: level)?(?: is|:)\s*(critical|high|medium|moderate|low)\b|^\W*(critical|high|medium|low)\W*$`)
	notAtRiskRE    = regexp.MustCompile(`(?i)\b(?:not (?:at|a) risk|no (?:real )?(?:churn )?risk|safe|healthy|sticky|very happy|stable|solid|loyal|secure)\b`)
	riskCues       = []cue{
		{regexp.MustCompile(`(?i)\b(?:will churn|going to churn|(?:gave|given|sent|served) (?:us )?(?:their )?(?:notice|termination|cancellation)|not renewing|won'?t renew|will not renew|decided to leave|churning|cancel(?:l?ing|l?ed))\b`), "critical"},
		{regexp.MustCompile(`(?i)\b(?:at risk|likely to churn|unlikely to renew|evaluating (?:a |other |two )?(?:competitors?|vendors?|alternatives?)|looking at (?:a |other )?(?:competitors?|vendors?|alternatives?)|shopping around|rfp|threaten\w*|very unhappy|escalated to (?:the |our )?(?:ceo|exec\w*))\b`), "high"},
		{regexp.MustCompile(`(?i)\b(?:might churn|could churn|may churn|some risk|concern\w*|worried|unhappy|frustrat\w*|budget cuts?|looked at|looking at|evaluat\w*|complain\w*)\b`), "medium"},
	}
	levelOf      = map[string]string{"severe": "critical", "elevated": "high", "moderate": "medium"}
	severity     = map[string]int{"critical": 0, "high": 1, "medium": 2, "low": 3}
	driverRE     = regexp.MustCompile(`(?i)\b(?:because(?: of)?|since|due to|as a result of|driven by|caused by|the (?:main )?(?:reason|issue|concern|problem|driver) is)\s+([^;]+)`)
	riskAfterRE  = regexp.MustCompile(`(?i)\brisk\s*[,:–—-]\s*([^;]+)`)
	riskIfRE     = regexp.MustCompile(`(?i)\b(?:if|unless)\s+([^;]+)`)
	competitorRE = regexp.MustCompile(`(?i:\b(?:looked at|looking at|evaluat(?:ing|ed)|trialling|trialing|piloting|talking to|considering|switch(?:ing)? to|moving to|move to|demos? (?:of|from)|pitched by|competitors?,?|competitors? (?:like|such as))\s+)(\p{Lu}[\w.&-]*(?: \p{Lu}[\w.&-]*)?)`)
	// competitorFirstRE names the competitor before what it did: "Samsara has already done a demo for them".
	competitorFirstRE = regexp.MustCompile(`(\p{Lu}[\w.&-]*(?: \p{Lu}[\w.&-]*)?)\s+(?i:(?:has|have|had)\s+)?(?i:already\s+)?(?i:(?:done|did|given|gave|run|ran)\s+(?:a|the|their)\s+demo|(?:is|are|was|were)\s+pitching|sent (?:them )?a (?:proposal|quote))`)
	notCompetitor     = wordSet(`the a an other our their it them this that options alternatives competitors vendors pricing we i they`)
)

func risk(d *doc) []Finding {
	topic := d.has("churn_risk")
	level, levelRank, explicit := "", 4, false
	driver, competitor := "", ""
	first, last := -1, -1
	for i, s := range d.sents {
		text := d.at(s)
		if d.neg[i] {
			continue
		}
		found := false
		if m := explicitRiskRE.FindStringSubmatch(text); m != nil {
			l := strings.ToLower(m[1] + m[3] + m[4])
			if m[2] != "" {
				l = strings.ToLower(m[2])
			}
			if v, ok := levelOf[l]; ok {
				l = v
			}
			if !explicit || severity[l] < levelRank {
				level, levelRank = l, severity[l]
			}
			explicit, found = true, true
		}
		rest := text
		if (topic || strings.Contains(strings.ToLower(text), "risk")) && notAtRiskRE.MatchString(text) {
			rest = notAtRiskRE.ReplaceAllString(text, " ")
			if level == "" {
				level, levelRank, found = "low", severity["low"], true
			}
		}
		if v := firstOf(rest, riskCues); v != "" && (topic || severity[v] <= severity["high"]) {
			if !explicit && severity[v] < levelRank {
				level, levelRank = v, severity[v]
			}
			found = true
		}
		if m := competitorRE.FindStringSubmatch(rest); m != nil && competitor == "" && d.competitorOK(m[1]) {
			competitor, found = m[1], true
		}
		if m := competitorFirstRE.FindStringSubmatch(rest); m != nil && competitor == "" && d.competitorOK(m[1]) {
			competitor, found = m[1], true
		}
		if !found {
			continue
		}
		if driver == "" {
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
	// "High risk. The GPS drifted and the dispatchers lost trust in the maps.": a bare level is explained
	// by the sentence after it.
	if driver == "" && explicit && len(strings.Fields(d.at(d.sents[first]))) <= 4 && first+1 < len(d.sents) && !d.neg[first+1] {
		if next := strings.TrimRight(strings.TrimSpace(d.at(d.sents[first+1])), ".!;"); !renewWordRE.MatchString(next) {
			driver = words(next, 20)
		}
	}
	f, ok := d.finding(Risk, d.spanOf(first, last), map[string]string{"level": level, "driver": driver, "competitor": competitor})
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
	renewWordRE = regexp.MustCompile(`(?i)\b(?:renew\w*|contract (?:ends|expires|end|is up|runs out|runs until)|expir\w*|auto-?renew\w*|evergreen)\b`)
	deciderRE   = regexp.MustCompile(`(?i)^\s*,?\s*(?:(?:the|our|their)\s+\S+(?:\s+\S+)?\s*,?\s*)?(?:will\s+|would\s+)?(?:decides?|makes the (?:final )?(?:call|decision)|signs(?: off)?|has the final (?:say|word)|owns the decision|approves|is the decision[- ]?maker|is the economic buyer|holds the budget)\b`)
	decidedByRE = regexp.MustCompile(`(?i)(?:(?:decided|signed off|approved|signed) by|(?:decision|call|sign-off) (?:is|lies|rests|sits) with)\s+$`)
	blockersRE  = regexp.MustCompile(`(?i)\b(?:blocked by|blockers? (?:is|are)|blockers?:|depends on|dependent on|contingent on|hinges on|waiting (?:on|for))\s+([^;.]+)|\b((?:unless|as long as|provided|only if|if)\s+[^;.]+)`)
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
		for _, cl := range clauses(d.text, s) {
			if cl = d.unpromised(cl); cl.start >= cl.end {
				continue
			}
			text := d.at(cl)
			word := renewWordRE.MatchString(text)
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
			for _, h := range dates(d.text, cl, d.c.Today) {
				if !blocker.contains(h.sp) {
					got["date"] = h.String()
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
func firstGroup(s string, res ...*regexp.Regexp) string {
	for _, re := range res {
		if m := re.FindStringSubmatch(s); m != nil {
			return m[1]
		}
	}
	return ""
}
