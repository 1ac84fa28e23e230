package knowledge

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/fidelity"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// BenchmarkCapture captures the answers of a fidelity persona's interview one after another, as the
// capture worker does, and reports answers captured a second (go test -bench Capture -run ^$ ./knowledge,
// with -cpuprofile to see where the time goes).
func BenchmarkCapture(b *testing.B) {
	ctx := context.Background()
	st := store.New(dbtest.New(b))
	personas, err := fidelity.Personas()
	if err != nil {
		b.Fatal(err)
	}
	p := personas[0]
	u, err := st.CreateUser(ctx, store.NewUser{Email: "bench@example.com", Name: "Bench", Role: store.RoleManager})
	if err != nil {
		b.Fatal(err)
	}
	var accounts []store.Account
	for _, a := range p.Accounts {
		accounts = append(accounts, store.Account{Name: a.Name, Depth: "deep"})
	}
	iv, stored, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: u.ID, CSMName: p.CSM.Name, DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 60, Accounts: accounts, InviteHash: []byte("bench"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		b.Fatal(err)
	}
	ids := map[string]string{}
	for _, a := range stored {
		ids[a.Name] = a.ID
	}
	var answers []string
	for _, an := range p.Answers {
		var m store.Message
		err := st.Transact(ctx, func(tx *store.Store) error {
			if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
				return err
			}
			q, err := tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question", Content: "Tell me about " + an.Topic,
				AccountID: ids[an.Account], Topics: []string{an.Topic}})
			if err != nil {
				return err
			}
			m, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: an.Text, ReplyTo: q.ID})
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		answers = append(answers, m.ID)
	}
	log := slog.New(slog.DiscardHandler)
	s := New(st, NewVectors(st, embed.NewOffline(), nil, log), nil, log)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Capture(ctx, answers[i%len(answers)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "answers/s")
}
