package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/store"
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
	// add puts an item on the list once and returns it (nil when it is there already).
	add := func(accountID, account, kind, about, title, owner, dueDate string, ids []string) *ChecklistItem {
		sum := sha256.Sum256([]byte(strings.Join([]string{iv.ID, accountID, kind, strings.ToLower(about)}, "\x00")))
		item := ChecklistItem{ID: "ck_" + hex.EncodeToString(sum[:8]), Account: account, Kind: kind, Title: title, Owner: owner,
			DueDate: dueDate, MessageIDs: ids}
		if item.MessageIDs == nil {
			item.MessageIDs = []string{}
		}
		for _, it := range items {
			if it.ID == item.ID {
				return nil
			}
		}
		if kept, ok := in.Checklist[item.ID]; ok {
			item.Done, item.Owner, item.DueDate = kept.Done, kept.Owner, kept.DueDate
		}
		items = append(items, item)
		return &items[len(items)-1]
	}

	for _, a := range r.Accounts {
		owner, who := a.Successor, a.successorLabel()
		if owner == "" {
			owner, who = "successor", "the successor"
		}
		introduce, leftOut := introductions(a.Findings, iv.CSMName, a.successorLabel())
		for _, p := range introduce {
			role := ""
			if p.role != "" {
				role = " (" + p.role + ")"
			}
			add(a.ID, a.Name, "introduce", p.name, fmt.Sprintf("%s introduces %s to %s%s", iv.CSMName, who, p.display(), role), owner,
				due(dueIntroduce), p.ids)
		}
		for _, p := range leftOut {
			if p.doNotContact {
				add(a.ID, a.Name, "caution", p.name, p.caution(), owner, due(dueIntroduce), p.ids)
			}
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
				dueDate, note := commitmentDue(f, departure)
				if it := add(a.ID, a.Name, "commitment", what, title, owner, dueDate, f.MessageIDs); it != nil && it.DueDate == dueDate {
					it.DueNote = note
				}
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
		attachedDecks := fileTasks(a, iv.CSMName, owner, manager, due, add)
		handoverTasks(a, owner, due, departure, introduce, attachedDecks, add)
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
			add(a.ID, a.Name, "gap", "", fmt.Sprintf("Ask %s the %s about %s", iv.CSMName, counted(gaps, "open question", "open questions"), a.Name), manager, due(dueGaps), nil)
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
		what := label(firstNonEmpty(c.Fields["kind"], "credential"))
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
		add("", "", "gap", "", fmt.Sprintf("Ask %s the %s", iv.CSMName, counted(gaps, "open portfolio question", "open portfolio questions")), manager, due(dueGaps), nil)
	}
	if items == nil {
		items = []ChecklistItem{}
	}
	return items
}

// handoverTasks are the tasks the handover facts of an account ask for:
//
//	documents       "Collect the contract and invoices of Northwind in the shared folder (now in Legal SharePoint;
//	                NetSuite)": the contract, order forms and invoices, once per account
//	collateral      "Read and file the kickoff deck, sales handoff and meeting notes of Northwind with the
//	                account's documents (now in …)", once per account
//	qbr             "Read the last QBR deck and its takeaways", when a takeaway or a QBR deck was captured or
//	                a business review deck attached (fileTasks)
//	objectives      "Confirm the objectives and KPIs of Northwind with the customer: …", when any was captured
//	next_call       "Join the next call with the customer after the warm introduction to Karen Liu", when the
//	                successor is introduced to anyone
//	advocacy        "Carry over the reference commitment: case study (promised in return: …)", one per advocacy
//	                not declined
//	implementation  "Get access to the technical documentation and integrations of Northwind (Salesforce, …)"
//	follow_up       "Follow up what was agreed (12 October, with their CFO): …", one per meeting with an agreement
func handoverTasks(a Account, owner string, due func(int) string, departure time.Time, introduce []person, attachedDecks []string,
	add func(accountID, account, kind, about, title, owner, dueDate string, ids []string) *ChecklistItem) {
	var docs, objectives, takeaways, decks, advocacy, systems, meetings []Finding
	for _, f := range a.Findings {
		switch f.Type {
		case extract.Document:
			docs = append(docs, f)
			if f.Fields["kind"] == "qbr_deck" {
				decks = append(decks, f)
			}
		case extract.Objective:
			switch f.Fields["kind"] {
			case "qbr_takeaway":
				takeaways = append(takeaways, f)
			case "objective", "kpi":
				objectives = append(objectives, f)
			}
		case extract.Advocacy:
			advocacy = append(advocacy, f)
		case extract.System:
			systems = append(systems, f)
		case extract.Meeting:
			meetings = append(meetings, f)
		}
	}
	// The commercial papers go to the shared folder; the collateral is read and filed with them. A QBR
	// deck has its own task (below).
	docTask := func(kind string, ofKinds []string, title func(what string) string) {
		var what, places, ids []string
		for _, f := range docs {
			k := firstNonEmpty(f.Fields["kind"], "other")
			if !slices.Contains(ofKinds, k) {
				continue
			}
			if w := docLabel(k); !slices.Contains(what, w) {
				what = append(what, w)
			}
			if where := firstNonEmpty(f.Fields["location"], f.Fields["link"]); where != "" && !slices.Contains(places, where) {
				places = append(places, where)
			}
			ids = appendIDs(ids, f.MessageIDs)
		}
		if len(what) == 0 {
			return
		}
		t := title(joinAnd(what))
		if len(places) > 0 {
			t += " (now in " + strings.Join(places, "; ") + ")"
		}
		add(a.ID, a.Name, kind, "", t, owner, due(dueTakeOver), ids)
	}
	docTask("documents", []string{"contract", "order_form", "invoice"}, func(what string) string {
		return "Collect the " + what + " of " + a.Name + " in the shared folder"
	})
	docTask("collateral", []string{"kickoff_deck", "sales_handoff", "success_plan", "meeting_notes", "other"}, func(what string) string {
		return "Read and file the " + what + " of " + a.Name + " with the account's documents"
	})
	if len(takeaways)+len(decks)+len(attachedDecks) > 0 {
		var ids []string
		title := "Read the last QBR deck and its takeaways"
		if len(attachedDecks) > 0 {
			title += " (attached: " + strings.Join(attachedDecks, ", ") + ")"
		}
		for _, f := range decks {
			if where := firstNonEmpty(f.Fields["link"], f.Fields["location"]); where != "" && !strings.Contains(title, "(deck:") {
				title += " (deck: " + where + ")"
			}
			ids = appendIDs(ids, f.MessageIDs)
		}
		for _, f := range takeaways {
			ids = appendIDs(ids, f.MessageIDs)
		}
		add(a.ID, a.Name, "qbr", "", title, owner, due(dueContextMeeting), ids)
	}
	if len(objectives) > 0 {
		var ids []string
		for _, f := range objectives {
			ids = appendIDs(ids, f.MessageIDs)
		}
		first := firstNonEmpty(objectives[0].Fields["what"], objectives[0].Text)
		add(a.ID, a.Name, "objectives", "", fmt.Sprintf("Confirm the objectives and KPIs of %s with the customer: %s", a.Name, first), owner,
			due(dueContextMeeting), ids)
	}
	if len(introduce) > 0 {
		var names []string
		var ids []string
		for _, p := range introduce {
			names = append(names, p.display())
			ids = appendIDs(ids, p.ids)
		}
		add(a.ID, a.Name, "next_call", "", fmt.Sprintf("Join the next call with the customer after the warm introduction to %s", joinAnd(names)), owner,
			departure.Format(time.DateOnly), ids)
	}
	for _, f := range advocacy {
		if f.Fields["status"] == "declined" {
			continue // nothing to carry over: the Advocacy section says they declined
		}
		what := label(firstNonEmpty(f.Fields["kind"], "other"))
		if what == "other" {
			what = "advocacy"
		}
		title := "Carry over the reference commitment: " + what
		if st := f.Fields["status"]; st != "" {
			title += ", " + st
		}
		if r := f.Fields["in_return"]; r != "" {
			title += " (promised in return: " + r + ")"
		}
		add(a.ID, a.Name, "advocacy", f.Text, title, owner, due(dueTakeOver), f.MessageIDs)
	}
	if len(systems) > 0 {
		var names, ids []string
		for _, f := range systems {
			if n := f.Fields["name"]; n != "" && f.Fields["kind"] == "integration" && !slices.ContainsFunc(names, func(x string) bool { return strings.EqualFold(x, n) }) {
				names = append(names, n)
			}
			ids = appendIDs(ids, f.MessageIDs)
		}
		title := "Get access to the technical documentation and integrations of " + a.Name
		if len(names) > 0 {
			title += " (" + strings.Join(names, ", ") + ")"
		}
		add(a.ID, a.Name, "implementation", "", title, owner, due(dueTakeOver), ids)
	}
	for _, f := range meetings {
		agreed := f.Fields["agreed"]
		if agreed == "" {
			continue
		}
		title := "Follow up what was agreed"
		if ctx := joinNonEmpty(", ", f.Fields["when"], withPhrase(f.Fields["with"])); ctx != "" {
			title += " (" + ctx + ")"
		}
		add(a.ID, a.Name, "follow_up", f.Text, title+": "+agreed, owner, due(dueTakeOver), f.MessageIDs)
	}
}

// docLabel is how a kind of document reads in a task ("invoice" → "invoices").
func docLabel(kind string) string {
	switch kind {
	case "invoice":
		return "invoices"
	case "other":
		return "other documents"
	}
	return label(kind)
}

func withPhrase(s string) string {
	if s == "" {
		return ""
	}
	return "with " + s
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// Where a commitment's due date comes from when the CSM gave it none.
const noDueDate = "no date given; before the last day"

// commitmentDue is a commitment's due date: its own when the CSM gave one, whether before or after the
// departure; else the departure date, with a note that says so.
func commitmentDue(f Finding, departure time.Time) (date, note string) {
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Fields["due_date"])); err == nil {
		return d.Format(time.DateOnly), ""
	}
	return departure.Format(time.DateOnly), noDueDate
}

type person struct {
	name, role string
	said       []string // every form the name was given in ("Karen", "KL", "Karen Liu")
	ids        []string
	// status is left, on_leave or new when an answer said so; doNotContact when the CSM said they must
	// not be contacted or copied.
	status       string
	doNotContact bool
	reason       string // why not to contact them, as the CSM said it
}

// contactable reports whether the successor may be introduced to the person, by facts.Contactable: not
// someone who left or is on leave, nor someone the CSM said must not be contacted.
func (p person) contactable() bool {
	fields := map[string]string{"name": p.name, "status": p.status}
	if p.doNotContact {
		fields["do_not_contact"] = "yes"
	}
	return facts.Contactable(store.Fact{Type: facts.Person, Fields: fields})
}

// display is the person's name as prose writes it (displayName: "karen liu" → "Karen Liu").
func (p person) display() string { return displayName(p.name) }

// caution says why the successor is not introduced to the person, for the e-mail's notes and the
// checklist:
//
//	do not contact     "Do not contact Tom Price: he forwards everything to legal" (with the reason given)
//	  and away         "Do not contact Aisha Bello (on leave): …"
//	left               "Marco Rossi has left"
//	on leave           "Priya Shah is on leave"
func (p person) caution() string {
	away := map[string]string{"left": "has left", "on_leave": "is on leave"}[p.status]
	if !p.doNotContact {
		return p.display() + " " + away
	}
	s := "Do not contact " + p.display()
	if away != "" {
		s += " (" + strings.TrimPrefix(strings.TrimPrefix(away, "is "), "has ") + ")"
	}
	if r := strings.TrimRight(strings.Join(strings.Fields(p.reason), " "), ".;:, "); r != "" {
		s += ": " + r
	}
	return s
}

// introductions splits an account's people into those the successor is introduced to and those left
// out because they may not be contacted (see contactable). The CSM and the successor, should the
// answers name them, are neither; nor is a person the facts are unsure belong to the account.
func introductions(findings []Finding, csm, successor string) (introduce, leftOut []person) {
	sure := make([]Finding, 0, len(findings))
	for _, f := range findings {
		if !f.Uncertain {
			sure = append(sure, f) // a person who may be another account's is nobody to introduce here
		}
	}
	for _, p := range people(sure) {
		switch {
		case sameFullName(p.name, csm) || sameFullName(p.name, successor):
		case p.contactable():
			introduce = append(introduce, p)
		default:
			leftOut = append(leftOut, p)
		}
	}
	return introduce, leftOut
}

// sameFullName reports whether a name of two words or more is the other person's, by extract.SamePerson
// ("Zoë Ångström" and "zoë ångström"; not "Sam" and "Sam Okafor", who may be two people).
func sameFullName(name, other string) bool {
	return len(strings.Fields(cutParenthesis(name))) >= 2 && len(strings.Fields(other)) >= 2 &&
		extract.SamePerson(name, other, nil)
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
		if dnc := f.Fields["do_not_contact"] == "yes" || f.Fields["do_not_contact"] == "true"; dnc {
			p.doNotContact = true
			if p.reason == "" {
				p.reason = f.Fields["reason"]
			}
		}
	}
	return out
}
