package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// TestAccountCurrencyRoundTrip: each account keeps the currency its ARR was given in, on every way an
// account is read back; one given none is in US dollars; the database refuses what is not an ISO code.
func TestAccountCurrencyRoundTrip(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	manager, err := s.CreateUser(ctx, store.NewUser{Email: "maria@example.com", Name: "Maria", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	eur, gbp, plain := 8400.5, 85000.0, 1000.0
	iv, created, err := s.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 60, InviteHash: []byte("currency"), InviteExpiresAt: time.Now().AddDate(0, 1, 0),
		Accounts: []store.Account{{Name: "Müller GmbH", ARR: &eur, Currency: "EUR", Depth: "deep"},
			{Name: "Tesco", ARR: &gbp, Currency: "GBP", Depth: "deep"}, {Name: "Acme", ARR: &plain, Depth: "deep"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Müller GmbH": "EUR", "Tesco": "GBP", "Acme": "USD"}
	for _, a := range created {
		if a.Currency != want[a.Name] {
			t.Errorf("created %s in %q, want %q", a.Name, a.Currency, want[a.Name])
		}
	}
	read, err := s.Accounts(ctx, iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range read {
		if a.Currency != want[a.Name] {
			t.Errorf("read %s in %q, want %q", a.Name, a.Currency, want[a.Name])
		}
		if a.Name == "Müller GmbH" && (a.ARR == nil || *a.ARR != 8400.5) {
			t.Errorf("Müller GmbH's ARR read back as %v", a.ARR)
		}
	}
	av, err := s.AccountForViewer(ctx, store.Viewer{UserID: manager.ID, Role: store.RoleManager}, read[0].ID)
	if err != nil || av.Currency != want[av.Name] {
		t.Errorf("account view of %s: %q, %v", av.Name, av.Currency, err)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE accounts SET currency = 'eur' WHERE id = $1`, read[0].ID); err == nil {
		t.Error("the database took a lower-case currency code")
	}
}
