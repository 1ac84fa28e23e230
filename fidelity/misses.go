package fidelity

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// PrintMisses writes what a run got wrong against the persona's truth, one line each, so that a figure
// below its target can be traced to the answers behind it: the pairs the persona was never asked
// (whose answer it never got to give), the commitments whose due date the report lacks, the introduction
// e-mails' recipients who are not to be introduced, the gaps it
// lists, the questions
// asked that were already answered, and each scored answer whose topics the report read otherwise than
// the truth (the pairs it missed and those it added).
func PrintMisses(w io.Writer, p Persona, run Run) {
	answered := run.answered()
	for _, an := range p.Answers {
		if !answered[Coverage{an.Account, an.Topic}] {
			fmt.Fprintf(w, "never answered: %s\n", Coverage{an.Account, an.Topic})
		}
	}
	for _, ra := range run.Report.Accounts {
		for _, c := range p.Truth[ra.Name].Commitments {
			due := shiftDate(c.Due, run.Shift)
			var got []string
			for _, f := range ra.Findings {
				if f.Type == "commitment" {
					got = append(got, f.Fields["due_date"])
				}
			}
			if !slices.Contains(got, due) {
				fmt.Fprintf(w, "commitment date: %s, %q due %s; the report's commitments are due %v\n", ra.Name, c.What, due, got)
			}
		}
	}
	for _, ra := range run.Report.Accounts {
		for _, to := range ra.IntroEmail.To {
			if pf, ok := p.whoIs(to); !ok || pf.Status == "left" || pf.Status == "on_leave" || pf.DoNotContact {
				fmt.Fprintf(w, "wrong intro recipient: %s at %s\n", to, ra.Name)
			}
		}
	}
	for _, g := range run.Report.Gaps {
		fmt.Fprintf(w, "gap: %s\n", Coverage{g.Account, g.Topic})
	}
	for _, q := range run.Asked {
		if q.AlreadyAnswered && q.Kind != "closing" && q.Kind != "readback" {
			fmt.Fprintf(w, "already answered: %s %v (%s): %q\n", q.Account, q.Topics, q.Kind, q.Text)
		}
	}
	n := 0
	for _, m := range run.Report.Transcript {
		if m.Role != "csm" || n >= len(run.Sent) {
			continue
		}
		s := run.Sent[n]
		n++
		if !s.Scored {
			continue
		}
		said := m.Covers
		var missed, added []string
		for _, c := range s.Covers {
			if !slices.Contains(said, c) {
				missed = append(missed, c.String())
			}
		}
		for _, c := range said {
			if !slices.Contains(s.Covers, c) {
				added = append(added, c.String())
			}
		}
		if len(missed)+len(added) > 0 {
			fmt.Fprintf(w, "topics: missed [%s], added [%s] in %q\n", strings.Join(missed, ", "), strings.Join(added, ", "), s.Text)
		}
	}
}

// String is "Account / topic", or "portfolio / topic".
func (c Coverage) String() string {
	if c.Account == "" {
		return "portfolio / " + c.Topic
	}
	return c.Account + " / " + c.Topic
}
