package notify

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// noQueue stores nothing to send: these tests read the e-mails where they are queued, in the database.
type noQueue struct{}

func (noQueue) EnqueueEmail(context.Context, *store.Store, string) error { return nil }

// TestEmailsCountInWords: the e-mails say "1 account", "2 accounts", "1 departure" and when the last day
// is, never "account(s)" or "in 1 day(s)".
func TestEmailsCountInWords(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	s := New(st, noQueue{}, "https://ei.example.com", slog.New(slog.DiscardHandler))
	manager, err := st.CreateUser(ctx, store.NewUser{Email: "maria@example.com", Name: "Maria Lopez", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	zoe, err := st.CreateUser(ctx, store.NewUser{Email: "zoe@example.com", Name: "Zoë Ångström", Role: store.RoleSuccessor})
	if err != nil {
		t.Fatal(err)
	}
	iv, _, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana Whitfield", CSMEmail: "dana@example.com",
		DepartureDate: time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1), TimeBudgetMinutes: 60, InviteHash: []byte("x"),
		InviteExpiresAt: time.Now().AddDate(0, 1, 0), Accounts: []store.Account{{Name: "Northwind", Depth: "deep"}}})
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.Assigned(ctx, st, iv, zoe, []string{"Northwind"}))
	must(s.Assigned(ctx, st, iv, zoe, []string{"Northwind", "Globex"}))
	if _, err := st.Pool().Exec(ctx, `UPDATE interviews SET created_at = now() - interval '4 days' WHERE id = $1`, iv.ID); err != nil {
		t.Fatal(err)
	}
	must(s.Periodic(ctx, time.Now()))

	rows, err := st.Pool().Query(ctx, `SELECT subject || ' | ' || text_body FROM emails ORDER BY created_at, subject`)
	must(err)
	var all []string
	for rows.Next() {
		var m string
		must(rows.Scan(&m))
		all = append(all, m)
	}
	text := strings.Join(all, "\n")
	for _, want := range []string{"1 account handed to you from Dana Whitfield", "This account is handed to you", "about it is on its page",
		"2 accounts handed to you from Dana Whitfield", "These accounts are handed to you", "1 departure this week", "your last day is tomorrow"} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in the e-mails:\n%s", want, text)
		}
	}
	if strings.Contains(text, "(s)") {
		t.Errorf("an e-mail counts with (s):\n%s", text)
	}
}
