package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// filesInput is the handover session with the files the CSM attached: a business review deck and a
// spreadsheet that were read, a scan that could not be, one still being read, and an escalation matrix
// for the whole portfolio.
func filesInput() Input {
	in := handoverInput()
	file := func(id, account, name, kind, state, reason string, units int) store.Attachment {
		return store.Attachment{ID: id, InterviewID: in.Interview.ID, AccountID: account, Name: name, Kind: kind, State: state, Reason: reason,
			Units: units, SHA256: strings.Repeat(id[len(id)-1:], 64), Size: 1000}
	}
	in.Attachments = []store.Attachment{
		file("f1", "acc-1", "Northwind Q3 QBR.pdf", "pdf", store.AttachmentReady, "", 12),
		file("f2", "acc-1", "renewals.xlsx", "xlsx", store.AttachmentReady, "", 1),
		file("f3", "acc-1", "signed order.pdf", "pdf", store.AttachmentUnreadable, "the PDF has no text layer (a scan?)", 0),
		file("f4", "acc-1", "kickoff notes.docx", "docx", store.AttachmentReading, "", 0),
		file("f5", "", "escalation matrix.xlsx", "xlsx", store.AttachmentReady, "", 3),
	}
	return in
}

// TestTheReportListsTheAttachedFiles: each account lists its files with what became of them, in the
// JSON, the Markdown and the PDF; the portfolio's files are listed with the playbooks; the checklist
// asks the successor to read the files that were read (a business review deck in the QBR task) and the
// CSM to send a readable copy of the one that could not be read.
func TestTheReportListsTheAttachedFiles(t *testing.T) {
	t.Parallel()
	r, err := Build(filesInput())
	if err != nil {
		t.Fatal(err)
	}
	a := r.Accounts[0]
	if len(a.Files) != 4 || a.Files[0].Name != "Northwind Q3 QBR.pdf" || a.Files[0].Units != 12 || a.Files[2].Reason == "" {
		t.Fatalf("account files %+v, want the four of Northwind in the order attached", a.Files)
	}
	if len(r.PortfolioFiles) != 1 || r.PortfolioFiles[0].Name != "escalation matrix.xlsx" {
		t.Fatalf("portfolio files %+v, want the escalation matrix", r.PortfolioFiles)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"files":[{"id":"f1","name":"Northwind Q3 QBR.pdf","kind":"pdf"`, `"state":"unreadable","reason":"the PDF has no text layer (a scan?)"`,
		`"portfolio_files":[{"id":"f5"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("the JSON does not hold %s", s)
		}
	}
	lines := []string{"Northwind Q3 QBR.pdf: 12 pages read", "renewals.xlsx: 1 sheet read",
		"signed order.pdf: could not be read (the PDF has no text layer (a scan?))", "kickoff notes.docx: still being read",
		"escalation matrix.xlsx: 3 sheets read"}
	md := string(Markdown(r))
	if !strings.Contains(md, "#### Attached files") {
		t.Error("the Markdown has no Attached files section")
	}
	for _, s := range lines {
		if !strings.Contains(md, s) {
			t.Errorf("the Markdown does not say %q", s)
		}
	}
	want := map[string]string{
		"qbr":           "Read the last QBR deck and its takeaways (attached: Northwind Q3 QBR.pdf)",
		"files":         "Read the files Dana Whitfield attached for Northwind: renewals.xlsx",
		"readable_copy": "Dana Whitfield sends a readable copy of signed order.pdf (the PDF has no text layer (a scan?))",
	}
	for kind, title := range want {
		found := false
		for _, it := range r.Checklist {
			if it.Kind == kind {
				found = true
				if it.Title != title {
					t.Errorf("%s task %q, want %q", kind, it.Title, title)
				}
				if kind == "readable_copy" && it.Owner != "maria.keller@example.com" {
					t.Errorf("the readable copy is asked by %q, want the manager", it.Owner)
				}
			}
		}
		if !found {
			t.Errorf("no %s task in %v", kind, r.Checklist)
		}
	}
	requireTools(t, "pdftotext")
	_, path := renderPDF(t, r)
	text := strings.Join(strings.Fields(pdfText(t, path, 0, 0)), " ")
	for _, s := range append(lines, "Attached files") {
		if !strings.Contains(text, s) {
			t.Errorf("the PDF does not say %q", s)
		}
	}
}

// TestNoFilesNoFileTasks: without attachments there is no Attached files section and no file task.
func TestNoFilesNoFileTasks(t *testing.T) {
	t.Parallel()
	r, err := Build(handoverInput())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(Markdown(r)), "Attached files") {
		t.Error("the Markdown has an Attached files section with no file attached")
	}
	for _, it := range r.Checklist {
		if it.Kind == "files" || it.Kind == "readable_copy" || strings.Contains(it.Title, "attached:") {
			t.Errorf("task %q with no file attached", it.Title)
		}
	}
}
