package extract

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, text string
		today      time.Time
		want       []string
	}{
		{"day month without a year is the next one", "31 January", today, []string{"2026-01-31"}},
		{"later this year", "by 5 December", today, []string{"2025-12-05"}},
		{"month first with a year", "December 10th, 2027", today, []string{"2027-12-10"}},
		{"iso", "due 2026-02-03", today, []string{"2026-02-03"}},
		{"next Friday from a Thursday", "next Friday", today, []string{"2025-11-21"}},
		{"next Thursday from a Thursday", "next Thursday", today, []string{"2025-11-27"}},
		{"end of the month", "by the end of the month", today, []string{"2025-11-30"}},
		{"end of next quarter", "end of next quarter", today, []string{"2026-03-31"}},
		{"quarter with a year", "in Q3 2026", today, []string{"2026-09-30"}},
		{"month alone is its last day", "renews in March", today, []string{"2026-03-31"}},
		{"this month", "in November", today, []string{"2025-11-30"}},
		{"in two weeks", "in two weeks", today, []string{"2025-12-04"}},
		{"tomorrow", "tomorrow", today, []string{"2025-11-21"}},
		{"two dates in order", "between 3 December and 1/2/2026? no: 15/01/2026", today, []string{"2025-12-03", "2026-02-01", "2026-01-15"}},
		{"ambiguous numeric date is read day first", "03/04/2026", today, []string{"2026-04-03"}},
		{"24/7 is not a date", "24/7 support", today, nil},
		{"every Monday is a cadence", "every Monday", today, nil},
		{"may is a verb", "they may renew", today, nil},
		{"no 31 February", "31 February 2026", today, nil},
		{"no day without a known today", "next Friday and 31 January", time.Time{}, nil},
		{"a full date needs no today", "31 January 2026", time.Time{}, []string{"2026-01-31"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, h := range dates(tc.text, span{0, len(tc.text)}, tc.today) {
				got = append(got, h.String())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("dates(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestMoneyAndChance(t *testing.T) {
	t.Parallel()
	money1 := func(s string) string {
		if a := money(s, span{0, len(s)}); len(a) > 0 {
			return a[0].value
		}
		return ""
	}
	cases := []struct{ text, money, chance string }{
		{"about $60k", "60000", ""},
		{"€1.2M over three years", "1200000", ""},
		{"60,000 euros", "60000", ""},
		{"USD 1,234.50", "1234.5", ""},
		{"worth 45,000", "45000", ""},
		{"about 40 seats", "", ""},
		{"I'd put it at 70%", "", "0.7"},
		{"a 15% discount", "", ""},
		{"7.5 percent", "", "0.075"},
		{"very likely", "", "0.85"},
		{"unlikely", "", "0.3"},
		{"it auto-renews", "", "0.9"},
		{"likely to churn", "", ""},
	}
	for _, tc := range cases {
		if got := money1(tc.text); got != tc.money {
			t.Errorf("money(%q) = %q, want %q", tc.text, got, tc.money)
		}
		if got := chance(tc.text, span{0, len(tc.text)}); got != tc.chance {
			t.Errorf("chance(%q) = %q, want %q", tc.text, got, tc.chance)
		}
	}
}

func TestSentences(t *testing.T) {
	t.Parallel()
	text := "Dr. Aisha Khan signs, e.g. renewals.\n- Ask Priya first! Costs $1.2M. Done"
	var got []string
	for _, s := range sentences(text) {
		got = append(got, text[s.start:s.end])
	}
	want := []string{"Dr. Aisha Khan signs, e.g. renewals.", "Ask Priya first!", "Costs $1.2M.", "Done"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sentences (-want +got):\n%s", diff)
	}
}

func FuzzOffline(f *testing.F) {
	for _, s := range []string{
		"Priya Shah runs support operations and is our champion. Marco Rossi, the CFO, signs.",
		"Two open tickets: the SLA export bug SUP-4411 and last week's SSO outage; I promised Priya a fix by 5 December.",
		"Workforce management add-on, 40 seats, about $60k; proposal sent, demo on 10 December.",
		"A Google Sheet called 'Renewal radar' in my Drive, with every renewal date.",
		"Bugs go to Lena Fischer, the lead, in #cs-escalations on Slack; billing: finance.",
		"None.", "", "\xff\xfe Dr. \xc3", "Q4-2025 ISO-1 #12 ticket 123 1/2/3 ::; ,, ''", "“Zoë” — €1.2M, 99.5% likely",
	} {
		f.Add(s, uint16(0xffff), "Globex")
	}
	f.Add("Globex Corp is at risk, Jan Novak signs.", uint16(0xffff), "  ")
	keys := []string{"stakeholders", "churn_risk", "renewal", "upsell", "open_issues", "commitments", "workarounds",
		"communication", "account_overview", "escalation_paths", "onboarding_changes", "shadow_systems",
		"product_feedback", "internal_workflows", "decision_rationale"}
	// The account doubles as the CSM's name, so odd names (blank, one letter, invalid UTF-8) reach both.
	f.Fuzz(func(t *testing.T, text string, topicBits uint16, account string) {
		var topics []string
		for i, k := range keys {
			if topicBits&(1<<i) != 0 {
				topics = append(topics, k)
			}
		}
		c := Context{Topics: topics, Account: account, Accounts: []string{"Northwind Traders", account},
			CSMName: account, Today: today}
		got := Offline(text, c)
		checkSpans(t, text, got)
		if diff := cmp.Diff(got, Offline(text, c)); diff != "" {
			t.Errorf("not deterministic (-first +second):\n%s", diff)
		}
	})
}
