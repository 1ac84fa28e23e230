package search

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

type transcript struct {
	CSM      string
	Accounts []string
	Answers  []struct {
		Account, Question, Answer string
		Topics                    []string
	}
}

type labelled struct {
	Q    string
	Want string
}

// captured builds an interview from testdata/transcript.json and captures every answer, as the capture
// job does; it returns the store, the interview and the manager.
func captured(t *testing.T) (*store.Store, store.Interview, store.User, []store.Account) {
	t.Helper()
	ctx := context.Background()
	var tr transcript
	b, err := os.ReadFile("testdata/transcript.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	st := store.New(dbtest.New(t))
	manager, err := st.CreateUser(ctx, store.NewUser{Email: "maria@example.com", Name: "Maria", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	accounts := make([]store.Account, len(tr.Accounts))
	for i, name := range tr.Accounts {
		accounts[i] = store.Account{Name: name, Depth: "deep"}
	}
	iv, accounts, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: tr.CSM, DepartureDate: time.Now().AddDate(0, 1, 0),
		TimeBudgetMinutes: 60, Accounts: accounts, InviteHash: []byte("h"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, a := range accounts {
		ids[a.Name] = a.ID
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(st, knowledge.NewVectors(st, embed.NewOffline(), nil, log), nil, log)
	for _, a := range tr.Answers {
		answer := insertAnswer(t, st, iv.ID, ids[a.Account], a.Question, a.Topics, a.Answer)
		if err := capture.Capture(ctx, answer.ID); err != nil {
			t.Fatal(err)
		}
	}
	return st, iv, manager, accounts
}

// insertAnswer stores a question and the CSM's answer to it, as a turn does.
func insertAnswer(t *testing.T, st *store.Store, interviewID, accountID, question string, topics []string, answer string) store.Message {
	t.Helper()
	ctx := context.Background()
	var m store.Message
	err := st.Transact(ctx, func(tx *store.Store) error {
		if _, err := tx.LockInterview(ctx, interviewID); err != nil {
			return err
		}
		q, err := tx.InsertMessage(ctx, store.Message{InterviewID: interviewID, Role: "interviewer", Kind: "question", Content: question,
			AccountID: accountID, Topics: topics})
		if err != nil {
			return err
		}
		m, err = tx.InsertMessage(ctx, store.Message{InterviewID: interviewID, Role: "csm", Kind: "answer", Content: answer, ReplyTo: q.ID})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSearchQualityOnALabelledSet asks 50 plain-language questions (many of them paraphrases that share
// few words with the answer) and measures where the passage that answers them ranks.
func TestSearchQualityOnALabelledSet(t *testing.T) {
	t.Parallel()
	st, _, manager, _ := captured(t)
	var queries []labelled
	b, err := os.ReadFile("testdata/queries.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &queries); err != nil {
		t.Fatal(err)
	}
	svc := New(st, Fixed(embed.NewOffline()), slog.New(slog.DiscardHandler))
	viewer := store.Viewer{UserID: manager.ID, Role: store.RoleManager}
	hits3, rr := 0, 0.0
	for _, lq := range queries {
		results, err := svc.Search(context.Background(), viewer, Query{Text: lq.Q, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		rank := 0
		for i, r := range results {
			if strings.Contains(r.Text, lq.Want) {
				rank = i + 1
				break
			}
		}
		if rank > 0 && rank <= 3 {
			hits3++
		}
		if rank > 0 {
			rr += 1 / float64(rank)
		}
		if rank == 0 || rank > 3 {
			top := ""
			if len(results) > 0 {
				top = results[0].Text
			}
			t.Logf("miss (rank %d): %q wants %q; top: %.80q", rank, lq.Q, lq.Want, top)
		}
	}
	hitAt3 := float64(hits3) / float64(len(queries))
	mrr := rr / float64(len(queries))
	t.Logf("labelled set: %d questions, hit@3 %.2f, MRR %.2f", len(queries), hitAt3, mrr)
	if hitAt3 < 0.8 {
		t.Errorf("hit@3 %.2f is below 0.8", hitAt3)
	}
}
