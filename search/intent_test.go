package search

import (
	"slices"
	"testing"
)

// TestIntentOf: what a successor's question asks, however they put it; a question no intent reads is
// answered from passages.
func TestIntentOf(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]string{
		"K&B signatory":                              "signs",
		"who signs for halvorsen dental":             "signs",
		"halvorsen freight who decides":              "decides",
		"who has the final say at Oberland?":         "decides",
		"bwl champion":                               "champion",
		"who's our champ at pennine":                 "champion",
		"northwind renewal odds":                     "renewal_odds",
		"brightwater logistics renewal date":         "renewal_when",
		"when does the Pinecrest contract end":       "renewal_when",
		"kestrel risk":                               "risk",
		"why is brightwater so unhappy":              "risk_why",
		"why isn't halden mutual just low risk":      "risk_why",
		"which competitor is brennwald looking at":   "competitor",
		"who's brightwater logistics demoing":        "competitor",
		"what did jamie promise maya":                "promise",
		"what's open at umbrella":                    "open_issue",
		"any tickets at Nordhafen?":                  "open_issue",
		"kestrel messaging add-on still on?":         "upsell",
		"ok to cc jurgen albrecht":                   "contact",
		"how do I reach Sabine":                      "contact",
		"tinderbox large wholesale orders":           "",
		"who leads the risk team at meridian pay":    "",
		"what's the lead time for flagging renewals": "renewal_when",
	} {
		if got := intentOf(q); got != want {
			t.Errorf("intentOf(%q) = %q, want %q", q, got, want)
		}
	}
}

// TestAQuestionAboutAPersonAsksSomethingOfThem: the people a question names do not, alone, make a passage
// that names them an answer to what it asks of them.
func TestAQuestionAboutAPersonAsksSomethingOfThem(t *testing.T) {
	t.Parallel()
	q := question{subject: terms("stephanie park's phone number"), names: []string{"stephanie", "park"}}
	if q.asksOf("Stephanie Park manages the contact center and administers the platform.") {
		t.Error("a passage naming her answers what her phone number is")
	}
	if !q.asksOf("Stephanie Park's mobile number is in the CRM; she prefers a text to a call.") {
		t.Error("a passage with her number does not")
	}
	who := question{subject: terms("who is Priya Shah"), names: []string{"priya", "shah"}}
	if !who.asksOf("Priya Shah runs support operations.") {
		t.Error("a question of a name alone is asked of no passage")
	}
}

// TestPeopleNamed: the words of a question that name people, however they are typed.
func TestPeopleNamed(t *testing.T) {
	t.Parallel()
	for q, want := range map[string][]string{
		"stephanie park's phone number":           {"stephanie", "park"},
		"who is lukas's manager at halden mutual": {"lukas"},
		"can we cc karen liu on the renewal":      {"karen", "liu"},
		"who signs the renewal":                   nil,
	} {
		if got := peopleNamed(q, terms(q)); !slices.Equal(got, want) {
			t.Errorf("peopleNamed(%q) = %v, want %v", q, got, want)
		}
	}
}
