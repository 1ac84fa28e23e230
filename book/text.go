package book

import (
	"fmt"
	"regexp"
	"strings"
)

// textFields are the positional fields of a headerless line, with the names errors use for them.
var textFields = [...]struct {
	f     field
	label string
}{
	{fName, "name"}, {fARR, "ARR"}, {fRenewal, "renewal date"}, {fSegment, "segment"}, {fCRMID, "CRM id"},
}

// ParseText reads what a manager typed or pasted into a textarea. When the first non-empty line is a
// header naming an account-name column, the text is a table (a spreadsheet paste) and ParseCSV's rules
// apply. Otherwise each non-empty line is one account: name, ARR, renewal date, segment, CRM id, split by
// tab, "|", ";" or comma, of which only the name is required.
func ParseText(s string) ([]Account, error) {
	return ParseTextOrder(s, "")
}

// ParseTextOrder is ParseText reading numeric dates such as 01/02/2027 in order, as ParseCSVOrder does.
func ParseTextOrder(s string, order DateOrder) ([]Account, error) {
	if err := checkText(s); err != nil {
		return nil, err
	}
	text := normaliseText(s)
	first, ok := firstContentLine(text)
	if !ok {
		return nil, &ParseError{Line: 1, Msg: "no accounts: the input is empty"}
	}
	if isHeader(first.text) {
		return parseTable(text, order)
	}

	var rows []rawRow
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		if isBlank(line) {
			continue
		}
		pieces := splitTextLine(line)
		for len(pieces) > 1 && strings.TrimSpace(pieces[len(pieces)-1]) == "" {
			pieces = pieces[:len(pieces)-1]
		}
		if len(pieces) > len(textFields) {
			return nil, &ParseError{Line: n, Msg: fmt.Sprintf(
				"%d fields, but a line holds at most %d: name, ARR, renewal date, segment, CRM id", len(pieces), len(textFields))}
		}
		row := rawRow{line: n}
		for j, tf := range textFields {
			row.cells[tf.f] = cell{line: n, column: tf.label}
			if j < len(pieces) {
				row.cells[tf.f].value = pieces[j]
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
		return nil, &ParseError{Line: first.number, Msg: "no accounts: the input is empty"}
	}
	return c.accounts, nil
}

// isHeader reports whether line reads as a table header with an account-name column, parsed exactly as
// parseTable will parse it.
func isHeader(line string) bool {
	if _, ok := sepDirective(line); ok {
		return true
	}
	rec, err := newCSVReader(line, detectDelimiter(line)).Read()
	if err != nil {
		return false
	}
	for _, h := range rec {
		if f, ok := lookupHeader(h); ok && f == fName {
			return true
		}
	}
	return false
}

// splitTextLine splits one typed line. A tab means a spreadsheet paste; "|" and ";" are deliberate
// separators; a comma is the fallback, where commas inside amounts, dates and company names are kept.
func splitTextLine(line string) []string {
	var delim byte = ','
	switch {
	case strings.Contains(line, "\t"):
		delim = '\t'
	case strings.Contains(line, "|"):
		delim = '|'
	case strings.Contains(line, ";"):
		delim = ';'
	}
	pieces := splitQuoted(line, delim)
	if delim == ',' {
		pieces = rejoinCommas(pieces)
	}
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.text
	}
	return out
}

type piece struct {
	text   string
	quoted bool
}

// splitQuoted splits on delim outside double quotes, so `"Acme, Inc.", 240000` keeps its name. Quotes are
// lenient like encoding/csv's LazyQuotes: a quote inside an unquoted value is just a character.
func splitQuoted(line string, delim byte) []piece {
	var out []piece
	var b strings.Builder
	inQuote, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case inQuote && c == '"' && i+1 < len(line) && line[i+1] == '"':
			b.WriteByte('"')
			i++
		case inQuote && c == '"':
			inQuote = false
		case !inQuote && !quoted && c == '"' && strings.TrimSpace(b.String()) == "":
			inQuote, quoted = true, true
			b.Reset()
		case !inQuote && c == delim:
			out = append(out, piece{b.String(), quoted})
			b.Reset()
			quoted = false
		default:
			b.WriteByte(c)
		}
	}
	return append(out, piece{b.String(), quoted})
}

var (
	// amountHead and amountTail are the parts of a number around a thousands comma: "$240" and "000" in
	// "$240,000", "1,200" and "000.50 USD" in "1,200,000.50 USD".
	amountHead = regexp.MustCompile(`^\s*[-(]?(?:[€$£¥]|US\$|[A-Za-z]{3})?\s?\d{1,3}(?:,\d{3})*$`)
	amountTail = regexp.MustCompile(`^\d{3}(?:\.\d{1,2})?(?:\s?(?:[kKmM]{1,2}|[A-Za-z]{3}|[€$£¥]))?\s*$`)
	// monthDay is the front of "March 15, 2026", whose year follows the comma.
	monthDay    = regexp.MustCompile(`(?i)^[a-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?$`)
	yearOnly    = regexp.MustCompile(`^\d{4}$`)
	legalSuffix = regexp.MustCompile(`(?i)^(?:inc|llc|l\.l\.c|ltd|limited|corp|corporation|co|plc|gmbh|ag|sa|s\.a|sas|sarl|bv|b\.v|nv|n\.v|lp|llp|pty ltd|pte ltd|oy|ab|a/s|spa|s\.p\.a|srl|s\.r\.l|kg|se)\.?$`)
)

// rejoinCommas undoes comma splits that cut one value in two: "$240", "000" is $240,000; "March 15",
// "2026" is a date; "Acme", "Inc." is a company name.
func rejoinCommas(in []piece) []piece {
	out := in[:0:0]
	for _, p := range in {
		if len(out) > 0 && !p.quoted && !out[len(out)-1].quoted {
			prev := &out[len(out)-1]
			t := strings.TrimSpace(p.text)
			join := false
			switch {
			case amountTail.MatchString(p.text) && amountHead.MatchString(prev.text):
				join = true // no space after the comma: a thousands separator, not a field separator
			case yearOnly.MatchString(t) && monthDay.MatchString(strings.TrimSpace(prev.text)):
				join = true
			case len(out) == 1 && legalSuffix.MatchString(t):
				join = true
			}
			if join {
				prev.text += "," + p.text
				continue
			}
		}
		out = append(out, p)
	}
	return out
}
