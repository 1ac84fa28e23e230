package fidelity

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/interview"
)

// TestPersonasAreWellFormed holds every persona to the corpus's rules (testdata/FORMAT.md), so a scorer
// can trust it: each account and topic answered, every truth about the accounts found in the answers.
func TestPersonasAreWellFormed(t *testing.T) {
	t.Parallel()
	personas, err := Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personas {
		t.Run(p.Slug, func(t *testing.T) {
			t.Parallel()
			checkPersona(t, p)
		})
	}
}

var (
	risks         = []string{"low", "medium", "high", "critical"}
	relationships = []string{"champion", "sponsor", "decision_maker", "admin", "procurement", "user", "other"}
	statuses      = []string{"active", "left", "on_leave", "new"}
	contradicts   = []string{"health", "renewal_date", "opportunity"}
)

func date(t *testing.T, what, s string, optional bool) {
	t.Helper()
	if s == "" && optional {
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		t.Errorf("%s: %q is not YYYY-MM-DD", what, s)
	}
}

func checkPersona(t *testing.T, p Persona) {
	if p.Style == "" || p.CSM.Name == "" {
		t.Error("style and csm.name are required")
	}
	date(t, "interview_date", p.InterviewDate, false)
	date(t, "departure_date", p.DepartureDate, false)
	if p.DepartureDate <= p.InterviewDate {
		t.Error("the departure date must come after the interview date")
	}
	if n := len(p.Accounts); n < 4 || n > 8 {
		t.Errorf("%d accounts, want 4 to 8", n)
	}
	names := map[string]bool{}
	for _, a := range p.Accounts {
		if a.Name == "" || names[a.Name] {
			t.Errorf("account name %q empty or repeated", a.Name)
		}
		names[a.Name] = true
		date(t, a.Name+": renewal_date", a.RenewalDate, true)
		date(t, a.Name+": crm.last_contact", a.CRM.LastContact, true)
	}
	var all strings.Builder
	asked := map[Coverage]bool{}
	covered := map[Coverage]bool{}
	for i, an := range p.Answers {
		if an.Account != "" && !names[an.Account] {
			t.Errorf("answer %d: unknown account %q", i, an.Account)
		}
		tp, ok := interview.TopicByKey(an.Topic)
		if !ok || tp.Portfolio != (an.Account == "") {
			t.Errorf("answer %d: topic %q does not fit account %q", i, an.Topic, an.Account)
		}
		if strings.TrimSpace(an.Text) == "" {
			t.Errorf("answer %d: no text", i)
		}
		k := Coverage{an.Account, an.Topic}
		if asked[k] {
			t.Errorf("answer %d: a second answer for %v", i, k)
		}
		asked[k] = true
		for _, c := range an.Covers {
			if tp, ok := interview.TopicByKey(c.Topic); !ok || tp.Portfolio != (c.Account == "") || (c.Account != "" && !names[c.Account]) {
				t.Errorf("answer %d: covers %v, not a pair of this book", i, c)
			}
			covered[c] = true
		}
		all.WriteString(an.Text + "\n" + an.FollowUp + "\n")
	}
	var pairs []Coverage
	for _, a := range p.Accounts {
		for _, tp := range interview.AccountTopics {
			pairs = append(pairs, Coverage{a.Name, tp})
		}
	}
	for _, tp := range interview.PortfolioTopics {
		pairs = append(pairs, Coverage{"", tp})
	}
	for _, k := range pairs {
		if !asked[k] {
			t.Errorf("no answer for %v", k)
		}
		if !covered[k] {
			t.Errorf("no answer covers %v", k)
		}
	}
	text := all.String()
	contradictions := 0
	for name, tr := range p.Truth {
		if !names[name] {
			t.Errorf("truth about unknown account %q", name)
			continue
		}
		if !slices.Contains(risks, tr.Risk) {
			t.Errorf("%s: risk %q", name, tr.Risk)
		}
		date(t, name+": renewal.date", tr.Renewal.Date, true)
		if pr := tr.Renewal.Probability; pr != nil && (*pr < 0 || *pr > 1) {
			t.Errorf("%s: renewal probability %v", name, *pr)
		}
		for _, pf := range tr.People {
			if !slices.Contains(relationships, pf.Relationship) || !slices.Contains(statuses, pf.Status) {
				t.Errorf("%s: %s: relationship %q, status %q", name, pf.Name, pf.Relationship, pf.Status)
			}
			found := strings.Contains(text, pf.Name)
			for _, m := range pf.Mentions {
				found = found || strings.Contains(text, m)
			}
			if !found {
				t.Errorf("%s: %s is named in no answer", name, pf.Name)
			}
			if pf.DoNotContact && pf.Reason == "" {
				t.Errorf("%s: %s must not be contacted, but no reason", name, pf.Name)
			}
		}
		for _, np := range tr.NotPeople {
			if !strings.Contains(text, np) {
				t.Errorf("%s: not-a-person %q is in no answer", name, np)
			}
		}
		for _, c := range tr.Commitments {
			date(t, name+": commitment "+c.What, c.Due, false)
		}
		for _, c := range tr.Contradictions {
			if !slices.Contains(contradicts, c.Kind) {
				t.Errorf("%s: contradiction kind %q", name, c.Kind)
			}
			contradictions++
		}
	}
	for name := range names {
		if _, ok := p.Truth[name]; !ok {
			t.Errorf("no truth about %s", name)
		}
	}
	if contradictions == 0 {
		t.Error("no contradiction with the CRM planted")
	}
}

// TestSentenceTableIsWellFormed holds the labelled sentences to their format (testdata/FORMAT.md).
func TestSentenceTableIsWellFormed(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/sentences.tsv")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if lines[0] != "part\tkind\tsentence\tlabel\tnot_people" {
		t.Fatalf("header %q", lines[0])
	}
	count := map[string]int{}
	for i, line := range lines[1:] {
		f := strings.Split(line, "\t")
		if len(f) != 5 || (f[0] != "tune" && f[0] != "heldout") || f[2] == "" {
			t.Errorf("line %d: %q", i+2, line)
			continue
		}
		count[f[1]]++
		switch f[1] {
		case "person":
			for _, name := range strings.Split(f[3], "|") {
				if name != "-" && !strings.Contains(f[2], name) {
					t.Errorf("line %d: %q is not in the sentence", i+2, name)
				}
			}
		case "risk":
			if f[3] != "none" && !slices.Contains(risks, f[3]) {
				t.Errorf("line %d: risk %q", i+2, f[3])
			}
		case "date":
			if f[3] != "none" {
				date(t, fmt.Sprintf("line %d", i+2), f[3], false)
			}
		default:
			t.Errorf("line %d: kind %q", i+2, f[1])
		}
	}
	if count["person"] < 100 || count["risk"] < 100 || count["date"] < 100 {
		t.Errorf("sentences by kind: %v; want at least 100 of each", count)
	}
}
