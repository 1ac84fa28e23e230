package fidelity

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/extract"
)

// sentenceScores are the offline rules' figures on the labelled sentences of one part of the table.
type sentenceScores struct {
	personTP, personFP, personFN int
	risk, dates                  Share
}

// TestOfflineRulesOnTheSentenceTable reads every labelled sentence with the offline rules (people as
// stakeholders, a churn-risk level, a date against the interview day) and reports precision, recall and
// accuracy for the tuned and the held-out part. The floors are today's figures: the rules may only get
// better.
func TestOfflineRulesOnTheSentenceTable(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/sentences.tsv")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	parts := map[string]*sentenceScores{"tune": {}, "heldout": {}}
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n")[1:] {
		f := strings.Split(line, "\t")
		sc, sentence, label := parts[f[0]], f[2], f[3]
		switch f[1] {
		case "person":
			var want []string
			if label != "-" {
				want = strings.Split(label, "|")
			}
			var got []string
			for _, fd := range extract.Offline(sentence, extract.Context{Topics: []string{"stakeholders"}, Today: today}) {
				if n := fd.Fields["name"]; fd.Type == extract.Stakeholder && n != "" && !slices.Contains(got, n) {
					got = append(got, n)
				}
			}
			for _, g := range got {
				if slices.ContainsFunc(want, func(w string) bool { return strings.EqualFold(w, g) }) {
					sc.personTP++
				} else {
					sc.personFP++
				}
			}
			for _, w := range want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.EqualFold(w, g) }) {
					sc.personFN++
				}
			}
		case "risk":
			level := "none"
			for _, fd := range extract.Offline(sentence, extract.Context{Topics: []string{"churn_risk"}, Today: today}) {
				if fd.Type == extract.Risk && fd.Fields["level"] != "" {
					level = fd.Fields["level"]
					break
				}
			}
			sc.risk.All++
			if level == label {
				sc.risk.Good++
			}
		case "date":
			got := "none"
			if ds := extract.Dates(sentence, today); len(ds) > 0 {
				got = ds[0].Format(time.DateOnly)
			}
			sc.dates.All++
			if got == label {
				sc.dates.Good++
			}
		}
	}
	floors := map[string]struct{ personP, personR, risk, dates float64 }{
		"tune":    {0.95, 0.91, 0.95, 0.95},
		"heldout": {0.92, 0.84, 0.70, 0.78},
	}
	for _, part := range []string{"tune", "heldout"} {
		sc := parts[part]
		p := Share{sc.personTP, sc.personTP + sc.personFP}
		r := Share{sc.personTP, sc.personTP + sc.personFN}
		t.Logf("%s: people precision %s, recall %s; risk accuracy %s; date accuracy %s", part, p, r, sc.risk, sc.dates)
		fl := floors[part]
		if p.Value() < fl.personP || r.Value() < fl.personR || sc.risk.Value() < fl.risk || sc.dates.Value() < fl.dates {
			t.Errorf("%s: below today's figures (people precision %.2f, recall %.2f, risk %.2f, dates %.2f)", part,
				fl.personP, fl.personR, fl.risk, fl.dates)
		}
	}
}
