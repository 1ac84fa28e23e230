package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestPDFOnePagers: every account has a summary of exactly one page, in a run of pages of their own,
// whatever it holds, and it points to the page the account's section starts on.
func TestPDFOnePagers(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	crowded := Synthetic(3, 7)
	a := &crowded.Accounts[1]
	for k := 0; k < 40; k++ {
		a.Findings = append(a.Findings, Finding{Type: "stakeholder", Fields: map[string]string{"name": fmt.Sprintf("Person %02d", k),
			"role": strings.Repeat("Very long role title ", 5), "relationship": "decision_maker", "notes": strings.Repeat("note ", 60)}})
		crowded.Checklist = append(crowded.Checklist,
			ChecklistItem{Account: a.Name, Kind: "commitment", Title: fmt.Sprintf("Promise %02d: %s", k, strings.Repeat("deliver it ", 30)), DueDate: "2026-04-01"},
			ChecklistItem{Account: a.Name, Kind: "open_issue", Title: fmt.Sprintf("Step %02d", k), DueDate: "2026-04-02"})
		a.Risk.Drivers = append(a.Risk.Drivers, Driver{Text: fmt.Sprintf("Driver %02d %s", k, strings.Repeat("reason ", 30)), Points: 1})
	}
	for _, r := range []*Report{Synthetic(6, 1), crowded} {
		_, path := renderPDF(t, r)
		pg := pages(t, path)
		n := len(pg) - 1
		var at []int
		for i, acc := range r.Accounts {
			title := onePagerTitle(acc.Name)
			var on []int
			for p := 1; p <= n; p++ {
				if strings.Contains(squash(pg[p]), title) {
					on = append(on, p)
				}
			}
			if len(on) != 1 {
				t.Errorf("%q is on pages %v; want one page", title, on)
				continue
			}
			at = append(at, on[0])
			// It says where the full notes are, and that page shows the account's section.
			m := regexp.MustCompile(`Full notes: section (\d+\.\d+), page (\d+)\.`).FindStringSubmatch(squash(pg[on[0]]))
			if m == nil || m[1] != fmt.Sprintf("%d.%d", secAccounts+1, i+1) {
				t.Errorf("the summary of %q does not point to its section: %v", acc.Name, m)
				continue
			}
			if p, _ := strconv.Atoi(m[2]); p < 1 || p > n || !strings.Contains(squash(pg[p]), accountTitle(i, acc.Name)) {
				t.Errorf("the summary of %q points to page %s, which does not show %q", acc.Name, m[2], accountTitle(i, acc.Name))
			}
		}
		if len(at) != len(r.Accounts) {
			continue
		}
		// One page each: consecutive pages, and the appendix right after the last.
		for i := 1; i < len(at); i++ {
			if at[i] != at[i-1]+1 {
				t.Errorf("summaries on pages %v; want one page each, one after the other", at)
				break
			}
		}
		if next := at[len(at)-1] + 1; next > n || !strings.Contains(pg[next], sectionTitle(secTranscript)) {
			t.Errorf("the page after the last summary (%d) does not start the appendix", next)
		}
	}
	// The crowded one says what it left out and where to find it.
	_, path := renderPDF(t, crowded)
	text := squash(pdfText(t, path, 0, 0))
	for _, want := range []string{"more in section 3.2.", "more in the handover checklist (section 8)."} {
		if !strings.Contains(text, want) {
			t.Errorf("the crowded summary does not say %q", want)
		}
	}
}

// TestPDFAccountSectionsAreDense: accounts follow one another instead of each starting a page, so six
// accounts take fewer pages than a page and a half each.
func TestPDFAccountSectionsAreDense(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	r := Synthetic(6, 1)
	_, path := renderPDF(t, r)
	pg := pages(t, path)
	first, after := 0, 0
	shared := false
	prev := 0
	for p := 1; p < len(pg); p++ {
		text := squash(pg[p])
		if first == 0 && strings.Contains(text, accountTitle(0, r.Accounts[0].Name)) && !strings.Contains(text, "Contents") {
			first = p
		}
		if strings.Contains(text, sectionTitle(secPlaybooks)) && !strings.Contains(text, "Contents") {
			after = p
		}
		count := 0
		for i, a := range r.Accounts {
			if strings.Contains(text, accountTitle(i, a.Name)) && !strings.Contains(text, "Contents") {
				count++
			}
		}
		shared = shared || count > 1 || (count == 1 && prev > 0 && prev == p-1)
		if count > 0 {
			prev = p
		}
	}
	if first == 0 || after == 0 {
		t.Fatalf("accounts from page %d, playbooks on %d", first, after)
	}
	if pages := after - first + 1; float64(pages) > 1.5*float64(len(r.Accounts)) {
		t.Errorf("the accounts take %d pages for %d accounts; want at most a page and a half each", pages, len(r.Accounts))
	}
	if !shared {
		t.Error("no account starts on the page the one before it ends on")
	}
}

// TestReadBackIsSaidOnce: when no account was read back to the CSM yet, the accounts' introduction says
// so once rather than every account repeating it; once one is, each account says where it stands.
func TestReadBackIsSaidOnce(t *testing.T) {
	t.Parallel()
	r, err := Build(sessionInput(t))
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(r))
	if n := strings.Count(md, "No account was read back to the CSM yet"); n != 1 {
		t.Errorf("the introduction says %d times that no account was read back; want once", n)
	}
	if n := strings.Count(md, notReadBack); n != 0 {
		t.Errorf("%d accounts repeat %q", n, notReadBack)
	}
	r.Accounts[0].Findings[0].State = "confirmed"
	md = string(Markdown(r))
	if strings.Contains(md, "No account was read back to the CSM yet") || strings.Count(md, notReadBack) != len(r.Accounts)-1 {
		t.Errorf("with one account read back, the others do not each say they are not:\n%s", md)
	}
}
