package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/report"
)

// TestBrowserDashboardHandoverAndChecklist: the manager's dashboard (a departure with a report, one not
// started), the handover's confirmation and its undo, the reminder's page, and the report's checklist
// saving each tick at once, saying so per row, undoing the last change and saying when a change is
// refused; each fits a laptop and a phone and passes axe.
func TestBrowserDashboardHandoverAndChecklist(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	f.generate(t)
	ctx0 := context.Background()
	owner, err := f.e.store.UserByEmail(ctx0, "owner@example.com")
	must(t, err)
	big, small := 1_200_000.0, 8_400.0
	departure := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 12)
	bigRenewal, smallRenewal := departure.AddDate(0, 0, 16), departure.AddDate(0, 0, 5)
	fresh, err := f.e.ivs.Create(ctx0, owner.ID, interview.CreateInput{CSMName: "Nora Newcomb", DepartureDate: departure.Format(time.DateOnly),
		TimeBudgetMinutes: 10, Accounts: []book.Account{
			{Name: "Tiny Shop", ARR: &small, RenewalDate: &smallRenewal},
			{Name: "Big Bank International", ARR: &big, RenewalDate: &bigRenewal, CRM: book.CRMContext{Health: "45"}},
		}})
	must(t, err)

	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "owner@example.com", "correct horse battery manager")
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/interviews"), chromedp.WaitVisible("#attention-h")))
	attention := run(t, ctx, chromedp.Text("ul.attention"))
	if strings.Index(attention, "Big Bank International") > strings.Index(attention, "Tiny Shop") || !strings.Contains(attention, "not started") {
		t.Errorf("the attention list:\n%s", attention)
	}
	checkLayout(t, ctx, "dashboard")

	// A reminder without e-mail: a link to send by hand.
	must(t, chromedp.Do(ctx, chromedp.Click(`form[action="/interviews/`+fresh.Interview.ID+`/reminder"] button`), chromedp.WaitVisible("#invite-url")))
	checkLayout(t, ctx, "reminder")
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/interviews"), chromedp.WaitVisible("#attention-h")))
	if text := run(t, ctx, chromedp.Text("table.sessions")); !strings.Contains(text, "reminded just now") {
		t.Errorf("the dashboard does not say the CSM was reminded:\n%s", text)
	}
	checkLayout(t, ctx, "dashboard-reminded")

	// The handover: confirm, then undo.
	base := f.e.ts.URL + "/interviews/" + f.iv.ID
	must(t, chromedp.Do(ctx, chromedp.Navigate(base), chromedp.Click(`form[action$="/handover"] button`), chromedp.WaitVisible("#open-h")))
	if text := run(t, ctx, chromedp.Text("main")); !strings.Contains(text, "handover tasks are not done") || !strings.Contains(text, "Northwind") {
		t.Errorf("the confirmation:\n%s", text)
	}
	checkLayout(t, ctx, "handover-confirm")
	must(t, chromedp.Do(ctx, chromedp.Click(`form.handover-confirm button`), chromedp.WaitVisible(`form[action$="/handover/undo"]`)))
	checkLayout(t, ctx, "handover-done")
	must(t, chromedp.Do(ctx, chromedp.Click(`form[action$="/handover/undo"] button`), chromedp.WaitVisible(`form[action$="/handover"]`)))
	iv, err := f.e.store.InterviewByID(ctx0, f.iv.ID)
	must(t, err)
	if iv.Status == "handed_over" {
		t.Fatal("the undo did not take")
	}

	// The checklist: a tick is saved at once, and undone.
	items := func() []report.ChecklistItem {
		_, r, err := f.e.reports.Current(ctx0, f.iv.ID)
		must(t, err)
		return r.Checklist
	}
	first := items()[0]
	row := `li[id="` + first.ID + `"]`
	must(t, chromedp.Do(ctx, chromedp.Navigate(base+"/report#checklist"), chromedp.WaitVisible("#checklist-form")))
	if visible := run(t, ctx, chromedp.Evaluate[bool](`getComputedStyle(document.querySelector("[data-save-all]")).display !== "none"`)); visible {
		t.Error("the Save button for the whole form shows though each change is saved")
	}
	must(t, chromedp.Do(ctx, chromedp.Click(row+` input[type="checkbox"]`)))
	waitText(t, ctx, row+" [data-state]", "Saved")
	if !items()[0].Done {
		t.Fatal("the tick was not saved")
	}
	if text := run(t, ctx, chromedp.Text("[data-undo-bar]")); !strings.Contains(text, "Ticked") {
		t.Errorf("the undo bar: %q", text)
	}
	checkLayout(t, ctx, "checklist-saved")
	must(t, chromedp.Do(ctx, chromedp.Click("[data-undo]")))
	waitFor(t, ctx, `document.querySelector("[data-undo-bar]").hidden && !document.querySelector('`+row+` input[type="checkbox"]').checked`)
	if items()[0].Done {
		t.Fatal("the undo was not saved")
	}
	// A refused change says so on its row, with a retry.
	must(t, chromedp.Do(ctx, chromedp.SetValue(row+` input[type="email"]`, "not an address")))
	run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('`+row+` input[type="email"]').dispatchEvent(new Event("change", {bubbles: true}))`))
	waitText(t, ctx, row+" [data-state]", "Not saved")
	if text := run(t, ctx, chromedp.Text(row+" [data-state]")); !strings.Contains(text, "must be an email address") || !strings.Contains(text, "Retry") {
		t.Errorf("the refused row says %q", text)
	}
	checkLayout(t, ctx, "checklist-refused")
}

// waitText waits until the element's text contains want.
func waitText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	waitFor(t, ctx, `(document.querySelector('`+sel+`') || {}).textContent && document.querySelector('`+sel+`').textContent.includes(`+"`"+want+"`"+`)`)
}

func waitFor(t *testing.T, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
}
