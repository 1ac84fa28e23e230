package extract

import (
	"slices"
	"testing"
	"time"
)

// TestCommitmentsKeepTheirOwnDates: every promise, however it is written, is one commitment with its
// own due date, read on Monday 7 December 2026.
func TestCommitmentsKeepTheirOwnDates(t *testing.T) {
	t.Parallel()
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	commitments := []string{"commitments"}
	cases := []struct {
		name   string
		topics []string
		text   string
		due    []string // due dates in order, "" for a commitment without one
		to     string   // whom the first was promised to, when the test checks it
	}{
		{"pasted bullets without a promise verb", commitments,
			"1) ETA export fix to TW by 8 Jan. told him in writing\n2) promised Adaeze an exec intro call before xmas. NOT booked yet!!",
			[]string{"2027-01-08", "2026-12-24"}, ""},
		{"two items, two sentences", commitments,
			"RCA writeup to Denise by Friday. and a pricing proposal by end of Jan - I told her we'd make it right",
			[]string{"2026-12-11", "", "2027-01-31"}, "Denise"},
		{"told with a date is a promise", []string{"open_issues"},
			"SSO breaks for new starters, ticket open. eng say end of jan and ive told dan end of jan so.",
			[]string{"2027-01-31"}, ""},
		{"told without a date is not", []string{"open_issues"},
			"Bartek told me off the record they had 3 demos.", nil, ""},
		{"the next sentence gives the day", commitments,
			"I promised Rahul two admin training sessions. The first one is in two weeks, the second whenever he wants it.",
			[]string{"2026-12-21"}, "Rahul"},
		{"a named day the next sentence dates", commitments,
			"admin refresher training for the new office staff before end of term, femi asked. they break up fri 18th.",
			[]string{"2026-12-18"}, ""},
		{"a later sentence about something else is not borrowed", []string{"churn_risk", "commitments"},
			"They are unhappy because reporting is slow; we offered a training. Renewal is on 31 January 2027.",
			[]string{""}, ""},
		{"two promises in one sentence", commitments,
			"I promised Karen the usage report by Friday and told Priya we'd send the SOW in two weeks.",
			[]string{"2026-12-11", "2026-12-21"}, "Karen"},
		{"the person named after the item", commitments,
			"Audit log export for Compliance, the full year of data, by end of Jan. Promised to Katrin.",
			[]string{"2027-01-31"}, "Katrin"},
		{"a firm day over an ambiguous one", commitments,
			"Apologies, to be precise: by next Friday I mean Friday, December 18, not this coming Friday.",
			[]string{"2026-12-18"}, ""},
		{"a deadline, then its latest day", []string{"upsell"},
			"Priya wants a proposal, I told her after the holidays, latest 15.1.",
			[]string{"2027-01-15"}, ""},
		{"not this one, the one after", commitments,
			"The refund lands next Friday, not this Friday, the one after. I told Bea and Tomás that.",
			[]string{"2026-12-18"}, ""},
		{"an issue open since a past month is not a promise", []string{"open_issues", "commitments"},
			"One escalation about search relevance, JIRA KB-118, with product since September. We agreed to send Sara a tuning guide by the end of the month.",
			[]string{"2026-12-31"}, ""},
		{"a request and the CSM's leaving are not promises", commitments,
			"Please hold them to the 8th. I'm gone after the 22nd so it's yours, sorry.", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var due []string
			to := ""
			for _, f := range Offline(tc.text, Context{Topics: tc.topics, Today: monday}) {
				if f.Type == Commitment {
					if len(due) == 0 {
						to = f.Fields["to_whom"]
					}
					due = append(due, f.Fields["due_date"])
				}
			}
			if !slices.Equal(due, tc.due) {
				t.Errorf("due dates %q, want %q", due, tc.due)
			}
			if tc.to != "" && to != tc.to {
				t.Errorf("to_whom %q, want %q", to, tc.to)
			}
		})
	}
}
