package book

import (
	"fmt"
	"io"
	"strings"
)

// FieldChoice is a field a CSV column can feed, by the key a form sends and the label a manager reads.
type FieldChoice struct {
	Key, Label string
}

// FieldChoices are the fields a column can be mapped to, in the order a form offers them.
var FieldChoices = []FieldChoice{
	{"name", "Account name"}, {"arr", "ARR"}, {"renewal_date", "Renewal date"}, {"segment", "Segment"},
	{"crm_id", "CRM id"}, {"health", "Health"}, {"last_contact", "Last contact"},
	{"open_opportunity", "Open opportunity"}, {"notes", "Notes"}, {"successor", "Successor e-mail"},
}

// fieldKeys are FieldChoices' keys in field order.
var fieldKeys = [numFields]string{"name", "arr", "renewal_date", "segment", "crm_id", "health", "last_contact",
	"open_opportunity", "notes", "successor"}

func fieldByKey(key string) (field, bool) {
	for f, k := range fieldKeys {
		if k == key {
			return field(f), true
		}
	}
	return 0, false
}

// Column is one column of a CSV file: its header as written and the key of the field it feeds ("" when
// it is left out).
type Column struct {
	Header string
	Field  string
}

// DecodeCSV reads an uploaded file into the text the parser reads: UTF-8 with "\n" line ends (see
// decodeFile). Keeping this text lets a form carry a file across a retry without asking for it again.
func DecodeCSV(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return "", &ParseError{Line: 1, Msg: "cannot read the file: " + err.Error()}
	}
	if len(data) > maxInputBytes {
		return "", &ParseError{Line: 1, Msg: fmt.Sprintf("the file is larger than %d MB", maxInputBytes>>20)}
	}
	return decodeFile(data)
}

// GuessColumns reads the header of CSV text and says which field the importer takes each column for,
// matching headers by name as ParseCSV does.
func GuessColumns(text string) ([]Column, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	tb, err := openTable(normaliseText(text))
	if err != nil {
		return nil, err
	}
	cols := mapColumns(tb.header)
	out := make([]Column, len(tb.header))
	for i, h := range tb.header {
		out[i].Header = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	}
	for f, i := range cols.index {
		if i >= 0 {
			out[i].Field = fieldKeys[f]
		}
	}
	return out, nil
}

// ParseCSVText parses CSV text (as DecodeCSV returns it, or as a form sent it back) with the columns
// feeding the fields mapping names, one key of FieldChoices or "" per column; nil matches the columns by
// their names. The text is checked as typed text is, since it may come back from a browser.
func ParseCSVText(text string, order DateOrder, mapping []string) ([]Account, error) {
	if err := checkText(text); err != nil {
		return nil, err
	}
	return parseTableMapped(normaliseText(text), order, mapping)
}

// chosenColumns turns a mapping into columns, refusing one that does not fit the header or uses a
// field twice.
func chosenColumns(header, mapping []string, line int) (columns, error) {
	var c columns
	for f := range c.index {
		c.index[f] = -1
	}
	if len(mapping) != len(header) {
		return c, &ParseError{Line: line, Msg: fmt.Sprintf("the column choices are for %d columns, but the file has %d; preview it again", len(mapping), len(header))}
	}
	for i, key := range mapping {
		if key == "" {
			continue
		}
		f, ok := fieldByKey(key)
		if !ok {
			return c, &ParseError{Line: line, Msg: fmt.Sprintf("%q is not a field a column can be used as", key)}
		}
		label := strings.TrimSpace(strings.TrimPrefix(header[i], "\ufeff"))
		if c.index[f] >= 0 {
			return c, &ParseError{Line: line, Column: label, Msg: fmt.Sprintf("%s is chosen for two columns (%q and %q); choose it for one", FieldChoices[f].Label, c.label[f], label)}
		}
		c.index[f] = i
		c.label[f] = label
	}
	return c, nil
}

// Merge joins two lists of accounts, such as the rows a manager typed and those of a file. Accounts named
// alike (case and spacing aside) become one, at the place of the first: its values stand, and the
// second's fill what it left empty. merged names the accounts that were in both lists.
func Merge(first, second []Account) (out []Account, merged []string) {
	out = append(make([]Account, 0, len(first)+len(second)), first...)
	at := make(map[string]int, len(out))
	for i, a := range out {
		at[strings.ToLower(collapseSpace(a.Name))] = i
	}
	for _, b := range second {
		key := strings.ToLower(collapseSpace(b.Name))
		i, ok := at[key]
		if !ok {
			at[key] = len(out)
			out = append(out, b)
			continue
		}
		a := &out[i]
		merged = append(merged, a.Name)
		if a.ARR == nil { // the amount comes with the currency it was written in
			a.ARR, a.Currency, a.Kronor = b.ARR, b.Currency, b.Kronor
		}
		if a.RenewalDate == nil {
			a.RenewalDate = b.RenewalDate
		}
		fill(&a.Segment, b.Segment)
		fill(&a.CRMID, b.CRMID)
		fill(&a.Successor, b.Successor)
		fill(&a.CRM.Health, b.CRM.Health)
		fill(&a.CRM.OpenOpportunity, b.CRM.OpenOpportunity)
		fill(&a.CRM.Notes, b.CRM.Notes)
		if a.CRM.LastContact == nil {
			a.CRM.LastContact = b.CRM.LastContact
		}
	}
	return out, merged
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
