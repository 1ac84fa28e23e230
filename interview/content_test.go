package interview

import (
	"slices"
	"testing"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/store"
)

// TestAFilingByTheCSMWinsOverTheReader: an answer the CSM filed covers what they filed it under, for the
// interview's coverage and for the report's transcript alike; an empty filing covers nothing.
func TestAFilingByTheCSMWinsOverTheReader(t *testing.T) {
	t.Parallel()
	st := &State{Accounts: []store.Account{{ID: "nw", Name: "Northwind"}, {ID: "gx", Name: "Globex"}}}
	q := store.Message{ID: "q", Role: "interviewer", Kind: KindQuestion, AccountID: "nw", Topics: []string{"churn_risk"}}
	a := store.Message{ID: "a", Role: "csm", Kind: KindAnswer, ReplyTo: "q",
		Content: "High risk: they are trialling a competitor and the renewal is 30 June."}
	st.Messages = []store.Message{q, a}
	r := about.NewReader([]mention.Account{{ID: "nw", Name: "Northwind"}, {ID: "gx", Name: "Globex"}})
	pairs := func(cs []about.Cover) []about.Pair {
		var out []about.Pair
		for _, c := range cs {
			if c.Weak {
				t.Errorf("%v is weak", c.Pair)
			}
			out = append(out, c.Pair)
		}
		return out
	}
	read := pairs(st.Covers(a))
	if !slices.Contains(read, about.Pair{AccountID: "nw", Topic: "churn_risk"}) {
		t.Fatalf("the reader's filing: %v", read)
	}
	a.Filed = []store.Filed{{AccountID: "gx", Topic: "renewal"}, {Topic: "decision_rationale"}}
	want := []about.Pair{{AccountID: "gx", Topic: "renewal"}, {Topic: "decision_rationale"}}
	if got := pairs(st.Covers(a)); !slices.Equal(got, want) {
		t.Errorf("coverage reads %v, want %v", got, want)
	}
	if got := pairs(AnswerCovers(r, a, q)); !slices.Equal(got, want) {
		t.Errorf("the transcript reads %v, want %v", got, want)
	}
	a.Filed = []store.Filed{}
	if got := AnswerCovers(r, a, q); len(got) != 0 {
		t.Errorf("an answer filed under nothing covers %v", got)
	}
}
