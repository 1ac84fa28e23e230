package extract

import (
	"strings"

	accounts "github.com/exitinterview/exitinterview/mention"
)

// Portfolio knowledge: who to call for what, what customers keep asking for, the routines a successor
// must keep running, past decisions and the CSM's private trackers.

var (
	// Each pattern gives the kind of problem and the target, or the target first when target is true.
	escalationRE = []struct {
		re     *pattern
		target bool
	}{
		{compile(`(?i)^(?:for|on)\s+([^,]{2,40}?),?\s+(?:contact|ping|e-?mail|call|ask|message|go to|talk to|page|reach out to|escalate to|use)\s+(.+)$`), false},
		{compile(`(?i)^(.{2,40}?)\s+(?:go(?:es)?|get(?:s)? (?:sent|escalated|routed)|(?:are|is) (?:sent|routed|escalated))\s+(?:straight\s+|directly\s+)?to\s+(.+)$`), false},
		{compile(`(?i)^(.{2,40}?)\s+(?:page|pages|ping|pings)\s+(.+)$`), false},
		{compile(`(?i)^([^:]{2,40}?)\s*(?::|–|—|->|=>)\s+(.+)$`), false},
		{compile(`(?i)^(?:if|when)\s+(.{2,60}?),\s+(?:contact|call|ping|page|e-?mail|message|ask|talk to|go to|escalate to|reach out to)\s+(.+)$`), false},
		{compile(`(?i)^(.+?)\s+(?:handles?|owns?|covers?|deals with)\s+(.{2,40})$`), true},
		{compile(`(?i)^(?:for|on)\s+([^,]{2,40}),\s+(.+)$`), false},
		{compile(`(?i)\bescalat\w*\s+(?:it\s+|them\s+|this\s+)?()to\s+(.+)$`), false},
	}
	kindPrefixRE  = compile(`(?i)^(?:all|any|anything about|for)\s+`)
	channelPhrase = compile(`(?i)\b(?:in|on|via|through|by|over|using)\s+(?:a\s+|an\s+|the\s+)?([^,;]*?(?:#[\w-]+|slack|e-?mail|phone|pagerduty|opsgenie|jira|zendesk|servicenow|teams|whatsapp|tickets?|hotline|form|portal|[\w.+-]+@[\w-]+\.[\w.-]+)[^,;]*)`)
	emailRE       = compile(`[\w.+-]+@[\w-]+\.[\w.-]+\w|\+?\d[\d ()-]{6,}\d`)
	targetEndRE   = compile(`(?i)\s+(?:in|on|via|through|by|over|using|with|at)\s|,`)
)

func escalations(d *doc) []Finding {
	topic := d.has("escalation_paths")
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			for k, e := range escalationRE {
				if !topic && k < len(escalationRE)-1 {
					continue
				}
				m := locate(e.re, d.text, cl)
				if m == nil {
					continue
				}
				kind, target := span{m[2], m[3]}, span{m[4], m[5]}
				if e.target {
					kind, target = target, kind
				}
				if f, ok := d.escalation(cl, kind, target); ok {
					out = append(out, f)
				}
				break
			}
		}
	}
	return out
}

func (d *doc) escalation(cl, kind, target span) (Finding, bool) {
	t := d.at(target)
	fields := map[string]string{"for": lowerFirst(clean(kindPrefixRE.ReplaceAllString(clean(d.at(kind)), "")))}
	if m := channelPhrase.FindStringSubmatch(t); m != nil {
		fields["channel"] = m[1]
	} else if e := emailRE.FindString(t); e != "" {
		fields["channel"] = e
	}
	if ms := d.mentionsIn(target); len(ms) > 0 {
		fields["name"] = ms[0].name
		fields["role"], _ = roleAfter(d.text[ms[0].sp.end:target.end])
		if fields["role"] == "" {
			fields["role"] = roleBefore(d.text[target.start:ms[0].sp.start])
		}
	} else {
		role := t
		if loc := targetEndRE.FindStringIndex(t); loc != nil {
			role = t[:loc[0]]
		}
		if !emailRE.MatchString(role) {
			fields["role"] = bare(role)
		}
	}
	if fields["name"] == "" && fields["role"] == "" && fields["channel"] == "" {
		return Finding{}, false
	}
	return d.finding(EscalationContact, cl, fields)
}

var (
	strongFeedbackRE = []*pattern{
		compile(`(?i)\b(?:keeps?\s+|kept\s+)?(?:asking|asked|ask|begging|pushing)\s+(?:us\s+)?for\s+([^,;.]+)`),
		compile(`(?i)\bcomplain(?:s|ed|ing)?\s+(?:that|about)\s+([^,;.]+)`),
		compile(`(?i)\bfeature requests?\s*(?:for|:)?\s*([^,;.]+)`),
	}
	asideRE = compile(`\s*\([^()]*\)`)
	// metaRE is a remark about the feedback rather than feedback ("none of it was filed").
	metaRE         = compile(`(?i)\b(none|nothing|never|nobody)\b`)
	weakFeedbackRE = []*pattern{
		compile(`(?i)\b(?:wants?|wanted|would like|wish(?:es)?(?: for)?|needs?|requested|requesting|expects?)\s+([^,;.]+)`),
		compile(`(?i)\b(?:missing|lack of|no way to)\s+([^,;.]+)`),
		// "Faster reporting and bulk editing come up all the time"
		compile(`(?i)^\s*(.+?)\s+(?:comes?|came|keeps?\s+coming|kept\s+coming)\s+up\b`),
		compile(`(?i)\b((?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3}\s+(?:is|are)\s+(?:too\s+\w+|missing|broken|confusing|clunky|slow|painful|hard to \w+|unusable|buggy))`),
	}
)

// feedback makes one finding per clause that asks for or complains about something; outside the
// product-feedback topic only an explicit request or complaint counts.
func feedback(d *doc) []Finding {
	topic := d.has("product_feedback")
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			res := strongFeedbackRE
			if topic {
				res = append(append([]*pattern{}, strongFeedbackRE...), weakFeedbackRE...)
			}
			theme := firstGroup(d.at(cl), res...)
			if theme == "" && topic && len(strings.Fields(d.at(cl))) <= 10 && !metaRE.MatchString(d.at(cl)) {
				// A terse list item ("Bulk edit for tickets (Umbrella, Globex)") is a theme by itself.
				theme = asideRE.ReplaceAllString(d.at(cl), "")
			}
			if theme == "" {
				continue
			}
			fields := map[string]string{"theme": words(theme, 14), "customers": d.accountsIn(cl)}
			if f, ok := d.finding(Feedback, cl, fields); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// accountsIn lists the accounts named inside sp, in the order they are named.
func (d *doc) accountsIn(sp span) string {
	book := make([]accounts.Account, 0, len(d.c.Accounts))
	for _, a := range d.c.Accounts {
		if a = strings.TrimSpace(a); a != "" {
			book = append(book, accounts.Account{ID: a, Name: a})
		}
	}
	var names []string
	for _, h := range accounts.NewMatcher(book).Find(d.at(sp)) {
		names = append(names, h.AccountID)
	}
	return strings.Join(names, ", ")
}
