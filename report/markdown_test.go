package report

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestMarkdownEscapesCapturedText(t *testing.T) {
	t.Parallel()
	r := smallReport()
	hostile := []string{
		"![x](http://evil)",
		"[click](http://evil) and <img src=x onerror=alert(1)>",
		"# not a heading",
		"1. not a list",
		"- not a list either",
		"> not a quote",
		"a | b | c",
		"`code` *bold* _em_ ~~gone~~",
		"line one\n===",
	}
	for _, h := range hostile {
		r.Accounts[0].Findings = append(r.Accounts[0].Findings, Finding{Type: "upsell", Text: h, MessageIDs: []string{"m2"}})
	}
	r.Accounts[0].Name = "Evil](http://x) <b>Corp</b>"
	r.Checklist = []ChecklistItem{{Account: r.Accounts[0].Name, Title: "![t](http://evil/track.png)", Owner: "a|b"}}
	r.Transcript[1].Content = "![x](http://evil)\n\n# heading\n<script>alert(1)</script>"
	md := string(Markdown(r))

	for _, bad := range []string{"![x](", "](http://evil)", "](http://x)", "<img", "<script", "<b>", "\n# not", "\n1. not",
		"\n- not a list either", "\n> not", "\n# heading", "`code`", "*bold*", "~~gone~~", "\n==="} {
		if unescaped(md, bad) {
			t.Errorf("captured text came through unescaped: %q", bad)
		}
	}
	for _, want := range []string{`!\[x\](http://evil)`, `\<img src=x`, `a \| b \| c`, `\# not a heading`, `1\. not a list`} {
		if !strings.Contains(md, want) {
			t.Errorf("escaped form %q missing", want)
		}
	}
	// Table rows keep their column count: an escaped pipe does not split a cell.
	for _, line := range strings.Split(md, "\n") {
		if strings.Contains(line, "a|b") {
			t.Errorf("unescaped pipe in a table row: %q", line)
		}
	}
}

// unescaped reports whether s occurs in md without a backslash before its first character.
func unescaped(md, s string) bool {
	for i := 0; ; {
		j := strings.Index(md[i:], s)
		if j < 0 {
			return false
		}
		if at := i + j; at == 0 || md[at-1] != '\\' {
			return true
		}
		i += j + 1
	}
}

func TestMarkdownFollowsThePDFOrder(t *testing.T) {
	t.Parallel()
	r := Synthetic(6, 1)
	md := string(Markdown(r))

	// The sections and accounts appear as headings in the report's order.
	var want []string
	for i := range sectionTitles {
		want = append(want, "## "+sectionTitle(i))
		if i == secAccounts {
			for j, a := range r.Accounts {
				want = append(want, "### "+accountTitle(j, mdInline(a.Name)))
			}
		}
	}
	var got []string
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "## ") && line != "## Contents" || regexp.MustCompile(`^### \d+\.\d+ `).MatchString(line) {
			got = append(got, line)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("headings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The PDF shows the same headings in the same order (after its table of contents).
	requireTools(t, "pdftotext", "pdfinfo")
	_, path := renderPDF(t, r)
	pg := pages(t, path)
	body := squash(strings.Join(pg[3:], "\n"))
	pos := 0
	for _, h := range want {
		title := strings.TrimLeft(h, "# ")
		title = strings.NewReplacer(`\&`, "&").Replace(title)
		i := strings.Index(body[pos:], title)
		if i < 0 {
			t.Errorf("the PDF shows %q out of order or not at all", title)
			continue
		}
		pos += i + len(title)
	}

	for _, want := range []string{"# Knowledge transfer: Zoë Ångström", "**Confidential.**", "[#", "| Account | ARR | Renewal | Risk | Score | Main driver |",
		"Зенит Ритейл", "Ελένη Παπαδοπούλου", "#### Stakeholders", "#### Introduction email (draft)"} {
		if !strings.Contains(md, want) {
			t.Errorf("%q missing from the Markdown", want)
		}
	}
}

func TestMarkdownEmptySections(t *testing.T) {
	t.Parallel()
	md := string(Markdown(smallReport()))
	for _, want := range []string{"_No credentials were mentioned._", "_No operational playbooks were captured._",
		"_No decisions were recorded._", "_No handover tasks were drawn up._", "[#2]"} {
		if !strings.Contains(md, want) {
			t.Errorf("%q missing", want)
		}
	}
	if strings.Contains(md, "#### Upsell opportunities") {
		t.Error("an empty account subsection was rendered")
	}
}

func TestWriteMarkdownForViewing(t *testing.T) {
	out := os.Getenv("EXITINTERVIEW_MD_OUT")
	if out == "" {
		t.Skip("set EXITINTERVIEW_MD_OUT to write Synthetic(6, 1) there")
	}
	if err := os.WriteFile(out, Markdown(Synthetic(6, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
