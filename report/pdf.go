package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// PDF renders r as an A4 document (SPEC §6): a cover, a table of contents, the sections in the order of
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

// section starts a top-level section: the long ones on a new page, the short ones below the previous
// section, kept with after millimetres of what follows.
func (d *pdfDoc) section(i int, after float64) {
	switch i {
	case secDecisions, secFeedback, secCredentials, secContradictions, secGaps:
		d.f.SetY(d.f.GetY() + 6)
	default:
		d.newPage()
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
	f := d.f
	if c := d.cite(ids); c != "" {
		s += " " + c
	}
	d.font("", sizeBody)
	lines := d.split(d.clean(s), contentW-5)
	need := float64(len(lines)) * lhBody
	if detail != "" {
		d.font("", sizeSmall)
		need += float64(len(d.split(d.clean(detail), contentW-5))) * lhSmall
		d.font("", sizeBody)
	}
	d.room(min(need, 4*lhBody)) // short items stay whole; long ones start with a few lines at least
	d.textColour(colHeading)
	f.SetXY(marginL, f.GetY())
	f.CellFormat(5, lhBody, "•", "", 0, "L", false, 0, "")
	d.textColour(colText)
	for i, l := range lines {
		if i > 0 && f.GetY()+lhBody > pageEnd {
			d.newPage()
			d.font("", sizeBody)
		}
		f.SetXY(marginL+5, f.GetY())
		f.CellFormat(contentW-5, lhBody, l, "", 1, "L", false, 0, "")
	}
	if detail != "" {
		d.text(detail, marginL+5, contentW-5, "", sizeSmall, lhSmall, colMuted)
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

// goFonts are the embedded fonts: Go fonts cover Latin with diacritics, Cyrillic and Greek (WGL4).
var goFonts = []struct {
	family, style string
	ttf           []byte
}{
	{"go", "", goregular.TTF},
	{"go", "B", gobold.TTF},
	{"go", "I", goitalic.TTF},
	{"gomono", "", gomono.TTF},
}

// glyphSet is the set of runes every embedded font can draw (gofpdf handles only the Basic
// Multilingual Plane), and the visible character that stands in for the others.
type glyphSet struct {
	bits       [0x10000 / 64]uint64
	substitute rune
}

// fontCoverage parses the fonts once per process; the set is read-only afterwards.
var fontCoverage = sync.OnceValues(func() (*glyphSet, error) {
	g := &glyphSet{}
	for i := range g.bits {
		g.bits[i] = ^uint64(0)
	}
	var buf sfnt.Buffer
	for _, ft := range goFonts {
		font, err := sfnt.Parse(ft.ttf)
		if err != nil {
			return nil, fmt.Errorf("parse font %s %s: %w", ft.family, ft.style, err)
		}
		for r := rune(0); r < 0x10000; r++ {
			if !g.has(r) {
				continue
			}
			if i, err := font.GlyphIndex(&buf, r); err != nil || i == 0 {
				g.bits[r>>6] &^= 1 << (r & 63)
			}
		}
	}
	// Control characters have glyphs in some fonts but must never reach the page.
	for r := rune(0); r < 0x20; r++ {
		g.bits[r>>6] &^= 1 << (r & 63)
	}
	for r := rune(0x7f); r < 0xa0; r++ {
		g.bits[r>>6] &^= 1 << (r & 63)
	}
	g.substitute = '?'
	if g.has('□') {
		g.substitute = '□'
	}
	for _, r := range "•—…·–" {
		if !g.has(r) {
			return nil, fmt.Errorf("font lacks %q", r)
		}
	}
	return g, nil
})

func (g *glyphSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && g.bits[r>>6]&(1<<(r&63)) != 0
}

// keep reports whether clean leaves r as it is.
func (g *glyphSet) keep(r rune) bool { return r == '\n' || g.has(r) }

// clean returns s with every rune the fonts cannot draw replaced: line breaks are normalised to
// "\n", tabs become spaces, invisible joiners and variation selectors (the tails of emoji sequences)
// and unsupported combining marks are dropped, unknown spaces become spaces, and everything else the
// fonts lack (emoji, CJK, control characters, invalid UTF-8) becomes the substitute. Text that needs
// nothing is returned as it is, without allocating.
func (g *glyphSet) clean(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c < 0x7f || c == '\n' {
				i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || !g.keep(r) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	rest := s[i:]
	for j := 0; j < len(rest); {
		r, n := utf8.DecodeRuneInString(rest[j:])
		j += n
		switch {
		case r == utf8.RuneError && n <= 1:
			b.WriteRune(g.substitute)
		case g.keep(r):
			b.WriteRune(r)
		case r == '\r':
			if j < len(rest) && rest[j] == '\n' {
				continue
			}
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case invisible(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
			// Drawn as nothing by any font: dropping them keeps "👍🏽" one substitute, not two.
		case unicode.Is(unicode.Zs, r) || r == '\u2028' || r == '\u2029':
			if r == '\u2028' || r == '\u2029' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		default:
			b.WriteRune(g.substitute)
		}
	}
	return b.String()
}

// invisible runes are formatting characters with no glyph of their own.
func invisible(r rune) bool {
	switch {
	case r >= 0x200b && r <= 0x200f, r >= 0x2060 && r <= 0x2064, r == 0xfeff, r == 0x00ad:
		return true
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef: // variation selectors
		return true
	case r >= 0x1f3fb && r <= 0x1f3ff: // skin-tone modifiers
		return true
	case r >= 0xe0000 && r <= 0xe007f: // tag characters of flag sequences
		return true
	}
	return false
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

// column is a table column; widths add up to contentW.
type column struct {
	title string
	width float64
	align string // L, C or R
}

// cell is a table cell; fill and colour are optional; mono sets it in the monospaced font.
type cell struct {
	text   string
	bold   bool
	mono   bool
	fill   *rgb
	colour *rgb
}

// source is a Source cell: the citation in the monospaced font, which sets it apart from the text.
func (d *pdfDoc) source(ids []string) cell { return cell{text: d.cite(ids), mono: true} }

// cellFont selects a table cell's font.
func (d *pdfDoc) cellFont(bold, mono bool) {
	switch {
	case bold:
		d.font("B", sizeTable)
	case mono:
		d.font("M", sizeTable-0.5)
	default:
		d.font("", sizeTable)
	}
}

// table draws a table whose rows never split across pages unless one alone is taller than a page,
// and whose header row repeats on every page it continues on.
func (d *pdfDoc) table(cols []column, rows [][]cell) {
	f := d.f
	head := make([][]string, len(cols))
	headN := 1
	d.font("B", sizeTable)
	for i, c := range cols {
		head[i] = d.split(d.clean(c.title), c.width)
		headN = max(headN, len(head[i]))
	}
	headH := float64(headN)*lhTable + 2*cellPadY
	drawHead := func() { d.drawRow(cols, head, nil, 0, headN, headH, &colHeadFill, true) }
	// A table starts where its header and first row fit together.
	lines := make([][]string, len(cols))
	first := true
	for ri, row := range rows {
		n := d.rowLines(cols, row, lines)
		h := float64(n)*lhTable + 2*cellPadY
		full := pageEnd - marginT - headH // the most one page holds below the header
		switch {
		case first:
			if f.GetY()+headH+min(h, full) > pageEnd {
				d.newPage()
			}
			drawHead()
			first = false
		case f.GetY()+h > pageEnd && (h <= full || pageEnd-f.GetY() < 3*lhTable+2*cellPadY):
			d.newPage()
			drawHead()
		}
		var fill *rgb
		if ri%2 == 1 {
			fill = &colZebra
		}
		// A row taller than the room left is drawn in slices, continuing under a repeated header.
		for start := 0; start < n; {
			fitN := int((pageEnd - f.GetY() - 2*cellPadY) / lhTable)
			if fitN < 1 {
				d.newPage()
				drawHead()
				continue
			}
			end := min(n, start+fitN)
			d.drawRow(cols, lines, row, start, end, float64(end-start)*lhTable+2*cellPadY, fill, false)
			start = end
			if start < n {
				d.newPage()
				drawHead()
			}
		}
	}
	f.SetY(f.GetY() + 3)
}

// rowLines wraps a row's cells into lines (one slice per column) and returns the most lines of a cell.
func (d *pdfDoc) rowLines(cols []column, row []cell, lines [][]string) int {
	n := 1
	for i, c := range cols {
		var txt string
		bold, mono := false, false
		if i < len(row) {
			txt, bold, mono = row[i].text, row[i].bold, row[i].mono
		}
		d.cellFont(bold, mono)
		lines[i] = d.split(d.clean(txt), c.width)
		n = max(n, len(lines[i]))
	}
	return n
}

// tableStart is the height of a table's header and first row, which must not be parted from the
// heading above them.
func (d *pdfDoc) tableStart(cols []column, rows [][]cell) float64 {
	lines := make([][]string, len(cols))
	h := 0.0
	for _, c := range cols {
		h = max(h, float64(len(d.split(d.clean(c.title), c.width)))*lhTable)
	}
	h += 2 * cellPadY
	if len(rows) > 0 {
		h += float64(d.rowLines(cols, rows[0], lines))*lhTable + 2*cellPadY
	}
	return h
}

// drawRow draws lines [from, to) of each cell at the current position and moves below the row.
func (d *pdfDoc) drawRow(cols []column, lines [][]string, row []cell, from, to int, h float64, fill *rgb, head bool) {
	f := d.f
	x, y := marginL, f.GetY()
	d.drawColour(colRule)
	f.SetLineWidth(0.15)
	for i, c := range cols {
		bg := fill
		tc := colText
		bold, mono := head, false
		if i < len(row) {
			if row[i].fill != nil {
				bg = row[i].fill
			}
			if row[i].colour != nil {
				tc = *row[i].colour
			}
			bold = bold || row[i].bold
			mono = row[i].mono
		}
		if bg != nil {
			d.fillColour(*bg)
			f.Rect(x, y, c.width, h, "FD")
		} else {
			f.Rect(x, y, c.width, h, "D")
		}
		d.cellFont(bold, mono)
		d.textColour(tc)
		align := c.align
		if head {
			align = "L"
			if c.align == "R" {
				align = "R"
			}
		}
		// A shaded cell shorter than its row (a risk level) is centred in it; text cells stay at the top.
		off := 0.0
		if i < len(row) && row[i].fill != nil && from == 0 && len(lines[i]) < to {
			off = (h - 2*cellPadY - float64(len(lines[i]))*lhTable) / 2
		}
		for j := from; j < to && j < len(lines[i]); j++ {
			f.SetXY(x, y+cellPadY+off+float64(j-from)*lhTable)
			f.CellFormat(c.width, lhTable, lines[i][j], "", 0, align, false, 0, "")
		}
		x += c.width
	}
	d.textColour(colText)
	f.SetXY(marginL, y+h)
}

// boxTable is a titled block of text in a shaded frame, drawn as a one-cell table so that it may
// continue over pages under its repeated title.
func boxTable(title, body string) ([]column, [][]cell) {
	return []column{{title, contentW, "L"}}, [][]cell{{{text: body, fill: &colBoxFill}}}
}

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
			{text: orDash(it.DueDate)}, status, d.source(it.MessageIDs)}
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
