package report

import (
	"fmt"
	"time"
)

// Timeline geometry in millimetres.
const (
	tlLaneH    = 4.2 // a row of account names
	tlMaxLanes = 10  // rows of names before the rest are left to the table below
	tlLabelMax = 50  // the widest a name may be before it is shortened
)

// tlLabel is a renewal's name placed on the timeline; lane is its row counted up from the line, -1
// when no row had room for it.
type tlLabel struct {
	x, left, w float64
	lane       int
	text       string
	due        renewal
}

// timeline draws the next 180 days as a horizontal line: the report's date at the left, the first 90
// days shaded, the CSM's last day as a dashed marker, and each renewal as a point in its risk's colour
// with the account's name above it. A name that would touch the one before it goes a row up.
func (d *pdfDoc) timeline(due []renewal) {
	f := d.f
	x0, x1 := marginL+2, marginL+contentW-2
	xOf := func(days int) float64 { return x0 + (x1-x0)*float64(days)/renewalWindow }

	d.font("", 7)
	var labels []tlLabel
	var ends []float64 // the right edge of the last name in each row
	hidden := 0
	for _, x := range due {
		text := d.fit(d.clean(x.Account.Name)+" · "+x.Date.Format("2 Jan"), tlLabelMax)
		w := f.GetStringWidth(text) + 2*f.GetCellMargin()
		px := xOf(x.Days)
		left := min(px-0.5, x1+2-w) // a name starts at its point, or ends at the line's end
		lane := -1
		for k, e := range ends {
			if left > e+1.5 {
				lane = k
				break
			}
		}
		if lane < 0 && len(ends) < tlMaxLanes {
			ends = append(ends, 0)
			lane = len(ends) - 1
		}
		if lane < 0 {
			hidden++
		} else {
			ends[lane] = left + w
		}
		labels = append(labels, tlLabel{x: px, left: left, w: w, lane: lane, text: text, due: x})
	}
	lanes := max(1, len(ends))
	d.room(float64(lanes)*tlLaneH + 20)
	top := f.GetY()
	axisY := top + float64(lanes)*tlLaneH + 2.5
	laneY := func(lane int) float64 { return axisY - 2.5 - float64(lane+1)*tlLaneH }

	// The first 90 days, shaded.
	d.fillColour(colBoxFill)
	f.Rect(x0, top, xOf(renewalSoon)-x0, axisY-top+1.2, "F")
	// The CSM's last day, dashed, when it falls within the window.
	today := d.r.today()
	lastDay, err := time.Parse(time.DateOnly, d.r.Interview.DepartureDate)
	lastDays := int(lastDay.Sub(today).Hours() / 24)
	onLine := err == nil && lastDays >= 0 && lastDays <= renewalWindow
	if onLine {
		d.drawColour(colWarnLine)
		f.SetLineWidth(0.35)
		f.SetDashPattern([]float64{1, 0.8}, 0)
		f.Line(xOf(lastDays), top, xOf(lastDays), axisY+5)
		f.SetDashPattern([]float64{}, 0)
	}
	// Leaders first, then the names on white, so a leader passing behind a lower name leaves it readable.
	d.drawColour(colRule)
	f.SetLineWidth(0.2)
	for _, l := range labels {
		if l.lane >= 0 {
			f.Line(l.x, axisY, l.x, laneY(l.lane)+tlLaneH-0.6)
		}
	}
	d.font("", 7)
	for _, l := range labels {
		if l.lane < 0 {
			continue
		}
		y := laneY(l.lane)
		d.fillColour(colWhite)
		f.Rect(l.left, y+0.3, l.w, tlLaneH-0.9, "F")
		d.textColour(colText)
		f.SetXY(l.left, y)
		f.CellFormat(l.w, tlLaneH, l.text, "", 0, "L", false, 0, "")
	}
	// The line, its ticks every 30 days and their labels.
	d.drawColour(colMuted)
	f.SetLineWidth(0.4)
	f.Line(x0, axisY, x1, axisY)
	f.SetLineWidth(0.25)
	d.font("", 6.5)
	d.textColour(colMuted)
	for days := 0; days <= renewalWindow; days += 30 {
		x := xOf(days)
		f.Line(x, axisY-1, x, axisY+1)
		text, align, left := fmt.Sprintf("%d days", days), "C", x-12
		switch days {
		case 0:
			text, align, left = "Today, "+today.Format("2 Jan"), "L", x-1
		case renewalWindow:
			align, left = "R", x-23
		}
		f.SetXY(left, axisY+1.3)
		f.CellFormat(24, 3, text, "", 0, align, false, 0, "")
	}
	// The renewals' points, in their risk's colour.
	d.drawColour(colWhite)
	f.SetLineWidth(0.3)
	for _, l := range labels {
		fill, _ := riskColour(l.due.Account.Risk.Level)
		d.fillColour(fill)
		f.Circle(l.x, axisY, 1.5, "FD")
	}
	y := axisY + 5
	if onLine {
		d.font("B", 7)
		d.textColour(colWarnLine)
		text := "CSM's last day, " + lastDay.Format("2 Jan")
		w := f.GetStringWidth(text) + 2*f.GetCellMargin()
		f.SetXY(min(max(xOf(lastDays)-w/2, marginL), marginL+contentW-w), y)
		f.CellFormat(w, 3.5, text, "", 0, "C", false, 0, "")
		y += 4.5
	}
	// The legend: the colours of the levels, and what the line leaves to the table.
	d.font("", 7)
	x := marginL
	for _, l := range []string{"critical", "high", "medium", "low"} {
		fill, _ := riskColour(l)
		d.fillColour(fill)
		f.Circle(x+1.5, y+1.75, 1.3, "F")
		d.textColour(colMuted)
		f.SetXY(x+3.2, y)
		w := f.GetStringWidth(levelLabel(l)) + 2*f.GetCellMargin()
		f.CellFormat(w, 3.5, levelLabel(l), "", 0, "L", false, 0, "")
		x += w + 5
	}
	note := "Shaded: the next 90 days."
	if !onLine && err == nil {
		note += " The CSM's last day, " + shortDate(lastDay) + ", is outside this window."
	}
	if hidden > 0 {
		note += " " + counted(hidden, "name", "names") + " did not fit on the line; the table lists every renewal."
	}
	f.SetXY(x+2, y)
	f.CellFormat(marginL+contentW-x-2, 3.5, d.fit(note, marginL+contentW-x-2), "", 0, "L", false, 0, "")
	d.textColour(colText)
	f.SetXY(marginL, y+6)
}
