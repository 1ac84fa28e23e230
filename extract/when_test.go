package extract

import (
	"regexp"
	"testing"
	"time"
)

// TestDateForms pins the table of forms in when.go: each form read on Monday 7 December 2026, with the
// precision it is given.
func TestDateForms(t *testing.T) {
	t.Parallel()
	monday := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		text, want string
		prec       Precision
	}{
		{"renewal 2027-04-30", "2027-04-30", ExactDay},
		{"contract ends 30/04/2027", "2027-04-30", ExactDay},
		{"renewal date 04/30/2027", "2027-04-30", ExactDay},
		{"renewal is 05/06/2027", "2027-06-05", Ambiguous},
		{"renewal: 20.01.2027", "2027-01-20", ExactDay},
		{"draft due 1/8, final due 12/22", "2027-01-08", ExactDay},
		{"renewal is 3/1/2027, notice by December 31", "2027-03-01", ExactDay},
		{"renewal is 3/1/2027, notice by 31 December", "2027-01-03", ExactDay},
		{"deadline is 15.01 for the PO", "2027-01-15", ExactDay},
		{"it costs 12.05 per seat", "", ExactDay},
		{"exec call Thu 17 Dec 10:00 CET", "2026-12-17", ExactDay},
		{"firmamos el 15 de enero", "2027-01-15", ExactDay},
		{"patch goes out 12/15", "2026-12-15", ExactDay},
		{"fix in production till 8.1., engineering said ok", "2027-01-08", ExactDay},
		{"send SOW (due Fri 11/12)", "2026-12-11", ExactDay},
		{"by 8 Jan", "2027-01-08", ExactDay},
		{"Renewal is in the 15. März 2027", "2027-03-15", ExactDay},
		{"Jan 8th for the connector fix", "2027-01-08", ExactDay},
		{"april thirtieth is the renewal", "2027-04-30", ExactDay},
		{"payment due Jan 20 '27", "2027-01-20", ExactDay},
		{"by Wednesday the 16th", "2026-12-16", ExactDay},
		{"by next friday (18th)", "2026-12-18", ExactDay},
		{"demo is Tues", "2026-12-08", ExactDay},
		{"this Friday", "2026-12-11", ExactDay},
		{"next Friday", "2026-12-11", Ambiguous},
		{"next Friday - not this one, he's off", "2026-12-18", ExactDay},
		{"friday week for the demo", "2026-12-18", ExactDay},
		{"the Friday after next", "2026-12-18", ExactDay},
		{"the Monday after next", "2026-12-21", ExactDay},
		{"Tuesday fortnight for the steering group", "2026-12-22", ExactDay},
		{"follow-up: +2 wks", "2026-12-21", ExactDay},
		{"two weeks from Wednesday for the go-live", "2026-12-23", ExactDay},
		{"three weeks tomorrow is the cutover", "2026-12-29", ExactDay},
		{"a fortnight on Friday", "2026-12-25", ExactDay},
		{"10 days after the 15th", "2026-12-25", ExactDay},
		{"two days before Christmas", "2026-12-23", ExactDay},
		{"a week after new year", "2027-01-08", ExactDay},
		{"they sent the PO last Friday", "2026-12-04", ExactDay},
		{"chased on fri, nothing", "2026-12-04", ExactDay},
		{"he sat on it for weeks", "", ExactDay},
		{"first Monday in January", "2027-01-04", ExactDay},
		{"go-live is planned in the week 2", "2027-01-15", PeriodEnd},
		{"freeze from wk51", "2026-12-18", PeriodEnd},
		{"in week 2 of the pilot they add users", "", ExactDay},
		{"cutover on the 15th", "2026-12-15", ExactDay},
		{"workshop, prob the 1st week", "", ExactDay},
		{"can you send it tmrw", "2026-12-08", ExactDay},
		{"COB tomorrow latest", "2026-12-08", ExactDay},
		{"EOD Friday", "2026-12-11", ExactDay},
		{"promised it a week tomorrow", "2026-12-15", ExactDay},
		{"in 2 wks", "2026-12-21", ExactDay},
		{"back to them in a fortnight", "2026-12-21", ExactDay},
		{"two weeks ago", "2026-11-23", ExactDay},
		{"by christmas", "2026-12-25", ExactDay},
		{"after Easter", "2027-03-29", Approximate},
		{"before Thanksgiving", "2027-11-24", ExactDay},
		{"off on the August bank holiday", "2027-08-30", ExactDay},
		{"due 15Jan", "2027-01-15", ExactDay},
		{"Jan15 kickoff", "2027-01-15", ExactDay},
		{"on the 15th, no wait, the 16th", "2026-12-16", ExactDay},
		{"We meet again over two weeks.", "2026-12-21", ExactDay},
		{"he sat on it for over two weeks", "", ExactDay},
		{"before xmas", "2026-12-24", ExactDay},
		{"before the holidays", "2026-12-24", ExactDay},
		{"after the holidays", "2027-01-04", Approximate},
		{"over the holidays", "", ExactDay},
		{"invoice due EOM", "2026-12-31", PeriodEnd},
		{"proposal by eow", "2026-12-11", PeriodEnd},
		{"end of next week", "2026-12-18", PeriodEnd},
		{"end of next month", "2027-01-31", PeriodEnd},
		{"in Jan", "2027-01-31", PeriodEnd},
		{"end of April", "2027-04-30", PeriodEnd},
		{"pushed to jan now tbh", "2027-01-31", PeriodEnd},
		{"not before March, they said", "2027-03-01", Approximate},
		{"from the start of next quarter", "2027-01-01", Approximate},
		{"price list applies from Q2", "2027-04-01", Approximate},
		{"a call between the 14th and the 16th", "2026-12-16", ExactDay},
		{"workshop Jan 8-10", "2027-01-10", ExactDay},
		{"Wednesday doesn't work for them, Thursday does", "2026-12-10", ExactDay},
		{"Today is not possible, I propose the day after tomorrow", "2026-12-09", ExactDay},
		{"we missed the 30 Nov deadline", "2026-11-30", ExactDay},
		{"they didn't sign on the 1st", "2026-12-01", ExactDay},
		{"Ende Januar", "2027-01-31", PeriodEnd},
		{"early Feb", "2027-02-05", Approximate},
		{"mid-Jan", "2027-01-15", Approximate},
		{"late March", "2027-03-25", Approximate},
		{"they renewed in October", "2026-10-31", PeriodEnd},
		{"with product since September", "2026-09-30", PeriodEnd},
		{"Q2", "2027-06-30", PeriodEnd},
		{"next quarter", "2027-03-31", PeriodEnd},
		{"H1", "2027-06-30", PeriodEnd},
		{"H2 next year", "2027-12-31", PeriodEnd},
		{"maybe the 18th-ish", "2026-12-18", Approximate},
		{"first thing after the holidays", "2027-01-04", ExactDay},
		{"on the first working day after new year", "2027-01-04", ExactDay},
		{"around the 10th of Jan", "2027-01-10", Approximate},
		{"soon", "", ExactDay},
		{"asap", "", ExactDay},
		{"later this year", "", ExactDay},
		{"at fiscal year end", "", ExactDay},
		{"the Black Friday outage", "", ExactDay},
		{"24/7 support", "", ExactDay},
	}
	for _, tc := range cases {
		ds := FindDates(tc.text, monday)
		if len(ds) > 0 && ds[0].Hedged != (tc.prec == Approximate && hedgeWords.MatchString(tc.text)) {
			t.Errorf("%q: Hedged %v", tc.text, ds[0].Hedged)
		}
		switch {
		case tc.want == "" && len(ds) > 0:
			t.Errorf("%q: read %s (%s), want no date", tc.text, ds[0].Day.Format(time.DateOnly), ds[0].Text)
		case tc.want == "":
		case len(ds) == 0:
			t.Errorf("%q: no date, want %s", tc.text, tc.want)
		case ds[0].Day.Format(time.DateOnly) != tc.want || ds[0].Precision != tc.prec:
			t.Errorf("%q: read %s (%s, from %q), want %s (%s)", tc.text, ds[0].Day.Format(time.DateOnly), ds[0].Precision, ds[0].Text, tc.want, tc.prec)
		}
	}
}

// hedgeWords are the hedges of the cases above that name a day ("the 18th-ish", "around the 10th").
var hedgeWords = regexp.MustCompile(`-ish|around the`)

// TestVagueTime: words that speak of time without naming a day are found, so a follow-up can ask for one.
func TestVagueTime(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"they'll decide soon":             "soon",
		"ASAP, they said":                 "ASAP",
		"later this year, if ever":        "later this year",
		"in a bit, still arguing":         "in a bit",
		"I'll send it by Friday":          "",
		"we'll revisit it at some point…": "at some point",
	} {
		if got := VagueTime(text); got != want {
			t.Errorf("VagueTime(%q) = %q, want %q", text, got, want)
		}
	}
}
