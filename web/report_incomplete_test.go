package web

import (
	"context"
	"strings"
	"testing"
)

// TestAnIncompleteReportSaysSoOnItsPageAndInItsJSON: a version built while an answer's capture had not
// completed lists it in its JSON and says so on the report page and in its Markdown.
func TestAnIncompleteReportSaysSoOnItsPageAndInItsJSON(t *testing.T) {
	t.Parallel()
	f := newReportFixture(t)
	var answer string
	if err := f.e.store.Pool().QueryRow(context.Background(), `UPDATE messages SET captured_at = NULL
WHERE id = (SELECT id FROM messages WHERE interview_id = $1 AND role = 'csm' AND kind = 'answer' ORDER BY seq LIMIT 1) RETURNING id`,
		f.iv.ID).Scan(&answer); err != nil {
		t.Fatal(err)
	}
	f.generate(t)
	base := "/api/v1/interviews/" + f.iv.ID
	if r, body := f.get(t, "owner", base+"/report"); r.StatusCode != 200 || !strings.Contains(body, `"incomplete_answer_ids":["`+answer+`"]`) {
		t.Fatalf("JSON: %d %s", r.StatusCode, body)
	}
	const note = "Incomplete: 1 answer not yet included"
	if r, body := f.get(t, "owner", base+"/report.md"); r.StatusCode != 200 || !strings.Contains(body, note) {
		t.Fatalf("Markdown: %d, no %q", r.StatusCode, note)
	}
	if r, body := f.get(t, "owner", "/interviews/"+f.iv.ID+"/report"); r.StatusCode != 200 || !strings.Contains(body, note) {
		t.Fatalf("page: %d, no %q", r.StatusCode, note)
	}
}
