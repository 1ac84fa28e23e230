package report

import (
	"slices"
	"strconv"
	"strings"

	"github.com/exitinterview/exitinterview/extract"
)

// brief is what an account's one-page summary holds: what a successor taking it over needs on one
// printed page. The PDF and the Markdown both draw it from here.
type brief struct {
	Why          []string      // the strongest risk drivers, with their points
	Mitigations  []string      // what to do about the risk
	Stakeholders []stakeholder // the people, in the report's order
	Promises     []ChecklistItem
	NextSteps    []ChecklistItem // the other open handover tasks, soonest first
	Docs         []string        // where things live: workarounds, shadow systems, tickets, documents
}

// briefOf gathers an account's one-page summary.
func briefOf(r *Report, a *Account) brief {
	var b brief
	for _, dr := range a.Risk.Drivers {
		b.Why = append(b.Why, dr.Text+" (+"+strconv.Itoa(dr.Points)+")")
	}
	for _, m := range a.Risk.Mitigations {
		b.Mitigations = append(b.Mitigations, m.Text)
	}
	for _, f := range a.Findings {
		switch f.Type {
		case extract.Stakeholder:
			b.Stakeholders = append(b.Stakeholders, stakeholderRow(f))
		case extract.Workaround, extract.ShadowSystem:
			where := joinNonEmpty(", ", f.Fields["location"], f.Fields["tool"])
			if where == "" {
				continue
			}
			b.Docs = append(b.Docs, capitalize(firstNonEmpty(f.Fields["what"], typeLabel(f.Type)))+": "+where)
		case extract.Document:
			if where := firstNonEmpty(f.Fields["location"], f.Fields["link"]); where != "" {
				b.Docs = append(b.Docs, title(docKindLabel(f.Fields["kind"]))+": "+where)
			}
		case extract.OpenIssue:
			if ref := f.Fields["reference"]; ref != "" {
				b.Docs = append(b.Docs, "Ticket "+ref+": "+firstNonEmpty(f.Fields["what"], f.Text))
			}
		}
	}
	for _, it := range checklistOrder(r) {
		if it.Account != a.Name || it.Done {
			continue
		}
		if it.Kind == "commitment" {
			b.Promises = append(b.Promises, it)
		} else {
			b.NextSteps = append(b.NextSteps, it)
		}
	}
	byDue := func(x, y ChecklistItem) int { return strings.Compare(orLast(x.DueDate), orLast(y.DueDate)) }
	slices.SortStableFunc(b.Promises, byDue)
	slices.SortStableFunc(b.NextSteps, byDue)
	return b
}

// orLast sorts an empty date after every date.
func orLast(date string) string {
	if date == "" {
		return "~"
	}
	return date
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// taskLine is a handover task as the one-page summary lists it: "Due 2026-04-03 · title · owner".
func taskLine(it ChecklistItem) string {
	return joinNonEmpty(" · ", "Due "+orDash(it.DueDate), it.Title, "owner "+orDash(it.Owner))
}

// onePagersIntro explains the section of one-page summaries.
const onePagersIntro = "One page per account, to print for the successor who takes it over: the account, its renewal, its risk and why, " +
	"the people, the promises still open, the next steps and where things live. Each page points to the account's full section."
