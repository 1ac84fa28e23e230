package book

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	mar15 := time.Date(2026, time.March, 15, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		in   string
		want time.Time
	}{
		{"ISO", "2026-03-15", mar15},
		{"ISO with slashes", "2026/03/15", mar15},
		{"ISO with dots", "2026.03.15", mar15},
		{"ISO without padding", "2026-3-5", time.Date(2026, time.March, 5, 0, 0, 0, 0, time.UTC)},
		{"RFC 3339 UTC", "2026-03-15T00:00:00Z", mar15},
		{"RFC 3339 offset", "2026-03-15T23:30:00-08:00", mar15},
		{"RFC 3339 fractional seconds", "2026-03-15T09:00:00.123456+01:00", mar15},
		{"offset without colon", "2026-03-15T09:00:00.000+0000", mar15},
		{"SQL timestamp", "2026-03-15 14:05:09", mar15},
		{"day month-name year", "15 March 2026", mar15},
		{"month-name day, year", "March 15, 2026", mar15},
		{"abbreviated, no comma", "Mar 15 2026", mar15},
		{"abbreviation with dot", "Mar. 15, 2026", mar15},
		{"ordinal day", "15th Mar 2026", mar15},
		{"ordinal after month", "March 15th, 2026", mar15},
		{"weekday prefix", "Sunday, March 15, 2026", mar15},
		{"lower case month", "15 march 2026", mar15},
		{"Sept", "1 Sept 2026", time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC)},
		{"dashed month abbreviation", "15-Mar-2026", mar15},
		{"dashed two-digit year", "15-Mar-26", mar15},
		{"year first with month name", "2026-Mar-15", mar15},
		{"dotted day first", "15.03.2026", mar15},
		{"dotted day first, small day", "05.03.2026", time.Date(2026, time.March, 5, 0, 0, 0, 0, time.UTC)},
		{"dotted two-digit year", "15.03.26", mar15},
		{"US month first", "3/15/2026", mar15},
		{"US padded two-digit year", "03/15/26", mar15},
		{"the same day either way", "05/05/2026", time.Date(2026, time.May, 5, 0, 0, 0, 0, time.UTC)},
		{"day first when first > 12", "15/03/2026", mar15},
		{"US dashes", "03-15-2026", mar15},
		{"Salesforce date and time", "3/15/2026, 10:30 AM", mar15},
		{"time with pm", "3/15/2026 9:05 pm", mar15},
		{"leap day", "2028-02-29", time.Date(2028, time.February, 29, 0, 0, 0, 0, time.UTC)},
		{"CRM no-end sentinel", "9999-12-31", time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)},
		{"surrounding whitespace", "  2026-03-15 ", mar15},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tc.in)
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Fatalf("ParseDate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseDateRejects(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in string }{
		{"empty", ""},
		{"words", "next spring"},
		{"February 30", "2026-02-30"},
		{"February 29 outside a leap year", "29.02.2026"},
		{"April 31", "April 31, 2026"},
		{"month 13", "2026-13-01"},
		{"day 0", "2026-03-00"},
		{"both numbers above 12", "15/13/2026"},
		{"no year", "March 15"},
		{"quarter", "Q3 2026"},
		{"year only", "2026"},
		{"month and year", "03/2026"},
		{"mixed separators", "2026-03/15"},
		{"three-digit year", "15.03.202"},
		{"five-digit year", "2026-03-155"},
		{"year too early", "1850-01-01"},
		{"unknown month", "15 Marz 2026"},
		{"two months", "March April 2026"},
		{"bad time", "2026-03-15T25:00:00Z"},
		{"garbage after date", "2026-03-15 maybe"},
		{"compact", "20260315"},
		{"placeholder", "N/A"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tc.in)
			if err == nil {
				t.Fatalf("ParseDate(%q) = %v, want an error", tc.in, got)
			}
			if !strings.Contains(err.Error(), strconv.Quote(tc.in)) {
				t.Fatalf("error %q does not quote the input %q", err, tc.in)
			}
		})
	}
}
