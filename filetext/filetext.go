// Package filetext reads the text out of a file a CSM attaches: it tells the file's type from its
// content and extracts the text of each page, sheet or slide, so a passage can cite where it came from.
//
// Sniff decides the type from the bytes (the name only chooses among the plain-text kinds), and Read
// extracts the text within Limits, so that a hostile file cannot take the machine. Two errors reach
// the caller: ErrUnsupported (the content is not a kind this package reads, or a text file poses as a
// binary format) and ErrUnreadable (a supported file whose text cannot be had: encrypted, damaged,
// over the limits, no text). Both are wrapped with a sentence a CSM can read.
package filetext

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The kinds of file this package reads.
const (
	PDF      = "pdf"
	DOCX     = "docx"
	XLSX     = "xlsx"
	CSV      = "csv"
	PPTX     = "pptx"
	TXT      = "txt"
	Markdown = "md"
)

// Type is what Sniff found.
type Type struct {
	Kind string // one of the constants above
	MIME string // the type to serve the original with, e.g. "application/pdf"
}

// mimeOf is the type each kind's original is served with. Text is always served as plain text so
// that a browser never renders what a CSM uploaded.
var mimeOf = map[string]string{
	PDF:      "application/pdf",
	DOCX:     "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	XLSX:     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	PPTX:     "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	CSV:      "text/csv; charset=utf-8",
	TXT:      "text/plain; charset=utf-8",
	Markdown: "text/markdown; charset=utf-8",
}

// kindName is how a message names a kind to a CSM.
var kindName = map[string]string{
	PDF:      "a PDF",
	DOCX:     "a Word document (DOCX)",
	XLSX:     "an Excel workbook (XLSX)",
	PPTX:     "a PowerPoint deck (PPTX)",
	CSV:      "a CSV file",
	TXT:      "a text file",
	Markdown: "a Markdown file",
}

// ErrUnsupported is returned (wrapped, with a message a CSM can read, e.g. `"notes.pdf" is not a PDF:
// its content is a Windows program`) when the content is none of the supported types, or when the
// name's extension claims a supported type the content is not (a disguised file).
var ErrUnsupported = errors.New("unsupported file type")

// ErrUnreadable is returned (wrapped, with the reason a CSM can read: "the PDF is encrypted", "the file
// is damaged: …", "the PDF has no text layer (a scan?)", "the spreadsheet is empty") when a supported
// file cannot be read. The caller keeps the file and shows the reason.
var ErrUnreadable = errors.New("unreadable file")

// reasonError carries a sentence for a CSM and unwraps to ErrUnsupported or ErrUnreadable. Its
// Error() is the sentence alone, so a caller can show err.Error() as it is.
type reasonError struct {
	kind   error
	reason string
}

func (e *reasonError) Error() string { return e.reason }
func (e *reasonError) Unwrap() error { return e.kind }

func unsupported(format string, args ...any) error {
	return &reasonError{kind: ErrUnsupported, reason: fmt.Sprintf(format, args...)}
}

func unreadable(format string, args ...any) error {
	return &reasonError{kind: ErrUnreadable, reason: fmt.Sprintf(format, args...)}
}

// Part is the text of one page, sheet or slide (or the whole text of a TXT/MD/CSV/DOCX).
type Part struct {
	Unit   string // "page", "sheet", "slide", or "" for a file read as one piece
	Number int    // 1-based page or slide number; the sheet's position
	Name   string // the sheet's name (XLSX), the slide's title if any
	Text   string
}

// Cite is how a passage from p names its place: "page 3", "sheet Renewals", "slide 4", "" (whole file).
func (p Part) Cite() string {
	switch p.Unit {
	case "":
		return ""
	case "sheet":
		if p.Name != "" {
			return "sheet " + p.Name
		}
	}
	return p.Unit + " " + strconv.Itoa(p.Number)
}

// CountUnits says how many pages, sheets or slides a file of that kind has: "12 pages", "1 sheet",
// "3 slides"; "" for the kinds read as one piece (DOCX, CSV, TXT, Markdown).
func CountUnits(kind string, n int) string {
	one := map[string]string{PDF: "page", XLSX: "sheet", PPTX: "slide"}[kind]
	switch {
	case one == "":
		return ""
	case n == 1:
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + one + "s"
}

// Document is a read file.
type Document struct {
	Type  Type
	Parts []Part // in order; parts with no text are left out
	Pages int    // pages / sheets / slides in the file (0 when not applicable)
	// Truncated is set when a limit stopped the reading early (MaxText or MaxParts): Parts hold what
	// was read before it.
	Truncated bool
}

// Text is the whole text of the document, its parts separated by a blank line.
func (d Document) Text() string {
	var b strings.Builder
	for i, p := range d.Parts {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(p.Text)
	}
	return b.String()
}

// Limits bound what Read may spend on one file.
type Limits struct {
	MaxText     int   // total characters of text kept (default 2,000,000); beyond, stop and keep what was read
	MaxUnpacked int64 // bytes a zip-based file may unpack to (default 200 MiB)
	MaxParts    int   // pages/slides/sheets read at most (default 2,000)
}

// DefaultLimits are the limits the product reads attachments with.
func DefaultLimits() Limits {
	return Limits{MaxText: 2_000_000, MaxUnpacked: 200 << 20, MaxParts: 2000}
}

// orDefault fills the zero fields of l with the defaults.
func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	if l.MaxUnpacked <= 0 {
		l.MaxUnpacked = d.MaxUnpacked
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	return l
}

// Read extracts the text of data of type t. It honours ctx and limits (Limits) so that a hostile
// file (zip bomb, a PDF with a million pages, a 1,000,000-row sheet) cannot take the machine.
// Limits left at zero take their defaults.
func Read(ctx context.Context, t Type, data []byte, lim Limits) (doc Document, err error) {
	lim = lim.orDefault()
	// A parser that panics on a malformed file (a library's bug) makes the file unreadable, not the
	// process fall over.
	defer func() {
		if r := recover(); r != nil {
			doc, err = Document{}, unreadable("the file is damaged: it could not be read (%v)", r)
		}
	}()
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	c := &collector{ctx: ctx, lim: lim, doc: Document{Type: t}}
	switch t.Kind {
	case PDF:
		err = readPDF(c, data)
	case DOCX:
		err = readDOCX(c, data)
	case XLSX:
		err = readXLSX(c, data)
	case PPTX:
		err = readPPTX(c, data)
	case CSV:
		err = readCSV(c, data)
	case TXT, Markdown:
		err = readPlain(c, data)
	default:
		return Document{}, unsupported("%q is not a kind of file that can be read", t.Kind)
	}
	if errors.Is(err, errFull) {
		err = nil
	}
	if err != nil {
		return Document{}, err
	}
	if len(c.doc.Parts) == 0 {
		return Document{}, unreadable("the file has no text")
	}
	return c.doc, nil
}

// errFull stops a reader once MaxText or MaxParts is reached; Read keeps what was read.
var errFull = errors.New("limit reached")

// collector gathers the parts within the limits.
type collector struct {
	ctx  context.Context
	lim  Limits
	doc  Document
	text int // characters kept so far
}

// add keeps p (trimmed; left out when empty), cutting its text at what MaxText leaves. It returns
// errFull once the text or part budget is spent and the context's error once it is done.
func (c *collector) add(p Part) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	p.Text = strings.TrimSpace(p.Text)
	if p.Text == "" {
		return nil
	}
	if len(c.doc.Parts) >= c.lim.MaxParts {
		c.doc.Truncated = true
		return errFull
	}
	left := c.lim.MaxText - c.text
	if n := utf8.RuneCountInString(p.Text); n > left {
		p.Text = strings.TrimSpace(cutRunes(p.Text, left))
		c.doc.Truncated = true
		if p.Text != "" {
			c.doc.Parts = append(c.doc.Parts, p)
		}
		c.text = c.lim.MaxText
		return errFull
	}
	c.text += utf8.RuneCountInString(p.Text)
	c.doc.Parts = append(c.doc.Parts, p)
	if c.text >= c.lim.MaxText {
		return errFull
	}
	return nil
}

// room is how many characters of text may still be kept: a reader stops gathering a part's text once
// it holds more than that.
func (c *collector) room() int { return c.lim.MaxText - c.text }

// cutRunes is the first n characters of s.
func cutRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// tidy normalises extracted text: line ends to \n, trailing spaces and runs of blank lines removed.
func tidy(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.ReplaceAll(s, "\x00", "")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := false
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if l == "" {
			if blank || len(out) == 0 {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
