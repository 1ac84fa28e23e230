package fidelity

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestScoreReadsTheReportAgainstTheTruth pins each figure on a report made up for one account.
func TestScoreReadsTheReportAgainstTheTruth(t *testing.T) {
	t.Parallel()
	p := Persona{
		Answers: []Answer{
			{Account: "Umbrella", Topic: "churn_risk", Covers: []Coverage{{"Umbrella", "churn_risk"}, {"Umbrella", "upsell"}}},
			{Account: "Umbrella", Topic: "upsell", Text: "see above"},
		},
		Truth: map[string]AccountTruth{"Umbrella": {
			Risk: "high",
			People: []PersonFact{
				{Name: "Karen Liu", Mentions: []string{"Karen"}, Relationship: "decision_maker", Status: "active"},
				{Name: "Tom Price", Relationship: "procurement", Status: "active", DoNotContact: true, Reason: "never cc him"},
				{Name: "Ana Ruiz", Relationship: "sponsor", Status: "left"},
				{Name: "Rob Jones", Relationship: "user", Status: "active"}, // named only in an answer never sent: not counted
			},
			NotPeople:      []string{"Slack Connect"},
			Commitments:    []Commitment{{What: "fix", Due: "2027-01-08"}, {What: "deck", Due: "2027-01-10"}},
			Contradictions: []Contradiction{{Kind: "health"}, {Kind: "renewal_date"}},
		}},
	}
	var r Report
	if err := json.Unmarshal([]byte(`{"status": "ready", "accounts": [{"name": "Umbrella", "risk": {"level": "medium"},
  "findings": [
    {"type": "stakeholder", "fields": {"name": "Karen"}},
    {"type": "stakeholder", "fields": {"name": "Connect"}},
    {"type": "commitment", "fields": {"due_date": "2027-01-11"}},
    {"type": "commitment", "fields": {"due_date": "2027-01-08"}}],
  "intro_email": {"to": ["Karen Liu", "Tom Price", "Slack Connect"]}}],
 "contradictions": [{"account": "Umbrella", "crm": "Health green"}],
 "gaps": [{"account": "Umbrella", "topic": "upsell"}, {"account": "Umbrella", "topic": "renewal"}],
 "transcript": [{"role": "interviewer"}, {"role": "csm", "covers": [{"account": "Umbrella", "topic": "churn_risk"},
   {"account": "Umbrella", "topic": "renewal"}]}, {"role": "interviewer"}, {"role": "csm"}, {"role": "interviewer"},
   {"role": "csm", "covers": [{"account": "Umbrella", "topic": "upsell"}]}]}`), &r); err != nil {
		t.Fatal(err)
	}
	run := Run{Report: r, Asked: []Asked{{Account: "Umbrella", Topics: []string{"churn_risk"}, Kind: "question"},
		{Account: "Umbrella", Topics: []string{"upsell"}, Kind: "question", AlreadyAnswered: true}, {Kind: "closing"}},
		Sent: []Sent{{Covers: []Coverage{{"Umbrella", "churn_risk"}, {"Umbrella", "upsell"}}, Scored: true, Text: "karen decides; Tom Price is in procurement"},
			{Scored: true, Text: "Ana Ruiz left. Tomorrow is busy."}, {}}}
	got := Score(p, run)
	want := Scores{
		Risk:            Share{0, 1},
		Contradictions:  Share{1, 2},
		PersonPrecision: Share{1, 2},
		PersonRecall:    Share{1, 3},
		WrongIntros:     2,
		CommitmentDates: Share{1, 2},
		GapPrecision:    Share{1, 2},
		AlreadyAnswered: Share{1, 2},
		// The first answer says churn risk and renewal where the truth has churn risk and upsell; "see
		// above" says nothing, rightly; the closing reply is not scored.
		TopicAttribution: Pairs{Right: 1, Said: 2, True: 2},
		AnsweredPairs:    Share{2, 2},
	}
	if got != want {
		t.Errorf("Score =\n%+v\nwant\n%+v", got, want)
	}
}

// TestPrintMissesSaysWhatARunGotWrong: each kind of miss is written, and nothing that was right.
func TestPrintMissesSaysWhatARunGotWrong(t *testing.T) {
	t.Parallel()
	p := Persona{
		Answers: []Answer{{Account: "Umbrella", Topic: "churn_risk"}, {Account: "Umbrella", Topic: "upsell"}, {Account: "Umbrella", Topic: "renewal"},
			{Account: "", Topic: "escalation_paths"}},
		Truth: map[string]AccountTruth{"Umbrella": {Commitments: []Commitment{{What: "fix", Due: "2027-01-08"}, {What: "deck", Due: "2027-01-10"}}}},
	}
	var r Report
	if err := json.Unmarshal([]byte(`{"accounts": [{"name": "Umbrella", "findings": [{"type": "commitment", "fields": {"due_date": "2027-01-08"}}]}],
 "transcript": [{"role": "interviewer"}, {"role": "csm", "covers": [{"account": "Umbrella", "topic": "churn_risk"}, {"account": "Umbrella", "topic": "renewal"}]},
   {"role": "interviewer"}, {"role": "csm", "covers": [{"account": "", "topic": "escalation_paths"}]}]}`), &r); err != nil {
		t.Fatal(err)
	}
	run := Run{Report: r,
		Asked: []Asked{{Account: "Umbrella", Topics: []string{"upsell"}, Kind: "question", Text: "Any upsell?", AlreadyAnswered: true},
			{Topics: []string{"escalation_paths"}, Kind: "question", Text: "Who do you escalate to?"}},
		Sent: []Sent{{Covers: []Coverage{{"Umbrella", "churn_risk"}, {"Umbrella", "upsell"}}, Scored: true, Text: "high, and they want more seats"},
			{Covers: []Coverage{{"", "escalation_paths"}}, Scored: true, Text: "Marco in support"}}}
	var b strings.Builder
	PrintMisses(&b, p, run)
	want := `never answered: Umbrella / renewal
commitment date: Umbrella, "deck" due 2027-01-10; the report's commitments are due [2027-01-08]
already answered: Umbrella [upsell] (question): "Any upsell?"
topics: missed [Umbrella / upsell], added [Umbrella / renewal] in "high, and they want more seats"
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
