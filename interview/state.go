package interview

import (
	"slices"
	"strings"
	"sync"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// State is what an engine sees of an interview when deciding the next turn: a snapshot read without locks.
type State struct {
	Interview store.Interview
	Accounts  []store.Account // plan order
	Coverage  []store.CoverageItem
	Messages  []store.Message
	// Asked are questions a manager or successor asked that wait to be posed, oldest first.
	Asked []store.AskedQuestion

	// read keeps each answer's text as the rules read it (see answerText), across turns; nil: none kept.
	read *readCache
	// about reads what answers cover; built on first use.
	about *about.Reader
}

// Outgoing is an interviewer message an engine decided on.
type Outgoing struct {
	Kind          string
	Text          string
	AccountID     string
	Topics        []string
	Engine        string
	Model         string
	PromptVersion string
	// AskedQuestionID and AskedFrom are set when the message poses a question a person asked.
	AskedQuestionID string
	AskedFrom       string
	// Choices are the answers the question offers (a read-back's risk levels when the rules are unsure).
	Choices []store.Choice
}

// Decision is an engine's turn: the coverage it judged and the messages to add.
type Decision struct {
	Coverage []store.CoverageItem // every item, with the new states and counters
	Messages []Outgoing
	Done     bool // the interview is complete after these messages
}

func (st *State) account(id string) *store.Account {
	for i := range st.Accounts {
		if st.Accounts[i].ID == id {
			return &st.Accounts[i]
		}
	}
	return nil
}

func (st *State) last() *store.Message {
	if len(st.Messages) == 0 {
		return nil
	}
	return &st.Messages[len(st.Messages)-1]
}

func (st *State) message(id string) *store.Message {
	for i := range st.Messages {
		if st.Messages[i].ID == id {
			return &st.Messages[i]
		}
	}
	return nil
}

// OpenQuestion returns the interviewer's question waiting for an answer, if the transcript ends with one.
func (st *State) OpenQuestion() *store.Message {
	m := st.last()
	if m == nil || m.Role != "interviewer" || !isQuestion(m.Kind) {
		return nil
	}
	return m
}

func isQuestion(kind string) bool {
	return kind == KindQuestion || kind == KindFollowUp || kind == KindClosing || kind == KindReadback
}

// Done reports whether the interview has ended (the farewell was said).
func (st *State) Done() bool {
	m := st.last()
	return m != nil && m.Kind == KindFarewell
}

// pending returns the question the last CSM message answers, and that message, when the transcript ends
// with an answer no interviewer has replied to yet. An answer to a question a person asked is not the
// plan's, nor is the reply to a read-back: the engines do not judge it or follow it up, they go on with
// the plan.
func (st *State) pending() (q, answer *store.Message) {
	m := st.last()
	if m == nil || m.Role != "csm" {
		return nil, nil
	}
	q = st.message(m.ReplyTo)
	if q != nil && (q.AskedQuestionID != "" || q.Kind == KindReadback) {
		return nil, nil
	}
	return q, m
}

// answersAbout gathers what the CSM said in answer to questions about topic of account, in order.
func (st *State) answersAbout(accountID, topic string) string {
	var parts []string
	for _, m := range st.Messages {
		if m.Role != "csm" || m.Kind != KindAnswer {
			continue
		}
		q := st.message(m.ReplyTo)
		if q == nil || q.AccountID != accountID || !slices.Contains(q.Topics, topic) {
			continue
		}
		parts = append(parts, st.answerText(m))
	}
	return strings.Join(parts, "\n")
}

// answersOf gathers everything the CSM said about an account.
func (st *State) answersOf(accountID string) string {
	var parts []string
	for _, m := range st.Messages {
		if m.Role != "csm" || m.Kind != KindAnswer {
			continue
		}
		if q := st.message(m.ReplyTo); q != nil && q.AccountID == accountID {
			parts = append(parts, st.answerText(m))
		}
	}
	return strings.Join(parts, "\n")
}

// coverage returns a copy of the coverage items indexed by (account, topic).
func (st *State) coverage() map[[2]string]*store.CoverageItem {
	m := make(map[[2]string]*store.CoverageItem, len(st.Coverage))
	for _, c := range st.Coverage {
		c := c
		m[[2]string{c.AccountID, c.Topic}] = &c
	}
	return m
}

func flatten(cov map[[2]string]*store.CoverageItem) []store.CoverageItem {
	out := make([]store.CoverageItem, 0, len(cov))
	for _, c := range cov {
		out = append(out, *c)
	}
	return out
}

// lastQuestion returns the most recent question asked, if any.
func (st *State) lastQuestion() *store.Message {
	for i := len(st.Messages) - 1; i >= 0; i-- {
		if m := st.Messages[i]; m.Role == "interviewer" && isQuestion(m.Kind) {
			return &st.Messages[i]
		}
	}
	return nil
}

// asked reports whether the interviewer already said exactly this.
func (st *State) asked(text string) bool {
	for _, m := range st.Messages {
		if m.Role == "interviewer" && m.Content == text {
			return true
		}
	}
	return false
}

// answeredAsked reports whether the transcript ends with the CSM's reply to a question someone asked.
func (st *State) answeredAsked() bool {
	m := st.last()
	if m == nil || m.Role != "csm" {
		return false
	}
	q := st.message(m.ReplyTo)
	return q != nil && q.AskedQuestionID != ""
}

// saidFarewell reports whether the interview ended once already (a question asked later reopened it).
func (st *State) saidFarewell() bool {
	for _, m := range st.Messages {
		if m.Kind == KindFarewell {
			return true
		}
	}
	return false
}

// askedClosing reports whether the closing question was asked already.
func (st *State) askedClosing() bool {
	for _, m := range st.Messages {
		if m.Role == "interviewer" && m.Kind == KindClosing {
			return true
		}
	}
	return false
}

// answerText is an answer as the offline rules read it: without the sentences addressed to the system,
// which state nothing about the account. A turn reads each answer many times (once per topic it judges),
// and every turn reads the whole transcript, so each answer is cleaned once and kept.
func (st *State) answerText(m store.Message) string {
	if st.read != nil {
		if text, ok := st.read.get(m.ID); ok {
			return text
		}
	}
	text, _ := extract.WithoutDirectives(m.Content)
	if st.read != nil && m.ID != "" {
		st.read.put(m.ID, text)
	}
	return text
}

// readCache keeps answers as the rules read them, by message id (a stored answer never changes). It is
// bounded: when full it starts again, which costs one cleaning per answer of the turns that follow.
type readCache struct {
	mu   sync.Mutex
	text map[string]string
}

const readCacheSize = 20000

func (c *readCache) get(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.text[id]
	return t, ok
}

func (c *readCache) put(id, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.text == nil || len(c.text) >= readCacheSize {
		c.text = map[string]string{}
	}
	c.text[id] = text
}
