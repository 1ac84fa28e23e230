package interview

import "testing"

// TestFollowUpsOnTheRecordsQuestion: an answer about the last meetings, the documents and the advocacy
// gets the follow-up for the one thing a successor could not act without: where a document lives, what a
// reference was promised in return, what a meeting agreed. When the answer says it, or denies the thing,
// that follow-up is not asked.
func TestFollowUpsOnTheRecordsQuestion(t *testing.T) {
	t.Parallel()
	topics := []string{"history", "documents", "advocacy"}
	for _, tc := range []struct {
		answer  string
		section string
		asked   bool
	}{
		{"The MSA and the order forms were signed in March, and Finance sorted out the invoices.", "document_where", true},
		{"msa + order forms signed in march. invoices w/ finance, all paid", "document_where", true},
		{"The MSA and the order forms are in the Northwind folder on the shared drive.", "document_where", false},
		{"contract: https://drive.example.com/northwind, decks linked from the Salesforce account", "document_where", false},
		{"They did a case study with us last spring and a G2 review in the autumn.", "advocacy_return", true},
		{"did a reference call for us in oct, was brilliant tbh", "advocacy_return", true},
		{"They did a case study with us last spring; in return we gave them 5% off the renewal.", "advocacy_return", false},
		{"They have never been a reference for us and would not want to be either.", "advocacy_return", false},
		{"We had the QBR in November with their CFO and the whole ops team.", "meeting_agreed", true},
		{"last call w/ their ops lead was 2 weeks ago, long one", "meeting_agreed", true},
		{"At the QBR in November we agreed they pilot the routing module in January.", "meeting_agreed", false},
		// What a meeting agreed is the answer, not a promise that needs a day; a promise said as one still does.
		{"Honestly the last one that mattered was the Oct QBR. We agreed to fix the sync before talking about anything else.", "promise_date", false},
		{"At the QBR I promised them a roadmap session, and they agreed to wait for it.", "promise_date", true},
		// A review meeting is no review on a review site.
		{"The last meeting that mattered was the BAA review call in November, where we agreed that legal answers in writing.", "advocacy_return", false},
		{"The owner wrote us a lovely review on G2, we sent her a hoodie.", "advocacy_return", false},
	} {
		st, q, a := corpusState(topics, tc.answer)
		cov := st.coverage()
		judgeAnswer(st, cov, q, a)
		m := followUpFor(st, cov, q, a)
		got := m != nil && m.section == tc.section
		if got != tc.asked {
			section := "none"
			if m != nil {
				section = m.section
			}
			t.Errorf("%q: follow-up %s, want %s asked %v", tc.answer, section, tc.section, tc.asked)
		}
	}
}

// TestEveryTopicIsWordedOffline: every account topic, the added ones among them, has a planned question
// for deep and brief accounts, a vague follow-up, and words of its own for the coverage rules.
func TestEveryTopicIsWordedOffline(t *testing.T) {
	t.Parallel()
	o, err := NewOffline()
	if err != nil {
		t.Fatal(err)
	}
	for _, topic := range AccountTopics {
		for i, groups := range [][]group{deepGroups, briefGroups} {
			n := 0
			for _, g := range groups {
				for _, gt := range g.topics {
					if gt == topic {
						n++
						if o.questions[g.key] == nil {
							t.Errorf("no question [%s] for %s", g.key, topic)
						}
						// Brief accounts get no follow-ups; a deep question about several topics asks for a left-out one.
						if i == 0 && len(g.topics) > 1 && o.followUps["missing:"+topic] == nil {
							t.Errorf("[%s] asks %s with other topics, and followups.txt has no [missing:%s]", g.key, topic, topic)
						}
					}
				}
			}
			if n != 1 {
				t.Errorf("%s is in %d planned questions of a depth, want 1", topic, n)
			}
		}
		if o.followUps["vague:"+topic] == nil {
			t.Errorf("no [vague:%s]", topic)
		}
		if topicSignals[topic] == nil {
			t.Errorf("no [topic:%s] in rules.txt", topic)
		}
	}
	for _, key := range []string{"success_plan", "implementation", "history", "documents", "advocacy"} {
		if _, ok := TopicByKey(key); !ok {
			t.Errorf("the taxonomy has no %s", key)
		}
	}
}
