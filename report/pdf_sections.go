package report

import (
	"fmt"
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
	d.heading(3, "At a glance", false, 0, 0)
	for _, s := range atAGlance(r) {
		d.bullet(s, "", nil)
	}
	if len(r.SummaryPoints) > 0 {
		d.heading(3, "Key points", false, 0, 0)
		for _, p := range r.SummaryPoints {
			d.bullet(p.Text, "", p.MessageIDs)
		}
	}
}

func (d *pdfDoc) matrix() {
	r := d.r
	d.section(secMatrix, 0)
	if len(r.Accounts) == 0 {
		d.note(noAccounts)
		return
	}
	d.para(matrixIntro())
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
	d.para(accountsIntro)
	for i := range r.Accounts {
		if i > 0 {
			d.newPage()
		}
		d.account(i, &r.Accounts[i])
	}
}

func (d *pdfDoc) account(i int, a *Account) {
	f := d.f
	d.heading(1, accountTitle(i, d.clean(a.Name)), true, 1, 0)
	d.text(accountMeta(a), marginL, contentW, "", sizeSmall+0.5, lhSmall+0.3, colMuted)
	f.SetY(f.GetY() + 2)

	// The risk badge: the level in its colour, the score beside it.
	fill, tc := riskColour(a.Risk.Level)
	y := f.GetY()
	d.fillColour(fill)
	f.Rect(marginL, y, 34, 7, "F")
	d.font("B", 9.5)
	d.textColour(tc)
	f.SetXY(marginL, y+1)
	f.CellFormat(34, 5, strings.ToUpper(levelLabel(a.Risk.Level))+" RISK", "", 0, "C", false, 0, "")
	d.font("B", 10)
	d.textColour(colText)
	f.SetXY(marginL+36, y+1)
	f.CellFormat(30, 5, fmt.Sprintf("Score %d / 100", a.Risk.Score), "", 0, "L", false, 0, "")
	f.SetY(y + 10)
	if n := readBackNote(a); n != "" {
		d.note(n)
	}

	g := groupAccount(a)
	if len(a.Overview) > 0 {
		d.heading(3, "Overview", false, 0, 0)
		for _, s := range a.Overview {
			d.bullet(s.Text, "", s.MessageIDs)
		}
	}
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

	driverCols := []column{{"Driver", 134, "L"}, {"Points", 18, "R"}, {"Source", 22, "L"}}
	drivers := make([][]cell, len(a.Risk.Drivers))
	for j, dr := range a.Risk.Drivers {
		drivers[j] = []cell{{text: dr.Text}, {text: fmt.Sprintf("+%d", dr.Points)}, d.source(dr.MessageIDs)}
	}
	d.heading(3, "Risk assessment", false, 0, lhBody+1.5+d.tableStart(driverCols, drivers))
	d.para(fmt.Sprintf("Level %s, score %d of 100.", levelLabel(a.Risk.Level), a.Risk.Score))
	for _, x := range a.Risk.Rationale {
		d.para(x.Text + " " + d.cite(x.MessageIDs))
	}
	if len(drivers) > 0 {
		d.table(driverCols, drivers)
	} else {
		d.note("No risk drivers were found.")
	}
	if len(a.Risk.Mitigations) > 0 {
		d.f.SetY(d.f.GetY() + 1)
		d.room(3 * lhBody) // the label stays with its first item
		d.text("Mitigations", marginL, contentW, "B", sizeBody, lhBody, colText)
		for _, m := range a.Risk.Mitigations {
			d.bullet(m.Text, "", m.MessageIDs)
		}
	}
	if len(g.risks) > 0 {
		d.f.SetY(d.f.GetY() + 1)
		d.room(3 * lhBody) // the label stays with its first item
		d.text("What the CSM said about risk", marginL, contentW, "B", sizeBody, lhBody, colText)
		for _, x := range g.risks {
			d.bullet(x.Text, details(x), x.MessageIDs)
		}
	}

	for k, grp := range accountGroups {
		if len(g.groups[k]) == 0 {
			continue
		}
		d.heading(3, grp.title, false, 0, 0)
		for _, x := range g.groups[k] {
			d.bullet(x.Text, details(x), x.MessageIDs)
		}
	}
	if len(g.other) > 0 {
		d.heading(3, "Other findings", false, 0, 0)
		for _, x := range g.other {
			d.bullet(typeLabel(x.Type)+": "+x.Text, details(x), x.MessageIDs)
		}
	}
	if e := a.IntroEmail; strings.TrimSpace(e.Subject+e.Body) != "" {
		cols, rows := boxTable("Draft introduction email", emailText(e))
		d.heading(3, "Introduction email (draft)", false, 0, d.tableStart(cols, rows))
		d.table(cols, rows)
		if len(e.Notes) > 0 {
			d.f.SetY(d.f.GetY() + 1)
			d.room(3 * lhBody) // the label stays with its first note
			d.text(emailNotesTitle, marginL, contentW, "B", sizeBody, lhBody, colText)
			for _, n := range e.Notes {
				d.bullet(n, "", nil)
			}
		}
	}
}

func (d *pdfDoc) playbooks() {
	r := d.r
	d.section(secPlaybooks, 0)
	extra := portfolioExtra(r)
	if len(r.Playbooks) == 0 && len(extra) == 0 {
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
	d.section(secChecklist, 0)
	items := checklistOrder(r)
	if len(items) == 0 {
		d.note("No handover tasks were drawn up.")
		return
	}
	d.para(checklistIntro(r))
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
	d.table([]column{{"Account", 30, "L"}, {"Task", 60, "L"}, {"Owner", 32, "L"}, {"Due date", 20, "L"},
		{"Status", 14, "L"}, {"Source", 18, "L"}}, rows)
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
