package search

import (
	"slices"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// TestRerankPutsThePassageThatAnswersFirst: of two passages the fusion ranked close, the one whose
// sentence holds what the question asks comes first; a passage far below the best stays below, and
// without a subject the order is the fusion's.
func TestRerankPutsThePassageThatAnswersFirst(t *testing.T) {
	t.Parallel()
	hits := map[string]store.SearchHit{
		"long":   {Text: "Northwind runs our routing module in 40 depots. Northwind's team is friendly and Northwind pays on time."},
		"answer": {Text: "Their champion is Priya Shah, who runs support operations."},
		"far":    {Text: "The champion of their champions league team is Priya."},
	}
	scores := map[string]float64{"long": 1.0, "answer": 0.9, "far": 0.05}
	got := rerank([]string{"long", "answer", "far"}, hits, scores, question{subject: []string{"champion"}})
	if !slices.Equal(got[:2], []string{"answer", "long"}) {
		t.Errorf("reranked %v", got)
	}
	if got := rerank([]string{"long", "answer", "far"}, hits, scores, question{}); !slices.Equal(got, []string{"long", "answer", "far"}) {
		t.Errorf("without a subject: %v", got)
	}
}
