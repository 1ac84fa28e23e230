package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store/dbtest"
)

// binary is the real exitinterview, built once for these end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "exitinterview-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "exitinterview")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// emptyDatabase returns the URL of a database with nothing in it, as on a first start.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	pool, dbURL := dbtest.NewWithURL(t)
	if _, err := pool.Exec(context.Background(), `DROP SCHEMA public CASCADE; CREATE SCHEMA public;`); err != nil {
		t.Fatal(err)
	}
	pool.Close()
	return dbURL
}

type result struct {
	code           int
	stdout, stderr string
}

func runCmd(t *testing.T, dbURL, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "EXITINTERVIEW_LOG_FORMAT=json")
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, out.String(), errb.String()}
}

// server is a running `exitinterview serve`.
type server struct {
	cmd    *exec.Cmd
	url    string
	stdout *bytes.Buffer
	done   chan error
}

func startServer(t *testing.T, dbURL string, env ...string) *server {
	t.Helper()
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "EXITINTERVIEW_LOG_FORMAT=json"), env...)
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stdout: &bytes.Buffer{}, done: make(chan error, 1)}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		re := regexp.MustCompile(`serving on (http://\S+)`)
		for sc.Scan() {
			s.stdout.WriteString(sc.Text() + "\n")
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	go func() { s.done <- cmd.Wait(); pw.Close() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	select {
	case s.url = <-found:
	case err := <-s.done:
		t.Fatalf("serve exited: %v\n%s", err, s.stdout)
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start\n%s", s.stdout)
	}
	return s
}

// stop sends SIGTERM and expects a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("serve did not exit cleanly on SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop within 30s of SIGTERM")
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 10 * time.Second}

func get(t *testing.T, u, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestEveryCommandHasHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"worker", "--help"}, {"migrate", "--help"}, {"users", "create", "--help"}, {"tokens", "create", "--help"}, {"bench", "--help"}} {
		r := runCmd(t, "", "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: exitinterview") {
			t.Errorf("%v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := runCmd(t, "", "", "serve", "--help"); !strings.Contains(r.stdout, "-addr") || !strings.Contains(r.stdout, "DATABASE_URL") {
		t.Errorf("serve --help does not name its flags and environment:\n%s", r.stdout)
	}
	if r := runCmd(t, "", "", "frobnicate"); r.code != 1 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %s", r.code, r.stderr)
	}
	if r := runCmd(t, "", "", "migrate"); r.code != 1 || !strings.Contains(r.stderr, "DATABASE_URL") {
		t.Errorf("migrate without a database: %d %s", r.code, r.stderr)
	}
}

func TestFirstStartCreatesOneAdminAndShowsItsPasswordOnce(t *testing.T) {
	t.Parallel()
	dbURL := emptyDatabase(t)
	s := startServer(t, dbURL)
	m := regexp.MustCompile(`email:\s+(\S+)\s+password:\s+(\S+)`).FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no first admin printed:\n%s", s.stdout)
	}
	if code, _ := get(t, s.url+"/readyz", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	if code, body := get(t, s.url+"/login", ""); code != 200 || !strings.Contains(body, "Sign in") {
		t.Fatalf("login page: %d", code)
	}
	resp, err := noRedirect.PostForm(s.url+"/login", url.Values{"email": {m[1]}, "password": {m[2]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("login with the printed password: %d", resp.StatusCode)
	}
	s.stop(t)

	s = startServer(t, dbURL)
	if strings.Contains(s.stdout.String(), "password:") {
		t.Fatalf("second start printed a password again:\n%s", s.stdout)
	}
	s.stop(t)
}

func TestMigrateUsersAndTokensAgainstTheRealBinary(t *testing.T) {
	t.Parallel()
	dbURL := emptyDatabase(t)
	if r := runCmd(t, dbURL, "", "migrate"); r.code != 0 || !strings.Contains(r.stdout, "up to date") {
		t.Fatalf("migrate: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r := runCmd(t, dbURL, "a long enough password\n", "users", "create", "--email", "Maria@Example.com", "--name", "Maria Lopez", "--role", "manager", "--password-stdin")
	if r.code != 0 || !strings.Contains(r.stdout, "created manager Maria Lopez <maria@example.com>") || strings.Contains(r.stdout, "password:") {
		t.Fatalf("users create: %d %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCmd(t, dbURL, "", "users", "create", "--email", "sam@example.com", "--name", "Sam", "--role", "successor")
	if r.code != 0 || !regexp.MustCompile(`password: [A-Z2-7]{26}`).MatchString(r.stdout) {
		t.Fatalf("users create with a generated password: %d %s", r.code, r.stdout)
	}
	for name, args := range map[string][]string{
		"bad role":  {"users", "create", "--email", "x@example.com", "--name", "X", "--role", "owner"},
		"bad email": {"users", "create", "--email", "nope", "--name", "X", "--role", "manager"},
		"duplicate": {"users", "create", "--email", "maria@example.com", "--name", "M", "--role", "manager"},
		"no verb":   {"users"},
	} {
		if r := runCmd(t, dbURL, "", args...); r.code != 1 || !strings.Contains(r.stderr, "exitinterview:") {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	if r := runCmd(t, dbURL, "", "tokens", "create", "--email", "ghost@example.com"); r.code != 1 || !strings.Contains(r.stderr, "no user with email ghost@example.com") {
		t.Errorf("token for an unknown user: %d %s", r.code, r.stderr)
	}
	r = runCmd(t, dbURL, "", "tokens", "create", "--email", "maria@example.com")
	token := strings.TrimSpace(r.stdout)
	if r.code != 0 || !regexp.MustCompile(`^eit_[A-Za-z0-9_-]{43}$`).MatchString(token) {
		t.Fatalf("tokens create: %d %q %s", r.code, r.stdout, r.stderr)
	}

	s := startServer(t, dbURL)
	if strings.Contains(s.stdout.String(), "First admin") {
		t.Error("an admin was created although users exist")
	}
	code, body := get(t, s.url+"/api/v1/me", token)
	if code != 200 || !strings.Contains(body, `"email":"maria@example.com"`) || !strings.Contains(body, `"role":"manager"`) {
		t.Fatalf("me with the token: %d %s", code, body)
	}
	code, body = get(t, s.url+"/api/v1/me", token+"x")
	if code != 401 || !strings.Contains(body, `"error":{"code":"invalid_token"`) {
		t.Fatalf("me with a wrong token: %d %s", code, body)
	}
	s.stop(t)
}

// TestDisableUsersAndManageTokensFromTheCommandLine: tokens are listed, named, given a lifetime and
// revoked; a disabled user's tokens stop working at once and work again once they are enabled.
func TestDisableUsersAndManageTokensFromTheCommandLine(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	if r := runCmd(t, dbURL, "", "users", "create", "--email", "maria@example.com", "--name", "Maria Lopez", "--role", "manager"); r.code != 0 {
		t.Fatalf("users create: %d %s", r.code, r.stderr)
	}
	first := strings.TrimSpace(runCmd(t, dbURL, "", "tokens", "create", "--email", "maria@example.com").stdout)
	r := runCmd(t, dbURL, "", "tokens", "create", "--email", "maria@example.com", "--name", "CRM sync", "--expires", "30d")
	second := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(second, "eit_") {
		t.Fatalf("tokens create --name --expires: %d %s", r.code, r.stderr)
	}
	for name, args := range map[string][]string{
		"bad lifetime": {"tokens", "create", "--email", "maria@example.com", "--expires", "0d"},
		"long name":    {"tokens", "create", "--email", "maria@example.com", "--name", strings.Repeat("n", 101)},
		"unknown id":   {"tokens", "revoke", "--id", "00000000-0000-4000-8000-000000000000"},
		"no email":     {"users", "disable"},
		"ghost":        {"users", "disable", "--email", "ghost@example.com"},
		"no verb":      {"tokens", "frobnicate"},
	} {
		if r := runCmd(t, dbURL, "", args...); r.code != 1 || !strings.Contains(r.stderr, "exitinterview:") {
			t.Errorf("%s: exit %d, stderr %q", name, r.code, r.stderr)
		}
	}
	r = runCmd(t, dbURL, "", "tokens", "list", "--email", "maria@example.com")
	in30 := time.Now().AddDate(0, 0, 30).UTC().Format(time.DateOnly)
	m := regexp.MustCompile(`(?m)^(\S+)\s+CRM sync\s+active\s+\S+\s+never\s+` + in30 + `$`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "command line") {
		t.Fatalf("tokens list: %d\n%s", r.code, r.stdout)
	}

	s := startServer(t, dbURL)
	if code, _ := get(t, s.url+"/api/v1/me", second); code != 200 {
		t.Fatalf("second token: %d", code)
	}
	if r := runCmd(t, dbURL, "", "tokens", "revoke", "--id", m[1]); r.code != 0 || !strings.Contains(r.stdout, "revoked token "+m[1]+" (CRM sync)") {
		t.Fatalf("tokens revoke: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if code, _ := get(t, s.url+"/api/v1/me", second); code != 401 {
		t.Errorf("revoked token: %d", code)
	}
	if r := runCmd(t, dbURL, "", "users", "disable", "--email", "Maria@example.com"); r.code != 0 || !strings.Contains(r.stdout, "disabled Maria Lopez") {
		t.Fatalf("users disable: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if code, _ := get(t, s.url+"/api/v1/me", first); code != 401 {
		t.Errorf("a disabled user's token: %d", code)
	}
	if r := runCmd(t, dbURL, "", "tokens", "create", "--email", "maria@example.com"); r.code != 1 || !strings.Contains(r.stderr, "disabled") {
		t.Errorf("a token for a disabled user: %d %s", r.code, r.stderr)
	}
	if r := runCmd(t, dbURL, "", "users", "enable", "--email", "maria@example.com"); r.code != 0 || !strings.Contains(r.stdout, "enabled Maria Lopez") {
		t.Fatalf("users enable: %d %s", r.code, r.stderr)
	}
	if code, _ := get(t, s.url+"/api/v1/me", first); code != 200 {
		t.Errorf("the token once the user is enabled again: %d", code)
	}
	s.stop(t)
}

// TestBenchPrintsItsFigures runs a small bench: the figures are printed (their values are not asserted).
func TestBenchPrintsItsFigures(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	r := runCmd(t, dbURL, "", "bench", "--interviews", "3", "--turns", "2", "--think", "10ms", "--chunks", "3000", "--queries", "10")
	if r.code != 0 {
		t.Fatalf("bench: %d %s", r.code, r.stderr)
	}
	for _, name := range []string{"pdf_50_accounts_ms", "pdf_peak_mb", "login_100_parallel_peak_rss_mb", "turn_p95_ms", "turn_capacity_per_s", "capture_lag_p95_ms", "embed_chunks_per_s", "search_p95_ms", "search_as_successor_p95_ms", "search_recall10"} {
		if !regexp.MustCompile(`(?m)^` + name + ` [0-9.]+$`).MatchString(r.stdout) {
			t.Errorf("no %s in:\n%s", name, r.stdout)
		}
	}
}

// TestBenchFidelityScoresEveryPersona: `bench --only fidelity` interviews every persona of the corpus
// through the real server and prints each figure per persona and in total.
func TestBenchFidelityScoresEveryPersona(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	r := runCmd(t, dbURL, "", "bench", "--only", "fidelity")
	if r.code != 0 {
		t.Fatalf("bench --only fidelity: %d %s", r.code, r.stderr)
	}
	for _, name := range []string{"risk_accuracy", "contradiction_recall", "person_precision", "person_recall", "wrong_intro_recipients",
		"commitment_date_accuracy", "gap_precision", "already_answered_questions"} {
		for _, prefix := range []string{"fidelity_before_", "fidelity_after_", "fidelity_before_terse-british_", "fidelity_after_terse-british_"} {
			if !regexp.MustCompile(`(?m)^` + prefix + name + ` [0-9.]+$`).MatchString(r.stdout) {
				t.Errorf("no %s%s in:\n%s", prefix, name, r.stdout)
			}
		}
	}
	if !strings.Contains(r.stdout, "fidelity_personas 5") {
		t.Errorf("not every persona ran:\n%s", r.stdout)
	}
	// What the offline engine understands of the five personas, before the read-back (floors just under
	// today's figures) and after it (the CSM's corrections make the handover right).
	figure := func(name string) float64 {
		m := regexp.MustCompile(`(?m)^` + name + ` ([0-9.]+)$`).FindStringSubmatch(r.stdout)
		if m == nil {
			t.Fatalf("no %s", name)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	for name, floor := range map[string]float64{"risk_accuracy": 0.9, "contradiction_recall": 0.9, "person_precision": 0.95,
		"person_recall": 0.9, "commitment_date_accuracy": 0.9, "gap_precision": 0.95, "topic_attribution": 0.92} {
		if v := figure("fidelity_before_" + name); v < floor {
			t.Errorf("before the read-back, %s is %.3f, below %.2f", name, v, floor)
		}
	}
	if v := figure("fidelity_before_already_answered_questions"); v > 0.05 {
		t.Errorf("before the read-back, %.3f of the questions asked had been answered already", v)
	}
	for _, name := range []string{"risk_accuracy", "contradiction_recall", "person_precision", "person_recall", "commitment_date_accuracy", "gap_precision"} {
		if v := figure("fidelity_after_" + name); v != 1 {
			t.Errorf("after the read-back, %s is %.3f, not 1", name, v)
		}
	}
	if v := figure("fidelity_after_wrong_intro_recipients"); v != 0 {
		t.Errorf("after the read-back, %v introduction e-mails go to the wrong people", v)
	}
	if v := figure("fidelity_after_topic_attribution"); v != 1 {
		t.Errorf("after the read-back and the filing, topic attribution is %.3f, not 1", v)
	}
	if v := figure("fidelity_after_already_answered_questions"); v != 0 {
		t.Errorf("after the read-back, %.3f of the questions asked had been answered already", v)
	}
	// What successors ask of the handovers, in the labelled set and in the held-out one nobody tuned for:
	// the ranking and Ask's answers at least as good as the product promises, and the two ways of failing a
	// successor (saying nothing was captured when it was, answering when nothing was) at most 2 %.
	for name, floor := range map[string]float64{"ask_hit_at_3": 0.95, "ask_mrr": 0.85, "ask_answered_correctly": 0.74,
		"ask_heldout_hit_at_3": 0.93, "ask_heldout_mrr": 0.85, "ask_heldout_answered_correctly": 0.74,
		"ask_blind_hit_at_3": 0.9, "ask_blind_mrr": 0.84} {
		if v := figure(name); v < floor {
			t.Errorf("%s is %.3f, below %.2f", name, v, floor)
		}
	}
	for _, name := range []string{"ask_false_not_captured", "ask_false_answers", "ask_heldout_false_not_captured", "ask_heldout_false_answers",
		"ask_blind_false_not_captured", "ask_blind_false_answers"} {
		if v := figure(name); v > 0.02 {
			t.Errorf("%s is %.3f, above 0.02", name, v)
		}
	}
}

// TestBenchCapturePrintsItsFigures: `bench --only capture` captures every answer it enqueued and says how
// fast (the value is not asserted).
func TestBenchCapturePrintsItsFigures(t *testing.T) {
	t.Parallel()
	_, dbURL := dbtest.NewWithURL(t)
	r := runCmd(t, dbURL, "", "bench", "--only", "capture", "--interviews", "1")
	if r.code != 0 {
		t.Fatalf("bench --only capture: %d %s", r.code, r.stderr)
	}
	for _, name := range []string{"capture_answers", "capture_per_s", "capture_longest_wait_ms"} {
		if !regexp.MustCompile(`(?m)^` + name + ` [0-9.]+$`).MatchString(r.stdout) {
			t.Errorf("no %s in:\n%s", name, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "capture_uncaptured 0\n") {
		t.Errorf("answers left uncaptured:\n%s", r.stdout)
	}
}

// TestFirstStartWithPasswordLoginOff: with single sign-on and password login off, the first start tells
// the admin how to get in, and the command line's API token gets them in without the provider (here out
// of reach); a wrong single sign-on setting stops the start, naming it.
func TestFirstStartWithPasswordLoginOff(t *testing.T) {
	t.Parallel()
	dbURL := emptyDatabase(t)
	sso := []string{"EXITINTERVIEW_OIDC_ISSUER=http://127.0.0.1:9/realms/acme", "EXITINTERVIEW_OIDC_CLIENT_ID=exitinterview",
		"EXITINTERVIEW_OIDC_CLIENT_SECRET=never-printed-client-secret", "EXITINTERVIEW_OIDC_PASSWORD_LOGIN=false",
		"EXITINTERVIEW_ADMIN_EMAIL=root@example.com"}
	s := startServer(t, dbURL, sso...)
	out := s.stdout.String()
	if !strings.Contains(out, "Password login is off") || !strings.Contains(out, "exitinterview tokens create --email root@example.com") ||
		strings.Contains(out, "password:") || strings.Contains(out, "never-printed-client-secret") {
		t.Fatalf("first start with password login off printed:\n%s", out)
	}
	if code, body := get(t, s.url+"/login", ""); code != 200 || !strings.Contains(body, "Sign in with SSO") || strings.Contains(body, `name="password"`) {
		t.Fatalf("login page: %d\n%s", code, body)
	}
	resp, err := noRedirect.PostForm(s.url+"/login", url.Values{"email": {"root@example.com"}, "password": {"anything at all"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("POST /login with password login off: %d", resp.StatusCode)
	}
	r := runCmd(t, dbURL, "", "tokens", "create", "--email", "root@example.com", "--name", "break glass", "--expires", "1d")
	if r.code != 0 {
		t.Fatalf("tokens create: %d %s", r.code, r.stderr)
	}
	if code, body := get(t, s.url+"/api/v1/me", strings.TrimSpace(r.stdout)); code != 200 || !strings.Contains(body, `"role":"admin"`) {
		t.Fatalf("the admin's API token: %d %s", code, body)
	}
	s.stop(t)

	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "EXITINTERVIEW_OIDC_ISSUER=http://login.example.com", "EXITINTERVIEW_OIDC_CLIENT_ID=x")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "EXITINTERVIEW_OIDC_ISSUER must be https://") {
		t.Fatalf("an http issuer elsewhere: %v\n%s", err, b)
	}
}
