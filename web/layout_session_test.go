package web

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/store"
)

// TestBrowserLayoutSessionPage: the session page of eight accounts with long names and large amounts fits
// a laptop without a scrolling table and a phone as cards; so does its state after a mistyped successor.
// One "Save successors" saves the table.
func TestBrowserLayoutSessionPage(t *testing.T) {
	t.Parallel()
	f := newSessionFixture(t)
	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "maria@example.com", "correct horse battery manager")
	page := f.e.ts.URL + "/interviews/" + f.iv.ID
	must(t, chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible("table.session-accounts")))
	checkLayout(t, ctx, "session")

	initech := "#succ-" + f.accounts["Initech"]
	globex := "#succ-" + f.accounts["Globex Corporation of the Americas and EMEA"]
	must(t, chromedp.Do(ctx,
		chromedp.SetValue(initech, "sam@example.com"),
		chromedp.SetValue(globex, "lee@exmaple.com"),
		chromedp.Click(`button[form="successors"]`),
		chromedp.WaitVisible(globex+"-error"),
	))
	if v := run(t, ctx, chromedp.Value(globex)); v != "lee@exmaple.com" {
		t.Fatalf("the mistyped e-mail was not kept: %q", v)
	}
	if f.successorOf(t, "Initech") != "" {
		t.Fatal("a field was saved although another was refused")
	}
	checkLayout(t, ctx, "session-error")

	must(t, chromedp.Do(ctx,
		chromedp.SetValue(globex, "lee@example.com"),
		chromedp.Click(`button[form="successors"]`),
		chromedp.WaitVisible(`.successor-name[title="sam@example.com"]`),
	))
	if f.successorOf(t, "Initech") != "sam@example.com" || f.successorOf(t, "Globex Corporation of the Americas and EMEA") != "lee@example.com" {
		t.Fatal("the successors were not saved")
	}
}

// TestBrowserLiveTranscript: the transcript page shows a new answer without a reload, and fits.
func TestBrowserLiveTranscript(t *testing.T) {
	t.Parallel()
	f := newSessionFixture(t)
	f.answer(t, "Initech bought the support suite in 2024 for 140 seats; adoption is at about 60 percent, and the rollout to the EMEA team stalled in the spring.")
	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "maria@example.com", "correct horse battery manager")
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/interviews/"+f.iv.ID+"/transcript"), chromedp.WaitVisible("#transcript-entries li.entry-csm")))
	before := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#transcript-entries li").length`))
	f.answer(t, "Priya Shah, the VP of support, is the champion; Marco Rossi, the CFO, signs the renewal.")
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll("#transcript-entries li.entry-csm")].some(li => li.textContent.includes("Priya Shah"))`,
		chromedp.WithPollingTimeout(20*time.Second)))
	must(t, err)
	after := run(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#transcript-entries li").length`))
	ids := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#transcript-entries li")].map(li => li.id)`))
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("entry %s shown twice", id)
		}
		seen[id] = true
	}
	if after < before+2 {
		t.Fatalf("%d entries after the answer, %d before", after, before)
	}
	checkLayout(t, ctx, "transcript")
}

// TestBrowserLayoutNewSession: the new-session form, its preview with the file's columns, and its error
// state fit and pass axe; the preview shows the typed and the file's accounts merged, and creating from
// it works without choosing the file again.
func TestBrowserLayoutNewSession(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	ctx := browser(t)
	signIn(t, ctx, e.ts.URL, "maria@example.com", pw)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/interviews/new"), chromedp.WaitVisible("#csm_name")))
	checkLayout(t, ctx, "new-session")

	file := t.TempDir() + "/accounts.csv"
	must(t, os.WriteFile(file, []byte(sixAccountsCSV+"Globex Corporation of the Americas and EMEA Region Holdings,\"$12,500,000\",2027-10-31,Enterprise,green\n"), 0o644))
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#accounts_text", "Northwind Traders, $250,000\nAcme Corp, $75,000, 2027-08-01"),
		chromedp.SetUploadFiles("#accounts_file", []string{file}),
		chromedp.Click("#preview"),
		chromedp.WaitVisible("#preview-summary"),
	))
	if s := run(t, ctx, chromedp.Text("#preview-summary")); !strings.Contains(s, "8 accounts in the plan: 2 typed and 7 from accounts.csv, 1 of them in both.") {
		t.Fatalf("the preview says %q", s)
	}
	checkLayout(t, ctx, "new-session-preview")

	// A mistake: the name is missing. The file stays, and so does the preview.
	must(t, chromedp.Do(ctx, chromedp.Click("#create"), chromedp.WaitVisible("#csm_name-error")))
	if kept := run(t, ctx, chromedp.Text("#kept-file")); !strings.Contains(kept, "accounts.csv") {
		t.Fatalf("the file is not kept: %q", kept)
	}
	checkLayout(t, ctx, "new-session-error")

	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#csm_name", "Dana Whitfield"),
		chromedp.SetValue("#departure_date", departure()),
		chromedp.Click("#create"),
		chromedp.WaitVisible("#invite-url"),
	))
	if n := e.count("accounts"); n != 8 {
		t.Fatalf("%d accounts created", n)
	}
}
