package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/exitinterview/exitinterview/store"
)

// The two reference checklists the handover is held against: what one CSM hands another (9 items) and
// what a handoff must carry (8 items). Each item maps to the generated task or the report section that
// covers it, checked against the report of testdata/reference_session.json: one account whose answers
// (read by the offline rules, as the capture reads them) cover every item.

// referenceReport builds the report of the reference session and its Markdown.
func referenceReport(t *testing.T) (*Report, string) {
	t.Helper()
	b, err := os.ReadFile("testdata/reference_session.json")
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	r, err := Build(inputOf(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Accounts) != 1 {
		t.Fatalf("%d accounts, want the one of the reference session", len(r.Accounts))
	}
	return r, string(Markdown(r))
}

// task checks that the checklist has a task of kind whose title holds every one of words.
func task(kind string, words ...string) func(*Report, string) error {
	return func(r *Report, _ string) error {
		for _, it := range r.Checklist {
			if it.Kind == kind && holdsAll(it.Title, words) {
				if len(it.MessageIDs) == 0 && kind != "context_meeting" {
					return fmt.Errorf("the %s task %q cites no answer", kind, it.Title)
				}
				return nil
			}
		}
		return fmt.Errorf("no %s task with %q in the checklist", kind, words)
	}
}

// section checks that the account has a finding of typ whose field (the text for "") holds every one of
// words, and that the Markdown prints it under the section's heading.
func section(heading, typ, field string, words ...string) func(*Report, string) error {
	return func(r *Report, md string) error {
		for _, f := range r.Accounts[0].Findings {
			v := f.Text
			if field != "" {
				v = f.Fields[field]
			}
			if f.Type != typ || !holdsAll(v, words) {
				continue
			}
			at := strings.Index(md, "#### "+heading+"\n")
			if at < 0 {
				return fmt.Errorf("the Markdown has no %q section", heading)
			}
			next := strings.Index(md[at+5:], "\n#### ")
			if next < 0 {
				next = len(md) - at - 5
			}
			shown := mdInline(f.Text)
			if typ == "stakeholder" {
				shown = mdCell(f.Fields["name"]) // a row of the stakeholders' table
			}
			if body := md[at : at+5+next]; !strings.Contains(body, shown) {
				return fmt.Errorf("the Markdown's %q section does not show %q", heading, shown)
			}
			return nil
		}
		return fmt.Errorf("no %s finding with %s %q", typ, orDash(field), words)
	}
}

// both checks every one of checks.
func both(checks ...func(*Report, string) error) func(*Report, string) error {
	return func(r *Report, md string) error {
		for _, c := range checks {
			if err := c(r, md); err != nil {
				return err
			}
		}
		return nil
	}
}

func holdsAll(s string, words []string) bool {
	s = strings.ToLower(s)
	return !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(s, strings.ToLower(w)) })
}

// referenceItems are the 17 items of the two reference checklists and what covers each.
var referenceItems = []struct {
	list, item string
	covered    func(*Report, string) error
}{
	// CSM to CSM.
	{"csm-to-csm", "stakeholders and their predisposition", both(
		section("Stakeholders", "stakeholder", "sentiment", "positive"), section("Stakeholders", "stakeholder", "sentiment", "negative"),
		task("introduce", "Karen Liu"))},
	{"csm-to-csm", "incident history", both(section("Open issues", "open_issue", "reference", "OPS-2231"), task("open_issue", "export bug"))},
	{"csm-to-csm", "joint success plan", both(section("Success plan", "objective", "what", "late deliveries"),
		task("objectives", "late deliveries"))},
	{"csm-to-csm", "adoption status", func(r *Report, md string) error {
		if !slices.ContainsFunc(r.Accounts[0].Overview, func(s Statement) bool { return strings.Contains(s.Text, "85% of planners") }) ||
			!strings.Contains(md, "85% of planners") {
			return fmt.Errorf("the overview does not say how far adoption is")
		}
		return both(section("Success plan", "objective", "what", "alerts module"), section("Success plan", "objective", "what", "live map"))(r, md)
	}},
	{"csm-to-csm", "request tracker", both(section("Documents", "document", "", "request tracker"),
		task("collateral", "other documents", "CS shared drive"))},
	{"csm-to-csm", "the last two QBR decks with takeaways and KPIs", both(task("qbr", "QBR deck", "https://drive.example.com/northwind/decks"),
		section("Success plan", "objective", "what", "better reporting"), section("Success plan", "objective", "what", "cost per drop"))},
	{"csm-to-csm", "the last five communication threads and meeting notes", both(section("Recent history", "meeting", "agreed", "Leeds"),
		section("Recent history", "meeting", "agreed", "depot data"), section("Documents", "document", "location", "Notion"))},
	{"csm-to-csm", "workarounds and configurations", both(section("Workarounds and configuration", "workaround", "what", "re-imports"),
		task("workaround", "re-imports"))},
	{"csm-to-csm", "ongoing conversations and deadlines", both(task("commitment", "fix date"), task("follow_up", "pilot", "Leeds"),
		section("Commitments and deadlines", "commitment", "due_date", "2027-01-08"))},
	// The handoff.
	{"handoff", "MSA, invoices and contracts in the drive", both(task("documents", "contract", "invoices", "Finance shared drive"),
		section("Documents", "document", "kind", "contract"), section("Documents", "document", "kind", "invoice"))},
	{"handoff", "synced engagements", both(task("next_call", "warm introduction", "Karen Liu"), section("Recent history", "meeting", "with", "Karen"))},
	{"handoff", "kickoff / EBR / sales-handoff collateral", both(section("Documents", "document", "kind", "kickoff_deck"),
		section("Documents", "document", "kind", "qbr_deck"), section("Documents", "document", "kind", "sales_handoff"),
		task("collateral", "kickoff deck", "sales handoff"))},
	{"handoff", "six months of issues with RCA links", section("Open issues", "open_issue", "", "https://wiki.example.com/rca/ops-2231")},
	{"handoff", "the pulse of the account and of each stakeholder", func(r *Report, md string) error {
		if r.Accounts[0].Risk.Stated != "medium" || !strings.Contains(md, "**Medium risk**") {
			return fmt.Errorf("the account's risk is %q (stated %q), want the medium the CSM said", r.Accounts[0].Risk.Level, r.Accounts[0].Risk.Stated)
		}
		return section("Stakeholders", "stakeholder", "sentiment", "")(r, md)
	}},
	{"handoff", "commitments / blockers / renewal probability / risks", both(section("Renewal", "renewal", "probability", "0.7"),
		section("Commitments and deadlines", "commitment", "what", "fix date"), task("renewal_plan", "31 Mar 2027"),
		func(r *Report, _ string) error {
			if !slices.ContainsFunc(r.Accounts[0].Risk.Drivers, func(d Driver) bool { return strings.Contains(d.Text, "price cut") }) {
				return fmt.Errorf("no risk driver says the price cut: %+v", r.Accounts[0].Risk.Drivers)
			}
			return nil
		})},
	{"handoff", "advocacy history", both(section("Advocacy", "advocacy", "in_return", "early access"),
		task("advocacy", "reference commitment", "promised in return", "early access"))},
	{"handoff", "technical documentation with access", both(task("implementation", "technical documentation", "Salesforce", "Zendesk", "Tableau"),
		section("Implementation", "system", "name", "Enterprise plan"), section("Implementation", "system", "when", "March 2024"))},
}

// TestReferenceChecklistsAreCovered maps every item of the two reference checklists to the task or the
// report section that covers it, and fails when one goes missing.
func TestReferenceChecklistsAreCovered(t *testing.T) {
	t.Parallel()
	counts := map[string]int{}
	for _, it := range referenceItems {
		counts[it.list]++
	}
	if counts["csm-to-csm"] != 9 || counts["handoff"] != 8 {
		t.Fatalf("the table holds %v items, want the 9 and 8 of the two checklists", counts)
	}
	r, md := referenceReport(t)
	for _, it := range referenceItems {
		t.Run(it.list+": "+it.item, func(t *testing.T) {
			if err := it.covered(r, md); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestReferenceChecksCanFail: the checks of the table are not true of any report: on the report of the
// reference session without its answers about the handover topics, the items those answers cover fail.
func TestReferenceChecksCanFail(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/reference_session.json")
	if err != nil {
		t.Fatal(err)
	}
	var s session
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	kept := s.Answers[:0]
	for _, a := range s.Answers {
		if !slices.ContainsFunc(a.Topics, func(t string) bool {
			return slices.Contains([]string{"success_plan", "implementation", "documents", "advocacy", "history"}, t)
		}) {
			kept = append(kept, a)
		}
	}
	s.Answers = kept
	r, err := Build(inputOf(t, s))
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(r))
	var failing []string
	for _, it := range referenceItems {
		if it.covered(r, md) != nil {
			failing = append(failing, it.item)
		}
	}
	want := []string{"joint success plan", "adoption status", "request tracker", "the last two QBR decks with takeaways and KPIs",
		"the last five communication threads and meeting notes", "ongoing conversations and deadlines", "MSA, invoices and contracts in the drive",
		"synced engagements", "kickoff / EBR / sales-handoff collateral", "advocacy history", "technical documentation with access"}
	if !slices.Equal(failing, want) {
		t.Errorf("without the handover answers these items fail:\n%q\nwant:\n%q", failing, want)
	}
	// What is left of the success plan is the overview's word on adoption; the other sections are not
	// printed, rather than printed empty.
	for _, h := range []string{"#### Implementation", "#### Documents", "#### Advocacy", "#### Recent history"} {
		if strings.Contains(md, h) {
			t.Errorf("the Markdown prints %q with nothing in it", h)
		}
	}
	if at := strings.Index(md, "#### Success plan\n\n"); at < 0 ||
		!strings.HasPrefix(md[at+len("#### Success plan\n\n"):], "- Feature they ignore: the warehouse team never adopted the mobile app") {
		t.Errorf("the success plan is not the overview's word on adoption alone")
	}
}

// TestHandoverSectionsInThePDFAndMarkdown: the reference report's PDF prints the five sections with what
// they hold, and a document's link is a link in the PDF (a URI annotation) and in the Markdown; the JSON
// carries each as a finding of its type.
func TestHandoverSectionsInThePDFAndMarkdown(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext")
	r, md := referenceReport(t)
	raw, path := renderPDF(t, r)
	text := strings.Join(strings.Fields(pdfText(t, path, 0, 0)), " ")
	for _, s := range []string{"Success plan", "QBR takeaway: The key takeaway from the last QBR", "Implementation", "CRM: Salesforce",
		"Documents", "Contract: Finance shared drive", "Advocacy", "promised in return: her team early access", "Recent history",
		"12 November, with Karen, Victor: agreed a pilot of the new routing in Leeds"} {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF does not say %q", s)
		}
	}
	const link = "https://drive.example.com/northwind/decks"
	if !bytes.Contains(raw, []byte("/URI ("+link+")")) {
		t.Errorf("the PDF has no link to %s", link)
	}
	if !strings.Contains(md, "[https://drive.example.com/northwind/decks]("+link+")") {
		t.Errorf("the Markdown does not link %s", link)
	}
	b, err := json.Marshal(r.Accounts[0].Findings)
	if err != nil {
		t.Fatal(err)
	}
	for _, typ := range []string{"objective", "system", "document", "advocacy", "meeting"} {
		if !strings.Contains(string(b), `"type":"`+typ+`"`) {
			t.Errorf("the JSON has no %s finding", typ)
		}
	}
}

// TestOnlyWebAddressesBecomeLinks: a link the CSM wrote is clickable only when it is an http or https
// address; anything else stays text.
func TestOnlyWebAddressesBecomeLinks(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://drive.example.com/x":   "https://drive.example.com/x",
		"www.example.com/deck":          "https://www.example.com/deck",
		"drive.google.com/drive/f/1":    "https://drive.google.com/drive/f/1",
		"javascript:alert(1)":           "",
		"https://user:pw@example.com/x": "",
		"https://example.com/a)](evil)": "",
		"":                              "",
	} {
		if got := linkOf(Finding{Type: "document", Fields: map[string]string{"link": in}}); got != want {
			t.Errorf("linkOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAMissingHandoverTopicIsAGap: a handover topic the interview did not cover is a knowledge gap of the
// account, with its suggested question, and its section is not printed empty.
func TestAMissingHandoverTopicIsAGap(t *testing.T) {
	t.Parallel()
	in := handoverInput()
	for _, topic := range []string{"success_plan", "implementation", "documents", "advocacy", "history"} {
		in.Coverage = append(in.Coverage, store.CoverageItem{AccountID: "acc-1", Topic: topic, State: "missing"})
	}
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	questions := map[string]string{}
	for _, g := range r.Gaps {
		if g.Account == "Northwind" {
			questions[g.Topic] = g.SuggestedQuestion
		}
	}
	for topic, word := range map[string]string{"success_plan": "KPIs", "implementation": "go live", "documents": "MSA", "advocacy": "reference",
		"history": "agreed"} {
		if !strings.Contains(questions[topic], word) || !strings.Contains(questions[topic], "Northwind") {
			t.Errorf("gap %s: suggested question %q", topic, questions[topic])
		}
	}
	md := string(Markdown(r))
	for _, h := range []string{"#### Success plan", "#### Implementation", "#### Documents", "#### Advocacy", "#### Recent history"} {
		if strings.Contains(md, h) {
			t.Errorf("the Markdown prints %q with nothing in it", h)
		}
	}
	if !strings.Contains(md, "Where do the contract or MSA") {
		t.Error("the Markdown's gaps do not ask where the documents live")
	}
}

// TestHandoverSectionsFromTheModelEngine: the findings the model engine extracts (faked at the HTTP
// boundary) make the same sections and tasks as the rules': the report reads facts, whoever found them.
func TestHandoverSectionsFromTheModelEngine(t *testing.T) {
	t.Parallel()
	srv := llmtest.New(t)
	x, err := knowledge.NewModelExtractor(llm.New(llm.Config{BaseURL: srv.URL, ChatModel: "gpt-4o-mini", Timeout: 2 * time.Second, MaxAttempts: 1}),
		slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	const answer = "Honestly the paperwork is a mess: the MSA sits with legal in Ironclad and the invoices in NetSuite. " +
		"They gave us a G2 review in exchange for two free training seats. We last spoke on 12 November with Karen and settled on a Leeds pilot."
	srv.Enqueue(llmtest.Reply{Content: `{"findings":[
 {"type":"document","quote":"the MSA sits with legal in Ironclad","fields":[{"name":"kind","value":"contract"},{"name":"location","value":"Ironclad (legal)"}]},
 {"type":"document","quote":"the invoices in NetSuite","fields":[{"name":"kind","value":"invoice"},{"name":"location","value":"NetSuite"}]},
 {"type":"advocacy","quote":"They gave us a G2 review in exchange for two free training seats.","fields":[{"name":"kind","value":"review"},{"name":"status","value":"done"},{"name":"in_return","value":"two free training seats"}]},
 {"type":"meeting","quote":"We last spoke on 12 November with Karen and settled on a Leeds pilot.","fields":[{"name":"date","value":"2026-11-12"},{"name":"when","value":"12 November"},{"name":"with","value":"Karen"},{"name":"agreed","value":"a Leeds pilot"}]}
]}`})
	in := handoverInput()
	in.Findings = nil
	in.Messages = []store.Message{{ID: "q1", Role: "interviewer", Kind: "question", AccountID: "acc-1", Topics: []string{"documents"}},
		{ID: "a1", Role: "csm", Kind: "answer", ReplyTo: "q1", Content: answer}}
	for _, f := range x.Extract(t.Context(), answer, extract.Context{Topics: []string{"documents"}, Account: "Northwind", Accounts: []string{"Northwind"},
		Today: in.Now}) {
		in.Findings = append(in.Findings, store.Finding{AccountID: "acc-1", MessageID: "a1", Type: f.Type, Text: f.Text, Fields: f.Fields})
	}
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	md := string(Markdown(r))
	for _, s := range []string{"#### Documents", "Contract: Ironclad (legal)", "Invoice: NetSuite", "#### Advocacy",
		"promised in return: two free training seats", "#### Recent history", "12 November, with Karen: agreed a Leeds pilot"} {
		if !strings.Contains(md, s) {
			t.Errorf("the Markdown does not say %q", s)
		}
	}
	for _, check := range []func(*Report, string) error{task("documents", "contract", "invoices", "NetSuite"),
		task("advocacy", "review", "two free training seats"), task("follow_up", "Leeds pilot")} {
		if err := check(r, md); err != nil {
			t.Error(err)
		}
	}
}
