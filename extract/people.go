package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/gazetteer"
)

// A person is one to three capitalised words, with an optional title and name particles ("Dr. Aisha
// Khan", "Jean-Luc", "O'Brien", "Anna van der Berg"). Go's \b only knows ASCII, so the edges are
// checked by hand and names in any script are found.
var nameRE = regexp.MustCompile(`(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.? )?\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:-\p{Lu}?\p{Ll}+|\p{Lu}\p{Ll}+)*(?: (?:(?:van|von|de|der|den|da|di|du|del|la|le|bin|al) )*\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:-\p{Lu}?\p{Ll}+|\p{Lu}\p{Ll}+)*){0,2}`)

var (
	titleRE    = regexp.MustCompile(`^(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?$`)
	particleRE = regexp.MustCompile(`^(?:van|von|de|der|den|da|di|du|del|la|le|bin|al)$`)
	// What follows a capitalised first word of a sentence that makes it a person ("Priya prefers…").
	personVerbRE = regexp.MustCompile(`^(?:\s+(?:decides|signs|prefers|runs|heads|leads|owns|manages|wants|likes|loves|hates|reads|replies|responds|said|says|told|asked|knows|handles|approves|reports|uses|only|joined|left|answers|champions|sponsors|needs|cares|insists|worries|pushes)\b|['’]s\b|\s+\(|:\s)`)
	copulaRE     = regexp.MustCompile(`^\s+(?:is|was)\s+([^,;.]{0,40})`)
)

type mention struct {
	sp   span
	name string
	sent int
}

// findPeople lists the people named in the answer, in order, with first names resolved to the full
// name said elsewhere in the same answer ("Priya" → "Priya Shah").
func (d *doc) findPeople() {
	skip := map[string]bool{}
	for _, a := range d.c.Accounts {
		for _, w := range strings.Fields(strings.ToLower(a)) {
			skip[w] = true
		}
	}
	for _, w := range strings.Fields(strings.ToLower(d.c.Account)) {
		skip[w] = true
	}
	csm := wordSet(strings.ToLower(d.c.CSMName))
	var raw []mention
	for i, s := range d.sents {
		for _, loc := range nameRE.FindAllStringIndex(d.text[s.start:s.end], -1) {
			sp, ok := d.core(span{s.start + loc[0], s.start + loc[1]}, skip)
			if !ok || !d.edgesOK(sp) {
				continue
			}
			name := d.text[sp.start:sp.end]
			if allIn(name, csm) {
				continue
			}
			raw = append(raw, mention{sp, name, i})
		}
	}
	full := map[string]string{}
	for _, m := range raw {
		f := strings.Fields(m.name)
		if len(f) > 1 && titleRE.MatchString(f[0]) {
			f = f[1:]
		}
		if len(f) > 1 {
			if prev, dup := full[f[0]]; dup && prev != m.name {
				full[f[0]] = "" // two people share the first name: keep first names as said
			} else if !dup {
				full[f[0]] = m.name
			}
		}
	}
	for _, m := range raw {
		single := !strings.Contains(m.name, " ")
		if single && full[m.name] != "" {
			m.name = full[m.name]
		} else if single && strings.TrimLeft(d.text[d.sents[m.sent].start:m.sp.start], ` "'(`) == "" && !d.personCue(m.sp) {
			continue // a capitalised sentence opener is usually not a name
		}
		d.people = append(d.people, m)
	}
}

// core drops leading and trailing words of a capitalised run that are not names ("Ask Priya",
// "Priya Monday") and refuses runs with nothing left.
func (d *doc) core(sp span, skip map[string]bool) (span, bool) {
	type tok struct{ s, e int }
	var toks []tok
	s := d.text[sp.start:sp.end]
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s) - i
		}
		toks = append(toks, tok{sp.start + i, sp.start + i + j})
		i += j + 1
	}
	word := func(t tok) string { return d.text[t.s:t.e] }
	// Words of a phrase that is never a person ("Slack Connect") are never part of a name.
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = word(t)
	}
	inPhrase := make([]bool, len(toks))
	for i := range toks {
		for k := gazetteer.PhraseAt(words, i); k > 0; k-- {
			inPhrase[i+k-1] = true
		}
	}
	idx := map[tok]int{}
	for i, t := range toks {
		idx[t] = i
	}
	stop := func(t tok) bool {
		w := strings.ToLower(strings.TrimRight(word(t), "."))
		return inPhrase[idx[t]] || gazetteer.NotPerson(w) || skip[w]
	}
	for len(toks) > 0 && (particleRE.MatchString(word(toks[0])) || stop(toks[0]) && !titleRE.MatchString(word(toks[0]))) {
		toks = toks[1:]
	}
	for len(toks) > 0 && (particleRE.MatchString(word(toks[len(toks)-1])) || stop(toks[len(toks)-1])) {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 || titleRE.MatchString(word(toks[len(toks)-1])) {
		return span{}, false
	}
	return span{toks[0].s, toks[len(toks)-1].e}, true
}

// edgesOK refuses capitalised words that are parts of paths, handles, channels or domains.
func (d *doc) edgesOK(sp span) bool {
	if sp.start > 0 {
		r, _ := utf8.DecodeLastRuneInString(d.text[:sp.start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(`/\#@._-'’`, r) {
			return false
		}
	}
	if sp.end < len(d.text) {
		rest := d.text[sp.end:]
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(`/\@_`, r) {
			return false
		}
		if len(rest) > 1 && rest[0] == '.' && isASCIILetter(rest[1]) {
			return false
		}
	}
	return true
}

func (d *doc) personCue(sp span) bool {
	rest := d.text[sp.end:]
	if personVerbRE.MatchString(rest) {
		return true
	}
	if m := copulaRE.FindStringSubmatch(rest); m != nil {
		return roleWordRE.MatchString(m[1]) || firstOf(m[1], relationshipRE) != "" || firstOf(m[1], sentimentRE) != ""
	}
	_, n := roleAfter(rest)
	_, v := roleVerb(rest)
	return n > 0 || v > 0
}

func allIn(name string, set map[string]bool) bool {
	f := strings.Fields(strings.ToLower(name))
	for _, w := range f {
		if !set[w] {
			return false
		}
	}
	return len(f) > 0
}

// Ways a role is given next to a name.
var (
	appositionRE = regexp.MustCompile(`(?i)^\s*,\s+(?:who is\s+)?(?:(?:the|our|their|his|her|my|a|an)\s+)?([^,;.()]{2,60}?)\s*(?:,|;|\.|$|\s(?:and|who|but)\s)`)
	parenRE      = regexp.MustCompile(`^\s*\(([^()]{2,40})\)`)
	fromTeamRE   = regexp.MustCompile(`^\s+(?i:from|in|at|of)\s+(?i:the\s+)?((?:[\w&-]+\s+){0,2}?(?:` + teamRE.String() + `)(?:\s+team)?)(?:\s|[,;.]|$)`)
	leadsRE      = regexp.MustCompile(`(?i)^\s+((?:runs|heads|leads|manages|oversees|owns|is in charge of|is responsible for)\s+[^,;.]+?)(?:\s(?:and|who|but)\s|[,;.]|$)`)
	isRoleRE     = regexp.MustCompile(`(?i)^\s+(?:is|was|['’]s)\s+(?:also\s+|now\s+|still\s+)?(?:the|our|their|his|her|my|a|an)\s+([^,;.]+?)(?:\s(?:and|who|but)\s|[,;.]|$)`)
	bareRoleRE   = regexp.MustCompile(`(?i)^\s*(?:(the|our|their)\s+)((?:[\w&-]+ ){0,2}[\w&-]+)`)
	beforeRE     = regexp.MustCompile(`(?i)(?:^|[\s,(])(?:the|our|their|his|her|my)\s+([^,;.]{2,40}?),?\s*$`)
	functionWord = wordSet(`is are was were still under by with to from in on at and or but not very being been has have had will would we i they it he she that this`)
)

// roleAfter reads a role stated right after a name and how many bytes of rest it took.
func roleAfter(rest string) (string, int) {
	for _, re := range []*regexp.Regexp{appositionRE, parenRE, isRoleRE} {
		if m := re.FindStringSubmatchIndex(rest); m != nil && isRolePhrase(rest[m[2]:m[3]]) {
			return bare(rest[m[2]:m[3]]), m[3]
		}
	}
	if m := fromTeamRE.FindStringSubmatchIndex(rest); m != nil {
		return clean(rest[m[2]:m[3]]), m[3]
	}
	if role, _, end := leadingRole(rest); role != "" {
		return role, end // "Marco the CFO decides"
	}
	return "", 0
}

// leadingRole reads a role at the start of s without commas ("the CFO", "their support lead"): the
// longest of the next three words that ends in a job word. It gives the role, and where the phrase
// with its article starts and ends.
func leadingRole(s string) (role string, start, end int) {
	m := bareRoleRE.FindStringSubmatchIndex(s)
	if m == nil {
		return "", 0, 0
	}
	for end := m[5]; end > m[4]; {
		p := s[m[4]:end]
		f := strings.Fields(p)
		if roleWordRE.MatchString(f[len(f)-1]) && isRolePhrase(p) {
			return p, m[2], end
		}
		k := strings.LastIndexByte(p, ' ')
		if k < 0 {
			break
		}
		end = m[4] + k
	}
	return "", 0, 0
}

// roleVerb reads a role described by what the person does ("runs support operations"), the weakest
// way a role is given: an apposition before the name wins over it.
func roleVerb(rest string) (string, int) {
	if m := leadsRE.FindStringSubmatchIndex(rest); m != nil && firstOf(rest[m[2]:m[3]], relationshipRE) == "" {
		return clean(rest[m[2]:m[3]]), m[3]
	}
	return "", 0
}

// roleBefore reads a role stated right before a name ("their admin, Tom", "the CFO Marco Rossi").
func roleBefore(before string) string {
	if m := beforeRE.FindStringSubmatch(before); m != nil && isRolePhrase(m[1]) {
		return bare(m[1])
	}
	return ""
}

// isRolePhrase accepts a short phrase that ends in a job or team word ("support engineering lead",
// "VP of Sales"), so that an aside like ", still under investigation," is not a role.
func isRolePhrase(p string) bool {
	head := p
	if i := strings.Index(p, " of "); i > 0 {
		head = p[:i]
	}
	f := strings.Fields(head)
	if len(f) == 0 || len(strings.Fields(p)) > 6 {
		return false
	}
	for _, w := range f {
		if functionWord[strings.ToLower(w)] {
			return false
		}
	}
	last := f[len(f)-1]
	return roleWordRE.MatchString(last) || teamRE.MatchString(last)
}
