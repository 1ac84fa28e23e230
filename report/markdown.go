package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/exitinterview/exitinterview/extract"
)

// Markdown renders r as GitHub-flavoured Markdown with the same content, in the same order, as the
// PDF (the bar chart of scores aside, whose numbers are in the risk matrix). Captured text is escaped,
// so what a CSM typed can never become a link, an image, HTML or a heading.
func Markdown(r *Report) []byte {
	m := &mdDoc{r: r}
	m.b.Grow(64 << 10)
	m.cover()
	m.summary()
	m.matrix()
	m.accounts()
	m.playbooks()
	m.decisions()
	m.feedback()
	m.credentials()
	m.checklist()
	m.contradictions()
	m.gaps()
	m.corrections()
	m.transcript()
	return []byte(m.b.String())
}

type mdDoc struct {
	r *Report
	b strings.Builder
}

func (m *mdDoc) p(format string, a ...any) { fmt.Fprintf(&m.b, format, a...) }

func (m *mdDoc) line(s string) {
	m.b.WriteString(s)
	m.b.WriteByte('\n')
}

func (m *mdDoc) section(i int) { m.p("\n## %s\n\n", sectionTitle(i)) }

func (m *mdDoc) cite(ids []string) string {
	if c := citation(m.r, ids, ", "); c != "" {
		return " " + c
	}
	return ""
}

// bullet writes a list item, its citation and an optional detail line.
func (m *mdDoc) bullet(text, detail string, ids []string) {
	m.p("- %s%s\n", mdInline(text), m.cite(ids))
	if detail != "" {
		m.p("  _%s_\n", mdInline(detail))
	}
}

func (m *mdDoc) note(s string) { m.p("_%s_\n", mdInline(s)) }

// table writes a GFM table; align holds one of "l", "r", "c" per column.
func (m *mdDoc) table(head []string, align string, rows [][]string) {
	m.b.WriteString("|")
	for _, h := range head {
		m.p(" %s |", h)
	}
	m.b.WriteString("\n|")
	for i := range head {
		switch align[i] {
		case 'r':
			m.b.WriteString("---:|")
		case 'c':
			m.b.WriteString(":---:|")
		default:
			m.b.WriteString("---|")
		}
	}
	m.b.WriteByte('\n')
	for _, row := range rows {
		m.b.WriteString("|")
		for _, c := range row {
			m.p(" %s |", c)
		}
		m.b.WriteByte('\n')
	}
	m.b.WriteByte('\n')
}

func (m *mdDoc) cover() {
	r := m.r
	csm := strings.TrimSpace(r.Interview.CSMName)
	if csm == "" {
		csm = "departing CSM"
	}
	m.p("# Knowledge transfer: %s\n\n", mdInline(csm))
	m.p("> **Confidential.** %s\n\n", mdInline("This report holds customer information and personal data captured "+
		"in the exit interview of "+csm+". Share it only with the manager and the successors taking over these "+
		"accounts, and do not forward it outside the company. Credentials mentioned in the interview were removed "+
		"before anything was stored; section 7 lists where they must be moved into a vault."))
	person := func(name, email string) string {
		name, email = strings.TrimSpace(name), strings.TrimSpace(email)
		if email != "" && name != "" {
			return mdCell(name) + " (" + mdCell(email) + ")"
		}
		return mdCell(orDash(name + email))
	}
	rows := [][]string{
		{"Departing CSM", person(r.Interview.CSMName, r.Interview.CSMEmail)},
		{"Manager", person(r.Interview.ManagerName, r.Interview.ManagerEmail)},
		{"Departure date", mdCell(orDash(r.Interview.DepartureDate))},
		{"Generated at", r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")},
		{"Engine", mdCell(orDash(engineLabel(r.Engine)))},
		{"Interview coverage", fmt.Sprintf("%d %%", r.Interview.CoveragePercent)},
		{"Accounts", fmt.Sprintf("%d", len(r.Accounts))},
	}
	if r.Version > 0 {
		rows = append(rows, []string{"Report version", fmt.Sprintf("%d", r.Version)})
	}
	m.table([]string{"", ""}, "ll", rows)
	m.line("## Contents\n")
	for i := range sectionTitles {
		m.p("- %s\n", strings.Replace(sectionTitle(i), ".", "\\.", 1)) // not an ordered list inside the bullet
		if i == secAccounts {
			for j := range r.Accounts {
				m.p("  - %s\n", accountTitle(j, mdInline(r.Accounts[j].Name)))
			}
		}
	}
}

func (m *mdDoc) summary() {
	r := m.r
	m.section(secSummary)
	if strings.TrimSpace(r.Summary) == "" && len(r.SummaryPoints) == 0 {
		m.note("No summary was written.")
	}
	for _, p := range paragraphs(r.Summary) {
		m.p("%s\n\n", mdBlock(p))
	}
	m.line("\n### At a glance\n")
	for _, s := range atAGlance(r) {
		m.bullet(s, "", nil)
	}
	if len(r.SummaryPoints) > 0 {
		m.line("\n### Key points\n")
		for _, p := range r.SummaryPoints {
			m.bullet(p.Text, "", p.MessageIDs)
		}
	}
}

func (m *mdDoc) matrix() {
	r := m.r
	m.section(secMatrix)
	if len(r.Accounts) == 0 {
		m.note(noAccounts)
		return
	}
	m.p("%s\n\n", mdInline(matrixIntro()))
	rows := make([][]string, len(r.Accounts))
	for i := range r.Accounts {
		a := &r.Accounts[i]
		rows[i] = []string{mdCell(a.Name), money(a.ARR), mdCell(orDash(deref(a.RenewalDate))),
			"**" + levelLabel(a.Risk.Level) + "**", fmt.Sprintf("%d", a.Risk.Score), mdCell(orDash(a.Risk.MainDriver))}
	}
	m.table([]string{"Account", "ARR", "Renewal", "Risk", "Score", "Main driver"}, "lrlcrl", rows)
}

func (m *mdDoc) accounts() {
	r := m.r
	m.section(secAccounts)
	if len(r.Accounts) == 0 {
		m.note(noAccounts)
		return
	}
	m.p("%s\n", mdInline(accountsIntro))
	for i := range r.Accounts {
		m.account(i, &r.Accounts[i])
	}
}

func (m *mdDoc) account(i int, a *Account) {
	m.p("\n### %s\n\n", accountTitle(i, mdInline(a.Name)))
	m.p("_%s_\n\n", mdInline(accountMeta(a)))
	m.p("**%s risk**, score %d / 100\n", levelLabel(a.Risk.Level), a.Risk.Score)
	g := groupAccount(a)
	if len(a.Overview) > 0 {
		m.line("\n#### Overview\n")
		for _, s := range a.Overview {
			m.bullet(s.Text, "", s.MessageIDs)
		}
	}
	if len(g.stakeholders) > 0 {
		m.line("\n#### Stakeholders\n")
		rows := make([][]string, len(g.stakeholders))
		for j, s := range g.stakeholders {
			st := stakeholderRow(s)
			rows[j] = []string{mdCell(st.name), mdCell(st.role), mdCell(st.relationship), mdCell(st.sentiment),
				mdCell(st.notes), strings.TrimSpace(m.cite(s.MessageIDs))}
		}
		m.table([]string{"Name", "Role", "Relationship", "Sentiment", "Channel and notes", "Source"}, "llllll", rows)
	} else {
		m.b.WriteByte('\n')
	}
	m.line("#### Risk assessment\n")
	m.p("Level %s, score %d of 100.\n\n", levelLabel(a.Risk.Level), a.Risk.Score)
	for _, x := range a.Risk.Rationale {
		m.p("%s%s\n\n", mdInline(x.Text), m.cite(x.MessageIDs))
	}
	if len(a.Risk.Drivers) > 0 {
		rows := make([][]string, len(a.Risk.Drivers))
		for j, dr := range a.Risk.Drivers {
			rows[j] = []string{mdCell(dr.Text), fmt.Sprintf("+%d", dr.Points), strings.TrimSpace(m.cite(dr.MessageIDs))}
		}
		m.table([]string{"Driver", "Points", "Source"}, "lrl", rows)
	} else {
		m.note("No risk drivers were found.")
	}
	if len(a.Risk.Mitigations) > 0 {
		m.line("\n**Mitigations**\n")
		for _, x := range a.Risk.Mitigations {
			m.bullet(x.Text, "", x.MessageIDs)
		}
	}
	if len(g.risks) > 0 {
		m.line("\n**What the CSM said about risk**\n")
		for _, x := range g.risks {
			m.bullet(x.Text, details(x), x.MessageIDs)
		}
	}
	for k, grp := range accountGroups {
		if len(g.groups[k]) == 0 {
			continue
		}
		m.p("\n#### %s\n\n", grp.title)
		for _, x := range g.groups[k] {
			m.bullet(x.Text, details(x), x.MessageIDs)
		}
	}
	if len(g.other) > 0 {
		m.line("\n#### Other findings\n")
		for _, x := range g.other {
			m.bullet(typeLabel(x.Type)+": "+x.Text, details(x), x.MessageIDs)
		}
	}
	if e := a.IntroEmail; strings.TrimSpace(e.Subject+e.Body) != "" {
		m.line("\n#### Introduction email (draft)\n")
		for _, l := range strings.Split(mdBlock(emailText(e)), "\n") {
			m.p(">%s\n", prefixSpace(l))
		}
	}
}

func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func (m *mdDoc) playbooks() {
	r := m.r
	m.section(secPlaybooks)
	extra := portfolioExtra(r)
	if len(r.Playbooks) == 0 && len(extra) == 0 {
		m.note("No operational playbooks were captured.")
		return
	}
	for _, p := range r.Playbooks {
		m.p("### %s\n\n", mdInline(playbookTitle(p)))
		for k, x := range p.Steps {
			m.p("%d\\. %s%s\n", k+1, mdInline(x.Text), m.cite(x.MessageIDs))
		}
		if len(p.Steps) > 0 {
			m.b.WriteByte('\n')
		}
		if len(p.Items) == 0 {
			m.note("Nothing was captured for this playbook.")
		}
		for _, x := range p.Items {
			m.bullet(x.Text, details(x), x.MessageIDs)
		}
		m.b.WriteByte('\n')
	}
	if len(extra) > 0 {
		m.line("### Other portfolio knowledge\n")
		for _, x := range extra {
			m.bullet(typeLabel(x.Type)+": "+x.Text, details(x), x.MessageIDs)
		}
	}
}

func (m *mdDoc) decisions() {
	m.section(secDecisions)
	if len(m.r.Decisions) == 0 {
		m.note("No decisions were recorded.")
	}
	for _, x := range m.r.Decisions {
		m.bullet(x.Text, details(x), x.MessageIDs)
	}
}

func (m *mdDoc) feedback() {
	m.section(secFeedback)
	if len(m.r.FeedbackThemes) == 0 {
		m.note("No product feedback was captured.")
	}
	for _, t := range m.r.FeedbackThemes {
		m.p("### %s\n\n", mdInline(orDash(t.Theme)))
		if len(t.Customers) > 0 {
			m.p("_Heard from: %s_\n\n", mdInline(strings.Join(t.Customers, ", ")))
		}
		for _, x := range t.Statements {
			m.bullet(x.Text, details(x), x.MessageIDs)
		}
		m.b.WriteByte('\n')
	}
}

func (m *mdDoc) credentials() {
	m.section(secCredentials)
	if len(m.r.Credentials) == 0 {
		m.note("No credentials were mentioned.")
		return
	}
	m.p("%s\n\n", mdInline(credentialsIntro))
	rows := make([][]string, len(m.r.Credentials))
	for i, x := range m.r.Credentials {
		c := credentialRow(x)
		rows[i] = []string{mdCell(c.account), mdCell(c.kind), mdCell(c.system), mdCell(x.Text), strings.TrimSpace(m.cite(x.MessageIDs))}
	}
	m.table([]string{"Account", "Kind", "System", "Where it was mentioned", "Source"}, "lllll", rows)
}

func (m *mdDoc) checklist() {
	m.section(secChecklist)
	items := checklistOrder(m.r)
	if len(items) == 0 {
		m.note("No handover tasks were drawn up.")
		return
	}
	m.p("%s\n\n", mdInline(checklistIntro(m.r)))
	rows := make([][]string, len(items))
	for i, it := range items {
		status := "Open"
		if it.Done {
			status = "**Done**"
		}
		rows[i] = []string{mdCell(accountLabel(it.Account)), mdCell(it.Title), mdCell(orDash(it.Owner)),
			mdCell(orDash(it.DueDate)), status, strings.TrimSpace(m.cite(it.MessageIDs))}
	}
	m.table([]string{"Account", "Task", "Owner", "Due date", "Status", "Source"}, "llllll", rows)
}

func (m *mdDoc) contradictions() {
	m.section(secContradictions)
	if len(m.r.Contradictions) == 0 {
		m.note("No contradictions between the CRM and the interview were found.")
		return
	}
	rows := make([][]string, len(m.r.Contradictions))
	for i, c := range m.r.Contradictions {
		rows[i] = []string{mdCell(accountLabel(c.Account)), mdCell(c.CRM), mdCell(c.Stated), strings.TrimSpace(m.cite(c.MessageIDs))}
	}
	m.table([]string{"Account", "The CRM says", "The CSM said", "Source"}, "llll", rows)
}

func (m *mdDoc) corrections() {
	m.section(secCorrections)
	if len(m.r.Corrections) == 0 {
		m.note("The CSM corrected nothing.")
		return
	}
	m.p("%s\n\n", mdInline(correctionsIntro))
	rows := make([][]string, len(m.r.Corrections))
	for i, c := range m.r.Corrections {
		rows[i] = []string{mdCell(c.Original), mdCell(correctedText(c)), strings.TrimSpace(m.cite(c.MessageIDs))}
	}
	m.table([]string{"The CSM first said", "Corrected to", "Source"}, "lll", rows)
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

func (m *mdDoc) gaps() {
	m.section(secGaps)
	if len(m.r.Gaps) == 0 {
		m.note("No knowledge gaps: every topic was covered.")
		return
	}
	m.p("%s\n\n", mdInline(gapsIntro))
	rows := make([][]string, len(m.r.Gaps))
	for i, g := range m.r.Gaps {
		rows[i] = []string{mdCell(accountLabel(g.Account)), mdCell(topicLabel(g)), mdCell(g.SuggestedQuestion)}
	}
	m.table([]string{"Account", "Topic", "Suggested follow-up question"}, "lll", rows)
}

func (m *mdDoc) transcript() {
	m.section(secTranscript)
	if len(m.r.Transcript) == 0 {
		m.note("The transcript is empty.")
		return
	}
	for _, x := range m.r.Transcript {
		m.p("**#%d · %s · %s**", x.N, roleLabel(x.Role), stamp(x.CreatedAt))
		if x.Account != "" {
			m.p(" · _%s_", mdInline(x.Account))
		}
		m.p("\n\n%s\n\n", mdBlock(strings.TrimSpace(x.Content)))
	}
}

// mdInline escapes captured text for one line of Markdown: line breaks become spaces, and every
// character that could start emphasis, code, a link or image, HTML, a table cell or a strikethrough is
// backslash-escaped, as is anything that would make the line a heading, a list item or a quote.
func mdInline(s string) string {
	return mdEscapeLine(strings.Join(strings.Fields(strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)), " "))
}

// mdCell escapes captured text for a table cell, keeping its line breaks as <br>.
func mdCell(s string) string {
	lines := splitLines(s)
	for i, l := range lines {
		lines[i] = mdEscapeLine(strings.TrimSpace(l))
	}
	return strings.Join(lines, "<br>")
}

// mdBlock escapes multi-line captured text, keeping its paragraphs and line breaks.
func mdBlock(s string) string {
	lines := splitLines(s)
	out := make([]string, 0, len(lines))
	for i, l := range lines {
		l = mdEscapeLine(strings.TrimSpace(l))
		// A line followed by another line of the same paragraph ends in a hard break.
		if l != "" && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			l += "\\"
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func splitLines(s string) []string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return strings.Split(s, "\n")
}

// mdEscapeLine escapes one line that has no line breaks.
func mdEscapeLine(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	// Block syntax at the start of the line: headings, quotes, lists, thematic breaks, setext underlines.
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		b.WriteString(s[:i])
		b.WriteByte('\\')
		s = s[i:]
	} else if s != "" && strings.IndexByte("#>-+=", s[0]) >= 0 {
		b.WriteByte('\\')
	}
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// What follows is the wording and grouping both renderings share, so they never disagree.

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
		s += " Due dates are set relative to the departure date, " + d + "."
	}
	return s
}

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
	return strings.ReplaceAll(g.Topic, "_", " ")
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

// accountGroups are the per-account subsections after the risk assessment, in the order of SPEC §6.
var accountGroups = []struct{ typ, title string }{
	{extract.Renewal, "Renewal"},
	{extract.Upsell, "Upsell opportunities"},
	{extract.OpenIssue, "Open issues"},
	{extract.Commitment, "Commitments and deadlines"},
	{extract.Workaround, "Workarounds and configuration"},
	{extract.EscalationContact, "Escalation contacts"},
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
	s := stakeholder{name: f.Fields["name"], role: f.Fields["role"], relationship: f.Fields["relationship"],
		sentiment: f.Fields["sentiment"]}
	var notes []string
	for _, k := range []string{"channel", "notes"} {
		if v := strings.TrimSpace(f.Fields[k]); v != "" {
			notes = append(notes, v)
		}
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
	return credential{account: accountLabel(f.Fields["account"]), kind: orDash(strings.ReplaceAll(f.Fields["kind"], "_", " ")),
		system: orDash(f.Fields["system"])}
}

var typeLabels = map[string]string{
	extract.Stakeholder: "Stakeholder", extract.Risk: "Risk", extract.Renewal: "Renewal", extract.Upsell: "Upsell",
	extract.Commitment: "Commitment", extract.OpenIssue: "Open issue", extract.Workaround: "Workaround",
	extract.EscalationContact: "Escalation contact", extract.Feedback: "Product feedback", extract.Process: "Process",
	extract.Decision: "Decision", extract.ShadowSystem: "Shadow system", "credential_mentioned": "Credential",
}

func typeLabel(t string) string {
	if l, ok := typeLabels[t]; ok {
		return l
	}
	if t == "" {
		return "Note"
	}
	return strings.ToUpper(t[:1]) + strings.ReplaceAll(t[1:], "_", " ")
}

var fieldLabels = map[string]string{
	"name": "Name", "role": "Role", "relationship": "Relationship", "sentiment": "Sentiment", "channel": "Channel",
	"notes": "Notes", "level": "Level", "driver": "Driver", "competitor": "Competitor", "date": "Date",
	"probability": "Probability", "decider": "Decides", "blockers": "Blockers", "product": "Product",
	"value": "Value", "stage": "Stage", "next_step": "Next step", "due_date": "Due", "owner": "Owner",
	"contact": "Contact", "what": "What", "to_whom": "To whom", "status": "Status", "reference": "Reference",
	"impact": "Impact", "for": "For", "frequency": "Frequency", "tool": "Tool", "location": "Where",
	"theme": "Theme", "customers": "Customers", "cadence": "Cadence", "why": "Why", "contents": "Contents",
	"kind": "Kind", "system": "System",
}

// details lists a finding's fields as "Label: value · …" in the order extract.FieldsOf gives, then any
// other fields alphabetically.
func details(f Finding) string {
	if len(f.Fields) == 0 {
		return ""
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
		if v == "" {
			continue
		}
		label, ok := fieldLabels[k]
		if !ok {
			label = strings.ToUpper(k[:1]) + strings.ReplaceAll(k[1:], "_", " ")
		}
		parts = append(parts, label+": "+fieldValue(k, v))
	}
	return strings.Join(parts, " · ")
}

// fieldValue shows probabilities as percentages and amounts with separators.
func fieldValue(k, v string) string {
	switch k {
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
	return typeLabel(p.Key)
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
