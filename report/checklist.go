package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/extract"
)

// Due dates of handover tasks, in days before the departure date: introductions first, so the CSM can
// still make them; the context meeting once the successor has met the people; what the CSM alone can do
// (moving shadow systems, credentials) by the day before they leave.
const (
	dueIntroduce      = 5
	dueContextMeeting = 3
	dueRenewalPlan    = 3
	dueTakeOver       = 2
	dueShadowSystem   = 2
	dueCredential     = 1
	dueGaps           = 5
)

// checklist generates the handover checklist from the report's findings and the practice of good CSM
// handovers. Each item's ID is stable (derived from the interview, the account, the kind and what it is
// about), so a person's ticks, owners and dates (in.Checklist) survive regeneration.
func checklist(in Input, r *Report) []ChecklistItem {
	iv := in.Interview
	departure := iv.DepartureDate
	today := time.Date(in.Now.Year(), in.Now.Month(), in.Now.Day(), 0, 0, 0, 0, time.UTC)
	due := func(daysBefore int) string {
		d := departure.AddDate(0, 0, -daysBefore)
		if d.Before(today) && !departure.Before(today) {
			d = today
		}
		return d.Format(time.DateOnly)
	}
	// earlier returns the earlier of a date the CSM stated and a default.
	earlier := func(stated, def string) string {
		if _, err := time.Parse(time.DateOnly, stated); err == nil && stated < def {
			return stated
		}
		return def
	}
	manager := in.Manager.Email
	if manager == "" {
		manager = "manager"
	}
	var items []ChecklistItem
	add := func(accountID, account, kind, about, title, owner, dueDate string, ids []string) {
		sum := sha256.Sum256([]byte(strings.Join([]string{iv.ID, accountID, kind, strings.ToLower(about)}, "\x00")))
		item := ChecklistItem{ID: "ck_" + hex.EncodeToString(sum[:8]), Account: account, Kind: kind, Title: title, Owner: owner,
			DueDate: dueDate, MessageIDs: ids}
		if item.MessageIDs == nil {
			item.MessageIDs = []string{}
		}
		for _, it := range items {
			if it.ID == item.ID {
				return
			}
		}
		if kept, ok := in.Checklist[item.ID]; ok {
			item.Done, item.Owner, item.DueDate = kept.Done, kept.Owner, kept.DueDate
		}
		items = append(items, item)
	}

	for _, a := range r.Accounts {
		owner, who := a.Successor, a.successorLabel()
		if owner == "" {
			owner, who = "successor", "the successor"
		}
		for _, p := range people(a.Findings) {
			if !p.contactable() {
				continue
			}
			role := ""
			if p.role != "" {
				role = " (" + p.role + ")"
			}
			add(a.ID, a.Name, "introduce", p.name, fmt.Sprintf("%s introduces %s to %s%s", iv.CSMName, who, p.name, role), owner, due(dueIntroduce), p.ids)
		}
		for _, f := range a.Findings {
			name := f.Fields["name"]
			switch f.Type {
			case extract.Commitment:
				what := firstNonEmpty(f.Fields["what"], f.Text)
				title := "Keep the commitment: " + what
				if to := f.Fields["to_whom"]; to != "" {
					title += " (promised to " + to + ")"
				}
				add(a.ID, a.Name, "commitment", what, title, owner, earlier(f.Fields["due_date"], departure.Format(time.DateOnly)), f.MessageIDs)
			case extract.OpenIssue:
				what := firstNonEmpty(f.Fields["what"], f.Text)
				title := "Take over the open issue: " + what
				if ref := f.Fields["reference"]; ref != "" && !strings.Contains(what, ref) {
					title += " (" + ref + ")"
				}
				add(a.ID, a.Name, "open_issue", what, title, owner, due(dueTakeOver), f.MessageIDs)
			case extract.EscalationContact:
				add(a.ID, a.Name, "escalation", firstNonEmpty(name, f.Text), "Take over the escalation path: "+f.Text, owner, due(dueTakeOver), f.MessageIDs)
			case extract.Workaround:
				what := firstNonEmpty(f.Fields["what"], f.Text)
				add(a.ID, a.Name, "workaround", what, "Learn and take over the workaround: "+what, owner, due(dueTakeOver), f.MessageIDs)
			case extract.Upsell:
				what := firstNonEmpty(f.Fields["product"], f.Text)
				title := "Continue the upsell: " + what
				if next := f.Fields["next_step"]; next != "" {
					title += "; next step: " + next
				}
				add(a.ID, a.Name, "upsell", what, title, owner, earlier(f.Fields["due_date"], departure.Format(time.DateOnly)), f.MessageIDs)
			}
		}
		if a.Depth == "deep" || levelRank(a.Risk.Level) >= levelRank("high") {
			add(a.ID, a.Name, "context_meeting", "", fmt.Sprintf("Account-context meeting on %s with %s and %s", a.Name, iv.CSMName, who), owner,
				due(dueContextMeeting), nil)
		}
		if a.RenewalDate != nil {
			if d, err := time.Parse(time.DateOnly, *a.RenewalDate); err == nil && d.Sub(departure) <= 180*24*time.Hour {
				var ids []string
				for _, f := range a.Findings {
					if f.Type == extract.Renewal {
						ids = appendIDs(ids, f.MessageIDs)
					}
				}
				add(a.ID, a.Name, "renewal_plan", "", fmt.Sprintf("Review the renewal plan for %s (renews %s)", a.Name, d.Format("2 Jan 2006")), owner,
					due(dueRenewalPlan), ids)
			}
		}
		gaps := 0
		for _, g := range r.Gaps {
			if g.Account == a.Name {
				gaps++
			}
		}
		if gaps > 0 {
			add(a.ID, a.Name, "gap", "", fmt.Sprintf("Ask %s the %d open question(s) about %s", iv.CSMName, gaps, a.Name), manager, due(dueGaps), nil)
		}
	}

	for _, p := range r.Playbooks {
		if p.Key != "shadow_systems" {
			continue
		}
		for _, f := range p.Items {
			what := firstNonEmpty(f.Fields["tool"], f.Fields["what"], f.Text)
			title := "Move " + what + " to a shared system"
			if loc := f.Fields["location"]; loc != "" {
				title += " (now in " + loc + ")"
			}
			add("", "", "shadow_system", what, title, manager, due(dueShadowSystem), f.MessageIDs)
		}
	}
	for _, c := range r.Credentials {
		what := strings.ReplaceAll(firstNonEmpty(c.Fields["kind"], "credential"), "_", " ")
		if sys := c.Fields["system"]; sys != "" {
			what += " for " + sys
		}
		account := c.Fields["account"]
		add("", account, "credential", what+"\x00"+strings.Join(c.MessageIDs, ","), "Move the "+what+" into the password vault and rotate it", manager,
			due(dueCredential), c.MessageIDs)
	}
	gaps := 0
	for _, g := range r.Gaps {
		if g.Account == "" {
			gaps++
		}
	}
	if gaps > 0 {
		add("", "", "gap", "", fmt.Sprintf("Ask %s the %d open portfolio question(s)", iv.CSMName, gaps), manager, due(dueGaps), nil)
	}
	if items == nil {
		items = []ChecklistItem{}
	}
	return items
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

type person struct {
	name, role string
	said       []string // every form the name was given in ("Karen", "KL", "Karen Liu")
	ids        []string
	// status is left, on_leave or new when an answer said so; doNotContact when the CSM said they must
	// not be contacted or copied.
	status       string
	doNotContact bool
}

// contactable reports whether the successor may be introduced to the person: not someone who left or
// is on leave, nor someone the CSM said must not be contacted.
func (p person) contactable() bool {
	return p.status != "left" && p.status != "on_leave" && !p.doNotContact
}

// people are an account's stakeholders, each once under their fullest name ("Marco Rossi", not the
// "Marco" of a later sentence), with the role and sources of every mention, and what any mention said of
// their status.
func people(findings []Finding) []person {
	var known []string
	for _, f := range findings {
		if name := strings.TrimSpace(f.Fields["name"]); f.Type == extract.Stakeholder && name != "" {
			known = append(known, name)
		}
	}
	var out []person
	for _, f := range findings {
		name := strings.TrimSpace(f.Fields["name"])
		if f.Type != extract.Stakeholder || name == "" {
			continue
		}
		i := slices.IndexFunc(out, func(p person) bool {
			return slices.ContainsFunc(p.said, func(s string) bool { return extract.SamePerson(s, name, known) })
		})
		if i < 0 {
			out = append(out, person{name: name})
			i = len(out) - 1
		}
		p := &out[i]
		p.said = append(p.said, name)
		if len(name) > len(p.name) {
			p.name = name
		}
		if p.role == "" {
			p.role = f.Fields["role"]
		}
		p.ids = appendIDs(p.ids, f.MessageIDs)
		// Left or on leave outweighs new; any mention that says not to contact them stands.
		if st := f.Fields["status"]; st == "left" || st == "on_leave" || st == "new" && p.status == "" {
			p.status = st
		}
		p.doNotContact = p.doNotContact || f.Fields["do_not_contact"] == "yes"
	}
	return out
}
