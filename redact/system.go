package redact

import (
	"sort"
	"strings"
)

// The report tells successors where a credential was mentioned so that it can be moved into a vault;
// naming the system it unlocks ("Salesforce sandbox", "AWS", "wifi") makes that list actionable. The
// rules below read the few words around the credential and prefer saying nothing to guessing.

var (
	// sysStop ends a system name: function words, pronouns and verbs.
	sysStop = setOf("the", "a", "an", "their", "our", "my", "your", "his", "her", "its", "this", "that",
		"these", "those", "is", "was", "are", "were", "be", "been", "and", "or", "but", "so", "then", "for",
		"to", "of", "on", "in", "at", "with", "by", "from", "into", "via", "as", "we", "they", "i", "you", "he",
		"she", "it", "use", "uses", "used", "using", "gave", "give", "given", "sent", "send", "shared", "share",
		"have", "has", "had", "got", "get", "need", "needs", "know", "knows", "reset", "changed", "change",
		"set", "new", "old", "current", "same", "also", "here", "there", "which", "what", "where", "who",
		"when", "if", "only", "just", "still", "now", "please", "note", "fyi", "btw", "all", "any", "every",
		"each", "some", "both", "other", "another", "one", "like", "about", "found", "saved", "stored",
		"kept", "remember", "told", "say", "said", "enter", "type", "typed", "try", "tried", "update",
		"updated", "rotate", "rotated", "hi", "hey", "thanks", "ok", "okay", "yes", "no", "not", "do", "does",
		"did", "can", "could", "will", "would", "should", "must", "may", "might", "connect", "login", "log",
		"sign", "via", "see", "ask", "call", "too", "well", "either", "here's", "it's", "that's", "there's", "copy", "paste",
		// German, French and Spanish articles and the words of "mot de passe"
		"der", "die", "das", "den", "dem", "des", "ein", "eine", "le", "la", "les", "un", "une", "du", "de", "el",
		"los", "las", "del", "mot", "für", "pour", "para", "von", "ist", "est", "es", "lautet")
	// roles describe the credential rather than the system ("admin password", "API key").
	roles = setOf("admin", "administrator", "admins", "root", "master", "service", "svc", "shared", "main",
		"default", "user", "users", "account", "accounts", "login", "logins", "api", "key", "keys", "access",
		"secret", "secrets", "token", "tokens", "id", "signing", "webhook", "personal", "deploy",
		"integration", "bot", "app", "client", "private", "public", "session", "auth", "bearer", "temporary",
		"temp", "initial", "password", "passwords", "pin", "credentials", "credential", "creds", "code",
		"codes", "string", "connection", "pw", "pwd", "passphrase", "license", "live", "test", "authorization",
		"basic", "header", "headers", "env", "var", "variable", "refresh", "oauth", "compte", "cuenta", "konto")
	preps       = setOf("for", "to", "on", "into", "at", "in", "of", "für", "pour", "para", "du", "de", "del")
	determiners = setOf("the", "a", "an", "their", "our", "my", "your", "his", "her", "its", "this", "that",
		"der", "die", "das", "den", "dem", "le", "la", "les", "el", "los", "las")
	systemWords = setOf("wifi", "wi-fi", "vpn", "sftp", "ftp", "ssh", "database", "db", "server", "portal",
		"console", "sandbox", "router", "crm", "erp", "staging", "production", "prod", "office")
	notSystems = setOf("api", "pin", "id", "url", "jwt", "csm", "fyi", "asap", "tbd", "eod", "ceo", "cto",
		"cfo", "vp", "pw", "pwd", "qbr", "nps", "arr", "mrr", "it", "i", "ps", "re", "fw", "note", "please", "oh",
		"ah", "um", "well", "anyway", "again", "actually", "sorry", "sure")
	// peopleVerbs precede a person, not a system ("ask John for the password").
	peopleVerbs = setOf("ask", "tell", "ping", "email", "call", "contact", "thank", "thanks", "from", "cc",
		"with", "by", "message", "slack")
)

// systemAt names the system for a credential found at byte i by its format.
func (sc *scan) systemAt(i int) string { return sc.systemBefore(sc.wordAt(i)) }

// wordAt returns the index of the word holding byte i (or the next word after a space).
func (sc *scan) wordAt(i int) int {
	return sort.Search(len(sc.words), func(k int) bool { return sc.words[k].e > i })
}

// phraseSystem names the system for a credential announced by kw: "password for X is", then
// "SALESFORCE_PASSWORD", then the words before the keyword.
func (sc *scan) phraseSystem(kw keyword, between []int, after int) string {
	if s := sc.fromBetween(between); s != "" {
		return s
	}
	if s := identSystem(kw.ident); s != "" {
		return s
	}
	if s := sc.systemBefore(kw.first); s != "" {
		return s
	}
	return sc.systemAfter(after)
}

// systemAfter reads "for the VPN" right after a value ("use password X for the VPN").
func (sc *scan) systemAfter(k int) string {
	if k+1 >= len(sc.words) || !preps[sc.lower(k+1)] || sc.ends(k, ".?;,") {
		return ""
	}
	if s := sc.fromBetween(span(k+1, min(len(sc.words), k+7))); notable(s) {
		return s
	}
	return ""
}

// systemBefore reads the words before word k: "the Salesforce sandbox admin password", "for Zendesk,
// the …", or failing those the nearest capitalised name.
func (sc *scan) systemBefore(k int) string {
	if s := sc.runBefore(k); s != "" {
		return s
	}
	for j := k - 1; j >= 0 && j >= k-8; j-- {
		if sc.words[j].marker || sc.ends(j, ".!?") {
			break
		}
		if preps[sc.lower(j)] {
			if s := sc.fromBetween(span(j, k)); s != "" && notable(s) {
				return s
			}
		}
	}
	return sc.capBefore(k)
}

// runBefore takes the words right before k that could name a thing ("Salesforce sandbox admin"), and
// drops the ones that describe the credential ("admin").
func (sc *scan) runBefore(k int) string {
	j := k - 1
	for n := 0; j >= 0 && n < 3 && sc.isLinker(j); n++ {
		j--
	}
	var run []string
	for ; j >= 0 && j >= k-8 && len(run) < 6; j-- {
		if sc.words[j].marker || sc.ends(j, ".!?;,") || len(run) > 0 && sc.ends(j, ":=") {
			break
		}
		s, e := sc.core(j)
		c := strings.TrimRight(sc.text[s:e], "=:")
		if l := lowerASCII(c); l == "" || sysStop[l] || !nameLike(c) {
			break
		}
		run = append(run, c)
	}
	for i, j := 0, len(run)-1; i < j; i, j = i+1, j-1 {
		run[i], run[j] = run[j], run[i]
	}
	return tidy(run)
}

// fromBetween reads "for/to/on … <name>" from words ks, skipping articles ("for their SFTP server").
func (sc *scan) fromBetween(ks []int) string {
	for i, k := range ks {
		if !preps[sc.lower(k)] {
			continue
		}
		var out []string
		for _, j := range ks[i+1:] {
			s, e := sc.core(j)
			l := sc.lower(j)
			if len(out) == 0 && determiners[l] {
				continue
			}
			if l == "" || sysStop[l] && !roles[l] || sc.words[j].marker || len(out) == 5 || !nameLike(sc.text[s:e]) {
				break
			}
			out = append(out, sc.text[s:e])
			if sc.ends(j, ",;:") {
				break
			}
		}
		return tidy(out)
	}
	return ""
}

// identSystem reads a system out of an identifier such as SALESFORCE_PASSWORD or aws_secret_access_key.
func identSystem(ident string) string {
	parts := strings.FieldsFunc(ident, func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	if len(parts) < 2 {
		return ""
	}
	s := strings.Fields(tidy(parts[:len(parts)-1]))
	if len(s) > 2 {
		s = s[len(s)-2:]
	}
	if j := strings.Join(s, " "); len(j) > 1 {
		return j
	}
	return ""
}

// capBefore returns the nearest capitalised name before word k in the same sentence.
func (sc *scan) capBefore(k int) string {
	lo := max(0, k-8)
	for j := k - 1; j >= lo; j-- {
		if sc.words[j].marker || sc.ends(j, ".!?") {
			return ""
		}
		if !sc.capitalised(j) {
			continue
		}
		start := j
		for start-1 >= lo && j-start < 2 && !sc.ends(start-1, ".!?,;:") && sc.capitalised(start-1) {
			start--
		}
		if peopleVerbs[sc.lower(start-1)] {
			return ""
		}
		var out []string
		for i := start; i <= j; i++ {
			s, e := sc.core(i)
			out = append(out, sc.text[s:e])
		}
		return tidy(out)
	}
	return ""
}

func (sc *scan) capitalised(j int) bool {
	if sc.words[j].marker {
		return false
	}
	s, e := sc.core(j)
	c := sc.text[s:e]
	l := lowerASCII(c)
	return c != "" && (isUpper(c[0]) || len(c) > 1 && isUpper(c[1])) && !sysStop[l] && !notSystems[l] &&
		!roles[l] && nameLike(c)
}

// nameLike: letters with at most a hyphen, dot, ampersand or apostrophe, and short. A word with digits
// or other symbols may be the credential itself, which must never reach System.
func nameLike(c string) bool {
	if len(c) > 40 || !strings.ContainsFunc(c, isLetterRune) {
		return false
	}
	for i := 0; i < len(c); i++ {
		if b := c[i]; b < 0x80 && !isLetter(b) && strings.IndexByte("-.&'", b) < 0 {
			return false
		}
	}
	return true
}

// tidy drops trailing role words and a final possessive, and joins the rest.
func tidy(words []string) string {
	for len(words) > 0 {
		l := lowerASCII(words[len(words)-1])
		if !roles[l] && len(l) > 1 {
			break
		}
		words = words[:len(words)-1]
	}
	if len(words) == 0 {
		return ""
	}
	last := &words[len(words)-1]
	for _, s := range []string{"'s", "’s"} {
		*last = strings.TrimSuffix(*last, s)
	}
	return strings.Join(words, " ")
}

// notable: a phrase after "for" names a system only if it has a capital or a word such as "wifi".
func notable(s string) bool {
	for _, w := range strings.Fields(s) {
		if isUpper(w[0]) || len(w) > 1 && isUpper(w[1]) || systemWords[lowerASCII(w)] {
			return true
		}
	}
	return false
}

func isLetterRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0x80 }
