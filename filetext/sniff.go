package filetext

import (
	"archive/zip"
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// claimed is the kind a file name's extension claims, "" when it claims none this package reads.
func claimed(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return PDF
	case ".docx":
		return DOCX
	case ".xlsx":
		return XLSX
	case ".pptx":
		return PPTX
	case ".csv", ".tsv":
		return CSV
	case ".txt", ".text", ".log":
		return TXT
	case ".md", ".markdown":
		return Markdown
	}
	return ""
}

func isTextKind(k string) bool { return k == CSV || k == TXT || k == Markdown }

func typeOf(kind string) Type { return Type{Kind: kind, MIME: mimeOf[kind]} }

// Sniff tells the type from the content (the name only breaks ties between text kinds: .md vs .txt vs
// .csv for plain text). It never trusts the name over the content.
//
// Content that is a PDF, DOCX, XLSX or PPTX is read as what it is whatever the name says (an XLSX
// named .pdf is an XLSX). Text is read as CSV, Markdown or plain text as the name's extension says; text
// whose name claims a binary format (an HTML page named .pdf, a broken download) is refused as
// disguised, and so is anything that is none of the kinds above.
func Sniff(name string, data []byte) (Type, error) {
	claim := claimed(name)
	if len(data) == 0 {
		return Type{}, unsupported("%q is empty", name)
	}
	m := mimetype.Detect(data)

	if isPDF(data) {
		return typeOf(PDF), nil
	}
	if m.Is("application/pdf") {
		// mimetype calls anything with "%PDF-" in its first kilobyte a PDF; a note that mentions it
		// is text.
		if !binaryBytes(data) {
			m = mimetype.Lookup("text/plain")
		}
	}
	if isZip(data) {
		if kind := ooxmlKind(data, m); kind != "" {
			return typeOf(kind), nil
		}
		if !zipOpens(data) && (claim == DOCX || claim == XLSX || claim == PPTX) {
			// The name and the zip signature agree on an Office file whose archive is broken: Read
			// says it is damaged, and the caller keeps it.
			return typeOf(claim), nil
		}
		return Type{}, refuse(name, claim, m, data)
	}
	if isText(m) {
		switch {
		case isTextKind(claim):
			return typeOf(claim), nil
		case claim != "":
			// A text file named .pdf/.docx/.xlsx/.pptx is not what its name says.
			return Type{}, refuse(name, claim, m, data)
		case looksCSV(data):
			return typeOf(CSV), nil
		case baseMIME(m) == "text/plain" || baseMIME(m) == "text/csv" || baseMIME(m) == "text/tab-separated-values":
			return typeOf(TXT), nil
		}
	}
	return Type{}, refuse(name, claim, m, data)
}

// isPDF reports whether data is a PDF: its header first (after a byte-order mark or blank lines at
// most), or within the first kilobyte, where a PDF reader accepts it, when the end-of-file marker is
// there too, so that a note that mentions "%PDF-1.4" stays a note.
func isPDF(data []byte) bool {
	if bytes.HasPrefix(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n"), []byte("%PDF-")) {
		return true
	}
	head := data[:min(len(data), 1024)]
	tail := data[max(0, len(data)-2048):]
	return (bytes.Contains(head, []byte("%PDF-1.")) || bytes.Contains(head, []byte("%PDF-2."))) &&
		bytes.Contains(tail, []byte("%%EOF"))
}

// binaryBytes reports whether the first 4 KiB of data hold a byte text never does (the control
// characters other than tab, line feed, form feed, carriage return and escape).
func binaryBytes(data []byte) bool {
	for _, b := range data[:min(len(data), 4096)] {
		if b <= 0x08 || b == 0x0B || 0x0E <= b && b <= 0x1A || 0x1C <= b && b <= 0x1F {
			return true
		}
	}
	return false
}

// refuse is the ErrUnsupported for content m under name, naming both what the name claims and what
// the content is.
func refuse(name, claim string, m *mimetype.MIME, data []byte) error {
	what := describe(m, data)
	if claim != "" {
		return unsupported("%q is not %s: its content is %s", name, kindName[claim], what)
	}
	return unsupported("%q cannot be attached: its content is %s; attach a PDF, Word (DOCX), Excel (XLSX), CSV, PowerPoint (PPTX), text or Markdown file", name, what)
}

// isText reports whether m is text (a kind of text/plain, whatever its charset).
func isText(m *mimetype.MIME) bool {
	for p := m; p != nil; p = p.Parent() {
		if strings.HasPrefix(p.String(), "text/plain") {
			return true
		}
	}
	return false
}

// isA reports whether m is of type mime or of a kind of it.
func isA(m *mimetype.MIME, mime string) bool {
	for p := m; p != nil; p = p.Parent() {
		if p.Is(mime) {
			return true
		}
	}
	return false
}

// describe names content of type m for a CSM.
func describe(m *mimetype.MIME, data []byte) string {
	// Office encrypts a password-protected DOCX/XLSX/PPTX into an OLE container holding a stream
	// named EncryptedPackage (named in UTF-16 in the container's directory).
	encryptedOffice := bytes.Contains(data, []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e\x00"))
	s := baseMIME(m)
	switch {
	case s == "application/pdf":
		return "a damaged PDF (its header is not where it should be and its end is missing)"
	case s == "image/png":
		return "a PNG image"
	case s == "image/jpeg":
		return "a JPEG image"
	case s == "image/gif":
		return "a GIF image"
	case strings.HasPrefix(s, "image/"):
		return "an image (" + strings.TrimPrefix(s, "image/") + ")"
	case s == "application/vnd.microsoft.portable-executable" || s == "application/x-msdownload" || s == "application/x-dosexec":
		return "a Windows program"
	case isA(m, "application/x-elf"):
		return "a Linux program"
	case s == "application/x-mach-binary":
		return "a macOS program"
	case s == "application/zip":
		return "a ZIP archive"
	case s == "application/java-archive" || s == "application/jar":
		return "a Java program"
	case s == "text/html":
		return "a web page (HTML)"
	case strings.HasPrefix(s, "text/xml") || s == "application/xml":
		return "XML"
	case s == "application/json":
		return "JSON data"
	case s == "text/rtf" || s == "application/rtf":
		return "a Rich Text (RTF) document"
	case s == "text/plain" || s == "text/csv" || s == "text/tab-separated-values":
		return "plain text"
	case isA(m, "application/x-ole-storage") && encryptedOffice:
		return "a password-protected Office file (remove the password and attach it again)"
	case isA(m, "application/x-ole-storage"):
		return "an old Office 97–2003 file (save it as DOCX, XLSX or PPTX)"
	case strings.HasPrefix(s, "application/vnd.oasis.opendocument."):
		return "an OpenDocument file (save it as DOCX, XLSX or PPTX)"
	case strings.HasPrefix(s, "video/"):
		return "a video"
	case strings.HasPrefix(s, "audio/"):
		return "a sound recording"
	case s == "application/octet-stream":
		return "binary data of an unknown kind"
	case isText(m):
		return "text of type " + s
	}
	return "a file of type " + s
}

// baseMIME is m's type without its parameters ("text/plain", not "text/plain; charset=utf-8").
func baseMIME(m *mimetype.MIME) string {
	s := m.String()
	if i := strings.IndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// isZip reports whether data begins with a zip signature.
func isZip(data []byte) bool {
	return len(data) > 3 && data[0] == 'P' && data[1] == 'K' &&
		(data[2] == 3 || data[2] == 5 || data[2] == 7) && (data[3] == 4 || data[3] == 6 || data[3] == 8)
}

func zipOpens(data []byte) bool {
	_, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	return err == nil
}

// ooxmlKind tells an Office Open XML file by the parts its archive holds (the central directory, not
// only the first entries, so the order an editor wrote them in does not matter), or by what mimetype
// saw in the first entries when the archive's directory cannot be read. "" when it is none.
func ooxmlKind(data []byte, m *mimetype.MIME) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		switch {
		case m.Is("application/vnd.openxmlformats-officedocument.wordprocessingml.document"):
			return DOCX
		case m.Is("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
			return XLSX
		case m.Is("application/vnd.openxmlformats-officedocument.presentationml.presentation"):
			return PPTX
		}
		return ""
	}
	has := map[string]bool{}
	for i, f := range zr.File {
		if i > maxZipEntries {
			break
		}
		has[strings.ToLower(f.Name)] = true
	}
	switch {
	case has["word/document.xml"]:
		return DOCX
	case has["xl/workbook.xml"]:
		return XLSX
	case has["ppt/presentation.xml"]:
		return PPTX
	}
	return ""
}

// looksCSV reports whether text has a delimiter (comma, semicolon or tab) that appears the same
// number of times on each of its first lines, quotes aside: at least twice a line, or once a line over
// three lines or more (two lines of prose with a comma each are still prose).
func looksCSV(data []byte) bool {
	d, n, lines := delimiterCount(data)
	return d != 0 && (n >= 2 || lines >= 3)
}

// sniffDelimiter picks the delimiter whose count outside quotes is the same (and above zero) on each
// of the first 20 non-empty lines; ok is false when no delimiter is consistent over two lines or more.
func sniffDelimiter(data []byte) (rune, bool) {
	d, _, _ := delimiterCount(data)
	return d, d != 0
}

// delimiterCount is the delimiter sniffDelimiter picks, how many times it appears on each line, and
// how many lines were looked at; d is 0 when none is consistent.
func delimiterCount(data []byte) (d rune, perLine, lines int) {
	if len(data) > 64<<10 {
		data = data[:64<<10]
	}
	all := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	var use []string
	for _, l := range all {
		if strings.TrimSpace(l) != "" {
			use = append(use, l)
		}
		if len(use) == 20 {
			break
		}
	}
	// A cut-off last line (the sample ends mid-file) does not count.
	if len(data) == 64<<10 && len(use) > 2 {
		use = use[:len(use)-1]
	}
	if len(use) < 2 {
		return 0, 0, len(use)
	}
	best, bestN := rune(0), 0
	for _, d := range []rune{',', ';', '\t'} {
		n := -1
		for _, l := range use {
			c := countOutsideQuotes(l, d)
			if n == -1 {
				n = c
			}
			if c != n {
				n = 0
				break
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best, bestN, len(use)
}

func countOutsideQuotes(l string, d rune) int {
	in, n := false, 0
	for _, r := range l {
		switch {
		case r == '"':
			in = !in
		case r == d && !in:
			n++
		}
	}
	return n
}

func init() {
	// Every kind has a name and a type to be served with.
	for _, k := range []string{PDF, DOCX, XLSX, CSV, PPTX, TXT, Markdown} {
		if mimeOf[k] == "" || kindName[k] == "" {
			panic(fmt.Sprintf("filetext: kind %s has no MIME type or name", k))
		}
	}
}
