// Package filetext reads the text out of a file a CSM attaches: it tells the file's type from its
// content and extracts the text of each page, sheet or slide, so a passage can cite where it came from.
//
// This minimal version reads plain text, Markdown and CSV only; every other kind is unsupported until the
// full reader (PDF, DOCX, XLSX, PPTX) replaces this file.
package filetext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// The kinds of file that can be attached.
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

// ErrUnsupported is returned (wrapped, with a message a CSM can read) when the content is none of the
// supported types, or when the name's extension claims a supported type the content is not.
var ErrUnsupported = errors.New("unsupported file type")

// ErrUnreadable is returned (wrapped, with the reason a CSM can read) when a supported file cannot be
// read. The caller keeps the file and shows the reason.
var ErrUnreadable = errors.New("unreadable file")

// Sniff tells the type from the content (the name only breaks ties between text kinds: .md vs .txt vs
// .csv for plain text). It never trusts the name over the content.
func Sniff(name string, data []byte) (Type, error) {
	if len(data) == 0 {
		return Type{}, fmt.Errorf("%q is empty: %w", name, ErrUnsupported)
	}
	detected := http.DetectContentType(data)
	if !strings.HasPrefix(detected, "text/plain") || !utf8.Valid(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))) {
		what := strings.TrimSpace(strings.SplitN(detected, ";", 2)[0])
		return Type{}, fmt.Errorf("%q cannot be attached: its content is %s, and only text, Markdown and CSV files are read: %w", name, what, ErrUnsupported)
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".md", ".markdown":
		return Type{Kind: Markdown, MIME: "text/markdown; charset=utf-8"}, nil
	case ".csv":
		return Type{Kind: CSV, MIME: "text/csv; charset=utf-8"}, nil
	case ".pdf", ".docx", ".xlsx", ".pptx":
		return Type{}, fmt.Errorf("%q is not a %s file: its content is plain text: %w", name, strings.ToUpper(strings.TrimPrefix(filepath.Ext(name), ".")), ErrUnsupported)
	}
	return Type{Kind: TXT, MIME: "text/plain; charset=utf-8"}, nil
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
	switch {
	case p.Unit == "":
		return ""
	case p.Unit == "sheet" && p.Name != "":
		return "sheet " + p.Name
	}
	return fmt.Sprintf("%s %d", p.Unit, p.Number)
}

// Document is a read file.
type Document struct {
	Type  Type
	Parts []Part // in order; parts with no text are left out
	Pages int    // pages / sheets / slides in the file (0 when not applicable)
}

// Limits bound what Read does with one file.
type Limits struct {
	MaxText     int   // total characters of text kept (default 2,000,000); beyond, stop and keep what was read
	MaxUnpacked int64 // bytes a zip-based file may unpack to (default 200 MiB)
	MaxParts    int   // pages/slides/sheets read at most (default 2,000)
}

// DefaultLimits are the limits of an ordinary server.
func DefaultLimits() Limits {
	return Limits{MaxText: 2_000_000, MaxUnpacked: 200 << 20, MaxParts: 2000}
}

// Read extracts the text of data of type t.
func Read(ctx context.Context, t Type, data []byte, lim Limits) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	switch t.Kind {
	case TXT, Markdown, CSV:
	default:
		return Document{}, fmt.Errorf("%s files cannot be read yet: %w", strings.ToUpper(t.Kind), ErrUnsupported)
	}
	text := strings.TrimPrefix(strings.ToValidUTF8(string(data), "\uFFFD"), "\uFEFF")
	if lim.MaxText > 0 && len(text) > lim.MaxText {
		text = strings.ToValidUTF8(text[:lim.MaxText], "")
	}
	doc := Document{Type: t}
	if strings.TrimSpace(text) == "" {
		return doc, fmt.Errorf("the file holds no text: %w", ErrUnreadable)
	}
	doc.Parts = []Part{{Text: text}}
	return doc, nil
}
