package report

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/fidelity"
)

// snakeCase is a raw key such as "decision_maker" or "next_step".
var snakeCase = regexp.MustCompile(`\b[a-z]+(?:_[a-z]+)+\b`)

// TestNoRawKeysReachTheReader: a full synthetic report (whose findings carry the facts' vocabulary) and
// the reports built from the fidelity personas show no snake_case key in the PDF's text or the Markdown.
func TestNoRawKeysReachTheReader(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	reports := map[string]*Report{"synthetic": Synthetic(6, 1)}
	personas, err := fidelity.Personas()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range personas[:min(2, len(personas))] {
		r, err := Build(personaInput(t, p))
		if err != nil {
			t.Fatal(err)
		}
		reports[p.Slug] = r
	}
	// The synthetic report's vocabulary must be there to be put in words.
	vocab := 0
	for _, a := range reports["synthetic"].Accounts {
		for _, f := range a.Findings {
			if strings.Contains(f.Fields["relationship"]+f.Fields["status"], "_") {
				vocab++
			}
		}
	}
	if vocab == 0 {
		t.Fatal("the synthetic report holds no snake_case vocabulary to test with")
	}
	for name, r := range reports {
		_, path := renderPDF(t, r)
		text := pdfText(t, path, 0, 0)
		// The appendix quotes the CSM, who may type anything.
		if i := strings.LastIndex(text, sectionTitle(secTranscript)); i >= 0 {
			text = text[:i]
		}
		if keys := snakeCase.FindAllString(text, -1); len(keys) > 0 {
			t.Errorf("%s: raw keys in the PDF: %q", name, slices.Compact(keys))
		}
		md := strings.ReplaceAll(string(Markdown(r)), `\_`, "_")
		if i := strings.LastIndex(md, sectionTitle(secTranscript)); i >= 0 {
			md = md[:i]
		}
		if keys := snakeCase.FindAllString(md, -1); len(keys) > 0 {
			t.Errorf("%s: raw keys in the Markdown: %q", name, slices.Compact(keys))
		}
	}
	for key, want := range map[string]string{"decision_maker": "decision maker", "on_leave": "on leave", "next_step": "next step",
		"due_date": "due", "api_key": "API key"} {
		if got := label(key); got != want {
			t.Errorf("label(%q) = %q; want %q", key, got, want)
		}
	}
}

// TestTableColumnsFitTheirHeaders: a column too narrow for a word of its header is widened, the room
// taken from the others, so that no header breaks inside a word ("Point s").
func TestTableColumnsFitTheirHeaders(t *testing.T) {
	t.Parallel()
	g, err := fontCoverage()
	if err != nil {
		t.Fatal(err)
	}
	d := newPDFDoc(Synthetic(1, 1), g)
	d.f.AddPage()
	cols := d.fitColumns([]column{{"Risk driver", 150, "L"}, {"Points", 6, "R"}, {"Source", 8, "L"}, {"Accounts handed", 10, "L"}})
	sum := 0.0
	d.font("B", sizeTable)
	for _, c := range cols {
		sum += c.width
		for _, word := range strings.Fields(c.title) {
			if w := d.f.GetStringWidth(word) + 2*d.f.GetCellMargin(); c.width < w {
				t.Errorf("column %q is %.1f mm wide; its word %q needs %.1f", c.title, c.width, word, w)
			}
		}
	}
	if sum < 173.9 || sum > 174.1 {
		t.Errorf("the columns add up to %.1f mm; want the 174 they had", sum)
	}
	if cols[0].width >= 150 {
		t.Error("the wide column gave nothing")
	}

	requireTools(t, "pdftotext", "pdfinfo")
	r := smallReport()
	r.Accounts[0].Risk.Drivers = []Driver{{Text: "A competitor is being evaluated", Points: 46, MessageIDs: []string{"m2"}}}
	_, path := renderPDF(t, r)
	text := pdfText(t, path, 0, 0)
	if !regexp.MustCompile(`[Dd]river\s+Points\s+Source`).MatchString(text) {
		t.Errorf("the risk table's headers are not whole:\n%s", text)
	}
}
