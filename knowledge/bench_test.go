package knowledge

import (
	"context"
	"log/slog"
	"testing"

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
	u, err := st.CreateUser(ctx, store.NewUser{Email: "bench@example.com", Name: "Bench", Role: store.RoleManager})
	if err != nil {
		b.Fatal(err)
	}
	answers, err := fidelity.StoreAnswers(ctx, st, u.ID, personas[0], "bench", nil)
	if err != nil {
		b.Fatal(err)
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
