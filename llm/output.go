package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidOutput is wrapped when the model's answer is not a JSON object: empty, malformed, or cut
// off (finish_reason "length"). It is retryable: sampling again usually gives a whole answer.
var ErrInvalidOutput = errors.New("model returned invalid output")

// checkObject returns the JSON object in content, or ErrInvalidOutput. The error never quotes the
// content: it may hold what a CSM said, and errors end up in logs.
func checkObject(content, finishReason, refusal string) (string, error) {
	if finishReason == "length" {
		return "", fmt.Errorf("%w: cut off at the token limit (finish_reason length, %d bytes)", ErrInvalidOutput, len(content))
	}
	s := stripFence(strings.TrimSpace(content))
	switch {
	case s == "" && refusal != "":
		return "", fmt.Errorf("%w: the model refused (finish_reason %q)", ErrInvalidOutput, finishReason)
	case s == "":
		return "", fmt.Errorf("%w: empty content (finish_reason %q)", ErrInvalidOutput, finishReason)
	case s[0] != '{' || !json.Valid([]byte(s)):
		return "", fmt.Errorf("%w: not a JSON object (%d bytes, finish_reason %q)", ErrInvalidOutput, len(s), finishReason)
	}
	return s, nil
}

// stripFence removes one surrounding Markdown code fence: servers that ignore response_format
// (older Ollama, some proxies) still tend to answer ```json … ```.
func stripFence(s string) string {
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return s
	}
	body := s[3 : len(s)-3]
	if i := strings.IndexByte(body, '\n'); i >= 0 && !strings.Contains(body[:i], "{") {
		body = body[i+1:] // the language tag line
	}
	return strings.TrimSpace(body)
}
