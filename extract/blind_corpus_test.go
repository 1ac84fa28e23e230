package extract

import (
	"os"
	"strings"
	"testing"
	"time"
)

// corpusRow is one labelled sentence of a testdata corpus: the writing style, the sentence and the
// label the writer meant.
type corpusRow struct{ style, sentence, want string }

// readCorpus reads a tab-separated corpus with a header line and three columns.
func readCorpus(t *testing.T, path string) []corpusRow {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []corpusRow
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			t.Fatalf("%s: malformed line %q", path, line)
		}
		rows = append(rows, corpusRow{f[0], f[1], f[2]})
	}
	return rows
}

// scoreCorpus reads every row with read, logs each miss and the share per style, and returns the
// overall accuracy.
func scoreCorpus(t *testing.T, rows []corpusRow, read func(string) string) float64 {
	t.Helper()
	type share struct{ good, all int }
	byStyle := map[string]*share{}
	var styles []string
	var total share
	for _, r := range rows {
		got := read(r.sentence)
		if byStyle[r.style] == nil {
			byStyle[r.style] = &share{}
			styles = append(styles, r.style)
		}
		byStyle[r.style].all++
		total.all++
		if got == r.want {
			byStyle[r.style].good++
			total.good++
		} else {
			t.Logf("miss (%s): %q read %s, want %s", r.style, r.sentence, got, r.want)
		}
	}
	for _, s := range styles {
		t.Logf("%s: %d/%d", s, byStyle[s].good, byStyle[s].all)
	}
	acc := float64(total.good) / float64(total.all)
	t.Logf("accuracy %.3f (%d/%d)", acc, total.good, total.all)
	return acc
}

// riskLevelRead is the level the offline rules read from an answer to the churn-risk question, or
// "none" when they find no risk.
func riskLevelRead(sentence string) string {
	for _, fd := range Offline(sentence, Context{Topics: []string{"churn_risk"}, Account: "Acme"}) {
		if fd.Type == Risk && fd.Fields["level"] != "" {
			return fd.Fields["level"]
		}
	}
	return "none"
}

// blindToday is the interview day the date corpora are labelled against: Monday 7 December 2026.
var blindToday = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

// dateRead is the first day the date reader finds in a sentence, or "none".
func dateRead(sentence string) string {
	if ds := Dates(sentence, blindToday); len(ds) > 0 {
		return ds[0].Format(time.DateOnly)
	}
	return "none"
}

// blindCorpus names a corpus written without looking at the rules, in styles the earlier corpora
// lack (Slack pastes, dictated voice notes, Indian English, Australian and New Zealand slang, formal and
// legal, sales-speak, Scandinavian and German English, hedged management-speak, numbers and scores,
// negations, sarcasm with a clarification), its minimum size and the accuracy it may not fall below.
type blindCorpus struct {
	path  string
	min   int
	floor float64
	read  func(string) string
}

// runBlindCorpus scores one blind corpus and fails when it is too small or below its floor.
func runBlindCorpus(t *testing.T, c blindCorpus) {
	t.Parallel()
	rows := readCorpus(t, c.path)
	if len(rows) < c.min {
		t.Errorf("%s has %d sentences, want at least %d", c.path, len(rows), c.min)
	}
	if acc := scoreCorpus(t, rows, c.read); acc < c.floor {
		t.Errorf("%s: accuracy %.3f is below its floor %.2f", c.path, acc, c.floor)
	}
}

// TestRiskBlindCorpusA scores testdata/risk_blind_a.tsv, 88 churn-risk answers labelled
// low/medium/high/critical/none, written before the risk lexicon was read.
//
// First run, with the rules as they were: 0.466 (41/88): slack 6/8, voice 7/8, indian 4/8, aunz 2/8,
// legal 1/8, sales 6/8, nordic 4/8, mgmt 2/8, numbers 2/8, negation 2/9, sarcasm 5/7. The rules were
// then reworked on it (so it is no held-out measure any more): 0.955 (84/88); with the general rules
// of corpora C and D, 0.977 (86/88). Left: "a real possibility" (read high) and a vendor review started
// (medium).
func TestRiskBlindCorpusA(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/risk_blind_a.tsv", min: 80, floor: 0.95, read: riskLevelRead})
}

// TestDatesBlindCorpusA scores testdata/dates_blind_a.tsv, 66 sentences labelled with the day they mean
// against Monday 7 December 2026 (or "none"), written before the date lexicon was read.
//
// First run, with the rules as they were: 0.803 (53/66): slack 5/6, voice 6/6, indian 5/6, aunz 5/6,
// legal 6/6, sales 6/6, nordic 5/6, mgmt 4/6, numbers 4/6, negation 3/6, sarcasm 4/6. After the
// rework: 0.970 (64/66); with "over two weeks" read as a span from today, 0.985 (65/66). Left: "1/5"
// (read as a score out of five).
func TestDatesBlindCorpusA(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/dates_blind_a.tsv", min: 60, floor: 0.95, read: dateRead})
}

// TestRiskBlindCorpusB scores testdata/risk_blind_b.tsv, 45 churn-risk answers written after the rules
// were reworked on corpus A, without looking at A's misses again.
//
// Blind figure, its first run: 0.600 (27/45): chat 2/5, formal 1/4, brit 2/4, nonnative 4/4, notes 3/4,
// hedge 2/4, numbers 3/4, negation 2/4, sarcasm 2/2, aunz 2/2, indian 0/2, legal 1/2, sales 2/2, voice 1/2.
// After fixing what it showed: 1.000 (45/45).
func TestRiskBlindCorpusB(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/risk_blind_b.tsv", min: 40, floor: 0.97, read: riskLevelRead})
}

// TestDatesBlindCorpusB scores testdata/dates_blind_b.tsv, 36 dated sentences written after the rules
// were reworked on corpus A, without looking at A's misses again.
//
// Blind figure, its first run: 0.833 (30/36): chat 3/3, formal 2/3, brit 3/4, nonnative 3/4, notes 3/4,
// hedge 2/3, numbers 3/3, negation 2/2, sarcasm 1/1, typo 3/3, scandi 1/2, aunz 1/1, indian 1/1,
// legal 1/1, voice 1/1. After fixing what it showed: 1.000 (36/36).
func TestDatesBlindCorpusB(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/dates_blind_b.tsv", min: 30, floor: 0.97, read: dateRead})
}

// TestRiskBlindCorpusC scores testdata/risk_blind_c.tsv, 100 churn-risk sentences in ten styles written by
// someone who had read neither the risk rules nor any earlier corpus, and not tuned on: the rules are
// changed on other sentences and judged here.
//
// First run: 0.760 (76/100): formal 10/10, brit 8/10, nonnative 9/10, notes 9/10, hedge 6/10, numbers
// 5/10, negation 9/10, idiom 7/10, slack 6/10, mixed 7/10. After the rules were reworked on the tune
// corpora C and D (its misses not read): 0.840 (84/100): formal 10/10, brit 10/10, nonnative 9/10, notes
// 10/10, hedge 7/10, numbers 7/10, negation 9/10, idiom 7/10, slack 7/10, mixed 8/10. Its total was
// watched during that work, and twice a drop in it led to a regression being found, so it is a little less
// independent than its first run.
func TestRiskBlindCorpusC(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/risk_blind_c.tsv", min: 100, floor: 0.82, read: riskLevelRead})
}

// TestDatesBlindCorpusC scores testdata/dates_blind_c.tsv, 80 dated sentences in ten styles written by
// someone who had read neither the date rules nor any earlier corpus, and not tuned on: the rules are
// changed on other sentences and judged here.
//
// First run: 0.787 (63/80): formal 6/8, brit 7/8, nonnative 6/8, notes 8/8, hedge 8/8, numbers 8/8,
// negation 6/8, idiom 7/8, slack 6/8, mixed 1/8. After the date reader was reworked on its own fresh
// corpus (dates_tune_c.tsv), without reading this one: 0.812 (65/80).
func TestDatesBlindCorpusC(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/dates_blind_c.tsv", min: 80, floor: 0.8, read: dateRead})
}

// TestDatesTuneCorpusC scores testdata/dates_tune_c.tsv, 100 sentences in nine styles (formal US month
// first, terse British lower case with typos, non-native English with German, Spanish and French dates,
// pasted notes and tickets, hedges, relative days, fiscal periods and week numbers, negation and the
// past, chat), labelled against Monday 7 December 2026 before the rules were changed for it.
//
// First run, with the rules as they were: 0.720 (72/100): us 8/11, brit 9/11, nonnative 6/11, notes
// 8/11, hedge 11/11, relative 7/12, fiscal 8/11, negation 7/11, chat 8/11. Its misses were fixed by
// category (numeric order from the text's other dates, spans counted from a named day, windows of days,
// days ruled out after them, a period's first day after "from" or "not before", week numbers, chat
// spellings, the past after "missed" or "didn't"), so it is a tuned corpus now: 1.000 (100/100).
func TestDatesTuneCorpusC(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/dates_tune_c.tsv", min: 100, floor: 0.97, read: dateRead})
}

// TestRiskTuneCorpusC scores testdata/risk_tune_c.tsv, 122 churn-risk answers in nine styles (formal,
// brit, nonnative, notes, hedge, numbers, negation, idiom, chat), written before the rules were read
// for it, to find the kinds of phrasing the reader misses rather than the phrases.
//
// First run, with the rules as they were: 0.615 (75/122): formal 12/15, brit 7/14, nonnative 9/14,
// notes 9/13, hedge 7/13, numbers 10/14, negation 9/13, idiom 4/13, chat 8/13. The misses were then
// studied by kind (graded idioms, intensifiers and softeners, trends, health numbers and odds, scope of
// negation and hypotheticals, beliefs and doubts, the CSM's own assessment, irony, questions answered)
// and fixed by rule and lexicon, not by sentence: 0.984 (120/122). Left: "Is possible they go" (a bare
// "go" is too common to be leaving) and "they're looking at gong" (a rival the lexicon cannot know).
func TestRiskTuneCorpusC(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/risk_tune_c.tsv", min: 120, floor: 0.96, read: riskLevelRead})
}

// TestRiskTuneCorpusD scores testdata/risk_tune_d.tsv, 66 churn-risk answers in the same nine styles,
// written after the rules were reworked on corpus C, to see whether that work carried over to phrasing
// it had not seen.
//
// First run, with the rules as reworked on C: 0.561 (37/66): formal 2/8, brit 7/8, nonnative 4/8, notes
// 7/8, hedge 3/8, numbers 4/8, negation 5/6, idiom 2/6, chat 3/6 (the rules before that work read 0.470,
// 31/66, so the work on C carried over only in part). After its misses were fixed by kind: 0.955
// (63/66). Left: a hypothetical that is a hedge ("if you held a gun to my head I'd say they stay"), an
// unspoken forecast ("I wouldn't want to be the one forecasting it") and a mixed idiom ("one foot in the
// door with a competitor").
func TestRiskTuneCorpusD(t *testing.T) {
	runBlindCorpus(t, blindCorpus{path: "testdata/risk_tune_d.tsv", min: 60, floor: 0.93, read: riskLevelRead})
}
