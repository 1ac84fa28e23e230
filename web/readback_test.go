package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/store"
)

// readbackAnswers are what the scripted CSM says about Stark Logistics, by topic; anything else gets
// "Nothing more to add there." Wayne Retail gets only a line on its people, so its risk is unknown.
var readbackAnswers = map[string]string{
	"stakeholders": "Priya Shah is our champion and Marco Rossi signs off. Tom Price in procurement: never cc him on anything.",
	"churn_risk":   "High risk: they are evaluating Samsara and the GPS drift cost us their trust.",
	"renewal":      "Renews 31 March 2027, about 60% likely.",
	"commitments":  "I promised Priya the uptime report by 15 January 2027.",
}

type readbackEnv struct {
	e       *testEnv
	capture *knowledge.Service
	invite  string
	csm     reqOpt
	id      string
}

// newReadbackEnv is a server whose interviewer reads back what it understood, with a two-account session.
func newReadbackEnv(t *testing.T) readbackEnv {
	e := newTestEnv(t, nil)
	log := slog.New(slog.DiscardHandler)
	capture := knowledge.New(e.store, knowledge.NewVectors(e.store, embed.NewOffline(), nil, log), nil, log)
	e.ivs.SetFactRefresher(capture)
	e.user(store.RoleManager, "maria@example.com")
	body := fmt.Sprintf(`{"csm":{"name":"Dana Whitfield","email":"dana@example.com"},"departure_date":%q,"accounts":[
		{"name":"Stark Logistics","arr":95000,"renewal_date":"2027-06-30","crm":{"health":"green"}},
		{"name":"Wayne Retail","arr":30000}]}`, departure())
	c := decodeInto[createdJSON](t, e.postJSON("/api/v1/interviews", body, withBearer(e.token("maria@example.com"))))
	return readbackEnv{e: e, capture: capture, invite: c.InviteToken, csm: withBearer(c.InviteToken), id: c.ID}
}

// answerUntilReadback answers the plan's questions until the interviewer shows a read-back card.
func (r readbackEnv) answerUntilReadback(t *testing.T, turn turnJSON) turnJSON {
	t.Helper()
	for n := 0; n < 60; n++ {
		q := turn.NextQuestion
		if q == nil {
			t.Fatalf("the interview ended without a read-back")
		}
		if q.Kind == "readback" {
			return turn
		}
		text := "Nothing more to add there."
		if q.Account != nil && *q.Account == "Stark Logistics" {
			var parts []string
			for _, tp := range q.Topics {
				if a, ok := readbackAnswers[tp]; ok && q.Kind == "question" {
					parts = append(parts, a)
				}
			}
			if len(parts) > 0 {
				text = strings.Join(parts, " ")
			}
		} else if q.Account != nil && slices.Contains(q.Topics, "stakeholders") && q.Kind == "question" {
			text = "Selina Kyle runs the stores."
		}
		resp := r.e.postJSON("/api/v1/interview/messages", fmt.Sprintf(`{"content":%q,"client_id":"a-%s"}`, text, q.ID), r.csm)
		turn = decodeInto[turnJSON](t, resp)
	}
	t.Fatal("no read-back after 60 turns")
	return turn
}

func (r readbackEnv) facts(t *testing.T) []store.Fact {
	t.Helper()
	all, err := r.e.store.Facts(context.Background(), r.id)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func factOf(card []factJSON, typ, field, value string) *factJSON {
	for i, f := range card {
		if f.Type == typ && (field == "" || f.Fields[field] == value) {
			return &card[i]
		}
	}
	return nil
}

// TestReadbackOverTheAPI: leaving an account, the interviewer shows what it understood as a read-back
// question carrying the facts; bad replies are refused with 4xx and change nothing; a reply corrects a
// field, withdraws a fact, adds one and confirms the rest in one step, and a resend changes nothing
// again. An account whose risk the rules could not read offers the levels as choices, answered with
// {"choice"} on the messages route.
func TestReadbackOverTheAPI(t *testing.T) {
	t.Parallel()
	r := newReadbackEnv(t)
	first := decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm))
	turn := r.answerUntilReadback(t, first)
	q := turn.NextQuestion
	if q.Account == nil || *q.Account != "Stark Logistics" || q.Facts == nil || !strings.Contains(q.Text, "Before we leave Stark Logistics") {
		t.Fatalf("read-back: %+v", q)
	}
	card := *q.Facts
	risk, priya, tom := factOf(card, "risk", "level", "high"), factOf(card, "person", "name", "Priya Shah"), factOf(card, "person", "name", "Tom Price")
	promise := factOf(card, "commitment", "due_date", "2027-01-15")
	if risk == nil || priya == nil || tom == nil || tom.Fields["do_not_contact"] != "yes" || promise == nil || len(q.Choices) != 0 {
		t.Fatalf("the card does not hold what was said: %+v", card)
	}
	messages := r.e.count("messages")

	for _, bad := range []struct {
		body   string
		status int
	}{
		{`{"question_id":"` + q.ID + `","corrections":[{"fact_id":"00000000-0000-0000-0000-000000000000","withdraw":true}]}`, 400},
		{`{"question_id":"` + q.ID + `","corrections":[{"fact_id":"` + risk.ID + `","fields":{"level":"severe"}}]}`, 400},
		{`{"question_id":"` + q.ID + `","corrections":[{"fact_id":"` + risk.ID + `","fields":{"colour":"red"}}]}`, 400},
		{`{"question_id":"` + q.ID + `","corrections":[{"new":{"type":"rumour","fields":{}}}]}`, 400},
		{`{"question_id":"` + q.ID + `"}`, 400},
		{`{"confirm":true}`, 400},
		{`{"question_id":"` + q.ID + `","confirm":true,"choice":"high"}`, 400}, // the card offers no choices
		{`{"question_id":"not-the-open-one","confirm":true}`, 409},
		{`{"question_id":`, 400},
	} {
		resp := r.e.postJSON("/api/v1/interview/readback", bad.body, r.csm)
		if resp.StatusCode != bad.status {
			t.Errorf("%s: %d %s, want %d", bad.body, resp.StatusCode, readBody(t, resp), bad.status)
		}
	}
	if n := r.e.count("messages"); n != messages {
		t.Fatalf("refused replies stored %d messages", n-messages)
	}
	for _, f := range r.facts(t) {
		if f.State != facts.Extracted {
			t.Fatalf("a refused reply decided a fact: %+v", f)
		}
	}

	reply := fmt.Sprintf(`{"question_id":%q,"client_id":"rb-1","confirm":true,"corrections":[
		{"fact_id":%q,"fields":{"level":"critical"}},
		{"fact_id":%q,"withdraw":true},
		{"new":{"type":"person","fields":{"name":"Maya Lin","role":"chief of staff","status":"on_leave"}}}]}`, q.ID, risk.ID, priya.ID)
	resp := r.e.postJSON("/api/v1/interview/readback", reply, r.csm)
	after := decodeInto[turnJSON](t, resp)
	if resp.StatusCode != 201 || after.Message == nil || after.Message.Kind != "readback" || !strings.Contains(after.Message.Content, "level critical") ||
		after.NextQuestion == nil || after.NextQuestion.ID == q.ID {
		t.Fatalf("reply: %d %+v", resp.StatusCode, after)
	}
	again := decodeInto[turnJSON](t, r.e.postJSON("/api/v1/interview/readback", reply, r.csm))
	if again.Message == nil || again.Message.ID != after.Message.ID {
		t.Fatalf("a resend stored another reply: %+v", again)
	}
	states := map[string]string{}
	for _, f := range r.facts(t) {
		states[f.Type+":"+f.Fields["name"]+f.Fields["level"]] = f.State
	}
	if states["risk:critical"] != facts.Corrected || states["person:Priya Shah"] != facts.Withdrawn || states["person:Tom Price"] != facts.Confirmed ||
		states["person:Maya Lin"] != facts.Corrected || states["commitment:"] != facts.Confirmed {
		t.Fatalf("facts after the reply: %v", states)
	}

	// Wayne Retail: nothing was said of its risk; its card asks for the level as a choice.
	turn = r.answerUntilReadback(t, after)
	q = turn.NextQuestion
	if q.Account == nil || *q.Account != "Wayne Retail" || len(q.Choices) != 5 || q.Choices[2].Value != "high" {
		t.Fatalf("the second read-back: %+v", q)
	}
	if resp := r.e.postJSON("/api/v1/interview/messages", `{"choice":"severe","client_id":"c-0"}`, r.csm); resp.StatusCode != 400 {
		t.Errorf("a choice the question does not offer: %d", resp.StatusCode)
	}
	resp = r.e.postJSON("/api/v1/interview/messages", `{"choice":"medium","client_id":"c-1","question_id":"`+q.ID+`"}`, r.csm)
	chose := decodeInto[turnJSON](t, resp)
	if resp.StatusCode != 201 || chose.Message == nil || chose.NextQuestion == nil || chose.NextQuestion.Kind == "readback" {
		t.Fatalf("choice: %d %+v", resp.StatusCode, chose)
	}
	var wayneRisk []store.Fact
	for _, f := range r.facts(t) {
		if f.Type == facts.Risk && f.Fields["level"] == "medium" {
			wayneRisk = append(wayneRisk, f)
		}
	}
	if len(wayneRisk) != 1 || wayneRisk[0].State != facts.Corrected {
		t.Fatalf("the chosen level: %+v", wayneRisk)
	}
	var choice string
	if err := r.e.store.Pool().QueryRow(context.Background(), `SELECT choice FROM messages WHERE id = $1`, chose.Message.ID).Scan(&choice); err != nil || choice != "medium" {
		t.Fatalf("the reply keeps its choice: %q %v", choice, err)
	}
}

// TestReviewFactsOverTheAPI: the review lists what was understood of each account, and the CSM confirms
// or corrects it there as in the chat's read-back (when they finished before a card came, say); a bad
// change is refused and changes nothing, and a handed-over session refuses it.
func TestReviewFactsOverTheAPI(t *testing.T) {
	t.Parallel()
	r := newReadbackEnv(t)
	r.answerUntilReadback(t, decodeInto[turnJSON](t, r.e.do(http.MethodGet, "/api/v1/interview", nil, r.csm)))
	msgs, err := r.e.store.Messages(context.Background(), r.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if err := r.capture.Capture(context.Background(), m.ID); err != nil {
			t.Fatal(err)
		}
	}
	type reviewJSON struct {
		Accounts []struct {
			Account *string     `json:"account"`
			Facts   *[]factJSON `json:"facts"`
		} `json:"accounts"`
	}
	review := decodeInto[reviewJSON](t, r.e.do(http.MethodGet, "/api/v1/interview/review", nil, r.csm))
	var card []factJSON
	for _, a := range review.Accounts {
		if a.Account != nil && *a.Account == "Stark Logistics" && a.Facts != nil {
			card = *a.Facts
		}
	}
	risk := factOf(card, "risk", "level", "high")
	if risk == nil || factOf(card, "person", "name", "Tom Price") == nil {
		t.Fatalf("the review's facts of Stark Logistics: %+v", card)
	}
	for _, bad := range []string{
		`{"account":"Stark Logistics","corrections":[{"fact_id":"` + risk.ID + `","fields":{"level":"severe"}}]}`,
		`{"account":"Nobody Inc","confirm":true}`,
		`{"account":"Stark Logistics"}`,
	} {
		if resp := r.e.postJSON("/api/v1/interview/review/facts", bad, r.csm); resp.StatusCode != 400 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	for _, f := range r.facts(t) {
		if f.State != facts.Extracted {
			t.Fatalf("a refused change decided a fact: %+v", f)
		}
	}
	resp := r.e.postJSON("/api/v1/interview/review/facts", `{"account":"Stark Logistics","confirm":true,"corrections":[{"fact_id":"`+risk.ID+`","fields":{"level":"medium"}}]}`, r.csm)
	var saved struct {
		Facts []factJSON `json:"facts"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&saved); err != nil || resp.StatusCode != 200 {
		t.Fatalf("save: %d %v", resp.StatusCode, err)
	}
	if f := factOf(saved.Facts, "risk", "level", "medium"); f == nil || f.State != facts.Corrected {
		t.Fatalf("the corrected risk: %+v", saved.Facts)
	}
	if f := factOf(saved.Facts, "person", "name", "Tom Price"); f == nil || f.State != facts.Confirmed {
		t.Fatalf("the confirmed person: %+v", saved.Facts)
	}
}
