package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/readiness"
)

// The executive summary's figures: what a head of Customer Success looks at first. The PDF and the
// Markdown both draw them from here.

// Renewal windows of the executive summary, in days from the report's date.
const (
	renewalSoon   = 90
	renewalWindow = 180
)

// nextCommitments is how many open commitments the executive summary lists.
const nextCommitments = 6

// levelARR is the accounts at one risk level and the ARR they carry.
type levelARR struct {
	Level    string
	Accounts int
	ARR      float64
	Unknown  int // accounts of the level whose ARR is unknown
}

// arrByLevel sums ARR per risk level, highest level first, every level listed even when no account has
// it; total is the ARR of all accounts.
func arrByLevel(r *Report) (levels []levelARR, total float64) {
	for _, l := range []string{"critical", "high", "medium", "low"} {
		levels = append(levels, levelARR{Level: l})
	}
	for i := range r.Accounts {
		a := &r.Accounts[i]
		k := slices.IndexFunc(levels, func(l levelARR) bool { return l.Level == strings.ToLower(a.Risk.Level) })
		if k < 0 {
			levels = append(levels, levelARR{Level: strings.ToLower(a.Risk.Level)})
			k = len(levels) - 1
		}
		levels[k].Accounts++
		if a.ARR == nil {
			levels[k].Unknown++
			continue
		}
		levels[k].ARR += *a.ARR
		total += *a.ARR
	}
	return levels, total
}

// today is the report's date: the day the timeline and the renewal windows count from.
func (r *Report) today() time.Time {
	t := r.GeneratedAt.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// renewal is an account's renewal within the window of the executive summary.
type renewal struct {
	Account *Account
	Date    time.Time
	Days    int // from the report's date
}

// renewalsDue lists the renewals from the report's date to within days after it, soonest first.
func renewalsDue(r *Report, days int) []renewal {
	today := r.today()
	var out []renewal
	for i := range r.Accounts {
		a := &r.Accounts[i]
		if a.RenewalDate == nil {
			continue
		}
		d, err := time.Parse(time.DateOnly, *a.RenewalDate)
		if err != nil {
			continue
		}
		n := int(d.Sub(today).Hours() / 24)
		if n >= 0 && n <= days {
			out = append(out, renewal{Account: a, Date: d, Days: n})
		}
	}
	slices.SortStableFunc(out, func(x, y renewal) int { return x.Date.Compare(y.Date) })
	return out
}

// renewalTotals counts renewals and sums their ARR.
func renewalTotals(rs []renewal) (n int, arr float64) {
	for _, x := range rs {
		n++
		if x.Account.ARR != nil {
			arr += *x.Account.ARR
		}
	}
	return n, arr
}

// commitmentsDue returns the open commitments of the handover checklist that fall due first, at most n,
// and how many more are open.
func commitmentsDue(r *Report, n int) (next []ChecklistItem, more int) {
	for _, it := range r.Checklist {
		if it.Kind == "commitment" && !it.Done {
			next = append(next, it)
		}
	}
	slices.SortStableFunc(next, func(a, b ChecklistItem) int {
		// Items without a date come last.
		if (a.DueDate == "") != (b.DueDate == "") {
			if a.DueDate == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(a.DueDate, b.DueDate)
	})
	if len(next) > n {
		return next[:n], len(next) - n
	}
	return next, 0
}

// blindAccounts are the accounts that would be handed over blind, in the dashboard's order of attention:
// highest risk first, then the least ready. known is false when the report recorded no readiness (a
// report made before it did).
func blindAccounts(r *Report) (blind []*Account, known bool) {
	for i := range r.Accounts {
		a := &r.Accounts[i]
		if a.Readiness == nil {
			continue
		}
		known = true
		if a.Readiness.Blind {
			blind = append(blind, a)
		}
	}
	slices.SortStableFunc(blind, func(a, b *Account) int {
		if ra, rb := readiness.RiskRank(a.Risk.Level), readiness.RiskRank(b.Risk.Level); ra != rb {
			return rb - ra
		}
		return a.Readiness.Score - b.Readiness.Score
	})
	return blind, known
}

// blindRule says where the blind threshold lies, in the words of package readiness's rule.
const blindRule = "An account is handed over blind when its readiness is below 50, or below 75 at high or critical risk: the dashboard's rule, applied when this report was made."

// shortDate is a date as the timeline and the tables print it: "1 Jul 2026".
func shortDate(t time.Time) string { return t.Format("2 Jan 2006") }

// inDays says how far off a day is: "today", "in 1 day", "in 12 days".
func inDays(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "in 1 day"
	}
	return "in " + counted(n, "day", "days")
}

// share is a part of a whole as a whole percentage ("—" when the whole is 0).
func share(part, whole float64) string {
	if whole <= 0 {
		return "—"
	}
	return strconv.Itoa(int(part/whole*100+0.5)) + " %"
}

// renewalsLine counts the renewals of the two windows and the ARR they carry.
func renewalsLine(n90 int, arr90 float64, n180 int, arr180 float64) string {
	if n180 == 0 {
		return "No renewal falls within the next 180 days."
	}
	return fmt.Sprintf("Within 90 days: %s, ARR %s. Within 180 days: %s, ARR %s.", counted(n90, "renewal", "renewals"), money(&arr90),
		counted(n180, "renewal", "renewals"), money(&arr180))
}

// moreCommitments says how many open commitments the summary leaves to the checklist.
func moreCommitments(n int) string {
	return fmt.Sprintf("%s more in the handover checklist (section %d).", counted(n, "open commitment", "open commitments"), secChecklist+1)
}
