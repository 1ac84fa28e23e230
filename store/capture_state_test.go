package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// TestSaveCaptureMarksTheAnswerCapturedOnce: an answer is uncaptured until its capture is stored; the
// first capture reports its lag, a second one (a re-run, a correction) is not first and leaves the same
// rows.
func TestSaveCaptureMarksTheAnswerCapturedOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t) // the fixture captured its answer already
	m, err := s.MessageByID(ctx, chunks[0].MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `UPDATE messages SET captured_at = NULL WHERE id = $1`, m.ID); err != nil {
		t.Fatal(err)
	}
	if ids, err := s.UncapturedAnswers(ctx, m.InterviewID); err != nil || len(ids) != 1 || ids[0] != m.ID {
		t.Fatalf("uncaptured before the capture: %v, %v", ids, err)
	}
	findings := []store.Finding{{InterviewID: m.InterviewID, MessageID: m.ID, Type: "renewal", Text: "The renewal is in March."}}
	plain := []store.Chunk{{InterviewID: m.InterviewID, MessageID: m.ID, Text: "The renewal is in March."},
		{InterviewID: m.InterviewID, MessageID: m.ID, Position: 1, Text: "Marco signs."}}
	lag, first, err := s.SaveCapture(ctx, m.ID, plain, findings)
	if err != nil || !first || lag <= 0 || lag > time.Hour {
		t.Fatalf("first capture: lag %s, first %v, %v", lag, first, err)
	}
	if ids, err := s.UncapturedAnswers(ctx, m.InterviewID); err != nil || len(ids) != 0 {
		t.Fatalf("uncaptured after the capture: %v, %v", ids, err)
	}
	if _, first, err = s.SaveCapture(ctx, m.ID, plain, findings); err != nil || first {
		t.Fatalf("second capture: first %v, %v", first, err)
	}
	var nChunks, nFindings int
	if err := s.Pool().QueryRow(ctx, `SELECT (SELECT count(*) FROM chunks WHERE message_id = $1), (SELECT count(*) FROM findings WHERE message_id = $1)`,
		m.ID).Scan(&nChunks, &nFindings); err != nil || nChunks != 2 || nFindings != 1 {
		t.Fatalf("after two captures: %d chunks, %d findings (%v)", nChunks, nFindings, err)
	}
}
