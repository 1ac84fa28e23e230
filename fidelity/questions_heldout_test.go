package fidelity

import (
	"strings"
	"testing"
)

// heldoutKinds are the shapes of question the held-out set asks; "none" is a question nothing the persona
// said answers.
var heldoutKinds = map[string]bool{
	"who_decides": true, "who_signs": true, "champion": true, "who_else": true, "contact_how": true,
	"risk": true, "risk_why": true, "renewal_when": true, "renewal_odds": true, "competitor": true,
	"open_issue": true, "promise": true, "promise_when": true, "upsell": true, "workaround": true,
	"why_decision": true, "escalation": true, "shadow": true, "feedback": true, "process": true,
	"other": true, "none": true,
}

// TestHeldoutQuestionsKeepTheirRules: the held-out set keeps the rules of a set of successor questions.
func TestHeldoutQuestionsKeepTheirRules(t *testing.T) {
	t.Parallel()
	qs, err := HeldoutQuestions()
	if err != nil {
		t.Fatal(err)
	}
	checkQuestionRules(t, qs, 80)
}

// checkQuestionRules: every wanted piece is verbatim (case and runs of spaces aside) in one single answer
// or follow-up of its persona, so a passage can hold it whole; every account is one of the persona's
// accounts ("" for the portfolio); a "none" question wants nothing and every other question wants one to
// three pieces; no question is asked twice of a persona; the set holds at least atLeast questions over
// every persona, and every persona has answerable and unanswerable questions.
func checkQuestionRules(t *testing.T, qs []Question, atLeast int) {
	t.Helper()
	ps, err := Personas()
	if err != nil {
		t.Fatal(err)
	}
	said := map[string][]string{}
	accounts := map[string]map[string]bool{}
	for _, p := range ps {
		accounts[p.Slug] = map[string]bool{"": true}
		for _, a := range p.Accounts {
			accounts[p.Slug][a.Name] = true
		}
		for _, an := range p.Answers {
			for _, text := range []string{an.Text, an.FollowUp} {
				if text != "" {
					said[p.Slug] = append(said[p.Slug], squash(text))
				}
			}
		}
	}
	per := map[string][2]int{}
	asked := map[string]bool{}
	for _, q := range qs {
		if _, ok := accounts[q.Persona]; !ok {
			t.Errorf("%q: no persona %q", q.Q, q.Persona)
			continue
		}
		key := q.Persona + "\x00" + squash(q.Q)
		if strings.TrimSpace(q.Q) == "" || asked[key] {
			t.Errorf("%s: empty or repeated question %q", q.Persona, q.Q)
		}
		asked[key] = true
		if !accounts[q.Persona][q.Account] {
			t.Errorf("%q: %q is not one of %s's accounts", q.Q, q.Account, q.Persona)
		}
		if !heldoutKinds[q.Kind] {
			t.Errorf("%q: unknown kind %q", q.Q, q.Kind)
		}
		n := per[q.Persona]
		if q.Kind == "none" {
			n[1]++
			if len(q.Want) != 0 {
				t.Errorf("%q: a none question wants %q", q.Q, q.Want)
			}
		} else {
			n[0]++
			if len(q.Want) < 1 || len(q.Want) > 3 {
				t.Errorf("%q: %d wanted pieces, want 1 to 3", q.Q, len(q.Want))
			}
		}
		per[q.Persona] = n
		for _, w := range q.Want {
			if !inOneAnswer(said[q.Persona], w) {
				t.Errorf("%q: %q is not in any single answer of %s", q.Q, w, q.Persona)
			}
		}
	}
	if len(qs) < atLeast || len(per) != len(ps) {
		t.Fatalf("%d questions over %d personas, want at least %d over %d", len(qs), len(per), atLeast, len(ps))
	}
	for slug, n := range per {
		if n[0] == 0 || n[1] == 0 {
			t.Errorf("%s: %d answerable and %d unanswerable questions", slug, n[0], n[1])
		}
	}
}

// inOneAnswer reports whether piece is within one of the squashed answers.
func inOneAnswer(answers []string, piece string) bool {
	p := squash(piece)
	for _, a := range answers {
		if strings.Contains(a, p) {
			return true
		}
	}
	return false
}
