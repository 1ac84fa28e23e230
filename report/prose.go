package report

import (
	"strings"

	"github.com/exitinterview/exitinterview/extract"
)

// greeting is the e-mail's first line for its recipients.
func greeting(names []string) string {
	if len(names) == 0 {
		return "Hello,"
	}
	firsts := make([]string, len(names))
	for i, n := range names {
		firsts[i] = strings.Fields(n)[0]
	}
	return "Hello " + joinAnd(firsts) + ","
}

// contextPhrase is how the e-mail mentions an upsell's product, an open issue or a commitment.
func contextPhrase(typ, what string) string {
	switch typ {
	case extract.Upsell:
		return "our conversation about " + what
	case extract.OpenIssue:
		return "the open " + strings.TrimPrefix(what, "the ")
	}
	return "what I promised about " + strings.TrimPrefix(what, "a ")
}

// meetPhrase asks for the meeting of everyone the e-mail brings together.
func meetPhrase(recipients int) string {
	return "for the three of us to meet"
}
