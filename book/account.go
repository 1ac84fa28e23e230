// Package book turns a manager's "book of business" (the departing CSM's accounts) into clean records. The
// input is untrusted and messy: typed into a textarea, pasted from a spreadsheet, or exported as CSV by a CRM.
// Every problem comes back as a *ParseError naming the line, so the manager can fix the file and retry.
package book

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/validation"
)

// maxAccounts bounds one session: an interview cannot cover more, and it caps the work done per upload.
const maxAccounts = 2000

// maxNameRunes matches the 200-character limit the rest of the product puts on names.
const maxNameRunes = 200

// Account is one customer account of the departing CSM.
type Account struct {
	Name        string
	ARR         *float64   // annual recurring revenue in whole currency units; nil when not given
	RenewalDate *time.Time // a date (UTC midnight); nil when not given
	Segment     string
	CRMID       string
	CRM         CRMContext
	Successor   string // email of the successor, lower-cased; "" when not given
	// Currency is the ISO 4217 code the ARR was written in ("EUR" for "8.400 €"), or "" when it named
	// none; CurrencyIn settles it with the session's currency.
	Currency string
	// Kronor says the ARR was written in "kr" alone, which Swedish, Norwegian and Danish kronor share.
	Kronor bool
}

// CRMContext is optional context from the CRM.
type CRMContext struct {
	Health          string // e.g. "green", "at risk", "72"
	LastContact     *time.Time
	OpenOpportunity string
	Notes           string
}

// ParseError says what is wrong and where. Line is 1-based (the header is line 1 of a CSV); Column is the
// header name as written in the file, or "" when the problem is the whole line/file.
type ParseError struct {
	Line   int
	Column string
	Msg    string
}

// Error renders e.g. `line 4, column "ARR": "$24O,000" is not an amount`.
func (e *ParseError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("line %d, column %q: %s", e.Line, e.Column, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	case e.Column != "":
		return fmt.Sprintf("column %q: %s", e.Column, e.Msg)
	}
	return e.Msg
}

// cell is one input value with where it came from, so errors can point at it.
type cell struct {
	value  string
	line   int
	column string
}

// rawRow is one input row mapped onto the fields, before validation. CSV and text input both end up here so
// that they share one set of rules.
type rawRow struct {
	line  int
	cells [numFields]cell
}

func (r *rawRow) fail(f field, msg string) *ParseError {
	c := r.cells[f]
	line := c.line
	if line < 1 {
		line = r.line
	}
	return &ParseError{Line: line, Column: c.column, Msg: msg}
}

// collector validates rows and remembers names, to catch duplicates and enforce the account limit.
type collector struct {
	accounts  []Account
	firstLine map[string]int
	order     DateOrder // of ambiguous numeric dates; "" refuses them
}

func newCollector(order DateOrder) *collector {
	return &collector{firstLine: map[string]int{}, order: order}
}

// addAll adds rows, reading their ambiguous dates in the collector's order or, when none was given, in
// the order the rows' unambiguous dates show.
func (c *collector) addAll(rows []rawRow) error {
	if c.order == "" {
		var dates []string
		for i := range rows {
			dates = append(dates, rows[i].cells[fRenewal].value, rows[i].cells[fLastContact].value)
		}
		c.order = InferDateOrder(dates)
	}
	for i := range rows {
		if err := c.add(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

func (c *collector) add(r *rawRow) error {
	if len(c.accounts) >= maxAccounts {
		return &ParseError{Line: r.line, Msg: fmt.Sprintf("more than %d accounts; at most %d can be imported for one CSM", maxAccounts, maxAccounts)}
	}
	for f := range r.cells {
		if ch, ok := controlChar(r.cells[f].value); ok {
			return r.fail(field(f), fmt.Sprintf("contains a control character (%U)", ch))
		}
	}
	name := collapseSpace(r.cells[fName].value)
	switch {
	case strings.Contains(r.cells[fName].value, "\n"):
		return r.fail(fName, "the account name runs over several lines, so a quote is probably missing or stray; close the quoted field or remove the quote")
	case name == "":
		return r.fail(fName, "account name is empty")
	case utf8.RuneCountInString(name) > maxNameRunes:
		return r.fail(fName, fmt.Sprintf("account name is longer than %d characters", maxNameRunes))
	case validation.Line(name) != "":
		// Bidirectional controls make a name read differently on screen from what is stored.
		return r.fail(fName, "account name "+validation.Line(name))
	}
	key := strings.ToLower(name)
	if first, ok := c.firstLine[key]; ok {
		return r.fail(fName, fmt.Sprintf("duplicate account %q (first on line %d)", name, first))
	}

	a := Account{
		Name:    name,
		Segment: collapseSpace(r.cells[fSegment].value),
		CRMID:   collapseSpace(r.cells[fCRMID].value),
		CRM: CRMContext{
			Health:          collapseSpace(r.cells[fHealth].value),
			OpenOpportunity: collapseSpace(r.cells[fOpenOpp].value),
			Notes:           strings.TrimSpace(r.cells[fNotes].value),
		},
	}
	var err error
	if a.ARR, a.Currency, a.Kronor, err = arrOf(r, fARR); err != nil {
		return err
	}
	if a.RenewalDate, err = dateOf(r, fRenewal, c.order); err != nil {
		return err
	}
	if a.CRM.LastContact, err = dateOf(r, fLastContact, c.order); err != nil {
		return err
	}
	if a.Successor, err = emailOf(r, fSuccessor); err != nil {
		return err
	}
	c.firstLine[key] = r.line
	c.accounts = append(c.accounts, a)
	return nil
}

// placeholders are what CRMs and people write for "no value"; treating them as empty spares the manager
// from cleaning every "N/A" out of an export before the import is accepted.
var placeholders = map[string]bool{
	"-": true, "–": true, "—": true, "?": true, "n/a": true, "na": true, "#n/a": true,
	"none": true, "null": true, "nil": true, "tbd": true, "unknown": true,
}

func optional(r *rawRow, f field) (string, bool) {
	v := strings.TrimSpace(r.cells[f].value)
	if v == "" || placeholders[strings.ToLower(v)] {
		return "", false
	}
	return v, true
}

func arrOf(r *rawRow, f field) (arr *float64, currency string, kronor bool, err error) {
	v, ok := optional(r, f)
	if !ok {
		return nil, "", false, nil
	}
	m, err := ParseMoney(v)
	if err != nil {
		return nil, "", false, r.fail(f, fmt.Sprintf("%q is not an amount", v))
	}
	if m.Amount < 0 {
		return nil, "", false, r.fail(f, fmt.Sprintf("%q is negative; ARR cannot be below zero", v))
	}
	return &m.Amount, m.Currency, m.Kronor, nil
}

// kronor are the currencies written "kr".
var kronor = map[string]bool{"SEK": true, "NOK": true, "DKK": true}

// CurrencyIn is the currency of the account's ARR in a session whose amounts are in def unless they say
// otherwise: the one the amount named, else def. An amount in "kr" alone takes def only when def is a
// krona; otherwise nobody can tell whose kronor they are, and the error says how to settle it.
func (a Account) CurrencyIn(def string) (string, error) {
	switch {
	case a.Currency != "":
		return a.Currency, nil
	case a.Kronor && !kronor[def]:
		return "", errors.New(`is in "kr", which may be Swedish, Norwegian or Danish kronor: write SEK, NOK or DKK with the amount, or make one of them the session's currency`)
	}
	return def, nil
}

func dateOf(r *rawRow, f field, order DateOrder) (*time.Time, error) {
	v, ok := optional(r, f)
	if !ok {
		return nil, nil
	}
	d, err := ParseDateOrder(v, order)
	var amb *AmbiguousDateError
	if errors.As(err, &amb) {
		return nil, r.fail(f, amb.Error())
	}
	if err != nil {
		return nil, r.fail(f, fmt.Sprintf("%q is not a date; use a format like 2026-03-15", v))
	}
	return &d, nil
}

// emailOf accepts "jane@example.com" and the "Jane Doe <jane@example.com>" form CRMs export for owners.
func emailOf(r *rawRow, f field) (string, error) {
	v, ok := optional(r, f)
	if !ok {
		return "", nil
	}
	addr := v
	if strings.Contains(v, "<") {
		if a, err := mail.ParseAddress(v); err == nil {
			addr = a.Address
		}
	}
	addr = strings.ToLower(addr)
	local, domain, found := strings.Cut(addr, "@")
	if !found || local == "" || domain == "" || strings.Contains(domain, "@") ||
		strings.ContainsFunc(addr, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",;<>\"", r) }) {
		return "", r.fail(f, fmt.Sprintf("%q is not an e-mail address", v))
	}
	return addr, nil
}

// controlChar reports the first control character other than tab and newline: such bytes come from binary
// junk or broken encodings and would corrupt what the interviewer and the report show.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if r != '\t' && r != '\n' && unicode.IsControl(r) {
			return r, true
		}
	}
	return 0, false
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
