package report

import (
	"fmt"
	"slices"
	"strings"
)

// The PDF's sections, in reading order (render in pdf.go calls them).

func (d *pdfDoc) summary() {
	r := d.r
	d.section(secSummary, 0)
	if strings.TrimSpace(r.Summary) == "" && len(r.SummaryPoints) == 0 {
		d.note("No summary was written.")
	}
	for _, p := range paragraphs(r.Summary) {
		d.para(p)
	}
	if len(r.Accounts) > 0 {
		d.arrAtRisk()
		d.renewals()
	}
	d.commitmentsDue()
	d.blind()
	if len(r.SummaryPoints) > 0 {
		d.heading(3, "Key points", false, 0, 0)
		for _, p := range r.SummaryPoints {
			d.bullet(p.Text, "", p.MessageIDs)
		}
	}
	d.heading(3, "At a glance", false, 0, 0)
	for _, s := range atAGlance(r) {
		d.bullet(s, "", nil)
	}
}

// arrAtRisk is the ARR of the accounts at each risk level, as a table and a bar of the whole book.
func (d *pdfDoc) arrAtRisk() {
	f := d.f
	levels, total := arrByLevel(d.r)
	cols := []column{{"Risk level", 30, "L"}, {"Accounts", 22, "R"}, {"ARR", 34, "R"}, {"Share of ARR", 26, "R"},
		{"ARR unknown", 62, "L"}}
	rows := make([][]cell, 0, len(levels)+1)
	unknown := 0
	for _, l := range levels {
		fill, tc := riskColour(l.Level)
		arr := l.ARR
		rows = append(rows, []cell{{text: levelLabel(l.Level), bold: true, fill: &fill, colour: &tc},
			{text: fmt.Sprintf("%d", l.Accounts)}, {text: money(&arr)}, {text: share(l.ARR, total)}, {text: unknownARR(l.Unknown)}})
		unknown += l.Unknown
	}
	rows = append(rows, []cell{{text: "All accounts", bold: true}, {text: fmt.Sprintf("%d", len(d.r.Accounts)), bold: true},
		{text: money(&total), bold: true}, {text: share(total, total), bold: true}, {text: unknownARR(unknown)}})
	d.heading(3, "ARR at risk by level", false, 0, d.tableStart(cols, rows)+12)
	d.table(cols, rows)
	if total <= 0 {
		return
	}
	// One bar of the whole book, a segment per level in its colour: the share at risk at a glance.
	f.SetY(f.GetY() - 1)
	y, x := f.GetY(), marginL
	for _, l := range levels {
		if l.ARR <= 0 {
			continue
		}
		w := contentW * l.ARR / total
		fill, tc := riskColour(l.Level)
		d.fillColour(fill)
		f.Rect(x, y, w, 6, "F")
		d.font("B", sizeSmall)
		if txt := levelLabel(l.Level) + " " + share(l.ARR, total); f.GetStringWidth(txt)+2 < w {
			d.textColour(tc)
			f.SetXY(x, y+0.5)
			f.CellFormat(w, 5, txt, "", 0, "C", false, 0, "")
		}
		x += w
	}
	d.textColour(colText)
	f.SetXY(marginL, y+9)
}

func unknownARR(n int) string {
	if n == 0 {
		return ""
	}
	return counted(n, "account", "accounts") + " without ARR"
}

// renewals is the renewals of the next 180 days on a timeline, then as a table.
func (d *pdfDoc) renewals() {
	due := renewalsDue(d.r, renewalWindow)
	soon := slices.IndexFunc(due, func(x renewal) bool { return x.Days > renewalSoon })
	if soon < 0 {
		soon = len(due)
	}
	n90, arr90 := renewalTotals(due[:soon])
	n180, arr180 := renewalTotals(due)
	cols := []column{{"Renewal", 24, "L"}, {"When", 22, "L"}, {"Account", 70, "L"}, {"ARR", 30, "R"}, {"Risk", 28, "C"}}
	rows := make([][]cell, len(due))
	for i, x := range due {
		fill, tc := riskColour(x.Account.Risk.Level)
		rows[i] = []cell{{text: shortDate(x.Date)}, {text: inDays(x.Days)}, {text: x.Account.Name}, {text: money(x.Account.ARR)},
			{text: levelLabel(x.Account.Risk.Level), bold: true, fill: &fill, colour: &tc}}
	}
	d.heading(3, "Renewals in the next 90 and 180 days", false, 0, 40)
	d.para(renewalsLine(n90, arr90, n180, arr180))
	d.timeline(due)
	if len(rows) > 0 {
		d.table(cols, rows)
	}
}

func (d *pdfDoc) commitmentsDue() {
	next, more := commitmentsDue(d.r, nextCommitments)
	if len(next) == 0 {
		return
	}
	cols := []column{{"Due", 26, "L"}, {"Account", 36, "L"}, {"Commitment", 64, "L"}, {"Owner", 48, "L"}}
	rows := make([][]cell, len(next))
	for i, it := range next {
		rows[i] = []cell{{text: dueLabel(it)}, {text: accountLabel(it.Account)}, {text: it.Title}, {text: orDash(it.Owner)}}
	}
	d.heading(3, "Commitments falling due", false, 0, d.tableStart(cols, rows))
	d.table(cols, rows)
	if more > 0 {
		d.f.SetY(d.f.GetY() - 1.5)
		d.note(moreCommitments(more))
	}
}

// blind lists the accounts that would be handed over blind, and why.
func (d *pdfDoc) blind() {
	accounts, known := blindAccounts(d.r)
	if !known {
		return
	}
	cols := []column{{"Account", 46, "L"}, {"Readiness", 20, "R"}, {"Risk", 20, "C"}, {"ARR", 24, "R"}, {"What keeps it down", 64, "L"}}
	rows := make([][]cell, len(accounts))
	for i, a := range accounts {
		fill, tc := riskColour(a.Risk.Level)
		rows[i] = []cell{{text: a.Name, bold: true}, {text: fmt.Sprintf("%d", a.Readiness.Score)},
			{text: levelLabel(a.Risk.Level), bold: true, fill: &fill, colour: &tc}, {text: money(a.ARR)},
			{text: capitalize(strings.Join(a.Readiness.Reasons, "; "))}}
	}
	d.heading(3, "Accounts handed over blind", false, 0, d.paraHeight(blindRule)+d.tableStart(cols, rows))
	if len(accounts) == 0 {
		d.note("No account would be handed over blind.")
		return
	}
	d.para(blindRule)
	d.table(cols, rows)
}

func (d *pdfDoc) matrix() {
	r := d.r
	cols := []column{{"Account", 44, "L"}, {"ARR", 20, "R"}, {"Renewal", 20, "L"}, {"Risk", 18, "C"},
		{"Score", 12, "R"}, {"Main driver", 60, "L"}}
	rows := make([][]cell, len(r.Accounts))
	for i := range r.Accounts {
		a := &r.Accounts[i]
		fill, tc := riskColour(a.Risk.Level)
		rows[i] = []cell{{text: a.Name}, {text: money(a.ARR)}, {text: orDash(deref(a.RenewalDate))},
			{text: levelLabel(a.Risk.Level), bold: true, fill: &fill, colour: &tc},
			{text: fmt.Sprintf("%d", a.Risk.Score)}, {text: orDash(a.Risk.MainDriver)}}
	}
	d.section(secMatrix, d.paraHeight(matrixIntro())+d.tableStart(cols, rows))
	if len(r.Accounts) == 0 {
		d.note(noAccounts)
		return
	}
	d.para(matrixIntro())
	d.table(cols, rows)
	d.bars()
}

// bars draws the accounts' scores as a horizontal bar chart, its scale repeated on every page.
func (d *pdfDoc) bars() {
	f := d.f
	const labelW, scoreW = 52.0, 12.0
	rowH := 5.2
	if len(d.r.Accounts) > 20 {
		rowH = 4.2
	}
	// The chart and its title go on the next page if they would fit there whole but not here.
	if need := 4.5 + rowH*float64(len(d.r.Accounts)) + 12; need <= pageEnd-marginT {
		d.room(need)
	}
	d.heading(3, "Risk scores", false, 0, 0)
	x0 := marginL + labelW + 2
	w := contentW - labelW - 2 - scoreW
	scale := func() {
		d.font("", 7)
		d.textColour(colMuted)
		y := f.GetY()
		for _, v := range []int{0, 25, 50, 75, 100} {
			x := x0 + w*float64(v)/100
			f.SetXY(x-5, y)
			f.CellFormat(10, 3.5, fmt.Sprintf("%d", v), "", 0, "C", false, 0, "")
		}
		f.SetY(y + 4.5)
	}
	d.room(rowH*3 + 5)
	scale()
	for i := range d.r.Accounts {
		a := &d.r.Accounts[i]
		if f.GetY()+rowH > pageEnd {
			d.newPage()
			scale()
		}
		y := f.GetY()
		d.drawColour(colRule)
		f.SetLineWidth(0.1)
		for _, v := range []float64{0, 25, 50, 75, 100} {
			x := x0 + w*v/100
			f.Line(x, y, x, y+rowH)
		}
		d.font("", sizeSmall)
		d.textColour(colText)
		f.SetXY(marginL, y)
		f.CellFormat(labelW, rowH, d.fit(d.clean(a.Name), labelW), "", 0, "R", false, 0, "")
		fill, _ := riskColour(a.Risk.Level)
		d.fillColour(fill)
		bw := w * clamp(float64(a.Risk.Score), 0, 100) / 100
		if bw > 0 {
			f.Rect(x0, y+rowH*0.18, bw, rowH*0.64, "F")
		}
		f.SetXY(x0+bw+0.5, y)
		f.CellFormat(scoreW, rowH, fmt.Sprintf("%d", a.Risk.Score), "", 0, "L", false, 0, "")
		f.SetY(y + rowH)
	}
	f.SetY(f.GetY() + 3)
}

func (d *pdfDoc) accounts() {
	r := d.r
	d.section(secAccounts, 0)
	if len(r.Accounts) == 0 {
		d.note(noAccounts)
		return
	}
	once := readBackOnce(r)
	d.para(accountsIntroOf(once))
	d.accountStart = make([]int, len(r.Accounts))
	for i := range r.Accounts {
		d.account(i, &r.Accounts[i], once)
	}
}

// listItem is a statement of a labelled group: its text, a muted detail line and its sources.
type listItem struct {
	text, detail string
	ids          []string
	link         string // an address drawn as a link below the item (linkOf)
}

// Account sections: groups of statements carry their label in a narrow column on the left, which
// takes far less room than a heading above each.
const groupLabelW = 31.0

// group draws a labelled group of statements; an empty group draws nothing.
func (d *pdfDoc) group(label string, items []listItem) {
	if len(items) == 0 {
		return
	}
	f := d.f
	x, w := marginL+groupLabelW, contentW-groupLabelW
	f.SetY(f.GetY() + 1)
	// The label stays with the first lines of its first item.
	d.font("", sizeBody)
	first := float64(len(d.split(d.clean(items[0].text+" "+d.cite(items[0].ids)), w-5))) * lhBody
	d.room(min(first, 3*lhBody) + lhSmall)
	page, y := f.PageNo(), f.GetY()
	d.font("B", sizeSmall+0.5)
	d.textColour(colHeading)
	lines := d.split(d.clean(label), groupLabelW-2)
	for k, l := range lines {
		f.SetXY(marginL, y+0.3+float64(k)*lhSmall)
		f.CellFormat(groupLabelW-2, lhSmall, l, "", 0, "L", false, 0, "")
	}
	d.textColour(colText)
	f.SetXY(x, y)
	for _, it := range items {
		d.bulletAt(x, w, it.text, it.detail, it.ids)
		if it.link != "" {
			d.linkLine(x+5, w-5, it.link)
		}
	}
	if bottom := y + 0.3 + float64(len(lines))*lhSmall; f.PageNo() == page && f.GetY() < bottom {
		f.SetY(bottom)
	}
}

// findingItems are findings as items of a group; typed adds each one's type before its text.
// fileItems are the lines of the files attached for an account or the portfolio.
func fileItems(fs []File) []listItem {
	out := make([]listItem, len(fs))
	for i, f := range fs {
		out[i] = listItem{text: f.describe()}
	}
	return out
}

func findingItems(fs []Finding, typed bool) []listItem {
	out := make([]listItem, len(fs))
	for i, x := range fs {
		text, detail := itemOf(x)
		if typed {
			text = typeLabel(x.Type) + ": " + text
		}
		out[i] = listItem{text: text, detail: detail, ids: x.MessageIDs, link: linkOf(x)}
	}
	return out
}

// linkLine draws an address as a link: blue, underlined, clickable, cut to the column if it is longer.
func (d *pdfDoc) linkLine(x, w float64, link string) {
	f := d.f
	d.font("U", sizeSmall)
	if f.GetY()+lhSmall > pageEnd {
		d.newPage()
		d.font("U", sizeSmall)
	}
	d.textColour(colLink)
	f.SetXY(x, f.GetY()-1.2)
	f.CellFormat(w, lhSmall, d.fit(d.clean(link), w), "", 1, "L", false, 0, link)
	d.textColour(colText)
	d.font("", sizeBody)
	f.SetY(f.GetY() + 1.2)
}

func statementItems(ss []Statement) []listItem {
	out := make([]listItem, len(ss))
	for i, x := range ss {
		out[i] = listItem{text: x.Text, ids: x.MessageIDs}
	}
	return out
}

// accountHead is the risk badge (level and score) with the account's facts beside it.
func (d *pdfDoc) accountHead(a *Account) {
	f := d.f
	const badgeW, badgeH = 32.0, 10.0
	meta := d.clean(accountMeta(a))
	d.font("", sizeSmall+0.5)
	lines := d.split(meta, contentW-badgeW-3)
	h := max(badgeH, float64(len(lines))*(lhSmall+0.3))
	d.room(h + 2)
	y := f.GetY()
	fill, tc := riskColour(a.Risk.Level)
	d.fillColour(fill)
	f.Rect(marginL, y, badgeW, badgeH, "F")
	d.textColour(tc)
	d.font("B", 9)
	f.SetXY(marginL, y+0.8)
	f.CellFormat(badgeW, 4.4, strings.ToUpper(levelLabel(a.Risk.Level))+" RISK", "", 0, "C", false, 0, "")
	d.font("", sizeSmall)
	f.SetXY(marginL, y+5)
	f.CellFormat(badgeW, 4, fmt.Sprintf("score %d / 100", a.Risk.Score), "", 0, "C", false, 0, "")
	d.text(meta, marginL+badgeW+3, contentW-badgeW-3, "", sizeSmall+0.5, lhSmall+0.3, colMuted)
	f.SetY(max(f.GetY(), y+h) + 2)
}

func (d *pdfDoc) account(i int, a *Account, readBackSaid bool) {
	f := d.f
	// Accounts follow one another, set apart by a rule, rather than each leaving the rest of a page empty.
	if f.GetY() > marginT+0.1 {
		f.SetY(f.GetY() + 3)
		d.room(50)
		if f.GetY() > marginT+0.1 {
			d.drawColour(colRule)
			f.SetLineWidth(0.5)
			f.Line(marginL, f.GetY(), pageW-marginR, f.GetY())
		}
	}
	d.heading(2, accountTitle(i, d.clean(a.Name)), true, 1, 30)
	d.accountStart[i] = f.PageNo()
	d.accountHead(a)
	if n := accountReadBack(d.r, a, readBackSaid); n != "" {
		d.note(n)
	}

	g := groupAccount(a)
	d.group("Overview", statementItems(a.Overview))
	if len(g.stakeholders) > 0 {
		cols := []column{{"Name", 32, "L"}, {"Role", 28, "L"}, {"Relationship", 30, "L"}, {"Sentiment", 22, "L"},
			{"Channel and notes", 44, "L"}, {"Source", 18, "L"}}
		rows := make([][]cell, len(g.stakeholders))
		for j, s := range g.stakeholders {
			st := stakeholderRow(s)
			rows[j] = []cell{{text: st.name, bold: true}, {text: st.role}, {text: st.relationship}, {text: st.sentiment},
				{text: st.notes}, d.source(s.MessageIDs)}
		}
		d.heading(3, "Stakeholders", false, 0, d.tableStart(cols, rows))
		d.table(cols, rows)
	}

	driverCols := []column{{"Risk driver", 134, "L"}, {"Points", 18, "R"}, {"Source", 22, "L"}}
	drivers := make([][]cell, len(a.Risk.Drivers))
	for j, dr := range a.Risk.Drivers {
		drivers[j] = []cell{{text: dr.Text}, {text: fmt.Sprintf("+%d", dr.Points)}, d.source(dr.MessageIDs)}
	}
	if len(a.Risk.Rationale)+len(drivers) > 0 {
		d.heading(3, "Risk assessment", false, 0, d.tableStart(driverCols, drivers))
	}
	for _, x := range a.Risk.Rationale {
		d.para(x.Text + " " + d.cite(x.MessageIDs))
	}
	if len(drivers) > 0 {
		d.table(driverCols, drivers)
		f.SetY(f.GetY() - 2)
	}
	d.group("Mitigations", statementItems(a.Risk.Mitigations))
	d.group("The CSM on risk", findingItems(g.risks, false))
	for k, grp := range accountGroups {
		d.group(grp.title, findingItems(g.groups[k], false))
	}
	d.group(filesTitle, fileItems(a.Files))
	d.group("Other findings", findingItems(g.other, true))
	if e := a.IntroEmail; strings.TrimSpace(e.Subject+e.Body) != "" {
		cols, rows := boxTable("Draft introduction email", emailText(e))
		d.heading(3, "Introduction email (draft)", false, 0, d.tableStart(cols, rows))
		d.table(cols, rows)
		notes := make([]listItem, len(e.Notes))
		for k, n := range e.Notes {
			notes[k] = listItem{text: n}
		}
		f.SetY(f.GetY() - 2)
		d.group(emailNotesTitle, notes)
	}
}

func (d *pdfDoc) playbooks() {
	r := d.r
	d.section(secPlaybooks, 0)
	extra := portfolioExtra(r)
	if len(r.Playbooks) == 0 && len(extra) == 0 && len(r.PortfolioFiles) == 0 {
		d.note("No operational playbooks were captured.")
		return
	}
	for _, p := range r.Playbooks {
		d.heading(2, playbookTitle(p), false, 0, 0)
		for k, x := range p.Steps {
			d.bullet(fmt.Sprintf("%d. %s", k+1, x.Text), "", x.MessageIDs)
		}
		if len(p.Items) == 0 {
			d.note("Nothing was captured for this playbook.")
		}
		for _, x := range p.Items {
			d.bullet(x.Text, details(x), x.MessageIDs)
		}
	}
	if len(extra) > 0 {
		d.heading(2, "Other portfolio knowledge", false, 0, 0)
		for _, x := range extra {
			d.bullet(typeLabel(x.Type)+": "+x.Text, details(x), x.MessageIDs)
		}
	}
	if len(r.PortfolioFiles) > 0 {
		d.heading(2, filesTitle, false, 0, 0)
		for _, f := range r.PortfolioFiles {
			d.bullet(f.describe(), "", nil)
		}
	}
}

func (d *pdfDoc) decisions() {
	d.section(secDecisions, 0)
	if len(d.r.Decisions) == 0 {
		d.note("No decisions were recorded.")
	}
	for _, x := range d.r.Decisions {
		d.bullet(x.Text, details(x), x.MessageIDs)
	}
}

func (d *pdfDoc) feedback() {
	d.section(secFeedback, 0)
	if len(d.r.FeedbackThemes) == 0 {
		d.note("No product feedback was captured.")
	}
	for _, t := range d.r.FeedbackThemes {
		d.heading(3, orDash(t.Theme), false, 0, 0)
		if len(t.Customers) > 0 {
			d.text("Heard from: "+strings.Join(t.Customers, ", "), marginL, contentW, "I", sizeBody, lhBody, colMuted)
			d.f.SetY(d.f.GetY() + 1)
		}
		for _, x := range t.Statements {
			d.bullet(x.Text, details(x), x.MessageIDs)
		}
	}
}

func (d *pdfDoc) credentials() {
	cols := []column{{"Account", 32, "L"}, {"Kind", 22, "L"}, {"System", 32, "L"}, {"Where it was mentioned", 70, "L"},
		{"Source", 18, "L"}}
	rows := make([][]cell, len(d.r.Credentials))
	for i, x := range d.r.Credentials {
		c := credentialRow(x)
		rows[i] = []cell{{text: c.account}, {text: c.kind}, {text: c.system}, {text: x.Text}, d.source(x.MessageIDs)}
	}
	d.section(secCredentials, d.paraHeight(credentialsIntro)+d.tableStart(cols, rows))
	if len(rows) == 0 {
		d.note("No credentials were mentioned.")
		return
	}
	d.para(credentialsIntro)
	d.table(cols, rows)
}

// paraHeight is the height para takes for s.
func (d *pdfDoc) paraHeight(s string) float64 {
	d.font("", sizeBody)
	return float64(len(d.split(d.clean(s), contentW)))*lhBody + 1.5
}

func (d *pdfDoc) checklist() {
	r := d.r
	items := checklistOrder(r)
	done := rgb{46, 139, 87}
	rows := make([][]cell, len(items))
	for i, it := range items {
		status := cell{text: "Open"}
		if it.Done {
			status = cell{text: "Done", bold: true, colour: &done}
		}
		rows[i] = []cell{{text: accountLabel(it.Account)}, {text: it.Title}, {text: orDash(it.Owner)},
			{text: dueLabel(it)}, status, d.source(it.MessageIDs)}
	}
	cols := []column{{"Account", 30, "L"}, {"Task", 60, "L"}, {"Owner", 32, "L"}, {"Due date", 20, "L"},
		{"Status", 14, "L"}, {"Source", 18, "L"}}
	d.section(secChecklist, d.paraHeight(checklistIntro(r))+d.tableStart(cols, rows))
	if len(items) == 0 {
		d.note("No handover tasks were drawn up.")
		return
	}
	d.para(checklistIntro(r))
	d.table(cols, rows)
}

func (d *pdfDoc) contradictions() {
	cols := []column{{"Account", 34, "L"}, {"The CRM says", 56, "L"}, {"The CSM said", 66, "L"}, {"Source", 18, "L"}}
	rows := make([][]cell, len(d.r.Contradictions))
	for i, c := range d.r.Contradictions {
		rows[i] = []cell{{text: accountLabel(c.Account), bold: true}, {text: c.CRM}, {text: c.Stated}, d.source(c.MessageIDs)}
	}
	d.section(secContradictions, d.tableStart(cols, rows))
	if len(rows) == 0 {
		d.note("No contradictions between the CRM and the interview were found.")
		return
	}
	d.table(cols, rows)
}

func (d *pdfDoc) gaps() {
	cols := []column{{"Account", 38, "L"}, {"Topic", 36, "L"}, {"Suggested follow-up question", 100, "L"}}
	rows := make([][]cell, len(d.r.Gaps))
	for i, g := range d.r.Gaps {
		rows[i] = []cell{{text: accountLabel(g.Account)}, {text: topicLabel(g)}, {text: g.SuggestedQuestion}}
	}
	d.section(secGaps, d.paraHeight(gapsIntro)+d.tableStart(cols, rows))
	if len(rows) == 0 {
		d.note("No knowledge gaps: every topic was covered.")
		return
	}
	d.para(gapsIntro)
	d.table(cols, rows)
}

func (d *pdfDoc) corrections() {
	cols := []column{{"The CSM first said", 70, "L"}, {"Corrected to", 70, "L"}, {"Source", 34, "L"}}
	rows := make([][]cell, len(d.r.Corrections))
	for i, c := range d.r.Corrections {
		rows[i] = []cell{{text: c.Original}, {text: correctedText(c)}, d.source(c.MessageIDs)}
	}
	d.section(secCorrections, d.paraHeight(correctionsIntro)+d.tableStart(cols, rows))
	if len(rows) == 0 {
		d.note("The CSM corrected nothing.")
		return
	}
	d.para(correctionsIntro)
	d.table(cols, rows)
}

func (d *pdfDoc) transcript() {
	f := d.f
	d.section(secTranscript, 0)
	if len(d.r.Transcript) == 0 {
		d.note("The transcript is empty.")
		return
	}
	for _, m := range d.r.Transcript {
		d.room(lhBody*3 + 2)
		y := f.GetY()
		d.font("B", sizeBody)
		d.textColour(colHeading)
		f.SetXY(marginL, y)
		head := fmt.Sprintf("#%d  %s  %s", m.N, roleLabel(m.Role), stamp(m.CreatedAt))
		f.CellFormat(f.GetStringWidth(head)+4, lhBody, head, "", 0, "L", false, 0, "")
		if m.Account != "" {
			d.font("", sizeSmall)
			d.textColour(colMuted)
			rest := contentW - (f.GetX() - marginL)
			f.CellFormat(rest, lhBody, d.fit(d.clean(m.Account), rest), "", 0, "L", false, 0, "")
		}
		f.SetXY(marginL, y+lhBody+0.5)
		style := ""
		if m.Role != "csm" {
			style = "I"
		}
		d.text(strings.TrimSpace(m.Content), marginL+4, contentW-4, style, sizeBody, lhBody, colText)
		f.SetY(f.GetY() + 2.5)
	}
}
