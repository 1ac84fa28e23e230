package book

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var months = map[string]time.Month{
	"jan": time.January, "january": time.January, "feb": time.February, "february": time.February,
	"mar": time.March, "march": time.March, "apr": time.April, "april": time.April, "may": time.May,
	"jun": time.June, "june": time.June, "jul": time.July, "july": time.July, "aug": time.August,
	"august": time.August, "sep": time.September, "sept": time.September, "september": time.September,
	"oct": time.October, "october": time.October, "nov": time.November, "november": time.November,
	"dec": time.December, "december": time.December,
}

var weekdays = map[string]bool{
	"mon": true, "monday": true, "tue": true, "tues": true, "tuesday": true, "wed": true, "wednesday": true,
	"thu": true, "thur": true, "thurs": true, "thursday": true, "fri": true, "friday": true, "sat": true,
	"saturday": true, "sun": true, "sunday": true,
}

// timeOfDay matches a trailing time that CRMs append to dates ("T00:00:00Z", " 10:30 AM", "T09:00:00.000+0100").
// Only the calendar date matters here, so the time is checked for shape and dropped.
var timeOfDay = regexp.MustCompile(`(?i)[\sT,]+(?:[01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d{1,9})?)?` +
	`\s*(?:[ap]\.?m\.?)?\s*(?:z|utc|gmt|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?$`)

// DateOrder says how to read a numeric date whose first two numbers could both be a month, such as
// 01/02/2027: day first (DMY, 1 February) or month first (MDY, 2 January). The empty order is unknown.
type DateOrder string

const (
	DayFirst   DateOrder = "DMY"
	MonthFirst DateOrder = "MDY"
)

// ParseDateOrderName reads a date order as a form or a request names it ("DMY", "mdy", or empty).
func ParseDateOrderName(s string) (DateOrder, bool) {
	switch o := DateOrder(strings.ToUpper(strings.TrimSpace(s))); o {
	case "", DayFirst, MonthFirst:
		return o, true
	}
	return "", false
}

// AmbiguousDateError is a numeric date that reads as two different days, given without a date order.
type AmbiguousDateError struct {
	Value                string
	DayFirst, MonthFirst time.Time
}

func (e *AmbiguousDateError) Error() string {
	return fmt.Sprintf("%q could be %s or %s; choose the date order (day first or month first), or write the date as %s or %s",
		e.Value, e.DayFirst.Format("2 January 2006"), e.MonthFirst.Format("2 January 2006"),
		e.DayFirst.Format(time.DateOnly), e.MonthFirst.Format(time.DateOnly))
}

// ParseDate parses the date formats CRMs and people use, into UTC midnight: ISO ("2026-03-15", "2026/3/5",
// RFC 3339 with its time dropped), named months ("15 March 2026", "March 15, 2026", "15-Mar-2026"), dotted
// day-first dates ("15.03.2026"), and slashed or dashed dates whose numbers say which is the day
// ("3/15/2026", "15/03/2026"). A slashed or dashed date that reads as two different days ("01/02/2027")
// is an *AmbiguousDateError: ParseDateOrder reads it in a known order. Two-digit years are 20xx.
func ParseDate(s string) (time.Time, error) {
	return ParseDateOrder(s, "")
}

// ParseDateOrder is ParseDate reading ambiguous numeric dates in order (day or month first).
func ParseDateOrder(s string, order DateOrder) (time.Time, error) {
	bad := fmt.Errorf("%q is not a date", s)
	t := strings.TrimSpace(s)
	if loc := timeOfDay.FindStringIndex(t); loc != nil {
		t = t[:loc[0]]
	}
	t = strings.TrimSpace(strings.TrimRight(t, ", "))
	var y, m, d int
	var ok bool
	if strings.ContainsFunc(t, unicode.IsLetter) {
		y, m, d, ok = namedMonthDate(t)
	} else {
		var ambiguous bool
		y, m, d, ambiguous, ok = numericDate(t)
		if ok && ambiguous {
			switch order {
			case DayFirst:
				m, d = d, m
			case MonthFirst:
			default:
				if valid(y, d, m) && valid(y, m, d) {
					return time.Time{}, &AmbiguousDateError{Value: strings.TrimSpace(s),
						DayFirst: time.Date(y, time.Month(d), m, 0, 0, 0, 0, time.UTC), MonthFirst: time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)}
				}
			}
		}
	}
	if !ok || !valid(y, m, d) {
		return time.Time{}, bad
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func valid(y, m, d int) bool {
	return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, time.Month(m))
}

// InferDateOrder finds the order of a file's numeric dates from those that can be read only one way: a
// first number above 12 is a day (DMY), a second one a day too (MDY). Empty when the dates say nothing,
// or say both.
func InferDateOrder(values []string) DateOrder {
	var dmy, mdy bool
	for _, v := range values {
		t := strings.TrimSpace(v)
		if loc := timeOfDay.FindStringIndex(t); loc != nil {
			t = t[:loc[0]]
		}
		i := strings.IndexAny(t, "-/")
		if i < 0 || strings.ContainsFunc(t, unicode.IsLetter) {
			continue
		}
		parts := strings.Split(t, t[i:i+1])
		if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 {
			continue
		}
		a, err1 := strconv.Atoi(parts[0])
		b, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil {
			continue
		}
		switch {
		case a > 12 && b <= 12:
			dmy = true
		case b > 12 && a <= 12:
			mdy = true
		}
	}
	switch {
	case dmy && !mdy:
		return DayFirst
	case mdy && !dmy:
		return MonthFirst
	}
	return ""
}

// numericDate reads a date of three numbers. ambiguous: slashes or dashes with a day and a month that
// could be swapped; it is then returned month first.
func numericDate(t string) (y, m, d int, ambiguous, ok bool) {
	i := strings.IndexAny(t, "-/.")
	if i < 0 {
		return 0, 0, 0, false, false
	}
	parts := strings.Split(t, t[i:i+1])
	if len(parts) != 3 {
		return 0, 0, 0, false, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 || strings.TrimFunc(p, isASCIIDigit) != "" {
			return 0, 0, 0, false, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	l0, l1, l2 := len(parts[0]), len(parts[1]), len(parts[2])
	switch {
	case l0 == 4 && l1 <= 2 && l2 <= 2:
		return n[0], n[1], n[2], false, true
	case l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2):
		y := n[2]
		if l2 == 2 {
			y += 2000
		}
		if t[i] == '.' || n[0] > 12 { // dots are day first across Europe; a first number > 12 is a day
			return y, n[1], n[0], false, true
		}
		return y, n[0], n[1], n[1] <= 12 && n[0] != n[1], true
	}
	return 0, 0, 0, false, false
}

// namedMonthDate reads a day, a month name and a year in the orders people write them: "15 March 2026",
// "March 15, 2026", "Mar. 15th 2026", "15-Mar-26", "2026-Mar-15", optionally after a weekday.
func namedMonthDate(t string) (y, m, d int, ok bool) {
	toks := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",-/.", r)
	})
	if len(toks) == 4 && weekdays[toks[0]] {
		toks = toks[1:]
	}
	if len(toks) != 3 {
		return 0, 0, 0, false
	}
	var dayTok, yearTok string
	switch {
	case months[toks[0]] != 0:
		m, dayTok, yearTok = int(months[toks[0]]), toks[1], toks[2]
	case months[toks[1]] != 0 && len(toks[0]) == 4 && strings.TrimFunc(toks[0], isASCIIDigit) == "":
		m, yearTok, dayTok = int(months[toks[1]]), toks[0], toks[2]
	case months[toks[1]] != 0:
		m, dayTok, yearTok = int(months[toks[1]]), toks[0], toks[2]
	default:
		return 0, 0, 0, false
	}
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		if s, found := strings.CutSuffix(dayTok, suffix); found {
			dayTok = s
			break
		}
	}
	if len(dayTok) < 1 || len(dayTok) > 2 || strings.TrimFunc(dayTok, isASCIIDigit) != "" ||
		(len(yearTok) != 4 && len(yearTok) != 2) || strings.TrimFunc(yearTok, isASCIIDigit) != "" {
		return 0, 0, 0, false
	}
	d, _ = strconv.Atoi(dayTok)
	y, _ = strconv.Atoi(yearTok)
	if len(yearTok) == 2 {
		y += 2000
	}
	return y, m, d, true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
