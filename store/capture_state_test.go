package store_test

import (
	"context"
	"errors"
	"slices"
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

// TestCaptureSourceReadsWhatACaptureNeeds: the answer, the question it replied to, its interview and
// accounts, the CSM's corrections of it (not of other answers) and where they settled its sentences; a
// message that does not exist is not found.
func TestCaptureSourceReadsWhatACaptureNeeds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t)
	manager, err := s.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, accounts, err := s.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana", DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 30, Accounts: []store.Account{{Name: "Northwind", Depth: "deep"}, {Name: "Globex", Depth: "deep"}},
		InviteHash: []byte("x"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	var q, a, other store.Message
	err = s.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, iv.ID); err != nil {
			return err
		}
		if q, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "interviewer", Kind: "question", Content: "Who signs?",
			AccountID: accounts[0].ID, Topics: []string{"renewal"}}); err != nil {
			return err
		}
		if a, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "Marco signs.", ReplyTo: q.ID}); err != nil {
			return err
		}
		other, err = tx.InsertMessage(ctx, store.Message{InterviewID: iv.ID, Role: "csm", Kind: "answer", Content: "Nothing else."})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []store.Correction{{InterviewID: iv.ID, MessageID: a.ID, Original: "Marco", Corrected: "Marco Rossi"},
		{InterviewID: iv.ID, MessageID: other.ID, Original: "Nothing", Corrected: "Nothing at all"}} {
		if _, err := s.AddCorrection(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SettleAttribution(ctx, iv.ID, a.ID, "Marco signs.", accounts[1].ID); err != nil {
		t.Fatal(err)
	}
	src, err := s.CaptureSource(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if src.Message.ID != a.ID || src.Question.ID != q.ID || src.Interview.ID != iv.ID || src.Interview.CSMName != "Dana" || len(src.Accounts) != 2 ||
		src.Accounts[0].Name != "Northwind" || len(src.Corrections) != 1 || src.Corrections[0].Corrected != "Marco Rossi" ||
		src.Attributions["Marco signs."] != accounts[1].ID {
		t.Fatalf("capture source: %+v", src)
	}
	if src, err = s.CaptureSource(ctx, other.ID); err != nil || src.Question.ID != "" || len(src.Attributions) != 0 {
		t.Fatalf("an answer to no question: %+v, %v", src, err)
	}
	if _, err := s.CaptureSource(ctx, "8a0c6f33-0d8a-4c55-9a51-1f1d0f1e6b10"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a message that does not exist: %v", err)
	}
}

// TestSaveFactsInsertsUpdatesAndDeletesTogether: what SaveFacts stores reads back as SaveFact would have
// stored it, a fact the CSM added keeps no extracted fields, and an update of a fact that is gone is not
// found (nothing of that call is kept).
func TestSaveFactsInsertsUpdatesAndDeletesTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t)
	iv := chunks[0].InterviewID
	source := chunks[0].MessageID
	decided := time.Now().Truncate(time.Second)
	keep, err := s.SaveFact(ctx, store.Fact{InterviewID: iv, Type: "risk", Fields: map[string]string{"level": "high"}, State: "extracted"})
	if err != nil {
		t.Fatal(err)
	}
	gone, err := s.SaveFact(ctx, store.Fact{InterviewID: iv, Type: "decision", Text: "Old.", State: "extracted"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.SaveFacts(ctx, []store.Fact{
		{ID: keep, InterviewID: iv, Type: "risk", Fields: map[string]string{"level": "low"}, Extracted: map[string]string{"level": "high"},
			Text: "Low now.", Sources: []string{source}, Confidence: 0.9, State: "corrected", Position: 2, DecidedAt: &decided},
		{InterviewID: iv, Type: "person", Fields: map[string]string{"name": "Marco"}, Text: "Marco signs.", Sources: []string{source, source},
			Confidence: 0.7, State: "extracted", Position: 1, Uncertain: true},
	}, []string{gone})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Facts(ctx, iv)
	if err != nil || len(all) != 2 {
		t.Fatalf("facts: %+v, %v", all, err)
	}
	person, risk := all[0], all[1] // by position
	if risk.ID != keep || risk.Fields["level"] != "low" || risk.Extracted["level"] != "high" || risk.Text != "Low now." ||
		len(risk.Sources) != 1 || risk.Sources[0] != source || float32(risk.Confidence) != 0.9 || risk.State != "corrected" ||
		risk.DecidedAt == nil || !risk.DecidedAt.Equal(decided) || risk.Uncertain {
		t.Fatalf("updated: %+v", risk)
	}
	if person.Type != "person" || person.Fields["name"] != "Marco" || person.Extracted != nil || len(person.Sources) != 2 ||
		person.Position != 1 || !person.Uncertain || person.DecidedAt != nil {
		t.Fatalf("inserted: %+v", person)
	}
	err = s.Transact(ctx, func(tx *store.Store) error {
		return tx.SaveFacts(ctx, []store.Fact{{InterviewID: iv, Type: "decision", Text: "New.", State: "extracted"},
			{ID: gone, InterviewID: iv, Type: "decision", Text: "Back.", State: "extracted"}}, nil)
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("updating a deleted fact: %v", err)
	}
	if all, err := s.Facts(ctx, iv); err != nil || len(all) != 2 {
		t.Fatalf("after the failed save: %+v, %v", all, err)
	}
}

// TestLockFactSourcesReadsUnderTheLock: the findings, facts and uncaptured answers of the interview, and
// a second transaction asking for them waits on the lock until the first ends.
func TestLockFactSourcesReadsUnderTheLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t)
	iv, m := chunks[0].InterviewID, chunks[0].MessageID
	if _, _, err := s.SaveCapture(ctx, m, nil, []store.Finding{{InterviewID: iv, MessageID: m, Type: "renewal", Text: "In March."}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFact(ctx, store.Fact{InterviewID: iv, Type: "renewal", State: "extracted"}); err != nil {
		t.Fatal(err)
	}
	held := make(chan struct{})
	release := make(chan struct{})
	go func() {
		_ = s.Transact(ctx, func(tx *store.Store) error {
			if _, err := tx.LockFactSources(ctx, iv); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	got := make(chan store.FactSources)
	go func() {
		var src store.FactSources
		_ = s.Transact(ctx, func(tx *store.Store) error {
			var err error
			src, err = tx.LockFactSources(ctx, iv)
			return err
		})
		got <- src
	}()
	for waiting := false; !waiting; {
		select {
		case <-got:
			t.Fatal("a second reader did not wait for the lock")
		case <-time.After(10 * time.Millisecond):
		}
		if err := s.Pool().QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
AND wait_event_type = 'Lock' AND wait_event = 'advisory')`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	src := <-got
	if len(src.Findings) != 1 || src.Findings[0].Text != "In March." || len(src.Facts) != 1 || len(src.Uncaptured) != 0 {
		t.Fatalf("fact sources: %+v", src)
	}
}

// TestCapturingAgainKeepsTheIDsOfFindingsSaidAgain: a capture run again keeps the id of each finding it
// finds again (same type, account and text), replaces the others, keeps the answer's order, and stores
// several answers' captures at once as it stores one.
func TestCapturingAgainKeepsTheIDsOfFindingsSaidAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _, chunks := chunkFixture(t)
	iv, m := chunks[0].InterviewID, chunks[0].MessageID
	finding := func(typ, text string) store.Finding {
		return store.Finding{InterviewID: iv, MessageID: m, Type: typ, Text: text, Fields: map[string]string{"n": text}}
	}
	texts := func() (ids, out []string) {
		all, err := s.Findings(ctx, iv)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range all {
			ids, out = append(ids, f.ID), append(out, f.Type+" "+f.Text)
		}
		return ids, out
	}
	first := []store.Finding{finding("risk", "a"), finding("renewal", "b"), finding("risk", "c"), finding("risk", "a")}
	if _, _, err := s.SaveCapture(ctx, m, chunks, first); err != nil {
		t.Fatal(err)
	}
	before, said := texts()
	if want := []string{"risk a", "renewal b", "risk c", "risk a"}; !slices.Equal(said, want) {
		t.Fatalf("first capture: %v, want %v", said, want)
	}
	again := []store.Finding{finding("risk", "d"), finding("risk", "a"), finding("renewal", "b")}
	if _, err := s.SaveCaptures(ctx, []store.Capture{{MessageID: m, Chunks: chunks, Findings: again}}); err != nil {
		t.Fatal(err)
	}
	after, said := texts()
	if want := []string{"risk d", "risk a", "renewal b"}; !slices.Equal(said, want) {
		t.Fatalf("second capture: %v, want %v", said, want)
	}
	if after[1] != before[0] || after[2] != before[1] || slices.Contains(before, after[0]) {
		t.Fatalf("ids before %v, after %v: the findings said again keep theirs, the new one has its own", before, after)
	}
	stored, err := s.Chunks(ctx, m)
	if err != nil || len(stored) != len(chunks) || stored[1].Text != chunks[1].Text {
		t.Fatalf("chunks after capturing again: %+v, %v", stored, err)
	}
}
