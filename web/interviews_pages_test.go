package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

func TestManagerCreatesASessionInTheBrowser(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	_, otherPW := e.user(store.RoleManager, "other@example.com")
	cookie := e.login("maria@example.com", pw)

	if page := readBody(t, e.do(http.MethodGet, "/interviews", nil, withCookie(cookie))); !strings.Contains(page, "No sessions yet") {
		t.Fatal("empty list has no empty state")
	}
	if r := e.do(http.MethodGet, "/interviews/new", nil, withCookie(cookie)); r.StatusCode != 200 {
		t.Fatalf("form: %d", r.StatusCode)
	}
	form := url.Values{"csm_name": {"Dana Whitfield"}, "csm_email": {"dana@example.com"}, "departure_date": {departure()},
		"time_budget_minutes": {"45"},
		"accounts_text":       {"Account Name\tARR\tRenewal Date\nNorthwind Traders\t$240,000\t2027-01-31\nGlobex\t180000\t30/06/2027\n"}}
	r := e.postForm("/interviews", form, cookie)
	page := readBody(t, r)
	m := regexp.MustCompile(`value="(http://[^"]+/i/eiv_[A-Za-z0-9_-]+)"`).FindStringSubmatch(page)
	if r.StatusCode != 200 || m == nil || !strings.Contains(page, "Copy link") {
		t.Fatalf("created page: %d", r.StatusCode)
	}
	id := regexp.MustCompile(`href="/interviews/([0-9a-f-]{36})"`).FindStringSubmatch(page)[1]
	page = readBody(t, e.do(http.MethodGet, "/interviews/"+id, nil, withCookie(cookie)))
	if !strings.Contains(page, "Northwind Traders") || !strings.Contains(page, "$240,000") {
		t.Fatal("session page lacks the accounts")
	}
	if strings.Contains(page, m[1]) {
		t.Fatal("the invite link is shown again after creation")
	}
	if r := e.do(http.MethodGet, "/interviews/"+id, nil, withCookie(e.login("other@example.com", otherPW))); r.StatusCode != 404 {
		t.Fatalf("another manager's session page: %d", r.StatusCode)
	}

	// A new link from the session page; the old one stops working.
	page = readBody(t, e.postForm("/interviews/"+id+"/invite", nil, cookie))
	if !strings.Contains(page, "previous link no longer works") {
		t.Fatal("no new link")
	}
	if r := e.do(http.MethodGet, strings.TrimPrefix(m[1], e.cfg.BaseURL), nil); r.StatusCode != http.StatusGone {
		t.Fatalf("old link: %d", r.StatusCode)
	}

	bad := url.Values{"csm_name": {""}, "departure_date": {"2020-01-01"}, "accounts_text": {"Name,ARR\nAcme,lots\n"}}
	r = e.postForm("/interviews", bad, cookie)
	if page := readBody(t, r); r.StatusCode != 400 || !strings.Contains(page, "line 2") {
		t.Fatalf("bad accounts: %d", r.StatusCode)
	}
	bad.Set("accounts_text", "Acme")
	r = e.postForm("/interviews", bad, cookie)
	if page := readBody(t, r); r.StatusCode != 400 || !strings.Contains(page, "Name is required") || !strings.Contains(page, "must not be in the past") {
		t.Fatalf("bad fields: %d", r.StatusCode)
	}
	if n := e.count("interviews"); n != 1 {
		t.Fatalf("%d sessions", n)
	}
}
