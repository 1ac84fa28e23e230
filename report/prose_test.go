package report

import (
	"bufio"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/extract"
)

// proseCase is one line of testdata/prose.tsv.
type proseCase struct{ kind, style, input, want string }

func readProseCases(t *testing.T) []proseCase {
	t.Helper()
	f, err := os.Open("testdata/prose.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []proseCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("prose.tsv line %d: %d columns, want 4", n, len(cols))
		}
		out = append(out, proseCase{cols[0], cols[1], cols[2], cols[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// worded is what the e-mail's wording makes of a case's input.
func worded(t *testing.T, c proseCase) string {
	switch c.kind {
	case "greet":
		return greeting(strings.Split(c.input, "|"))
	case "upsell":
		return contextPhrase(extract.Upsell, c.input)
	case "issue":
		return contextPhrase(extract.OpenIssue, c.input)
	case "promise":
		return contextPhrase(extract.Commitment, c.input)
	case "meet":
		n, err := strconv.Atoi(c.input)
		if err != nil {
			t.Fatalf("meet case %q: %v", c.input, err)
		}
		return meetPhrase(n)
	}
	t.Fatalf("unknown kind %q", c.kind)
	return ""
}

// TestEmailWordingOnTheProseCorpus scores the e-mail's wording (greeting, the phrases that mention an
// upsell, an open issue or a promise, the meeting phrase) on testdata/prose.tsv, a corpus of 76 cases in
// five writing styles written before the wording rules were changed, and prints the accuracy per kind
// and style.
//
// First run, with the wording as it was (the first word of each name, "our conversation about" plus the
// product, "the open" plus the issue, "what I promised about" plus the promise, "the three of us"
// always): 11/76 (greet 7/19, upsell 3/14, issue 0/14, promise 0/24, meet 1/5; by style brit 2/22,
// bullets 0/7, hedge 0/4, nonnative 2/12, us 7/31). With the wording rules of prose.go: 75/76; the miss is
// "user training", which the rules now write without an article (a mass noun), as the personas' reports
// read better for it. The floor is a little below that.
func TestEmailWordingOnTheProseCorpus(t *testing.T) {
	cases := readProseCases(t)
	type tally struct{ good, all int }
	byKind, byStyle := map[string]*tally{}, map[string]*tally{}
	var total tally
	for _, c := range cases {
		got := worded(t, c)
		ok := got == c.want
		for m, key := range map[*map[string]*tally]string{&byKind: c.kind, &byStyle: c.style} {
			m := *m
			if m[key] == nil {
				m[key] = &tally{}
			}
			m[key].all++
			if ok {
				m[key].good++
			}
		}
		total.all++
		if ok {
			total.good++
		} else {
			t.Logf("%s %q: got %q, want %q", c.kind, c.input, got, c.want)
		}
	}
	for _, m := range []map[string]*tally{byKind, byStyle} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+" "+strconv.Itoa(m[k].good)+"/"+strconv.Itoa(m[k].all))
		}
		t.Logf("%s", strings.Join(parts, ", "))
	}
	t.Logf("e-mail wording accuracy %d/%d", total.good, total.all)
	if total.all < 60 {
		t.Fatalf("the corpus has %d cases; it needs at least 60", total.all)
	}
	if float64(total.good) < 0.95*float64(total.all) {
		t.Errorf("e-mail wording accuracy %d/%d, below the floor", total.good, total.all)
	}
}

// TestMentionable pins what the e-mail leaves out of its mentions: pieces of sentences, phrases cut
// mid-way, the CSM's notes to themselves, lists of their own, lone common words; and what it keeps.
func TestMentionable(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		typ, what string
		want      bool
	}{
		{extract.OpenIssue, "The GPS drift bug", true},
		{extract.OpenIssue, "data export is broken", true},
		{extract.OpenIssue, "a sync bug where Salesforce shows stale delivery status", true},
		{extract.Commitment, "send Sara a relevance tuning guide", true},
		{extract.Upsell, "SSO", true},
		{extract.Upsell, "seats", false},
		{extract.Commitment, "it", false},
		{extract.Commitment, "after the holidays", false},
		{extract.OpenIssue, "He has an open complaint", false},
		{extract.OpenIssue, "It is a known issue", false},
		{extract.OpenIssue, "inventory sync is the major issue", false},
		{extract.Commitment, "Nomvula that we would deliver a board-ready package by the", false},
		{extract.Commitment, "the rate limit bump, eng says it's a config change", false},
		{extract.OpenIssue, "dup-appointment bug which", false},
		{extract.OpenIssue, "drops shipment updates overnight", false},
		{extract.Commitment, "and im walking tunde through the new approvals flow", false},
		{extract.Commitment, "s colleague Ines we send the case study draft", false},
		{extract.Commitment, "first thing", false},
		{extract.OpenIssue, "Subject: Statement sync failure", false},
	} {
		if got := mentionable(c.typ, c.what); got != c.want {
			t.Errorf("mentionable(%s, %q) = %v, want %v", c.typ, c.what, got, c.want)
		}
	}
}
