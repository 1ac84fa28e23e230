package report

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/fidelity"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// seamPatterns are the marks of a template's seams in prose: what a careful writer never leaves.
var seamPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"empty parentheses", regexp.MustCompile(`\(\s*\)`)},
	{"doubled space", regexp.MustCompile(`\S  +\S`)},
	{"space before punctuation", regexp.MustCompile(`\S +[,;:!?](\s|$)|\S +\.(\s|$)`)},
	{"doubled punctuation", regexp.MustCompile(`[^.]\.\.(?:[^.]|$)|,,|[,;:]\.|[,;:][,;:]`)},
	{"dangling about", regexp.MustCompile(`\babout\s*(?:[.,;:!?)]|$)`)},
	{"two determiners", regexp.MustCompile(`\b(?:the|a|an|our|your|their)\s+(?:(?:\pL+\s+)?(?:The|A|An|One)|the|a|an|our|your|their)\s`)},
	{"a verb after about", regexp.MustCompile(`\babout (?:send|share|get|give|fix|book|set|schedule|provide|follow|check|review|update|deliver|arrange|organi[sz]e|prepare|to)\s`)},
	{"title greeted alone", regexp.MustCompile(`\bHello (?:Dr|Mr|Mrs|Ms|Mx|Prof|Sir)\.?[, ]`)},
	{"a plural in brackets", regexp.MustCompile(`\p{L}\(s\)`)},
	{"empty greeting name", regexp.MustCompile(`Hello\s+(?:and\b|,\s*\S)`)},
}

// emptyCell is an empty cell of a Markdown table: table syntax, not prose.
var emptyCell = regexp.MustCompile(`\|[ \t]+\|`)

// seamsIn lists the seams of text that do not come from the CSM's own words (quoted: a seam the CSM
// typed is theirs to keep), as "pattern: …context…".
func seamsIn(text string, quoted []string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		for _, p := range seamPatterns {
			for _, loc := range p.re.FindAllStringIndex(line, -1) {
				window := line[loc[0]:loc[1]]
				if isQuoted(window, quoted) {
					continue
				}
				from, to := max(0, loc[0]-40), min(len(line), loc[1]+40)
				out = append(out, fmt.Sprintf("%s: …%s…", p.name, line[from:to]))
			}
		}
	}
	return out
}

func isQuoted(window string, quoted []string) bool {
	w := strings.TrimSpace(window)
	for _, q := range quoted {
		if strings.Contains(q, w) || strings.Contains(strings.Join(strings.Fields(q), " "), strings.Join(strings.Fields(w), " ")) {
			return true
		}
	}
	return false
}

// quotedText is every text of the report that is the CSM's words as they said them.
func quotedText(r *Report) []string {
	var q []string
	add := func(fs []Finding) {
		for _, f := range fs {
			q = append(q, f.Text)
			for _, v := range f.Fields {
				q = append(q, v)
			}
		}
	}
	for _, m := range r.Transcript {
		q = append(q, m.Content, mdBlock(m.Content))
	}
	for _, a := range r.Accounts {
		add(a.Findings)
		for _, s := range a.Overview {
			q = append(q, s.Text)
		}
	}
	add(r.Portfolio)
	add(r.Decisions)
	add(r.Credentials)
	for _, c := range r.Corrections {
		q = append(q, c.Original, c.Corrected)
	}
	return q
}

// reportProse is the prose the report writes itself, field by field, from its JSON: the summary, the
// risk drivers, the e-mails, the checklist, the gaps and the contradictions.
func reportProse(r *Report) []string {
	out := []string{r.Summary}
	for _, p := range r.SummaryPoints {
		out = append(out, p.Text)
	}
	for _, a := range r.Accounts {
		out = append(out, a.Risk.MainDriver, a.IntroEmail.Subject, a.IntroEmail.Body, strings.Join(a.IntroEmail.To, ", "))
		out = append(out, a.IntroEmail.Notes...)
		for _, d := range a.Risk.Drivers {
			out = append(out, d.Text)
		}
		for _, m := range a.Risk.Mitigations {
			out = append(out, m.Text)
		}
	}
	for _, c := range r.Checklist {
		out = append(out, c.Title, c.DueNote)
	}
	for _, g := range r.Gaps {
		out = append(out, g.SuggestedQuestion)
	}
	for _, c := range r.Contradictions {
		out = append(out, c.CRM, c.Stated)
	}
	return out
}

// personaInput is what Build reads for a persona of the fidelity corpus, interviewed offline: each of
// their answers (and follow-up) to a question on its topic, mined by the offline rules as of their
// interview date, every account handed to one successor, and the plan covered as the truth says.
func personaInput(t testing.TB, p fidelity.Persona) Input {
	t.Helper()
	today, err := time.Parse(time.DateOnly, p.InterviewDate)
	if err != nil {
		t.Fatal(err)
	}
	departure, _ := time.Parse(time.DateOnly, p.DepartureDate)
	in := Input{
		Interview: store.Interview{ID: "iv-" + p.Slug, CSMName: p.CSM.Name, CSMEmail: p.CSM.Email, DepartureDate: departure, Status: "completed"},
		Manager:   store.User{Name: "Maria Keller", Email: "maria.keller@example.com"},
		Version:   1, Now: today.Add(17 * time.Hour),
		SuccessorNames: map[string]string{"robin.achterberg@example.com": "Robin Achterberg"},
	}
	ids := map[string]string{}
	var names []string
	for i, a := range p.Accounts {
		arr := a.ARR
		acc := store.Account{ID: fmt.Sprintf("acc-%d", i+1), Position: i, Name: a.Name, ARR: &arr, Segment: a.Segment,
			CRMHealth: a.CRM.Health, CRMOpenOpportunity: a.CRM.OpenOpportunity, SuccessorEmail: "robin.achterberg@example.com", Depth: "deep"}
		if d, err := time.Parse(time.DateOnly, a.RenewalDate); err == nil {
			acc.RenewalDate = &d
		}
		in.Accounts = append(in.Accounts, acc)
		ids[a.Name] = acc.ID
		names = append(names, a.Name)
	}
	covered := map[[2]string]bool{}
	at := today.Add(9 * time.Hour)
	for _, an := range p.Answers {
		for _, text := range []string{an.Text, an.FollowUp} {
			if strings.TrimSpace(text) == "" {
				continue
			}
			n := len(in.Messages)
			q := store.Message{ID: fmt.Sprintf("m%03d", n+1), Seq: n + 1, Role: "interviewer", Kind: interview.KindQuestion,
				Content: "Tell me about " + an.Topic + ".", AccountID: ids[an.Account], Topics: []string{an.Topic}, CreatedAt: at}
			clean, _ := redact.Text(text)
			ans := store.Message{ID: fmt.Sprintf("m%03d", n+2), Seq: n + 2, Role: "csm", Kind: interview.KindAnswer, Content: clean,
				ReplyTo: q.ID, CreatedAt: at.Add(time.Minute)}
			at = at.Add(2 * time.Minute)
			in.Messages = append(in.Messages, q, ans)
			for _, f := range extract.Offline(clean, extract.Context{Topics: []string{an.Topic}, Account: an.Account, Accounts: names,
				CSMName: p.CSM.Name, Today: today}) {
				in.Findings = append(in.Findings, store.Finding{AccountID: ids[an.Account], MessageID: ans.ID, Type: f.Type, Text: f.Text,
					Fields: f.Fields})
			}
		}
		for _, c := range an.Covers {
			covered[[2]string{ids[c.Account], c.Topic}] = true
		}
	}
	in.Coverage = coverageOf(in.Accounts, covered)
	return in
}

// TestReportProseHasNoSeams builds the golden session's report and each fidelity persona's (offline),
// and reads its own prose, its Markdown and its PDF's text for the seams of a template: empty
// parentheses, doubled spaces or punctuation, a space before punctuation, a dangling "about", two
// determiners in a row ("the open The …"), a title greeted as a name. What the CSM typed themselves
// is left to them.
func TestReportProseHasNoSeams(t *testing.T) {
	t.Parallel()
	inputs := map[string]Input{"golden session": sessionInput(t)}
	personas, err := fidelity.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personas {
		inputs[p.Slug] = personaInput(t, p)
	}
	_, pdftotext := exec.LookPath("pdftotext")
	for name, in := range inputs {
		r, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		quoted := quotedText(r)
		report := func(where string, text string) {
			for _, s := range seamsIn(text, quoted) {
				t.Errorf("%s, %s: %s", name, where, s)
			}
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var again Report
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatal(err)
		}
		for _, s := range reportProse(&again) {
			report("JSON", s)
		}
		md := strings.ReplaceAll(string(Markdown(r)), `\`, "")
		for emptyCell.MatchString(md) {
			md = emptyCell.ReplaceAllString(md, "| - |")
		}
		report("Markdown", md)
		if pdftotext == nil {
			_, path := renderPDF(t, r)
			out, err := exec.Command("pdftotext", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			report("PDF", string(out))
		}
	}
}

// TestWritePersonaReportsForViewing writes each fidelity persona's offline report as Markdown into the
// directory EXITINTERVIEW_PERSONA_OUT names, to read the e-mails and the checklist as a person would.
func TestWritePersonaReportsForViewing(t *testing.T) {
	dir := os.Getenv("EXITINTERVIEW_PERSONA_OUT")
	if dir == "" {
		t.Skip("set EXITINTERVIEW_PERSONA_OUT to a directory to write the personas' reports there")
	}
	personas, err := fidelity.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personas {
		r, err := Build(personaInput(t, p))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p.Slug+".md"), Markdown(r), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
