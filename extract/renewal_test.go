package extract

import (
	"testing"
	"time"
)

// TestRenewalDateIsTheCSMs: the renewal's date is the one the CSM gives, not the CRM's they call wrong,
// and within a clause the one the renewal word leads to.
func TestRenewalDateIsTheCSMs(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ text, want string }{
		{"CRM says 31 March, that's wrong, they moved it when they re-papered last year. It's end of April, the 30th.", "2027-04-30"},
		{"Please note that the CRM lists the renewal as March 15, which is no longer correct. We co-termed the contract, and the renewal moved to the end of April.", "2027-04-30"},
		{"When we added the Cranston office in September, we co-termed the contract, and the renewal moved to the end of April.", "2027-04-30"},
		{"The renewal is on 31 March and the CRM has it right.", "2027-03-31"},
		{"It renews 31 March, and we had the QBR in October.", "2027-03-31"},
	} {
		got := ""
		for _, f := range Offline(tc.text, Context{Topics: []string{"renewal"}, Today: today}) {
			if f.Type == Renewal {
				got = f.Fields["date"]
			}
		}
		if got != tc.want {
			t.Errorf("%q: renewal date %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestAppositionGivesARole: a role right before a name, without "the", is the person's role: "a temp,
// Jordan Reyes", "chief of staff, keiko", "his replacement Yesenia", "Her deputy is Jannik"; a label
// ("admin: Tom Berg") and a verb ("I spoke to Karen") are not.
func TestAppositionGivesARole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ text, name, role string }{
		{"Now there is a temp, Jordan Reyes, since 3 weeks.", "Jordan Reyes", "temp"},
		{"chief of staff, keiko, is the gatekeeper", "keiko", "chief of staff"},
		{"his replacement Yesenia started in November.", "Yesenia", "replacement"},
		{"Her deputy is Jannik Sörensen.", "Jannik Sörensen", "deputy"},
		{"I spoke to Karen Liu yesterday about the renewal, she is fine.", "Karen Liu", ""},
	} {
		got, found := "", false
		for _, f := range Offline(tc.text, Context{Topics: []string{"stakeholders"}}) {
			if f.Type == Stakeholder && f.Fields["name"] == tc.name {
				got, found = f.Fields["role"], true
			}
		}
		if !found || got != tc.role {
			t.Errorf("%q: %s found %v with role %q, want %q", tc.text, tc.name, found, got, tc.role)
		}
	}
}

// TestReadingsAreKeptButNotShared: the same text in the same context reads the same from the second time
// on, a caller changing its findings does not change what the next caller gets, and another day is
// another context.
func TestReadingsAreKeptButNotShared(t *testing.T) {
	t.Parallel()
	text := "The renewal is on 31 March, Marco Rossi signs it."
	renewalOn := func(today time.Time) []Finding {
		for _, f := range Offline(text, Context{Topics: []string{"renewal"}, Today: today}) {
			if f.Type == Renewal {
				return []Finding{f}
			}
		}
		t.Fatalf("no renewal read on %s", today.Format(time.DateOnly))
		return nil
	}
	dec := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	first := renewalOn(dec)
	first[0].Fields["date"] = "changed by a caller"
	if second := renewalOn(dec); second[0].Fields["date"] != "2027-03-31" {
		t.Fatalf("the kept reading was changed through a caller's copy: %v", second[0].Fields)
	}
	if later := renewalOn(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)); later[0].Fields["date"] != "2028-03-31" {
		t.Errorf("another day read as the first: %v", later[0].Fields)
	}
}

// TestWhereSomeoneCameFromIsNoPerson: the firm a person came from is not a person, even when it is also
// a given name ("Otto").
func TestWhereSomeoneCameFromIsNoPerson(t *testing.T) {
	t.Parallel()
	for _, f := range Offline("Her deputy is Jannik Sörensen, he came in September from Otto, new in the role.", Context{Topics: []string{"stakeholders"}}) {
		if f.Type == Stakeholder && f.Fields["name"] == "Otto" {
			t.Errorf("Otto read as a person: %v", f.Fields)
		}
	}
}
