package filetext

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/klippa-app/go-pdfium/webassembly"
)

// benchFiles are files of each kind about the size of a real attachment: a 20-page PDF, a 300-
// paragraph Word document, a 3-sheet workbook of 2,000 rows each, a 30-slide deck, a 5,000-row CSV
// and a 1 MB text file.
func benchFiles(b *testing.B) map[string][]byte {
	line := "The customer renewed for two years after the security review; the champion is the VP of Operations."
	pages := make([]string, 20)
	for i := range pages {
		pages[i] = strings.Repeat(line+" ", 25)
	}
	var body strings.Builder
	for i := 0; i < 300; i++ {
		body.WriteString(wPara(fmt.Sprintf("%d. %s", i, line)))
	}
	rows := map[string][][]any{}
	names := []string{"Accounts", "Renewals", "Contacts"}
	for _, n := range names {
		rows[n] = [][]any{{"Account", "ARR", "Renewal date", "Note"}}
		for i := 0; i < 2000; i++ {
			rows[n] = append(rows[n], []any{fmt.Sprintf("Account %d", i), 1000 * i, "2027-03-01", line})
		}
	}
	var slides []slide
	for i := 0; i < 30; i++ {
		slides = append(slides, slide{title: fmt.Sprintf("Slide %d", i+1), body: []string{line, line}, notes: line})
	}
	var csv strings.Builder
	csv.WriteString("Account,ARR,Renewal date,Note\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&csv, "Account %d,%d,2027-03-01,\"%s\"\n", i, 1000*i, line)
	}
	return map[string][]byte{
		"pdf":  makePDF(b, pages, nil),
		"docx": makeDOCX(b, body.String()),
		"xlsx": makeXLSX(b, names, rows),
		"pptx": makePPTX(b, slides),
		"csv":  []byte(csv.String()),
		"txt":  []byte(strings.Repeat(line+"\n", 1<<20/len(line))),
	}
}

// BenchmarkRead reads a file of each kind (sniffing included); the PDF reader is started before
// the clock runs (see BenchmarkPDFReaderStart for what that costs).
//
//	go test ./filetext -run '^$' -bench . -benchmem
func BenchmarkRead(b *testing.B) {
	files := benchFiles(b)
	if err := WarmPDF(); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"pdf", "docx", "xlsx", "pptx", "csv", "txt"} {
		data := files[kind]
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				typ, err := Sniff("file."+kind, data)
				if err != nil {
					b.Fatal(err)
				}
				doc, err := Read(context.Background(), typ, data, DefaultLimits())
				if err != nil || len(doc.Parts) == 0 {
					b.Fatalf("%+v, %v", doc, err)
				}
			}
		})
	}
}

// BenchmarkPDFReaderStart is what starting the PDF reader costs once per process: compiling PDFium's
// WebAssembly module and making the pool.
func BenchmarkPDFReaderStart(b *testing.B) {
	for b.Loop() {
		pool, err := webassembly.Init(pdfConfig())
		if err != nil {
			b.Fatal(err)
		}
		pool.Close()
	}
}
