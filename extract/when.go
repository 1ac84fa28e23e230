package extract

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Dates are read the way CSMs write them and resolved against the interview's day. Every date says
// how precise the words were, so a caller can ask for a firm day when the words only point near one.
// The words (month and weekday names, holidays, ordinals, units, hedges) are in prompts/dates.txt.
//
// The forms, read on a Monday, 7 December 2026:
//
//	form                                   example                      day          precision
//	ISO, numeric with a year               2027-04-30, 30/04/2027       2027-04-30   day
//	  (day first unless that is no date)   04/30/2027, 20.01.2027       2027-04-30   day
//	  both readings possible               05/06/2027                   2027-06-05   ambiguous
//	  the text's other dates show the order 1/8 … 12/22, 3/1/2027 … December 31  2027-01-08  day
//	numeric without a year                 12/15, 15/12, 8.1., latest 15.1  2026-12-15  day
//	  dotted inside a sentence             15.01, bis 3.02 (not 12.05 per seat) 2027-01-15  day
//	day and month                          8 Jan, 2nd December, 15. März, 15 de enero, 15Jan  2027-01-08  day
//	month and day                          Jan 8th, April thirtieth     2027-01-08   day
//	weekday with its day                   wed 16th, Friday, December 18 2026-12-16  day
//	weekday                                Tues, this Friday, sat       the next one day
//	  next                                 next Friday                  2026-12-11   ambiguous
//	  next, not this one                   next Friday, not this one    2026-12-18   day
//	  a week on                            friday week, the Friday after next 2026-12-18 day
//	  a fortnight on                       Tuesday fortnight            2026-12-22   day
//	  after next, said on that weekday     the Monday after next        2026-12-21   day
//	  in the past                          last Friday, chased on fri   2026-12-04   day
//	nth weekday of a month                 first Monday in January      2027-01-04   day
//	week number                            KW 3, CW 51, week 2, wk52    its Friday   period
//	  of something else                    week 2 of the pilot          none
//	the Nth                                the 15th, by the 8th         2026-12-15   day
//	relative day                           today, tmrw, EOD, COB tomorrow, yesterday  day
//	in N units                             in 2 wks, in a fortnight, in 10 days       day
//	  from a day                           a week tomorrow, a week from today         day
//	  ago                                  two weeks ago                2026-11-23   day
//	  within, after; hours, years          within the next 10 days, after 6 months, in 48 hours  day
//	  over (not for over)                  we meet again over two weeks 2026-12-21   day
//	  working days                         within five business days    2026-12-14   day
//	  from another day                     within thirty (30) days of the invoice date  none
//	  +N                                   +2 wks                       2026-12-21   day
//	counted from a day the words name      two weeks from Wednesday, three weeks tomorrow  2026-12-23  day
//	  back from it                         two days before Christmas    2026-12-23   day
//	holiday                                xmas, Boxing Day, by christmas 2026-12-25 day
//	  movable                              Good Friday, after Easter, before Thanksgiving, August bank holiday  day
//	  before                               before xmas, before New Year 2026-12-24  day
//	  after (winter)                       after the holidays, after new year 2027-01-04 approximate
//	  the first day after                  first thing after the holidays 2027-01-04 day
//	end of a period                        EOW, EOM, EOQ, end of next month, this month  period
//	  (a week ends on Friday)              end of next week             2026-12-18   period
//	month                                  in Jan, end of April, by March 2027-01-31 period
//	  moved to it                          pushed to jan                2027-01-31   period
//	  its first day                        not before March, from March 2027-03-01   approximate
//	window of days                         between the 14th and the 16th, Jan 8-10  the last day  day
//	  ruled out                            Wednesday doesn't work, Thursday does     2026-12-10   day
//	  part of a month                      early Feb (5th), mid-Jan (15th), late March (25th) approximate
//	  in the past                          they renewed in October      2026-10-31   period
//	quarter, half                          Q2, end of Q1, next quarter, H1, H2 next year  period
//	  its first day                        from Q2, from the start of next quarter   2027-01-01  approximate
//	hedged                                 the 18th-ish, around the 10th of Jan       approximate (Hedged: a day was named)
//	no day                                 soon, asap, later this year, fiscal year end, spring  none
//
// A misspelt month, weekday or holiday name is read as the name ("wensday", "febuary", see
// correctDateWords). A day the words take back is dropped: one followed by a correction and another day
// ("before the holidays, say the 18th"), one right after a negation when another day follows ("we can't
// do tomorrow, so Wednesday"). Also read: "the first half of next year" (H1), "in week 2" (its Friday),
// "Thursday wk", "next week on Wednesday", "Feb 2027".
//
// A date without a year is the next such date on or after the interview day, unless the words around
// it are in the past tense ("sent it on Thurs", "we had the call on 2nd December") or it follows "since". A day that does not
// exist ("30 Feb 2027") is no date, and its words are not read again as "Feb 2027".

// Precision says how exactly the words named the day.
type Precision int

const (
	// ExactDay: the words name one day ("8 Jan", "tomorrow", "in two weeks").
	ExactDay Precision = iota
	// PeriodEnd: the words name a period and the date is its last day ("end of April", "in Q1", "EOM").
	PeriodEnd
	// Approximate: the words only point near a day ("mid-Jan", "after the holidays", "the 4th-ish").
	Approximate
	// Ambiguous: the words name a day that people read differently ("next Friday", "05/06/2027").
	Ambiguous
)

func (p Precision) String() string {
	return [...]string{"day", "period", "approximate", "ambiguous"}[p]
}

// Firm reports whether a successor could hold someone to the date: a day or the end of a period.
func (p Precision) Firm() bool { return p == ExactDay || p == PeriodEnd }

// Date is one date read from a text: the day it stands for, how precise the words were, and where they are.
type Date struct {
	Day       time.Time
	Precision Precision
	// Hedged: the words named a day with a hedge ("the 18th-ish", "around the 10th"), so Precision is
	// approximate though a day was given.
	Hedged     bool
	Text       string
	Start, End int
}

const year = `(\d{4}|'?\d{2})`

var (
	mon          = lex.alt("month")
	wday         = lex.alt("weekday")
	dayNum       = `(\d{1,2}(?:st|nd|rd|th|\.)?|` + lex.alt("ordinal") + `)`
	isoRE        = compile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	numRE        = compile(`\b(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4}|\d{2})\b`)
	shortRE      = compile(`\b(\d{1,2})/(\d{1,2})\b|\b(\d{1,2})\.(\d{1,2})\.|(?i:\b(?:till|til|until|on|by|latest|due|the|from|bis|am)\s+)(\d{1,2})\.(\d{1,2})$|\b(\d{1,2})\.(0[1-9]|1[0-2])\b`)
	dmyRE        = compile(`(?i)\b(?:` + wday + `\.?,?\s+)?(?:the\s+)?` + dayNum + `(?:\s+` + lex.alt("dayof") + `)?[\s-]*(` + mon + `)\b\.?(?:,?[\s-]+` + year + `\b)?`)
	mdyRE        = compile(`(?i)\b(?:` + wday + `\.?,?\s+)?(` + mon + `)\.?\s*(?:the\s+)?` + dayNum + `(?:\b|$)(?:,?\s+` + year + `\b)?`)
	wdDayRE      = compile(`(?i)\b(?:(next|this|coming|on)\s+)?(` + wday + `)\b\.?,?\s+\(?(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?|` + lex.alt("ordinal") + `)\b\)?`)
	nthRE        = compile(`(?i)\b(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(` + wday + `)\s+(?:in|of)\s+(` + mon + `|the month|this month|next month)\b`)
	theNthRE     = compile(`(?i)\b(?:the\s+)(\d{1,2}(?:st|nd|rd|th)|` + lex.alt("ordinal") + `)\b|\b(\d{1,2}(?:st|nd|rd|th))\b`)
	weekdayRE    = compile(`(?i)\b(?:(?:(next|this|coming|last|every|each|the)\s+)?(` + wday + `)\b(?:\s+(after next|week|wk|fortnight))?|(?:a\s+week\s+(?:on|from)\s+)(` + wday + `)\b)`)
	relDayRE     = compile(`(?i)\b(?:(eod|cob|eob|eop|cop|end of (?:the )?(?:day|business|play)|close of (?:business|play))(?:\s+(today|tonight|tomorrow|tmrw|tmw|tmr|` + wday + `))?|(today|tonight|tomorrow|tmrw|tmw|tmr|yesterday|(?:the\s+)?day\s+after\s+tomorrow|(?:the\s+)?day\s+before\s+yesterday)|a\s+week\s+(today|tomorrow|from\s+(?:today|now|tomorrow)))\b`)
	unitCount    = `(\d{1,3}|(?:` + lex.alt("number") + `)(?:[\s-]+` + lex.alt("number") + `)?(?:\s*\(\d{1,3}\))?)`
	inRE         = compile(`(?i)\b(?:(?:in|within|after|over)\s+(?:the\s+next\s+|another\s+|a\s+further\s+)?` + unitCount + `\s*(` + lex.alt("unit", "hours") + `)|` + unitCount + `\s+(` + lex.alt("unit", "hours") + `)\s+(ago|from now|from today|time)|in\s+(?:a\s+)?(fortnight))\b|\+\s*(\d{1,3})\s*(` + lex.alt("unit") + `)\b`)
	anchoredRE   = compile(`(?i)^\s+(?:of|after|before|prior\s+to|following|from)\b(?:\s+(?:now|today)\b)?`)
	holRE        = compile(`(?i)\b(?:(before|by|until|till|til|on|after|from|for|over)\s+)?(?:the\s+)?(` + lex.alt("holiday", "movable") + `)(?:\b|$)`)
	seasonRE     = compile(`(?i)\b(before|by|until|till|til|after|over)\s+(` + lex.alt("season") + `)\b`)
	periodRE     = compile(`(?i)\b(?:(eow|eom|eoq|eoy|eofy)|(?:(?:by|before)\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?(week|month|quarter|year)|(this|next|last)\s+(week|month|quarter)|(?:the\s+)?(month|quarter|year)[- ]end)\b`)
	monthRE      = compile(`(?i)\b(?:(` + lex.alt("monthpart") + `|in|by|before|until|till|til|during|from|for|since|` + lex.alt("move") + `)[\s-]+)?(` + mon + `)(?:\s*-?\s*(ish))?\b(?:\s+(\d{4})\b)?`)
	periodPartRE = compile(`(?i)\b(` + lex.alt("monthpart") + `)[\s-]+(next|this|the)\s+(month|week|quarter)\b`)
	lowerBoundRE = compile(`(?i)\b(?:` + lex.alt("lowerbound") + `)\s+(?:the\s+)?$`)
	nthOfRE      = compile(`(?i)\b(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?|` + lex.alt("ordinal") + `)\s+of\s+(next|this|the)\s+month\b`)
	weekOfRE     = compile(`(?i)\b(?:the\s+)?(first|second|third|fourth|last|1st|2nd|3rd|4th)\s+week\s+(?:of|in)\s+(` + mon + `)\b`)
	calWeekRE    = compile(`(?i)\b(?:kw|cw|calendar\s+week|week|wk)\s*(\d{1,2})\b`)
	weekOfWhatRE = compile(`(?i)^\s*(?:of|in|into|and|to|-|–)\s`)
	halfRE       = compile(`(?i)\b(first|1st|second|2nd)\s+half\s+of\s+(?:the\s+)?(next|this)\s+year\b`)
	weekendRE    = compile(`(?i)\b(this|next|the|over\s+the)\s+weekend\b`)
	nextWkRE     = compile(`(?i)\b(` + wday + `)\s+(?:of\s+)?next\s+week\b|\bnext\s+week(?:'s)?\s+(?:on\s+)?(` + wday + `)\b|\bthis\s+time\s+next\s+week\b`)
	quarterRE    = compile(`(?i)\b(?:(end|start|beginning) of\s+)?(?:the\s+)?([qh])([1-4])(?:\s*(?:'|fy)?(\d{4}|\d{2})\b|\s+(next|this) year\b)?`)
	anchorRE     = compile(`(?i)\b` + lex.alt("undated") + `(?:\b|$)|\bbefore (?:I|we) (?:leave|go)\b`)
	undatedRE    = compile(`(?i)\b` + lex.alt("undated", "vague") + `(?:\b|$)|\b24/7\b|\b\d{1,2}/(?:10|5)\b`)
	firstDayRE   = compile(`(?i)\bfirst\s+(?:thing|(?:working\s+|business\s+)?day(?:\s+back)?)\s+$`)
	approxRE     = compile(`(?i)(?:\b(?:around|about|roughly|approximately|approx|circa|ca)\.?\s+$|~\s*$)`)
	ishRE        = compile(`(?i)^(?:-?ish\b|\s+or so\b|,?\s+give or take\b)`)
	oneAfterRE   = compile(`(?i)^[\s,;:—–-]*(?:the\s+one\s+after|the\s+following\s+one|the\s+week\s+after)\b`)
	notThisRE    = compile(`(?i)^[\s,;:—–-]*(?:not\s+this\s+(?:one|` + wday + `|coming\s+one|week)|the\s+one\s+after)\b`)
	pastRE       = compile(`(?i)\b` + lex.alt("past") + `\b`)
	segmentRE    = compile(`[,;.!?()\n]`)
	dayPrepRE    = compile(`(?i)\b(?:by|on|till|until|til|before|after|from|since|due)\s+$`)
	deadlineRE   = compile(`(?i)\b(?:by|till|til|until|before|due|latest|no later than)\s+(?:the\s+)?$`)
	sinceRE      = compile(`(?i)\bsince\s+(?:the\s+)?$`)
	modifierRE   = compile(`(?i)^[ \t]+` + lex.alt("named") + `\b`)
	endRE        = compile(`^\s*(?:$|[,;.!?)])`)
	agoRE        = compile(`(?i)^\s+ago\b`)
	durationRE   = compile(`(?i)\b(?:for|than|took|take|takes|taken|lasted|lasts|last|spent|spend|of|since|after|within|waited|wait|been)\s+$`)
	offsetRE     = compile(`(?i)(?:\b|\+\s*)` + unitCount + `\s*(` + lex.alt("unit") + `)\s+(?:(from|after|on|of|past|before|prior\s+to|ahead\s+of)\s+)?$`)
)

// dateHit is a date read from words, or words claimed by no date (ok false) so that no shorter reading
// of them is made.
type dateHit struct {
	sp     span
	date   time.Time
	prec   Precision
	ok     bool
	hedged bool // a day said with a hedge
	// anchor is the day a holiday read with "before" or "after" names on its own (25 December for
	// "after xmas"), so that "two days after xmas" counts from it.
	anchor time.Time
}

func (h dateHit) String() string { return h.date.Format("2006-01-02") }

// reader reads dates in one piece of text against one day.
type reader struct {
	s     string
	day   time.Time
	known bool
	hits  []dateHit
	order numericOrder // how the text writes the day and month of a numeric date
}

// numericOrder is the order a text writes numeric dates in, as its other dates show it.
type numericOrder int

const (
	orderUnknown numericOrder = iota
	dayFirst                  // 18/12, "18 December"
	monthFirst                // 12/18, "December 18"
)

// numericOrderOf reads which order a text writes its numeric dates in: a slash date that can only be read
// one way ("12/22" is month first, "22/12" day first) settles it; failing that, the way the text writes a
// named month ("December 31" month first, "31 December" day first), when it writes it only one way.
func numericOrderOf(s string) numericOrder {
	var numDM, numMD, nameDM, nameMD int
	for _, m := range slashRE.FindAllStringSubmatch(s, -1) {
		a, b := atoi(m[1]), atoi(m[2])
		switch {
		case a > 12 && a <= 31 && b >= 1 && b <= 12:
			numDM++
		case b > 12 && b <= 31 && a >= 1 && a <= 12:
			numMD++
		}
	}
	nameDM = len(dmyRE.FindAllString(s, -1))
	nameMD = len(mdyRE.FindAllString(s, -1))
	switch {
	case numDM > 0 && numMD == 0:
		return dayFirst
	case numMD > 0 && numDM == 0:
		return monthFirst
	case numDM+numMD > 0:
		return orderUnknown
	case nameDM > 0 && nameMD == 0:
		return dayFirst
	case nameMD > 0 && nameDM == 0:
		return monthFirst
	}
	return orderUnknown
}

var slashRE = compile(`\b(\d{1,2})/(\d{1,2})(?:/(?:\d{4}|\d{2}))?\b`)

// dates finds the dates written inside sp, in order; of overlapping readings the earliest and longest wins.
// The same words on the same day read the same, so readings are kept (rules read one clause several
// times, and the interviewer reads an answer the capture reads too).
func dates(text string, sp span, today time.Time) []dateHit {
	key := today.Format(time.DateOnly) + "\x00" + text[sp.start:sp.end]
	rel, ok := dateMemo.get(key)
	if !ok {
		rel = datesIn(text[sp.start:sp.end], today)
		dateMemo.put(key, rel)
	}
	out := make([]dateHit, len(rel))
	for i, h := range rel {
		h.sp = span{sp.start + h.sp.start, sp.start + h.sp.end}
		out[i] = h
	}
	return out
}

// memo is a bounded map of readings: when full it starts again.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]V
}

const memoSize = 50000

func (c *memo[V]) get(k string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *memo[V]) put(k string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= memoSize {
		c.m = map[string]V{}
	}
	c.m[k] = v
}

var dateMemo memo[[]dateHit]

// datesIn reads the dates of one piece of text, their spans in it.
func datesIn(text string, today time.Time) []dateHit {
	sp := span{0, len(text)}
	fixed, at := correctDateWords(text[sp.start:sp.end])
	r := &reader{s: fixed, day: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC), known: !today.IsZero(), order: numericOrderOf(fixed)}
	r.read()
	sort.SliceStable(r.hits, func(i, j int) bool {
		a, b := r.hits[i].sp, r.hits[j].sp
		if a.start != b.start {
			return a.start < b.start
		}
		return a.end > b.end
	})
	var out []dateHit
	end := -1
	for _, h := range r.hits {
		if h.sp.start < end {
			continue
		}
		end = h.sp.end
		if h.ok {
			p := r.hedged(h)
			h.hedged = h.prec == ExactDay && p == Approximate
			h.prec = p
			out = append(out, h)
		}
	}
	out = r.offsets(out)
	out = r.superseded(out)
	for i := range out {
		out[i].sp = span{sp.start + at[out[i].sp.start], sp.start + at[out[i].sp.end]}
	}
	return out
}

// offsets reads a span of time counted from a day the words name: "two weeks from Wednesday", "three
// weeks tomorrow", "two days before Christmas", "10 days after the 15th", "+2 wks". The span stands
// before the day, with from, after, on or past (forward), before, prior to or ahead of (back), or with
// nothing between them when it counts weeks ("a week Tuesday"). A day read with "before" or "after"
// ("after xmas") is counted from the day it names.
func (r *reader) offsets(hits []dateHit) []dateHit {
	from := 0
	for i := range hits {
		h := &hits[i]
		start0, before := from, r.s[from:h.sp.start]
		from = h.sp.end
		loc := offsetRE.FindStringSubmatchIndex(before)
		if loc == nil {
			continue
		}
		part := func(k int) string {
			if loc[2*k] < 0 {
				return ""
			}
			return key(before[loc[2*k]:loc[2*k+1]])
		}
		n, unit, link := count(part(1)), part(2), part(3)
		days, ok := lookup(lex.unit, unit)
		base, dir := h.date, 1
		switch lead := strings.ToLower(strings.Fields(r.s[h.sp.start:h.sp.end])[0]); {
		case !h.anchor.IsZero() && (lead == "before" || lead == "after"):
			base, link = h.anchor, lead // "two days before christmas"
		case lead == "before" || lead == "after" || lead == "by" || lead == "until" || lead == "till":
			continue
		}
		if !ok || n == 0 || link == "" && days != 7 && days != 14 {
			continue
		}
		switch link {
		case "before", "prior to", "ahead of":
			dir = -1
		}
		h.date, h.prec = addUnits(base, dir*n, unit, days), ExactDay
		h.sp.start = start0 + loc[0]
	}
	return hits
}

// hedged makes a date approximate when a hedge stands next to it ("around the 10th", "the 18th-ish").
func (r *reader) hedged(h dateHit) Precision {
	if approxRE.MatchString(r.s[:h.sp.start]) || ishRE.MatchString(r.s[h.sp.end:]) {
		return Approximate
	}
	return h.prec
}

func (r *reader) add(m []int, t time.Time, p Precision, ok bool) {
	r.hits = append(r.hits, dateHit{sp: span{m[0], m[1]}, date: t, prec: p, ok: ok})
}

func (r *reader) sub(m []int, k int) string {
	if 2*k+1 >= len(m) || m[2*k] < 0 {
		return ""
	}
	return strings.ToLower(r.s[m[2*k]:m[2*k+1]])
}

func (r *reader) all(re *pattern, f func(m []int)) {
	for _, m := range re.FindAllStringSubmatchIndex(r.s, -1) {
		f(m)
	}
}

// past reports whether the words around a date are in the past tense: a past verb in the same part of
// the sentence, between commas.
func (r *reader) past(m []int) bool {
	if deadlineRE.MatchString(r.s[:m[0]]) {
		return false // "what I promised was by 8 Jan": a deadline is ahead
	}
	if sinceRE.MatchString(r.s[:m[0]]) {
		return true // "with product since September"
	}
	start := 0
	if locs := segmentRE.FindAllStringIndex(r.s[:m[0]], -1); len(locs) > 0 {
		start = locs[len(locs)-1][1]
	}
	end := len(r.s)
	if loc := segmentRE.FindStringIndex(r.s[m[1]:]); loc != nil {
		end = m[1] + loc[0]
	}
	return pastRE.MatchString(r.s[start:m[0]]) || pastRE.MatchString(r.s[m[1]:end])
}

func (r *reader) read() {
	r.all(undatedRE, func(m []int) { r.add(m, time.Time{}, 0, false) })
	r.all(isoRE, func(m []int) { r.day3(m, atoi(r.sub(m, 1)), atoi(r.sub(m, 2)), atoi(r.sub(m, 3)), ExactDay) })
	r.all(numRE, r.numeric)
	r.all(dmyRE, func(m []int) { m = r.clockNotYear(m); r.dayMonth(m, r.sub(m, 1), r.sub(m, 2), r.sub(m, 3)) })
	r.all(mdyRE, func(m []int) { m = r.clockNotYear(m); r.dayMonth(m, r.sub(m, 2), r.sub(m, 1), r.sub(m, 3)) })
	if !r.known {
		return
	}
	r.all(shortRE, r.short)
	r.all(wdDayRE, r.weekdayWithDay)
	r.all(nthRE, r.nthWeekday)
	r.all(theNthRE, r.theNth)
	r.all(weekdayRE, r.weekday)
	r.all(relDayRE, r.relativeDay)
	r.all(inRE, r.in)
	r.all(holRE, r.holiday)
	r.all(seasonRE, r.season)
	r.all(periodRE, r.period)
	r.all(monthRE, r.month)
	r.all(quarterRE, r.quarter)
	r.all(periodPartRE, r.monthPart)
	r.all(nthOfRE, r.nthOfMonth)
	r.all(weekOfRE, r.weekOf)
	r.all(calWeekRE, r.calendarWeek)
	r.all(weekendRE, r.weekend)
	r.all(nextWkRE, r.nextWeekDay)
	r.all(halfRE, r.half)
}

// clockNotYear drops a two-digit "year" that is the hour of a time ("Thu 17 Dec 10:00", "Jan 8 10am"):
// the date ends before it.
func (r *reader) clockNotYear(m []int) []int {
	if m[6] < 0 || m[7]-m[6] > 3 || !clockRE.MatchString(r.s[m[7]:]) {
		return m
	}
	end := m[6]
	for end > 0 && strings.ContainsRune(" ,'", rune(r.s[end-1])) {
		end--
	}
	out := append([]int{m[0], end}, m[2:]...)
	out[6], out[7] = -1, -1
	return out
}

var clockRE = compile(`(?i)^(?:[:.]\d{2}|\s*(?:am|pm|h|hrs|uhr)\b)`)

// half reads "the first half of next year" as H1 of that year: its last day.
func (r *reader) half(m []int) {
	y := r.day.Year()
	if r.sub(m, 2) == "next" {
		y++
	}
	mo := time.June
	if n := r.sub(m, 1); n == "second" || n == "2nd" {
		mo = time.December
	}
	r.add(m, lastDay(y, mo), PeriodEnd, true)
}

func atoi(s string) int {
	s = strings.TrimRight(strings.ToLower(s), "stndrh.")
	if n, ok := lookup(lex.ordinal, s); ok {
		return n
	}
	if n, ok := lookup(lex.number, s); ok {
		return n
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// ordinalOf reads "15th", "15.", "15" or "fifteenth".
func ordinalOf(s string) int {
	if n, ok := lookup(lex.ordinal, s); ok {
		return n
	}
	s = strings.TrimSuffix(strings.ToLower(s), ".")
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suf)
	}
	n, _ := strconv.Atoi(s)
	return n
}

func yearOf(s string) int {
	if strings.HasPrefix(s, "'") || len(s) == 2 {
		return 2000 + atoi(strings.TrimPrefix(s, "'"))
	}
	return atoi(s)
}

// ymd builds a date and refuses the ones time.Date would roll over (31 February).
func ymd(y, m, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t, y > 0 && t.Year() == y && int(t.Month()) == m && t.Day() == d
}

func (r *reader) day3(m []int, y, mo, d int, p Precision) {
	t, ok := ymd(y, mo, d)
	r.add(m, t, p, ok)
}

// next is the first month/day on or after the interview day; prev the last one on or before it.
func (r *reader) next(m time.Month, d int) (time.Time, bool) {
	for y := r.day.Year(); y <= r.day.Year()+4; y++ {
		if t, ok := ymd(y, int(m), d); ok && !t.Before(r.day) {
			return t, true
		}
	}
	return time.Time{}, false
}

func (r *reader) prev(m time.Month, d int) (time.Time, bool) {
	for y := r.day.Year(); y >= r.day.Year()-4; y-- {
		if t, ok := ymd(y, int(m), d); ok && !t.After(r.day) {
			return t, true
		}
	}
	return time.Time{}, false
}

// yearless resolves a month and day without a year: in the past when the words are.
func (r *reader) yearless(m []int, mo time.Month, d int) (time.Time, bool) {
	if r.past(m) {
		return r.prev(mo, d)
	}
	return r.next(mo, d)
}

// numeric reads 30/04/2027, 04/30/2027, 20.01.2027, 21-01-2027: day first unless that is no date.
func (r *reader) numeric(m []int) {
	if r.sub(m, 2) != r.sub(m, 4) {
		return
	}
	a, b, y := atoi(r.sub(m, 1)), atoi(r.sub(m, 3)), yearOf(r.sub(m, 5))
	switch {
	case a > 12 || r.sub(m, 2) != "/":
		r.day3(m, y, b, a, ExactDay)
	case b > 12:
		r.day3(m, y, a, b, ExactDay)
	case a == b:
		r.day3(m, y, b, a, ExactDay)
	case r.order == monthFirst:
		r.day3(m, y, a, b, ExactDay) // "3/1/2027 … by December 31": the writer puts the month first
	case r.order == dayFirst:
		r.day3(m, y, b, a, ExactDay)
	default:
		r.day3(m, y, b, a, Ambiguous)
	}
}

// short reads 12/15, 15/12 and the German 8.1. or 11.12.: a weekday next to it settles 11/12.
func (r *reader) short(m []int) {
	a, b, sep := atoi(r.sub(m, 1)), atoi(r.sub(m, 2)), "/"
	switch {
	case m[6] >= 0:
		a, b, sep = atoi(r.sub(m, 3)), atoi(r.sub(m, 4)), "."
	case m[10] >= 0: // "latest 15.1" at the end of a clause, its last dot cut off
		a, b, sep = atoi(r.sub(m, 5)), atoi(r.sub(m, 6)), "."
		m = append([]int{m[10], m[1]}, m[2:]...)
	case m[14] >= 0: // "15.01", "20.12" inside a sentence: a decimal is rarely written so
		a, b, sep = atoi(r.sub(m, 7)), atoi(r.sub(m, 8)), "."
		if !r.dottedDate(m, a, r.sub(m, 8)) {
			return
		}
	}
	if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
		return
	}
	dm, okDM := r.yearless(m, time.Month(b), a)
	okDM = okDM && b <= 12
	md, okMD := r.yearless(m, time.Month(a), b)
	okMD = okMD && a <= 12 && sep == "/"
	switch {
	case okDM && okMD && dm != md:
		if wd, ok := r.weekdayNear(m); ok && md.Weekday() == wd && dm.Weekday() != wd {
			r.add(m, md, ExactDay, true)
		} else if ok && dm.Weekday() == wd {
			r.add(m, dm, ExactDay, true)
		} else if r.order == monthFirst && sep == "/" {
			r.add(m, md, ExactDay, true) // "draft 1/8, final 12/22"
		} else if r.order == dayFirst {
			r.add(m, dm, ExactDay, true)
		} else {
			r.add(m, dm, Ambiguous, true)
		}
	case okDM:
		r.add(m, dm, ExactDay, true)
	case okMD:
		r.add(m, md, ExactDay, true)
	}
}

// dottedDate tells a day and month written "15.01" from a decimal or a price: the day is 13 or more and
// the month has two digits, or a deadline word stands before it ("bis 3.02", "due 9.12"); no currency,
// version, unit or further digits around it.
func (r *reader) dottedDate(m []int, day int, month string) bool {
	if decimalBeforeRE.MatchString(r.s[:m[0]]) || decimalAfterRE.MatchString(r.s[m[1]:]) {
		return false
	}
	return day >= 13 && len(month) == 2 || dottedCueRE.MatchString(r.s[:m[0]])
}

var (
	decimalBeforeRE = compile(`(?i)(?:[$£€¥]\s*|\bv|\b(?:version|release|build|patch|nps|csat|score|rating|eur|usd|gbp|chf)\s+|[\d.,])$`)
	decimalAfterRE  = compile(`(?i)^(?:[.,]?\d|\s*(?:%|[$£€¥]|k\b|m\b|bn\b|x\b|million|billion|points?\b|pts\b|stars?\b|per\b|eur\b|usd\b|gbp\b|chf\b))`)
	dottedCueRE     = compile(`(?i)\b(?:due|by|on|until|till|til|bis|am|ab|vom|zum|deadline|latest|before|after|since)\s*:?\s+(?:the\s+)?$`)
)

// weekdayNear is the weekday written just before a date ("Fri 11/12").
func (r *reader) weekdayNear(m []int) (time.Weekday, bool) {
	before := strings.Fields(strings.Trim(r.s[max(0, m[0]-12):m[0]], " ,("))
	if len(before) == 0 {
		return 0, false
	}
	return lookup(lex.weekday, strings.Trim(before[len(before)-1], ".,("))
}

func (r *reader) dayMonth(m []int, day, month, yr string) {
	mo, ok := lookup(lex.month, month)
	d := ordinalOf(day)
	if !ok || d == 0 {
		return
	}
	if month == "may" && !strings.ContainsAny(day, "0123456789") {
		return // "May the fourth" is rare; "may" is mostly a verb
	}
	if yr != "" {
		r.day3(m, yearOf(yr), int(mo), d, ExactDay)
		return
	}
	if !r.known {
		r.add(m, time.Time{}, 0, false)
		return
	}
	t, ok := r.yearless(m, mo, d)
	r.add(m, t, ExactDay, ok)
}

// weekdayWithDay reads "Wednesday the 16th", "wed 16th", "next friday (18th)": the next day of that
// number that falls on that weekday.
func (r *reader) weekdayWithDay(m []int) {
	wd, ok := lookup(lex.weekday, r.sub(m, 2))
	d := ordinalOf(r.sub(m, 3))
	if !ok || d < 1 || d > 31 || !r.dayWord(m) {
		return
	}
	for t := r.day; t.Before(r.day.AddDate(1, 0, 0)); t = t.AddDate(0, 0, 1) {
		if t.Day() == d && t.Weekday() == wd {
			r.add(m, t, ExactDay, true)
			return
		}
	}
}

// dayWord reports whether an ordinal at the end of m stands for a day, not "the 1st week".
func (r *reader) dayWord(m []int) bool {
	rest := strings.Fields(strings.ToLower(r.s[m[1]:min(len(r.s), m[1]+20)]))
	if len(rest) == 0 {
		return true
	}
	w := strings.Trim(rest[0], ".,;:!?)")
	if _, ok := lookup(lex.weekday, w); ok {
		return false // "the first Tuesday in February"
	}
	for _, nd := range lex.notDay {
		if f := strings.Fields(nd); f[0] == w && (len(f) == 1 || len(rest) > 1 && strings.Trim(rest[1], ".,;:") == f[1]) {
			return false
		}
	}
	return true
}

func (r *reader) nthWeekday(m []int) {
	wd, _ := lookup(lex.weekday, r.sub(m, 2))
	y, mo := r.day.Year(), r.day.Month()
	switch which := r.sub(m, 3); which {
	case "the month", "this month":
	case "next month":
		mo++
	default:
		mo, _ = lookup(lex.month, which)
		if lastDay(y, mo).Before(r.day) {
			y++
		}
	}
	first := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	t := first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7)
	if n := r.sub(m, 1); n == "last" {
		for t.AddDate(0, 0, 7).Month() == t.Month() {
			t = t.AddDate(0, 0, 7)
		}
	} else {
		t = t.AddDate(0, 0, 7*(ordinalOf(n)-1))
	}
	r.add(m, t, ExactDay, true)
}

// theNth reads "the 15th", "by the 8th", "28th": the next day of that number.
func (r *reader) theNth(m []int) {
	n := r.sub(m, 1) + r.sub(m, 2)
	d := ordinalOf(n)
	if d < 1 || d > 31 || !r.dayWord(m) {
		return
	}
	if !strings.ContainsAny(n, "0123456789") && !dayPrepRE.MatchString(r.s[:m[0]]) && !endRE.MatchString(r.s[m[1]:]) {
		return // "the second site": an ordinal word is a day only after "by", "on", "till"… or on its own
	}
	t := r.day
	if r.past(m) {
		for t.Day() != d {
			t = t.AddDate(0, 0, -1)
		}
	} else {
		for t.Day() != d {
			t = t.AddDate(0, 0, 1)
		}
	}
	r.add(m, t, ExactDay, true)
}

// weekday reads a weekday alone or with next/this/last, "Friday week" and "the Friday after next";
// "every Friday" is a cadence, not a date.
func (r *reader) weekday(m []int) {
	mod, name, after := r.sub(m, 1), r.sub(m, 2), r.sub(m, 3)
	if name == "" {
		name, after = r.sub(m, 4), "week"
	}
	wd, ok := lookup(lex.weekday, name)
	if !ok || mod == "every" || mod == "each" || !r.weekdayWord(name, m) {
		r.add(m, time.Time{}, 0, false)
		return
	}
	delta := (int(wd) - int(r.day.Weekday()) + 7) % 7
	prec := ExactDay
	switch {
	case mod == "last" || mod == "" && r.past(m):
		delta = -((int(r.day.Weekday()) - int(wd) + 7) % 7)
		if delta == 0 {
			delta = -7
		}
	case mod == "next" && delta == 0:
		delta = 7
	case mod == "next":
		prec = Ambiguous // the coming one, or the one a week later?
		if notThisRE.MatchString(r.s[m[1]:]) {
			delta, prec = delta+7, ExactDay
		}
	}
	switch {
	case after == "fortnight":
		delta += 14 // "Tuesday fortnight"
	case after == "after next" && delta == 0:
		delta += 14 // on a Monday, "the Monday after next" is two weeks on
	case after != "" || mod != "next" && mod != "last" && oneAfterRE.MatchString(r.s[m[1]:]):
		delta += 7 // "Friday week", "not this Friday, the one after"
	}
	r.add(m, r.day.AddDate(0, 0, delta), prec, true)
}

// weekdayWord keeps "sat", "sun" and "wed" from being read where they are verbs or nouns ("sat on it").
func (r *reader) weekdayWord(name string, m []int) bool {
	if name != "sat" && name != "sun" && name != "wed" {
		return true
	}
	rest := strings.Fields(strings.ToLower(r.s[m[1]:]))
	return len(rest) == 0 || !map[string]bool{"on": true, "in": true, "down": true, "with": true, "there": true,
		"around": true, "through": true, "at": true, "back": true, "tight": true}[rest[0]]
}

func (r *reader) relativeDay(m []int) {
	word := r.sub(m, 2) + r.sub(m, 3)
	if w := r.sub(m, 4); w != "" {
		t := r.day.AddDate(0, 0, 7)
		if strings.HasSuffix(w, "tomorrow") {
			t = t.AddDate(0, 0, 1)
		}
		r.add(m, t, ExactDay, true)
		return
	}
	if wd, ok := lookup(lex.weekday, word); ok {
		r.add(m, r.day.AddDate(0, 0, (int(wd)-int(r.day.Weekday())+7)%7), ExactDay, true)
		return
	}
	switch strings.TrimPrefix(key(word), "the ") {
	case "day after tomorrow":
		r.add(m, r.day.AddDate(0, 0, 2), ExactDay, true)
	case "day before yesterday":
		r.add(m, r.day.AddDate(0, 0, -2), ExactDay, true)
	case "", "today", "tonight":
		r.add(m, r.day, ExactDay, true)
	case "yesterday":
		r.add(m, r.day.AddDate(0, 0, -1), ExactDay, true)
	default:
		r.add(m, r.day.AddDate(0, 0, 1), ExactDay, true)
	}
}

// in reads "in 2 wks", "in a fortnight", "in 10 days", "two weeks ago", "three months from now".
func (r *reader) in(m []int) {
	n, unit, dir := r.sub(m, 1), r.sub(m, 2), 1
	if n == "" {
		n, unit = r.sub(m, 3), r.sub(m, 4)
		if r.sub(m, 5) == "ago" {
			dir = -1
		}
	}
	if f := r.sub(m, 6); f != "" {
		n, unit = "1", f
	}
	if p := r.sub(m, 7); p != "" {
		n, unit = p, r.sub(m, 8) // "+2 wks"
	}
	if strings.EqualFold(r.s[m[0]:m[0]+min(4, m[1]-m[0])], "over") {
		switch {
		case agoRE.MatchString(r.s[m[1]:]):
			dir = -1 // "over two weeks ago"
		case durationRE.MatchString(r.s[:m[0]]) || r.past(m):
			r.add(m, time.Time{}, 0, false) // "he sat on it for over two weeks": how long, not when
			return
		} // "we meet again over two weeks", "over the next 10 days": a span from today
	}
	if a := anchoredRE.FindString(r.s[m[1]:]); a != "" && !strings.HasSuffix(a, "now") && !strings.HasSuffix(a, "today") {
		r.add(m, time.Time{}, 0, false) // "within thirty (30) days of the invoice date": counted from another day
		return
	}
	k := count(n)
	if h, isHours := lookup(lex.hours, unit); isHours && k > 0 {
		r.add(m, r.day.AddDate(0, 0, dir*k*h/24), ExactDay, true)
		return
	}
	days, ok := lookup(lex.unit, unit)
	if !ok || k == 0 {
		return
	}
	r.add(m, addUnits(r.day, dir*k, unit, days), ExactDay, true) // "within five business days": weekends not counted
}

// addUnits counts n units of a span from day: calendar months and years for a month or a year, days
// Monday to Friday for working or business days, else the unit's days.
func addUnits(day time.Time, n int, unit string, days int) time.Time {
	switch u := key(unit); {
	case strings.HasPrefix(u, "business") || strings.HasPrefix(u, "working"):
		return addWorkingDays(day, n)
	case days == 365:
		return day.AddDate(n, 0, 0)
	case days == 30:
		return day.AddDate(0, n, 0)
	}
	return day.AddDate(0, 0, n*days)
}

// backAtWork is the first Monday after New Year's Day: when "after the holidays" begins.
func backAtWork(y int) time.Time {
	t := time.Date(y, 1, 2, 0, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// onHoliday resolves a holiday with the word before it: "before xmas" is the 24th, "after the
// holidays" the first Monday back in January, "over the holidays" no day.
func (r *reader) onHoliday(m []int, prep string, md monthDay, period bool) {
	t, ok := r.next(md.m, md.d)
	if !ok {
		return
	}
	winter := md.m == time.December && md.d >= 20 || md.m == time.January && md.d == 1
	switch prep {
	case "before":
		r.add(m, t.AddDate(0, 0, -1), ExactDay, true)
		r.hits[len(r.hits)-1].anchor = t
	case "after", "from":
		defer func() { r.hits[len(r.hits)-1].anchor = t }()
		if winter {
			y := t.Year()
			if t.Month() == time.December {
				y++
			}
			p := Approximate
			if firstDayRE.MatchString(r.s[:m[0]]) {
				p = ExactDay // "first thing after the holidays": the first working day
			}
			r.add(m, backAtWork(y), p, true)
		} else {
			r.add(m, t.AddDate(0, 0, 1), Approximate, true)
		}
	case "over":
		r.add(m, time.Time{}, 0, false)
	default:
		r.add(m, t, ExactDay, !period)
	}
}

func (r *reader) holiday(m []int) {
	md, ok := lookup(lex.holiday, r.sub(m, 2))
	prep := r.sub(m, 1)
	if rule, isMovable := lookup(lex.movable, r.sub(m, 2)); isMovable {
		md, ok = r.nextMovable(rule)
	}
	if !ok {
		return
	}
	if key(r.sub(m, 2)) == "new year" && prep == "" {
		r.add(m, time.Time{}, 0, false) // "new year plans"
		return
	}
	r.onHoliday(m, prep, md, false)
}

// nextMovable is the month and day of the next movable holiday on or after the interview day ("after
// Easter", "before Thanksgiving").
func (r *reader) nextMovable(rule string) (monthDay, bool) {
	for y := r.day.Year(); y <= r.day.Year()+1; y++ {
		if t, err := movableDay(rule, y); err == nil && !t.Before(r.day) {
			return monthDay{t.Month(), t.Day()}, true
		}
	}
	return monthDay{}, false
}

func (r *reader) season(m []int) {
	if md, ok := lookup(lex.season, r.sub(m, 2)); ok {
		r.onHoliday(m, r.sub(m, 1), md, true)
	}
}

func lastDay(y int, m time.Month) time.Time { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC) }

// period reads EOW (Friday), EOM, EOQ, EOY, "end of next month", "this month", "next quarter",
// "month end".
func (r *reader) period(m []int) {
	unit, shift := r.sub(m, 3)+r.sub(m, 5)+r.sub(m, 6), 0
	switch r.sub(m, 1) {
	case "eow":
		unit = "week"
	case "eom":
		unit = "month"
	case "eoq":
		unit = "quarter"
	case "eoy":
		unit = "year"
	case "eofy":
		r.add(m, time.Time{}, 0, false)
		return
	}
	switch {
	case r.sub(m, 2) != "" || r.sub(m, 4) == "next":
		shift = 1
	case r.sub(m, 4) == "last":
		shift = -1
	}
	if shift < 0 {
		r.add(m, time.Time{}, 0, false) // "last week", "last month": a time past, no day to hold anyone to
		return
	}
	if r.sub(m, 4) != "" && lowerBoundRE.MatchString(r.s[:m[0]]) {
		r.add(m, r.periodEnd(unit, shift-1).AddDate(0, 0, 1), Approximate, true) // "from next month": its first day
		return
	}
	r.add(m, r.periodEnd(unit, shift), PeriodEnd, true)
}

func (r *reader) periodEnd(unit string, shift int) time.Time {
	d := r.day
	switch unit {
	case "week": // the working week ends on Friday
		t := d.AddDate(0, 0, (int(time.Friday)-int(d.Weekday())+7)%7)
		return t.AddDate(0, 0, 7*shift)
	case "quarter":
		q := (int(d.Month())-1)/3 + shift
		return lastDay(d.Year(), time.Month(3*q+3))
	case "year":
		return time.Date(d.Year()+shift, 12, 31, 0, 0, 0, 0, time.UTC)
	}
	return lastDay(d.Year(), d.Month()+time.Month(shift))
}

// month reads a month without a day: its last day ("in Jan", "end of April"), or a day near the part of
// it the words name: early (the 5th), mid (the 15th), late (the 25th). An abbreviation alone ("Jan",
// also a name) and "may" alone are not dates.
func (r *reader) month(m []int) {
	prep, name, ish, yr := r.sub(m, 1), r.sub(m, 2), r.sub(m, 3), r.sub(m, 4)
	mo, ok := lookup(lex.month, name)
	if !ok {
		return
	}
	full := strings.EqualFold(name, mo.String())
	if prep == "" && (!full || name == "may") && ish == "" && yr == "" {
		return
	}
	y := r.day.Year()
	_, moved := lookup(lex.moves, prep) // "pushed to jan": a move is ahead
	past := yr == "" && !moved && (prep == "since" || r.past(m)) && lastDay(y, mo).Before(r.day)
	switch {
	case yr != "":
		y = atoi(yr)
	case past:
	case lastDay(y, mo).Before(r.day):
		y++
	}
	part, isPart := lookup(lex.monthPart, prep)
	from := !isPart && ish == "" && lowerBoundRE.MatchString(r.s[:m[4]])
	if prep != "" && !isPart {
		m = append([]int{m[4], m[1]}, m[2:]...) // "by January 12": the preposition is not part of the date
	}
	if from {
		r.add(m, time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC), Approximate, true) // "not before March": its first day
		return
	}
	if !isPart || part >= 28 {
		p := PeriodEnd
		if ish != "" {
			p = Approximate
		}
		r.add(m, lastDay(y, mo), p, true)
		return
	}
	r.add(m, time.Date(y, mo, part, 0, 0, 0, 0, time.UTC), Approximate, true)
}

// monthPart reads "mid next month", "start of next week", "end of the week": a part of a coming period.
func (r *reader) monthPart(m []int) {
	part, _ := lookup(lex.monthPart, r.sub(m, 1))
	shift := 0
	if r.sub(m, 2) == "next" {
		shift = 1
	}
	if r.sub(m, 3) == "quarter" {
		end := r.periodEnd("quarter", shift)
		first := time.Date(end.Year(), end.Month()-2, 1, 0, 0, 0, 0, time.UTC)
		switch {
		case part >= 28:
			r.add(m, end, PeriodEnd, true)
		case part >= 15:
			r.add(m, first.AddDate(0, 1, 14), Approximate, true)
		default:
			r.add(m, first, Approximate, true) // "from the start of next quarter"
		}
		return
	}
	if r.sub(m, 3) == "week" {
		monday := r.day.AddDate(0, 0, -((int(r.day.Weekday())+6)%7)+7*shift)
		switch {
		case part >= 28:
			r.add(m, monday.AddDate(0, 0, 4), PeriodEnd, true)
		case part >= 15:
			r.add(m, monday.AddDate(0, 0, 2), Approximate, true)
		default:
			r.add(m, monday, Approximate, true)
		}
		return
	}
	first := time.Date(r.day.Year(), r.day.Month()+time.Month(shift), 1, 0, 0, 0, 0, time.UTC)
	if part >= 28 {
		r.add(m, lastDay(first.Year(), first.Month()), PeriodEnd, true)
		return
	}
	r.add(m, first.AddDate(0, 0, part-1), Approximate, true)
}

// nthOfMonth reads "the 1st of next month", "the 15th of the month".
func (r *reader) nthOfMonth(m []int) {
	d := ordinalOf(r.sub(m, 1))
	first := time.Date(r.day.Year(), r.day.Month(), 1, 0, 0, 0, 0, time.UTC)
	if r.sub(m, 2) == "next" {
		first = first.AddDate(0, 1, 0)
	}
	t, ok := ymd(first.Year(), int(first.Month()), d)
	if ok && t.Before(r.day) && r.sub(m, 2) == "the" {
		t, ok = ymd(first.Year(), int(first.Month())+1, d)
	}
	r.add(m, t, ExactDay, ok)
}

// weekOf reads "the first week of January": about the 5th, 12th, 19th or 26th.
func (r *reader) weekOf(m []int) {
	mo, _ := lookup(lex.month, r.sub(m, 2))
	n := ordinalOf(r.sub(m, 1))
	if r.sub(m, 1) == "last" {
		n = 4
	}
	t, ok := r.next(mo, 5+7*(n-1))
	r.add(m, t, Approximate, ok)
}

// calendarWeek reads "KW 3", "CW 51", "week 2", "wk52": the Friday of that ISO week, this year or next.
// A week counted from something else ("week 2 of the pilot") is no date.
func (r *reader) calendarWeek(m []int) {
	n := atoi(r.sub(m, 1))
	if n < 1 || n > 53 || weekOfWhatRE.MatchString(r.s[m[1]:]) {
		r.add(m, time.Time{}, 0, false) // "week 2 of the pilot": a week counted from something else
		return
	}
	for y := r.day.Year(); y <= r.day.Year()+1; y++ {
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, time.UTC)
		monday := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(n-1))
		if fri := monday.AddDate(0, 0, 4); !fri.Before(r.day) {
			r.add(m, fri, PeriodEnd, true)
			return
		}
	}
}

// weekend reads "this weekend" (the coming Saturday) and "next weekend" (the one after, if today is a
// weekday it may be either).
func (r *reader) weekend(m []int) {
	sat := r.day.AddDate(0, 0, (int(time.Saturday)-int(r.day.Weekday())+7)%7)
	switch mod := r.sub(m, 1); {
	case mod == "next":
		r.add(m, sat.AddDate(0, 0, 7), Ambiguous, true)
	case r.past(m):
		r.add(m, sat.AddDate(0, 0, -7), ExactDay, true)
	default:
		r.add(m, sat, ExactDay, true)
	}
}

// nextWeekDay reads "Monday next week", "next week Tuesday" and "this time next week".
func (r *reader) nextWeekDay(m []int) {
	name := r.sub(m, 1) + r.sub(m, 2)
	if name == "" {
		r.add(m, r.day.AddDate(0, 0, 7), ExactDay, true)
		return
	}
	wd, _ := lookup(lex.weekday, name)
	monday := r.day.AddDate(0, 0, -((int(r.day.Weekday())+6)%7)+7)
	r.add(m, monday.AddDate(0, 0, (int(wd)+6)%7), ExactDay, true)
}

// quarter reads Q1–Q4 and H1–H2, with a year or without (the next one that has not ended).
func (r *reader) quarter(m []int) {
	edge, kind, n := r.sub(m, 1), r.sub(m, 2), atoi(r.sub(m, 3))
	if r.sub(m, 4)+r.sub(m, 5) == "" && modifierRE.MatchString(r.s[m[1]:]) {
		r.add(m, time.Time{}, 0, false) // "a Q1 planning workshop", "H1 targets": a name, not a time
		return
	}
	months := 3
	if kind == "h" {
		if n > 2 {
			return
		}
		months = 6
	}
	pick := func(y int) time.Time {
		if edge == "start" || edge == "beginning" {
			return time.Date(y, time.Month(months*(n-1)+1), 1, 0, 0, 0, 0, time.UTC)
		}
		return lastDay(y, time.Month(months*n))
	}
	if edge == "" && lowerBoundRE.MatchString(r.s[:m[0]]) {
		edge = "start" // "from Q2", "not before Q2": its first day
	}
	prec := PeriodEnd
	if edge == "start" || edge == "beginning" {
		prec = Approximate
	}
	switch yr, rel := r.sub(m, 4), r.sub(m, 5); {
	case yr != "":
		r.add(m, pick(yearOf(yr)), prec, true)
	case rel == "next":
		r.add(m, pick(r.day.Year()+1), prec, true)
	case rel == "this":
		r.add(m, pick(r.day.Year()), prec, true)
	case !pick(r.day.Year()).Before(r.day):
		r.add(m, pick(r.day.Year()), prec, true)
	default:
		r.add(m, pick(r.day.Year()+1), prec, true)
	}
}

// FindDates returns the dates text names, in order, resolved against today, each with its precision
// and its place in the text.
func FindDates(text string, today time.Time) []Date {
	var out []Date
	for _, h := range dates(text, span{0, len(text)}, today) {
		out = append(out, Date{Day: h.date, Precision: h.prec, Hedged: h.hedged, Text: text[h.sp.start:h.sp.end], Start: h.sp.start, End: h.sp.end})
	}
	return out
}

// Dates returns the days text names, in order, resolved against today as the rules read dates.
func Dates(text string, today time.Time) []time.Time {
	var out []time.Time
	for _, d := range FindDates(text, today) {
		out = append(out, d.Day)
	}
	return out
}

// VagueTime returns the first words of text that speak of time without naming a day ("soon", "asap",
// "later this year", "in a bit"), or "" when there are none.
func VagueTime(text string) string {
	for _, m := range vagueRE.FindAllStringIndex(text, -1) {
		return text[m[0]:m[1]]
	}
	return ""
}

var vagueRE = compile(`(?i)\b` + lex.alt("vague") + `(?:\b|$)`)

// months maps the English three-letter month abbreviations to their months (a competitor's name never
// starts with one).
var months = map[string]time.Month{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}

// count reads a number of units: "10", "ten", "twenty one", "ninety (90)".
func count(s string) int {
	if i := strings.Index(s, "("); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	total := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' }) {
		n, ok := lookup(lex.number, w)
		if !ok {
			return 0
		}
		total += n
	}
	return total
}

// superseded drops the days the words take back: a day followed by a correction and another day ("before
// the holidays, say the 18th"), a day right after a negation when another day follows ("we can't do
// tomorrow, so Wednesday"), and a day ruled out by the words right after it ("Wednesday doesn't work for
// them, Thursday does"). Of a window of days ("between the 14th and the 16th", "from Friday to Monday",
// "Jan 8-10") the day it ends on is kept: the day a successor can hold someone to.
func (r *reader) superseded(hits []dateHit) []dateHit {
	var out []dateHit
	for i, h := range hits {
		if i+1 < len(hits) {
			between := r.s[h.sp.end:hits[i+1].sp.start]
			if correctionRE.MatchString(between) || negatedDateRE.MatchString(r.s[:h.sp.start]) || refusedRE.MatchString(between) {
				continue
			}
			if window(h, hits[i+1]) && rangeLinkRE.MatchString(between) && (rangeStartRE.MatchString(r.s[:h.sp.start]) || rangeDashRE.MatchString(between)) {
				continue // "between the 14th and the 16th", "from Friday to Monday": the window ends on the later day
			}
		}
		out = append(out, r.rangeEnd(h))
	}
	return out
}

// window reports whether two days can be the ends of one window for a date: the second after the first
// and within a month of it. Days further apart are two dates ("between 3 December and 1/2/2026").
func window(a, b dateHit) bool {
	return b.date.After(a.date) && !b.date.After(a.date.AddDate(0, 1, 0))
}

// rangeEnd reads a range of days in one month written once ("Jan 8-10", "between 14 and 16 December" is
// read by the day and month): the day it ends on.
func (r *reader) rangeEnd(h dateHit) dateHit {
	m := rangeDayRE.FindStringSubmatchIndex(r.s[h.sp.end:])
	if m == nil || h.prec != ExactDay || !rangeStartRE.MatchString(r.s[:h.sp.start]) && !strings.ContainsAny(r.s[h.sp.end+m[2]:h.sp.end+m[3]], "-–") {
		return h
	}
	d := atoi(r.s[h.sp.end+m[4] : h.sp.end+m[5]])
	if t, ok := ymd(h.date.Year(), int(h.date.Month()), d); ok && t.After(h.date) {
		h.date, h.sp.end = t, h.sp.end+m[1]
	}
	return h
}

var (
	correctionRE  = compile(`(?i)\b` + lex.alt("correction") + `\b`)
	negatedDateRE = compile(`(?i)\b` + lex.alt("negation") + `\s+(?:(?:be|do|on|by|until|till|for)\s+)?$`)
	// refusedRE: a day the words right after it rule out ("Wednesday doesn't work, Thursday does").
	refusedRE    = compile(`(?i)^\s*(?:(?:is|are|was|'s|’s|would be|will be)\s+)?(?:really\s+|just\s+|totally\s+)?` + lex.alt("refusal") + `\b`)
	rangeStartRE = compile(`(?i)\b(?:between|from)\s+$`)
	rangeLinkRE  = compile(`(?i)^\s*(?:and|&|-|–|to|till|til|until|through|thru)\s*$`)
	rangeDashRE  = compile(`^\s*[-–]\s*$`)
	rangeDayRE   = compile(`(?i)^(\s*(?:-|–|and|to|till|until|through|thru)\s*)(\d{1,2})(?:st|nd|rd|th)?\b`)
)

// dateVocabulary is every single word of six letters or more the date lexicon names a month, a weekday
// or a holiday with: the words a misspelling is corrected to.
var dateVocabulary = func() []string {
	var out []string
	for _, m := range []map[string]time.Month{lex.month} {
		for w := range m {
			out = append(out, w)
		}
	}
	for w := range lex.weekday {
		out = append(out, w)
	}
	for w := range lex.holiday {
		out = append(out, w)
	}
	for _, w := range lex.shorthand {
		out = append(out, w)
	}
	var words []string
	for _, w := range out {
		if len([]rune(w)) >= 6 && !strings.ContainsAny(w, " -'’.") {
			words = append(words, w)
		}
	}
	sort.Strings(words)
	return words
}()

// lexiconWords is every single word of the date lexicon and every word a chat spelling stands for: words
// that are never corrected to another.
var lexiconWords = func() map[string]bool {
	out := map[string]bool{}
	for _, words := range lex.sections {
		for _, w := range words {
			out[w] = true
		}
	}
	for v, w := range lex.shorthand {
		out[v], out[w] = true, true
	}
	return out
}()

var dateTokenRE = compile(`[\p{L}\p{N}]+`)

// correctDateWords rewrites chat spellings ("b4", "2moro", see [shorthand]) to the words they stand for
// and misspelt month, weekday, holiday and relative-day names ("wendsday", "feburary", "chrismas",
// "tommorow") to the names, and returns the text with, for each byte of it (and its end), the offset in
// the original text. A word of five letters or more is corrected to a name of six or more that starts
// with the same letter and is one edit away (two for names of nine letters or more): a letter added,
// dropped, changed, or two letters swapped; a doubled letter counts as one ("tommorrow"). A word the
// lexicon knows is left alone.
func correctDateWords(s string) (string, []int) {
	var b strings.Builder
	var at []int
	last := 0
	keep := func(from, to int) {
		b.WriteString(s[from:to])
		for k := from; k < to; k++ {
			at = append(at, k)
		}
	}
	for _, m := range dateTokenRE.FindAllStringIndex(s, -1) {
		word := strings.ToLower(s[m[0]:m[1]])
		fix, ok := lex.shorthand[word]
		if !ok && len([]rune(word)) >= 5 && !strings.ContainsAny(word, "0123456789") {
			fix = closestDateWord(word)
		}
		if fix == "" {
			continue
		}
		keep(last, m[0])
		b.WriteString(fix)
		for k := 0; k < len(fix); k++ {
			at = append(at, m[0]+min(k, m[1]-m[0]-1))
		}
		last = m[1]
	}
	keep(last, len(s))
	return b.String(), append(at, len(s)) // the end of a corrected word maps to the original word's end
}

// closestDateWord is the name a misspelt word stands for, or "".
func closestDateWord(w string) string {
	if lexiconWords[w] {
		return ""
	}
	for _, v := range dateVocabulary {
		limit := 1
		if len([]rune(v)) >= 9 {
			limit = 2
		}
		if v[0] == w[0] && (editDistance(w, v) <= limit || singleLetters(w) == singleLetters(v)) {
			return v
		}
	}
	return ""
}

// singleLetters is w with every doubled letter written once: "tommorrow" and "tomorrow" are both "tomorow".
func singleLetters(w string) string {
	var b strings.Builder
	var prev rune
	for _, r := range w {
		if r != prev {
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// editDistance counts the letters added, dropped, changed or swapped with their neighbour between a and b.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

// addWorkingDays counts n days from day that fall Monday to Friday (back for a negative n).
func addWorkingDays(day time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		day = day.AddDate(0, 0, step)
		if day.Weekday() != time.Saturday && day.Weekday() != time.Sunday {
			n--
		}
	}
	return day
}
