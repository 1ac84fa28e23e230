// Package prompts holds the interviewer's words as text files, embedded in the binary, so they can be read
// and changed without touching Go code: the offline engine's question and follow-up templates and the
// model engine's prompts. Files are Go text/template; a file of sections starts each with a "[name]"
// line, and a section's variants are separated by "---" lines. Lines starting with "#" are comments.
package prompts

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"strings"
)

//go:embed *.txt
var fs embed.FS

// Read returns a file's text without its comment lines.
func Read(name string) (string, error) {
	b, err := fs.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("prompt %s: %w", name, err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return strings.TrimSpace(strings.Join(out, "\n")), nil
}

// Sections parses a file of "[name]" sections into their variants, in order.
func Sections(name string) (map[string][]string, error) {
	text, err := Read(name)
	if err != nil {
		return nil, err
	}
	sections := map[string][]string{}
	var current string
	var buf []string
	flush := func() error {
		if current == "" {
			if strings.TrimSpace(strings.Join(buf, "")) != "" {
				return fmt.Errorf("prompt %s: text before the first [section]", name)
			}
			return nil
		}
		variant := strings.TrimSpace(strings.Join(buf, "\n"))
		if variant == "" {
			return fmt.Errorf("prompt %s: empty variant in [%s]", name, current)
		}
		sections[current] = append(sections[current], variant)
		buf = buf[:0]
		return nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "[") && strings.HasSuffix(trimmed, "]"):
			if err := flush(); err != nil {
				return nil, err
			}
			current = strings.TrimSuffix(strings.TrimPrefix(trimmed, "["), "]")
			if _, dup := sections[current]; dup {
				return nil, fmt.Errorf("prompt %s: section [%s] twice", name, current)
			}
		case trimmed == "---":
			if err := flush(); err != nil {
				return nil, err
			}
		default:
			buf = append(buf, line)
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return sections, nil
}

// Version names the content of the given files, so every interviewer message can record which words
// produced it.
func Version(names ...string) string {
	h := sha256.New()
	for _, n := range names {
		b, _ := fs.ReadFile(n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}
