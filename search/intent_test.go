package search

import "testing"

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
