// Package personal finds personal remarks in a CSM's answers: their reasons for leaving and their
// feelings about the employer. They are not operational knowledge, so they are kept out of search, the
// report and the statements a successor reads; the transcript keeps them, and the interviewer steers
// back to the handover. The words live in prompts/personal.txt.
package personal

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/exitinterview/exitinterview/prompts"
)

// Marker stands where a personal remark was left out.
const Marker = "[personal remark left out]"

var (
	remarkRE   = mustRemarks()
	sentenceRE = regexp.MustCompile(`[^.!?\n]+[.!?]*\s*|\n+`)
)

func mustRemarks() *regexp.Regexp {
	sections, err := prompts.Sections("personal.txt")
	if err != nil {
		panic(err)
	}
	var alts []string
	for _, l := range strings.Split(strings.Join(sections["personal"], "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			alts = append(alts, `\b(?:`+l+`)\b`)
		}
	}
	re, err := regexp.Compile(`(?i)` + strings.Join(alts, "|"))
	if err != nil || len(alts) == 0 {
		panic(fmt.Sprintf("prompts/personal.txt: %v (%d lines)", err, len(alts)))
	}
	return re
}

// split cuts text into sentences, keeping every byte (each sentence with the spaces after it).
func split(text string) []string { return sentenceRE.FindAllString(text, -1) }

// Found reports whether text holds a personal remark.
func Found(text string) bool { return remarkRE.MatchString(text) }

// Remove returns text without its personal sentences, and how many it removed.
func Remove(text string) (string, int) {
	return replace(text, "")
}

// Mark returns text with each run of personal sentences replaced by Marker.
func Mark(text string) string {
	out, _ := replace(text, Marker+" ")
	return out
}

func replace(text, with string) (string, int) {
	if !remarkRE.MatchString(text) {
		return text, 0
	}
	var b strings.Builder
	n, prevRemoved := 0, false
	for _, s := range split(text) {
		if remarkRE.MatchString(s) {
			n++
			if !prevRemoved {
				b.WriteString(with)
			}
			prevRemoved = true
			continue
		}
		prevRemoved = false
		b.WriteString(s)
	}
	return strings.TrimSpace(b.String()), n
}
