package search

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/store/dbtest"
)

// TestQuestionsAboutRecordsPreferTheirTopics: where a document lives is answered from what was said of the
// documents before a renewal answer that names the same contract, and what was agreed at the last QBR
// from the history before an answer about how often QBRs happen.
func TestQuestionsAboutRecordsPreferTheirTopics(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	manager, err := st.CreateUser(ctx, store.NewUser{Email: "maria@example.com", Name: "Maria", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	iv, accounts, err := st.CreateInterview(ctx, store.NewInterview{ManagerID: manager.ID, CSMName: "Dana Whitfield",
		DepartureDate: time.Now().AddDate(0, 1, 0), TimeBudgetMinutes: 60, Accounts: []store.Account{{Name: "Northwind", Depth: "deep"}},
		InviteHash: []byte("h"), InviteExpiresAt: time.Now().AddDate(0, 2, 0)})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(st, knowledge.NewVectors(st, embed.NewOffline(), nil, log), nil, log)
	for _, a := range []struct {
		topic, text string
	}{
		{"renewal", "The MSA renews on 30 June with ninety days notice, and their CFO decides whether it does."},
		{"documents", "The signed MSA, the order forms and the invoices are in the Northwind folder on SharePoint."},
		{"communication", "Priya wants a QBR every quarter on Teams, and a short email before it with the agenda."},
		{"history", "At the QBR in November we agreed that Priya's team pilots the routing module in January."},
	} {
		m := insertAnswer(t, st, iv.ID, accounts[0].ID, "Tell me about Northwind's "+a.topic, []string{a.topic}, a.text)
		if err := capture.Capture(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	svc := New(st, Fixed(embed.NewOffline()), log)
	viewer := store.Viewer{UserID: manager.ID, Role: store.RoleManager}
	for q, want := range map[string]string{
		"where is the MSA for Northwind?":    "Northwind folder on SharePoint",
		"what did we agree in the last QBR?": "we agreed that Priya's team pilots",
	} {
		results, err := svc.Search(ctx, viewer, Query{Text: q, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if len(results) == 0 || !strings.Contains(results[0].Text, want) {
			var got []string
			for _, r := range results {
				got = append(got, r.Text)
			}
			t.Errorf("%q: first %q, want the passage with %q", q, got, want)
		}
	}
}

// TestTheNextOneIsNotTheLastOne: a question about the next meeting is not answered by a sentence about the
// last one, however close its words and its date; a sentence about the next one answers it, and a question
// about the last one is answered as before.
func TestTheNextOneIsNotTheLastOne(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	ask := func(text string) question {
		subject := terms(text)
		intent := intentOf(text)
		return question{subject: subject, names: peopleNamed(text, subject), intent: intent, kind: answerKind(text, intent),
			next: asksNext(plainWords(text))}
	}
	for _, c := range []struct {
		q       question
		passage string
		want    bool
	}{
		{ask("when is the next corvid qbr"), "last meeting was nov termly review, agreed a primaries push in jan with short training sessions", false},
		{ask("when is the next M&V QBR"), "- last mtg: Nov QBR w/ Henrike Albers + LB, agreed a contract review relaunch in Q1", false},
		{ask("when is the next M&V QBR"), "The next QBR is planned for 12 March in Frankfurt.", true},
		{ask("when was the last M&V QBR"), "- last mtg: Nov QBR w/ Henrike Albers + LB, agreed a contract review relaunch in Q1", true},
	} {
		if got := c.q.answersIn(Result{Text: c.passage}, today); got != c.want {
			t.Errorf("%v answered by %q: %v, want %v", c.q.subject, c.passage, got, c.want)
		}
	}
}
