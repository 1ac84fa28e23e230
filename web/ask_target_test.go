package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// askTargetFixture is a successor, Sam, handed accounts in two sessions, both of which have a Globex.
type askTargetFixture struct {
	e        *testEnv
	password string
	ivs      [2]string
	accounts map[string]string // "session/name" → id
}

func newAskTargetFixture(t *testing.T) *askTargetFixture {
	t.Helper()
	e := newTestEnv(t, nil)
	manager, _ := e.user(store.RoleManager, "maria@example.com")
	_, pw := e.user(store.RoleSuccessor, "sam@example.com")
	f := &askTargetFixture{e: e, password: pw, accounts: map[string]string{}}
	for i, names := range [][]string{{"Northwind", "Globex"}, {"Globex", "Initech"}} {
		var accounts []book.Account
		for _, n := range names {
			accounts = append(accounts, book.Account{Name: n, Successor: "sam@example.com"})
		}
		created, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: []string{"Dana Whitfield", "Lee Park"}[i],
			DepartureDate: time.Now().AddDate(0, 0, 20+10*i).Format(time.DateOnly), Accounts: accounts})
		must(t, err)
		f.ivs[i] = created.Interview.ID
		for _, a := range created.Accounts {
			f.accounts[[]string{"A", "B"}[i]+"/"+a.Name] = a.ID
		}
	}
	return f
}

var selectedOption = regexp.MustCompile(`<option value="([^"]*)" selected`)

// TestAskTheCSMChoosesTheAccountInView: when nothing captured answers a question, the form to ask the
// departing CSM starts on the account the successor was looking at, else the one the question names,
// and otherwise on none, so that the question is not sent about the first account in the list.
func TestAskTheCSMChoosesTheAccountInView(t *testing.T) {
	t.Parallel()
	f := newAskTargetFixture(t)
	cookie := f.e.login("sam@example.com", f.password)
	for name, tc := range map[string]struct {
		form url.Values
		want string // "session/name", or "" for no choice made
	}{
		"the account looked at, in its session": {url.Values{"question": {"what colour is the xylophone"}, "account": {"globex"}, "interview": {f.ivs[1]}}, "B/Globex"},
		"the account looked at":                 {url.Values{"question": {"what colour is the xylophone"}, "account": {"Initech"}}, "B/Initech"},
		"the account the question names":        {url.Values{"question": {"what colour is the xylophone at Initech"}}, "B/Initech"},
		"the first of that name":                {url.Values{"question": {"what colour is the xylophone at Globex"}}, "A/Globex"},
		"none":                                  {url.Values{"question": {"what colour is the xylophone"}}, ""},
	} {
		r := f.e.postForm("/search/ask", tc.form, cookie)
		page := readBody(t, r)
		if r.StatusCode != 200 || !strings.Contains(page, `id="ask-account"`) {
			t.Fatalf("%s: %d, no form to ask the CSM", name, r.StatusCode)
		}
		got := selectedOption.FindAllStringSubmatch(page, -1)
		if len(got) != 1 || got[0][1] != f.accounts[tc.want] {
			t.Errorf("%s: chose %v, want %q (%s)", name, got, tc.want, f.accounts[tc.want])
		}
	}
	// Sent without an account, the question is refused with a reason, and nothing is stored.
	r := f.e.postForm("/questions", url.Values{"account_id": {""}, "text": {"what colour is the xylophone"}, "back": {"/search"}}, cookie)
	if body := readBody(t, r); r.StatusCode != 400 || !strings.Contains(body, "choose the account") {
		t.Errorf("a question about no account: %d", r.StatusCode)
	}
	if n := f.e.count("asked_questions"); n != 0 {
		t.Errorf("%d questions stored", n)
	}
}

// TestBrowserAskTheCSMFromAnAccount: a successor searches from an account page, finds nothing, and the
// form to ask the CSM has that account chosen; the page fits a laptop and a phone.
func TestBrowserAskTheCSMFromAnAccount(t *testing.T) {
	t.Parallel()
	f := newAskTargetFixture(t)
	ctx := browser(t)
	signIn(t, ctx, f.e.ts.URL, "sam@example.com", f.password)
	must(t, chromedp.Do(ctx,
		chromedp.Navigate(f.e.ts.URL+"/search?account=Globex&interview="+f.ivs[1]),
		chromedp.WaitVisible("#question"),
		chromedp.SendKeys("#question", "what colour is the xylophone in the lobby"),
		chromedp.Click(`form[action="/search/ask"] button[type="submit"]`),
		chromedp.WaitVisible("#ask-account"),
	))
	if got := run(t, ctx, chromedp.Evaluate[string](`document.querySelector("#ask-account").value`)); got != f.accounts["B/Globex"] {
		t.Fatalf("the form chose %q, want Lee Park's Globex %q", got, f.accounts["B/Globex"])
	}
	checkLayout(t, ctx, "ask-the-csm")
	must(t, chromedp.Do(ctx, chromedp.Click(`form.ask-csm button[type="submit"]`), chromedp.WaitVisible(`.notice[role="status"]`)))
	var account string
	must(t, f.e.store.Pool().QueryRow(context.Background(), `SELECT account_id::text FROM asked_questions`).Scan(&account))
	if account != f.accounts["B/Globex"] {
		t.Fatalf("the question was sent about %s", account)
	}
}
