// Package validation carries field-level input errors from the domain packages to the HTTP layer, which
// turns them into a 400 with the fields named (the API's error shape).
package validation

import (
	"sort"
	"strings"
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
