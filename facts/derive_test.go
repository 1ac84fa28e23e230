package facts

import (
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

func finding(msg, account, typ, text string, fields map[string]string) store.Finding {
	return store.Finding{InterviewID: "iv", AccountID: account, MessageID: msg, Type: typ, Text: text, Fields: fields}
}

// TestDeriveMakesOnePersonOfEveryWayTheyAreNamed: "Karen", "Karen Liu" and "KL" are one person under
// the fullest name, with the latest role, what was said of their status, and do-not-contact once said.
func TestDeriveMakesOnePersonOfEveryWayTheyAreNamed(t *testing.T) {
	got := Derive([]store.Finding{
		finding("m1", "a", "stakeholder", "Karen runs ops.", map[string]string{"name": "Karen", "relationship": "champion"}),
		finding("m2", "a", "stakeholder", "Karen Liu, VP Ops, signs.", map[string]string{"name": "Karen Liu", "role": "VP Ops", "relationship": "decision maker"}),
		finding("m3", "a", "stakeholder", "KL is on maternity leave.", map[string]string{"name": "KL", "status": "on_leave"}),
		finding("m3", "a", "stakeholder", "Never cc Tom.", map[string]string{"name": "Tom", "do_not_contact": "yes", "reason": "Never cc Tom."}),
		finding("m4", "a", "stakeholder", "Tom Price is new.", map[string]string{"name": "Tom Price", "status": "new", "relationship": "detractor"}),
		finding("m4", "b", "stakeholder", "Karen at the other account.", map[string]string{"name": "Karen"}),
	})
	if len(got) != 3 {
		t.Fatalf("want 3 people (two at a, one at b), got %d: %+v", len(got), got)
	}
	karen, tom := got[0], got[1]
	if karen.Fields["name"] != "Karen Liu" || karen.Fields["role"] != "VP Ops" || karen.Fields["relationship"] != "decision_maker" ||
		karen.Fields["status"] != "on_leave" || len(karen.Sources) != 3 {
		t.Errorf("Karen: %+v", karen)
	}
	if tom.Fields["name"] != "Tom Price" || tom.Fields["do_not_contact"] != "yes" || tom.Fields["reason"] != "Never cc Tom." ||
		tom.Fields["status"] != "new" || tom.Fields["relationship"] != "other" || tom.Fields["sentiment"] != "negative" {
		t.Errorf("Tom: %+v", tom)
	}
	if Contactable(karen) || Contactable(tom) || !Contactable(got[2]) {
		t.Errorf("contactable: Karen %v, Tom %v, the other Karen %v", Contactable(karen), Contactable(tom), Contactable(got[2]))
	}
	if got[2].AccountID != "b" {
		t.Errorf("a person of another account merged: %+v", got[2])
	}
}

// TestDeriveGivesAnAccountOneRiskAndOneRenewal: the latest stated level wins; drivers gather; a renewal
// takes the latest of each field; a promise said twice is one commitment with the latest due date.
func TestDeriveGivesAnAccountOneRiskAndOneRenewal(t *testing.T) {
	got := Derive([]store.Finding{
		finding("m1", "a", "risk", "Low risk, they love us.", map[string]string{"level": "low"}),
		finding("m2", "a", "risk", "Actually 3 demos with Samsara, I'd call it severe.", map[string]string{"level": "critical", "competitor": "Samsara"}),
		finding("m3", "a", "risk", "Budget is tight.", map[string]string{"driver": "budget cuts", "level": "bogus"}),
		finding("m1", "a", "renewal", "Renews 30 April.", map[string]string{"date": "2027-04-30"}),
		finding("m3", "a", "renewal", "70% likely.", map[string]string{"probability": "0.7", "date": "next spring"}),
		finding("m1", "a", "commitment", "Fix by 8 Jan.", map[string]string{"what": "the connector fix", "due_date": "2027-01-08"}),
		finding("m2", "a", "commitment", "The connector fix, by the 10th.", map[string]string{"what": "The connector fix", "due_date": "2027-01-10"}),
		finding("m2", "a", "credential_mentioned", "A password was mentioned.", nil),
	})
	if len(got) != 3 {
		t.Fatalf("want risk, renewal, commitment: %+v", got)
	}
	risk, renewal, promise := got[0], got[1], got[2]
	if risk.Fields["level"] != "critical" || risk.Text != "Actually 3 demos with Samsara, I'd call it severe." ||
		risk.Fields["competitor"] != "Samsara" || risk.Fields["driver"] != "budget cuts" {
		t.Errorf("risk: %+v", risk)
	}
	if renewal.Fields["date"] != "2027-04-30" || renewal.Fields["probability"] != "0.7" {
		t.Errorf("renewal: %+v", renewal)
	}
	if promise.Fields["due_date"] != "2027-01-10" || len(promise.Sources) != 2 {
		t.Errorf("commitment: %+v", promise)
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		typ    string
		fields map[string]string
		ok     bool
	}{
		{Risk, map[string]string{"level": "high"}, true},
		{Risk, map[string]string{"level": "severe"}, false},
		{Risk, map[string]string{"colour": "red"}, false},
		{Person, map[string]string{"name": "Maya", "status": "on_leave", "do_not_contact": "yes"}, true},
		{Person, map[string]string{"relationship": "friend"}, false},
		{Commitment, map[string]string{"due_date": "8 Jan"}, false},
		{Renewal, map[string]string{"probability": "1.5"}, false},
		{Renewal, map[string]string{"date": "", "probability": "0.4"}, true},
		{"gossip", map[string]string{}, false},
	} {
		if err := Validate(c.typ, c.fields); (err == nil) != c.ok {
			t.Errorf("Validate(%s, %v) = %v, want ok %v", c.typ, c.fields, err, c.ok)
		}
	}
}

// TestDerivePutsAPassingMentionOfAnotherAccountsPersonApart: a person named at one account only in
// passing, with no role or relationship, who is a person of another account there, is marked uncertain
// (not introduced, not on a read-back card); one given a role at both accounts stays a person of both.
func TestDerivePutsAPassingMentionOfAnotherAccountsPersonApart(t *testing.T) {
	got := Derive([]store.Finding{
		finding("m1", "kestrel", "stakeholder", "champion: Aoife Brennan, ops manager.", map[string]string{"name": "Aoife Brennan", "role": "ops manager", "relationship": "champion"}),
		finding("m2", "tinderbox", "stakeholder", "Bea Ferreira, owner, does everything.", map[string]string{"name": "Bea Ferreira", "role": "owner"}),
		finding("m2", "tinderbox", "stakeholder", "Someone should send Aoife a card for the baby.", map[string]string{"name": "Aoife"}),
		finding("m3", "globex", "stakeholder", "Rahul Menon covers IT here too.", map[string]string{"name": "Rahul Menon", "role": "IT lead"}),
		finding("m3", "kestrel", "stakeholder", "Rahul Menon, practice systems lead.", map[string]string{"name": "Rahul Menon", "role": "practice systems lead"}),
	})
	uncertain := map[string]bool{}
	for _, f := range got {
		uncertain[f.AccountID+"/"+f.Fields["name"]] = f.Uncertain
	}
	want := map[string]bool{"kestrel/Aoife Brennan": false, "tinderbox/Bea Ferreira": false, "tinderbox/Aoife": true,
		"globex/Rahul Menon": false, "kestrel/Rahul Menon": false}
	for k, v := range want {
		if u, ok := uncertain[k]; !ok || u != v {
			t.Errorf("%s: uncertain %v (found %v), want %v", k, u, ok, v)
		}
	}
}
