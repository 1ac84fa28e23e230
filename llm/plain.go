package llm

import (
	"regexp"
	"strings"
	"unicode"
)

var (
	mdImage = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink  = regexp.MustCompile(`\[([^\]]+)\]\([^)]*\)`)
	bareURL = regexp.MustCompile(`(?i)\b(?:https?|ftp|data|javascript):[^\s)\]]+`)
	blanks  = regexp.MustCompile(`[ \t]+`)
)

// Plain makes a model's text safe to show and store as plain text: Markdown images and links become
// their words and bare URLs go (a URL in a rendered answer can carry data out, PITFALLS), control
// characters become spaces (new lines are kept when keepLines), runs of blanks one space, and the text is
// cut to maxRunes with an ellipsis.
func Plain(s string, maxRunes int, keepLines bool) string {
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = bareURL.ReplaceAllString(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' && keepLines {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = blanks.ReplaceAllString(s, " ")
	if !keepLines {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > maxRunes {
		s = string(r[:maxRunes]) + "…"
	}
	return s
}
