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

// ParseDate parses the date formats CRMs and people use, into UTC midnight: ISO ("2026-03-15", "2026/3/5",
// RFC 3339 with its time dropped), named months ("15 March 2026", "March 15, 2026", "15-Mar-2026"), dotted
// day-first dates ("15.03.2026"), and slashed or dashed dates, read month first as in the US ("3/15/2026")
// unless the first number cannot be a month ("15/03/2026"). Two-digit years are 20xx.
func ParseDate(s string) (time.Time, error) {
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
		y, m, d, ok = numericDate(t)
	}
	if !ok || y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}, bad
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), nil
}

func numericDate(t string) (y, m, d int, ok bool) {
	i := strings.IndexAny(t, "-/.")
	if i < 0 {
		return 0, 0, 0, false
	}
	parts := strings.Split(t, t[i:i+1])
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) < 1 || len(p) > 4 || strings.TrimFunc(p, isASCIIDigit) != "" {
			return 0, 0, 0, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	l0, l1, l2 := len(parts[0]), len(parts[1]), len(parts[2])
	switch {
	case l0 == 4 && l1 <= 2 && l2 <= 2:
		return n[0], n[1], n[2], true
	case l0 <= 2 && l1 <= 2 && (l2 == 4 || l2 == 2):
		y := n[2]
		if l2 == 2 {
			y += 2000
		}
		if t[i] == '.' || n[0] > 12 { // dots are day first across Europe; a first number > 12 is a day
			return y, n[1], n[0], true
		}
		return y, n[0], n[1], true
	}
	return 0, 0, 0, false
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
