package interview

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// Model is the interviewer backed by an OpenAI-compatible model. The plan stays the offline engine's (which
// topic is next, the follow-up limits, when to close); the model judges coverage, decides whether to follow
// up, and words the question, which streams to the browser as it is written. Its output is validated
// against the plan; anything invalid is retried and then answered by the offline engine.
type Model struct {
	client  *llm.Client
	offline *Offline
	system  string
	turn    *template.Template
	version string
	log     *slog.Logger
}

// NewModel returns the model interviewer.
func NewModel(client *llm.Client, offline *Offline, log *slog.Logger) (*Model, error) {
	system, err := prompts.Read("interviewer_system.txt")
	if err != nil {
		return nil, err
	}
	text, err := prompts.Read("interviewer_turn.txt")
	if err != nil {
		return nil, err
	}
	turn, err := template.New("turn").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("prompt interviewer_turn.txt: %w", err)
	}
	return &Model{client: client, offline: offline, system: system, turn: turn, log: log,
		version: prompts.Version("interviewer_system.txt", "interviewer_turn.txt")}, nil
}

// modelTurn is the structured output; "question" comes last so the assessment is made before the wording.
type modelTurn struct {
	Assessment []struct {
		Topic string `json:"topic"`
		State string `json:"state"`
	} `json:"assessment"`
	FollowUpTopic *string `json:"follow_up_topic"`
	Question      string  `json:"question"`
}

// turnSchema is written for OpenAI's strict mode: every property required, no additional properties,
// the nullable field as a union with null. The topic keys are an enum of the taxonomy, so a model can
// only name a topic the plan knows, whichever was added last.
var turnSchema = llm.Schema{Name: "interviewer_turn", Schema: turnSchemaJSON(Topics)}

func turnSchemaJSON(topics []Topic) json.RawMessage {
	keys := make([]string, 0, len(topics))
	for _, t := range topics {
		keys = append(keys, t.Key)
	}
	schema := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"assessment": map[string]any{
				"type": "array",
				"items": map[string]any{
					"type": "object",
					"properties": map[string]any{
						"topic": map[string]any{"type": "string", "enum": keys},
						"state": map[string]any{"type": "string", "enum": []string{Missing, Partial, Covered}},
					},
					"required":             []string{"topic", "state"},
					"additionalProperties": false,
				},
			},
			"follow_up_topic": map[string]any{"anyOf": []any{
				map[string]any{"type": "string", "enum": keys},
				map[string]any{"type": "null"},
			}},
			"question": map[string]any{"type": "string"},
		},
		"required":             []string{"assessment", "follow_up_topic", "question"},
		"additionalProperties": false,
	}
	b, err := json.Marshal(schema)
	if err != nil {
		panic(err)
	}
	return b
}

var errInvalidTurn = errors.New("model turn does not fit the plan")

// asksForSecret catches a question that asks for a password or key itself (asking where one is kept is fine).
var asksForSecret = regexp.MustCompile(`(?i)\b(what is|what's|share|send|tell|give|provide|type|paste|enter|confirm)\b[^?.]{0,40}\b(password|passcode|passphrase|api key|secret|token|credentials?|private key)`)

// Decide asks the model for the turn. The farewell and skips' judgement need no model.
func (m *Model) Decide(ctx context.Context, st *State, emit func(string)) (Decision, error) {
	cov := st.coverage()
	q, answer := st.pending()
	if answer != nil && answer.Kind == KindSkip {
		judgeAnswer(st, cov, q, answer)
		q, answer = nil, nil
	}
	next := nextMove(st, cov)
	if next.kind == KindFarewell {
		return m.offline.Decide(ctx, st, emit)
	}
	var allowed []string
	if q != nil && answer != nil && q.Kind != KindClosing {
		if acc := st.account(q.AccountID); acc == nil || acc.Depth != "brief" {
			for _, t := range q.Topics {
				if c := cov[[2]string{q.AccountID, t}]; c != nil && c.FollowUps < MaxFollowUps {
					allowed = append(allowed, t)
				}
			}
		}
	}
	msgs, err := m.messages(st, cov, q, answer, next, allowed)
	if err != nil {
		return Decision{}, err
	}
	fs := &fieldStreamer{field: "question", emit: emit}
	raw, err := m.client.StreamStructured(ctx, msgs, turnSchema, func(delta string) error {
		fs.Write(delta)
		return nil
	})
	var t modelTurn
	if err == nil {
		t, err = validTurn(raw, q, allowed)
	}
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, llm.ErrCircuitOpen) {
			return Decision{}, err
		}
		// One more try without streaming; the browser already shows provisional words, which the final
		// question replaces.
		m.log.Warn("model turn invalid or failed; asking again", "error", err)
		if raw, err = m.client.Structured(ctx, msgs, turnSchema); err != nil {
			return Decision{}, err
		}
		if t, err = validTurn(raw, q, allowed); err != nil {
			return Decision{}, err
		}
	}

	var d Decision
	if len(st.Messages) == 0 {
		intro, err := m.offline.say(m.offline.questions, "intro", "", m.offline.fields(st, nil, nil))
		if err != nil {
			return Decision{}, err
		}
		d.Messages = append(d.Messages, m.offline.out(KindIntro, intro, nil, nil))
	}
	if q != nil {
		// The rules judge every topic; the model's assessment, where it gives one, takes their place.
		prior := map[string]string{}
		for _, t := range q.Topics {
			if c := cov[[2]string{q.AccountID, t}]; c != nil {
				prior[t] = c.State
			}
		}
		judgeAnswer(st, cov, q, answer)
		for _, a := range t.Assessment {
			if c := cov[[2]string{q.AccountID, a.Topic}]; c != nil {
				c.State = a.State
				if rank(prior[a.Topic]) > rank(a.State) {
					c.State = prior[a.Topic]
				}
			}
		}
	}
	out := Outgoing{Kind: next.kind, Text: strings.TrimSpace(t.Question), Topics: next.topics, Engine: "model",
		Model: m.client.ChatModel(), PromptVersion: m.version}
	if next.account != nil {
		out.AccountID = next.account.ID
	}
	if t.FollowUpTopic != nil {
		out.Kind, out.Topics, out.AccountID = KindFollowUp, []string{*t.FollowUpTopic}, q.AccountID
	}
	countAsked(cov, out)
	d.Messages = append(d.Messages, out)
	d.Coverage = flatten(cov)
	return d, nil
}

// validTurn parses the model's output and checks it against the plan: assessed topics are the question's,
// a follow-up is on an allowed topic, the question is one short question.
func validTurn(raw string, q *store.Message, allowed []string) (modelTurn, error) {
	var t modelTurn
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return t, fmt.Errorf("%w: %v", errInvalidTurn, err)
	}
	question := strings.TrimSpace(t.Question)
	switch {
	case question == "":
		return t, fmt.Errorf("%w: empty question", errInvalidTurn)
	case len([]rune(question)) > 600:
		return t, fmt.Errorf("%w: question too long", errInvalidTurn)
	case strings.Count(question, "?") > 3:
		return t, fmt.Errorf("%w: several questions at once", errInvalidTurn)
	case ValidateAnswer(question) != nil:
		// The same rules as for what a person types: no control characters (PostgreSQL refuses NUL).
		return t, fmt.Errorf("%w: control characters in the question", errInvalidTurn)
	case asksForSecret.MatchString(question):
		// Captured text may carry instructions; a model that obeys one and asks for a credential is not
		// let through.
		return t, fmt.Errorf("%w: asks for a credential", errInvalidTurn)
	}
	for _, a := range t.Assessment {
		if q == nil || !slices.Contains(q.Topics, a.Topic) {
			return t, fmt.Errorf("%w: assessed topic %q was not asked", errInvalidTurn, a.Topic)
		}
		if a.State != Missing && a.State != Partial && a.State != Covered {
			return t, fmt.Errorf("%w: state %q", errInvalidTurn, a.State)
		}
	}
	if t.FollowUpTopic != nil && !slices.Contains(allowed, *t.FollowUpTopic) {
		return t, fmt.Errorf("%w: follow-up on %q is not allowed", errInvalidTurn, *t.FollowUpTopic)
	}
	return t, nil
}

// messages builds the prompt. Captured text goes inside tags the system prompt declares to be data.
func (m *Model) messages(st *State, cov map[[2]string]*store.CoverageItem, q, answer *store.Message, next move, allowed []string) ([]llm.Message, error) {
	data := map[string]any{
		"CSM": st.Interview.CSMName, "Departure": st.Interview.DepartureDate.Format("2 January 2006"),
		"Question": q != nil && answer != nil, "FollowUpTopics": strings.Join(allowed, ", "),
	}
	var accounts []string
	for _, a := range st.Accounts {
		line := html.EscapeString(a.Name)
		if f := accountFacts(a, m.offline.now()); f != "" {
			line += ": " + f
		}
		accounts = append(accounts, line)
	}
	data["Accounts"] = accounts
	// Captured text is escaped so it cannot close the tags that mark it as data, and each message has a
	// tag of its own so a line break cannot forge another speaker.
	var transcript []string
	from := max(0, len(st.Messages)-10)
	for _, msg := range st.Messages[from:] {
		who := "interviewer"
		if msg.Role == "csm" {
			who = "csm"
		}
		transcript = append(transcript, `<message from="`+who+`">`+html.EscapeString(redacted(msg.Content))+`</message>`)
	}
	data["Transcript"] = transcript
	if q != nil && answer != nil {
		data["QuestionScope"] = scope(st, q.AccountID)
		data["QuestionTopics"] = strings.Join(q.Topics, ", ")
		data["TopicWants"] = wants(q.Topics)
		data["Answer"] = html.EscapeString(redacted(answer.Content))
	}
	switch next.kind {
	case KindClosing:
		data["Next"] = "the closing question: ask whether there is anything a successor would need that was not asked about" +
			ifText(gapsText(st, cov, Partial) != "", " (topics still thin: "+gapsText(st, cov, Partial)+")")
		data["NextWants"] = []string{}
	default:
		transition := ""
		if next.transition != "" {
			transition = " (this moves to " + scope(st, accountIDOf(next.account)) + ": open with a brief transition)"
		}
		data["Next"] = "about " + scope(st, accountIDOf(next.account)) + ", topics " + strings.Join(next.topics, ", ") + transition
		data["NextWants"] = wants(next.topics)
	}
	var buf bytes.Buffer
	if err := m.turn.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("render turn prompt: %w", err)
	}
	return []llm.Message{{Role: llm.RoleSystem, Content: m.system}, {Role: llm.RoleUser, Content: buf.String()}}, nil
}

func scope(st *State, accountID string) string {
	if a := st.account(accountID); a != nil {
		return "the account " + a.Name
	}
	return "the CSM's work across all accounts"
}

func accountIDOf(a *store.Account) string {
	if a == nil {
		return ""
	}
	return a.ID
}

func wants(topics []string) []string {
	var out []string
	for _, t := range topics {
		if tp, ok := TopicByKey(t); ok {
			out = append(out, tp.Key+": "+tp.Wants)
		}
	}
	return out
}

func ifText(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// redacted removes credentials again before text reaches a model: stored answers keep them when the
// operator chose to keep originals.
func redacted(s string) string {
	out, _ := redact.Text(s)
	return out
}
