package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestChecklistCSV(t *testing.T) {
	t.Parallel()
	r := smallReport()
	r.Accounts = append(r.Accounts, Account{Name: "Beta, \"the\" second"})
	r.Checklist = []ChecklistItem{
		{ID: "p1", Kind: "credential", Title: "=HYPERLINK(\"http://evil\",\"x\")", Owner: "+manager", DueDate: "2026-01-20", MessageIDs: []string{"m2"}},
		{ID: "b1", Account: "Beta, \"the\" second", Kind: "introduce", Title: "Line one\nline two", Owner: "@successor", Done: true},
		{ID: "k1", Account: "Kyoto 京都 Ltd", Kind: "gap", Title: "-1 is a number", Owner: "\tindented", MessageIDs: []string{"m2", "m1", "m2"}},
		{ID: "k2", Account: "Kyoto 京都 Ltd", Kind: "commitment", Title: "\rreturn", Owner: "manager"},
	}
	out, err := ChecklistCSV(r)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v\n%s", err, out)
	}
	want := [][]string{
		{"id", "account", "kind", "title", "owner", "due_date", "done", "sources"},
		// Per account in the report's order, then portfolio-wide.
		{"k1", "Kyoto 京都 Ltd", "gap", "'-1 is a number", "'\tindented", "", "false", "#1 #2"},
		{"k2", "Kyoto 京都 Ltd", "commitment", "'\rreturn", "manager", "", "false", ""},
		{"b1", "Beta, \"the\" second", "introduce", "Line one\nline two", "'@successor", "", "true", ""},
		{"p1", "", "credential", "'=HYPERLINK(\"http://evil\",\"x\")", "'+manager", "2026-01-20", "false", "#2"},
	}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("CSV rows (-want +got):\n%s", d)
	}
	if !bytes.HasPrefix(out, []byte("id,account,kind,title,owner,due_date,done,sources\n")) {
		t.Errorf("header line: %q", out[:60])
	}
}

func TestChecklistCSVEmpty(t *testing.T) {
	t.Parallel()
	out, err := ChecklistCSV(&Report{})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "id,account,kind,title,owner,due_date,done,sources\n" {
		t.Errorf("empty checklist: %q", out)
	}
}
