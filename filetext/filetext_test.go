package filetext

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	pdfSentence  = "The renewal is blocked by the security review at Acme Logistics."
	docxSentence = "Maria Chen signs off every renewal above fifty thousand euros."
	pptxSentence = "Adoption of the routing module doubled after the March workshop."
	xlsxSentence = "Procurement wants a three-year term"
)

// read sniffs name+data and reads it with the default limits, failing the test on an error.
func read(t *testing.T, name string, data []byte) Document {
	t.Helper()
	typ, err := Sniff(name, data)
	if err != nil {
		t.Fatalf("Sniff(%q): %v", name, err)
	}
	doc, err := Read(context.Background(), typ, data, DefaultLimits())
	if err != nil {
		t.Fatalf("Read(%q): %v", name, err)
	}
	return doc
}

// partWith is the one part whose text holds s; the test fails when none or several do.
func partWith(t *testing.T, doc Document, s string) Part {
	t.Helper()
	var found []Part
	for _, p := range doc.Parts {
		if strings.Contains(p.Text, s) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d parts hold %q; parts: %#v", len(found), s, doc.Parts)
	}
	return found[0]
}

func TestReadPDFCitesThePage(t *testing.T) {
	data := makePDF(t, []string{
		"Account overview for Acme Logistics. Health is amber.",
		"Risks.\n" + pdfSentence,
		"",
		"Next steps: the QBR on 12 March.",
	}, nil)
	doc := read(t, "acme-notes.pdf", data)
	if doc.Type.Kind != PDF || doc.Type.MIME != "application/pdf" {
		t.Errorf("type = %+v", doc.Type)
	}
	if doc.Pages != 4 {
		t.Errorf("Pages = %d, want 4", doc.Pages)
	}
	p := partWith(t, doc, pdfSentence)
	if p.Cite() != "page 2" || p.Unit != "page" || p.Number != 2 {
		t.Errorf("the sentence is in %+v, cited %q; want page 2", p, p.Cite())
	}
	// The empty third page is left out; the fourth keeps its number.
	if len(doc.Parts) != 3 || doc.Parts[2].Number != 4 {
		t.Errorf("parts = %+v, want pages 1, 2 and 4", doc.Parts)
	}
	if doc.Truncated {
		t.Error("Truncated is set for a file within the limits")
	}
}

func TestReadPDFJoinsWrappedLines(t *testing.T) {
	long := "Account overview for Acme Logistics, written for the successor. " + pdfSentence + " The follow-up is due before the end of the quarter."
	doc := read(t, "wrapped.pdf", makePDF(t, []string{long + "\nNext steps\n- Book the QBR"}, nil))
	p := partWith(t, doc, pdfSentence)
	if !strings.Contains(p.Text, long) {
		t.Errorf("a sentence wrapped over lines is not whole:\n%s", p.Text)
	}
	if !strings.Contains(p.Text, "\nNext steps\n- Book the QBR") {
		t.Errorf("real line breaks were joined:\n%s", p.Text)
	}
}

func TestUnwrap(t *testing.T) {
	for in, want := range map[string]string{
		"blocked by the security\nreview": "blocked by the security review",
		"a follow-\nup":                   "a follow-up",
		"Renewal: 1 March,\nthen monthly": "Renewal: 1 March, then monthly",
		"Risks\nChampion left":            "Risks\nChampion left",
		"Total\n120 000":                  "Total\n120 000",
		"first line.\n• bullet":           "first line.\n• bullet",
		"soft\ufffe\nhyphen\x02":          "soft hyphen",
		"end.\n":                          "end.\n",
	} {
		if got := unwrap(in); got != want {
			t.Errorf("unwrap(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadPDFsAtOnce(t *testing.T) {
	// More reads than the pool has workers: each waits its turn and gets its own text.
	errs := make(chan error, 5)
	for i := range 5 {
		go func() {
			want := fmt.Sprintf("Reader %d sees its own page.", i)
			data := makePDF(t, []string{"cover", want}, nil)
			typ, err := Sniff("x.pdf", data)
			if err == nil {
				var doc Document
				doc, err = Read(context.Background(), typ, data, DefaultLimits())
				if err == nil && (len(doc.Parts) != 2 || doc.Parts[1].Text != want) {
					err = fmt.Errorf("reader %d got %+v", i, doc.Parts)
				}
			}
			errs <- err
		}()
	}
	for range 5 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestReadDOCXParagraphsAndTables(t *testing.T) {
	body := wPara("Handover notes for Acme Logistics") +
		wPara("Who decides: ", docxSentence) +
		`<w:p><w:r><w:t>Tab</w:t></w:r><w:r><w:tab/><w:t>separated</w:t></w:r><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del></w:p>` +
		`<w:tbl><w:tr><w:tc>` + wPara("Name") + `</w:tc><w:tc>` + wPara("Role") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + wPara("Maria Chen") + `</w:tc><w:tc>` + wPara("VP Operations") + wPara("economic buyer") + `</w:tc></w:tr></w:tbl>` +
		`<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>Text box</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>Text box</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>`
	doc := read(t, "handover.docx", makeDOCX(t, body))
	if doc.Type.Kind != DOCX {
		t.Fatalf("kind = %q", doc.Type.Kind)
	}
	p := partWith(t, doc, docxSentence)
	if p.Cite() != "" || p.Unit != "" {
		t.Errorf("a DOCX is one piece; got %+v cited %q", p, p.Cite())
	}
	for _, want := range []string{"Who decides: " + docxSentence, "Tab\tseparated", "Name · Role", "Maria Chen · VP Operations economic buyer"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, p.Text)
		}
	}
	if strings.Contains(p.Text, "deleted words") {
		t.Errorf("deleted text was kept:\n%s", p.Text)
	}
	if strings.Count(p.Text, "Text box") != 1 {
		t.Errorf("a text box's fallback copy was read too:\n%s", p.Text)
	}
}

func TestReadDOCXFootnotesAndComments(t *testing.T) {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	data := makeDOCX(t, wPara("The contract renews in March."),
		"word/footnotes.xml", `<w:footnotes `+w+`><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">`+wPara("Signed by the CFO in 2024.")+`</w:footnote></w:footnotes>`,
		"word/comments.xml", `<w:comments `+w+`><w:comment w:id="0" w:author="Dana">`+wPara("Ask Maria before quoting the discount.")+`</w:comment></w:comments>`,
	)
	doc := read(t, "contract-notes.docx", data)
	want := "The contract renews in March.\n\nFootnotes:\nSigned by the CFO in 2024.\n\nComments:\nAsk Maria before quoting the discount."
	if len(doc.Parts) != 1 || doc.Parts[0].Text != want {
		t.Errorf("got %+v, want one part:\n%s", doc.Parts, want)
	}
	lim := DefaultLimits()
	lim.MaxText = 40
	doc, err := Read(context.Background(), typeOf(DOCX), data, lim)
	if err != nil || !doc.Truncated || doc.Parts[0].Text != want[:40] {
		t.Errorf("cut at 40 characters: %+v, %v", doc, err)
	}
}

func TestReadPPTXSlidesInDeckOrder(t *testing.T) {
	data := makePPTX(t, []slide{
		{title: "Acme QBR Q1", body: []string{"Agenda"}},
		{title: "Adoption", body: []string{pptxSentence}, notes: "Say that the champion left in April."},
		{body: []string{"Questions?"}},
	})
	doc := read(t, "qbr.pptx", data)
	if doc.Type.Kind != PPTX || doc.Pages != 3 {
		t.Fatalf("type %+v, pages %d", doc.Type, doc.Pages)
	}
	p := partWith(t, doc, pptxSentence)
	if p.Cite() != "slide 2" || p.Name != "Adoption" {
		t.Errorf("the sentence is in %+v cited %q; want slide 2 titled Adoption", p, p.Cite())
	}
	if !strings.Contains(p.Text, "Notes: Say that the champion left in April.") {
		t.Errorf("the notes are missing:\n%s", p.Text)
	}
	if doc.Parts[0].Name != "Acme QBR Q1" || doc.Parts[2].Text != "Questions?" || doc.Parts[2].Cite() != "slide 3" {
		t.Errorf("slides out of order: %+v", doc.Parts)
	}
	for _, part := range doc.Parts {
		if strings.Contains(part.Text, "900") {
			t.Errorf("the slide number placeholder was read: %q", part.Text)
		}
	}
}

func TestReadXLSXSheetsWithHeaders(t *testing.T) {
	data := makeXLSX(t, []string{"Overview", "Renewals", "Empty"}, map[string][][]any{
		"Overview": {{"Account", "ARR"}, {"Acme Logistics", 120000}},
		"Renewals": {{"Account", "Renewal date", "Note"}, {"Acme Logistics", "2027-03-01", xlsxSentence}, {}, {"Globex", "2026-11-15", "on track"}},
	})
	doc := read(t, "accounts.xlsx", data)
	if doc.Type.Kind != XLSX || doc.Pages != 3 {
		t.Fatalf("type %+v, pages %d", doc.Type, doc.Pages)
	}
	p := partWith(t, doc, xlsxSentence)
	if p.Cite() != "sheet Renewals" || p.Number != 2 {
		t.Errorf("the sentence is in %+v cited %q; want sheet Renewals", p, p.Cite())
	}
	want := "Account: Acme Logistics · Renewal date: 2027-03-01 · Note: " + xlsxSentence
	if !strings.Contains(p.Text, want) {
		t.Errorf("row not read with its headers; want %q in:\n%s", want, p.Text)
	}
	if !strings.Contains(p.Text, "Account · Renewal date · Note\n") {
		t.Errorf("header row missing:\n%s", p.Text)
	}
	if len(doc.Parts) != 2 {
		t.Errorf("the empty sheet should be left out: %+v", doc.Parts)
	}
	if o := partWith(t, doc, "Acme Logistics · ARR: 120000"); o.Cite() != "sheet Overview" {
		t.Errorf("overview cited %q", o.Cite())
	}
}

func TestReadCSVDelimitersAndHeaders(t *testing.T) {
	for _, tc := range []struct{ name, data string }{
		{"renewals.csv", "Account,Renewal date,Note\nAcme,2027-03-01,\"Wants a three-year term, with a cap\"\nGlobex,2026-11-15,on track\n"},
		{"renewals.csv", "Account;Renewal date;Note\r\nAcme;2027-03-01;Wants a three-year term, with a cap\r\nGlobex;2026-11-15;on track\r\n"},
		{"export", "Account\tRenewal date\tNote\nAcme\t2027-03-01\tWants a three-year term, with a cap\nGlobex\t2026-11-15\ton track\n"},
	} {
		doc := read(t, tc.name, []byte(tc.data))
		if doc.Type.Kind != CSV {
			t.Errorf("%q: kind %q, want csv", tc.data, doc.Type.Kind)
			continue
		}
		p := partWith(t, doc, "three-year term")
		if p.Cite() != "" {
			t.Errorf("a CSV is one piece; cited %q", p.Cite())
		}
		want := "Account: Acme · Renewal date: 2027-03-01 · Note: Wants a three-year term, with a cap"
		if !strings.Contains(p.Text, want) {
			t.Errorf("want %q in:\n%s", want, p.Text)
		}
	}
}

func TestReadTextEncodings(t *testing.T) {
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range "Zoë renews in März" {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for _, tc := range []struct {
		name string
		data []byte
		kind string
		want string
	}{
		{"notes.txt", []byte("\xEF\xBB\xBFZoë renews in März\r\n\r\n\r\nNext line  \n"), TXT, "Zoë renews in März\n\nNext line"},
		{"notes.txt", utf16le, TXT, "Zoë renews in März"},
		{"notes.txt", []byte("Zo\xeb renews in M\xe4rz"), TXT, "Zoë renews in März"},     // Windows-1252
		{"notes.txt", []byte("Zoë renews\xff in März"), TXT, "Zoë renews\uFFFD in März"}, // UTF-8 with a bad byte
		{"plan.md", []byte("# Success plan\n\n- Cut onboarding to 2 weeks\n"), Markdown, "# Success plan\n\n- Cut onboarding to 2 weeks"},
		{"README", []byte("Plain words with no extension."), TXT, "Plain words with no extension."},
	} {
		doc := read(t, tc.name, tc.data)
		if doc.Type.Kind != tc.kind || len(doc.Parts) != 1 || doc.Parts[0].Text != tc.want || doc.Parts[0].Cite() != "" {
			t.Errorf("%s %q: got %+v, want kind %s text %q", tc.name, tc.data, doc, tc.kind, tc.want)
		}
	}
}

func TestSniff(t *testing.T) {
	pdf := makePDF(t, []string{"hello"}, nil)
	docx := makeDOCX(t, wPara("hello"))
	xlsx := makeXLSX(t, []string{"S"}, map[string][][]any{"S": {{"a", "b"}}})
	pptx := makePPTX(t, []slide{{title: "hello"}})
	pngData := pngBytes(t)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00"), make([]byte, 64)...)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 64)...)
	exe[0x3c] = 0x40
	exe = append(exe[:0x40], append([]byte("PE\x00\x00"), make([]byte, 32)...)...)
	plainZip := zipOf(t, "holiday/photo.txt", "not an office file")
	html := []byte("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Your session expired</body></html>")
	// A password-protected XLSX is an OLE container holding a stream named EncryptedPackage.
	encryptedOffice := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	for _, r := range "EncryptedPackage" {
		encryptedOffice = append(encryptedOffice, byte(r), 0)
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...)

	for _, tc := range []struct {
		name string
		data []byte
		kind string // "" when an ErrUnsupported is expected
		says []string
	}{
		{"notes.pdf", pdf, PDF, nil},
		{"notes.docx", pdf, PDF, nil},
		{"NOTES", pdf, PDF, nil},
		{"prefixed.pdf", append([]byte("junk before the header\n"), pdf...), PDF, nil},
		{"pdf-notes.txt", []byte("Export with %PDF-1.4 settings, not 1.7.\nThen send it."), TXT, nil},
		{"handover.docx", docx, DOCX, nil},
		{"handover.pdf", docx, DOCX, nil},
		{"accounts.xlsx", xlsx, XLSX, nil},
		{"accounts.pdf", xlsx, XLSX, nil}, // content wins: an XLSX named .pdf is an XLSX
		{"qbr.pptx", pptx, PPTX, nil},
		{"qbr.zip", pptx, PPTX, nil},
		{"list.csv", []byte("a,b\n1,2\n"), CSV, nil},
		{"list.txt", []byte("a,b\n1,2\n"), TXT, nil}, // the name breaks the tie among text kinds
		{"list", []byte("a;b;c\n1;2;3\n4;5;6\n"), CSV, nil},
		{"list", []byte("name,role\nMaria,VP\nJon,CFO\n"), CSV, nil},
		{"note", []byte("Hello Maria, thanks for the call.\nSee you in March, Jon.\n"), TXT, nil}, // prose, not a table
		{"locked.xlsx", encryptedOffice, "", []string{`"locked.xlsx" is not an Excel workbook`, "password-protected Office file"}},
		{"plan.md", []byte("# Plan\n"), Markdown, nil},
		{"plan.markdown", []byte("# Plan\n"), Markdown, nil},
		{"plan.md", []byte("a,b\n1,2\n"), Markdown, nil},
		{"notes", []byte("just a few words"), TXT, nil},
		{"notes.weird", []byte("just a few words"), TXT, nil},
		{"page.txt", html, TXT, nil}, // text the CSM calls text is read as text (and served as text)
		{"notes.pdf", pngData, "", []string{`"notes.pdf" is not a PDF`, "a PNG image"}},
		{"photo.png", pngData, "", []string{`"photo.png" cannot be attached`, "a PNG image"}},
		{"notes.docx", elf, "", []string{`"notes.docx" is not a Word document`, "a Linux program"}},
		{"notes.pdf", exe, "", []string{`"notes.pdf" is not a PDF`, "a Windows program"}},
		{"accounts.xlsx", plainZip, "", []string{`"accounts.xlsx" is not an Excel workbook`, "a ZIP archive"}},
		{"report.pdf", html, "", []string{`"report.pdf" is not a PDF`, "a web page (HTML)"}},
		{"report.pdf", []byte("Just some text, not a PDF."), "", []string{`is not a PDF`, "plain text"}},
		{"page.html", html, "", []string{"cannot be attached", "a web page (HTML)"}},
		{"old.doc", ole, "", []string{"old Office 97–2003 file"}},
		{"empty.pdf", nil, "", []string{`"empty.pdf" is empty`}},
		{"empty.txt", []byte{}, "", []string{"is empty"}},
	} {
		typ, err := Sniff(tc.name, tc.data)
		if tc.kind != "" {
			if err != nil || typ.Kind != tc.kind || typ.MIME != mimeOf[tc.kind] {
				t.Errorf("Sniff(%q) = %+v, %v; want %s", tc.name, typ, err, tc.kind)
			}
			continue
		}
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("Sniff(%q) = %+v, %v; want ErrUnsupported", tc.name, typ, err)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("Sniff(%q): %q does not say %q", tc.name, err, s)
			}
		}
	}
}

func TestUnreadable(t *testing.T) {
	pdf := makePDF(t, []string{"page one " + pdfSentence, "page two"}, nil)
	encrypted := makePDF(t, []string{pdfSentence}, func(p *gofpdfT) { p.SetProtection(0, "user-secret", "owner-secret") })
	docx := makeDOCX(t, wPara(docxSentence))
	corruptDocx := append([]byte(nil), docx[:len(docx)/2]...)
	for i := 40; i < len(corruptDocx); i++ {
		corruptDocx[i] ^= 0x5A
	}
	emptyBook := makeXLSX(t, []string{"Sheet A", "Sheet B"}, map[string][][]any{})
	for _, tc := range []struct {
		name string
		typ  Type
		data []byte
		says string
	}{
		{"truncated pdf", typeOf(PDF), pdf[:len(pdf)/3], "damaged"},
		{"garbage pdf", typeOf(PDF), []byte("%PDF-1.4\n this is not a PDF at all"), "damaged"},
		{"encrypted pdf", typeOf(PDF), encrypted, "the PDF is encrypted"},
		{"scan", typeOf(PDF), makeImagePDF(t), "the PDF has no text layer (a scan?)"},
		{"corrupt docx", typeOf(DOCX), corruptDocx, "the file is damaged"},
		{"docx without body", typeOf(DOCX), zipOf(t, "[Content_Types].xml", contentTypes), "has no body"},
		{"empty workbook", typeOf(XLSX), emptyBook, "the spreadsheet is empty"},
		{"corrupt xlsx", typeOf(XLSX), emptyBook[:len(emptyBook)/2], "the file is damaged"},
		{"deck without slides", typeOf(PPTX), zipOf(t, "ppt/presentation.xml", `<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>`), "has no slides"},
		{"empty text", typeOf(TXT), []byte("  \n\n "), "no text"},
	} {
		doc, err := Read(context.Background(), tc.typ, tc.data, DefaultLimits())
		if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: Read = %d parts, %v; want ErrUnreadable saying %q", tc.name, len(doc.Parts), err, tc.says)
		}
	}
}

func TestSniffThenReadCorruptDocxIsUnreadable(t *testing.T) {
	// A zip signature, a name that says DOCX, and an archive that does not open: the caller keeps
	// the file as unreadable rather than refusing it.
	data := append([]byte("PK\x03\x04"), make([]byte, 200)...)
	typ, err := Sniff("handover.docx", data)
	if err != nil || typ.Kind != DOCX {
		t.Fatalf("Sniff = %+v, %v; want DOCX", typ, err)
	}
	if _, err := Read(context.Background(), typ, data, DefaultLimits()); !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Read = %v; want ErrUnreadable, damaged", err)
	}
}

func TestContextIsHonoured(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, k := range []string{PDF, DOCX, TXT} {
		if _, err := Read(ctx, typeOf(k), []byte("hello"), DefaultLimits()); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", k, err)
		}
	}
	// A context that ends during a long PDF stops the reading.
	pages := make([]string, 400)
	for i := range pages {
		pages[i] = strings.Repeat("Long page of words for the reader to chew on. ", 40)
	}
	data := makePDF(t, pages, nil)
	if err := WarmPDF(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Read(ctx, typeOf(PDF), data, DefaultLimits())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Read past its deadline = %v; want the context's error", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Read went on %v after its deadline", d)
	}
	// The reader still works after an instance was killed.
	if doc := read(t, "after.pdf", makePDF(t, []string{pdfSentence}, nil)); len(doc.Parts) != 1 {
		t.Errorf("after a cancelled read: %+v", doc)
	}
}

func TestReadXLSXDateCells(t *testing.T) {
	// A date typed into Excel carries the short date format (built-in format 14); it reads as an ISO
	// date whatever the locale of the machine that wrote it.
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	f.SetSheetRow("Sheet1", "A1", &[]any{"Account", "Renewal date"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"Acme", time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)})
	if err := f.SetCellStyle("Sheet1", "B2", "B2", style); err != nil {
		t.Fatal(err)
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	doc := read(t, "dates.xlsx", b.Bytes())
	if p := partWith(t, doc, "Acme"); !strings.Contains(p.Text, "Account: Acme · Renewal date: 2027-03-01") {
		t.Errorf("date cell read as:\n%s", p.Text)
	}
}
