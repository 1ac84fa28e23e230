package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/exitinterview/exitinterview/store"
)

// accountFixture is two sessions by two managers, with successors on some accounts.
type accountFixture struct {
	s        *store.Store
	users    map[string]store.User
	accounts map[string]store.Account // by name
	ivs      map[string]store.Interview
}

func newAccountFixture(t *testing.T) *accountFixture {
	t.Helper()
	ctx := context.Background()
	f := &accountFixture{s: newStore(t), users: map[string]store.User{}, accounts: map[string]store.Account{}, ivs: map[string]store.Interview{}}
	for name, role := range map[string]store.Role{"admin": store.RoleAdmin, "manager A": store.RoleManager, "manager B": store.RoleManager,
		"successor 1": store.RoleSuccessor, "successor 2": store.RoleSuccessor, "successor 0": store.RoleSuccessor} {
		u, err := f.s.CreateUser(ctx, store.NewUser{Email: strings.ToLower(name[:1]+name[len(name)-1:]) + "@example.com", Name: "Ms " + name, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	arr := 120000.0
	renewal := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for key, sess := range map[string]struct {
		manager  string
		accounts []store.Account
	}{
		"one": {"manager A", []store.Account{
			{Name: "Northwind", ARR: &arr, RenewalDate: &renewal, Segment: "Enterprise", SuccessorID: f.users["successor 1"].ID},
			{Name: "Globex", SuccessorID: f.users["successor 2"].ID},
			{Name: "Hooli"},
		}},
		"two": {"manager B", []store.Account{{Name: "Initech", SuccessorID: f.users["successor 2"].ID}}},
	} {
		for i := range sess.accounts {
			sess.accounts[i].Depth = "deep"
		}
		iv, accs, err := f.s.CreateInterview(ctx, store.NewInterview{ManagerID: f.users[sess.manager].ID, CSMName: "Dana " + key,
			DepartureDate: time.Date(2025, 12, 19, 0, 0, 0, 0, time.UTC), TimeBudgetMinutes: 60, Accounts: sess.accounts,
			InviteHash: []byte(key), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
		if err != nil {
			t.Fatal(err)
		}
		f.ivs[key] = iv
		for _, a := range accs {
			f.accounts[a.Name] = a
		}
	}
	return f
}

// capture stores an answer about account (portfolio-wide when "") with the given findings.
func (f *accountFixture) capture(t *testing.T, iv, account string, findings ...store.Finding) store.Message {
	t.Helper()
	ctx := context.Background()
	var m store.Message
	err := f.s.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, f.ivs[iv].ID); err != nil {
			return err
		}
		var err error
		m, err = tx.InsertMessage(ctx, store.Message{InterviewID: f.ivs[iv].ID, Role: "csm", Kind: "answer", Content: "An answer."})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range findings {
		findings[i].InterviewID, findings[i].AccountID = f.ivs[iv].ID, f.accounts[account].ID
	}
	if err := f.s.ReplaceCapture(ctx, m.ID, nil, findings); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAccountForViewerFollowsTheAccessRules(t *testing.T) {
	t.Parallel()
	f := newAccountFixture(t)
	ctx := context.Background()
	viewer := func(who string) store.Viewer {
		return store.Viewer{UserID: f.users[who].ID, Role: f.users[who].Role}
	}
	// Who sees which account; everyone else gets ErrNotFound.
	visible := map[string][]string{
		"admin":       {"Northwind", "Globex", "Hooli", "Initech"},
		"manager A":   {"Northwind", "Globex", "Hooli"},
		"manager B":   {"Initech"},
		"successor 1": {"Northwind"},
		"successor 2": {"Globex", "Initech"},
		"successor 0": nil,
	}
	for who, names := range visible {
		t.Run(who, func(t *testing.T) {
			var got []string
			for _, name := range []string{"Northwind", "Globex", "Hooli", "Initech"} {
				av, err := f.s.AccountForViewer(ctx, viewer(who), f.accounts[name].ID)
				switch {
				case err == nil:
					got = append(got, av.Name)
				case !errors.Is(err, store.ErrNotFound):
					t.Fatalf("%s: %v", name, err)
				}
			}
			if diff := cmp.Diff(names, got); diff != "" {
				t.Errorf("visible accounts (-want +got):\n%s", diff)
			}
		})
	}
	for name, tc := range map[string]struct {
		v  store.Viewer
		id string
	}{
		"malformed id":         {viewer("admin"), "not-a-uuid"},
		"sql in the id":        {viewer("admin"), "' OR 1=1 --"},
		"unknown id":           {viewer("admin"), "00000000-0000-0000-0000-000000000001"},
		"malformed viewer":     {store.Viewer{UserID: "x", Role: store.RoleManager}, f.accounts["Northwind"].ID},
		"no role":              {store.Viewer{UserID: f.users["manager A"].ID}, f.accounts["Northwind"].ID},
		"manager as successor": {store.Viewer{UserID: f.users["manager A"].ID, Role: store.RoleSuccessor}, f.accounts["Northwind"].ID},
	} {
		if _, err := f.s.AccountForViewer(ctx, tc.v, tc.id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
	}
}

func TestAccountForViewerReadsTheHeader(t *testing.T) {
	t.Parallel()
	f := newAccountFixture(t)
	f.capture(t, "one", "Northwind", store.Finding{Type: "risk", Text: "They may churn.", Fields: map[string]string{"level": "high"}})
	av, err := f.s.AccountForViewer(context.Background(), store.Viewer{UserID: f.users["successor 1"].ID, Role: store.RoleSuccessor}, f.accounts["Northwind"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if av.Name != "Northwind" || av.ARR == nil || *av.ARR != 120000 || av.RenewalDate == nil || av.RenewalDate.Format("2006-01-02") != "2026-03-01" ||
		av.Segment != "Enterprise" || av.CSMName != "Dana one" || av.DepartureDate.Format("2006-01-02") != "2025-12-19" ||
		av.SuccessorName != "Ms successor 1" || av.SuccessorEmail != "s1@example.com" || av.ManagerID != f.users["manager A"].ID ||
		av.InterviewID != f.ivs["one"].ID || av.InterviewStatus != "invited" || av.Findings != 1 {
		t.Fatalf("account view: %+v", av)
	}
}

func TestAccountFindingsAreTheAccountsInTranscriptOrder(t *testing.T) {
	t.Parallel()
	f := newAccountFixture(t)
	ctx := context.Background()
	first := f.capture(t, "one", "Northwind", store.Finding{Type: "stakeholder", Text: "Marco is the champion.", Fields: map[string]string{"name": "Marco"}})
	f.capture(t, "one", "Globex", store.Finding{Type: "risk", Text: "Globex may churn."})
	f.capture(t, "one", "", store.Finding{Type: "process", Text: "Bugs go to Lena."})
	second := f.capture(t, "one", "Northwind", store.Finding{Type: "renewal", Text: "Renews in March.", Fields: map[string]string{"date": "2026-03-01"}})
	got, err := f.s.AccountFindings(ctx, f.accounts["Northwind"].ID, false)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Type, Text, MessageID, AccountID string }
	var rows []row
	for _, x := range got {
		rows = append(rows, row{x.Type, x.Text, x.MessageID, x.AccountID})
	}
	nw := f.accounts["Northwind"].ID
	want := []row{{"stakeholder", "Marco is the champion.", first.ID, nw}, {"renewal", "Renews in March.", second.ID, nw}}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if got[0].Fields["name"] != "Marco" || got[1].Fields["date"] != "2026-03-01" {
		t.Errorf("fields: %v %v", got[0].Fields, got[1].Fields)
	}
	for _, id := range []string{f.accounts["Hooli"].ID, "nope", "00000000-0000-0000-0000-000000000001"} {
		if got, err := f.s.AccountFindings(ctx, id, false); err != nil || len(got) != 0 {
			t.Errorf("%s: %v, %v", id, got, err)
		}
	}
}

func TestSuccessorAccounts(t *testing.T) {
	t.Parallel()
	f := newAccountFixture(t)
	ctx := context.Background()
	f.capture(t, "two", "Initech", store.Finding{Type: "risk", Text: "A."}, store.Finding{Type: "risk", Text: "B."})
	for who, want := range map[string][]string{
		"successor 1": {"Northwind"},
		"successor 2": {"Globex", "Initech"},
		"successor 0": nil,
		"manager A":   nil,
	} {
		got, err := f.s.SuccessorAccounts(ctx, f.users[who].ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range got {
			names = append(names, a.Name)
			if a.Name == "Initech" && (a.Findings != 2 || a.CSMName != "Dana two") {
				t.Errorf("Initech: %+v", a)
			}
		}
		if diff := cmp.Diff(want, names, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("%s (-want +got):\n%s", who, diff)
		}
	}
	if got, err := f.s.SuccessorAccounts(ctx, "nope"); err != nil || got != nil {
		t.Errorf("malformed user: %v, %v", got, err)
	}
}
