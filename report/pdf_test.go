package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// requireTools skips the test when poppler-utils are missing, or fails it when
// EXITINTERVIEW_REQUIRE_PDFTOOLS is set (CI installs them: apt-get install -y poppler-utils).
func requireTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("%s not found: install poppler-utils (apt-get install -y poppler-utils) to check the rendered PDF", tool)
			if os.Getenv("EXITINTERVIEW_REQUIRE_PDFTOOLS") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// renderPDF renders r and writes it to a temporary file for the poppler tools.
func renderPDF(t *testing.T, r *Report) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := PDF(r, &buf); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), path
}

// pdfText runs pdftotext -layout on pages first to last (0: all).
func pdfText(t *testing.T, path string, first, last int) string {
	t.Helper()
	args := []string{"-layout"}
	if first > 0 {
		args = append(args, "-f", strconv.Itoa(first), "-l", strconv.Itoa(last))
	}
	out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func pageCount(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo printed no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// pages returns each page's text.
func pages(t *testing.T, path string) []string {
	t.Helper()
	n := pageCount(t, path)
	out := make([]string, n+1) // 1-based
	for p := 1; p <= n; p++ {
		out[p] = pdfText(t, path, p, p)
	}
	return out
}

// squash collapses runs of spaces, which -layout uses to align columns.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// outlineTitle is how gofpdf writes a UTF-8 bookmark title into the PDF: UTF-16BE with a byte-order
// mark, as an escaped literal string.
func outlineTitle(s string) []byte {
	var b bytes.Buffer
	b.WriteString("\xfe\xff")
	for _, u := range utf16.Encode([]rune(s)) {
		for _, c := range []byte{byte(u >> 8), byte(u)} {
			switch c {
			case '\\', '(', ')':
				b.WriteByte('\\')
				b.WriteByte(c)
			case '\r':
				b.WriteString(`\r`)
			default:
				b.WriteByte(c)
			}
		}
	}
	return b.Bytes()
}

func TestPDFSynthetic(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	r := Synthetic(6, 1)
	raw, path := renderPDF(t, r)
	all := pdfText(t, path, 0, 0)
	flat := squash(all)
	n := pageCount(t, path)
	if n <= 5 {
		t.Errorf("%d pages; want more than 5", n)
	}

	for i := range sectionTitles {
		if !strings.Contains(flat, sectionTitle(i)) {
			t.Errorf("section %q missing", sectionTitle(i))
		}
	}
	for i, a := range r.Accounts {
		if !strings.Contains(flat, accountTitle(i, a.Name)) {
			t.Errorf("account title %q missing", accountTitle(i, a.Name))
		}
	}
	for _, want := range []string{
		"Knowledge transfer: Zoë Ångström", "Зенит Ритейл", "Иван Петров", "Όμιλος Αιγαίο", "Ελένη Παπαδοπούλου",
		"Page 1 of " + strconv.Itoa(n), "Page " + strconv.Itoa(n) + " of " + strconv.Itoa(n),
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("%q missing from the text", want)
		}
	}
	if strings.Contains(flat, "No risk drivers were found.") {
		t.Error("an account with drivers says it has none")
	}
	if !regexp.MustCompile(`\[#\d+(, #\d+)*\]`).MatchString(flat) {
		t.Error("no citation like [#12, #15] in the text")
	}
	// Emoji and CJK are replaced with a visible substitute, not dropped and not fatal.
	for _, want := range []string{"Sam □ Okafor", "□□□ (Wang Xiaoming)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("substituted name %q missing", want)
		}
	}
	if strings.Contains(all, "🚀") || strings.Contains(all, "王") {
		t.Error("a character the font lacks reached the page")
	}

	// The confidentiality header is on every page but the cover.
	pg := pages(t, path)
	header := "Confidential — knowledge transfer of Zoë Ångström"
	if strings.Contains(pg[1], header) {
		t.Error("the cover carries the running header")
	}
	for p := 2; p <= n; p++ {
		if !strings.Contains(pg[p], header) {
			t.Errorf("page %d lacks the header", p)
		}
		if !strings.Contains(pg[p], fmt.Sprintf("Page %d of %d", p, n)) {
			t.Errorf("page %d lacks its footer", p)
		}
	}

	// The table of contents on page 2 lists every section and account with the page it starts on.
	toc := regexp.MustCompile(`(?m)^\s*(\d+\.(?:\d+)?\.? ?.*?)\s*\.{3,}\s*(\d+)\s*$`).FindAllStringSubmatch(pg[2], -1)
	if len(toc) != len(sectionTitles)+len(r.Accounts) {
		t.Fatalf("TOC has %d entries; want %d:\n%s", len(toc), len(sectionTitles)+len(r.Accounts), pg[2])
	}
	for _, e := range toc {
		title := squash(e[1])
		p, _ := strconv.Atoi(e[2])
		if p < 3 || p > n {
			t.Errorf("TOC entry %q points to page %d", title, p)
			continue
		}
		if !strings.Contains(squash(pg[p]), title) {
			t.Errorf("TOC entry %q says page %d, which does not show it", title, p)
		}
	}

	// The outline (bookmarks) holds every section and account.
	if !bytes.Contains(raw, []byte("/Outlines")) {
		t.Error("no /Outlines in the PDF")
	}
	for i, a := range r.Accounts {
		if !bytes.Contains(raw, outlineTitle(accountTitle(i, a.Name))) {
			t.Errorf("no bookmark for %q", a.Name)
		}
	}
	for i := range sectionTitles {
		if !bytes.Contains(raw, outlineTitle(sectionTitle(i))) {
			t.Errorf("no bookmark for %q", sectionTitle(i))
		}
	}
}

// smallReport is hand-made: one account, empty portfolio sections and hostile text.
func smallReport() *Report {
	arr := 12500.0
	return &Report{
		Status: "ready", Version: 2, Engine: "gpt-4o-mini",
		GeneratedAt: time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC),
		Interview: Header{CSMName: "Иван 🙂 Петров\x00", ManagerName: "Ελένη", DepartureDate: "2026-01-30",
			CoveragePercent: 40},
		Summary:       "One account.\u200b Nothing else 😀\r\nwas said.",
		SummaryPoints: []Statement{{Text: "Kyoto Ltd (京都) renews soon.", MessageIDs: []string{"m2", "unknown"}}},
		Accounts: []Account{{Name: "Kyoto 京都 Ltd", ARR: &arr, Risk: Risk{Level: "weird", Score: 130},
			Findings: []Finding{
				{Type: "stakeholder", Text: "", Fields: map[string]string{}},
				{Type: "mystery_type", Text: strings.Repeat("x", 400) + "\x07\x1b[31m", MessageIDs: []string{"m2"}},
				{Type: "renewal", Text: "Renews \U0010FFFF \xff\xfe soon.", Fields: map[string]string{"date": "2026-02-01", "probability": "abc"}},
			}}},
		Transcript: []Message{
			{N: 1, ID: "m1", Role: "interviewer", Content: "Tell me about Kyoto."},
			{N: 2, ID: "m2", Role: "csm", Account: "Kyoto 京都 Ltd", Content: "They 💯 renew.\n\n\n\tTabbed line."},
		},
	}
}

func TestPDFSmallReport(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	r := smallReport()
	_, path := renderPDF(t, r)
	flat := squash(pdfText(t, path, 0, 0))
	for _, want := range []string{
		"Knowledge transfer: Иван □ Петров", "Kyoto □□ Ltd", "[#2]", "Page 1 of",
		"No credentials were mentioned.", "No operational playbooks were captured.", "No decisions were recorded.",
		"No product feedback was captured.", "No handover tasks were drawn up.", "No knowledge gaps: every topic was covered.",
		"No contradictions between the CRM and the interview were found.",
		"Confidential — knowledge transfer of Иван □ Петров",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("%q missing from:\n%s", want, flat)
		}
	}
	// Per-account subsections without findings are left out, saying nothing rather than that they are empty.
	for _, absent := range []string{"Upsell opportunities", "Escalation contacts", "Introduction email", "Risk assessment",
		"No risk drivers were found.", "Mitigations", "Level Unknown, score"} {
		if strings.Contains(flat, absent) {
			t.Errorf("empty subsection %q was rendered", absent)
		}
	}
}

func TestPDFNeverFailsOnText(t *testing.T) {
	t.Parallel()
	nasty := []string{"", "😀", "👨‍👩‍👧‍👦", "\x00\x01\x02", "\xff", "\U0010FFFF", "王小明", strings.Repeat("😀", 5000),
		strings.Repeat("W", 3000), "a\rb\r\nc\u2028d", "(\\)", "{nb}", nbAlias}
	for i, s := range nasty {
		r := smallReport()
		r.Interview.CSMName = s
		r.Accounts[0].Name = s
		r.Accounts[0].Risk.MainDriver = s
		r.Accounts[0].IntroEmail = Email{To: []string{s}, Subject: s, Body: s}
		r.Checklist = []ChecklistItem{{Account: s, Title: s, Owner: s}}
		r.Gaps = []Gap{{Account: s, Topic: s, SuggestedQuestion: s}}
		r.Transcript[1].Content = s
		if err := PDF(r, io.Discard); err != nil {
			t.Errorf("case %d (%q): %v", i, s[:min(len(s), 20)], err)
		}
	}
	if err := PDF(nil, io.Discard); err == nil {
		t.Error("PDF(nil) gave no error")
	}
}

func TestPDFDeterministic(t *testing.T) {
	t.Parallel()
	var a, b, c bytes.Buffer
	r := Synthetic(6, 1)
	if err := PDF(r, &a); err != nil {
		t.Fatal(err)
	}
	if err := PDF(r, &b); err != nil {
		t.Fatal(err)
	}
	if err := PDF(Synthetic(6, 1), &c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) || !bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Fatalf("the same report rendered to different bytes (%d, %d, %d bytes)", a.Len(), b.Len(), c.Len())
	}
}

// TestPDFLeavesFontsAlone pins the workaround for gofpdf writing into the font bytes it is given:
// the shared gofont data must be the same after rendering, also with renders running concurrently.
func TestPDFLeavesFontsAlone(t *testing.T) {
	t.Parallel()
	before := make([][]byte, len(goFonts))
	for i, ft := range goFonts {
		before[i] = bytes.Clone(ft.ttf)
	}
	done := make(chan error, 4)
	for i := 0; i < 4; i++ {
		go func() { done <- PDF(Synthetic(3, uint64(i)), io.Discard) }()
	}
	for i := 0; i < 4; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for i, ft := range goFonts {
		if !bytes.Equal(before[i], ft.ttf) {
			t.Errorf("rendering changed the bytes of font %s %q", ft.family, ft.style)
		}
	}
}

// TestPDFTableRows checks that a long checklist repeats its header on every page it continues on, that
// rows move to the next page whole instead of splitting, and that a row taller than a page still
// comes out in full.
func TestPDFTableRows(t *testing.T) {
	t.Parallel()
	requireTools(t, "pdftotext", "pdfinfo")
	r := smallReport()
	for i := 0; i < 60; i++ {
		lines := []string{fmt.Sprintf("BEGIN%02d", i)}
		for k := 0; k < 2+i%9; k++ {
			lines = append(lines, "and one more line of this task")
		}
		lines = append(lines, fmt.Sprintf("END%02d", i))
		r.Checklist = append(r.Checklist, ChecklistItem{ID: strconv.Itoa(i), Account: "Kyoto 京都 Ltd",
			Title: strings.Join(lines, "\n"), Owner: "manager", DueDate: "2026-01-20"})
	}
	huge := "HUGESTART " + strings.TrimSpace(strings.Repeat("This task description goes on and on. ", 700)) + " HUGEEND"
	r.Checklist = append(r.Checklist, ChecklistItem{ID: "huge", Title: huge, Owner: "manager", DueDate: "2026-01-20"})
	_, path := renderPDF(t, r)
	pg := pages(t, path)

	start, end := 0, 0
	for p := range pg {
		if strings.Contains(pg[p], "8. Handover checklist") {
			start = p
		}
		if strings.Contains(pg[p], "9. CRM contradictions") {
			end = p
		}
	}
	if start == 0 || end < start+3 {
		t.Fatalf("checklist on pages %d–%d; want it to span several pages", start, end)
	}
	headerRe := regexp.MustCompile(`Account\s+Task\s+Owner\s+Due date\s+Status\s+Source`)
	marker := regexp.MustCompile(`\b(BEGIN|END)(\d\d)\b`)
	for p := start; p <= end; p++ {
		body := pg[p]
		if p == end {
			body = body[:strings.Index(body, "9. CRM contradictions")]
		}
		if _, rest, _ := strings.Cut(body, "\n"); strings.TrimSpace(rest) != "" && !headerRe.MatchString(rest) {
			t.Errorf("checklist page %d has no header row:\n%s", p, body)
		}
		open := map[string]int{}
		for _, m := range marker.FindAllStringSubmatch(body, -1) {
			if m[1] == "BEGIN" {
				open[m[2]]++
			} else {
				open[m[2]]--
			}
		}
		for id, n := range open {
			if n != 0 {
				t.Errorf("page %d: row %s is split across pages", p, id)
			}
		}
	}
	flat := squash(pdfText(t, path, 0, 0))
	for _, want := range []string{"BEGIN00", "END59", "HUGESTART", "HUGEEND"} {
		if !strings.Contains(flat, want) {
			t.Errorf("%q missing", want)
		}
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	g, err := fontCoverage()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, in, want string }{
		{"ascii", "Plain text.", "Plain text."},
		{"latin", "Zoë Ångström, Łódź, Dvořák", "Zoë Ångström, Łódź, Dvořák"},
		{"cyrillic and greek", "Иван Ελένη", "Иван Ελένη"},
		{"emoji", "ok 😀!", "ok □!"},
		{"skin tone", "👍🏽", "□"},
		{"zwj family", "👨‍👩‍👧", "□□□"},
		{"variation selector", "☺️", "☺"},
		{"cjk", "王小明", "□□□"},
		{"controls", "a\x00b\x07c\x1b", "a□b□c□"},
		{"line breaks", "a\r\nb\rc\u2028d", "a\nb\nc\nd"},
		{"tab", "a\tb", "a b"},
		{"invalid utf-8", "a\xffb", "a□b"},
		{"zero width", "a\u200bb\ufeff", "ab"},
	} {
		if got := g.clean(c.in); got != c.want {
			t.Errorf("%s: clean(%q) = %q; want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestWritePDFForViewing(t *testing.T) {
	out := os.Getenv("EXITINTERVIEW_PDF_OUT")
	if out == "" {
		t.Skip("set EXITINTERVIEW_PDF_OUT to write Synthetic(6, 1) there (EXITINTERVIEW_PDF_ACCOUNTS: another size)")
	}
	n := 6
	if s := os.Getenv("EXITINTERVIEW_PDF_ACCOUNTS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	var buf bytes.Buffer
	if err := PDF(Synthetic(n, 1), &buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkPDF50Accounts measures the performance target: 50 accounts and 500 findings in ≤ 1 s.
func BenchmarkPDF50Accounts(b *testing.B) {
	r := Synthetic(50, 1)
	findings := len(r.Portfolio)
	for _, a := range r.Accounts {
		findings += len(a.Findings)
	}
	if findings < 500 || len(r.Transcript) < 300 {
		b.Fatalf("Synthetic(50, 1) has %d findings and %d messages; want ≥ 500 and ≥ 300", findings, len(r.Transcript))
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := PDF(r, &buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KB/pdf")
}
