package interview

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// followUpCase is one row of testdata/followups.tsv: an answer to a question about topics, and the
// follow-ups a good interviewer would ask (any of them is right), or none.
type followUpCase struct {
	style, answer string
	topics, want  []string
}

func loadFollowUpCases(t *testing.T) []followUpCase {
	t.Helper()
	b, err := os.ReadFile("testdata/followups.tsv")
	if err != nil {
		t.Fatal(err)
	}
	var out []followUpCase
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("followups.tsv: %d columns in %q", len(cols), line)
		}
		for _, topic := range strings.Split(cols[1], ",") {
			if _, ok := TopicByKey(topic); !ok {
				t.Fatalf("followups.tsv: %q is not a topic", topic)
			}
		}
		out = append(out, followUpCase{style: cols[0], topics: strings.Split(cols[1], ","), want: strings.Split(cols[2], "|"),
			answer: strings.ReplaceAll(cols[3], `\n`, "\n")})
	}
	return out
}

// corpusState is an interview of one deep account, and the portfolio, with one question about topics
// answered by answer; a question about portfolio topics has no account.
func corpusState(topics []string, answer string) (*State, *store.Message, *store.Message) {
	acc := store.Account{ID: "acc", Name: "Northwind Traders", Depth: "deep"}
	st := &State{Interview: store.Interview{CSMName: "Dana Whitfield"}, Accounts: []store.Account{acc}}
	for _, t := range AccountTopics {
		st.Coverage = append(st.Coverage, store.CoverageItem{AccountID: "acc", Topic: t, State: Missing})
	}
	for _, t := range PortfolioTopics {
		st.Coverage = append(st.Coverage, store.CoverageItem{Topic: t, State: Missing})
	}
	accountID := "acc"
	if slices.Contains(PortfolioTopics, topics[0]) {
		accountID = ""
	}
	q := store.Message{ID: "q", Seq: 1, Role: "interviewer", Kind: KindQuestion, AccountID: accountID, Topics: topics}
	a := store.Message{ID: "a", Seq: 2, Role: "csm", Kind: KindAnswer, Content: answer, ReplyTo: "q"}
	st.Messages = []store.Message{q, a}
	return st, &st.Messages[0], &st.Messages[1]
}

// TestFollowUpsOnAFreshCorpus scores the follow-up rules on a labelled set written apart from the rules
// (testdata/followups.tsv: 60 answers in five writing styles, each with the follow-up a good interviewer
// would ask, or none). It prints the accuracy (the follow-up asked is one the row allows, or none when
// none is due) and how well the rules tell when a follow-up is due at all (precision and recall).
//
// First run, before the rules read answers with the extraction: accuracy 0.600 (36/60), due precision
// 0.424 (14/33), recall 0.737 (14/19). Now: accuracy 0.950 (57/60), precision 1.000 (16/16), recall 0.842
// (16/19); the misses are people whose role no reader sees ("Most of my time goes to Alicia Moreno and Ben
// Ortiz", a lowercase "tom" in an escalation path) and a short hedged overview the content reader covers.
func TestFollowUpsOnAFreshCorpus(t *testing.T) {
	t.Parallel()
	cases := loadFollowUpCases(t)
	right, asked, askedRight, due := 0, 0, 0, 0
	for _, c := range cases {
		st, q, a := corpusState(c.topics, c.answer)
		cov := st.coverage()
		judgeAnswer(st, cov, q, a)
		got := "none"
		if m := followUpFor(st, cov, q, a); m != nil {
			got = m.section
			if got == "person_role:portfolio" {
				got = "person_role"
			}
		}
		wantSome := !slices.Contains(c.want, "none")
		if wantSome {
			due++
		}
		if got != "none" {
			asked++
			if wantSome {
				askedRight++
			}
		}
		if slices.Contains(c.want, got) {
			right++
		} else {
			t.Logf("%-14s %-32s got %-22s want %-40s %q", c.style, strings.Join(c.topics, ","), got, strings.Join(c.want, "|"), c.answer)
		}
	}
	accuracy := float64(right) / float64(len(cases))
	precision, recall := float64(askedRight)/float64(max(asked, 1)), float64(askedRight)/float64(max(due, 1))
	t.Logf("follow-ups: accuracy %.3f (%d/%d), due precision %.3f (%d/%d), recall %.3f (%d/%d)",
		accuracy, right, len(cases), precision, askedRight, asked, recall, askedRight, due)
	if len(cases) < 60 {
		t.Errorf("the corpus has %d rows; it must keep at least 60", len(cases))
	}
	const minAccuracy, minPrecision, minRecall = 0.93, 0.95, 0.80
	if accuracy < minAccuracy || precision < minPrecision || recall < minRecall {
		t.Errorf("accuracy %.3f, precision %.3f, recall %.3f below the floors %.2f, %.2f, %.2f", accuracy, precision, recall, minAccuracy, minPrecision, minRecall)
	}
}
