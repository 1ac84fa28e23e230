package filetext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDFs are read by PDFium compiled to WebAssembly (the module go-pdfium embeds, about 6 MB) and run by
// wazero inside this process: no cgo, no system library, no network. Compiling the module is the slow
// part (seconds, once per process), so one pool is made on the first PDF (or by WarmPDF) and kept for
// the life of the process. Each read gets a fresh instance of the module (its own memory, thrown away
// after the read), with no file system mounted and at most pdfMemoryPages of memory.
const (
	pdfWorkers     = 2    // PDFs read at once; a further read waits for one to finish (or its context)
	pdfMemoryPages = 8192 // WebAssembly pages of 64 KiB: 512 MiB of memory at most per PDF being read
)

var pdfPool = sync.OnceValues(func() (pdfium.Pool, error) {
	return webassembly.Init(pdfConfig())
})

// pdfConfig is how the pool runs PDFium.
func pdfConfig() webassembly.Config {
	return webassembly.Config{
		MinIdle:  0,
		MaxIdle:  1,
		MaxTotal: pdfWorkers,
		// A read gets its own instance of the module; it is discarded after the read.
		ReuseWorkers: false,
		// No file system: the PDF is handed over as bytes.
		FSConfig: wazero.NewFSConfig(),
		RuntimeConfig: wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithMemoryLimitPages(pdfMemoryPages).
			// A cancelled read stops the module where it runs.
			WithCloseOnContextDone(true),
		Stdout: io.Discard,
		Stderr: io.Discard,
	}
}

// WarmPDF makes the PDF reader ready (compiling PDFium's WebAssembly module, which takes seconds)
// so that the first PDF attached does not wait for it. It is safe to call more than once and from
// several goroutines; Read calls it itself.
func WarmPDF() error {
	_, err := pdfPool()
	if err != nil {
		return fmt.Errorf("filetext: starting the PDF reader: %w", err)
	}
	return nil
}

// readPDF reads a PDF: a part per page that has text.
func readPDF(c *collector, data []byte) (err error) {
	pool, err := pdfPool()
	if err != nil {
		return fmt.Errorf("filetext: starting the PDF reader: %w", err)
	}
	inst, err := pool.GetInstanceWithContext(c.ctx)
	if err != nil {
		if c.ctx.Err() != nil {
			return c.ctx.Err()
		}
		return fmt.Errorf("filetext: PDF reader: %w", err)
	}
	// A cancelled context kills the instance mid-call; otherwise it is closed (and discarded) here.
	stop := context.AfterFunc(c.ctx, func() { _ = inst.Kill() })
	defer func() {
		if stop() {
			_ = inst.Close()
		}
		if c.ctx.Err() != nil && err != nil && !errors.Is(err, errFull) {
			err = c.ctx.Err()
		}
	}()

	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		switch {
		case errors.Is(err, pdfiumerrors.ErrPassword):
			return unreadable("the PDF is encrypted (it needs a password to open)")
		case errors.Is(err, pdfiumerrors.ErrSecurity):
			return unreadable("the PDF is encrypted with a method that cannot be read")
		case errors.Is(err, pdfiumerrors.ErrFormat), errors.Is(err, pdfiumerrors.ErrFile):
			return unreadable("the file is damaged: it is not a readable PDF")
		}
		return unreadable("the file is damaged: the PDF cannot be opened (%v)", err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document})

	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: opened.Document})
	if err != nil {
		return unreadable("the file is damaged: its pages cannot be counted (%v)", err)
	}
	c.doc.Pages = count.PageCount
	if count.PageCount == 0 {
		return unreadable("the file is damaged: the PDF has no pages")
	}
	for i := 0; i < count.PageCount; i++ {
		if i >= c.lim.MaxParts {
			c.doc.Truncated = true
			return errFull
		}
		if err := c.ctx.Err(); err != nil {
			return err
		}
		page, err := inst.GetPageText(&requests.GetPageText{Page: requests.Page{
			ByIndex: &requests.PageByIndex{Document: opened.Document, Index: i},
		}})
		if err != nil {
			return unreadable("the file is damaged: page %d cannot be read (%v)", i+1, err)
		}
		if err := c.add(Part{Unit: "page", Number: i + 1, Text: unwrap(tidy(page.Text))}); err != nil {
			return err
		}
	}
	if len(c.doc.Parts) == 0 {
		return unreadable("the PDF has no text layer (a scan?)")
	}
	return nil
}

// pdfNoise are characters PDFium's text may hold that are not text: the marks it leaves for soft
// hyphens and a byte-order mark.
var pdfNoise = strings.NewReplacer("\ufffe", "", "\ufeff", "", "\x02", "")

// unwrap joins the lines a PDF broke a sentence over: a line break between a letter, digit or
// comma and a lowercase letter becomes a space ("blocked by the security\nreview" → "… security
// review"), and one after a hyphen goes ("follow-\nup" → "follow-up"), so that a sentence can be found
// whole. Breaks before a capital, a digit or a bullet (new lines, list items, table rows) stay.
func unwrap(s string) string {
	s = pdfNoise.Replace(s)
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && i > 0 && i+1 < len(s) {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if unicode.IsLower(next) {
				switch {
				case prev == '-':
					continue
				case unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == ',' || prev == ';':
					b.WriteByte(' ')
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
