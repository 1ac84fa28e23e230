package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserLayoutSignInAndSearch: the sign-in page and a successor's search page fit a laptop and a
// phone, break no word and pass axe.
func TestBrowserLayoutSignInAndSearch(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	ctx := browser(t)
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/login"), chromedp.WaitVisible("#email")))
	checkLayout(t, ctx, "login")
	signIn(t, ctx, f.e.ts.URL, "successor1@example.com", "correct horse battery successor")
	must(t, chromedp.Do(ctx, chromedp.Navigate(f.e.ts.URL+"/search?q=who+signs+the+renewal"), chromedp.WaitVisible("#results ol.results li")))
	checkLayout(t, ctx, "search")
}

// TestBrowserLayoutOtherMainPages: the pages of each role not looked at elsewhere — an admin's users,
// tokens and sessions lists, a successor's home and account page — fit a laptop and a phone, break no
// word and pass axe.
func TestBrowserLayoutOtherMainPages(t *testing.T) {
	t.Parallel()
	f := newKnowledgeFixture(t)
	admin := browser(t)
	signIn(t, admin, f.e.ts.URL, "admin@example.com", "correct horse battery admin")
	for _, page := range []struct{ path, ready string }{{"/users", "main form"}, {"/tokens", "main form"}, {"/interviews", "main table"}} {
		must(t, chromedp.Do(admin, chromedp.Navigate(f.e.ts.URL+page.path), chromedp.WaitVisible(page.ready)))
		checkLayout(t, admin, "admin"+strings.ReplaceAll(page.path, "/", "-"))
	}
	successor := browser(t)
	signIn(t, successor, f.e.ts.URL, "successor1@example.com", "correct horse battery successor")
	must(t, chromedp.Do(successor, chromedp.Navigate(f.e.ts.URL+"/"), chromedp.WaitVisible(`a[href^="/accounts/"]`)))
	checkLayout(t, successor, "successor-home")
	must(t, chromedp.Do(successor, chromedp.Click(`a[href^="/accounts/"]`), chromedp.WaitVisible("main h1")))
	if path := run(t, successor, chromedp.Evaluate[string](`location.pathname`)); !strings.HasPrefix(path, "/accounts/") {
		t.Fatalf("the account link led to %s", path)
	}
	checkLayout(t, successor, "successor-account")
}
