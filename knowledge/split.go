package knowledge

import (
	"regexp"
	"strings"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

type piece struct {
	accountID string
	// uncertain: which account the text is about is a guess; it is shown to the manager only until the
	// CSM says which account it is about.
	uncertain bool
	text      string
}

// maxChunkWords keeps a chunk about one thing: long answers are split at sentence ends.
const maxChunkWords = 120

// Sentences end at ".", "!", "?" (not after a title or an initial: "Dr. Helen Cho") and line breaks; a
// clause after a semicolon goes on with its sentence,
// and with its account.
var sentenceEnd = regexp.MustCompile(`[.!?]+\s+|\n+`)

// split cuts an answer into chunks, one account each, with every sentence filed under the account it is
// about (mention.Matcher.Attribute says how); consecutive sentences about the same account, with the
// same certainty, make one chunk. The CSM's corrections are applied to the sentences after they are
// filed, so a corrected statement stays with its account unless the correction names another. settled
// holds the CSM's own word on which account a text is about (by the text): an uncertain chunk with that
// text goes there, for certain.
func split(text, questionAccount string, matcher *mention.Matcher, settled map[string]string, corrections []store.Correction) []piece {
	sents, lineEnds := sentences(strings.TrimSpace(text))
	attr := matcher.Attribute(sents, questionAccount)
	sents, attr = correct(sents, attr, matcher, corrections)
	var out []piece
	var buf strings.Builder
	words := 0
	var cur mention.Attribution
	flush := func() {
		if t := strings.TrimSpace(buf.String()); t != "" {
			p := piece{accountID: cur.AccountID, uncertain: cur.Uncertain, text: t}
			if id, ok := settled[t]; ok && p.uncertain {
				p.accountID, p.uncertain = id, false
			}
			out = append(out, p)
		}
		buf.Reset()
		words = 0
	}
	for i, s := range sents {
		if i > 0 && attr[i] != cur {
			flush()
		}
		cur = attr[i]
		n := len(strings.Fields(s))
		if words > 0 && words+n > maxChunkWords {
			flush()
		}
		if s != "" {
			buf.WriteString(s)
			// A line break stays one, so that pasted notes keep a line a fact: "Admin: Bartek Nowak"
			// does not run into the next line's "Renewal 31/03/2027".
			if lineEnds[i] {
				buf.WriteString("\n")
			} else {
				buf.WriteString(" ")
			}
			words += n
		}
	}
	flush()
	return out
}

// correct puts the CSM's corrections into the sentences, in the order they were made: each replaces the
// statement it corrects (a withdrawn one is removed) in the sentence that holds it, which keeps its
// account unless the corrected words name another. A correction whose statement is no longer there (a
// later correction rewrote it) changes nothing.
func correct(sents []string, attr []mention.Attribution, matcher *mention.Matcher, corrections []store.Correction) ([]string, []mention.Attribution) {
	for _, c := range corrections {
		if c.Original == "" {
			continue
		}
		replacement := ""
		if !c.Withdrawn {
			replacement, _ = redact.Text(c.Corrected)
		}
		replacement, _ = personal.Remove(replacement)
		// The statement lies in one sentence, or across a few (a statement with a semicolon).
	search:
		for i := range sents {
			for j := i; j < len(sents) && j < i+4; j++ {
				joined := strings.Join(sents[i:j+1], " ")
				if !strings.Contains(joined, c.Original) {
					continue
				}
				sents[i] = strings.TrimSpace(strings.Replace(joined, c.Original, replacement, 1))
				for k := i + 1; k <= j; k++ {
					sents[k] = ""
				}
				if hits := matcher.Find(replacement); len(hits) > 0 {
					attr[i] = matcher.Attribute([]string{sents[i]}, attr[i].AccountID)[0]
				}
				break search
			}
		}
	}
	return sents, attr
}

// sentences cuts text into sentences, and tells for each whether a line break ended it.
func sentences(text string) (sents []string, lineEnds []bool) {
	last := 0
	for _, loc := range sentenceEnd.FindAllStringIndex(text, -1) {
		if text[loc[0]] == '.' && !strings.Contains(text[loc[0]:loc[1]], "\n") && extract.EndsWithAbbreviation(text[:loc[0]]) {
			continue // "Dr. Helen Cho": the period ends a title, not the sentence
		}
		if s := strings.TrimSpace(text[last:loc[1]]); s != "" {
			sents = append(sents, s)
			lineEnds = append(lineEnds, strings.Contains(text[loc[0]:loc[1]], "\n"))
		}
		last = loc[1]
	}
	if s := strings.TrimSpace(text[last:]); s != "" {
		sents = append(sents, s)
		lineEnds = append(lineEnds, false)
	}
	return sents, lineEnds
}
