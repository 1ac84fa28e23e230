package report

import (
	"slices"
	"strings"
)

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
	cols = d.fitColumns(cols)
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

// fitColumns returns the columns widened where a word of their header would not fit on one line (a
// header broken as "Point s"), the room taken from the columns with the most to spare, so that the
// widths still add up to the same total. Columns are returned unchanged when they already fit.
func (d *pdfDoc) fitColumns(cols []column) []column {
	d.font("B", sizeTable)
	need := make([]float64, len(cols))
	short := false
	for i, c := range cols {
		need[i] = d.longestWord(c.title) + 2*d.f.GetCellMargin() + 0.2
		short = short || c.width < need[i]
	}
	if !short {
		return cols
	}
	out := slices.Clone(cols)
	deficit, spare := 0.0, 0.0
	for i := range out {
		if out[i].width < need[i] {
			deficit += need[i] - out[i].width
			out[i].width = need[i]
		} else {
			spare += out[i].width - need[i]
		}
	}
	// Each column gives in proportion to what it has to spare; when nothing is, the table is as wide as
	// its headers need (which no table of the report comes near).
	if spare > 0 {
		give := min(1, deficit/spare)
		for i := range out {
			if s := out[i].width - need[i]; s > 0 && cols[i].width >= need[i] {
				out[i].width -= s * give
			}
		}
	}
	return out
}

// longestWord is the width of the widest word of s in the current font.
func (d *pdfDoc) longestWord(s string) float64 {
	w := 0.0
	for _, word := range strings.Fields(d.clean(s)) {
		w = max(w, d.f.GetStringWidth(word))
	}
	return w
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
	cols = d.fitColumns(cols)
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
