package extract

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/exitinterview/exitinterview/gazetteer"
)

type mention struct {
	sp   span
	name string
	sent int
}

// nameRE finds runs of capitalised words: one to three, with an optional title and name particles ("Dr.
// Aisha Khan", "Jean-Luc", "O'Brien", "Anna van der Berg", "Tanaka-san"). Go's \b only knows ASCII, so
// the edges are checked by hand and names in any script are found.
var nameRE = compile(`(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Frau|Herr|Mister|Sir|Dame)\.? )?\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:-\p{Lu}?\p{Ll}+|\p{Lu}\p{Ll}+)*(?: (?:(?:van|von|de|der|den|da|di|du|del|la|le|bin|al) )*\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:-\p{Lu}?\p{Ll}+|\p{Lu}\p{Ll}+)*){0,2}(?: \p{Lu}\b\.?)?`)

var (
	contractionRE = compile(`^['’]t\b`)
	titleRE       = compile(`^(?:Dr|Mr|Mrs|Ms|Mx|Prof|Frau|Herr|Mister|Sir|Dame)\.?$`)
	particleRE    = compile(`^(?:van|von|de|der|den|da|di|du|del|la|le|bin|al)$`)
)

// findPeople lists the people named in the answer, in order, with first names resolved to the full
// name said elsewhere in the same answer ("Priya" → "Priya Shah").
func (d *doc) findPeople() {
	var accounts [][]string
	for _, a := range append([]string{d.c.Account}, d.c.Accounts...) {
		if ws := strings.Fields(strings.ToLower(a)); len(ws) > 0 {
			accounts = append(accounts, ws)
		}
	}
	csm := wordSet(strings.ToLower(d.c.CSMName))
	var raw []mention
	for i, s := range d.sents {
		for _, c := range d.candidates(s, accounts) {
			name := d.text[c.sp.start:c.sp.end]
			if allIn(name, csm) {
				continue
			}
			raw = append(raw, mention{c.sp, name, i})
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
		if !strings.Contains(m.name, " ") && full[m.name] != "" {
			m.name = full[m.name]
		}
		d.people = append(d.people, m)
	}
}

// candidates finds the possible names of one sentence, weighs them and returns those kept, in order.
func (d *doc) candidates(s span, accounts [][]string) []candidate {
	var cs []candidate
	taken := func(sp span) bool {
		for _, c := range cs {
			if sp.start < c.sp.end && c.sp.start < sp.end {
				return true
			}
		}
		return false
	}
	text := d.text[s.start:s.end]
	for _, loc := range nameRE.FindAllStringIndex(text, -1) {
		sp, job, ok := d.core(span{s.start + loc[0], s.start + loc[1]}, accounts)
		if ok && d.edgesOK(sp) {
			cs = append(cs, candidate{sp: sp, run: span{s.start + loc[0], s.start + loc[1]}, kind: capitalised, jobWord: job})
		}
	}
	for _, loc := range lowerNameRE.FindAllStringIndex(text, -1) {
		sp := span{s.start + loc[0], s.start + loc[1]}
		if w := d.text[sp.start:sp.end]; gazetteer.GivenName(w) && !gazetteer.NotPerson(w) && d.edgesOK(sp) && !taken(sp) {
			cs = append(cs, candidate{sp: sp, kind: lowerCase})
		}
	}
	for _, loc := range initialsRE.FindAllStringIndex(text, -1) {
		sp := span{s.start + loc[0], s.start + loc[1]}
		// Job and team acronyms ("COO", "VP", "IT") are not initials.
		if w := d.text[sp.start:sp.end]; !gazetteer.NotPerson(w) && !roleWordRE.MatchString(w) && !teamRE.MatchString(w) && d.edgesOK(sp) && !taken(sp) {
			cs = append(cs, candidate{sp: sp, kind: initials})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].sp.start < cs[j].sp.start })
	for i := range cs {
		d.weigh(&cs[i], s, cs)
		cs[i].accepted = cs[i].score >= 1
	}
	// "talked w/ ola and bjorn": a name joined to a person by "and" is one too, if it nearly was.
	for changed := true; changed; {
		changed = false
		for i := range cs {
			if cs[i].accepted || cs[i].score < -1 {
				continue
			}
			for _, j := range []int{i - 1, i + 1} {
				if j < 0 || j >= len(cs) || !cs[j].accepted {
					continue
				}
				a, b := cs[min(i, j)].sp, cs[max(i, j)].sp
				if joinRE.MatchString(d.text[a.end:b.start]) {
					cs[i].score += 2
					cs[i].accepted, changed = cs[i].score >= 1, true
					break
				}
			}
		}
	}
	var out []candidate
	for _, c := range cs {
		if c.accepted {
			out = append(out, c)
		}
	}
	return out
}

// core drops leading and trailing words of a capitalised run that are not names ("Ask Priya",
// "Priya Monday", "Honestly Bronwyn") and the name of an account at its start, and refuses runs with
// nothing left. job tells whether a job word ("Officer", "Manager") was dropped: what is left of "Chief
// Medical Officer" is a department, not a person.
func (d *doc) core(sp span, accounts [][]string) (_ span, job bool, ok bool) {
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
	inPhrase := map[tok]bool{}
	for i := range toks {
		for k := gazetteer.PhraseAt(words, i); k > 0; k-- {
			inPhrase[toks[i+k-1]] = true
		}
	}
	stop := func(t tok, k int) bool {
		w := strings.TrimRight(word(t), ".")
		if inPhrase[t] {
			return true
		}
		// A given name that is also a calendar or common word ("Jan Kowalczyk", "May Chen") stays
		// when a surname follows it.
		if gazetteer.NotPerson(w) && !(k == 0 && gazetteer.GivenName(w) && len(toks) > 1) {
			return true
		}
		// A sentence adverb ("Honestly", "Supposedly") before a name.
		if k == 0 && len(toks) > 1 && strings.HasSuffix(w, "ly") && !gazetteer.GivenName(w) {
			return true
		}
		// A hyphenated word whose first part is never a person ("German-language").
		if i := strings.IndexByte(w, '-'); i > 0 && gazetteer.NotPerson(w[:i]) {
			return true
		}
		return false
	}
	drop := func(t tok) {
		if roleWordRE.MatchString(word(t)) {
			job = true
		}
	}
	for len(toks) > 0 && (particleRE.MatchString(word(toks[0])) || stop(toks[0], 0) && !titleRE.MatchString(word(toks[0]))) {
		drop(toks[0])
		toks = toks[1:]
	}
	// An account's name at the start of the run ("Halvorsen Dental Partners", or "Halvorsen" alone) is
	// the account; "Dr. Ingrid Halvorsen" is a person.
	if len(toks) > 0 && !titleRE.MatchString(word(toks[0])) {
		lw := make([]string, len(toks))
		for i, t := range toks {
			lw[i] = strings.ToLower(strings.TrimRight(word(t), ".,"))
		}
		for _, a := range accounts {
			n := 0
			for n < len(a) && n < len(lw) && a[n] == lw[n] {
				n++
			}
			if n == len(a) || n > 0 && n == len(lw) {
				toks = toks[n:]
				break
			}
		}
	}
	// A surname's initial stays after a given name ("Rahul K", "Lena B."), and nowhere else ("Plan B").
	if n := len(toks); n > 1 && utf8.RuneCountInString(strings.TrimRight(word(toks[n-1]), ".")) == 1 && !gazetteer.GivenName(word(toks[0])) {
		toks = toks[:n-1]
	}
	for len(toks) > 0 && (particleRE.MatchString(word(toks[len(toks)-1])) || stop(toks[len(toks)-1], len(toks)-1)) {
		drop(toks[len(toks)-1])
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 || titleRE.MatchString(word(toks[len(toks)-1])) {
		return span{}, false, false
	}
	return span{toks[0].s, toks[len(toks)-1].e}, job, true
}

// edgesOK refuses words that are parts of paths, handles, channels or domains.
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
		if contractionRE.MatchString(rest) {
			return false // "Don't", "Won't"
		}
	}
	return true
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
	appositionRE = compile(`(?i)^\s*,\s+(?:who is\s+)?(?:(?:the|our|their|his|her|my|a|an)\s+)?([^,;.()]{2,60}?)\s*(?:,|;|\.|$|\s(?:and|who|but)\s)`)
	parenRE      = compile(`^\s*\(([^()]{2,40})\)`)
	fromTeamRE   = compile(`^\s+(?i:from|in|at|of)\s+(?i:the\s+)?((?:[\w&-]+\s+){0,2}?(?:` + teamRE.String() + `)(?:\s+team)?)(?:\s|[,;.]|$)`)
	leadsRE      = compile(`(?i)^\s+((?:runs|heads|leads|manages|oversees|owns|is in charge of|is responsible for)\s+[^,;.]+?)(?:\s(?:and|who|but)\s|[,;.]|$)`)
	isRoleRE     = compile(`(?i)^\s+(?:is|was|['’]s)\s+(?:also\s+|now\s+|still\s+)?(?:the|our|their|his|her|my|a|an)\s+([^,;.]+?)(?:\s(?:and|who|but)\s|[,;.]|$)`)
	bareRoleRE   = compile(`(?i)^\s*(?:(the|our|their)\s+)((?:[\w&-]+ ){0,2}[\w&-]+)`)
	beforeRE     = compile(`(?i)(?:^|[\s,(])(?:the|our|their|his|her|my)\s+([^,;.]{2,40}?),?\s*$`)
	functionWord = wordSet(`is are was were still under by with to from in on at and or but not very being been has have had will would we i they it he she that this`)
)

// roleAfter reads a role stated right after a name and how many bytes of rest it took.
func roleAfter(rest string) (string, int) {
	for _, re := range []*pattern{appositionRE, parenRE, isRoleRE} {
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
	// An apposition without "the": "a temp, Jordan Reyes", "chief of staff, keiko", "his replacement
	// Yesenia", "Her deputy is Jannik": the words right before the name, back to a determiner or a
	// function word ("is" and "was" right before the name are stepped over).
	if strings.HasSuffix(strings.TrimSpace(before), ":") {
		return "" // "admin: Tom Berg" is a label of the relationship, read as one
	}
	words := strings.Fields(strings.TrimRight(before, " ,(–—-"))
	end := len(words)
	if end > 0 && (strings.EqualFold(words[end-1], "is") || strings.EqualFold(words[end-1], "was")) {
		end--
	}
	start := end
	for start > 0 && end-start < 5 {
		w := strings.ToLower(strings.Trim(words[start-1], ",;:()"))
		if functionWord[w] || determiner[w] || strings.ContainsAny(words[start-1], ",;:()") && start < end {
			break
		}
		start--
	}
	if start < end {
		if p := strings.Join(words[start:end], " "); isRolePhrase(p) {
			return bare(p)
		}
	}
	return ""
}

// determiner words end an apposition's role, looking back from the name.
var determiner = wordSet(`a an the our their his her my its new now there`)

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

// Named is a person a text names: the name as written and the sentence it is in.
type Named struct {
	Name, Sentence string
}

// People returns the people text names, as written, in order, each time they are named: the recogniser
// the extraction reads, for the interviewer's follow-ups, so that it asks about a person only when
// extraction would take them for one. exclude holds names that are not people to ask about (the
// accounts, the CSM).
func People(text string, exclude []string) []Named {
	key := strings.Join(exclude, "\x01") + "\x00" + text
	if out, ok := peopleMemo.get(key); ok {
		return slices.Clone(out)
	}
	d := &doc{text: text, c: Context{Accounts: exclude}, topics: map[string]bool{}, sents: sentences(text)}
	d.findPeople()
	out := make([]Named, len(d.people))
	for i, m := range d.people {
		out[i] = Named{m.name, d.at(d.sents[m.sent])}
	}
	peopleMemo.put(key, out)
	return slices.Clone(out)
}

// peopleMemo keeps who a text names: the interviewer asks it of the same answers turn after turn.
var peopleMemo memo[[]Named]
