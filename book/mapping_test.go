package book

import (
	"slices"
	"strings"
	"testing"
)

const crmExport = "Company;Revenue;Contract End;Owner\nNorthwind Traders;$240,000;2027-03-15;ana@example.com\nGlobex;180000;2027-06-30;\n"

// TestGuessColumnsSaysWhatEachColumnFeeds: the preview shows the importer's guess per column, and a column
// it does not know is left out.
func TestGuessColumnsSaysWhatEachColumnFeeds(t *testing.T) {
	cols, err := GuessColumns(crmExport)
	if err != nil {
		t.Fatal(err)
	}
	want := []Column{{"Company", "name"}, {"Revenue", ""}, {"Contract End", "renewal_date"}, {"Owner", ""}}
	if !slices.Equal(cols, want) {
		t.Fatalf("columns %+v, want %+v", cols, want)
	}
}

// TestParseCSVTextWithChosenColumns: the manager's choice of columns is what the accounts are read with.
func TestParseCSVTextWithChosenColumns(t *testing.T) {
	guessed, err := ParseCSVText(crmExport, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if guessed[0].ARR != nil || guessed[0].Successor != "" {
		t.Fatalf("unknown columns were read: %+v", guessed[0])
	}
	accounts, err := ParseCSVText(crmExport, "", []string{"name", "arr", "renewal_date", "successor"})
	if err != nil {
		t.Fatal(err)
	}
	if a := accounts[0]; a.Name != "Northwind Traders" || a.ARR == nil || *a.ARR != 240000 || a.Successor != "ana@example.com" ||
		!a.RenewalDate.Equal(*day(2027, 3, 15)) {
		t.Fatalf("mapped account %+v", a)
	}
	// The renewal column left out: no renewal dates, nothing else changes.
	accounts, err = ParseCSVText(crmExport, "", []string{"name", "arr", "", ""})
	if err != nil || accounts[1].RenewalDate != nil || *accounts[1].ARR != 180000 {
		t.Fatalf("without the renewal column: %+v %v", accounts, err)
	}
}

func TestParseCSVTextRefusesABadMapping(t *testing.T) {
	for _, tc := range []struct {
		mapping []string
		column  string
		msg     string
	}{
		{[]string{"", "arr", "renewal_date", ""}, "", "no column is used as the account name"},
		{[]string{"name", "arr", "arr", ""}, "Contract End", "ARR is chosen for two columns"},
		{[]string{"name", "arr"}, "", "for 2 columns, but the file has 4"},
		{[]string{"name", "revenue", "", ""}, "", `"revenue" is not a field`},
	} {
		_, err := ParseCSVText(crmExport, "", tc.mapping)
		wantParseError(t, err, 1, tc.column, tc.msg)
	}
	// Text that comes back from a browser is checked like typed text.
	_, err := ParseCSVText("Name\nAcme\xff\n", "", nil)
	wantParseError(t, err, 2, "", "not valid UTF-8")
}

func TestDecodeCSVKeepsTheTextTheParserReads(t *testing.T) {
	text, err := DecodeCSV(strings.NewReader("Name,ARR\r\nCaf\xe9 Ltd,100\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if text != "Name,ARR\nCafé Ltd,100\n" {
		t.Fatalf("decoded %q", text)
	}
	_, err = DecodeCSV(strings.NewReader("PK\x03\x04rest"))
	wantParseError(t, err, 1, "", "Excel workbook")
}

// TestMergeJoinsAccountsNamedAlike: typed rows and a file's rows make one list; an account in both keeps
// the typed values and takes the file's for what was not typed.
func TestMergeJoinsAccountsNamedAlike(t *testing.T) {
	typed := []Account{{Name: "Northwind Traders", ARR: f64(250000)}, {Name: "Initech"}}
	file := []Account{{Name: "Globex"}, {Name: "northwind  traders", ARR: f64(240000), RenewalDate: day(2027, 3, 15), Segment: "Enterprise"}}
	out, merged := Merge(typed, file)
	var names []string
	for _, a := range out {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"Northwind Traders", "Initech", "Globex"}) || !slices.Equal(merged, []string{"Northwind Traders"}) {
		t.Fatalf("merged %v, told %v", names, merged)
	}
	if n := out[0]; *n.ARR != 250000 || n.RenewalDate == nil || n.Segment != "Enterprise" {
		t.Fatalf("the merged account %+v", n)
	}
}

func TestFieldChoicesFollowTheFields(t *testing.T) {
	for f, k := range fieldKeys {
		if FieldChoices[f].Key != k {
			t.Fatalf("choice %d is %q, field key %q", f, FieldChoices[f].Key, k)
		}
	}
}
