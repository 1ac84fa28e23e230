package report

import (
	"strings"
	"testing"
)

// TestAnIncompleteReportSaysSoInEveryRendering: the cover of the PDF and the Markdown say how many
// answers are not yet included; a complete report says nothing of the kind.
func TestAnIncompleteReportSaysSoInEveryRendering(t *testing.T) {
	t.Parallel()
	r := smallReport()
	if r.IncompleteNote() != "" || strings.Contains(string(Markdown(r)), "Incomplete") {
		t.Fatal("a complete report says it is incomplete")
	}
	r.IncompleteAnswerIDs = []string{"m2", "m4", "m6"}
	const want = "Incomplete: 3 answers not yet included"
	if md := string(Markdown(r)); !strings.Contains(md, want) {
		t.Errorf("the Markdown does not say %q", want)
	}
	requireTools(t, "pdftotext")
	_, path := renderPDF(t, r)
	if cover := squash(pdfText(t, path, 1, 1)); !strings.Contains(cover, want) {
		t.Errorf("the PDF's cover does not say %q:\n%s", want, cover)
	}
}
