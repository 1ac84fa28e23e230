package facts_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

type fixture struct {
	s         *store.Store
	iv        store.Interview
	account   string
	msgs      []string
	nextFinds []store.Finding
}

func newFixture(t *testing.T, answers int) *fixture {
	t.Helper()
	ctx := context.Background()
	s := store.New(dbtest.New(t))
	manager, err := s.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, accounts, err := s.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 30, Accounts: []store.Account{{Name: "Umbrella Health", Depth: "deep"}}, InviteHash: []byte("x"),
		InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	fx := &fixture{s: s, iv: iv, account: accounts[0].ID}
	for i := 0; i < answers; i++ {
		err = s.Transact(ctx, func(tx *store.Store) error {
			if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
				return err
			}
			m, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "An answer."})
			fx.msgs = append(fx.msgs, m.ID)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return fx
}

// capture stores the findings of answer n as a capture does: the findings, then the facts derived again.
func (fx *fixture) capture(t *testing.T, n int, findings ...store.Finding) {
	t.Helper()
	ctx := context.Background()
	for i := range findings {
		findings[i].InterviewID, findings[i].AccountID, findings[i].MessageID = fx.iv.ID, fx.account, fx.msgs[n]
	}
	err := fx.s.Transact(ctx, func(tx *store.Store) error {
		if _, _, err := tx.SaveCapture(ctx, fx.msgs[n], nil, findings); err != nil {
			return err
		}
		return facts.Refresh(ctx, tx, fx.iv.ID, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (fx *fixture) facts(t *testing.T) []store.Fact {
	t.Helper()
	all, err := fx.s.Facts(context.Background(), fx.iv.ID)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func byType(all []store.Fact, typ string) []store.Fact {
	var out []store.Fact
	for _, f := range all {
		if f.Type == typ {
			out = append(out, f)
		}
	}
	return out
}

// TestConfirmedAndCorrectedFactsWinOverLaterExtractions: facts are stored once derived; a fact the CSM
// corrected keeps their version when a later answer says otherwise, a confirmed one keeps its state, a
// withdrawn one is not brought back, and an extracted one follows the rules.
func TestConfirmedAndCorrectedFactsWinOverLaterExtractions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx := newFixture(t, 3)
	fx.capture(t, 0,
		store.Finding{Type: "risk", Text: "medium - the connector keeps dropping", Fields: map[string]string{"level": "low"}, Confidence: 0.4},
		store.Finding{Type: "stakeholder", Text: "Karen signs.", Fields: map[string]string{"name": "Karen", "relationship": "decision_maker"}},
		store.Finding{Type: "stakeholder", Text: "Slack Connect is how we talk.", Fields: map[string]string{"name": "Connect"}},
		store.Finding{Type: "commitment", Text: "Fix by 8 Jan.", Fields: map[string]string{"what": "the fix", "due_date": "2027-01-08"}})
	all := fx.facts(t)
	if len(all) != 4 {
		t.Fatalf("facts after the first answer: %+v", all)
	}
	ids := map[string]string{}
	for _, f := range all {
		ids[f.Type+f.Fields["name"]] = f.ID
		if f.State != facts.Extracted || f.Extracted == nil || len(f.Sources) != 1 || f.Sources[0] != fx.msgs[0] {
			t.Errorf("a fresh fact: %+v", f)
		}
	}

	// The CSM corrects the risk level, withdraws "Connect", confirms the rest.
	err := fx.s.Transact(ctx, func(tx *store.Store) error {
		return facts.Decide(ctx, tx, fx.iv.ID, fx.account, true, []facts.Change{
			{FactID: ids["risk"], Fields: map[string]string{"level": "medium"}},
			{FactID: ids["personConnect"], Withdraw: true},
			{New: &facts.New{Type: facts.Person, Fields: map[string]string{"name": "Maya", "role": "chief of staff"}}},
		}, time.Now())
	})
	if err != nil {
		t.Fatal(err)
	}
	// A later answer: the rules read the risk as low again, Karen gets her full name, Connect is named
	// again, the promise moves.
	fx.capture(t, 1,
		store.Finding{Type: "risk", Text: "low, honestly", Fields: map[string]string{"level": "low"}},
		store.Finding{Type: "stakeholder", Text: "Karen Liu, VP Ops.", Fields: map[string]string{"name": "Karen Liu", "role": "VP Ops"}},
		store.Finding{Type: "stakeholder", Text: "Via Slack Connect.", Fields: map[string]string{"name": "Connect"}},
		store.Finding{Type: "upsell", Text: "They want SSO.", Fields: map[string]string{"product": "SSO"}})
	all = fx.facts(t)
	risk := byType(all, facts.Risk)
	if len(risk) != 1 || risk[0].ID != ids["risk"] || risk[0].State != facts.Corrected || risk[0].Fields["level"] != "medium" ||
		risk[0].Extracted["level"] != "low" || len(risk[0].Sources) != 2 {
		t.Errorf("the corrected risk: %+v", risk)
	}
	people := byType(all, facts.Person)
	if len(people) != 3 {
		t.Fatalf("people: %+v", people)
	}
	for _, p := range people {
		switch p.Fields["name"] {
		case "Karen": // confirmed as "Karen": the CSM's version stands, the rules' fuller name is known
			if p.ID != ids["personKaren"] || p.State != facts.Confirmed || p.Extracted["name"] != "Karen Liu" {
				t.Errorf("Karen: %+v", p)
			}
		case "Connect":
			if p.State != facts.Withdrawn {
				t.Errorf("Connect came back: %+v", p)
			}
		case "Maya":
			if p.State != facts.Corrected || p.Extracted != nil {
				t.Errorf("Maya: %+v", p)
			}
		default:
			t.Errorf("unexpected person %+v", p)
		}
	}
	if got := facts.NewSet(all).Of(fx.account, facts.Person); len(got) != 2 {
		t.Errorf("the people who stand: %+v", got)
	}
	if up := byType(all, facts.Upsell); len(up) != 1 || up[0].State != facts.Extracted {
		t.Errorf("the new upsell: %+v", up)
	}

	// The first answer is captured again with nothing in it (a correction removed the promise): the
	// confirmed promise stays, the extracted risk source list shrinks.
	fx.capture(t, 0)
	all = fx.facts(t)
	if c := byType(all, facts.Commitment); len(c) != 1 || c[0].State != facts.Confirmed {
		t.Errorf("the confirmed commitment: %+v", c)
	}
	fx.capture(t, 1)
	if up := byType(fx.facts(t), facts.Upsell); len(up) != 0 {
		t.Errorf("an extracted fact nothing derives any more stays: %+v", up)
	}
}

// TestDecideRejectsBadChangesAndChangesNothing: an unknown fact, a field the type has not, a level
// outside the vocabulary are refused before anything is written; the database refuses such values too.
func TestDecideRejectsBadChangesAndChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx := newFixture(t, 1)
	fx.capture(t, 0, store.Finding{Type: "risk", Text: "High risk.", Fields: map[string]string{"level": "high"}})
	before := fx.facts(t)
	for _, changes := range [][]facts.Change{
		{{FactID: "00000000-0000-0000-0000-000000000000", Withdraw: true}},
		{{FactID: before[0].ID, Fields: map[string]string{"colour": "red"}}},
		{{FactID: before[0].ID, Fields: map[string]string{"level": "severe"}}},
		{{New: &facts.New{Type: "rumour", Fields: map[string]string{}}}},
		{{FactID: before[0].ID}},
	} {
		err := fx.s.Transact(ctx, func(tx *store.Store) error {
			return facts.Decide(ctx, tx, fx.iv.ID, fx.account, true, changes, time.Now())
		})
		if !errors.Is(err, facts.ErrInvalid) {
			t.Errorf("%+v: want ErrInvalid, got %v", changes, err)
		}
	}
	after := fx.facts(t)
	if len(after) != 1 || after[0].State != facts.Extracted || after[0].Fields["level"] != "high" {
		t.Errorf("a refused change changed facts: %+v", after)
	}
	if _, err := fx.s.Pool().Exec(ctx, `UPDATE facts SET fields = '{"level": "severe"}' WHERE id = $1`, after[0].ID); err == nil {
		t.Error("the database took a risk level outside the vocabulary")
	}
	if _, err := fx.s.Pool().Exec(ctx, `UPDATE facts SET state = 'confirmed' WHERE id = $1`, after[0].ID); err == nil {
		t.Error("the database took a decided fact without the time it was decided")
	}
}

// TestBackfillDerivesTheFactsOfEarlierInterviews: an interview captured before facts were kept gets its
// facts at start-up, once.
func TestBackfillDerivesTheFactsOfEarlierInterviews(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx := newFixture(t, 1)
	if _, _, err := fx.s.SaveCapture(ctx, fx.msgs[0], nil, []store.Finding{{InterviewID: fx.iv.ID, AccountID: fx.account, MessageID: fx.msgs[0],
		Type: "risk", Text: "High risk.", Fields: map[string]string{"level": "high"}}}); err != nil {
		t.Fatal(err)
	}
	if got := fx.facts(t); len(got) != 0 {
		t.Fatalf("facts before the backfill: %+v", got)
	}
	n, err := facts.Backfill(ctx, fx.s)
	if err != nil || n < 1 {
		t.Fatalf("backfill: %d, %v", n, err)
	}
	if got := fx.facts(t); len(got) != 1 || got[0].Fields["level"] != "high" {
		t.Fatalf("facts after the backfill: %+v", got)
	}
	if n, err := facts.Backfill(ctx, fx.s); err != nil || n != 0 {
		t.Fatalf("a second backfill filled %d (%v)", n, err)
	}
}

// TestHandoverFactsAreDerivedAndStored: the handover findings of an answer, read by the rules, become
// facts of their own types in the database: one per document kind of a sentence that places two, one per
// system however often it is named, a meeting's date a day, and a kind outside the vocabulary "other".
func TestHandoverFactsAreDerivedAndStored(t *testing.T) {
	t.Parallel()
	fx := newFixture(t, 2)
	text := "MSA + invoices in the Finance shared drive. Their CRM is Salesforce. On 12 October we met their CFO and agreed to a two-year term."
	var found []store.Finding
	for _, f := range extract.Offline(text, extract.Context{Topics: []string{"documents", "implementation", "history"}, Account: "Umbrella Health",
		Accounts: []string{"Umbrella Health"}, Today: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}) {
		found = append(found, store.Finding{Type: f.Type, Text: f.Text, Fields: f.Fields})
	}
	fx.capture(t, 0, found...)
	fx.capture(t, 1,
		store.Finding{Type: extract.System, Text: "salesforce syncs nightly", Fields: map[string]string{"kind": "integration", "name": "salesforce", "category": "crm"}},
		store.Finding{Type: extract.Advocacy, Text: "They spoke on a podcast.", Fields: map[string]string{"kind": "podcast guest"}})
	all := fx.facts(t)
	docs := byType(all, facts.Document)
	if len(docs) != 2 || docs[0].Fields["kind"] != "contract" || docs[1].Fields["kind"] != "invoice" ||
		docs[0].Fields["location"] != "Finance shared drive" || docs[1].Fields["location"] != "Finance shared drive" {
		t.Errorf("documents: %+v", docs)
	}
	if sys := byType(all, facts.System); len(sys) != 1 || sys[0].Fields["category"] != "crm" || len(sys[0].Sources) != 2 {
		t.Errorf("systems (Salesforce twice is one): %+v", sys)
	}
	if m := byType(all, facts.Meeting); len(m) != 1 || m[0].Fields["date"] != "2026-10-12" || m[0].Fields["agreed"] != "a two-year term" {
		t.Errorf("meetings: %+v", m)
	}
	if a := byType(all, facts.Advocacy); len(a) != 1 || a[0].Fields["kind"] != "other" {
		t.Errorf("advocacy: %+v", a)
	}
	discussed := facts.NewSet(all).Discussed(fx.account)
	for _, topic := range []string{"documents", "implementation", "history", "advocacy"} {
		if !discussed[topic] {
			t.Errorf("%s is not discussed though its facts are stored: %v", topic, discussed)
		}
	}
}
