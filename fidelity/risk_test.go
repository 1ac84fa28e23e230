package fidelity

import (
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/extract"
)

// TestOfflineRiskOfThePersonas reads every persona's answers about an account (its own answers, each
// followed by its follow-up) with the offline rules, in the order the file gives them, picks the
// account's level with extract.AccountRisk, as the report does, and scores it against the level the CSM
// meant. The floor is a little below today's figure (26/26): the rules may only get better.
func TestOfflineRiskOfThePersonas(t *testing.T) {
	t.Parallel()
	personas, err := Personas()
	if err != nil {
		t.Fatal(err)
	}
	var sc Share
	for _, p := range personas {
		today, _ := time.Parse(time.DateOnly, p.InterviewDate)
		names := make([]string, len(p.Accounts))
		for i, a := range p.Accounts {
			names[i] = a.Name
		}
		for _, a := range p.Accounts {
			var statements []extract.RiskStatement
			for _, an := range p.Answers {
				if an.Account != a.Name {
					continue
				}
				for _, text := range []string{an.Text, an.FollowUp} {
					for _, f := range extract.Offline(text, extract.Context{Topics: []string{an.Topic}, Account: a.Name, Accounts: names,
						CSMName: p.CSM.Name, Today: today}) {
						if f.Type == extract.Risk {
							statements = append(statements, extract.RiskStatementOf(f.Fields))
						}
					}
				}
			}
			got, _ := extract.AccountRisk(statements)
			want := p.Truth[a.Name].Risk
			sc.All++
			if got == want {
				sc.Good++
			} else {
				t.Logf("%s, %s: want %s, got %q from %v", p.Slug, a.Name, want, got, statements)
			}
		}
	}
	t.Logf("persona risk accuracy %s", sc)
	if sc.Value() < 0.95 {
		t.Errorf("persona risk accuracy %s, below today's figure", sc)
	}
}
