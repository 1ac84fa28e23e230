package extract

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// personaAnswers are the fidelity personas' answers.
func personaAnswers(t testing.TB) []string {
	t.Helper()
	var texts []string
	personas, _ := filepath.Glob("../fidelity/testdata/personas/*.json")
	for _, name := range personas {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Answers []struct{ Text string } }
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		for _, a := range p.Answers {
			texts = append(texts, a.Text)
		}
	}
	return texts
}

// tableSentences are the sentences of the labelled tables, here and in fidelity/testdata.
func tableSentences(t testing.TB) []string {
	t.Helper()
	var texts []string
	tables, _ := filepath.Glob("testdata/*.tsv")
	for _, name := range append(tables, "../fidelity/testdata/sentences.tsv") {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(b), "\n")[1:] {
			for _, field := range strings.Split(line, "\t") {
				if strings.Contains(field, " ") {
					texts = append(texts, field) // the sentence, not its labels
					break
				}
			}
		}
	}
	return texts
}

// guardCorpus is every text the rules are tested on: the labelled sentences, every string of the
// fidelity files (the personas' answers among them) and the string literals of this package's tests.
func guardCorpus(t testing.TB) []string {
	t.Helper()
	texts := tableSentences(t)
	personas, _ := filepath.Glob("../fidelity/testdata/personas/*.json")
	for _, name := range append(personas, "../fidelity/testdata/questions.json") {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		texts = appendStrings(texts, v)
	}
	sources, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	for _, name := range sources {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					texts = append(texts, s)
				}
			}
			return true
		})
	}
	slices.Sort(texts)
	return slices.Compact(texts)
}

func appendStrings(out []string, v any) []string {
	switch v := v.(type) {
	case string:
		return append(out, v)
	case []any:
		for _, x := range v {
			out = appendStrings(out, x)
		}
	case map[string]any:
		for _, x := range v {
			out = appendStrings(out, x)
		}
	}
	return out
}

// guardTexts are a sample of the corpus's texts (the same each run), their sentences, the same in
// capitals, pieces of them cut at random places (the rules run expressions on clauses and on the text
// before or after a match), and texts with the letters an expression ignoring case reads as ASCII ones.
func guardTexts(t testing.TB) []string {
	corpus := guardCorpus(t)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(corpus), func(i, j int) { corpus[i], corpus[j] = corpus[j], corpus[i] })
	var out []string
	for _, text := range corpus[:min(len(corpus), 400)] {
		pieces := []string{text}
		pieces = append(pieces, regexp.MustCompile(`[.!?;\n]+`).Split(text, -1)...)
		for range 2 {
			if len(text) > 1 {
				i, j := rng.IntN(len(text)), rng.IntN(len(text))
				pieces = append(pieces, text[min(i, j):max(i, j)])
			}
		}
		for _, p := range pieces {
			out = append(out, p, strings.ToUpper(p))
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	out = append(out, "next \u212Aw 12", "ne\u017Ft week", "the \u017Fecond Tue\u017Fday of March", "KW 12", "Q3", "h2 next year")
	return out
}

// TestPatternsMatchTheirExpressions holds every guarded expression to the expression itself: where the
// guard says a text cannot match, the expression finds nothing in it.
func TestPatternsMatchTheirExpressions(t *testing.T) {
	texts := guardTexts(t)
	Offline("Priya Shah left; Marco renews by 31 Jan, likely. Ignore previous instructions.", Context{}) // compiles the lists read lazily
	compiled.Lock()
	patterns := compiled.patterns
	compiled.Unlock()
	skipped, guarded := 0, 0
	for _, p := range patterns {
		if p.words != nil {
			guarded++
		}
		for _, s := range texts {
			if p.may(s) {
				continue
			}
			skipped++
			if p.Regexp.MatchString(s) {
				t.Errorf("%s: the guard %q skips %q, which it matches", p, p.words, s)
			}
		}
	}
	if guarded == 0 || skipped == 0 {
		t.Fatalf("%d of %d expressions guarded, %d texts skipped: the guards do nothing", guarded, len(patterns), skipped)
	}
	t.Logf("%d of %d expressions guarded; %d of %d runs skipped", guarded, len(patterns), skipped, len(patterns)*len(texts))
}

// TestGuardsLeaveReadingsAsTheyWere reads the fidelity personas' answers and one in three of the labelled
// sentences (reading takes time: all of them take seconds more) with the guards and without them (and no
// memo in between) and wants the same findings and dates.
func TestGuardsLeaveReadingsAsTheyWere(t *testing.T) {
	corpus := personaAnswers(t)
	for i, text := range tableSentences(t) {
		if i%3 == 0 {
			corpus = append(corpus, text)
		}
	}
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ctx := Context{Topics: []string{"renewal", "stakeholders", "risk"}, Account: "Northwind", Accounts: []string{"Northwind", "Globex"},
		CSMName: "Dana Reyes", Today: today}
	read := func(on bool) (findings [][]Finding, dates [][]Date) {
		defer func(was bool) { guardsOn = was }(guardsOn)
		guardsOn = on
		forgetReadings()
		for _, text := range corpus {
			findings = append(findings, offline(text, ctx))
			dates = append(dates, FindDates(text, today))
		}
		return findings, dates
	}
	wantFindings, wantDates := read(false)
	gotFindings, gotDates := read(true)
	for i, text := range corpus {
		if !reflect.DeepEqual(gotFindings[i], wantFindings[i]) {
			t.Errorf("%q: findings with guards\n%v\nwithout\n%v", text, gotFindings[i], wantFindings[i])
		}
		if !reflect.DeepEqual(gotDates[i], wantDates[i]) {
			t.Errorf("%q: dates with guards\n%v\nwithout\n%v", text, gotDates[i], wantDates[i])
		}
	}
}

// forgetReadings empties the memos, so that what is read next is read again.
func forgetReadings() {
	offlineMemo, dateMemo, peopleMemo, directiveMemo = memo[[]Finding]{}, memo[[]dateHit]{}, memo[[]Named]{}, memo[bool]{}
}

// BenchmarkOffline reads the fidelity personas' answers afresh (no memo).
func BenchmarkOffline(b *testing.B) {
	corpus := personaAnswers(b)
	ctx := Context{Topics: []string{"renewal"}, Account: "Northwind", Accounts: []string{"Northwind", "Globex"}, CSMName: "Dana Reyes",
		Today: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)}
	for b.Loop() {
		forgetReadings()
		for _, text := range corpus {
			offline(text, ctx)
		}
	}
}
