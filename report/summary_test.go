package report

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func float(v float64) *float64 { return &v }
func str(s string) *string     { return &s }

// figuresReport is hand-made for the executive summary's figures: the report is dated 2026-03-06 and
// the CSM leaves on 2026-03-27.
func figuresReport() *Report {
	return &Report{
		GeneratedAt: time.Date(2026, 3, 6, 16, 45, 0, 0, time.UTC),
		Interview:   Header{CSMName: "Zoë", DepartureDate: "2026-03-27"},
		Accounts: []Account{
			{Name: "Today", ARR: float(100_000), RenewalDate: str("2026-03-06"), Risk: Risk{Level: "critical"},
				Readiness: &Readiness{Score: 70, Blind: true, Reasons: []string{"critical risk"}}},
			{Name: "Day90", ARR: float(50_000), RenewalDate: str("2026-06-04"), Risk: Risk{Level: "high"},
				Readiness: &Readiness{Score: 40, Blind: true, Reasons: []string{"no successor assigned"}}},
			{Name: "Day91", RenewalDate: str("2026-06-05"), Risk: Risk{Level: "high"}, Readiness: &Readiness{Score: 60, Blind: true}},
			{Name: "Day180", ARR: float(25_000), RenewalDate: str("2026-09-02"), Risk: Risk{Level: "low"}, Readiness: &Readiness{Score: 90}},
			{Name: "Day181", ARR: float(1_000), RenewalDate: str("2026-09-03"), Risk: Risk{Level: "low"}, Readiness: &Readiness{Score: 90}},
			{Name: "Past", ARR: float(2_000), RenewalDate: str("2026-03-05"), Risk: Risk{Level: "medium"}, Readiness: &Readiness{Score: 80}},
		},
		Checklist: []ChecklistItem{
			{Account: "Day90", Kind: "commitment", Title: "late", DueDate: "2026-04-20"},
			{Account: "Today", Kind: "commitment", Title: "done already", DueDate: "2026-03-01", Done: true},
			{Account: "Today", Kind: "commitment", Title: "no date"},
			{Account: "Today", Kind: "introduce", Title: "not a commitment", DueDate: "2026-03-02"},
			{Account: "Day91", Kind: "commitment", Title: "first", DueDate: "2026-03-10"},
			{Account: "Day91", Kind: "commitment", Title: "second", DueDate: "2026-03-12"},
		},
	}
}

func TestExecutiveSummaryFigures(t *testing.T) {
	t.Parallel()
	r := figuresReport()

	levels, total := arrByLevel(r)
	if total != 178_000 {
		t.Errorf("total ARR %v; want 178000", total)
	}
	want := []levelARR{{"critical", 1, 100_000, 0}, {"high", 2, 50_000, 1}, {"medium", 1, 2_000, 0}, {"low", 2, 26_000, 0}}
	if !slices.Equal(levels, want) {
		t.Errorf("ARR by level %+v; want %+v", levels, want)
	}

	var names []string
	for _, x := range renewalsDue(r, renewalWindow) {
		names = append(names, fmt.Sprintf("%s:%d", x.Account.Name, x.Days))
	}
	if got, want := strings.Join(names, " "), "Today:0 Day90:90 Day91:91 Day180:180"; got != want {
		t.Errorf("renewals within 180 days: %s; want %s", got, want)
	}
	if n, arr := renewalTotals(renewalsDue(r, renewalSoon)); n != 2 || arr != 150_000 {
		t.Errorf("within 90 days: %d renewals, ARR %v; want 2 and 150000", n, arr)
	}

	next, more := commitmentsDue(r, 3)
	var titles []string
	for _, it := range next {
		titles = append(titles, it.Title)
	}
	if got := strings.Join(titles, ", "); got != "first, second, late" || more != 1 {
		t.Errorf("next commitments %q and %d more; want \"first, second, late\" and 1 more (undated last, done and other kinds left out)", got, more)
	}

	blind, known := blindAccounts(r)
	names = names[:0]
	for _, a := range blind {
		names = append(names, a.Name)
	}
	if got := strings.Join(names, " "); !known || got != "Today Day90 Day91" {
		t.Errorf("blind accounts %q (known %v); want critical first, then the least ready: \"Today Day90 Day91\"", got, known)
	}
	for i := range r.Accounts {
		r.Accounts[i].Readiness = nil
	}
	if _, known := blindAccounts(r); known {
		t.Error("a report without readiness says it knows which accounts are blind")
	}
}

// summaryText is the executive summary's text, from its heading to the next section's.
func summaryText(t *testing.T, path string) string {
	t.Helper()
	all := squash(pdfText(t, path, 0, 0))
	start := strings.LastIndex(all, sectionTitle(secSummary))
	end := strings.LastIndex(all, sectionTitle(secMatrix))
	if start < 0 || end < start {
		t.Fatalf("no executive summary in:\n%s", all)
	}
	return all[start:end]
}

func TestPDFExecutiveSummaryShowsWhatIsAtStake(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	r := figuresReport()
	_, path := renderPDF(t, r)
	// pdftotext sometimes drops the thin space before a per cent sign.
	text := strings.ReplaceAll(summaryText(t, path), " %", "%")
	for _, want := range []string{
		"ARR at risk by level",
		"Critical 1 100,000 56 %", "High 2 50,000 28 % 1 account without ARR", "Medium 1 2,000 1 %", "Low 2 26,000 15 %",
		"All accounts 6 178,000 100 % 1 account without ARR",
		"Renewals in the next 90 and 180 days",
		"Within 90 days: 2 renewals, ARR 150,000. Within 180 days: 4 renewals, ARR 175,000.",
		// The timeline: today, the last day, and each renewal of the window by name and date.
		"Today, 6 Mar", "CSM's last day, 27 Mar", "Today · 6 Mar", "Day90 · 4 Jun", "Day91 · 5 Jun", "Day180 · 2 Sep",
		"6 Mar 2026 today Today 100,000 Critical", "4 Jun 2026 in 90 days Day90 50,000 High",
		"Commitments falling due", "2026-03-10 Day91 first", "2026-03-12 Day91 second", "2026-04-20 Day90 late",
		"Accounts handed over blind", "Today 70 Critical 100,000 Critical risk", "Day90 40 High 50,000 No successor assigned",
	} {
		if !strings.Contains(text, strings.ReplaceAll(want, " %", "%")) {
			t.Errorf("%q missing from the executive summary:\n%s", want, text)
		}
	}
	for _, absent := range []string{"Day181", "Past", "done already", "not a commitment"} {
		if strings.Contains(text, absent) {
			t.Errorf("%q is in the executive summary; it is outside what it lists", absent)
		}
	}

	// The Markdown has the same figures.
	md := string(Markdown(r))
	for _, want := range []string{"### ARR at risk by level", "| **High** | 2 | 50,000 | 28 % | 1 account without ARR |",
		"Within 90 days: 2 renewals, ARR 150,000. Within 180 days: 4 renewals, ARR 175,000.", "| 4 Jun 2026 | in 90 days | Day90 | 50,000 | High |",
		"| 2026-03-10 | Day91 | first | — |", "### Accounts handed over blind", "| Day90 | 40 | High | 50,000 | No successor assigned |"} {
		if !strings.Contains(md, want) {
			t.Errorf("%q missing from the Markdown", want)
		}
	}
}
