package filetext

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads an Excel workbook: a part per sheet in the workbook's order, a line per row with its
// cells joined with " · ", each cell named by its column's header when the sheet's first row is one
// ("Renewal date: 2027-03-01"). Rows are streamed; the archive is opened within MaxUnpacked.
func readXLSX(c *collector, data []byte) error {
	// The archive is checked as the other Office files are (entry count, declared sizes) before
	// excelize unpacks it, which it does within the same limit.
	if _, err := openOfficeZip(data, c.lim, "Excel workbook"); err != nil {
		return err
	}
	xmlLimit := min(c.lim.MaxUnpacked, 16<<20)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    c.lim.MaxUnpacked,
		UnzipXMLSizeLimit: xmlLimit,
		ShortDatePattern:  "yyyy-mm-dd",
	})
	if err != nil {
		return xlsxError(err, c.lim)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	c.doc.Pages = len(sheets)
	for i, name := range sheets {
		if i >= c.lim.MaxParts {
			c.doc.Truncated = true
			return errFull
		}
		text, err := sheetText(c, f, name)
		if err != nil {
			return err
		}
		if err := c.add(Part{Unit: "sheet", Number: i + 1, Name: name, Text: text}); err != nil {
			return err
		}
	}
	if len(c.doc.Parts) == 0 {
		return unreadable("the spreadsheet is empty")
	}
	return nil
}

func sheetText(c *collector, f *excelize.File, name string) (string, error) {
	rows, err := f.Rows(name)
	if err != nil {
		// A chart sheet or a dialog sheet has no rows to read.
		if strings.Contains(err.Error(), "not exist") || strings.Contains(err.Error(), "chart") {
			return "", nil
		}
		return "", unreadable("the file is damaged: sheet %q cannot be read (%v)", name, err)
	}
	defer rows.Close()
	var b strings.Builder
	var header []string
	first := true
	chars := 0
	for n := 0; rows.Next(); n++ {
		if n%1000 == 0 {
			if err := c.ctx.Err(); err != nil {
				return "", err
			}
		}
		cells, err := rows.Columns()
		if err != nil {
			return "", unreadable("the file is damaged: sheet %q cannot be read (%v)", name, err)
		}
		if isBlankRow(cells) {
			continue
		}
		if first && isHeader(cells) {
			header = append([]string(nil), cells...)
		}
		line := rowLine(header, cells, first)
		first = false
		b.WriteString(line)
		b.WriteByte('\n')
		if chars += utf8.RuneCountInString(line) + 1; chars > c.room() {
			// The text budget is spent: the rest of the sheet is not read.
			c.doc.Truncated = true
			break
		}
	}
	if err := rows.Error(); err != nil {
		return "", unreadable("the file is damaged: sheet %q cannot be read (%v)", name, err)
	}
	return tidy(b.String()), nil
}

func isBlankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// xlsxError is the ErrUnreadable for an error excelize met opening a workbook.
func xlsxError(err error, lim Limits) error {
	var re *reasonError
	switch {
	case errors.As(err, &re):
		return err
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return unreadable("the file is damaged: it is not a readable Excel workbook")
	case strings.Contains(err.Error(), "unzip size"):
		return unreadable("the file is too large to read: it unpacks to more than %s, the limit", sizeText(lim.MaxUnpacked))
	case strings.Contains(strings.ToLower(err.Error()), "password") || strings.Contains(err.Error(), "encrypt"):
		return unreadable("the workbook is encrypted (password-protected)")
	}
	return unreadable("the file is damaged: the workbook cannot be read (%v)", err)
}
