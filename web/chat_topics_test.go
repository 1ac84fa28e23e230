package web

import (
	"regexp"
	"testing"

	"github.com/exitinterview/exitinterview/interview"
)

// TestChatNamesEveryTopic: the chat labels every topic of the taxonomy by its own label, so a question
// about a topic added later (the success plan, the documents…) is not shown by its bare key.
func TestChatNamesEveryTopic(t *testing.T) {
	t.Parallel()
	js, err := staticFS.ReadFile("static/chat.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range interview.Topics {
		if !regexp.MustCompile(`\b` + tp.Key + `: "` + regexp.QuoteMeta(tp.Label) + `"`).Match(js) {
			t.Errorf("chat.js does not label %s as %q", tp.Key, tp.Label)
		}
	}
}
