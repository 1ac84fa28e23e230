package book

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// ParseCSV reads a CSV file with a header row, as exported by a CRM or saved from a spreadsheet: the
// delimiter (comma, semicolon or tab) is detected, columns are matched by name in any order, and every
// problem is returned as a *ParseError naming the line as it is numbered in the file.
func ParseCSV(r io.Reader) ([]Account, error) {
	return ParseCSVOrder(r, "")
}

// ParseCSVOrder is ParseCSV reading numeric dates such as 01/02/2027 in order; with none, the order is
// taken from the file's unambiguous dates, or such dates are refused.
func ParseCSVOrder(r io.Reader, order DateOrder) ([]Account, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, &ParseError{Line: 1, Msg: "cannot read the file: " + err.Error()}
	}
	if len(data) > maxInputBytes {
		return nil, &ParseError{Line: 1, Msg: fmt.Sprintf("the file is larger than %d MB", maxInputBytes>>20)}
	}
	text, err := decodeFile(data)
	if err != nil {
		return nil, err
	}
	return parseTable(text, order)
}

// parseTable parses normalised text whose first content line is a header. Line numbers count from the
// start of text, so the textarea path gets the same numbering as a file.
func parseTable(text string, order DateOrder) ([]Account, error) {
	return parseTableMapped(text, order, nil)
}

// table is CSV text opened at its header row.
type table struct {
	cr         *csv.Reader
	header     []string
	headerLine int
}

// openTable finds the delimiter and reads the header row of normalised text.
func openTable(text string) (*table, error) {
	first, ok := firstContentLine(text)
	if !ok {
		return nil, &ParseError{Line: 1, Msg: "no accounts: the input is empty"}
	}
	comma, isSep := sepDirective(first.text)
	if isSep {
		// Blank the directive rather than cut it, so later lines keep their numbers.
		text = text[:first.start] + text[first.end:]
	} else {
		comma = detectDelimiter(first.text)
	}

	if line, open := unclosedQuote(text, comma); open {
		return nil, &ParseError{Line: line, Msg: "a quoted field starts on this line and is never closed; add the missing closing quote (\") or remove the stray one"}
	}
	cr := newCSVReader(text, comma)
	header, err := readNonBlank(cr)
	if err == io.EOF {
		return nil, &ParseError{Line: first.number, Msg: "no accounts: the input has no header row"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	headerLine, _ := cr.FieldPos(0)
	return &table{cr: cr, header: header, headerLine: headerLine}, nil
}

// parseTableMapped is parseTable with the manager's choice of what each column feeds (see Mapping); nil
// keeps the columns matched by their names.
func parseTableMapped(text string, order DateOrder, mapping []string) ([]Account, error) {
	tb, err := openTable(text)
	if err != nil {
		return nil, err
	}
	cr, header, headerLine := tb.cr, tb.header, tb.headerLine
	cols := mapColumns(header)
	if mapping != nil {
		if cols, err = chosenColumns(header, mapping, headerLine); err != nil {
			return nil, err
		}
		if cols.index[fName] < 0 {
			return nil, &ParseError{Line: headerLine, Msg: "no column is used as the account name; choose the column that holds it"}
		}
	}
	if cols.index[fName] < 0 {
		return nil, &ParseError{Line: headerLine, Msg: missingNameMsg(header)}
	}

	var rows []rawRow
	for {
		rec, err := readNonBlank(cr)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		row := rawRow{line: line}
		for f, i := range cols.index {
			row.cells[f] = cell{line: line, column: cols.label[f]}
			if i >= 0 && i < len(rec) {
				row.cells[f].value = rec[i]
				row.cells[f].line, _ = cr.FieldPos(i)
			}
		}
		rows = append(rows, row)
		if len(rows) > maxAccounts {
			break // add reports the limit
		}
	}
	c := newCollector(order)
	if err := c.addAll(rows); err != nil {
		return nil, err
	}
	if len(c.accounts) == 0 {
		return nil, &ParseError{Line: headerLine, Msg: "no accounts: there are no rows below the header"}
	}
	return c.accounts, nil
}

func newCSVReader(text string, comma rune) *csv.Reader {
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	// encoding/csv trims leading white space even when it is the delimiter, which would swallow the empty
	// cells of a tab-separated row and shift every later column to the left.
	cr.TrimLeadingSpace = comma != '\t'
	return cr
}

// readNonBlank skips records whose every field is blank: spreadsheets export empty rows as ",,,,".
func readNonBlank(cr *csv.Reader) ([]string, error) {
	for {
		rec, err := cr.Read()
		if err != nil {
			return nil, err
		}
		for _, v := range rec {
			if !isBlank(v) {
				return rec, nil
			}
		}
	}
}

func csvError(err error) *ParseError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{Line: max(pe.Line, 1), Msg: "malformed CSV: " + pe.Err.Error()}
	}
	return &ParseError{Line: 1, Msg: "malformed CSV: " + err.Error()}
}

// unclosedQuote finds a field that opens a quote and never closes it, and the line where it opens. The
// reader accepts stray quotes inside fields (spreadsheets write 27" monitors), and so reads an unclosed
// quote to the end of the input: every row after it would silently become part of one field.
func unclosedQuote(text string, comma rune) (line int, open bool) {
	line, opened := 1, 0
	fieldStart, quoted := true, false
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		switch {
		case quoted && r == '"':
			next, m := utf8.DecodeRuneInString(text[i:])
			switch {
			case m > 0 && next == '"': // an escaped quote
				i += m
			case m == 0 || next == comma || next == '\n':
				quoted = false
			}
		case quoted:
			if r == '\n' {
				line++
			}
		case r == comma || r == '\n':
			if r == '\n' {
				line++
			}
			fieldStart = true
		case r == '"' && fieldStart:
			quoted, opened, fieldStart = true, line, false
		case fieldStart && r == ' ' && comma != '\t':
			// leading spaces are trimmed before a quote
		default:
			fieldStart = false
		}
	}
	return opened, quoted
}
