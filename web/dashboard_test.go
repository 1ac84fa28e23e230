package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// answerTurns answers up to n questions of an interview (n < 0: until it ends) with a rich answer.
func answerTurns(t *testing.T, e *testEnv, id string, n int) {
	t.Helper()
	answerTurnsWith(t, e, id, n, "Priya Shah, the VP of support, is the champion and Marco Rossi, the CFO, signs; renewal on 31 January is likely. "+
		"Low risk. No open tickets and nothing promised. We keep a weekly report in the shared drive because reporting is slow.")
}

// answerTurnsWith answers n questions (all, when n < 0) with the same answer.
func answerTurnsWith(t *testing.T, e *testEnv, id string, n int, answer string) {
	t.Helper()
	ctx := context.Background()
	v, err := e.ivs.View(ctx, id, nil)
	if err != nil {
		t.Fatal(err)
	}
	for turn := 0; !v.Done && (n < 0 || turn < n); turn++ {
		if turn > 80 {
			t.Fatal("the interview does not end")
		}
		r, err := e.ivs.Answer(ctx, id, answer, fmt.Sprintf("d%d", turn), v.Next.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		v = r.View
	}
}

// TestDashboardShowsWhatWouldBeHandedOverBlind is issue 6's first "done when": a manager with three
// departures (finished, half-way, not started) sees on one screen which accounts are at risk of being
// handed over blind, and why; another manager's departures are not there.
func TestDashboardShowsWhatWouldBeHandedOverBlind(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	ctx := context.Background()
	manager, pw := e.user(store.RoleManager, "maria@example.com")
	other, _ := e.user(store.RoleManager, "omar@example.com")
	e.user(store.RoleSuccessor, "sam@example.com")
	big := 500000.0
	create := func(owner store.User, csm string, days int, accounts ...book.Account) store.Interview {
		c, err := e.ivs.Create(ctx, owner.ID, interview.CreateInput{CSMName: csm, DepartureDate: time.Now().AddDate(0, 0, days).Format(time.DateOnly),
			TimeBudgetMinutes: 10, Accounts: accounts})
		if err != nil {
			t.Fatal(err)
		}
		return c.Interview
	}
	finished := create(manager, "Fiona Finished", 20, book.Account{Name: "Acme", Successor: "sam@example.com"})
	answerTurns(t, e, finished.ID, -1)
	latest, _, _, err := e.store.LatestReports(ctx, finished.ID)
	if err != nil || latest == nil {
		t.Fatalf("the finished interview requested no report: %v", err)
	}
	if err := e.reports.Generate(ctx, latest.ID); err != nil {
		t.Fatal(err)
	}
	halfway := create(manager, "Hal Halfway", 10, book.Account{Name: "Globex", ARR: &big}, book.Account{Name: "Initech"})
	// Answers that cover most topics of an account at once would leave nothing half-way: these say little.
	answerTurnsWith(t, e, halfway.ID, 4, "They use it for fleet tracking in two depots, I think.")
	create(manager, "Nora NotStarted", 30, book.Account{Name: "Umbrella"})
	create(other, "Olga Other", 5, book.Account{Name: "Hidden Corp"})

	cookie := e.login("maria@example.com", pw)
	for _, path := range []string{"/interviews", "/"} {
		r := e.do(http.MethodGet, path, nil, withCookie(cookie))
		body := readBody(t, r)
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d", path, r.StatusCode)
		}
		if strings.Contains(body, "Olga Other") || strings.Contains(body, "Hidden Corp") {
			t.Fatalf("%s shows another manager's departure", path)
		}
		// Sessions soonest departure first, with their state.
		order := regexp.MustCompile(`(Hal Halfway|Fiona Finished|Nora NotStarted)</a>`).FindAllStringSubmatch(body, -1)
		if len(order) != 3 || order[0][1] != "Hal Halfway" || order[1][1] != "Fiona Finished" || order[2][1] != "Nora NotStarted" {
			t.Fatalf("%s: sessions in order %v", path, order)
		}
		for _, want := range []string{"status-report_ready", "status-in_progress", "status-invited", "Needs your attention"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		attention := body[strings.Index(body, "Needs your attention"):strings.Index(body, `id="sessions-h"`)]
		for _, want := range []string{"Globex", "Initech", "Umbrella", "no successor assigned", "not discussed:", "no handover checklist yet"} {
			if !strings.Contains(attention, want) {
				t.Errorf("%s: the attention list lacks %q", path, want)
			}
		}
		// Globex (large, half-way) comes before Umbrella (not started, but leaving later).
		if strings.Index(attention, "Globex") > strings.Index(attention, "Umbrella") {
			t.Errorf("%s: Umbrella is listed before Globex", path)
		}
	}

	// The session page shows each account's readiness, the blind ones marked with their reasons.
	if body := readBody(t, e.do(http.MethodGet, "/interviews/"+halfway.ID, nil, withCookie(cookie))); !strings.Contains(body, `class="blind-text" title="not discussed:`) {
		t.Error("the session page does not mark the blind accounts")
	}

	// The API gives the same readiness.
	r := e.do(http.MethodGet, "/api/v1/interviews/"+halfway.ID, nil, withCookie(cookie))
	var got struct {
		Readiness int
		Accounts  []struct {
			Name      string
			Readiness int
		}
	}
	if err := json.NewDecoder(r.Body).Decode(&got); err != nil || r.StatusCode != 200 {
		t.Fatalf("API: %d %v", r.StatusCode, err)
	}
	r.Body.Close()
	sr, err := e.srv.readinessOf(ctx, halfway)
	if err != nil {
		t.Fatal(err)
	}
	if got.Readiness != sr.Score || got.Readiness <= 0 || got.Readiness >= 50 {
		t.Errorf("API readiness %d, dashboard %d; want the same, between 0 and 50 for a half-way interview", got.Readiness, sr.Score)
	}
}

// TestDashboardEmpty explains what to do when there is nothing yet.
func TestDashboardEmpty(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, nil)
	_, pw := e.user(store.RoleManager, "maria@example.com")
	r := e.do(http.MethodGet, "/interviews", nil, withCookie(e.login("maria@example.com", pw)))
	if body := readBody(t, r); r.StatusCode != 200 || !strings.Contains(body, "No sessions yet") || !strings.Contains(body, `href="/interviews/new"`) {
		t.Fatalf("empty dashboard: %d", r.StatusCode)
	}
}
