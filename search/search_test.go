package search

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/store"
)

func TestMarkSnippetEscapesBeforeMarking(t *testing.T) {
	t.Parallel()
	got := markSnippet("<script>alert(1)</script> \x01Marco\x02 & co")
	if want := "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Marco</mark> &amp; co"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestTermsMakeASafeOrQuery(t *testing.T) {
	t.Parallel()
	got := orQuery(terms("Who signs the contract at Stark's? (renewal) & | ! :* 'x'"))
	if want := "signs | contract | stark | renewal"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string(nil), terms("who is the")); diff != "" {
		t.Error(diff)
	}
}

// TestFarVectorOnlyPassagesAreDropped: a passage only the vectors found, much further from the question
// than the best, is not listed ("Nothing open right now" under a question about the GPS drift).
func TestFarVectorOnlyPassagesAreDropped(t *testing.T) {
	t.Parallel()
	st, _, manager, _ := captured(t)
	svc := New(st, Fixed(embed.NewOffline()), slog.New(slog.DiscardHandler))
	results, err := svc.Search(context.Background(), store.Viewer{UserID: manager.ID, Role: store.RoleManager}, Query{Text: "GPS drift", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) < 2 || !strings.Contains(results[0].Text+results[1].Text, "GPS drift bug") {
		t.Fatalf("top result %v", results)
	}
	for _, r := range results {
		if strings.HasPrefix(r.Text, "Nothing open right now") {
			t.Fatalf("a far vector-only passage is listed: %q among %d results", r.Text, len(results))
		}
	}
}
