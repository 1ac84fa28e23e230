// Package validation carries field-level input errors from the domain packages to the HTTP layer, which
// turns them into a 400 with the fields named in the API's error shape, and the rules for text that
// every request's values must follow.
package validation

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Errors maps a field name to what is wrong with it.
type Errors map[string]string

// Add records a problem with field, keeping the first one.
func (e Errors) Add(field, problem string) {
	if _, ok := e[field]; !ok {
		e[field] = problem
	}
}

// Err returns e as an error, or nil when e is empty.
func (e Errors) Err() error {
	if len(e) == 0 {
		return nil
	}
	return e
}

func (e Errors) Error() string {
	fields := make([]string, 0, len(e))
	for f := range e {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f + " " + e[f]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Encoding returns what is wrong with s as text PostgreSQL can store, or "": it must be valid UTF-8
// without NUL bytes. Every value a request carries is checked with it before any handler sees it.
func Encoding(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "must be valid UTF-8 text"
	case strings.IndexByte(s, 0) >= 0:
		return "must not contain NUL bytes"
	}
	return ""
}

// Line returns what is wrong with s as a one-line name (a person's, an account's), or "": besides
// Encoding's rules, no control characters at all and no bidirectional controls, which can make a name
// read differently on screen from what is stored.
func Line(s string) string {
	if p := Encoding(s); p != "" {
		return p
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return "must not contain control characters or line breaks"
		case isBidiControl(r):
			return "must not contain bidirectional text controls"
		}
	}
	return ""
}

// Multiline is Line for text of several lines (a question, a correction): line breaks and tabs are
// allowed, other control characters and bidirectional controls are not.
func Multiline(s string) string {
	if p := Encoding(s); p != "" {
		return p
	}
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
		case unicode.IsControl(r):
			return "must not contain control characters"
		case isBidiControl(r):
			return "must not contain bidirectional text controls"
		}
	}
	return ""
}

// isBidiControl reports the invisible characters that reorder text: embeddings and overrides
// (U+202A–U+202E), isolates (U+2066–U+2069) and the left-to-right and right-to-left marks.
func isBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F
}
