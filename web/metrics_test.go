package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// TestMetricsNeedTheirSettingAndToken: without EXITINTERVIEW_METRICS_TOKEN there is no /metrics; with it,
// only its bearer token (not a user's) reads them, and every metric family is there, the job queue read
// from the database. (The model's breakers and calls are there when a model is configured: see the
// metrics package's test.)
func TestMetricsNeedTheirSettingAndToken(t *testing.T) {
	t.Parallel()
	off := newTestEnv(t, nil)
	if resp := off.do(http.MethodGet, "/metrics", nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("without the setting: %d", resp.StatusCode)
	}

	const token = "metrics-token-0123456789"
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_METRICS_TOKEN": token})
	manager, _ := e.user(store.RoleManager, "maria@example.com")
	for name, opts := range map[string][]reqOpt{
		"no token":     nil,
		"wrong token":  {withBearer(token + "x")},
		"a user token": {withBearer(e.token(manager.Email))},
		"basic":        {withHeader("Authorization", "Basic "+token)},
	} {
		resp := e.do(http.MethodGet, "/metrics", nil, opts...)
		body := readBody(t, resp)
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "exitinterview_") {
			t.Errorf("%s: %d %s", name, resp.StatusCode, body)
		}
	}

	// An answer whose capture is queued, and a request to a known route.
	ctx := context.Background()
	c, err := e.ivs.Create(ctx, manager.ID, interview.CreateInput{CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly),
		Accounts: []book.Account{{Name: "Northwind"}}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.ivs.View(ctx, c.Interview.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ivs.Answer(ctx, c.Interview.ID, "Northwind renews in March.", "k1", v.Next.ID, nil); err != nil {
		t.Fatal(err)
	}
	readBody(t, e.do(http.MethodGet, "/healthz", nil))

	resp := e.do(http.MethodGet, "/metrics", nil, withBearer(token))
	body := readBody(t, resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the token: %d %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"# TYPE exitinterview_http_request_duration_seconds histogram",
		"# TYPE exitinterview_turn_duration_seconds histogram",
		"# TYPE exitinterview_jobs_waiting gauge",
		"# TYPE exitinterview_jobs_running gauge",
		"# TYPE exitinterview_jobs_oldest_age_seconds gauge",
		"# TYPE exitinterview_capture_lag_seconds histogram",
		"# TYPE exitinterview_logins_refused_total counter",
		`exitinterview_http_request_duration_seconds_count{code="200",method="GET",route="/healthz"}`,
		`exitinterview_jobs_waiting{kind="capture"} 1`,
		`exitinterview_jobs_waiting{kind="report"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in the metrics", want)
		}
	}
	if strings.Contains(body, c.Interview.ID) || strings.Contains(body, token) {
		t.Error("the metrics hold an interview id or the token")
	}
}

// TestRefusedLoginsAreCounted: a wrong password counts as bad_credentials. The registry is the process's,
// shared by the tests running beside this one, so the count is read before and after.
func TestRefusedLoginsAreCounted(t *testing.T) {
	t.Parallel()
	const token = "metrics-token-0123456789"
	e := newTestEnv(t, map[string]string{"EXITINTERVIEW_METRICS_TOKEN": token})
	e.user(store.RoleManager, "maria@example.com")
	count := func() float64 {
		body := readBody(t, e.do(http.MethodGet, "/metrics", nil, withBearer(token)))
		for _, line := range strings.Split(body, "\n") {
			if v, ok := strings.CutPrefix(line, `exitinterview_logins_refused_total{reason="bad_credentials"} `); ok {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
		}
		t.Fatalf("no bad_credentials count in:\n%s", body)
		return 0
	}
	before := count()
	resp := e.postForm("/login", url.Values{"email": {"maria@example.com"}, "password": {"not the password"}}, nil)
	readBody(t, resp)
	if after := count(); after < before+1 {
		t.Fatalf("bad_credentials went from %v to %v after a wrong password (login answered %d)", before, after, resp.StatusCode)
	}
}
