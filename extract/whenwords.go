package extract

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/prompts"
)

// dateWords is prompts/dates.txt: the lexicon the date reader matches. It is parsed once, at start;
// the file is embedded, so a broken list fails the tests, not a CSM's answer.
type dateWords struct {
	month      map[string]time.Month
	weekday    map[string]time.Weekday
	holiday    map[string]monthDay // "xmas" → 25 December
	season     map[string]monthDay // "the holidays": a period with no day of its own
	ordinal    map[string]int      // "third" → 3
	number     map[string]int      // "two" → 2
	unit       map[string]int      // "fortnight" → 14 days; 30 stands for a calendar month
	monthPart  map[string]int      // "mid" → the 15th; 31 for a month's last day
	hours      map[string]int      // "hrs" → 1 hour
	shorthand  map[string]string   // "b4" → "before": chat spellings read as the word they stand for
	movable    map[string]string   // "good friday" → "easter-2": a holiday whose day changes every year
	approx     []string
	correct    []string        // "actually", "say": the day after them replaces the one before
	negate     []string        // "not", "can't do": the day right after them is ruled out
	dayOf      []string        // "of", "de": the word between a day and its month ("15 de enero")
	lowerBound []string        // "not before", "from": a period after them is read as its first day
	moves      map[string]bool // "pushed to": a month after them is ahead, and read though abbreviated
	refusal    []string        // "doesn't work": the day right before them is ruled out when another follows
	vague      []string
	past       []string
	notDay     []string
	undated    []string
	named      []string
	sections   map[string][]string // every section's words, for building patterns
}

type monthDay struct {
	m time.Month
	d int
}

var lex = mustDateWords()

func mustDateWords() dateWords {
	w, err := parseDateWords()
	if err != nil {
		panic(err)
	}
	return w
}

func parseDateWords() (dateWords, error) {
	secs, err := prompts.Sections("dates.txt")
	if err != nil {
		return dateWords{}, err
	}
	w := dateWords{month: map[string]time.Month{}, weekday: map[string]time.Weekday{}, holiday: map[string]monthDay{},
		season: map[string]monthDay{}, ordinal: map[string]int{}, number: map[string]int{}, unit: map[string]int{}, monthPart: map[string]int{},
		hours: map[string]int{}, shorthand: map[string]string{},
		sections: map[string][]string{}}
	lines := func(name string) ([][]string, error) {
		v, ok := secs[name]
		if !ok {
			return nil, fmt.Errorf("prompts/dates.txt has no [%s]", name)
		}
		var out [][]string
		for _, l := range strings.Split(strings.Join(v, "\n"), "\n") {
			var fields []string
			for _, f := range strings.Split(l, "|") {
				if f = strings.ToLower(strings.Join(strings.Fields(f), " ")); f != "" {
					fields = append(fields, f)
				}
			}
			if len(fields) > 0 {
				out = append(out, fields)
			}
		}
		return out, nil
	}
	keyed := func(name string, key func(string) (int, error), put func(k int, word string)) error {
		ls, err := lines(name)
		if err != nil {
			return err
		}
		for i, l := range ls {
			k, err := key(l[0])
			if err != nil {
				return fmt.Errorf("prompts/dates.txt [%s] line %d: %w", name, i+1, err)
			}
			start := 1
			if name == "month" || name == "weekday" {
				k, start = i, 0 // the line's place is its key
			}
			for _, word := range l[start:] {
				put(k, word)
				w.sections[name] = append(w.sections[name], word)
			}
		}
		return nil
	}
	place := func(string) (int, error) { return 0, nil }
	mmdd := func(s string) (int, error) {
		t, err := time.Parse("01-02", s)
		return int(t.Month())*100 + t.Day(), err
	}
	steps := []error{
		keyed("month", place, func(k int, s string) { w.month[s] = time.Month(k + 1) }),
		keyed("weekday", place, func(k int, s string) { w.weekday[s] = time.Weekday(k) }),
		keyed("holiday", mmdd, func(k int, s string) { w.holiday[s] = monthDay{time.Month(k / 100), k % 100} }),
		keyed("season", mmdd, func(k int, s string) { w.season[s] = monthDay{time.Month(k / 100), k % 100} }),
		keyed("ordinal", strconv.Atoi, func(k int, s string) { w.ordinal[s] = k }),
		keyed("number", strconv.Atoi, func(k int, s string) { w.number[s] = k }),
		keyed("unit", strconv.Atoi, func(k int, s string) { w.unit[s] = k }),
		keyed("monthpart", strconv.Atoi, func(k int, s string) { w.monthPart[s] = k }),
		keyed("hours", strconv.Atoi, func(k int, s string) { w.hours[s] = k }),
	}
	w.movable = map[string]string{}
	movable, err := lines("movable")
	if err != nil {
		return dateWords{}, err
	}
	for i, l := range movable {
		if _, err := movableDay(l[0], 2027); err != nil {
			return dateWords{}, fmt.Errorf("prompts/dates.txt [movable] line %d: %w", i+1, err)
		}
		for _, v := range l[1:] {
			w.movable[v] = l[0]
			w.sections["movable"] = append(w.sections["movable"], v)
		}
	}
	w.moves = map[string]bool{}
	moves, err := lines("move")
	if err != nil {
		return dateWords{}, err
	}
	for _, l := range moves {
		for _, v := range l {
			w.moves[v] = true
		}
	}
	shorthand, err := lines("shorthand")
	if err != nil {
		return dateWords{}, err
	}
	for _, l := range shorthand {
		for _, v := range l[1:] {
			w.shorthand[v] = l[0]
		}
	}
	for _, err := range steps {
		if err != nil {
			return dateWords{}, err
		}
	}
	for name, dst := range map[string]*[]string{"approx": &w.approx, "vague": &w.vague, "past": &w.past, "notday": &w.notDay, "undated": &w.undated, "named": &w.named,
		"correction": &w.correct, "negation": &w.negate, "dayof": &w.dayOf,
		"lowerbound": &w.lowerBound, "refusal": &w.refusal, "move": new([]string)} {
		ls, err := lines(name)
		if err != nil {
			return dateWords{}, err
		}
		for _, l := range ls {
			*dst = append(*dst, l...)
		}
		w.sections[name] = *dst
	}
	return w, nil
}

// alt is a regular-expression alternation of a section's words, longest first so that "tues" is tried
// before "tue"; spaces in a phrase match any run of spaces or a hyphen.
func (w dateWords) alt(names ...string) string {
	var all []string
	for _, n := range names {
		all = append(all, w.sections[n]...)
	}
	sort.SliceStable(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	quoted := make([]string, len(all))
	for i, s := range all {
		q := regexp.QuoteMeta(s)
		q = strings.ReplaceAll(q, " ", `[\s-]+`)
		q = strings.ReplaceAll(q, "'", `['’]?`)
		quoted[i] = q
	}
	return `(?:` + strings.Join(quoted, "|") + `)`
}

// key normalises matched words for a lexicon lookup: lower case, one space, straight apostrophes.
func key(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "’", "'"))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '-' }), " ")
}

// lookup finds s in a lexicon map the way alt matched it: hyphens and spaces alike, apostrophes optional.
func lookup[V any](m map[string]V, s string) (V, bool) {
	k := key(s)
	if v, ok := m[k]; ok {
		return v, true
	}
	for w, v := range m {
		if key(strings.ReplaceAll(w, "'", "")) == strings.ReplaceAll(k, "'", "") {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// movableDay is the day a movable holiday's rule gives in year y: "easter" (Easter Sunday, by the
// Gregorian computus), "easter-2" (Good Friday), or "MM/N/weekday", the Nth weekday of a month, -1 for
// its last ("11/4/thu" is Thanksgiving, "05/-1/mon" the last Monday in May).
func movableDay(rule string, y int) (time.Time, error) {
	if strings.HasPrefix(rule, "easter") {
		shift := 0
		if rest := strings.TrimPrefix(rule, "easter"); rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil {
				return time.Time{}, fmt.Errorf("rule %q: %w", rule, err)
			}
			shift = n
		}
		return easter(y).AddDate(0, 0, shift), nil
	}
	f := strings.Split(rule, "/")
	if len(f) != 3 {
		return time.Time{}, fmt.Errorf("rule %q: want easter±N or MM/N/weekday", rule)
	}
	mo, err1 := strconv.Atoi(f[0])
	n, err2 := strconv.Atoi(f[1])
	wd, ok := lookup(map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}, f[2])
	if err1 != nil || err2 != nil || !ok || mo < 1 || mo > 12 || n == 0 || n > 5 {
		return time.Time{}, fmt.Errorf("rule %q: want MM/N/weekday", rule)
	}
	if n < 0 {
		last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7)), nil
	}
	first := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, (int(wd)-int(first.Weekday())+7)%7+7*(n-1)), nil
}

// easter is Easter Sunday of year y (the anonymous Gregorian algorithm).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}
