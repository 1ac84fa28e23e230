package book

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func f64(v float64) *float64 { return &v }

func day(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// wantParseError checks that err is a *ParseError at line and column whose message contains msg.
func wantParseError(t *testing.T, err error, line int, column, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("got error %v (%T), want a *ParseError", err, err)
	}
	if pe.Line != line || pe.Column != column || !strings.Contains(pe.Msg, msg) {
		t.Fatalf("got %#v, want line %d, column %q, message containing %q", pe, line, column, msg)
	}
}

// checkResult holds for every input: success gives valid accounts, failure a located *ParseError.
func checkResult(t *testing.T, accounts []Account, err error) {
	t.Helper()
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line < 1 || pe.Msg == "" {
			t.Fatalf("error %v (%T) is not a *ParseError with a line", err, err)
		}
		if accounts != nil {
			t.Fatalf("accounts returned with an error")
		}
		return
	}
	if len(accounts) == 0 || len(accounts) > maxAccounts {
		t.Fatalf("%d accounts without an error", len(accounts))
	}
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.Name == "" || utf8.RuneCountInString(a.Name) > maxNameRunes || a.Name != strings.TrimSpace(a.Name) {
			t.Fatalf("bad name %q", a.Name)
		}
		if _, bad := controlChar(a.Name + a.Segment + a.CRMID + a.CRM.Notes + a.CRM.Health); bad {
			t.Fatalf("control character kept in %+v", a)
		}
		key := strings.ToLower(a.Name)
		if seen[key] {
			t.Fatalf("duplicate name %q accepted", a.Name)
		}
		seen[key] = true
		if a.ARR != nil && (*a.ARR < 0 || *a.ARR != *a.ARR) {
			t.Fatalf("bad ARR %v for %q", *a.ARR, a.Name)
		}
		if a.Successor != "" && (!strings.Contains(a.Successor, "@") || a.Successor != strings.ToLower(a.Successor)) {
			t.Fatalf("bad successor %q", a.Successor)
		}
	}
}
