package filetext

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText turns the bytes of a text file into UTF-8: a byte-order mark is removed, UTF-16 with a
// mark is decoded, UTF-8 is kept (its invalid bytes replaced), and text with no valid UTF-8 sequence
// beyond ASCII but with high bytes is read as Windows-1252, what spreadsheet programs write.
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data[2:], true)
	case utf8.Valid(data):
		return string(data)
	case !hasMultibyteUTF8(data):
		if s, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			return string(s)
		}
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}

// hasMultibyteUTF8 reports whether data holds at least one valid UTF-8 sequence of two bytes or more.
func hasMultibyteUTF8(data []byte) bool {
	for len(data) > 0 {
		r, n := utf8.DecodeRune(data)
		if n > 1 && r != utf8.RuneError {
			return true
		}
		data = data[n:]
	}
	return false
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// readPlain reads a TXT or Markdown file as one part.
func readPlain(c *collector, data []byte) error {
	return c.add(Part{Text: tidy(decodeText(data))})
}

// readCSV reads a CSV file as one part: a line per row, its cells joined with " · ", each cell named
// by its column's header when the first row is a header ("Renewal date: 2027-03-01").
func readCSV(c *collector, data []byte) error {
	text := decodeText(data)
	delim, ok := sniffDelimiter([]byte(text))
	if !ok {
		delim = ','
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = delim
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var b strings.Builder
	var header []string
	chars := 0
	for row := 0; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// Not CSV after all: keep its text as it is.
			return c.add(Part{Text: tidy(text)})
		}
		if row%1000 == 0 {
			if err := c.ctx.Err(); err != nil {
				return err
			}
		}
		if row == 0 && isHeader(rec) {
			header = append([]string(nil), rec...)
		}
		line := rowLine(header, rec, row == 0)
		if line == "" {
			continue
		}
		b.WriteString(line)
		b.WriteByte('\n')
		if chars += utf8.RuneCountInString(line) + 1; chars > c.room() {
			// The text budget is spent: the collector keeps what fits.
			c.doc.Truncated = true
			break
		}
	}
	return c.add(Part{Text: tidy(b.String())})
}

// isHeader reports whether a first row reads as column names: at least two cells, none empty and
// none a number.
func isHeader(rec []string) bool {
	n := 0
	for _, cell := range rec {
		cell = strings.TrimSpace(cell)
		if cell == "" {
			continue
		}
		if isNumber(cell) {
			return false
		}
		n++
	}
	return n >= 2
}

func isNumber(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-.,%$€£ ", r):
		default:
			return false
		}
	}
	return digits > 0
}

// rowLine is one row as a line: its non-empty cells joined with " · ", each named "Header: value"
// when there is a header (the header row itself is written as it is).
func rowLine(header, cells []string, isHeaderRow bool) string {
	var parts []string
	for i, cell := range cells {
		cell = strings.Join(strings.Fields(cell), " ")
		if cell == "" {
			continue
		}
		if !isHeaderRow && i < len(header) {
			if h := strings.Join(strings.Fields(header[i]), " "); h != "" {
				cell = h + ": " + cell
			}
		}
		parts = append(parts, cell)
	}
	return strings.Join(parts, " · ")
}
