package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// sessionAnswers are the realistic six-account interview of report/testdata/session.json: what the
// scripted CSM answers, by account and topic.
type sessionAnswers struct {
	Accounts []struct {
		Name        string  `json:"name"`
		ARR         float64 `json:"arr"`
		RenewalDate string  `json:"renewal_date"`
		CRMHealth   string  `json:"crm_health"`
		Successor   string  `json:"successor"`
	}
	Answers []struct {
		Account, Answer string
		Topics          []string
	}
}

// pdfText runs pdftotext on a PDF: make test installs poppler-utils.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("EXITINTERVIEW_REQUIRE_PDFTOOLS") != "" {
			t.Fatal("pdftotext is not installed (scripts/testdeps.sh installs poppler-utils)")
		}
		t.Skip("pdftotext is not installed; `make test` installs it")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestScriptedSixAccountInterviewYieldsTheReport is issue 5's "done when", through the real binary: a
// scripted CSM answers a six-account interview; within seconds of the end the PDF names every account
// with its risk, every stakeholder, renewal, upsell, commitment, workaround, escalation contact, shadow
// system and feedback theme, with citations, a checklist with owners and due dates, and the open gaps;
// no credential; only the session's manager may download it.
func TestScriptedSixAccountInterviewYieldsTheReport(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../report/testdata/session.json")
	if err != nil {
		t.Fatal(err)
	}
	var sess sessionAnswers
	if err := json.Unmarshal(b, &sess); err != nil {
		t.Fatal(err)
	}
	dbURL := emptyDatabase(t)
	for _, u := range []struct{ email, role string }{{"maria@example.com", "manager"}, {"other@example.com", "manager"},
		{"sam.okafor@example.com", "successor"}, {"zoe.angstrom@example.com", "successor"}} {
		if r := runCmd(t, dbURL, "a long enough password\n", "users", "create", "--email", u.email, "--name", strings.Split(u.email, "@")[0],
			"--role", u.role, "--password-stdin"); r.code != 0 {
			t.Fatal(r.stderr)
		}
	}
	token := func(email string) string {
		return strings.TrimSpace(runCmd(t, dbURL, "", "tokens", "create", "--email", email).stdout)
	}
	manager, other, successor := token("maria@example.com"), token("other@example.com"), token("sam.okafor@example.com")
	s := startServer(t, dbURL)
	defer s.stop(t)

	var accounts []map[string]any
	var successors []map[string]string
	for _, a := range sess.Accounts {
		accounts = append(accounts, map[string]any{"name": a.Name, "arr": a.ARR, "renewal_date": a.RenewalDate, "crm": map[string]string{"health": a.CRMHealth}})
		if a.Successor != "" {
			successors = append(successors, map[string]string{"account": a.Name, "email": a.Successor})
		}
	}
	departure := time.Now().AddDate(0, 0, 23).Format(time.DateOnly)
	body, _ := json.Marshal(map[string]any{"csm": map[string]string{"name": "Dana Whitfield"}, "departure_date": departure,
		"accounts": accounts, "successors": successors})
	code, resp := apiCall(t, "POST", s.url+"/api/v1/interviews", manager, string(body))
	var created struct {
		ID          string `json:"id"`
		InviteToken string `json:"invite_token"`
	}
	if err := json.Unmarshal([]byte(resp), &created); err != nil || code != 201 {
		t.Fatalf("create: %d %s", code, resp)
	}

	// The CSM answers each question with everything they said about that account and its topics, once (a
	// brief account's broad question gets several answers at once).
	used := map[int]bool{}
	answerFor := func(account string, topics []string) string {
		var parts []string
		for i, a := range sess.Answers {
			if used[i] || a.Account != account {
				continue
			}
			for _, topic := range topics {
				if slices.Contains(a.Topics, topic) {
					used[i] = true
					parts = append(parts, a.Answer)
					break
				}
			}
		}
		if len(parts) == 0 {
			return "Nothing more to add."
		}
		return strings.Join(parts, "\n\n")
	}
	code, resp = apiCall(t, "GET", s.url+"/api/v1/interview", created.InviteToken, "")
	var v csmView
	if err := json.Unmarshal([]byte(resp), &v); err != nil || code != 200 {
		t.Fatalf("view: %d %s", code, resp)
	}
	for turn := 0; !v.Done; turn++ {
		if turn > 120 || v.Next == nil {
			t.Fatalf("turn %d: no question and not done", turn)
		}
		account := ""
		if v.Next.Account != nil {
			account = *v.Next.Account
		}
		content, _ := json.Marshal(answerFor(account, v.Next.Topics))
		code, resp := apiCall(t, "POST", s.url+"/api/v1/interview/messages", created.InviteToken, fmt.Sprintf(`{"content":%s,"client_id":"r-%d"}`, content, turn))
		if code != 201 {
			t.Fatalf("turn %d: %d %s", turn, code, resp)
		}
		v = csmView{}
		if err := json.Unmarshal([]byte(resp), &v); err != nil {
			t.Fatal(err)
		}
	}
	ended := time.Now()

	base := s.url + "/api/v1/interviews/" + created.ID
	var report struct {
		Status   string
		Accounts []struct {
			Name string
			Risk struct{ Level string }
		}
		Checklist []struct {
			Kind, Owner string
			DueDate     string `json:"due_date"`
			DueNote     string `json:"due_note"`
		}
	}
	for report.Status != "ready" {
		if time.Since(ended) > time.Minute {
			t.Fatalf("no report a minute after the interview ended: %s", resp)
		}
		time.Sleep(200 * time.Millisecond)
		_, resp = apiCall(t, "GET", base+"/report", manager, "")
		if err := json.Unmarshal([]byte(resp), &report); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("report ready %.1f s after the interview ended", time.Since(ended).Seconds())
	code, pdf := apiCall(t, "GET", base+"/report.pdf", manager, "")
	if code != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("PDF: %d", code)
	}
	text := pdfText(t, []byte(pdf))
	flat := strings.Join(strings.Fields(text), " ") // pdftotext breaks lines where the table cells wrap
	for _, want := range []string{
		// every account and the sections
		"Northwind Traders", "Stark Logistics", "Umbrella Health", "Globex", "Initech", "Wayne Retail",
		"Executive summary", "Handover checklist", "Knowledge gaps", "Appendix",
		// stakeholders, in any script
		"Priya Shah", "Marco Rossi", "Hannah Lee", "Victor Hale", "Sara Lind", "Erik Holm", "Peter Gibbons", "Alfred Penn",
		"Aisha Khan", "Zoë Ångström", "Иван Петров",
		// upsell, commitments, open issues, workarounds, escalation contacts, shadow systems, feedback, drivers
		"workforce management", "relevance tuning guide", "SUP-4411", "nightly script", "Lena Fischer", "PagerDuty", "Renewal radar",
		"bulk editing", "Zendesk", "stated high risk",
		// owners of checklist items, and the vault
		"sam.okafor@example.com", "zoe.angstrom@example.com", "password vault",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF does not mention %q", want)
		}
	}
	levels := map[string]string{}
	for _, a := range report.Accounts {
		levels[a.Name] = a.Risk.Level
		if !strings.Contains(strings.ToLower(flat), strings.ToLower(a.Name)) || !strings.Contains(strings.ToLower(flat), a.Risk.Level) {
			t.Errorf("the PDF lacks %s or its level %s", a.Name, a.Risk.Level)
		}
	}
	if levels["Stark Logistics"] != "high" && levels["Stark Logistics"] != "critical" || levels["Umbrella Health"] != "low" {
		t.Errorf("risk levels %v", levels)
	}
	if n := len(regexp.MustCompile(`#\d+`).FindAllString(flat, -1)); n < 50 {
		t.Errorf("%d citations in the PDF", n)
	}
	// Every task is due by the last day, but a commitment: it is due when it was promised, and on the last
	// day only when it was promised on no date, which the item says.
	for _, c := range report.Checklist {
		late := c.DueDate > departure && c.Kind != "commitment"
		if c.Owner == "" || c.DueDate == "" || late || c.DueNote != "" && c.DueDate != departure {
			t.Errorf("%s item with owner %q, due %q %s (departure %s)", c.Kind, c.Owner, c.DueDate, c.DueNote, departure)
		}
	}
	if strings.Contains(text, "Winter2024") || strings.Contains(resp, "Winter2024") {
		t.Fatal("the credential reached the report")
	}
	if code, _ := apiCall(t, "GET", base+"/report.pdf", successor, ""); code != 403 {
		t.Errorf("a successor downloads the report: %d", code)
	}
	if code, _ := apiCall(t, "GET", base+"/report.pdf", other, ""); code != 404 {
		t.Errorf("another manager downloads the report: %d", code)
	}

	// The command line makes the same report, as a new version.
	out := filepath.Join(t.TempDir(), "report.pdf")
	if r := runCmd(t, dbURL, "", "report", "--interview", created.ID, "--out", out); r.code != 0 || !strings.Contains(r.stdout, "report version 2") {
		t.Fatalf("report command: %d %s %s", r.code, r.stdout, r.stderr)
	}
	cli, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if cliText := pdfText(t, cli); !strings.Contains(cliText, "Иван Петров") || !strings.Contains(cliText, "Executive summary") {
		t.Fatalf("the command's PDF:\n%.500s", cliText)
	}
}
