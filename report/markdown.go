package report

import (
	"fmt"
	"slices"
	"strings"
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
	m.onePagers()
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
	if note := r.IncompleteNote(); note != "" {
		m.p("> **%s**\n\n", mdInline(note))
	}
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
	if len(r.Accounts) > 0 {
		levels, total := arrByLevel(r)
		rows := make([][]string, 0, len(levels)+1)
		unknown := 0
		for _, l := range levels {
			arr := l.ARR
			rows = append(rows, []string{"**" + levelLabel(l.Level) + "**", fmt.Sprintf("%d", l.Accounts), money(&arr), share(l.ARR, total), unknownARR(l.Unknown)})
			unknown += l.Unknown
		}
		rows = append(rows, []string{"**All accounts**", fmt.Sprintf("%d", len(r.Accounts)), money(&total), share(total, total), unknownARR(unknown)})
		m.line("### ARR at risk by level\n")
		m.table([]string{"Risk level", "Accounts", "ARR", "Share of ARR", "ARR unknown"}, "lrrrl", rows)

		due := renewalsDue(r, renewalWindow)
		soon := slices.IndexFunc(due, func(x renewal) bool { return x.Days > renewalSoon })
		if soon < 0 {
			soon = len(due)
		}
		n90, arr90 := renewalTotals(due[:soon])
		n180, arr180 := renewalTotals(due)
		m.line("### Renewals in the next 90 and 180 days\n")
		m.p("%s\n\n", mdInline(renewalsLine(n90, arr90, n180, arr180)))
		if len(due) > 0 {
			rows = rows[:0]
			for _, x := range due {
				rows = append(rows, []string{shortDate(x.Date), inDays(x.Days), mdCell(x.Account.Name), money(x.Account.ARR), levelLabel(x.Account.Risk.Level)})
			}
			m.table([]string{"Renewal", "When", "Account", "ARR", "Risk"}, "lllrc", rows)
		}
	}
	if next, more := commitmentsDue(r, nextCommitments); len(next) > 0 {
		m.line("### Commitments falling due\n")
		rows := make([][]string, len(next))
		for i, it := range next {
			rows[i] = []string{mdCell(dueLabel(it)), mdCell(accountLabel(it.Account)), mdCell(it.Title), mdCell(orDash(it.Owner))}
		}
		m.table([]string{"Due", "Account", "Commitment", "Owner"}, "llll", rows)
		if more > 0 {
			m.note(moreCommitments(more))
			m.b.WriteByte('\n')
		}
	}
	if blind, known := blindAccounts(r); known {
		m.line("### Accounts handed over blind\n")
		if len(blind) == 0 {
			m.note("No account would be handed over blind.")
		} else {
			m.p("%s\n\n", mdInline(blindRule))
			rows := make([][]string, len(blind))
			for i, a := range blind {
				rows[i] = []string{mdCell(a.Name), fmt.Sprintf("%d", a.Readiness.Score), levelLabel(a.Risk.Level), money(a.ARR),
					mdCell(capitalize(strings.Join(a.Readiness.Reasons, "; ")))}
			}
			m.table([]string{"Account", "Readiness", "Risk", "ARR", "What keeps it down"}, "lrcrl", rows)
		}
	}
	if len(r.SummaryPoints) > 0 {
		m.line("\n### Key points\n")
		for _, p := range r.SummaryPoints {
			m.bullet(p.Text, "", p.MessageIDs)
		}
	}
	m.line("\n### At a glance\n")
	for _, s := range atAGlance(r) {
		m.bullet(s, "", nil)
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
	once := readBackOnce(r)
	m.p("%s\n", mdInline(accountsIntroOf(once)))
	for i := range r.Accounts {
		m.account(i, &r.Accounts[i], once)
	}
}

func (m *mdDoc) account(i int, a *Account, readBackSaid bool) {
	m.p("\n### %s\n\n", accountTitle(i, mdInline(a.Name)))
	m.p("_%s_\n\n", mdInline(accountMeta(a)))
	m.p("**%s risk**, score %d / 100\n", levelLabel(a.Risk.Level), a.Risk.Score)
	if n := accountReadBack(m.r, a, readBackSaid); n != "" {
		m.p("\n_%s_\n", mdInline(n))
	}
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
	if len(a.Risk.Rationale)+len(a.Risk.Drivers) > 0 {
		m.line("#### Risk assessment\n")
	}
	for _, x := range a.Risk.Rationale {
		m.p("%s%s\n\n", mdInline(x.Text), m.cite(x.MessageIDs))
	}
	if len(a.Risk.Drivers) > 0 {
		rows := make([][]string, len(a.Risk.Drivers))
		for j, dr := range a.Risk.Drivers {
			rows[j] = []string{mdCell(dr.Text), fmt.Sprintf("+%d", dr.Points), strings.TrimSpace(m.cite(dr.MessageIDs))}
		}
		m.table([]string{"Risk driver", "Points", "Source"}, "lrl", rows)
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
			text, detail := itemOf(x)
			m.bullet(text, detail, x.MessageIDs)
			if link := linkOf(x); link != "" {
				m.p("  [%s](%s)\n", mdInline(link), link)
			}
		}
	}
	if len(a.Files) > 0 {
		m.line("\n#### " + filesTitle + "\n")
		for _, f := range a.Files {
			m.bullet(f.describe(), "", nil)
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
		if len(e.Notes) > 0 {
			m.p("\n**%s**\n\n", emailNotesTitle)
			for _, n := range e.Notes {
				m.p("- %s\n", mdInline(n))
			}
		}
	}
}

// onePagers writes each account's one-page summary: in Markdown nothing is cut, as there is no page.
func (m *mdDoc) onePagers() {
	r := m.r
	m.section(secOnePagers)
	if len(r.Accounts) == 0 {
		m.note(noAccounts)
		return
	}
	m.p("%s\n", mdInline(onePagersIntro))
	for i := range r.Accounts {
		a := &r.Accounts[i]
		b := briefOf(r, a)
		m.p("\n### %s\n\n", mdInline(onePagerTitle(a.Name)))
		ready := "—"
		if a.Readiness != nil {
			ready = fmt.Sprintf("%d / 100", a.Readiness.Score)
			if a.Readiness.Blind {
				ready += ", blind"
			}
		}
		m.table([]string{"ARR", "Renewal", "Risk", "Readiness", "Successor"}, "rllll", [][]string{{money(a.ARR),
			mdCell(orDash(deref(a.RenewalDate))), fmt.Sprintf("**%s**, %d", levelLabel(a.Risk.Level), a.Risk.Score), ready,
			mdCell(orDash(a.successorLabel()))}})
		list := func(title string, items []string) {
			if len(items) == 0 {
				return
			}
			m.p("**%s**\n\n", title)
			for _, it := range items {
				m.p("- %s\n", mdInline(it))
			}
			m.b.WriteByte('\n')
		}
		list("Risk and why", append(b.Why, prefixed("Do: ", b.Mitigations)...))
		people := make([]string, len(b.Stakeholders))
		for k, p := range b.Stakeholders {
			people[k] = joinNonEmpty(" · ", p.name, p.role, p.relationship, p.sentiment, p.notes)
		}
		list("Stakeholders", people)
		tasks := func(items []ChecklistItem) []string {
			out := make([]string, len(items))
			for k, it := range items {
				out[k] = taskLine(it)
			}
			return out
		}
		list("Promises open", tasks(b.Promises))
		list("Next steps", tasks(b.NextSteps))
		list("Where things live", b.Docs)
		m.p("_Full notes: section %s._\n", strings.Fields(accountTitle(i, ""))[0])
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
	if len(r.Playbooks) == 0 && len(extra) == 0 && len(r.PortfolioFiles) == 0 {
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
	if len(r.PortfolioFiles) > 0 {
		m.line("\n### " + filesTitle + "\n")
		for _, f := range r.PortfolioFiles {
			m.bullet(f.describe(), "", nil)
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
			mdCell(dueLabel(it)), status, strings.TrimSpace(m.cite(it.MessageIDs))}
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
