package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jung-kurt/gofpdf"
)

// PDF renders r as an A4 document: a cover, a table of contents, the sections in the order of
// sectionTitles, and the transcript as an appendix. Every statement cites the transcript numbers it
// rests on. Text the embedded Go fonts cannot draw (emoji, CJK, control characters) is replaced with a
// visible substitute first, so captured text never makes rendering fail; a panic inside the PDF library
// comes back as an error. The same Report gives the same bytes.
func PDF(r *Report, w io.Writer) (err error) {
	if r == nil {
		return fmt.Errorf("report pdf: no report")
	}
	glyphs, err := fontCoverage()
	if err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	// gofpdf reports some failures by panicking (and the workers that call this must survive them).
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("report pdf: render failed: %v", p)
		}
	}()
	d := newPDFDoc(r, glyphs)
	d.render()
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	// Output into memory first so a failure never leaves half a document in w.
	var buf bytes.Buffer
	buf.Grow(256 << 10)
	if err := d.f.Output(&buf); err != nil {
		return fmt.Errorf("report pdf: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("report pdf: write: %w", err)
	}
	return nil
}

// Page geometry in millimetres.
const (
	pageW    = 210.0
	pageH    = 297.0
	marginL  = 18.0
	marginR  = 18.0
	marginT  = 22.0
	marginB  = 18.0
	contentW = pageW - marginL - marginR
	pageEnd  = pageH - marginB // lowest y content may reach
)

// Font sizes in points and line heights in millimetres.
const (
	sizeBody  = 9.5
	sizeSmall = 8.0
	sizeTable = 8.5
	lhBody    = 4.6
	lhSmall   = 3.9
	lhTable   = 4.0
	cellPadY  = 1.2
)

type rgb struct{ r, g, b int }

var (
	colText     = rgb{33, 37, 41}
	colMuted    = rgb{108, 117, 125}
	colHeading  = rgb{23, 52, 92}
	colRule     = rgb{200, 208, 218}
	colHeadFill = rgb{226, 233, 242}
	colZebra    = rgb{247, 249, 251}
	colBoxFill  = rgb{244, 247, 250}
	colWarnFill = rgb{253, 242, 233}
	colWarnLine = rgb{214, 120, 60}
	colWhite    = rgb{255, 255, 255}
	colLink     = rgb{13, 82, 160}
)

// riskColour is the fill of a risk level's cell and the text colour that reads on it.
func riskColour(level string) (fill, text rgb) {
	switch strings.ToLower(level) {
	case "low":
		return rgb{46, 139, 87}, colWhite
	case "medium":
		return rgb{245, 176, 0}, colText
	case "high":
		return rgb{230, 81, 0}, colWhite
	case "critical":
		return rgb{139, 0, 0}, colWhite
	}
	return rgb{173, 181, 189}, colText
}

// tocEntry is a line of the table of contents, a bookmark and an internal link target.
type tocEntry struct {
	level int
	title string
	page  int
	link  int
}

// pdfDoc is one rendering in progress.
type pdfDoc struct {
	r     *Report
	f     *gofpdf.Fpdf
	g     *glyphSet
	csm   string // cleaned
	toc   []tocEntry
	tocN  int // pages reserved for the table of contents
	style string
	size  float64
	// accountStart is the page each account's section starts on, for its one-page summary to point to.
	accountStart []int
}

func newPDFDoc(r *Report, g *glyphSet) *pdfDoc {
	f := gofpdf.New("P", "mm", "A4", "")
	d := &pdfDoc{r: r, f: f, g: g}
	d.csm = d.clean(r.Interview.CSMName)
	if strings.TrimSpace(d.csm) == "" {
		d.csm = "departing CSM"
	}
	f.SetCatalogSort(true)
	f.SetCreationDate(r.GeneratedAt)
	f.SetModificationDate(r.GeneratedAt)
	f.SetCompression(true)
	f.AliasNbPages(nbAlias)
	for _, ft := range goFonts {
		// gofpdf writes into the bytes it is given while subsetting (getMetrics appends to a slice of
		// them for glyphs past numberOfHMetrics: every glyph of Go Mono). Handing it the shared
		// gofont slices would corrupt them for the whole process, race between concurrent renders and
		// make the output depend on what was rendered before; a private copy per document costs ~0.1 ms.
		f.AddUTF8FontFromBytes(ft.family, ft.style, bytes.Clone(ft.ttf))
	}
	f.SetTitle(d.clean("Knowledge transfer: "+d.csm), true)
	f.SetAuthor("exitinterview", true)
	f.SetCreator("exitinterview", true)
	f.SetSubject("Confidential knowledge-transfer report", true)
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB) // every break is decided here, so headings and rows never split badly
	f.SetCellMargin(1.5)
	f.SetHeaderFuncMode(d.header, true)
	f.SetFooterFunc(d.footer)
	return d
}

// nbAlias stands for the page count until the document is closed. It uses a private-use character,
// which clean replaces in captured text, so no answer can contain it by accident.
const nbAlias = "\ue000nb\ue000"

func (d *pdfDoc) header() {
	if d.f.PageNo() == 1 {
		return
	}
	// gofpdf restores the body's font after the header and footer: so must the font cache.
	defer d.keepFont()()
	d.font("I", sizeSmall)
	d.textColour(colMuted)
	d.f.SetXY(marginL, 10)
	d.f.CellFormat(contentW*0.7, 5, d.fit("Confidential — knowledge transfer of "+d.csm, contentW*0.7), "", 0, "L", false, 0, "")
	d.f.SetXY(marginL+contentW*0.7, 10)
	d.f.CellFormat(contentW*0.3, 5, d.r.GeneratedAt.UTC().Format("2006-01-02"), "", 0, "R", false, 0, "")
	d.drawColour(colRule)
	d.f.SetLineWidth(0.2)
	d.f.Line(marginL, 15.5, pageW-marginR, 15.5)
	d.textColour(colText)
}

func (d *pdfDoc) footer() {
	defer d.keepFont()()
	d.font("", sizeSmall)
	d.textColour(colMuted)
	n := d.f.PageNo()
	// The alias is replaced after layout, so centre on an estimate of the final text.
	est := d.f.GetStringWidth(fmt.Sprintf("Page %d of %d", n, n))
	d.f.SetXY(pageW/2-est/2-1.5, pageH-11)
	d.f.CellFormat(est+10, 4, fmt.Sprintf("Page %d of %s", n, nbAlias), "", 0, "L", false, 0, "")
	d.textColour(colText)
}

// font selects a font only when it changes: gofpdf writes every selection into the page.
func (d *pdfDoc) font(style string, size float64) {
	if style == d.style && size == d.size {
		return
	}
	d.style, d.size = style, size
	if style == "M" {
		d.f.SetFont("gomono", "", size)
		return
	}
	d.f.SetFont("go", style, size)
}

// keepFont returns a function that restores the font cache to what it is now.
func (d *pdfDoc) keepFont() func() {
	style, size := d.style, d.size
	return func() { d.style, d.size = style, size }
}

// forceFont makes the next font call write its selection (after switching pages by hand).
func (d *pdfDoc) forceFont() { d.style, d.size = "?", 0 }

func (d *pdfDoc) textColour(c rgb) { d.f.SetTextColor(c.r, c.g, c.b) }
func (d *pdfDoc) fillColour(c rgb) { d.f.SetFillColor(c.r, c.g, c.b) }
func (d *pdfDoc) drawColour(c rgb) { d.f.SetDrawColor(c.r, c.g, c.b) }

func (d *pdfDoc) newPage() {
	d.f.AddPage()
	d.f.SetXY(marginL, marginT)
}

// room starts a new page unless h millimetres fit below the current position.
func (d *pdfDoc) room(h float64) {
	if d.f.GetY()+h > pageEnd {
		d.newPage()
	}
}

// fit shortens s with an ellipsis until it is at most w wide in the current font.
func (d *pdfDoc) fit(s string, w float64) string {
	w -= 2 * d.f.GetCellMargin()
	if d.f.GetStringWidth(s) <= w {
		return s
	}
	// The longest prefix that fits with the ellipsis, found by bisection (names can be very long).
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.f.GetStringWidth(string(rs[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimSpace(string(rs[:lo])) + "…"
}

// split wraps cleaned text to width w in the current font; it always returns at least one line. An
// e-mail address too long for the width breaks after its "@" rather than anywhere.
func (d *pdfDoc) split(s string, w float64) []string {
	if strings.IndexByte(s, '@') >= 0 {
		words := strings.Split(s, " ")
		for i, word := range words {
			if at := strings.IndexByte(word, '@'); at > 0 && at < len(word)-1 && d.f.GetStringWidth(word) > w-2*d.f.GetCellMargin() {
				words[i] = word[:at+1] + "\n" + word[at+1:]
			}
		}
		s = strings.Join(words, " ")
	}
	lines := d.f.SplitText(s, w)
	if len(lines) == 0 {
		return []string{""}
	}
	return lines
}

// render lays out the whole document.
func (d *pdfDoc) render() {
	d.tocN = d.tocPages()
	d.cover()
	for i := 0; i < d.tocN; i++ {
		d.newPage()
		if i == 0 {
			d.f.Bookmark("Contents", 0, marginT)
		}
	}
	d.summary()
	d.matrix()
	d.accounts()
	d.playbooks()
	d.decisions()
	d.feedback()
	d.credentials()
	d.checklist()
	d.contradictions()
	d.gaps()
	d.corrections()
	d.onePagers()
	d.transcript()
	d.drawTOC()
}

// sectionTitles are the report's top-level sections in reading order; the PDF and the Markdown both
// follow it.
var sectionTitles = []string{
	"Executive summary",
	"Portfolio risk matrix",
	"Accounts",
	"Operational playbooks",
	"Decision rationale",
	"Product feedback themes",
	"Credentials to move into a vault",
	"Handover checklist",
	"CRM contradictions",
	"Knowledge gaps",
	"Corrections by the CSM",
	"Account summaries to print",
	"Appendix: transcript",
}

const (
	secSummary = iota
	secMatrix
	secAccounts
	secPlaybooks
	secDecisions
	secFeedback
	secCredentials
	secChecklist
	secContradictions
	secGaps
	secCorrections
	secOnePagers
	secTranscript
)

// sectionTitle is a section's numbered title, as the TOC, the heading and the bookmark show it.
func sectionTitle(i int) string { return fmt.Sprintf("%d. %s", i+1, sectionTitles[i]) }

// accountTitle is an account's numbered title.
func accountTitle(i int, name string) string {
	return fmt.Sprintf("%d.%d %s", secAccounts+1, i+1, name)
}

// cover draws page 1.
func (d *pdfDoc) cover() {
	r := d.r
	d.newPage()
	f := d.f
	d.fillColour(colHeading)
	f.Rect(0, 0, pageW, 8, "F")

	f.SetXY(marginL, 48)
	d.font("B", 11)
	d.textColour(colMuted)
	f.CellFormat(contentW, 6, "KNOWLEDGE-TRANSFER REPORT", "", 1, "L", false, 0, "")
	f.SetX(marginL)
	d.font("B", 24)
	d.textColour(colHeading)
	for _, l := range d.split(d.clean("Knowledge transfer: "+d.csm), contentW) {
		f.SetX(marginL)
		f.CellFormat(contentW, 11, l, "", 1, "L", false, 0, "")
	}
	d.drawColour(colHeading)
	f.SetLineWidth(0.6)
	y := f.GetY() + 4
	f.Line(marginL, y, marginL+40, y)

	person := func(name, email string) string {
		name, email = strings.TrimSpace(name), strings.TrimSpace(email)
		switch {
		case name == "" && email == "":
			return "—"
		case email == "":
			return name
		case name == "":
			return email
		}
		return name + " <" + email + ">"
	}
	rows := [][2]string{
		{"Departing CSM", person(r.Interview.CSMName, r.Interview.CSMEmail)},
		{"Manager", person(r.Interview.ManagerName, r.Interview.ManagerEmail)},
		{"Departure date", orDash(r.Interview.DepartureDate)},
		{"Generated at", r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")},
		{"Engine", orDash(engineLabel(r.Engine))},
		{"Interview coverage", fmt.Sprintf("%d %%", r.Interview.CoveragePercent)},
		{"Accounts", fmt.Sprintf("%d", len(r.Accounts))},
	}
	if r.Version > 0 {
		rows = append(rows, [2]string{"Report version", fmt.Sprintf("%d", r.Version)})
	}
	y += 10
	for _, kv := range rows {
		f.SetXY(marginL, y)
		d.font("", 10)
		d.textColour(colMuted)
		f.CellFormat(45, 7, kv[0], "", 0, "L", false, 0, "")
		d.font("B", 10.5)
		d.textColour(colText)
		f.CellFormat(contentW-45, 7, d.fit(d.clean(kv[1]), contentW-45), "", 0, "L", false, 0, "")
		if kv[0] == "Interview coverage" {
			// A small bar beside the number makes the coverage readable at a glance.
			x := marginL + 45 + 18
			pct := clamp(float64(r.Interview.CoveragePercent), 0, 100)
			d.fillColour(colHeadFill)
			f.Rect(x, y+2, 60, 3, "F")
			d.fillColour(colHeading)
			f.Rect(x, y+2, 60*pct/100, 3, "F")
		}
		y += 8
	}
	if note := r.IncompleteNote(); note != "" {
		y += 4
		d.font("B", 10.5)
		d.textColour(colWarnLine)
		for _, l := range d.split(d.clean(note), contentW) {
			f.SetXY(marginL, y)
			f.CellFormat(contentW, 6, l, "", 0, "L", false, 0, "")
			y += 6
		}
	}

	// The confidentiality notice sits at the foot of the cover.
	d.font("", 9)
	text := d.clean("This report holds customer information and personal data captured in the exit interview of " +
		d.csm + ". Share it only with the manager and the successors taking over these accounts, and do not " +
		"forward it outside the company. Credentials mentioned in the interview were removed before anything " +
		"was stored; section 7 lists where they must be moved into a vault.")
	lines := d.split(text, contentW-8)
	h := 9 + float64(len(lines))*lhBody + 3
	top := pageEnd - 10 - h
	d.fillColour(colWarnFill)
	d.drawColour(colWarnLine)
	f.SetLineWidth(0.4)
	f.Rect(marginL, top, contentW, h, "FD")
	f.SetXY(marginL+4, top+3)
	d.font("B", 10)
	d.textColour(colWarnLine)
	f.CellFormat(contentW-8, 5, "CONFIDENTIAL", "", 0, "L", false, 0, "")
	d.font("", 9)
	d.textColour(colText)
	for i, l := range lines {
		f.SetXY(marginL+4, top+9+float64(i)*lhBody)
		f.CellFormat(contentW-8, lhBody, l, "", 0, "L", false, 0, "")
	}
}

func engineLabel(e string) string {
	if e == "offline" {
		return "offline (built-in rules, no model)"
	}
	return e
}

// Table of contents: line height and the room its title takes on its first page.
const (
	tocLH     = 6.2
	tocTitleH = 16.0
)

// tocPerPage is how many entries fit on the first and on each later page of the contents.
func tocPerPage() (first, later int) {
	h1, h2 := pageEnd-marginT-tocTitleH, pageEnd-marginT
	return int(h1 / tocLH), int(h2 / tocLH)
}

// tocPages is how many pages the table of contents needs: one line per section and per account.
func (d *pdfDoc) tocPages() int {
	n := len(sectionTitles) + len(d.r.Accounts)
	first, later := tocPerPage()
	pages := 1
	for n -= first; n > 0; n -= later {
		pages++
	}
	return pages
}

// drawTOC writes the table of contents onto the pages reserved after the cover, now that every
// section's page is known.
func (d *pdfDoc) drawTOC() {
	f := d.f
	last := f.PageNo()
	page := 2
	f.SetPage(page)
	d.forceFont()
	d.font("B", 16)
	d.textColour(colHeading)
	f.SetXY(marginL, marginT)
	f.CellFormat(contentW, 9, "Contents", "", 0, "L", false, 0, "")
	y := marginT + tocTitleH
	for _, e := range d.toc {
		if y+tocLH > pageEnd {
			if page == 1+d.tocN {
				break // cannot happen: tocPages counted these lines
			}
			page++
			f.SetPage(page)
			d.forceFont()
			y = marginT
		}
		indent := float64(e.level) * 7
		if e.level == 0 {
			d.font("B", 10)
		} else {
			d.font("", 9.5)
		}
		d.textColour(colText)
		num := fmt.Sprintf("%d", e.page)
		numW := 14.0
		titleW := contentW - indent - numW
		title := d.fit(e.title, titleW)
		tw := f.GetStringWidth(title) + 2*f.GetCellMargin()
		f.SetXY(marginL+indent, y)
		f.CellFormat(tw, tocLH, title, "", 0, "L", false, 0, "")
		// Dot leaders between the title and its page number.
		d.textColour(colRule)
		dotW := f.GetStringWidth(".")
		if gap := titleW - tw; gap > 3*dotW {
			f.CellFormat(gap, tocLH, strings.Repeat(".", int(gap/dotW)-1), "", 0, "R", false, 0, "")
		}
		d.textColour(colText)
		f.SetXY(pageW-marginR-numW, y)
		f.CellFormat(numW, tocLH, num, "", 0, "R", false, 0, "")
		f.Link(marginL+indent, y, contentW-indent, tocLH, e.link)
		y += tocLH
	}
	f.SetPage(last)
	d.forceFont()
}

// heading draws a section (level 1), subsection (2) or sub-subsection (3) title, keeping it on the
// same page as what follows it: after millimetres of it (the start of a table), or else the first lines.
// toc adds it to the contents and the outline at outline level tocLevel.
func (d *pdfDoc) heading(level int, title string, toc bool, tocLevel int, after float64) {
	f := d.f
	title = d.clean(title)
	var size, lh, before, keep float64
	switch level {
	case 1:
		size, lh, before, keep = 15, 8, 2, 24
	case 2:
		size, lh, before, keep = 12, 6.5, 4, 18
	default:
		size, lh, before, keep = 10.5, 5.5, 3, 14
	}
	if f.GetY() > marginT+0.1 {
		f.SetY(f.GetY() + before)
	}
	d.font("B", size)
	lines := d.split(title, contentW)
	keep = min(max(keep, after), pageEnd-marginT-float64(len(lines))*lh-4)
	d.room(float64(len(lines))*lh + keep)
	if toc {
		link := f.AddLink()
		f.SetLink(link, f.GetY(), f.PageNo())
		f.Bookmark(title, tocLevel, -1)
		d.toc = append(d.toc, tocEntry{level: tocLevel, title: title, page: f.PageNo(), link: link})
	}
	d.textColour(colHeading)
	for _, l := range lines {
		f.SetX(marginL)
		f.CellFormat(contentW, lh, l, "", 1, "L", false, 0, "")
	}
	if level == 1 {
		d.drawColour(colHeading)
		f.SetLineWidth(0.4)
		f.Line(marginL, f.GetY()+0.5, pageW-marginR, f.GetY()+0.5)
		f.SetY(f.GetY() + 3)
	} else {
		f.SetY(f.GetY() + 1)
	}
	d.textColour(colText)
}

// section starts a top-level section: the summary, the accounts and the appendix on a new page, the
// others below the previous section, kept with after millimetres of what follows.
func (d *pdfDoc) section(i int, after float64) {
	switch i {
	case secSummary, secAccounts, secTranscript:
		d.newPage()
	default:
		d.f.SetY(d.f.GetY() + 6)
	}
	d.heading(1, sectionTitle(i), true, 0, after)
}

// text cleans s and draws it wrapped to w at x, breaking pages between lines.
func (d *pdfDoc) text(s string, x, w float64, style string, size, lh float64, c rgb) {
	f := d.f
	d.font(style, size)
	d.textColour(c)
	for _, l := range d.split(d.clean(s), w) {
		if l == "" { // a blank line between paragraphs needs less than a full line
			f.SetY(f.GetY() + lh/2)
			continue
		}
		if f.GetY()+lh > pageEnd {
			d.newPage()
			d.font(style, size)
			d.textColour(c)
		}
		f.SetXY(x, f.GetY())
		f.CellFormat(w, lh, l, "", 1, "L", false, 0, "")
	}
	d.textColour(colText)
}

// para draws a paragraph of body text and a little space after it.
func (d *pdfDoc) para(s string) {
	d.text(s, marginL, contentW, "", sizeBody, lhBody, colText)
	d.f.SetY(d.f.GetY() + 1.5)
}

// note is the one line an empty section shows.
func (d *pdfDoc) note(s string) {
	d.text(s, marginL, contentW, "I", sizeBody, lhBody, colMuted)
	d.f.SetY(d.f.GetY() + 1.5)
}

// bullet draws a list item with its citation and, below it, an optional muted detail line.
func (d *pdfDoc) bullet(s, detail string, ids []string) {
	d.bulletAt(marginL, contentW, s, detail, ids)
}

// bulletAt draws a list item in the column of width w at x.
func (d *pdfDoc) bulletAt(x, w float64, s, detail string, ids []string) {
	f := d.f
	if c := d.cite(ids); c != "" {
		s += " " + c
	}
	d.font("", sizeBody)
	lines := d.split(d.clean(s), w-5)
	need := float64(len(lines)) * lhBody
	if detail != "" {
		d.font("", sizeSmall)
		need += float64(len(d.split(d.clean(detail), w-5))) * lhSmall
		d.font("", sizeBody)
	}
	d.room(min(need, 4*lhBody)) // short items stay whole; long ones start with a few lines at least
	d.textColour(colHeading)
	f.SetXY(x, f.GetY())
	f.CellFormat(5, lhBody, "•", "", 0, "L", false, 0, "")
	d.textColour(colText)
	for i, l := range lines {
		if i > 0 && f.GetY()+lhBody > pageEnd {
			d.newPage()
			d.font("", sizeBody)
		}
		f.SetXY(x+5, f.GetY())
		f.CellFormat(w-5, lhBody, l, "", 1, "L", false, 0, "")
	}
	if detail != "" {
		d.text(detail, x+5, w-5, "", sizeSmall, lhSmall, colMuted)
	}
	f.SetY(f.GetY() + 1.2)
}

// cite formats message ids as transcript numbers: "[#12, #15]".
func (d *pdfDoc) cite(ids []string) string { return citation(d.r, ids, ", ") }

// clean replaces what the fonts cannot draw.
func (d *pdfDoc) clean(s string) string { return d.g.clean(s) }

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// stamp is a time as the report prints it.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// citation formats message ids as transcript numbers, sorted and without repeats: "[#12, #15]", or ""
// when none of them is in the transcript.
func citation(r *Report, ids []string, sep string) string {
	ns := r.Numbers(ids)
	if len(ns) == 0 {
		return ""
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range ns {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteByte('#')
		b.WriteString(strconv.Itoa(n))
	}
	b.WriteByte(']')
	return b.String()
}
