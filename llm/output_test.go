package llm

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestCheckObject(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, content, finish, refusal string
		want                           string // "" means ErrInvalidOutput
	}{
		{name: "object", content: `{"a":1}`, finish: "stop", want: `{"a":1}`},
		{name: "whitespace", content: " \n{\"a\":1}\n", finish: "stop", want: `{"a":1}`},
		{name: "fenced with a tag", content: "```json\n{\"a\":1}\n```", finish: "stop", want: `{"a":1}`},
		{name: "fenced without a tag", content: "```\n{\"a\":1}\n```", finish: "stop", want: `{"a":1}`},
		{name: "fenced on one line", content: "```{\"a\":1}```", finish: "stop", want: `{"a":1}`},
		{name: "truncated", content: `{"a":1}`, finish: "length"},
		{name: "empty", content: "  ", finish: "stop"},
		{name: "refusal", refusal: "I can't help with that.", finish: "stop"},
		{name: "array", content: `[{"a":1}]`, finish: "stop"},
		{name: "string", content: `"a"`, finish: "stop"},
		{name: "two objects", content: `{"a":1}{"b":2}`, finish: "stop"},
		{name: "unterminated", content: `{"question": "unterminated`, finish: "stop"},
		{name: "prose around it", content: `Here you go: {"a":1}`, finish: "stop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := checkObject(tt.content, tt.finish, tt.refusal)
			if tt.want == "" {
				if !errors.Is(err, ErrInvalidOutput) {
					t.Errorf("checkObject(%q) = %q, %v; want ErrInvalidOutput", tt.content, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("checkObject(%q) = %q, %v; want %q", tt.content, got, err, tt.want)
			}
		})
	}
}

// FuzzCheckObject pins the promise made to callers: whatever the model sends, what comes back
// without an error is one JSON object.
func FuzzCheckObject(f *testing.F) {
	for _, s := range []string{`{"a":1}`, "```json\n{}\n```", "```", "``````", `{"q": "unterminated`, " {} ", "[]", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		got, err := checkObject(content, "stop", "")
		if err != nil {
			if !errors.Is(err, ErrInvalidOutput) {
				t.Fatalf("error %v is not ErrInvalidOutput", err)
			}
			return
		}
		var obj map[string]any
		if json.Unmarshal([]byte(got), &obj) != nil || obj == nil {
			t.Fatalf("checkObject(%q) = %q, not a JSON object", content, got)
		}
	})
}
