package interview

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkOfflineTurn measures one CSM turn with the offline engine: the answer committed, the next
// question decided and stored. Interviews are restarted when they end.
func BenchmarkOfflineTurn(b *testing.B) {
	f := newFixtureTB(b)
	ctx := context.Background()
	newInterview := func() string {
		c, err := f.svc.Create(ctx, f.manager.ID, CreateInput{CSMName: "Bench", DepartureDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly), Accounts: sixAccounts()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.svc.View(ctx, c.Interview.ID, nil); err != nil {
			b.Fatal(err)
		}
		return c.Interview.ID
	}
	id := newInterview()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r, err := f.svc.Answer(ctx, id, answers["stakeholders"]+" "+answers["renewal"], fmt.Sprintf("b%d", i), "", nil)
		if err != nil {
			b.Fatal(err)
		}
		if r.Done {
			b.StopTimer()
			id = newInterview()
			b.StartTimer()
		}
	}
}
