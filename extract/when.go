package extract

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Dates are resolved against the interview's day: a date without a year is the next such date on or
// after it, "end of the month" is that month's last day. Where the words do not name a day ("early
// March", "next week") no date is made, because a guessed day would be shown as a fact.

const month = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`

var (
	isoRE     = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	dmyRE     = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(` + month + `)\b\.?(?:,?\s+(\d{4})\b)?`)
	mdyRE     = regexp.MustCompile(`(?i)\b(` + month + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)
	slashRE   = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
	quarterRE = regexp.MustCompile(`(?i)\b(?:(end|start|beginning) of\s+)?q([1-4])(?:\s*'?(\d{4}|\d{2})\b)?`)
	endOfRE   = regexp.MustCompile(`(?i)\b(?:(?:the\s+)?end of\s+(?:the\s+|this\s+)?(next\s+)?(week|month|quarter|year)|(?:the\s+)?(month|quarter|year)[- ]end)\b`)
	monthRE   = regexp.MustCompile(`(?i)\b(?:(end of|start of|beginning of|in|by|before|until|during)\s+)?(january|february|march|april|may|june|july|august|september|october|november|december)\b(?:\s+(\d{4})\b)?`)
	weekdayRE = regexp.MustCompile(`(?i)\b(?:(next|this|coming|every|each)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)
	relRE     = regexp.MustCompile(`(?i)\b(?:(today|tonight|tomorrow)|in\s+(\d{1,2}|a|one|two|three|four|five|six)\s+(days?|weeks?|months?))\b`)
)

var months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

var smallNumbers = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

type dateHit struct {
	sp   span
	date time.Time
	ok   bool
}

func (h dateHit) String() string { return h.date.Format("2006-01-02") }

// dates finds the dates written inside sp, in order; of overlapping readings the longer wins.
func dates(text string, sp span, today time.Time) []dateHit {
	s := text[sp.start:sp.end]
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	known := !today.IsZero()
	var hits []dateHit
	// A day that does not exist ("31 February 2026") still claims its words, so that "February 2026"
	// inside it is not read as a month.
	add := func(loc []int) func(time.Time, bool) {
		return func(t time.Time, ok bool) {
			hits = append(hits, dateHit{span{sp.start + loc[0], sp.start + loc[1]}, t, ok})
		}
	}
	sub := func(m []int, k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return strings.ToLower(s[m[2*k]:m[2*k+1]])
	}
	for _, m := range isoRE.FindAllStringSubmatchIndex(s, -1) {
		add(m)(ymd(atoi(sub(m, 1)), atoi(sub(m, 2)), atoi(sub(m, 3))))
	}
	for _, m := range dmyRE.FindAllStringSubmatchIndex(s, -1) {
		add(m)(dayMonth(day, known, atoi(sub(m, 1)), sub(m, 2), sub(m, 3)))
	}
	for _, m := range mdyRE.FindAllStringSubmatchIndex(s, -1) {
		add(m)(dayMonth(day, known, atoi(sub(m, 2)), sub(m, 1), sub(m, 3)))
	}
	for _, m := range slashRE.FindAllStringSubmatchIndex(s, -1) {
		// Only unambiguous numeric dates: 03/04/2026 is March or April depending on who wrote it.
		a, b, y := atoi(sub(m, 1)), atoi(sub(m, 2)), atoi(sub(m, 3))
		switch {
		case a > 12 && b <= 12:
			add(m)(ymd(y, b, a))
		case b > 12 && a <= 12:
			add(m)(ymd(y, a, b))
		}
	}
	if known {
		for _, m := range quarterRE.FindAllStringSubmatchIndex(s, -1) {
			add(m)(quarter(day, sub(m, 1), atoi(sub(m, 2)), sub(m, 3)))
		}
		for _, m := range endOfRE.FindAllStringSubmatchIndex(s, -1) {
			unit := sub(m, 2) + sub(m, 3)
			add(m)(periodEnd(day, unit, sub(m, 1) != ""), true)
		}
		for _, m := range monthRE.FindAllStringSubmatchIndex(s, -1) {
			// The span starts at the month, so "by 10 December" is not cut short to "by December".
			add([]int{m[4], m[1]})(monthOnly(day, sub(m, 1), sub(m, 2), sub(m, 3), s[m[4]:m[5]]))
		}
		for _, m := range weekdayRE.FindAllStringSubmatchIndex(s, -1) {
			add(m)(weekday(day, sub(m, 1), sub(m, 2)))
		}
		for _, m := range relRE.FindAllStringSubmatchIndex(s, -1) {
			add(m)(relative(day, sub(m, 1), sub(m, 2), sub(m, 3)))
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i].sp, hits[j].sp
		if a.start != b.start {
			return a.start < b.start
		}
		return a.end > b.end
	})
	var out []dateHit
	end := -1
	for _, h := range hits {
		if h.sp.start < end {
			continue
		}
		end = h.sp.end
		if h.ok {
			out = append(out, h)
		}
	}
	return out
}

func atoi(s string) int {
	if n, ok := smallNumbers[s]; ok {
		return n
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// ymd builds a date and refuses the ones time.Date would roll over (31 February).
func ymd(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, y > 0 && t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// next moves a yearless date that already passed into the next year.
func next(day time.Time, m time.Month, d int) (time.Time, bool) {
	for y := day.Year(); y <= day.Year()+1; y++ {
		if t, ok := ymd(y, int(m), d); ok && !t.Before(day) {
			return t, true
		}
	}
	return ymd(day.Year()+1, int(m), d) // 29 February of a later leap year stays unresolved
}

func dayMonth(day time.Time, known bool, d int, mon, year string) (time.Time, bool) {
	if len(mon) < 3 {
		return time.Time{}, false
	}
	m := months[mon[:3]]
	if year != "" {
		return ymd(atoi(year), int(m), d)
	}
	if !known {
		return time.Time{}, false
	}
	return next(day, m, d)
}

func lastDay(y int, m time.Month) time.Time { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) }

func quarter(day time.Time, edge string, q int, year string) (time.Time, bool) {
	pick := func(y int) time.Time {
		if edge == "start" || edge == "beginning" {
			return time.Date(y, time.Month(3*q-2), 1, 0, 0, 0, 0, time.UTC)
		}
		return lastDay(y, time.Month(3*q))
	}
	switch len(year) {
	case 4:
		return pick(atoi(year)), true
	case 2:
		return pick(2000 + atoi(year)), true
	}
	if t := pick(day.Year()); !t.Before(day) {
		return t, true
	}
	return pick(day.Year() + 1), true
}

func periodEnd(day time.Time, unit string, following bool) time.Time {
	switch unit {
	case "week":
		t := day.AddDate(0, 0, (7-int(day.Weekday()))%7) // Sunday
		if following {
			t = t.AddDate(0, 0, 7)
		}
		return t
	case "quarter":
		q := (int(day.Month())-1)/3 + 1
		if following {
			q++
		}
		return lastDay(day.Year(), time.Month(3*q))
	case "year":
		if following {
			return time.Date(day.Year()+1, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		return time.Date(day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
	}
	if following {
		return lastDay(day.Year(), day.Month()+1)
	}
	return lastDay(day.Year(), day.Month())
}

// monthOnly reads a month without a day as its last day ("by November", "renews in March"): the
// latest date the words allow. "May" needs a preposition, or every "may" would be a date.
func monthOnly(day time.Time, prep, mon, year, raw string) (time.Time, bool) {
	if mon == "may" && (prep == "" || raw != "May") {
		return time.Time{}, false
	}
	m := months[mon[:3]]
	y := day.Year()
	if year != "" {
		y = atoi(year)
	} else if lastDay(y, m).Before(day) {
		y++
	}
	if prep == "start of" || prep == "beginning of" {
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), true
	}
	return lastDay(y, m), true
}

// weekday reads "Friday", "this Friday" and "next Friday" as the first such day after today (today
// itself for a bare or "this" weekday); "every Friday" is a cadence, not a date.
func weekday(day time.Time, mod, name string) (time.Time, bool) {
	if mod == "every" || mod == "each" {
		return time.Time{}, false
	}
	var want time.Weekday
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), name) {
			want = d
		}
	}
	delta := (int(want) - int(day.Weekday()) + 7) % 7
	if delta == 0 && mod == "next" {
		delta = 7
	}
	return day.AddDate(0, 0, delta), true
}

func relative(day time.Time, word, n, unit string) (time.Time, bool) {
	switch word {
	case "today", "tonight":
		return day, true
	case "tomorrow":
		return day.AddDate(0, 0, 1), true
	}
	k := atoi(n)
	switch {
	case strings.HasPrefix(unit, "day"):
		return day.AddDate(0, 0, k), true
	case strings.HasPrefix(unit, "week"):
		return day.AddDate(0, 0, 7*k), true
	}
	return day.AddDate(0, k, 0), true
}

// Dates returns the days text names, in order, resolved against today as the rules read dates.
func Dates(text string, today time.Time) []time.Time {
	var out []time.Time
	for _, h := range dates(text, span{0, len(text)}, today) {
		if h.ok {
			out = append(out, h.date)
		}
	}
	return out
}
