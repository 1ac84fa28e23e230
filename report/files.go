package report

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/exitinterview/exitinterview/filetext"
	"github.com/exitinterview/exitinterview/store"
)

// File is a file the CSM attached as evidence: its passages are searchable, and the report lists it
// under its account (or the portfolio) so the successor knows to read it and the manager sees what
// could not be read while the CSM is still there to send a readable copy.
type File struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"` // pdf, docx, xlsx, csv, pptx, txt or md
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	// State is reading (not read yet when the report was built), ready or unreadable (Reason says why).
	State  string `json:"state"`
	Reason string `json:"reason,omitempty"`
	// Units is how many pages, sheets or slides were read.
	Units int `json:"units"`
}

// filesTitle heads the files attached for an account or the portfolio.
const filesTitle = "Attached files"

// filesOf are the attachments of one account ("" for the portfolio), in the order they were attached.
func filesOf(all []store.Attachment, accountID string) []File {
	out := []File{}
	for _, a := range all {
		if a.AccountID == accountID {
			out = append(out, FileOf(a))
		}
	}
	return out
}

// FileOf is an attachment as the report and the account page list it.
func FileOf(a store.Attachment) File {
	return File{ID: a.ID, Name: a.Name, Kind: a.Kind, Size: a.Size, SHA256: a.SHA256, State: a.State, Reason: a.Reason, Units: a.Units}
}

// describe is a file's line in the report: "Q3 QBR deck.pdf: 12 pages read", "scan.pdf: could not be
// read (the PDF has no text layer (a scan?))".
func (f File) describe() string { return f.Name + ": " + f.Reported() }

// Outcome is what has become of the file so far: "12 pages read", "read", "could not be read (the PDF
// is encrypted)", "being read".
func (f File) Outcome() string {
	switch f.State {
	case store.AttachmentReady:
		if u := filetext.CountUnits(f.Kind, f.Units); u != "" {
			return u + " read"
		}
		return "read"
	case store.AttachmentUnreadable:
		return "could not be read (" + strings.TrimSuffix(f.Reason, ".") + ")"
	}
	return "being read"
}

// Reported is the Outcome as of the report: a file still being read says when.
func (f File) Reported() string {
	if f.State == store.AttachmentReading {
		return "still being read when this report was made"
	}
	return f.Outcome()
}

// businessReviewRE tells a business review deck by its name: "Q3 QBR.pptx", "EBR 2026.pdf",
// "quarterly business review - Globex.pdf".
var businessReviewRE = regexp.MustCompile(`(?i)(\b|_)(qbr|ebr)(\b|_)|business[ _-]?review`)

// fileTasks are the tasks an account's files ask for: the successor reads the files that were read
// (a business review deck joins the QBR task instead), and the CSM sends a readable copy of each that
// could not be read, before they leave.
//
//	files           "Read the files Dana attached for Northwind: renewals.xlsx, kickoff notes.docx"
//	readable_copy   "Dana sends a readable copy of scan.pdf (the PDF has no text layer (a scan?))"
func fileTasks(a Account, csm, owner, manager string, due func(int) string,
	add func(accountID, account, kind, about, title, owner, dueDate string, ids []string) *ChecklistItem) (decks []string) {
	var read []string
	for _, f := range a.Files {
		switch f.State {
		case store.AttachmentReady:
			if businessReviewRE.MatchString(f.Name) {
				decks = append(decks, f.Name)
			} else {
				read = append(read, f.Name)
			}
		case store.AttachmentUnreadable:
			add(a.ID, a.Name, "readable_copy", f.SHA256, fmt.Sprintf("%s sends a readable copy of %s (%s)", csm, f.Name,
				strings.TrimSuffix(f.Reason, ".")), manager, due(dueGaps), nil)
		}
	}
	if len(read) > 0 {
		add(a.ID, a.Name, "files", "", fmt.Sprintf("Read the files %s attached for %s: %s", csm, a.Name, strings.Join(read, ", ")), owner,
			due(dueContextMeeting), nil)
	}
	return decks
}
