package book

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func utcDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestAmbiguousDatesNeedAnOrder: 01/02/2027 is 1 February in most of the world and 2 January in the US;
// without an order it is refused with both readings, with one it is read that way.
func TestAmbiguousDatesNeedAnOrder(t *testing.T) {
	t.Parallel()
	_, err := ParseDate("01/02/2027")
	var amb *AmbiguousDateError
	if !errors.As(err, &amb) {
		t.Fatalf("ParseDate(01/02/2027): %v, want an ambiguous date", err)
	}
	for _, want := range []string{`"01/02/2027"`, "1 February 2027", "2 January 2027", "2027-02-01", "2027-01-02", "date order"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	cases := []struct {
		in    string
		order DateOrder
		want  time.Time
	}{
		{"01/02/2027", DayFirst, utcDay(2027, time.February, 1)},
		{"01/02/2027", MonthFirst, utcDay(2027, time.January, 2)},
		{"1-2-27", DayFirst, utcDay(2027, time.February, 1)},
		{"01/02/2027 10:30 AM", MonthFirst, utcDay(2027, time.January, 2)},
		// Dates that can be read one way only ignore the order; dotted dates are day first; ISO is ISO.
		{"15/03/2027", MonthFirst, utcDay(2027, time.March, 15)},
		{"03/15/2027", DayFirst, utcDay(2027, time.March, 15)},
		{"01.02.2027", "", utcDay(2027, time.February, 1)},
		{"2027-01-02", "", utcDay(2027, time.January, 2)},
		{"07/07/2027", "", utcDay(2027, time.July, 7)},
	}
	for _, tc := range cases {
		got, err := ParseDateOrder(tc.in, tc.order)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseDateOrder(%q, %q) = %v, %v; want %v", tc.in, tc.order, got, err, tc.want)
		}
	}
	if _, err := ParseDateOrder("31/02/2027", DayFirst); err == nil {
		t.Error("31 February was accepted")
	}
}

func TestInferDateOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   []string
		want DateOrder
	}{
		{[]string{"01/02/2027", "25/12/2026"}, DayFirst},
		{[]string{"01/02/2027", "12/25/2026", ""}, MonthFirst},
		{[]string{"01/02/2027", "03/04/2027"}, ""},
		{[]string{"25/12/2026", "12/25/2026"}, ""}, // the file says both
		{[]string{"2027-12-25", "25.12.2026", "March 15, 2026"}, ""},
	}
	for _, tc := range cases {
		if got := InferDateOrder(tc.in); got != tc.want {
			t.Errorf("InferDateOrder(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseDateOrderName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]DateOrder{"": "", "DMY": DayFirst, " mdy ": MonthFirst} {
		if got, ok := ParseDateOrderName(in); !ok || got != want {
			t.Errorf("ParseDateOrderName(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"YMD", "day first", "DMY\x00"} {
		if _, ok := ParseDateOrderName(in); ok {
			t.Errorf("ParseDateOrderName(%q) was accepted", in)
		}
	}
}

// TestFileDatesInOrder: a file's ambiguous dates follow its unambiguous ones, or the order given; with
// neither the import is refused at the line of the first ambiguous date.
func TestFileDatesInOrder(t *testing.T) {
	t.Parallel()
	dayFirstFile := "Account Name,Renewal Date\nAcme,01/02/2027\nGlobex,25/12/2026\n"
	got, err := ParseCSV(strings.NewReader(dayFirstFile))
	if err != nil || !got[0].RenewalDate.Equal(utcDay(2027, time.February, 1)) {
		t.Fatalf("day-first file: %v %v", got, err)
	}
	monthFirstText := "Acme, 240k, 01/02/2027\nGlobex, 10k, 12/25/2026\n"
	got, err = ParseText(monthFirstText)
	if err != nil || !got[0].RenewalDate.Equal(utcDay(2027, time.January, 2)) {
		t.Fatalf("month-first text: %v %v", got, err)
	}

	unknown := "Account Name,Renewal Date,Last Contact\nAcme,2027-05-01,\nGlobex,01/02/2027,\n"
	_, err = ParseCSV(strings.NewReader(unknown))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Column != "Renewal Date" || !strings.Contains(pe.Msg, "1 February 2027 or 2 January 2027") {
		t.Fatalf("ambiguous file: %v", err)
	}
	got, err = ParseCSVOrder(strings.NewReader(unknown), DayFirst)
	if err != nil || !got[1].RenewalDate.Equal(utcDay(2027, time.February, 1)) {
		t.Fatalf("ambiguous file, day first: %v %v", got, err)
	}
	got, err = ParseTextOrder("Globex | 1 | 01/02/2027", MonthFirst)
	if err != nil || !got[0].RenewalDate.Equal(utcDay(2027, time.January, 2)) {
		t.Fatalf("ambiguous text, month first: %v %v", got, err)
	}
	if _, err := ParseText("Globex | 1 | 03/04/2027"); !errors.As(err, &pe) || pe.Line != 1 {
		t.Fatalf("ambiguous text: %v", err)
	}
}

// TestUnclosedQuoteIsRefused: a quote that is never closed would swallow every later row into one
// field; the import is refused at the line where it opens. Stray quotes inside fields stay accepted.
func TestUnclosedQuoteIsRefused(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		line     int
	}{
		{"at the end", "Account Name,ARR\nAcme,1\n\"Globex,2\nInitech,3\nUmbrella,4\n", 3},
		{"in a later column", "Account Name;Notes\nAcme;\"call before noon\nGlobex;x\n", 2},
		{"tab separated", "Account Name\tNotes\nAcme\t\"oops\nGlobex\tx\n", 2},
		{"after leading spaces", "Account Name, Notes\nAcme,  \"open\nGlobex, x\n", 2},
	}
	for _, tc := range cases {
		_, err := ParseCSV(strings.NewReader(tc.in))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != tc.line || !strings.Contains(pe.Msg, "never closed") {
			t.Errorf("%s: %v, want an unclosed quote on line %d", tc.name, err, tc.line)
		}
		if _, err := ParseText(tc.in); !errors.As(err, &pe) || pe.Line != tc.line {
			t.Errorf("%s (pasted): %v, want an unclosed quote on line %d", tc.name, err, tc.line)
		}
	}
	// A quote closed on a later line leaves a name over several lines: also refused, not one account.
	_, err := ParseCSV(strings.NewReader("Account Name,ARR\n\"Acme,1\nGlobex\",2\nInitech,3\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(pe.Msg, "quote") {
		t.Errorf("name over two lines: %v", err)
	}
	ok := []string{
		"Account Name,Notes\nAcme,\"27\"\" monitor, \"\"quoted\"\"\"\nGlobex,x\n",
		"Account Name,Notes\nAcme,a 27\" monitor\nGlobex,x\n",
		"Account Name,Notes\nAcme,\"two\nlines\"\nGlobex,x\n",
		"Account Name,Notes\nAcme,\"ends at the end\"",
	}
	for _, in := range ok {
		got, err := ParseCSV(strings.NewReader(in))
		if err != nil || len(got) < 1 {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
}

func TestBidiControlsInNamesAreRefused(t *testing.T) {
	t.Parallel()
	_, err := ParseCSV(strings.NewReader("Account Name,ARR\nAcme,1\nevil\u202egnp.exe,2\n"))
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || !strings.Contains(pe.Msg, "bidirectional") {
		t.Fatalf("CSV: %v", err)
	}
	if _, err := ParseText("Acme\n\u2066Globex\u2069\n"); !errors.As(err, &pe) || pe.Line != 2 {
		t.Fatalf("text: %v", err)
	}
	// Right-to-left letters themselves are fine.
	if got, err := ParseText("شركة الأمل\n"); err != nil || len(got) != 1 {
		t.Fatalf("Arabic name: %v %v", got, err)
	}
}
