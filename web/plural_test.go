package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// wrongCounts are a count of one with a plural noun, or a count that leaves the number to the reader.
var wrongCounts = regexp.MustCompile(`\b1 (more )?(accounts|days|messages|findings|tasks|handover tasks|questions|minutes|hours)\b|\w\(s\)`)

// TestPagesCountInWords: the dashboard, a session's page and the page after creating one say "1 more
// account", "1 account", "in 1 day", "8 accounts at risk", never "1 accounts" or "account(s)".
func TestPagesCountInWords(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	manager, pw := e.user(store.RoleManager, "maria@example.com")
	cookie := e.login("maria@example.com", pw)
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	// Eight accounts here and one in the next session: nine at risk, one more than the dashboard shows.
	var eight []book.Account
	for i := range 8 {
		eight = append(eight, book.Account{Name: fmt.Sprintf("Account %d", i+1)})
	}
	big, err := e.ivs.Create(context.Background(), manager.ID, interview.CreateInput{CSMName: "Dana Whitfield", DepartureDate: tomorrow, Accounts: eight})
	must(t, err)

	r := e.postForm("/interviews", url.Values{"csm_name": {"Kim Single"}, "departure_date": {tomorrow}, "time_budget_minutes": {"60"},
		"accounts_text": {"Northwind"}}, cookie)
	created := readBody(t, r)
	if r.StatusCode != 200 || !strings.Contains(created, "1 account in the plan") {
		t.Errorf("after creating a one-account session: %d, no “1 account in the plan”", r.StatusCode)
	}
	dashboard := readBody(t, e.do(http.MethodGet, "/interviews", nil, withCookie(cookie)))
	session := readBody(t, e.do(http.MethodGet, "/interviews/"+big.Interview.ID, nil, withCookie(cookie)))
	for page, wants := range map[string][]string{
		dashboard: {"1 more account</summary>", ">1 account</span>", ">8 accounts</span>", "(in 1 day)"},
		session:   {"in 1 day)", "8 accounts at risk of a blind handover"},
		created:   nil,
	} {
		for _, want := range wants {
			if !strings.Contains(page, want) {
				t.Errorf("no %q in %.80s…", want, page[strings.Index(page, "<main"):])
			}
		}
		if bad := wrongCounts.FindAllString(page, -1); len(bad) > 0 {
			t.Errorf("counts with the wrong noun: %v", bad)
		}
	}
}

// TestRoundWaitCountsInWords: the wait before the next question is "1 minute", "90 minutes", "3 hours".
func TestRoundWaitCountsInWords(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{time.Minute: "1 minute", 90 * time.Minute: "90 minutes", 3 * time.Hour: "3 hours"} {
		if got := roundWait(d); got != want {
			t.Errorf("roundWait(%s) = %q, want %q", d, got, want)
		}
	}
}
