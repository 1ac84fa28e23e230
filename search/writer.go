package search

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/redact"
)

// Writer words a grounded answer from the retrieved passages with a chat model. Its output is held to
// the passages: every [n] it writes must be a passage it was given, a grounded answer must cite one, and
// links, images and control characters are taken out. When it fails, Ask answers extractively.
type Writer struct {
	client *llm.Client
	system string
	log    *slog.Logger
}

// NewWriter returns a writer that uses client's chat model.
func NewWriter(client *llm.Client, log *slog.Logger) (*Writer, error) {
	system, err := prompts.Read("ask_system.txt")
	if err != nil {
		return nil, err
	}
	return &Writer{client: client, system: system, log: log}, nil
}

var answerSchema = llm.Schema{Name: "grounded_answer", Schema: json.RawMessage(`{
  "type": "object", "additionalProperties": false, "required": ["grounded", "answer", "citations"],
  "properties": {
    "grounded": {"type": "boolean"},
    "answer": {"type": "string"},
    "citations": {"type": "array", "items": {"type": "integer"}}
  }
}`)}

type written struct {
	Grounded  bool   `json:"grounded"`
	Answer    string `json:"answer"`
	Citations []int  `json:"citations"`
}

// maxAnswerRunes bounds a written answer; the prompt asks for four sentences.
const maxAnswerRunes = 1500

var (
	citeMarker    = regexp.MustCompile(`\[(\d{1,2})\]`)
	mdImage       = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink        = regexp.MustCompile(`\[([^\]]+)\]\((?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|/)[^)]*\)`)
	bareURL       = regexp.MustCompile(`(?i)\b(?:https?|ftp|data|javascript):[^\s)\]]+`)
	errUngrounded = fmt.Errorf("the answer is not held to the passages")
)

// write asks the model. It returns the answer with its markers renumbered 1…k in the order of the
// passages cited, the indexes (into passages) of those passages, and whether the model found the
// answer in them.
func (w *Writer) write(ctx context.Context, question string, passages []Result) (string, []int, bool, error) {
	var b strings.Builder
	q, _ := redact.Text(question)
	fmt.Fprintf(&b, "<question>%s</question>\n\nPassages:\n", html.EscapeString(q))
	for i, p := range passages {
		account := "portfolio-wide"
		if p.Account != "" {
			account = p.Account
		}
		fmt.Fprintf(&b, "<passage n=\"%d\" account=\"%s\">%s</passage>\n", i+1, html.EscapeString(account), html.EscapeString(p.Text))
	}
	b.WriteString("\nAnswer the question from these passages.")
	out, err := w.client.Structured(ctx, []llm.Message{{Role: llm.RoleSystem, Content: w.system}, {Role: llm.RoleUser, Content: b.String()}}, answerSchema)
	if err != nil {
		return "", nil, false, err
	}
	var a written
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		return "", nil, false, fmt.Errorf("%w: %v", llm.ErrInvalidOutput, err)
	}
	text := cleanAnswer(a.Answer)
	if text == "" {
		return "", nil, false, fmt.Errorf("%w: an empty answer", errUngrounded)
	}
	if !a.Grounded {
		return text, nil, false, nil
	}
	// The passages cited: those listed and those marked in the text, all of which must exist.
	cited := map[int]bool{}
	for _, n := range a.Citations {
		cited[n] = true
	}
	for _, m := range citeMarker.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		cited[n] = true
	}
	var order []int
	for n := range cited {
		if n < 1 || n > len(passages) {
			return "", nil, false, fmt.Errorf("%w: it cites passage %d of %d", errUngrounded, n, len(passages))
		}
		order = append(order, n)
	}
	if len(order) == 0 || len(citeMarker.FindAllString(text, -1)) == 0 {
		return "", nil, false, fmt.Errorf("%w: a grounded answer without a citation", errUngrounded)
	}
	slices.Sort(order)
	renumber := map[int]int{}
	indexes := make([]int, len(order))
	for i, n := range order {
		renumber[n] = i + 1
		indexes[i] = n - 1
	}
	text = citeMarker.ReplaceAllStringFunc(text, func(m string) string {
		n, _ := strconv.Atoi(m[1 : len(m)-1])
		return "[" + strconv.Itoa(renumber[n]) + "]"
	})
	return text, indexes, true, nil
}

// cleanAnswer makes the model's answer plain text (llm.Plain, new lines kept) and redacts it in case.
func cleanAnswer(s string) string {
	s, _ = redact.Text(llm.Plain(s, maxAnswerRunes, true))
	return strings.TrimSpace(s)
}
