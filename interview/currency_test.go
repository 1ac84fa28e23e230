package interview

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/book"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// TestCreateSettlesEachAccountsCurrency: an account keeps the currency its amount named; one that named
// none takes the session's (US dollars unless the manager chose another); "kr" alone is refused unless the
// session's currency is a krona, and so is a currency that is not an ISO code.
func TestCreateSettlesEachAccountsCurrency(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	create := func(currency string, accounts ...book.Account) (Created, error) {
		return f.svc.Create(ctx, f.manager.ID, CreateInput{CSMName: "Dana Whitfield", CSMEmail: "dana@example.com",
			DepartureDate: time.Now().AddDate(0, 0, 21).Format(time.DateOnly), Accounts: accounts, Currency: currency})
	}
	currencies := func(c Created) map[string]string {
		out := map[string]string{}
		for _, a := range c.Accounts {
			out[a.Name] = a.Currency
		}
		return out
	}
	c, err := create("", book.Account{Name: "Müller GmbH", ARR: ptr(8400.0), Currency: "EUR"}, book.Account{Name: "Acme", ARR: ptr(1000.0)},
		book.Account{Name: "Blank"})
	if err != nil {
		t.Fatal(err)
	}
	if got := currencies(c); got["Müller GmbH"] != "EUR" || got["Acme"] != "USD" || got["Blank"] != "USD" {
		t.Fatalf("default session: %v", got)
	}
	c, err = create("sek", book.Account{Name: "Volvo", ARR: ptr(240000.0), Kronor: true}, book.Account{Name: "Acme", ARR: ptr(1000.0)},
		book.Account{Name: "Tesco", ARR: ptr(85000.0), Currency: "GBP"})
	if err != nil {
		t.Fatal(err)
	}
	if got := currencies(c); got["Volvo"] != "SEK" || got["Acme"] != "SEK" || got["Tesco"] != "GBP" {
		t.Fatalf("session in kronor: %v", got)
	}
	var errs validation.Errors
	_, err = create("EUR", book.Account{Name: "Volvo", ARR: ptr(240000.0), Kronor: true})
	if !errors.As(err, &errs) || errs["accounts[0].arr"] == "" {
		t.Fatalf(`"kr" in a session in euros: %v`, err)
	}
	_, err = create("dollars", book.Account{Name: "Acme"})
	if !errors.As(err, &errs) || errs["currency"] == "" {
		t.Fatalf("a currency that is not a code: %v", err)
	}
}

// TestAccountFactsInWords: what the interviewer is told about an account gives its ARR in its currency
// and counts the days to the renewal in words.
func TestAccountFactsInWords(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	day := func(n int) *time.Time { d := today.AddDate(0, 0, n); return &d }
	cases := []struct {
		account store.Account
		want    string
	}{
		{store.Account{ARR: ptr(240000.0), Currency: "EUR", RenewalDate: day(1)}, "€240k ARR, renews 8 December 2026 (in 1 day)"},
		{store.Account{ARR: ptr(1200000.0), Currency: "USD", RenewalDate: day(0)}, "$1.2M ARR, renews 7 December 2026 (today)"},
		{store.Account{ARR: ptr(950.0), Currency: "CHF", RenewalDate: day(30)}, "CHF\u00a0950 ARR, renews 6 January 2027 (in 30 days)"},
	}
	for _, tc := range cases {
		if got := accountFacts(tc.account, today); got != tc.want {
			t.Errorf("accountFacts = %q, want %q", got, tc.want)
		}
	}
}
