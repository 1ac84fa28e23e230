package report

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type session struct {
	CSM                   string `json:"csm"`
	CSMEmail              string `json:"csm_email"`
	Manager, ManagerEmail string
	DepartureDate         string `json:"departure_date"`
	Today                 string
	Accounts              []struct {
		Name               string
		ARR                float64
		RenewalDate        string `json:"renewal_date"`
		Segment            string
		CRMHealth          string `json:"crm_health"`
		CRMOpenOpportunity string `json:"crm_open_opportunity"`
		Successor, Depth   string
	}
	Answers []struct {
		Account, Question, Answer string
		Topics                    []string
	}
}

// sessionInput turns testdata/session.json, a realistic six-account interview, into what Build reads,
// the way the interview and capture store it: each answer redacted, mined by the offline rules (as of the
// interview's day), and the plan's coverage as the answers left it.
func sessionInput(t testing.TB) Input {
	t.Helper()
	return inputOf(t, loadSession(t))
}

func loadSession(t testing.TB) session {
	t.Helper()
	b, err := os.ReadFile("testdata/session.json")
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// inputOf is what Build reads of a session.
func inputOf(t testing.TB, s session) Input {
	t.Helper()
	s.CSMEmail, s.ManagerEmail = "dana.whitfield@example.com", "maria.keller@example.com"
	today, _ := time.Parse(time.DateOnly, s.Today)
	departure, _ := time.Parse(time.DateOnly, s.DepartureDate)
	in := Input{
		Interview: store.Interview{ID: "iv-1", CSMName: s.CSM, CSMEmail: s.CSMEmail, DepartureDate: departure, Status: "completed"},
		Manager:   store.User{Name: "Maria Keller", Email: s.ManagerEmail},
		Version:   3, Now: today.Add(17 * time.Hour),
		SuccessorNames: map[string]string{"sam.okafor@example.com": "Sam Okafor", "zoe.angstrom@example.com": "Zoë Ångström"},
	}
	ids := map[string]string{}
	var names []string
	for i, a := range s.Accounts {
		arr := a.ARR
		renewal, _ := time.Parse(time.DateOnly, a.RenewalDate)
		acc := store.Account{ID: fmt.Sprintf("acc-%d", i+1), Position: i, Name: a.Name, ARR: &arr, RenewalDate: &renewal, Segment: a.Segment,
			CRMHealth: a.CRMHealth, CRMOpenOpportunity: a.CRMOpenOpportunity, SuccessorEmail: a.Successor, Depth: a.Depth}
		in.Accounts = append(in.Accounts, acc)
		ids[a.Name] = acc.ID
		names = append(names, a.Name)
	}
	answered := map[[2]string]bool{}
	at := today.Add(9 * time.Hour)
	for _, a := range s.Answers {
		n := len(in.Messages)
		q := store.Message{ID: fmt.Sprintf("m%02d", n+1), Seq: n + 1, Role: "interviewer", Kind: interview.KindQuestion, Content: a.Question,
			AccountID: ids[a.Account], Topics: a.Topics, CreatedAt: at}
		text, found := redact.Text(a.Answer)
		ans := store.Message{ID: fmt.Sprintf("m%02d", n+2), Seq: n + 2, Role: "csm", Kind: interview.KindAnswer, Content: text, ReplyTo: q.ID,
			CreatedAt: at.Add(time.Minute)}
		at = at.Add(2 * time.Minute)
		in.Messages = append(in.Messages, q, ans)
		for _, f := range extract.Offline(text, extract.Context{Topics: a.Topics, Account: a.Account, Accounts: names, CSMName: s.CSM, Today: today}) {
			in.Findings = append(in.Findings, store.Finding{AccountID: ids[a.Account], MessageID: ans.ID, Type: f.Type, Text: f.Text, Fields: f.Fields})
		}
		for _, r := range found {
			in.Findings = append(in.Findings, store.Finding{AccountID: ids[a.Account], MessageID: ans.ID, Type: CredentialMentioned,
				Text: "A " + string(r.Kind) + " was mentioned and removed.", Fields: map[string]string{"kind": string(r.Kind), "system": r.System}})
		}
		for _, topic := range a.Topics {
			answered[[2]string{ids[a.Account], topic}] = true
		}
	}
	in.Coverage = coverageOf(in.Accounts, answered)
	return in
}

// coverageOf is the plan's coverage with the answered (account id, topic) pairs covered, the rest missing.
func coverageOf(accounts []store.Account, answered map[[2]string]bool) []store.CoverageItem {
	var out []store.CoverageItem
	state := func(accountID, topic string) string {
		if answered[[2]string{accountID, topic}] {
			return interview.Covered
		}
		return interview.Missing
	}
	for _, a := range accounts {
		for _, topic := range interview.AccountTopics {
			out = append(out, store.CoverageItem{AccountID: a.ID, Topic: topic, State: state(a.ID, topic)})
		}
	}
	for _, topic := range interview.PortfolioTopics {
		out = append(out, store.CoverageItem{Topic: topic, State: state("", topic)})
	}
	return out
}

// TestBuildGolden builds the report of a realistic session and compares it with the reviewed golden file
// (go test ./report -run Golden -update rewrites it; read the diff before committing it).
func TestBuildGolden(t *testing.T) {
	t.Parallel()
	r, err := Build(sessionInput(t))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	const golden = "testdata/report.golden.json"
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.TrimSpace(string(want)), strings.TrimSpace(string(got))); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
	}
}

// TestBuildHoldsEveryStatementToItsSource: every statement, finding, driver and checklist item cites
// messages of the transcript, and the credential is nowhere.
func TestBuildHoldsEveryStatementToItsSource(t *testing.T) {
	t.Parallel()
	in := sessionInput(t)
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, m := range r.Transcript {
		known[m.ID] = true
	}
	check := func(where string, ids []string, mustCite bool) {
		if mustCite && len(ids) == 0 {
			t.Errorf("%s cites nothing", where)
		}
		for _, id := range ids {
			if !known[id] {
				t.Errorf("%s cites %q, not in the transcript", where, id)
			}
		}
	}
	for _, p := range r.SummaryPoints {
		check("summary point "+p.Text, p.MessageIDs, true)
	}
	for _, a := range r.Accounts {
		for _, f := range a.Findings {
			check(a.Name+" finding "+f.Text, f.MessageIDs, true)
		}
		for _, d := range a.Risk.Drivers {
			// The CRM is the source of its own figures.
			check(a.Name+" driver "+d.Text, d.MessageIDs, d.Key != "risk_unknown" && d.Key != "crm_red" && !strings.Contains(d.Text, "(CRM)"))
		}
		for _, o := range a.Overview {
			check(a.Name+" overview", o.MessageIDs, true)
		}
	}
	for _, c := range r.Checklist {
		check("checklist "+c.Title, c.MessageIDs, !slices.Contains([]string{"context_meeting", "gap"}, c.Kind))
	}
	b, _ := json.Marshal(r)
	if strings.Contains(string(b), "Winter2024") {
		t.Fatal("the credential reached the report")
	}
	if len(r.Credentials) != 1 || !strings.Contains(string(b), "Move the password") {
		t.Fatalf("credentials %+v; want one, with a vault task", r.Credentials)
	}
}

// TestChecklistKeepsWhatAPersonChanged: ticks, owners and dates survive a rebuild, by item ID.
func TestChecklistKeepsWhatAPersonChanged(t *testing.T) {
	t.Parallel()
	in := sessionInput(t)
	first, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	item := first.Checklist[0]
	changed := item
	changed.Done, changed.Owner, changed.DueDate = true, "lee@example.com", "2026-12-01"
	in.Checklist = map[string]ChecklistItem{item.ID: changed}
	in.Now = in.Now.Add(24 * time.Hour)
	second, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Checklist) != len(first.Checklist) {
		t.Fatalf("%d items, then %d", len(first.Checklist), len(second.Checklist))
	}
	got := second.Checklist[0]
	if got.ID != item.ID || !got.Done || got.Owner != "lee@example.com" || got.DueDate != "2026-12-01" {
		t.Fatalf("after a rebuild: %+v", got)
	}
	for i := range first.Checklist {
		if first.Checklist[i].ID != second.Checklist[i].ID {
			t.Fatalf("item %d changed its ID", i)
		}
	}
}

// TestPeopleAreOneUnderTheirFullestName: "Marco" said first and "Marco Rossi, the CFO" later are one
// introduction, to Marco Rossi (CFO), citing both.
func TestPeopleAreOneUnderTheirFullestName(t *testing.T) {
	t.Parallel()
	got := people([]Finding{
		{Type: "stakeholder", Fields: map[string]string{"name": "Marco"}, MessageIDs: []string{"m1"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Priya Shah", "role": "champion"}, MessageIDs: []string{"m2"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Marco Rossi", "role": "CFO"}, MessageIDs: []string{"m3"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Marcus"}, MessageIDs: []string{"m4"}},
	})
	want := []person{{name: "Marco Rossi", role: "CFO", ids: []string{"m1", "m3"}}, {name: "Priya Shah", role: "champion", ids: []string{"m2"}},
		{name: "Marcus", ids: []string{"m4"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(person{}), cmpopts.IgnoreFields(person{}, "said")); diff != "" {
		t.Fatalf("(-want +got):\n%s", diff)
	}
}

// TestOnlyContactablePeopleAreIntroduced: the introduction e-mail and the checklist greet the people the
// successor may contact; a sponsor who left, a champion on leave and someone not to be cc'd are left out,
// whichever mention said so, and so is a person who may be another account's.
func TestOnlyContactablePeopleAreIntroduced(t *testing.T) {
	t.Parallel()
	findings := []Finding{
		{Type: "stakeholder", Fields: map[string]string{"name": "Marco Rossi", "role": "sponsor", "status": "left"}, MessageIDs: []string{"m1"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Priya", "status": "on_leave"}, MessageIDs: []string{"m2"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Priya Shah", "role": "champion"}, MessageIDs: []string{"m3"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Tom Price", "role": "procurement", "do_not_contact": "yes"}, MessageIDs: []string{"m4"}},
		{Type: "stakeholder", Fields: map[string]string{"name": "Dana Kim", "role": "CIO", "status": "new"}, MessageIDs: []string{"m5"}},
		// Named here in passing, and another account's person: nobody to introduce here.
		{Type: "stakeholder", Fields: map[string]string{"name": "Aoife"}, MessageIDs: []string{"m6"}, Uncertain: true},
	}
	var names []string
	for _, p := range people(findings) {
		if p.contactable() && p.name != "Aoife" {
			names = append(names, p.name)
		}
	}
	if diff := cmp.Diff([]string{"Dana Kim"}, names); diff != "" {
		t.Fatalf("contactable people (-want +got):\n%s", diff)
	}
	e := introEmail(store.Interview{CSMName: "Dana", DepartureDate: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)}, store.Account{Name: "Northwind"}, "Sam", findings)
	if diff := cmp.Diff([]string{"Dana Kim"}, e.To); diff != "" {
		t.Errorf("e-mail recipients (-want +got):\n%s", diff)
	}
	if strings.Contains(e.Body, "Marco") || strings.Contains(e.Body, "Priya") || strings.Contains(e.Body, "Tom") || strings.Contains(e.Body, "Aoife") {
		t.Errorf("the e-mail names someone not to be contacted:\n%s", e.Body)
	}
}

// TestTheReportReadsTheStoredFacts: given stored facts, the report shows them and not what the findings
// alone would say: a corrected risk level is the account's stated level, a withdrawn person is gone, and
// the Markdown and the PDF's words say which facts the CSM confirmed or corrected.
func TestTheReportReadsTheStoredFacts(t *testing.T) {
	in := sessionInput(t)
	derived := facts.Derive(in.Findings)
	var account string
	now := in.Now
	for i := range derived {
		f := &derived[i]
		f.ID = fmt.Sprintf("fact-%d", i)
		if f.Type == facts.Risk && account == "" && f.AccountID != "" {
			account = f.AccountID
			f.Fields = map[string]string{"level": "critical", "driver": "the CSM said so"}
			f.State, f.DecidedAt = facts.Corrected, &now
		}
	}
	var withdrawn string
	for i := range derived {
		f := &derived[i]
		switch {
		case f.AccountID != account:
		case f.Type == facts.Person && withdrawn == "":
			withdrawn, f.State, f.DecidedAt = f.Fields["name"], facts.Withdrawn, &now
		case f.State == facts.Extracted:
			f.State, f.DecidedAt = facts.Confirmed, &now
		}
	}
	if account == "" || withdrawn == "" {
		t.Fatal("the session has no account with a risk and a person")
	}
	in.Facts = derived
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	var ra *Account
	for i := range r.Accounts {
		if r.Accounts[i].ID == account {
			ra = &r.Accounts[i]
		}
	}
	if ra.Risk.Stated != "critical" || ra.Risk.StatedState != facts.Corrected || ra.Risk.Level != "critical" {
		t.Errorf("risk: %+v", ra.Risk)
	}
	for _, f := range ra.Findings {
		if f.Fields["name"] == withdrawn {
			t.Errorf("a withdrawn person is in the report: %+v", f)
		}
		if f.State != facts.Confirmed && f.State != facts.Corrected {
			t.Errorf("a fact of the read-back account is %q: %+v", f.State, f)
		}
	}
	md := string(Markdown(r))
	if !strings.Contains(md, "Read back to the CSM, who confirmed") || !strings.Contains(md, "Corrected by the CSM") ||
		!strings.Contains(md, "Confirmed by the CSM") {
		t.Errorf("the Markdown does not say what the CSM confirmed:\n%s", md)
	}
	if !strings.Contains(md, "Not yet read back to the CSM") {
		t.Error("the accounts not read back are not marked")
	}
}

// TestPlaybooksFollowWhatWasSaid: an onboarding change the CSM described when asked about their
// decisions is in the onboarding playbook, not under internal workflows.
func TestPlaybooksFollowWhatWasSaid(t *testing.T) {
	s := loadSession(t)
	for i, a := range s.Answers {
		if a.Account == "" && slices.Contains(a.Topics, "onboarding_changes") {
			s.Answers[i].Topics, s.Answers[i].Question = []string{"decision_rationale"}, "Which decisions should your successor understand?"
		}
	}
	r, err := Build(inputOf(t, s))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Playbooks {
		for _, f := range p.Items {
			if strings.Contains(f.Text, "kickoff") && p.Key != "onboarding_changes" {
				t.Errorf("the onboarding change is under %s: %q", p.Key, f.Text)
			}
			if strings.Contains(f.Text, "kickoff") && p.Key == "onboarding_changes" {
				return
			}
		}
	}
	t.Errorf("the onboarding change is in no playbook: %+v", r.Playbooks)
}

// TestReportReadinessReadsTheFacts: an account whose coverage never marked churn risk, but whose facts
// hold a risk level the CSM gave, is not said to be "not discussed: churn risk" in the report's
// readiness, as it is not on the dashboard (the shared rule counts it as partly discussed).
func TestReportReadinessReadsTheFacts(t *testing.T) {
	in := sessionInput(t)
	derived := facts.Derive(in.Findings)
	var account string
	for _, f := range derived {
		if f.Type == facts.Risk && f.AccountID != "" && f.Fields["level"] != "" {
			account = f.AccountID
			break
		}
	}
	if account == "" {
		t.Fatal("the session has no account with a risk level")
	}
	var coverage []store.CoverageItem
	for _, c := range in.Coverage {
		if !(c.AccountID == account && c.Topic == "churn_risk") {
			coverage = append(coverage, c)
		}
	}
	in.Coverage, in.Facts = coverage, derived
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Accounts {
		if a.ID != account {
			continue
		}
		if a.Readiness == nil {
			t.Fatal("the account has no readiness")
		}
		for _, why := range a.Readiness.Reasons {
			if strings.HasPrefix(why, "not discussed") && strings.Contains(why, "churn risk") {
				t.Errorf("readiness says %q of an account whose facts hold its risk level", why)
			}
		}
		return
	}
	t.Fatal("the account is not in the report")
}
