package report

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"slices"
	"strings"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/redact"
)

// Writer writes the report's prose with a chat model: the executive summary, each account's risk
// rationale and mitigations, and the playbooks as steps. The facts stay the offline report's; the
// model's statements are kept only when they cite answers of the CSM that exist, and are cleaned like
// any captured text. When the model fails, the offline report stands as it is.
type Writer struct {
	client *llm.Client
	system string
	log    *slog.Logger
}

// NewWriter returns a writer that uses client's chat model.
func NewWriter(client *llm.Client, log *slog.Logger) (*Writer, error) {
	system, err := prompts.Read("report_system.txt")
	if err != nil {
		return nil, err
	}
	return &Writer{client: client, system: system, log: log}, nil
}

var statementSchema = map[string]any{
	"type": "object", "additionalProperties": false, "required": []string{"text", "message_numbers"},
	"properties": map[string]any{
		"text":            map[string]any{"type": "string"},
		"message_numbers": map[string]any{"type": "array", "items": map[string]any{"type": "integer"}},
	},
}

func listOf(item any) map[string]any { return map[string]any{"type": "array", "items": item} }

var proseSchema = func() llm.Schema {
	schema := map[string]any{
		"type": "object", "additionalProperties": false, "required": []string{"summary", "accounts", "playbooks"},
		"properties": map[string]any{
			"summary": statementSchema,
			"accounts": listOf(map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"name", "rationale", "mitigations"},
				"properties": map[string]any{
					"name":        map[string]any{"type": "string"},
					"rationale":   listOf(statementSchema),
					"mitigations": listOf(statementSchema),
				},
			}),
			"playbooks": listOf(map[string]any{
				"type": "object", "additionalProperties": false, "required": []string{"key", "steps"},
				"properties": map[string]any{
					"key":   map[string]any{"type": "string", "enum": []string{"escalation_paths", "onboarding_changes", "internal_workflows", "shadow_systems"}},
					"steps": listOf(statementSchema),
				},
			}),
		},
	}
	b, err := json.Marshal(schema)
	if err != nil {
		panic(err)
	}
	return llm.Schema{Name: "report_prose", Schema: b}
}()

type proseStatement struct {
	Text           string `json:"text"`
	MessageNumbers []int  `json:"message_numbers"`
}

type prose struct {
	Summary  proseStatement `json:"summary"`
	Accounts []struct {
		Name        string           `json:"name"`
		Rationale   []proseStatement `json:"rationale"`
		Mitigations []proseStatement `json:"mitigations"`
	} `json:"accounts"`
	Playbooks []struct {
		Key   string           `json:"key"`
		Steps []proseStatement `json:"steps"`
	} `json:"playbooks"`
}

// Bounds of what the model may add and of the data it is shown.
const (
	maxStatements   = 6
	maxStatementLen = 600
	maxAnswerChars  = 800
	maxPromptChars  = 60000
)

// Write asks the model for the prose and puts what holds into r. It reports how many statements it
// kept and dropped; on an error r is unchanged.
func (w *Writer) Write(ctx context.Context, r *Report) (kept, dropped int, err error) {
	out, err := w.client.Structured(ctx, []llm.Message{{Role: llm.RoleSystem, Content: w.system}, {Role: llm.RoleUser, Content: w.prompt(r)}}, proseSchema)
	if err != nil {
		return 0, 0, err
	}
	var p prose
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		return 0, 0, fmt.Errorf("%w: %v", llm.ErrInvalidOutput, err)
	}
	kept, dropped = apply(r, p)
	if kept > 0 {
		r.Engine = w.client.ChatModel()
	}
	return kept, dropped, nil
}

// prompt gives the model the report's facts and the CSM's answers, numbered, as escaped data.
func (w *Writer) prompt(r *Report) string {
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, "CSM: %s, leaving on %s. Manager: %s. Interview coverage %d%%.\n\n", esc(r.Interview.CSMName), r.Interview.DepartureDate,
		esc(r.Interview.ManagerName), r.Interview.CoveragePercent)
	for _, a := range r.Accounts {
		fmt.Fprintf(&b, "<account name=\"%s\" risk=\"%s\" score=\"%d\" successor=\"%s\">\n", esc(a.Name), a.Risk.Level, a.Risk.Score, esc(a.successorLabel()))
		for _, d := range a.Risk.Drivers {
			fmt.Fprintf(&b, "<driver points=\"%d\"%s>%s</driver>\n", d.Points, numbersAttr(r, d.MessageIDs), esc(d.Text))
		}
		for _, f := range a.Findings {
			fmt.Fprintf(&b, "<finding type=\"%s\"%s>%s</finding>\n", f.Type, numbersAttr(r, f.MessageIDs), esc(f.Text))
		}
		b.WriteString("</account>\n")
	}
	for _, p := range r.Playbooks {
		for _, f := range p.Items {
			fmt.Fprintf(&b, "<finding playbook=\"%s\"%s>%s</finding>\n", p.Key, numbersAttr(r, f.MessageIDs), esc(f.Text))
		}
	}
	b.WriteString("\nThe CSM's answers:\n")
	for _, m := range r.Transcript {
		if m.Role != "csm" || b.Len() > maxPromptChars {
			continue
		}
		text := m.Content
		if len(text) > maxAnswerChars {
			text = strings.ToValidUTF8(text[:maxAnswerChars], "") + "…"
		}
		fmt.Fprintf(&b, "<answer n=\"%d\" account=\"%s\">%s</answer>\n", m.N, esc(m.Account), esc(text))
	}
	b.WriteString("\nWrite the summary, the accounts' rationale and mitigations, and the playbooks' steps.")
	return b.String()
}

func numbersAttr(r *Report, ids []string) string {
	nums := r.Numbers(ids)
	if len(nums) == 0 {
		return ""
	}
	parts := make([]string, len(nums))
	for i, n := range nums {
		parts[i] = fmt.Sprintf("#%d", n)
	}
	return ` sources="` + strings.Join(parts, " ") + `"`
}

// apply keeps the statements that cite answers of the CSM and puts them into r.
func apply(r *Report, p prose) (kept, dropped int) {
	answers := map[int]string{} // N → message id, for the CSM's answers only
	for _, m := range r.Transcript {
		if m.Role == "csm" {
			answers[m.N] = m.ID
		}
	}
	check := func(list []proseStatement) []Statement {
		var out []Statement
		for _, s := range list {
			st, ok := checkStatement(s, answers)
			if !ok || len(out) == maxStatements {
				dropped++
				continue
			}
			out = append(out, st)
			kept++
		}
		return out
	}
	if st, ok := checkStatement(p.Summary, answers); ok {
		r.Summary = st.Text
		kept++
	} else if strings.TrimSpace(p.Summary.Text) != "" {
		dropped++
	}
	for _, pa := range p.Accounts {
		i := slices.IndexFunc(r.Accounts, func(a Account) bool { return strings.EqualFold(a.Name, strings.TrimSpace(pa.Name)) })
		if i < 0 {
			dropped += len(pa.Rationale) + len(pa.Mitigations)
			continue
		}
		if rationale := check(pa.Rationale); len(rationale) > 0 {
			r.Accounts[i].Risk.Rationale = rationale
		}
		if mitigations := check(pa.Mitigations); len(mitigations) > 0 {
			r.Accounts[i].Risk.Mitigations = mitigations
		}
	}
	for _, pp := range p.Playbooks {
		i := slices.IndexFunc(r.Playbooks, func(x Playbook) bool { return x.Key == pp.Key })
		if i < 0 {
			dropped += len(pp.Steps)
			continue
		}
		if steps := check(pp.Steps); len(steps) > 0 {
			r.Playbooks[i].Steps = steps
		}
	}
	return kept, dropped
}

var (
	citeRE = regexp.MustCompile(`\s*\[?#\d+(?:\s*,\s*#\d+)*\]?`)
)

// answerIDs maps transcript numbers to the ids of the CSM's answers they name, skipping the others.
func answerIDs(nums []int, answers map[int]string) []string {
	var ids []string
	for _, n := range nums {
		if id, ok := answers[n]; ok && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// checkStatement cleans a statement and maps its numbers to the answers they name; a statement with
// no existing answer to rest on, or no text, is refused.
func checkStatement(s proseStatement, answers map[int]string) (Statement, bool) {
	ids := answerIDs(s.MessageNumbers, answers)
	text := citeRE.ReplaceAllString(s.Text, "") // the renderers print the citations
	text, _ = redact.Text(llm.Plain(text, maxStatementLen, false))
	if text == "" || len(ids) == 0 {
		return Statement{}, false
	}
	return Statement{Text: text, MessageIDs: ids}, true
}
