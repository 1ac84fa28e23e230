package web

import (
	"math"
	"time"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
)

// The JSON shapes of the HTTP API. Field names are a contract.

type messageJSON struct {
	ID        string    `json:"id"`
	Seq       int       `json:"seq"`
	Role      string    `json:"role"`
	Kind      string    `json:"kind"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"created_at"`
	// Notice, on a CSM's answer, tells them which credentials were kept out of the notes.
	Notice string `json:"notice,omitempty"`
}

type questionJSON struct {
	ID     string   `json:"id"`
	Text   string   `json:"text"`
	Topics []string `json:"topics"`
	// Account is the account's name, or null for portfolio-wide questions.
	Account *string `json:"account"`
	Kind    string  `json:"kind"`
	// From is who asked a question put to the CSM on their behalf: manager or successor.
	From string `json:"from,omitempty"`
	// Facts are what a read-back card shows (kind "readback"): what was understood of the account.
	Facts *[]factJSON `json:"facts,omitempty"`
	// Choices are the answers the question offers; one is sent as "choice".
	Choices []store.Choice `json:"choices,omitempty"`
}

// factJSON is one fact of a read-back card.
type factJSON struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	Fields     map[string]string `json:"fields"`
	Text       string            `json:"text"`
	State      string            `json:"state"`
	Confidence float64           `json:"confidence"`
	MessageIDs []string          `json:"message_ids"`
}

func toFactsJSON(card []store.Fact) []factJSON {
	out := make([]factJSON, len(card))
	for i, f := range card {
		fields, ids := f.Fields, f.Sources
		if fields == nil {
			fields = map[string]string{}
		}
		if ids == nil {
			ids = []string{}
		}
		out[i] = factJSON{ID: f.ID, Type: f.Type, Fields: fields, Text: f.Text, State: f.State,
			Confidence: math.Round(f.Confidence*100) / 100, MessageIDs: ids}
	}
	return out
}

type coverageItemJSON struct {
	Account *string `json:"account"`
	Topic   string  `json:"topic"`
	State   string  `json:"state"`
}

type coverageJSON struct {
	Percent int                `json:"percent"`
	Items   []coverageItemJSON `json:"items"`
}

type turnJSON struct {
	Message      *messageJSON  `json:"message,omitempty"`
	NextQuestion *questionJSON `json:"next_question"`
	Coverage     coverageJSON  `json:"coverage"`
	Done         bool          `json:"done"`
}

type csmInterviewJSON struct {
	ID       string        `json:"id"`
	Status   string        `json:"status"`
	CSM      string        `json:"csm"`
	Messages []messageJSON `json:"messages"`
	turnJSON
}

func toMessageJSON(m store.Message) messageJSON {
	return messageJSON{ID: m.ID, Seq: m.Seq, Role: m.Role, Kind: m.Kind, Content: m.Content, CreatedAt: m.CreatedAt,
		Notice: interview.RedactionNotice(m.Redactions)}
}

func accountNames(accounts []store.Account) map[string]string {
	names := make(map[string]string, len(accounts))
	for _, a := range accounts {
		names[a.ID] = a.Name
	}
	return names
}

func namePtr(names map[string]string, id string) *string {
	if id == "" {
		return nil
	}
	n := names[id]
	return &n
}

func toQuestionJSON(m *store.Message, names map[string]string) *questionJSON {
	if m == nil {
		return nil
	}
	topics := m.Topics
	if topics == nil {
		topics = []string{}
	}
	return &questionJSON{ID: m.ID, Text: m.Content, Topics: topics, Account: namePtr(names, m.AccountID), Kind: m.Kind, From: m.AskedFrom}
}

// toCoverageJSON lists coverage in plan order: accounts as planned, topics in taxonomy order, then the
// portfolio.
func toCoverageJSON(accounts []store.Account, items []store.CoverageItem) coverageJSON {
	names := accountNames(accounts)
	byKey := map[[2]string]string{}
	for _, c := range items {
		byKey[[2]string{c.AccountID, c.Topic}] = c.State
	}
	out := coverageJSON{Percent: interview.Percent(items), Items: []coverageItemJSON{}}
	for _, a := range accounts {
		for _, t := range interview.AccountTopics {
			if st, ok := byKey[[2]string{a.ID, t}]; ok {
				out.Items = append(out.Items, coverageItemJSON{Account: namePtr(names, a.ID), Topic: t, State: st})
			}
		}
	}
	for _, t := range interview.PortfolioTopics {
		if st, ok := byKey[[2]string{"", t}]; ok {
			out.Items = append(out.Items, coverageItemJSON{Topic: t, State: st})
		}
	}
	return out
}

func toTurnJSON(v interview.View, msg *store.Message) turnJSON {
	t := turnJSON{NextQuestion: toQuestionJSON(v.Next, accountNames(v.Accounts)), Coverage: toCoverageJSON(v.Accounts, v.Coverage), Done: v.Done}
	if q := t.NextQuestion; q != nil {
		q.Choices = v.Next.Choices
		if v.Next.Kind == interview.KindReadback {
			card := toFactsJSON(v.Card)
			q.Facts = &card
		}
	}
	if msg != nil {
		m := toMessageJSON(*msg)
		t.Message = &m
	}
	return t
}

func toCSMInterviewJSON(v interview.View) csmInterviewJSON {
	msgs := make([]messageJSON, len(v.Messages))
	for i, m := range v.Messages {
		msgs[i] = toMessageJSON(m)
	}
	return csmInterviewJSON{ID: v.Interview.ID, Status: v.Interview.Status, CSM: v.Interview.CSMName, Messages: msgs, turnJSON: toTurnJSON(v, nil)}
}
