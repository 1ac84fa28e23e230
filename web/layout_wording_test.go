package web

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// finishedSession runs a whole interview for owner with the given answers (the last one repeated until
// it ends), captures each answer and generates the report, as the workers would.
func finishedSession(t *testing.T, e *testEnv, owner store.User, csm string, accounts []book.Account, answers ...string) store.Interview {
	t.Helper()
	ctx := context.Background()
	created, err := e.ivs.Create(ctx, owner.ID, interview.CreateInput{CSMName: csm,
		DepartureDate: time.Now().AddDate(0, 0, 30).Format(time.DateOnly), TimeBudgetMinutes: 10, Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	v, err := e.ivs.View(ctx, created.Interview.ID, nil)
	must(t, err)
	for turn := 0; !v.Done; turn++ {
		if turn > 60 {
			t.Fatal("the interview does not end")
		}
		r, err := e.ivs.Answer(ctx, created.Interview.ID, answers[min(turn, len(answers)-1)], fmt.Sprintf("c%d", turn), v.Next.ID, nil)
		must(t, err)
		must(t, capture.Capture(ctx, r.Message.ID))
		v = r.View
	}
	latest, _, _, err := e.store.LatestReports(ctx, created.Interview.ID)
	if err != nil || latest == nil {
		t.Fatalf("no report requested: %v", err)
	}
	must(t, e.reports.Generate(ctx, latest.ID))
	return created.Interview
}

// TestBrowserLayoutCommitments: the commitments ledger, with open, overdue and done commitments, long
// owners and notes, fits a laptop without breaking a header or a status word, and stacks its rows on a
// phone.
func TestBrowserLayoutCommitments(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	manager, pw := e.user(store.RoleManager, "maria@example.com")
	promises := []string{
		"I promised Priya a fix date for the export bug by 5 December. I also promised Marco Rossi a roadmap call with our product manager before the renewal.",
		"I committed to send Tom Baker the quarterly usage report every month, and I promised the data protection officer a signed DPA amendment.",
		"Nothing more to add.",
	}
	iv := finishedSession(t, e, manager, "Dana Whitfield", []book.Account{{Name: "Northwind Traders International Holdings"}, {Name: "Globex"}}, promises...)
	list := readBody(t, e.do("GET", "/api/v1/commitments", nil, withBearer(e.token("maria@example.com"))))
	ids := regexpAll(`"item_id":"([^"]+)"`, list)
	if len(ids) < 2 {
		t.Fatalf("the ledger has %d commitments: %s", len(ids), list)
	}
	// One done with a long owner, one overdue; the rest stay open.
	patch := func(id, body string) {
		r := e.do("PATCH", "/api/v1/interviews/"+iv.ID+"/checklist/"+id, strings.NewReader(body), withBearer(e.token("maria@example.com")),
			withHeader("Content-Type", "application/json"))
		if r.StatusCode != 200 {
			t.Fatalf("PATCH %s: %d %s", body, r.StatusCode, readBody(t, r))
		}
	}
	patch(ids[0], `{"done":true,"owner_email":"bartholomew.featherstonehaugh-smythe@customer-success.example.com"}`)
	patch(ids[1], `{"done":false,"due_date":"2020-01-15"}`)
	// A date someone set is not explained as the last day standing in for one.
	if list := readBody(t, e.do("GET", "/api/v1/commitments", nil, withBearer(e.token("maria@example.com")))); regexp.MustCompile(
		`"due_date":"2020-01-15","due_note"`).MatchString(list) {
		t.Errorf("the commitment given a date still says it had none: %s", list)
	}

	ctx := browser(t)
	signIn(t, ctx, e.ts.URL, "maria@example.com", pw)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/commitments"), chromedp.WaitVisible("table.ledger")))
	page := run(t, ctx, chromedp.Text("main"))
	for _, s := range []string{"OVERDUE", "DONE", "OPEN"} {
		if !strings.Contains(strings.ToUpper(page), s) {
			t.Errorf("the ledger shows no %s commitment:\n%s", s, page)
		}
	}
	checkLayout(t, ctx, "commitments")
}

// regexpAll returns the first group of every match of expr in s.
func regexpAll(expr, s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(expr).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// TestBrowserLayoutAdminNavigation: an admin's navigation, the longest there is, fits a phone (folded
// into a menu that opens without a script) and a laptop (in full), and each page of it is reachable.
func TestBrowserLayoutAdminNavigation(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleAdmin, "root@example.com")
	ctx := browser(t)
	signIn(t, ctx, e.ts.URL, "root@example.com", pw)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/users"), chromedp.WaitVisible("main h1")))
	checkLayout(t, ctx, "admin-users")

	// On a phone the links sit behind the menu; opening it shows every one of them, and none reaches past the edge.
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(390, 900)))
	visible := func() int {
		return run(t, ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('nav[aria-label="Main"] a')].filter(a => a.checkVisibility()).length`))
	}
	if n := visible(); n != 0 {
		t.Errorf("%d navigation links show on a phone before the menu is opened", n)
	}
	must(t, chromedp.Do(ctx, chromedp.Click(`nav[aria-label="Main"] summary`)))
	if n := visible(); n != 7 {
		t.Errorf("the open menu shows %d links, want 7", n)
	}
	if wide := run(t, ctx, chromedp.Evaluate[[]string](overflowJS)); len(wide) > 0 {
		t.Errorf("the open menu pushes the page sideways: %v", wide)
	}
	screenshots(t, ctx, "admin-menu-open", "")
	must(t, chromedp.Do(ctx, chromedp.Click(`nav[aria-label="Main"] a[href="/commitments"]`), chromedp.WaitVisible("main h1")))
	if h := run(t, ctx, chromedp.Text("main h1")); !strings.Contains(h, "Commitments") {
		t.Errorf("the menu's Commitments link led to %q", h)
	}
	// On a laptop every link shows without opening anything.
	must(t, chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)))
	if n := visible(); n != 7 {
		t.Errorf("%d navigation links show on a laptop, want 7", n)
	}
}

// TestBrowserLayoutCurrencies: the new-session form, with its currency choice, and a session whose
// accounts are in four currencies, with its ARR totalled per currency, fit a laptop and a phone.
func TestBrowserLayoutCurrencies(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	ctx := browser(t)
	signIn(t, ctx, e.ts.URL, "maria@example.com", pw)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/interviews/new"), chromedp.WaitVisible("#currency")))
	checkLayout(t, ctx, "new-session")
	must(t, chromedp.Do(ctx,
		chromedp.SendKeys("#csm_name", "Dana Whitfield"),
		chromedp.SetValue("#departure_date", departure()),
		chromedp.SetValue("#currency", "SEK"),
		chromedp.SendKeys("#accounts_text", "Müller; 8.400,50 €\nTesco; £85,000\nVolvo; 240 000 kr\nAcme; $1,200\nIkea; 1.500.000"),
		chromedp.Click("#preview"),
		chromedp.WaitVisible("#create"),
	))
	// The preview shows each amount in the currency it will be created in.
	if text := run(t, ctx, chromedp.Text("table.preview-table")); !strings.Contains(text, "€8,400.50") || !strings.Contains(text, "SEK\u00a0240,000") ||
		!strings.Contains(text, "SEK\u00a01,500,000") {
		t.Errorf("the preview does not show the amounts in their currencies:\n%s", text)
	}
	checkLayout(t, ctx, "new-session-preview")
	must(t, chromedp.Do(ctx, chromedp.Click("#create"), chromedp.WaitVisible("#invite-url")))
	ivs, err := e.store.ListInterviews(context.Background(), "")
	must(t, err)
	must(t, chromedp.Do(ctx, chromedp.Navigate(e.ts.URL+"/interviews/"+ivs[0].ID), chromedp.WaitVisible("table.session-accounts")))
	if text := run(t, ctx, chromedp.Text("main")); !strings.Contains(text, "SEK\u00a01,500,000") || !strings.Contains(text, "€8,400.50") {
		t.Fatalf("the session page does not show the accounts in their currencies:\n%.600s", text)
	}
	checkLayout(t, ctx, "session-currencies")
}
