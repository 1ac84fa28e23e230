package report

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// onePagers draws the section of one-page account summaries: each account on a page of its own, never
// more, so that a successor prints exactly their accounts' pages.
func (d *pdfDoc) onePagers() {
	d.section(secOnePagers, 0)
	if len(d.r.Accounts) == 0 {
		d.note(noAccounts)
		return
	}
	d.para(onePagersIntro)
	for i := range d.r.Accounts {
		d.newPage()
		d.onePager(i, &d.r.Accounts[i])
	}
}

// onePagerTitle is the title of an account's one-page summary, as its page and its bookmark show it.
func onePagerTitle(name string) string { return "Account summary: " + name }

// onePager draws one account's summary on the current page. Every block is cut to the room left on the
// page, keeping room for the blocks after it, and says what it left out and where to find it.
func (d *pdfDoc) onePager(i int, a *Account) {
	f := d.f
	b := briefOf(d.r, a)
	title := d.clean(onePagerTitle(a.Name))
	f.Bookmark(title, 1, -1)

	d.font("B", 15)
	d.textColour(colHeading)
	f.SetXY(marginL, marginT)
	f.CellFormat(contentW, 8, d.fit(title, contentW), "", 1, "L", false, 0, "")
	d.font("", sizeSmall)
	d.textColour(colMuted)
	full := fmt.Sprintf("Full notes: section %s, page %d. Sources such as [#12] are in the transcript (section %d).",
		strings.Fields(accountTitle(i, ""))[0], d.accountStart[i], secTranscript+1)
	f.SetX(marginL)
	f.CellFormat(contentW, 4, d.fit(full, contentW), "", 1, "L", false, 0, "")
	d.drawColour(colHeading)
	f.SetLineWidth(0.4)
	f.Line(marginL, f.GetY()+1, pageW-marginR, f.GetY()+1)
	f.SetY(f.GetY() + 4)

	// The account's facts in one row.
	renewal := orDash(deref(a.RenewalDate))
	if a.RenewalDate != nil {
		if t, err := time.Parse(time.DateOnly, *a.RenewalDate); err == nil {
			if n := int(t.Sub(d.r.today()).Hours() / 24); n >= 0 {
				renewal = shortDate(t) + " (" + inDays(n) + ")"
			} else {
				renewal = shortDate(t)
			}
		}
	}
	ready := "—"
	if a.Readiness != nil {
		ready = fmt.Sprintf("%d / 100", a.Readiness.Score)
		if a.Readiness.Blind {
			ready += ", blind"
		}
	}
	succ := orDash(a.successorLabel())
	fill, tc := riskColour(a.Risk.Level)
	cols := []column{{"ARR", 26, "R"}, {"Renewal", 40, "L"}, {"Risk", 30, "C"}, {"Readiness", 28, "L"}, {"Successor", 50, "L"}}
	d.table(cols, [][]cell{{{text: money(a.ARR), bold: true}, {text: renewal, bold: true},
		{text: fmt.Sprintf("%s, %d", levelLabel(a.Risk.Level), a.Risk.Score), bold: true, fill: &fill, colour: &tc},
		{text: ready, bold: true}, {text: d.fit(succ, 50)}}})

	// Blocks in order of importance, each at most a few items so that every block gets its share of the
	// page, and each keeping room for a heading and a line of every block after it.
	const blockMin = 5.5 + lhBody + 2
	more := "more in section " + strings.Fields(accountTitle(i, ""))[0]
	why := b.Why
	if len(why) > 3 {
		why = append(slices.Clone(why[:3]), fmt.Sprintf("… and %d more risk drivers in section %s", len(why)-3, strings.Fields(accountTitle(i, ""))[0]))
	}
	d.pagerList("Risk and why", append(why, prefixed("Do: ", b.Mitigations)...), 6, 4*blockMin, more)
	d.pagerPeople(b.Stakeholders, 8, 3*blockMin, more)
	promises := make([]string, len(b.Promises))
	for k, it := range b.Promises {
		promises[k] = taskLine(it)
	}
	d.pagerList("Promises open", promises, 4, 2*blockMin, more)
	steps := make([]string, len(b.NextSteps))
	for k, it := range b.NextSteps {
		steps[k] = taskLine(it)
	}
	d.pagerList("Next steps", steps, 6, blockMin, "more in the handover checklist (section "+fmt.Sprint(secChecklist+1)+")")
	d.pagerList("Where things live", b.Docs, 6, 0, more)
}

func prefixed(p string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = p + s
	}
	return out
}

// pagerHeading draws a block's title on a one-page summary.
func (d *pdfDoc) pagerHeading(title string) {
	f := d.f
	f.SetY(f.GetY() + 1.5)
	d.font("B", 10.5)
	d.textColour(colHeading)
	f.SetX(marginL)
	f.CellFormat(contentW, 5.5, title, "", 1, "L", false, 0, "")
	d.textColour(colText)
}

// pagerList draws a block of items of at most two lines each: at most most of them, and only as many as
// fit above reserve millimetres from the page's end; what is left out is counted on a last line, "and 3
// more in section 3.2". An empty block draws nothing.
func (d *pdfDoc) pagerList(title string, items []string, most int, reserve float64, more string) {
	if len(items) == 0 {
		return
	}
	f := d.f
	limit := pageEnd - reserve
	d.pagerHeading(title)
	for k, it := range items {
		if k == most {
			d.text(fmt.Sprintf("… and %d %s.", len(items)-k, more), marginL+5, contentW-5, "I", sizeSmall, lhSmall, colMuted)
			return
		}
		d.font("", sizeBody)
		lines := d.clip(d.clean(it), contentW-5, 2)
		h := float64(len(lines))*lhBody + 0.8
		// The last item may use the line a "more" note would need.
		if f.GetY()+h > limit-lhBody && (k < len(items)-1 || f.GetY()+h > limit) {
			d.text(fmt.Sprintf("… and %d %s.", len(items)-k, more), marginL+5, contentW-5, "I", sizeSmall, lhSmall, colMuted)
			return
		}
		d.textColour(colHeading)
		f.SetXY(marginL, f.GetY())
		f.CellFormat(5, lhBody, "•", "", 0, "L", false, 0, "")
		d.textColour(colText)
		for _, l := range lines {
			f.SetXY(marginL+5, f.GetY())
			f.CellFormat(contentW-5, lhBody, l, "", 1, "L", false, 0, "")
		}
		f.SetY(f.GetY() + 0.8)
	}
}

// pagerPeople draws the stakeholders as a table of one line a person: at most most of them, and only
// as many as fit.
func (d *pdfDoc) pagerPeople(people []stakeholder, most int, reserve float64, more string) {
	if len(people) == 0 {
		return
	}
	f := d.f
	limit := pageEnd - reserve
	d.pagerHeading("Stakeholders")
	cols := d.fitColumns([]column{{"Name", 38, "L"}, {"Role", 34, "L"}, {"Relationship", 28, "L"}, {"Sentiment", 22, "L"},
		{"Channel and notes", 52, "L"}})
	rowH := lhTable + 2*cellPadY
	fitN := min(most, int((limit-f.GetY()-rowH-lhBody)/rowH))
	shown := people
	if len(people) > fitN {
		shown = people[:max(fitN, 0)]
	}
	if len(shown) > 0 {
		head := make([][]string, len(cols))
		for k, c := range cols {
			head[k] = []string{c.title}
		}
		d.drawRow(cols, head, nil, 0, 1, rowH, &colHeadFill, true)
	}
	for k, p := range shown {
		row := []cell{{text: p.name, bold: true}, {text: p.role}, {text: p.relationship}, {text: p.sentiment}, {text: p.notes}}
		lines := make([][]string, len(cols))
		for c := range cols {
			d.cellFont(row[c].bold, false)
			lines[c] = []string{d.fit(d.clean(row[c].text), cols[c].width)}
		}
		var fill *rgb
		if k%2 == 1 {
			fill = &colZebra
		}
		d.drawRow(cols, lines, row, 0, 1, rowH, fill, false)
	}
	if n := len(people) - len(shown); n > 0 {
		f.SetY(f.GetY() + 0.5)
		d.text(fmt.Sprintf("… and %d %s.", n, more), marginL+5, contentW-5, "I", sizeSmall, lhSmall, colMuted)
	}
	f.SetY(f.GetY() + 1)
}

// clip wraps s to width w in the current font and keeps at most n lines, the last one ending in an
// ellipsis when text was cut.
func (d *pdfDoc) clip(s string, w float64, n int) []string {
	lines := d.split(s, w)
	if len(lines) <= n {
		return lines
	}
	lines = lines[:n]
	lines[n-1] = d.fit(lines[n-1]+" …", w)
	if !strings.HasSuffix(lines[n-1], "…") {
		lines[n-1] += " …"
	}
	return lines
}
