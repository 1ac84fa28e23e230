package mcpserver

import (
	"fmt"
	"strconv"
	"strings"
)

// Summary is an account's one-page handover summary in Markdown: the account and its figures, what was
// understood of it by section, its open handover tasks and the questions asked about it. Every text
// captured from the CSM, or drawn from what they said, is in a quoted block (each of its lines starts
// with "> "), so no line of it can pass for a heading or an instruction of the summary's own.
func Summary(d AccountDetail) string {
	var b strings.Builder
	a := d.Account
	fmt.Fprintf(&b, "# %s: handover summary\n\n", oneLine(a.Name))
	b.WriteString("_" + UntrustedNotice + " Here it is every quoted block (lines starting with \">\")._\n\n")
	b.WriteString("| | |\n| --- | --- |\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, cell(v))
		}
	}
	row("Departing CSM", a.CSM)
	row("Their last day", a.DepartureDate)
	row("Session", strings.ReplaceAll(a.InterviewStatus, "_", " "))
	if a.ARR != nil {
		row("ARR", strings.TrimSpace(strconv.FormatFloat(*a.ARR, 'f', -1, 64)+" "+a.Currency))
	}
	row("Renewal", a.RenewalDate)
	row("Risk", a.Risk)
	if a.Readiness != nil {
		r := strconv.Itoa(*a.Readiness) + " / 100"
		if a.Blind {
			r += ", at risk of being handed over blind"
		}
		row("Readiness", r)
	}
	row("Successor", a.Successor)
	row("Account page", a.Link)
	if len(a.Reasons) > 0 {
		b.WriteString("\n**What keeps the readiness down**\n\n")
		for _, r := range a.Reasons {
			fmt.Fprintf(&b, "- %s\n", oneLine(r))
		}
	}
	if a.Waiting {
		b.WriteString("\nThe departing CSM has not approved what was captured of this account yet: nothing of it is shown until they do.\n")
	}

	b.WriteString("\n## What was understood\n")
	if len(d.Facts) == 0 {
		b.WriteString("\nNothing captured yet.\n")
	}
	for _, g := range d.Facts {
		fmt.Fprintf(&b, "\n### %s\n", oneLine(g.Heading))
		for _, f := range g.Facts {
			b.WriteByte('\n')
			quote(&b, f.CapturedText)
			for _, fl := range f.Fields {
				quote(&b, fl.Label+": "+fl.Value)
			}
			var about []string
			if f.State != "" {
				about = append(about, strings.ReplaceAll(f.State, "_", " "))
			}
			if f.Uncertain {
				about = append(about, "which account it is about is a guess")
			}
			if f.Link != "" {
				about = append(about, "[source]("+f.Link+")")
			}
			if len(about) > 0 {
				fmt.Fprintf(&b, "\n%s\n", strings.Join(about, " · "))
			}
		}
	}

	b.WriteString("\n## Open handover tasks\n\n")
	open := 0
	for _, it := range d.Checklist {
		if it.Done {
			continue
		}
		open++
		quote(&b, "- "+it.Title+" ("+strings.ReplaceAll(it.Kind, "_", " ")+"; due "+orDash(it.DueDate)+"; owner "+orDash(it.Owner)+")")
	}
	switch {
	case open == 0 && len(d.Checklist) == 0:
		b.WriteString("No handover checklist yet: the session's report makes it.\n")
	case open == 0:
		b.WriteString("Every task is done.\n")
	}

	if len(d.Questions) > 0 {
		b.WriteString("\n## Questions asked of the CSM\n")
		for _, q := range d.Questions {
			fmt.Fprintf(&b, "\nAsked by the %s on %s (%s):\n\n", q.From, q.CreatedAt.Format("2006-01-02"), q.Status)
			quote(&b, q.Text)
			if q.Answer != nil {
				b.WriteString("\nAnswer:\n\n")
				quote(&b, q.Answer.CapturedText)
			}
		}
	}
	return b.String()
}

// quote writes s as a Markdown block quote, every line of it quoted.
func quote(b *strings.Builder, s string) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r", ""))
	for line := range strings.SplitSeq(s, "\n") {
		b.WriteString("> " + line + "\n")
	}
	b.WriteString(">\n")
}

// oneLine keeps a name on its line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cell keeps a value in its table cell.
func cell(s string) string { return strings.ReplaceAll(oneLine(s), "|", `\|`) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
