package knowledge

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/exitinterview/exitinterview/store"
)

type piece struct {
	accountID string
	text      string
}

// maxChunkWords keeps a chunk about one thing: long answers are split at sentence ends.
const maxChunkWords = 120

var sentenceEnd = regexp.MustCompile(`[.!?;]+\s+|\n+`)

// split cuts an answer into chunks, one account each: a sentence that names another account of the book
// starts a chunk about that account, and the sentences after it stay with it until another is named.
// Sentences before any name belong to the account the question was about ("" for portfolio questions).
func split(text, questionAccount string, accounts []store.Account) []piece {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []piece
	current := questionAccount
	var buf []string
	words := 0
	flush := func() {
		if t := strings.TrimSpace(strings.Join(buf, " ")); t != "" {
			out = append(out, piece{accountID: current, text: t})
		}
		buf, words = nil, 0
	}
	for _, s := range sentences(text) {
		if id := mentionedAccount(s, accounts, current); id != current {
			flush()
			current = id
		}
		n := len(strings.Fields(s))
		if words > 0 && words+n > maxChunkWords {
			flush()
		}
		buf = append(buf, s)
		words += n
	}
	flush()
	return out
}

func sentences(text string) []string {
	var out []string
	last := 0
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		if s := strings.TrimSpace(text[last:loc[1]]); s != "" {
			out = append(out, s)
		}
		last = loc[1]
	}
	if s := strings.TrimSpace(text[last:]); s != "" {
		out = append(out, s)
	}
	return out
}

// mentionedAccount returns the account a sentence names (the first one, by position), or current.
func mentionedAccount(sentence string, accounts []store.Account, current string) string {
	lower := strings.ToLower(sentence)
	best, at := current, -1
	for _, a := range accounts {
		name := strings.ToLower(a.Name)
		for from := 0; ; {
			i := strings.Index(lower[from:], name)
			if i < 0 {
				break
			}
			i += from
			end := i + len(name)
			if wordBoundary(lower, i-1) && wordBoundary(lower, end) {
				if at < 0 || i < at {
					best, at = a.ID, i
				}
				break
			}
			from = i + 1
		}
	}
	return best
}

func wordBoundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	r := rune(s[i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
