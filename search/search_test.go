package search

import (
	"testing"

	"github.com/google/go-cmp/cmp"
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
