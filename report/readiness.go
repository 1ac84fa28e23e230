package report

import (
	"time"

	"github.com/exitinterview/exitinterview/readiness"
)

// readinessOf applies package readiness's rule to an account of the report: topics are the states of
// its interview topics by key, discussed the topics its facts hold something about, items the report's handover checklist (the account's items are picked
// out by name, as the dashboard does). The checklist is the report's own, so the score is the one the
// dashboard showed when the report was made.
func readinessOf(a *Account, topics map[string]string, discussed map[string]bool, items []ChecklistItem, successor bool, departure time.Time) *Readiness {
	in := readiness.Account{Name: a.Name, ARR: a.ARR, Topics: topics, Discussed: discussed, HasChecklist: true, SuccessorAssigned: successor, Risk: a.Risk.Level}
	if a.RenewalDate != nil {
		if d, err := time.Parse(time.DateOnly, *a.RenewalDate); err == nil {
			in.RenewalDate = &d
		}
	}
	for _, it := range items {
		if it.Account != a.Name {
			continue
		}
		in.ChecklistTotal++
		if it.Done {
			in.ChecklistDone++
		}
		if it.Kind == "commitment" {
			in.CommitmentsTotal++
			if it.Done {
				in.CommitmentsDone++
			}
		}
	}
	res := readiness.Score(in, departure)
	reasons := res.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	return &Readiness{Score: res.Score, Blind: res.Blind, Reasons: reasons}
}
