package search

import (
	"slices"
	"strings"
	"sync"

	"github.com/exitinterview/exitinterview/embed"
	"github.com/exitinterview/exitinterview/prompts"
)

// synonyms maps a word of prompts/synonyms.txt, and its stem, to the group of words it is in.
var synonyms = sync.OnceValue(func() map[string][]string {
	sections, err := prompts.Sections("synonyms.txt")
	if err != nil {
		panic(err)
	}
	m := map[string][]string{}
	for _, v := range sections["groups"] {
		for _, line := range strings.Split(v, "\n") {
			group := strings.Fields(strings.ToLower(line))
			for _, w := range group {
				if prev, dup := m[w]; dup && !slices.Equal(prev, group) {
					panic("prompts/synonyms.txt: " + w + " is in two groups")
				}
				m[w] = group
				if _, taken := m[embed.Stem(w)]; !taken {
					m[embed.Stem(w)] = group
				}
			}
		}
	}
	return m
})

// alike is w and the words of its synonym group.
func alike(w string) []string {
	g, ok := synonyms()[w]
	if !ok {
		g = synonyms()[embed.Stem(w)]
	}
	if !slices.Contains(g, w) {
		return append([]string{w}, g...)
	}
	return g
}

// expand is words with every word of their synonym groups, each once, in order.
func expand(words []string) []string {
	var out []string
	for _, w := range words {
		for _, a := range alike(w) {
			if !slices.Contains(out, a) {
				out = append(out, a)
			}
		}
	}
	return out
}
