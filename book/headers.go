package book

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// field is one of the Account fields an input column can feed.
type field int

const (
	fName field = iota
	fARR
	fRenewal
	fSegment
	fCRMID
	fHealth
	fLastContact
	fOpenOpp
	fNotes
	fSuccessor
	numFields
)

// aliases maps normalised header names (see normaliseHeader) to fields. CRMs name the same thing many ways;
// MRR is deliberately absent: multiplying by 12 would be a guess the manager did not make.
var aliases = map[string]field{}

func init() {
	for f, names := range map[field][]string{
		fName: {"name", "account", "accountname", "company", "companyname", "customer", "customername",
			"client", "organization", "organisation"},
		fARR: {"arr", "annualrecurringrevenue", "annualrevenue", "acv", "contractvalue", "annualcontractvalue"},
		fRenewal: {"renewal", "renewaldate", "renewsat", "renewson", "contractend", "contractenddate", "enddate",
			"nextrenewal", "nextrenewaldate"},
		fSegment: {"segment", "tier", "customersegment", "type"},
		// recordid and accountexternalid are what HubSpot and ChurnZero call their ids.
		fCRMID: {"crmid", "id", "accountid", "salesforceid", "sfdcid", "hubspotid", "externalid", "recordid",
			"accountexternalid"},
		fHealth:      {"health", "healthscore", "healthstatus", "status"},
		fLastContact: {"lastcontact", "lastcontactdate", "lastactivity", "lastactivitydate", "lasttouch"},
		fOpenOpp:     {"openopportunity", "opportunity", "openopp", "upsell", "pipeline"},
		fNotes:       {"notes", "note", "comments", "description"},
		fSuccessor:   {"successor", "successoremail", "newowner", "newcsm", "newowneremail"},
	} {
		for _, n := range names {
			aliases[n] = f
		}
	}
}

// normaliseHeader lower-cases h and drops separators, quotes, a BOM and parenthesised units, so that
// "Account_Name", "account name" and "ARR (USD)" match their aliases.
func normaliseHeader(h string) string {
	var b strings.Builder
	depth := 0
	for _, r := range strings.ToLower(h) {
		switch {
		case r == '(':
			depth++
		case r == ')':
			if depth > 0 {
				depth--
			}
		case depth > 0, unicode.IsSpace(r), strings.ContainsRune("_-.\"'\ufeff", r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lookupHeader finds the field for a header. Salesforce reports prefix columns with the object
// ("Account: Account Name"), so the part after the last colon is tried too.
func lookupHeader(h string) (field, bool) {
	n := normaliseHeader(h)
	if f, ok := aliases[n]; ok {
		return f, true
	}
	if i := strings.LastIndexByte(n, ':'); i >= 0 {
		f, ok := aliases[n[i+1:]]
		return f, ok
	}
	return 0, false
}

// columns says which input column feeds each field (-1: none) and how the file spells its header.
type columns struct {
	index [numFields]int
	label [numFields]string
}

func mapColumns(header []string) columns {
	var c columns
	for f := range c.index {
		c.index[f] = -1
	}
	for i, h := range header {
		f, ok := lookupHeader(h)
		if !ok || c.index[f] >= 0 {
			continue // unknown columns are ignored; when two columns mean the same field the first wins
		}
		c.index[f] = i
		c.label[f] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	return c
}

func missingNameMsg(header []string) string {
	var found []string
	for _, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			continue
		}
		if len(found) == 8 {
			found = append(found, "…")
			break
		}
		found = append(found, fmt.Sprintf("%q", h))
	}
	msg := "no account name column; expected one of: Account Name, Name, Company, Customer"
	if len(found) > 0 {
		msg += " (found " + strings.Join(found, ", ") + ")"
	}
	return msg
}

// detectDelimiter picks among comma, semicolon (European exports), tab (spreadsheet pastes) and pipe
// (tables copied from wikis) the one that splits the header into the most fields, ignoring delimiters
// inside quotes; ties go to the comma.
func detectDelimiter(line string) rune {
	best, bestN := ',', countFields(line, ',')
	for _, d := range []rune{';', '\t', '|'} {
		if n := countFields(line, d); n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

func countFields(line string, delim rune) int {
	n, quoted := 1, false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case r == delim && !quoted:
			n++
		}
	}
	return n
}

// sepDirective recognises Excel's optional first line "sep=;" that states the delimiter.
func sepDirective(line string) (rune, bool) {
	t := strings.Trim(line, " \"")
	if utf8.RuneCountInString(t) != 5 || !strings.EqualFold(t[:4], "sep=") {
		return 0, false
	}
	switch d := rune(t[4]); d {
	case ',', ';', '\t', '|':
		return d, true
	}
	return 0, false
}

// contentLine is the first line of a text with more on it than filler (see isBlank).
type contentLine struct {
	number     int // 1-based
	start, end int // byte offsets of the line in the text, without its newline
	text       string
}

func firstContentLine(text string) (contentLine, bool) {
	start := 0
	for n := 1; start <= len(text); n++ {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		if !isBlank(line) {
			return contentLine{number: n, start: start, end: end, text: line}, true
		}
		start = end + 1
	}
	return contentLine{}, false
}

// isBlank reports whether s holds only whitespace, delimiters, quotes and the dashes and colons of a
// Markdown table's rule line: what spreadsheets and wikis emit for an empty row.
func isBlank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",;|\"-:", r) }) == ""
}
