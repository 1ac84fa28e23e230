package web

import (
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
