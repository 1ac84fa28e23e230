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
