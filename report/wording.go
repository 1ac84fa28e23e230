package report

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/extract"
)

// The wording and grouping the PDF and the Markdown share, so they never disagree.

const (
	noAccounts    = "No accounts were in the book of business."
	accountsIntro = "One section per account, highest risk first. Numbers in brackets such as [#12] cite the transcript in the appendix."
	gapsIntro     = "Topics the interview did not cover, with a question to send back to the CSM while they are still there."

	credentialsIntro = "Credentials were removed from the answers before anything was stored. Move each of them into the team's vault and rotate it."
)

// matrixIntro explains the risk rule (risk.go) so the score can be checked by hand; the thresholds are
// read from levelOf so the text cannot drift from the rule.
func matrixIntro() string {
	var from []string
	lowest, below := levelOf(0), 0
	prev := lowest
	for s := 1; s <= 100; s++ {
		if l := levelOf(s); l != prev {
			if below == 0 {
				below = s
			}
			from = append(from, fmt.Sprintf("%s from %d", l, s))
			prev = l
		}
	}
	rule := ""
	if below > 0 {
		rule = fmt.Sprintf(" The level is %s below %d, %s, and never below the level the CSM stated.", lowest, below, joinAnd(from))
	}
	return "Accounts are ordered by risk, highest first. An account's score is the sum of its risk drivers' points, " +
		"at most 100; the drivers and their points are listed in the account's risk assessment." + rule
}

func checklistIntro(r *Report) string {
	s := "Tasks for the handover, per account and then portfolio-wide."
	if d := strings.TrimSpace(r.Interview.DepartureDate); d != "" {
		s += " Due dates are set relative to the departure date, " + d + "; a commitment is due when it was promised."
	}
	return s
}

// dueLabel is a checklist item's due date as the checklist shows it, with where it comes from when it
// is not the item's own ("2027-01-15 (no date given; before the last day)").
func dueLabel(it ChecklistItem) string {
	if it.DueNote == "" || it.DueDate == "" {
		return orDash(it.DueDate)
	}
	return it.DueDate + " (" + it.DueNote + ")"
}

// emailNotesTitle heads the e-mail's notes for the successor: who it leaves out, and why.
const emailNotesTitle = "Not in this e-mail (a note for the successor)"

// paragraphs splits prose on blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// atAGlance counts what the report holds.
func atAGlance(r *Report) []string {
	counts := map[string]int{}
	findings := 0
	for i := range r.Accounts {
		counts[strings.ToLower(r.Accounts[i].Risk.Level)]++
		findings += len(r.Accounts[i].Findings)
	}
	var levels []string
	for _, l := range []string{"critical", "high", "medium", "low"} {
		if counts[l] > 0 {
			levels = append(levels, fmt.Sprintf("%d %s", counts[l], l))
		}
	}
	acc := fmt.Sprintf("%d %s", len(r.Accounts), plural(len(r.Accounts), "account", "accounts"))
	if len(levels) > 0 {
		acc += " at risk levels " + strings.Join(levels, ", ")
	}
	done := 0
	for _, it := range r.Checklist {
		if it.Done {
			done++
		}
	}
	return []string{
		acc + ".",
		fmt.Sprintf("%d account %s and %d portfolio-wide %s captured.", findings, plural(findings, "finding", "findings"),
			len(r.Portfolio), plural(len(r.Portfolio), "finding", "findings")),
		fmt.Sprintf("%d handover %s, %d done.", len(r.Checklist), plural(len(r.Checklist), "task", "tasks"), done),
		fmt.Sprintf("%d knowledge %s still open; interview coverage %d %%.", len(r.Gaps), plural(len(r.Gaps), "gap", "gaps"),
			r.Interview.CoveragePercent),
	}
}

// counted is a number and what it counts, in the singular or the plural: "1 open item", "3 open items".
func counted(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// money formats an amount with thousands separators ("—" when unknown).
func money(v *float64) string {
	if v == nil {
		return "—"
	}
	n := int64(*v + 0.5)
	if *v < 0 {
		n = int64(*v - 0.5)
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func levelLabel(level string) string {
	switch l := strings.ToLower(strings.TrimSpace(level)); l {
	case "low", "medium", "high", "critical":
		return strings.ToUpper(l[:1]) + l[1:]
	}
	return "Unknown"
}

func roleLabel(role string) string {
	if role == "csm" {
		return "CSM"
	}
	return "Interviewer"
}

func accountLabel(name string) string {
	if strings.TrimSpace(name) == "" {
		return "Portfolio-wide"
	}
	return name
}

func topicLabel(g Gap) string {
	if g.TopicLabel != "" {
		return g.TopicLabel
	}
	return title(g.Topic)
}

// accountMeta is the line under an account's title.
func accountMeta(a *Account) string {
	parts := []string{"ARR " + money(a.ARR), "Renewal " + orDash(deref(a.RenewalDate))}
	if a.Segment != "" {
		parts = append(parts, "Segment "+a.Segment)
	}
	succ := "not assigned"
	switch {
	case a.SuccessorName != "" && a.Successor != "":
		succ = a.SuccessorName + " <" + a.Successor + ">"
	case a.SuccessorName != "" || a.Successor != "":
		succ = a.SuccessorName + a.Successor
	}
	parts = append(parts, "Successor "+succ)
	cov := fmt.Sprintf("Interview coverage %d %%", a.CoveragePercent)
	if a.Depth != "" {
		cov += " (" + a.Depth + ")"
	}
	return strings.Join(append(parts, cov), " · ")
}

// accountGroups are the per-account subsections after the risk assessment, in the report's order.
var accountGroups = []struct{ typ, title string }{
	{extract.Renewal, "Renewal"},
	{extract.Upsell, "Upsell opportunities"},
	{extract.OpenIssue, "Open issues"},
	{extract.Commitment, "Commitments and deadlines"},
	{extract.Workaround, "Workarounds and configuration"},
	{extract.EscalationContact, "Escalation contacts"},
	{extract.Objective, "Success plan"},
	{extract.System, "Implementation"},
	{extract.Document, "Documents"},
	{extract.Advocacy, "Advocacy"},
	{extract.Meeting, "Recent history"},
}

type accountFindings struct {
	stakeholders, risks, other []Finding
	groups                     [][]Finding // by accountGroups
}

func groupAccount(a *Account) accountFindings {
	g := accountFindings{groups: make([][]Finding, len(accountGroups))}
next:
	for _, f := range a.Findings {
		switch f.Type {
		case extract.Stakeholder:
			g.stakeholders = append(g.stakeholders, f)
			continue
		case extract.Risk:
			g.risks = append(g.risks, f)
			continue
		}
		for k, grp := range accountGroups {
			if f.Type == grp.typ {
				g.groups[k] = append(g.groups[k], f)
				continue next
			}
		}
		g.other = append(g.other, f)
	}
	return g
}

type stakeholder struct{ name, role, relationship, sentiment, notes string }

func stakeholderRow(f Finding) stakeholder {
	s := stakeholder{name: f.Fields["name"], role: f.Fields["role"], relationship: label(f.Fields["relationship"]),
		sentiment: label(f.Fields["sentiment"])}
	var notes []string
	if st := f.Fields["status"]; st != "" && st != "active" {
		notes = append(notes, label(st))
	}
	for _, k := range []string{"channel", "notes"} {
		if v := strings.TrimSpace(f.Fields[k]); v != "" {
			notes = append(notes, v)
		}
	}
	if n := stateNote(f.State); n != "" {
		notes = append(notes, strings.ToLower(n[:1])+n[1:])
	}
	s.notes = strings.Join(notes, "; ")
	if s.name == "" {
		s.name = "(unnamed)"
	}
	// The sentence itself says what the fields could not hold.
	if s.notes == "" || s.role == "" && s.relationship == "" {
		if t := strings.TrimSpace(f.Text); t != "" && t != s.name {
			s.notes = strings.TrimPrefix(s.notes+"; "+t, "; ")
		}
	}
	return s
}

type credential struct{ account, kind, system string }

func credentialRow(f Finding) credential {
	return credential{account: accountLabel(f.Fields["account"]), kind: orDash(label(f.Fields["kind"])),
		system: orDash(f.Fields["system"])}
}

// labels are how the report's vocabulary reads to a person: finding types, field names and the words
// fields take from a fixed list (relationships, statuses, stages, credential kinds, topics). Every key
// the PDF and the Markdown show goes through label, so that a raw key such as "decision_maker" never
// reaches a reader; a key without an entry reads as its words ("next_step" → "next step").
var labels = map[string]string{
	// Finding types.
	extract.Stakeholder: "stakeholder", extract.Risk: "risk", extract.Renewal: "renewal", extract.Upsell: "upsell",
	extract.Commitment: "commitment", extract.OpenIssue: "open issue", extract.Workaround: "workaround",
	extract.EscalationContact: "escalation contact", extract.Feedback: "product feedback", extract.Process: "process",
	extract.Decision: "decision", extract.ShadowSystem: "shadow system", CredentialMentioned: "credential",
	extract.Objective: "objective", extract.Document: "document", extract.Advocacy: "advocacy",
	extract.Meeting: "meeting",
	// Field names.
	"name": "name", "role": "role", "relationship": "relationship", "sentiment": "sentiment", "channel": "channel",
	"notes": "notes", "level": "level", "basis": "basis", "driver": "driver", "drivers": "risk drivers", "competitor": "competitor",
	"crm_health": "CRM health as the CSM says", "date": "date", "do_not_contact": "do not contact", "reason": "reason",
	"probability": "probability", "decider": "decides", "blockers": "blockers", "product": "product",
	"value": "value", "stage": "stage", "next_step": "next step", "due_date": "due", "owner": "owner",
	"contact": "contact", "what": "what", "to_whom": "to whom", "status": "status", "reference": "reference",
	"impact": "impact", "for": "for", "frequency": "frequency", "tool": "tool", "location": "where",
	"theme": "theme", "customers": "customers", "cadence": "cadence", "why": "why", "contents": "contents",
	"kind": "kind", "system": "system", "target": "target", "category": "category", "link": "link",
	"in_return": "promised in return", "with": "with", "agreed": "agreed", "when": "when",
	// Kinds of the handover facts (extract.ObjectiveKinds, SystemKinds, SystemCategories, DocumentKinds, AdvocacyKinds).
	"kpi": "KPI", "qbr_takeaway": "QBR takeaway", "feature_valued": "feature they value",
	"feature_ignored": "feature they ignore", "package": "package", "go_live": "go-live", "integration": "system they run",
	"crm": "CRM", "bi": "BI", "order_form": "order form", "kickoff_deck": "kickoff deck", "qbr_deck": "QBR or EBR deck",
	"sales_handoff": "sales handoff", "success_plan": "success plan", "meeting_notes": "meeting notes", "case_study": "case study",
	"implementation": "implementation", "history": "recent history",
	// Words of the fixed lists (facts.Relationships, facts.Statuses, credential kinds, playbooks).
	"decision_maker": "decision maker", "admin": "administrator", "on_leave": "on leave", "in_progress": "in progress",
	"api_key": "API key", "access_token": "access token", "private_key": "private key", "escalation_paths": "escalation paths",
	"onboarding_changes": "onboarding changes", "internal_workflows": "internal workflows", "shadow_systems": "shadow systems",
	"churn_risk": "churn risk", "open_issues": "open issues", "account_overview": "account overview",
}

// label is how a key of the report's vocabulary reads to a person, in lower case but for acronyms.
func label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return strings.TrimSpace(strings.ReplaceAll(key, "_", " "))
}

// title is a key's label with a capital first letter, for headings and the labels of fields.
func title(key string) string {
	l := label(key)
	r, n := utf8.DecodeRuneInString(l)
	if n == 0 {
		return l
	}
	return string(unicode.ToUpper(r)) + l[n:]
}

func typeLabel(t string) string {
	if t == "" {
		return "Note"
	}
	return title(t)
}

// details lists a finding's fields as "Label: value · …" in the order extract.FieldsOf gives, then any
// other fields alphabetically.
func details(f Finding) string {
	if len(f.Fields) == 0 {
		return stateNote(f.State)
	}
	keys := make([]string, 0, len(f.Fields))
	seen := make(map[string]bool, len(f.Fields))
	for _, k := range extract.FieldsOf[f.Type] {
		if _, ok := f.Fields[k]; ok {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	var rest []string
	for k := range f.Fields {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	keys = append(keys, rest...)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := strings.TrimSpace(f.Fields[k])
		if v == "" || k == "link" && linkOf(f) != "" { // a link is drawn as one, below the details
			continue
		}
		parts = append(parts, title(k)+": "+fieldValue(k, v))
	}
	if n := stateNote(f.State); n != "" {
		parts = append([]string{n}, parts...)
	}
	return strings.Join(parts, " · ")
}

// stateNote says that the CSM confirmed or corrected a fact when the interviewer read it back ("" for a
// fact read from their answers alone).
func stateNote(state string) string {
	switch state {
	case "confirmed":
		return "Confirmed by the CSM"
	case "corrected":
		return "Corrected by the CSM"
	}
	return ""
}

// notReadBack is the read-back note of an account none of whose facts the CSM has confirmed yet.
const notReadBack = "Not yet read back to the CSM: everything below is as understood from their answers."

// readBackOnce reports whether no account was read back to the CSM yet, so the accounts' introduction
// says so once instead of every account repeating it.
func readBackOnce(r *Report) bool {
	n := 0
	for i := range r.Accounts {
		switch readBackNote(&r.Accounts[i]) {
		case notReadBack:
			n++
		case "":
		default:
			return false
		}
	}
	return n > 1
}

// accountReadBack is an account's read-back note, or "" when the accounts' introduction says it for all.
func accountReadBack(r *Report, a *Account, once bool) string {
	if n := readBackNote(a); n != notReadBack || !once {
		return n
	}
	return ""
}

// accountsIntroOf is the accounts' introduction, with the read-back note when it holds for all of them.
func accountsIntroOf(once bool) string {
	if once {
		return accountsIntro + " No account was read back to the CSM yet: everything below is as understood from their answers."
	}
	return accountsIntro
}

// readBackNote says how much of what was understood of an account the CSM confirmed or corrected in the
// read-back.
func readBackNote(a *Account) string {
	confirmed, corrected, all := 0, 0, 0
	for _, f := range a.Findings {
		if f.FactID == "" && f.State == "" {
			continue
		}
		all++
		switch f.State {
		case "confirmed":
			confirmed++
		case "corrected":
			corrected++
		}
	}
	switch {
	case all == 0:
		return ""
	case confirmed+corrected == 0:
		return notReadBack
	}
	parts := []string{}
	if confirmed > 0 {
		parts = append(parts, fmt.Sprintf("confirmed %d", confirmed))
	}
	if corrected > 0 {
		parts = append(parts, fmt.Sprintf("corrected or added %d", corrected))
	}
	return fmt.Sprintf("Read back to the CSM, who %s of the %d %s below.", strings.Join(parts, " and "), all, plural(all, "fact", "facts"))
}

// fieldValue shows probabilities as percentages and amounts with separators, and vocabulary in words.
func fieldValue(k, v string) string {
	switch k {
	case "basis":
		if w, ok := map[string]string{"stated": "stated by the CSM", "inferred": "inferred from what they described"}[v]; ok {
			return w
		}
	case "relationship", "status", "stage", "sentiment", "kind", "level", "do_not_contact", "category":
		return label(v)
	case "probability":
		if p, err := strconv.ParseFloat(v, 64); err == nil && p >= 0 && p <= 1 {
			return fmt.Sprintf("%.0f %%", p*100)
		}
	case "value":
		if p, err := strconv.ParseFloat(v, 64); err == nil {
			return money(&p)
		}
	}
	return v
}

func emailText(e Email) string {
	var b strings.Builder
	if len(e.To) > 0 {
		b.WriteString("To: " + strings.Join(e.To, ", ") + "\n")
	}
	if e.Subject != "" {
		b.WriteString("Subject: " + e.Subject + "\n")
	}
	if body := strings.TrimSpace(e.Body); body != "" {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(body)
	}
	return b.String()
}

func playbookTitle(p Playbook) string {
	if p.Title != "" {
		return p.Title
	}
	return title(p.Key)
}

// portfolioExtra is the portfolio knowledge no playbook, decision, theme or credential shows, so that
// nothing captured is left out of the report.
func portfolioExtra(r *Report) []Finding {
	key := func(f Finding) string { return f.Type + "\x00" + f.Text + "\x00" + strings.Join(f.MessageIDs, ",") }
	shown := map[string]bool{}
	for _, p := range r.Playbooks {
		for _, f := range p.Items {
			shown[key(f)] = true
		}
	}
	for _, fs := range [][]Finding{r.Decisions, r.Credentials} {
		for _, f := range fs {
			shown[key(f)] = true
		}
	}
	for _, t := range r.FeedbackThemes {
		for _, f := range t.Statements {
			shown[key(f)] = true
		}
	}
	var out []Finding
	for _, f := range r.Portfolio {
		if !shown[key(f)] {
			out = append(out, f)
		}
	}
	return out
}

// checklistOrder groups the checklist per account, in the accounts' order, then portfolio-wide; items
// keep their order within a group.
func checklistOrder(r *Report) []ChecklistItem {
	rank := make(map[string]int, len(r.Accounts))
	for i, a := range r.Accounts {
		if _, ok := rank[a.Name]; !ok {
			rank[a.Name] = i
		}
	}
	group := func(it ChecklistItem) int {
		if strings.TrimSpace(it.Account) == "" {
			return len(r.Accounts) + 1
		}
		if i, ok := rank[it.Account]; ok {
			return i
		}
		return len(r.Accounts) // accounts the report does not list come before the portfolio-wide items
	}
	out := slices.Clone(r.Checklist)
	slices.SortStableFunc(out, func(a, b ChecklistItem) int {
		if ga, gb := group(a), group(b); ga != gb {
			return ga - gb
		}
		if group(a) == len(r.Accounts) {
			return strings.Compare(a.Account, b.Account)
		}
		return 0
	})
	return out
}

// correctionsIntro explains the corrections section.
const correctionsIntro = "The CSM reviewed what was captured from them. Their corrections are already in the sections above; the transcript keeps what they first said."

// correctedText is a correction's new words, or that the statement was withdrawn.
func correctedText(c Correction) string {
	if c.Withdrawn {
		return "(withdrawn)"
	}
	return c.Corrected
}

// linkOf is a document's link as the PDF and the Markdown make it clickable: an http or https address
// the CSM wrote ("www.…" and "drive.google.com/…" read as https), printable as it is; "" for none or for
// anything else, which stays text.
func linkOf(f Finding) string {
	raw := strings.TrimSpace(f.Fields["link"])
	if raw == "" || strings.ContainsAny(raw, " \t\n<>\"'`()[]{}\\") {
		return ""
	}
	if !strings.HasPrefix(strings.ToLower(raw), "http://") && !strings.HasPrefix(strings.ToLower(raw), "https://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return u.String()
}

// itemOf is how a finding reads as an item of its account's section: the CSM's words with its details,
// or, for the handover facts, what it is in a line ("Contract: Legal SharePoint", "CRM: Salesforce",
// "12 October, with their CFO: agreed a two-year term") with the CSM's words below it, so that one
// sentence that placed three documents reads as three lines, not the same sentence three times.
func itemOf(f Finding) (text, detail string) {
	v := f.Fields
	quote := "“" + strings.TrimSpace(f.Text) + "”"
	if n := stateNote(f.State); n != "" {
		quote = n + " · " + quote
	}
	switch f.Type {
	case extract.Objective:
		line := title(firstNonEmpty(v["kind"], "objective")) + ": " + firstNonEmpty(v["what"], f.Text)
		if t := v["target"]; t != "" && !strings.Contains(line, t) {
			line += " (target " + t + ")"
		}
		if strings.TrimSpace(f.Text) == firstNonEmpty(v["what"], f.Text) {
			return line, stateNote(f.State)
		}
		return line, quote
	case extract.System:
		var line string
		switch v["kind"] {
		case "package":
			line = "Package: " + firstNonEmpty(v["name"], f.Text)
		case "go_live":
			line = "Go-live: " + firstNonEmpty(v["when"], f.Text)
		default:
			line = title(firstNonEmpty(v["category"], "other")) + ": " + firstNonEmpty(v["name"], f.Text)
			if v["category"] == "other" || v["category"] == "" {
				line = "System: " + firstNonEmpty(v["name"], f.Text)
			}
		}
		if w := v["when"]; w != "" && v["kind"] == "package" {
			line += " (live " + w + ")"
		}
		return line, quote
	case extract.Document:
		line := title(docKindLabel(v["kind"]))
		if where := v["location"]; where != "" {
			line += ": " + where
		} else if linkOf(f) == "" && v["link"] != "" {
			line += ": " + v["link"]
		}
		return line, quote
	case extract.Advocacy:
		line := title(firstNonEmpty(v["kind"], "other"))
		if line == "Other" {
			line = "Advocacy"
		}
		for _, k := range []string{"status", "contact"} {
			if x := v[k]; x != "" {
				line += ", " + x
			}
		}
		if r := v["in_return"]; r != "" {
			line += "; promised in return: " + r
		}
		return line, quote
	case extract.Meeting:
		line := joinNonEmpty(", ", capitalize(v["when"]), withPhrase(v["with"]))
		if a := v["agreed"]; a != "" {
			line = joinNonEmpty(": ", line, "agreed "+a)
		}
		if line == "" {
			return f.Text, stateNote(f.State)
		}
		return capitalize(line), quote
	}
	return f.Text, details(f)
}

// docKindLabel is a kind of document as an item names it.
func docKindLabel(kind string) string {
	if kind == "" || kind == "other" {
		return "document"
	}
	return label(kind)
}
