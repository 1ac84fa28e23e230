package filetext

// Files of each kind, made in code for the tests: no binary fixtures.

import (
	"archive/zip"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/jung-kurt/gofpdf"
	"github.com/xuri/excelize/v2"
)

// makePDF writes a PDF with a page per entry of pages (an empty entry makes a page with no text).
func makePDF(t testing.TB, pages []string, protect func(*gofpdf.Fpdf)) []byte {
	t.Helper()
	pdf := gofpdf.New("P", "mm", "A4", "")
	if protect != nil {
		protect(pdf)
	}
	pdf.SetFont("Helvetica", "", 12)
	for _, text := range pages {
		pdf.AddPage()
		if text != "" {
			pdf.MultiCell(0, 6, text, "", "L", false)
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// makeImagePDF writes a one-page PDF that holds only a picture, as a scan does.
func makeImagePDF(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	for x := 0; x < 40; x++ {
		for y := 0; y < 20; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 6), uint8(y * 12), 90, 255})
		}
	}
	var p bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.AddPage()
	opt := gofpdf.ImageOptions{ImageType: "PNG"}
	pdf.RegisterImageOptionsReader("scan", opt, &p)
	pdf.ImageOptions("scan", 10, 10, 120, 60, false, opt, 0, "")
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// zipOf writes the entries (name, content pairs) into a zip archive in that order.
func zipOf(t testing.TB, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for i := 0; i+1 < len(entries); i += 2 {
		f, err := w.Create(entries[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(entries[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="%s"/></Relationships>`

// docxBody wraps WordprocessingML body content into a document part.
func docxBody(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`
}

func wPara(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		fmt.Fprintf(&b, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, r)
	}
	b.WriteString("</w:p>")
	return b.String()
}

// makeDOCX writes a Word document whose body is the given WordprocessingML; extra are further
// entries (name, content pairs), such as the footnotes or the comments.
func makeDOCX(t testing.TB, body string, extra ...string) []byte {
	return zipOf(t, append([]string{
		"[Content_Types].xml", contentTypes,
		"_rels/.rels", fmt.Sprintf(rootRels, "word/document.xml"),
		"word/document.xml", docxBody(body),
	}, extra...)...)
}

// slide is one slide of a test deck.
type slide struct {
	title string
	body  []string
	notes string
}

// makePPTX writes a deck whose slides' entries are named in reverse (the last slide is slide1.xml), so
// that only the presentation's own list gives the right order.
func makePPTX(t testing.TB, slides []slide) []byte {
	t.Helper()
	var ids, rels strings.Builder
	entries := []string{"[Content_Types].xml", contentTypes, "_rels/.rels", fmt.Sprintf(rootRels, "ppt/presentation.xml")}
	for i, s := range slides {
		file := len(slides) - i
		fmt.Fprintf(&ids, `<p:sldId id="%d" r:id="rId%d"/>`, 256+i, i+10)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide%d.xml"/>`, i+10, file)
		var sp strings.Builder
		if s.title != "" {
			fmt.Fprintf(&sp, `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Title"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>`, s.title)
		}
		for _, line := range s.body {
			fmt.Fprintf(&sp, `<p:sp><p:nvSpPr><p:cNvPr id="3" name="Body"/><p:cNvSpPr/><p:nvPr><p:ph idx="1"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp>`, line)
		}
		// The slide number placeholder is left out of the text.
		fmt.Fprintf(&sp, `<p:sp><p:nvSpPr><p:cNvPr id="4" name="Num"/><p:cNvSpPr/><p:nvPr><p:ph type="sldNum"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:fld type="slidenum"><a:t>%d</a:t></a:fld></a:p></p:txBody></p:sp>`, 9000+i)
		entries = append(entries, fmt.Sprintf("ppt/slides/slide%d.xml", file),
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree>`+sp.String()+`</p:spTree></p:cSld></p:sld>`)
		if s.notes != "" {
			entries = append(entries,
				fmt.Sprintf("ppt/slides/_rels/slide%d.xml.rels", file),
				fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide" Target="../notesSlides/notesSlide%d.xml"/></Relationships>`, file),
				fmt.Sprintf("ppt/notesSlides/notesSlide%d.xml", file),
				fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:notes xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="Image"/><p:cNvSpPr/><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes"/><p:cNvSpPr/><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>%s</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:notes>`, s.notes))
		}
	}
	entries = append(entries,
		"ppt/presentation.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst>`+ids.String()+`</p:sldIdLst></p:presentation>`,
		"ppt/_rels/presentation.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`,
	)
	return zipOf(t, entries...)
}

// makeXLSX writes a workbook with a sheet per entry of sheets (name → rows), in that order.
func makeXLSX(t testing.TB, names []string, rows map[string][][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, name := range names {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type gofpdfT = gofpdf.Fpdf

// pngBytes is a small PNG image.
func pngBytes(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
