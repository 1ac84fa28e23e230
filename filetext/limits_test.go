package filetext

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// bombXML is a document part of about size bytes that compresses to almost nothing.
func bombXML(size int) string {
	para := wPara(strings.Repeat("a", 1000))
	return docxBody(strings.Repeat(para, size/len(para)))
}

func TestZipBombStopsAtMaxUnpacked(t *testing.T) {
	data := makeDOCX(t, bombXML(64<<20))
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes packed; the test wants a small file", len(data))
	}
	lim := DefaultLimits()
	lim.MaxUnpacked = 1 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read(context.Background(), typeOf(DOCX), data, lim)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "more than 1 MiB, the limit") {
		t.Fatalf("Read = %v; want ErrUnreadable over the 1 MiB limit", err)
	}
	// Nothing near the 64 MiB the archive unpacks to was read.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("Read allocated %d bytes before refusing a file over a 1 MiB limit", alloc)
	}
	// With the default limit it is read (64 MiB is under 200 MiB), and its text cut at MaxText.
	lim = DefaultLimits()
	lim.MaxText = 5000
	doc, err := Read(context.Background(), typeOf(DOCX), data, lim)
	if err != nil || !doc.Truncated || utf8.RuneCountInString(doc.Text()) != 5000 {
		t.Errorf("Read with room = truncated %v, %d characters, %v; want 5000 characters, truncated", doc.Truncated, utf8.RuneCountInString(doc.Text()), err)
	}
}

func TestZipEntryThatLiesAboutItsSize(t *testing.T) {
	// The directory says document.xml unpacks to 4 KiB; it unpacks to 8 MiB. The reader stops at
	// what was declared.
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write([]byte(bombXML(8 << 20)))
	fw.Close()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range [][2]string{{"[Content_Types].xml", contentTypes}, {"_rels/.rels", fmt.Sprintf(rootRels, "word/document.xml")}} {
		f, _ := w.Create(e[0])
		f.Write([]byte(e[1]))
	}
	f, err := w.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: 4096, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	f.Write(packed.Bytes())
	w.Close()
	_, err = Read(context.Background(), typeOf(DOCX), b.Bytes(), DefaultLimits())
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("Read = %v; want ErrUnreadable, damaged", err)
	}
}

func TestTooManyZipEntries(t *testing.T) {
	entries := []string{"word/document.xml", docxBody(wPara("x"))}
	for i := 0; i <= maxZipEntries; i++ {
		entries = append(entries, fmt.Sprintf("junk/%d", i), "")
	}
	_, err := Read(context.Background(), typeOf(DOCX), zipOf(t, entries...), DefaultLimits())
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "entries") {
		t.Errorf("Read = %v; want ErrUnreadable about the entries", err)
	}
}

func TestXLSXOverMaxUnpacked(t *testing.T) {
	rows := map[string][][]any{"S": {}}
	for i := 0; i < 2000; i++ {
		rows["S"] = append(rows["S"], []any{"row", i, strings.Repeat("x", 50)})
	}
	data := makeXLSX(t, []string{"S"}, rows)
	lim := DefaultLimits()
	lim.MaxUnpacked = 64 << 10
	_, err := Read(context.Background(), typeOf(XLSX), data, lim)
	if !errors.Is(err, ErrUnreadable) || !strings.Contains(err.Error(), "more than 64 KiB") {
		t.Errorf("Read = %v; want ErrUnreadable over 64 KiB", err)
	}
}

func TestMaxTextKeepsWhatWasRead(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxText = 1000

	doc, err := Read(context.Background(), typeOf(TXT), []byte(strings.Repeat("é", 10_000)), lim)
	if err != nil || !doc.Truncated || doc.Parts[0].Text != strings.Repeat("é", 1000) {
		t.Errorf("TXT: truncated %v, %d characters, %v", doc.Truncated, utf8.RuneCountInString(doc.Text()), err)
	}

	pages := []string{strings.Repeat("first ", 100), strings.Repeat("second ", 100), strings.Repeat("third ", 100)}
	doc, err = Read(context.Background(), typeOf(PDF), makePDF(t, pages, nil), lim)
	if err != nil || !doc.Truncated || len(doc.Parts) != 2 || doc.Pages != 3 {
		t.Fatalf("PDF: %+v, %v; want two pages read of three, truncated", doc, err)
	}
	if n := utf8.RuneCountInString(doc.Parts[0].Text) + utf8.RuneCountInString(doc.Parts[1].Text); n != 1000 {
		t.Errorf("PDF kept %d characters, want 1000", n)
	}

	// A long sheet stops once the text is spent, without reading every row into memory.
	rows := map[string][][]any{"Big": {{"Account", "Note"}}}
	for i := 0; i < 20_000; i++ {
		rows["Big"] = append(rows["Big"], []any{fmt.Sprintf("Account %d", i), "renews next year"})
	}
	doc, err = Read(context.Background(), typeOf(XLSX), makeXLSX(t, []string{"Big"}, rows), lim)
	if err != nil || !doc.Truncated || utf8.RuneCountInString(doc.Text()) > 1000 || !strings.HasPrefix(doc.Text(), "Account · Note\nAccount: Account 0 · Note: renews next year") {
		t.Errorf("XLSX: truncated %v, %d characters, %v", doc.Truncated, utf8.RuneCountInString(doc.Text()), err)
	}
}

func TestMaxPartsKeepsTheFirstParts(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxParts = 3
	pages := make([]string, 10)
	for i := range pages {
		pages[i] = fmt.Sprintf("Text of page %d.", i+1)
	}
	doc, err := Read(context.Background(), typeOf(PDF), makePDF(t, pages, nil), lim)
	if err != nil || !doc.Truncated || len(doc.Parts) != 3 || doc.Pages != 10 || doc.Parts[2].Cite() != "page 3" {
		t.Errorf("PDF: %+v, %v; want pages 1–3 of 10", doc, err)
	}

	var slides []slide
	for i := 0; i < 6; i++ {
		slides = append(slides, slide{title: fmt.Sprintf("Slide %d", i+1), body: []string{"text"}})
	}
	doc, err = Read(context.Background(), typeOf(PPTX), makePPTX(t, slides), lim)
	if err != nil || !doc.Truncated || len(doc.Parts) != 3 || doc.Pages != 6 || doc.Parts[2].Name != "Slide 3" {
		t.Errorf("PPTX: %+v, %v; want slides 1–3 of 6", doc, err)
	}

	names := []string{"A", "B", "C", "D"}
	rows := map[string][][]any{}
	for _, n := range names {
		rows[n] = [][]any{{"sheet " + n}}
	}
	doc, err = Read(context.Background(), typeOf(XLSX), makeXLSX(t, names, rows), lim)
	if err != nil || !doc.Truncated || len(doc.Parts) != 3 || doc.Pages != 4 || doc.Parts[2].Cite() != "sheet C" {
		t.Errorf("XLSX: %+v, %v; want sheets A–C of 4", doc, err)
	}
}

func TestZeroLimitsTakeTheDefaults(t *testing.T) {
	doc, err := Read(context.Background(), typeOf(TXT), []byte(strings.Repeat("x", 3000)), Limits{})
	if err != nil || doc.Truncated || len(doc.Parts[0].Text) != 3000 {
		t.Errorf("Read with zero limits: truncated %v, %v", doc.Truncated, err)
	}
}

// FuzzSniffRead feeds arbitrary bytes, under a few names, to Sniff and then Read: neither may panic,
// Sniff fails only with ErrUnsupported, Read only with ErrUnreadable (or the context's error), and
// what Read keeps stays within the limits. The seed corpus runs with go test; go test -fuzz runs more.
func FuzzSniffRead(f *testing.F) {
	f.Add("a.pdf", makePDF(f, []string{"one", "two " + pdfSentence}, nil))
	f.Add("a.docx", makeDOCX(f, wPara(docxSentence)+`<w:tbl><w:tr><w:tc>`+wPara("cell")+`</w:tc></w:tr></w:tbl>`))
	f.Add("a.xlsx", makeXLSX(f, []string{"S", "T"}, map[string][][]any{"S": {{"h1", "h2"}, {"a", 1}}, "T": {{"x"}}}))
	f.Add("a.pptx", makePPTX(f, []slide{{title: "T", body: []string{pptxSentence}, notes: "n"}}))
	f.Add("a.csv", []byte("a;b\n1;\"2\n3\"\n"))
	f.Add("a.txt", []byte("\xEF\xBB\xBFhello\r\nworld"))
	f.Add("a.md", []byte{0xFF, 0xFE, 'h', 0, 'i', 0})
	f.Add("a.pdf", pngBytes(f))
	f.Add("a.docx", []byte("PK\x03\x04garbage"))
	f.Add("", []byte{})
	lim := Limits{MaxText: 20_000, MaxUnpacked: 4 << 20, MaxParts: 50}
	// Start the PDF reader before any input is timed: the fuzzer takes an input that runs over ten
	// seconds for a hang, and compiling PDFium can take that long on a loaded machine.
	if err := WarmPDF(); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		typ, err := Sniff(name, data)
		if err != nil {
			if !errors.Is(err, ErrUnsupported) || err.Error() == "" {
				t.Fatalf("Sniff error %v is not a readable ErrUnsupported", err)
			}
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		doc, err := Read(ctx, typ, data, lim)
		if err != nil {
			if !errors.Is(err, ErrUnreadable) && !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Read error %v is neither ErrUnreadable nor the context's", err)
			}
			return
		}
		if len(doc.Parts) == 0 || doc.Type != typ {
			t.Fatalf("Read = %+v with no error", doc)
		}
		n := 0
		for _, p := range doc.Parts {
			if strings.TrimSpace(p.Text) == "" {
				t.Fatalf("an empty part was kept: %+v", p)
			}
			n += utf8.RuneCountInString(p.Text)
		}
		if n > lim.MaxText || len(doc.Parts) > lim.MaxParts {
			t.Fatalf("%d characters in %d parts, over the limits", n, len(doc.Parts))
		}
	})
}

func TestBudgetReaderStopsAtTheBudget(t *testing.T) {
	data := zipOf(t, "a.xml", strings.Repeat("a", 100), "b.xml", strings.Repeat("b", 100))
	for _, tc := range []struct {
		budget int64
		a, b   bool // whether each entry reads whole
	}{
		{200, true, true}, // both end exactly at the budget
		{150, true, false},
		{99, false, false},
	} {
		z, err := openOfficeZip(data, Limits{MaxUnpacked: 1 << 20}, "test")
		if err != nil {
			t.Fatal(err)
		}
		z.budget = tc.budget
		_, _, errA := z.readAll("a.xml")
		_, _, errB := z.readAll("B.XML")
		if (errA == nil) != tc.a || (errB == nil) != tc.b {
			t.Errorf("budget %d: a %v, b %v; want whole a %v, b %v", tc.budget, errA, errB, tc.a, tc.b)
		}
		if errB != nil && (!errors.Is(errB, ErrUnreadable) || !strings.Contains(errB.Error(), "too large")) {
			t.Errorf("budget %d: %v is not the too-large error", tc.budget, errB)
		}
	}
}

func TestMillionRowSheetStopsAtMaxText(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an 85 MB sheet")
	}
	// A workbook of one sheet with a million rows (85 MB unpacked, 8 MB packed), written as a zip
	// of minimal XML so that building it stays quick.
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	w.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	put := func(name string, write func(io.Writer)) {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		write(f)
	}
	text := func(s string) func(io.Writer) { return func(f io.Writer) { io.WriteString(f, s) } }
	put("[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`))
	put("_rels/.rels", text(fmt.Sprintf(rootRels, "xl/workbook.xml")))
	put("xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Big" sheetId="1" r:id="rId1"/></sheets></workbook>`))
	put("xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`))
	put("xl/worksheets/sheet1.xml", func(f io.Writer) {
		bw := bufio.NewWriter(f)
		bw.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		for i := 1; i <= 1_000_000; i++ {
			fmt.Fprintf(bw, `<row r="%d"><c r="A%d" t="inlineStr"><is><t>Account %d</t></is></c></row>`, i, i, i)
		}
		bw.WriteString(`</sheetData></worksheet>`)
		bw.Flush()
	})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	typ, err := Sniff("big.xlsx", data)
	if err != nil || typ.Kind != XLSX {
		t.Fatalf("Sniff = %+v, %v", typ, err)
	}
	lim := DefaultLimits()
	lim.MaxText = 10_000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	doc, err := Read(context.Background(), typ, data, lim)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil || !doc.Truncated || utf8.RuneCountInString(doc.Text()) != 10_000 || !strings.HasPrefix(doc.Text(), "Account 1\nAccount 2\n") {
		t.Fatalf("Read = truncated %v, %d characters, %v", doc.Truncated, utf8.RuneCountInString(doc.Text()), err)
	}
	// The rows past the budget are not read: far less than the 85 MB the sheet unpacks to is allocated.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("Read allocated %d bytes for 10,000 characters of a million-row sheet", alloc)
	}
	t.Logf("a million-row sheet, cut at 10,000 characters, read in %v", took)
}
