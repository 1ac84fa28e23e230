package knowledge

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/redact"
)

// Extractor turns the (redacted) text of a chunk into findings. It never fails: when it cannot do
// better it returns the rules' findings.
type Extractor interface {
	Extract(ctx context.Context, text string, c extract.Context) []extract.Finding
}

// Rules is the offline extraction: package extract's rules.
type Rules struct{}

// Extract applies the rules.
func (Rules) Extract(_ context.Context, text string, c extract.Context) []extract.Finding {
	return extract.Offline(text, c)
}

// ModelExtractor extracts findings with a chat model's structured output. What the model returns is
// held to the answer: every finding must quote the answer verbatim (the quote becomes its text and
// source), names must occur in the answer, dates, amounts and probabilities must parse, and fields must
// belong to the type. When the model fails, or none of its findings survives the checks while the rules
// find something, the rules' findings are used.
type ModelExtractor struct {
	client *llm.Client
	system string
	answer *template.Template
	log    *slog.Logger
}

// NewModelExtractor returns an extractor that uses client's chat model.
func NewModelExtractor(client *llm.Client, log *slog.Logger) (*ModelExtractor, error) {
	system, err := prompts.Read("extract_system.txt")
	if err != nil {
		return nil, err
	}
	text, err := prompts.Read("extract_answer.txt")
	if err != nil {
		return nil, err
	}
	answer, err := template.New("extract").Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("prompt extract_answer.txt: %w", err)
	}
	return &ModelExtractor{client: client, system: system, answer: answer, log: log}, nil
}

// extractionSchema is the strict-mode schema: every property required, no others; fields are name and
// value pairs so one schema serves every type.
var extractionSchema = func() llm.Schema {
	types := make([]string, 0, len(extract.FieldsOf))
	names := []string{}
	for t, fs := range extract.FieldsOf {
		types = append(types, t)
		for _, f := range fs {
			if !slices.Contains(names, f) {
				names = append(names, f)
			}
		}
	}
	slices.Sort(types)
	slices.Sort(names)
	schema := map[string]any{
		"type": "object", "additionalProperties": false, "required": []string{"findings"},
		"properties": map[string]any{"findings": map[string]any{"type": "array", "items": map[string]any{
			"type": "object", "additionalProperties": false, "required": []string{"type", "quote", "fields"},
			"properties": map[string]any{
				"type":  map[string]any{"type": "string", "enum": types},
				"quote": map[string]any{"type": "string"},
				"fields": map[string]any{"type": "array", "items": map[string]any{
					"type": "object", "additionalProperties": false, "required": []string{"name", "value"},
					"properties": map[string]any{
						"name":  map[string]any{"type": "string", "enum": names},
						"value": map[string]any{"type": "string"},
					},
				}},
			},
		}}},
	}
	b, err := json.Marshal(schema)
	if err != nil {
		panic(err)
	}
	return llm.Schema{Name: "findings", Schema: b}
}()

type modelFindings struct {
	Findings []struct {
		Type   string `json:"type"`
		Quote  string `json:"quote"`
		Fields []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	} `json:"findings"`
}

// maxModelFindings bounds what one chunk can add: a chunk is at most ~120 words.
const maxModelFindings = 30

// Extract asks the model, checks its answer and falls back to the rules.
func (x *ModelExtractor) Extract(ctx context.Context, text string, c extract.Context) []extract.Finding {
	rules := extract.Offline(text, c)
	var prompt bytes.Buffer
	accounts := make([]string, len(c.Accounts))
	for i, a := range c.Accounts {
		accounts[i] = html.EscapeString(a)
	}
	err := x.answer.Execute(&prompt, map[string]any{
		"Date": c.Today.Format(time.DateOnly), "Account": html.EscapeString(c.Account), "Accounts": strings.Join(accounts, "; "),
		"Topics": strings.Join(c.Topics, ", "), "Answer": html.EscapeString(text),
	})
	if err != nil {
		x.log.Error("extraction prompt", "err", err)
		return rules
	}
	out, err := x.client.Structured(ctx, []llm.Message{{Role: llm.RoleSystem, Content: x.system}, {Role: llm.RoleUser, Content: prompt.String()}},
		extractionSchema)
	if err != nil {
		x.log.Warn("model extraction failed; using the rules", "err", err)
		return rules
	}
	var mf modelFindings
	if err := json.Unmarshal([]byte(out), &mf); err != nil {
		x.log.Warn("model extraction is not the schema's shape; using the rules", "err", err)
		return rules
	}
	found, dropped := checkModelFindings(text, mf)
	if dropped > 0 {
		x.log.Info("model findings dropped by the checks", "dropped", dropped, "kept", len(found))
	}
	if len(found) == 0 && dropped > 0 && len(rules) > 0 {
		return rules
	}
	return found
}

// checkModelFindings keeps the findings that hold to the text and returns how many it dropped.
func checkModelFindings(text string, mf modelFindings) (kept []extract.Finding, dropped int) {
	seen := map[string]bool{}
	for _, f := range mf.Findings {
		if len(kept) >= maxModelFindings {
			dropped++
			continue
		}
		allowed, ok := extract.FieldsOf[f.Type]
		start, end := locate(text, html.UnescapeString(f.Quote))
		if !ok || start < 0 {
			dropped++
			continue
		}
		fields := map[string]string{}
		for _, fv := range f.Fields {
			name, value := fv.Name, cleanValue(html.UnescapeString(fv.Value))
			if name == "link" {
				// Plain strips links from what a model writes; a document's link is kept when the answer
				// holds it verbatim (checkField), so it is the CSM's, never the model's.
				value, _ = redact.Text(strings.TrimSpace(html.UnescapeString(fv.Value)))
			}
			if !slices.Contains(allowed, name) || value == "" || fields[name] != "" {
				continue
			}
			if v, ok := checkField(text, f.Type, name, value); ok {
				fields[name] = v
			}
		}
		key := f.Type + "\x00" + text[start:end]
		if seen[key] {
			dropped++
			continue
		}
		seen[key] = true
		kept = append(kept, extract.Finding{Type: f.Type, Text: text[start:end], Start: start, End: end, Fields: fields})
	}
	slices.SortStableFunc(kept, func(a, b extract.Finding) int { return a.Start - b.Start })
	return kept, dropped
}

// locate finds quote in text, allowing for differences in white space, and returns its byte span, or
// -1 when the text does not say it.
func locate(text, quote string) (int, int) {
	words := strings.Fields(quote)
	if len(words) == 0 {
		return -1, -1
	}
	if i := strings.Index(text, quote); i >= 0 && strings.TrimSpace(quote) == quote {
		return i, i + len(quote)
	}
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], words[0])
		if i < 0 {
			break
		}
		start := from + i
		pos, ok := start+len(words[0]), true
		for _, w := range words[1:] {
			rest := text[pos:]
			trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
			if len(trimmed) == len(rest) || !strings.HasPrefix(trimmed, w) {
				ok = false
				break
			}
			pos += len(rest) - len(trimmed) + len(w)
		}
		if ok {
			return start, pos
		}
		from = start + 1
	}
	return -1, -1
}

// cleanValue trims a value, removes control characters, bounds its length and redacts anything that
// looks like a credential (the model never saw one, but a value is shown and indexed).
func cleanValue(v string) string {
	v, _ = redact.Text(llm.Plain(v, 300, false))
	return v
}

// checkField holds one value to its kind: people and competitors named in the text, dates, amounts and
// probabilities that parse, levels, relationships, statuses and the basis of a risk from the vocabulary.
func checkField(text, typ, name, value string) (string, bool) {
	switch name {
	case "name", "decider", "competitor", "to_whom":
		return value, strings.Contains(strings.ToLower(text), strings.ToLower(value))
	case "date", "due_date":
		_, err := time.Parse(time.DateOnly, value)
		return value, err == nil
	case "value":
		n, err := strconv.ParseFloat(strings.NewReplacer(",", "", "$", "", "€", "", "£", "").Replace(value), 64)
		if err != nil || n < 0 {
			return "", false
		}
		return strconv.FormatFloat(n, 'f', -1, 64), true
	case "probability":
		p, err := strconv.ParseFloat(strings.TrimSuffix(value, "%"), 64)
		if strings.HasSuffix(value, "%") {
			p /= 100
		}
		if err != nil || p < 0 || p > 1 {
			return "", false
		}
		return strconv.FormatFloat(p, 'f', -1, 64), true
	case "level":
		v := strings.ToLower(value)
		return v, extract.RiskRank(v) >= 0
	case "relationship":
		v := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(value)), " ", "_")
		return v, slices.Contains(facts.Relationships, v)
	case "status":
		v := strings.ToLower(value)
		return v, typ != extract.Stakeholder || slices.Contains(facts.Statuses, v) // a person's; a promise's or an issue's is free
	case "do_not_contact":
		v := strings.ToLower(value)
		return v, v == "yes" || v == "no"
	case "basis":
		v := strings.ToLower(value)
		return v, v == "stated" || v == "inferred"
	case "kind", "category":
		words := extract.KindsOf(typ, name)
		if words == nil {
			return value, true // a credential's kind, say
		}
		v := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(value)), " ", "_")
		return v, slices.Contains(words, v)
	case "link":
		// A link is one the CSM wrote, never one the model made up.
		return value, strings.Contains(text, value) && !strings.ContainsAny(value, " \t\n")
	case "with", "contact":
		return value, strings.Contains(strings.ToLower(text), strings.ToLower(value))
	}
	return value, true
}
