package report

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/store"
)

// handoverInput is one account with the people and promises a careful handover must tell apart: a
// contact to introduce, one who left, one on leave, one not to be contacted (with the reason), the
// successor and the CSM named in the answers, and commitments due before the last day, after it, and on
// no date at all.
func handoverInput() Input {
	departure := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	person := func(id string, fields map[string]string) store.Finding {
		return store.Finding{AccountID: "acc-1", MessageID: id, Type: "stakeholder", Text: fields["name"], Fields: fields}
	}
	promise := func(id, what, due string) store.Finding {
		fields := map[string]string{"what": what, "to_whom": "Karen Liu"}
		if due != "" {
			fields["due_date"] = due
		}
		return store.Finding{AccountID: "acc-1", MessageID: id, Type: "commitment", Text: "I promised " + what + ".", Fields: fields}
	}
	return Input{
		Interview:      store.Interview{ID: "iv-h", CSMName: "Dana Whitfield", DepartureDate: departure, Status: "completed"},
		Manager:        store.User{Name: "Maria Keller", Email: "maria.keller@example.com"},
		Accounts:       []store.Account{{ID: "acc-1", Name: "Northwind", SuccessorEmail: "sam.okafor@example.com", Depth: "brief"}},
		SuccessorNames: map[string]string{"sam.okafor@example.com": "Sam Okafor"},
		Findings: []store.Finding{
			person("m1", map[string]string{"name": "Dr. Karen Liu", "role": "VP Operations"}),
			person("m2", map[string]string{"name": "Marco Rossi", "status": "left"}),
			person("m3", map[string]string{"name": "Priya Shah", "status": "on_leave"}),
			person("m4", map[string]string{"name": "Tom Price", "do_not_contact": "yes", "reason": "he forwards everything to legal."}),
			person("m5", map[string]string{"name": "Sam Okafor", "role": "our new CSM"}),
			person("m6", map[string]string{"name": "Dana Whitfield"}),
			promise("m7", "a fix date for the export bug", "2027-01-08"),
			promise("m8", "send the QBR deck", "2027-02-20"),
			promise("m9", "a roadmap call", ""),
		},
		Now: departure.AddDate(0, 0, -30),
	}
}

// TestCommitmentsKeepTheirOwnDueDates: a commitment is due when it was promised, before the last day or
// after it; one promised on no date is due on the last day, and the item says so, until a person sets
// its date.
func TestCommitmentsKeepTheirOwnDueDates(t *testing.T) {
	t.Parallel()
	in := handoverInput()
	r, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	type due struct{ Title, Date, Note string }
	var got []due
	var roadmap ChecklistItem
	for _, it := range r.Checklist {
		if it.Kind == "commitment" {
			got = append(got, due{it.Title, it.DueDate, it.DueNote})
			if strings.Contains(it.Title, "roadmap") {
				roadmap = it
			}
		}
	}
	want := []due{
		{"Keep the commitment: a fix date for the export bug (promised to Karen Liu)", "2027-01-08", ""},
		{"Keep the commitment: send the QBR deck (promised to Karen Liu)", "2027-02-20", ""},
		{"Keep the commitment: a roadmap call (promised to Karen Liu)", "2027-01-15", "no date given; before the last day"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("commitment items (-want +got):\n%s", diff)
	}
	if md := string(Markdown(r)); !strings.Contains(md, "2027-01-15 (no date given; before the last day)") {
		t.Error("the Markdown checklist does not say the roadmap call had no date")
	}

	roadmap.DueDate = "2027-01-10"
	in.Checklist = map[string]ChecklistItem{roadmap.ID: roadmap}
	again, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range again.Checklist {
		if it.ID == roadmap.ID && (it.DueDate != "2027-01-10" || it.DueNote != "") {
			t.Errorf("a date a person set: %q, note %q", it.DueDate, it.DueNote)
		}
	}
}

// TestIntroductionsLeaveOutWhoMustNotBeContacted: the e-mail and the checklist introduce only the
// contact who may be contacted, greeted by her first name, for a meeting of three; the people who left,
// are on leave or must not be contacted are the e-mail's notes, not its greeting; the one not to be
// contacted is a caution on the checklist with the reason; the successor and the CSM are nobody's
// introduction.
func TestIntroductionsLeaveOutWhoMustNotBeContacted(t *testing.T) {
	t.Parallel()
	r, err := Build(handoverInput())
	if err != nil {
		t.Fatal(err)
	}
	e := r.Accounts[0].IntroEmail
	if diff := cmp.Diff([]string{"Dr. Karen Liu"}, e.To); diff != "" {
		t.Errorf("recipients (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(e.Body, "Hello Karen,\n") || !strings.Contains(e.Body, "for the three of us to meet") {
		t.Errorf("greeting or meeting:\n%s", e.Body)
	}
	for _, name := range []string{"Marco", "Priya", "Tom", "Dana Whitfield,"} {
		if strings.Contains(strings.SplitN(e.Body, "\n", 2)[0], name) {
			t.Errorf("the greeting names %s", name)
		}
	}
	wantNotes := []string{"Marco Rossi has left", "Priya Shah is on leave", "Do not contact Tom Price: he forwards everything to legal"}
	if diff := cmp.Diff(wantNotes, e.Notes); diff != "" {
		t.Errorf("notes for the successor (-want +got):\n%s", diff)
	}
	var introduce, caution []string
	for _, it := range r.Checklist {
		switch it.Kind {
		case "introduce":
			introduce = append(introduce, it.Title)
		case "caution":
			caution = append(caution, it.Title)
		}
	}
	if diff := cmp.Diff([]string{"Dana Whitfield introduces Sam Okafor to Dr. Karen Liu (VP Operations)"}, introduce); diff != "" {
		t.Errorf("introductions (-want +got):\n%s", diff)
	}
	if !slices.Equal(caution, wantNotes[2:]) {
		t.Errorf("cautions %q", caution)
	}
	md := string(Markdown(r))
	if !strings.Contains(md, "**"+emailNotesTitle+"**\n\n- Marco Rossi has left\n") {
		t.Error("the Markdown does not show the e-mail's notes")
	}
}
