package redact

import "strings"

var none = cand{}

// maxValue bounds the values read after a keyword. Credentials announced in words are short (keys found
// by their format have no such bound), and the bound keeps "password=password=…" linear.
const maxValue = 512

// value reads the value starting at byte p of word k: a quoted string, or the rest of the word without
// the punctuation that ends the sentence. linked says whether "is", ":" or the like introduced it.
func (sc *scan) value(kw keyword, p, k int, linked bool, between []int) (cand, bool) {
	t, w := sc.text, sc.words[k]
	if w.marker || p >= w.e || strings.HasPrefix(t[p:], markerPrefix) {
		return none, false
	}
	if kw.cl == clBearer && p == w.s && authSchemes[sc.lower(k)] {
		if k++; k >= len(sc.words) || sc.words[k].marker {
			return none, false
		}
		w = sc.words[k]
		p = w.s
	}
	if s, e, ok := quoted(t, p); ok {
		return sc.accept(kw, s, e, k, true, linked, between)
	}
	p = trimOpen(t, p, w.e)
	if kw.cl == clSeed && p == w.s {
		if e, ok := sc.seedGroups(k); ok { // "jbsw y3dp ehpk 3pxp", as authenticator apps show it
			return sc.accept(kw, p, e, k, false, linked, between)
		}
	}
	e := w.e
	if e-p > maxValue {
		return none, false // a value whose end we do not read is not one we can mask
	}
	if kw.attached {
		e = cutParams(t, p, e, kw.param)
	}
	if e = trimClose(t, p, e, false); e <= p {
		return none, false
	}
	return sc.accept(kw, p, e, k, false, linked, between)
}

// cutParams ends a value at the ";" or "&" that starts the next key=value pair of a connection or
// query string; in prose a password may well contain either.
func cutParams(t string, p, e int, param bool) int {
	for i := p; i < e; i++ {
		if t[i] != ';' && t[i] != '&' {
			continue
		}
		if param {
			return i
		}
		j := run(t[:e], i+1, func(c byte) bool { return isAlnum(c) || c == '_' || c == ' ' })
		if j > i+1 && j < e && t[j] == '=' {
			return i
		}
	}
	return e
}

// accept applies the test for the keyword's class to the value t[s:e] and builds the match.
func (sc *scan) accept(kw keyword, s, e, k int, quoted, linked bool, between []int) (cand, bool) {
	v := sc.text[s:e]
	var ok bool
	switch kw.cl {
	case clLogin, clCreds:
		return sc.pair(kw, s, e, k, quoted, linked, between)
	case clPIN:
		if !quoted {
			e = trimPIN(sc.text, s, e) // "1379#": the hash confirms the code on a keypad
			v = sc.text[s:e]
		}
		ok = quoted && quotedOK(v) || codeShape(v) && !units[sc.lower(k+1)] || linked && passwordShape(v)
	case clPassword, clPass:
		switch {
		case quoted:
			ok = (quotedOK(v) || weakPasswords[lowerASCII(v)]) && (linked || !sc.refused(k))
		case linked:
			ok = sc.linkedPassword(kw, v, k)
			if ok && kw.label && plainPassword(v, true) {
				e = sc.passphrase(k, e)
			}
		default:
			ok = strongShape(v)
		}
	case clSeed:
		ok = base32Shape(v) || linked && tokenShape(v)
	case clToken, clBearer, clAPIKey, clSecret:
		c := classesOf(v)
		ok = tokenShape(v) && (linked || kw.cl == clBearer || len(v) >= 16) ||
			kw.label && passwordShape(v) && c.digit && (c.lower || c.upper) // "secret: hunter2"
	case clKey:
		ok = entropyShape(v) || kw.label && tokenShape(v) && !isUUID(v) // "Segment write key: 8kQ2mZ7pX4vL9rT3"
	}
	if !ok {
		return none, false
	}
	kind, sys := kw.cl.kind(), ""
	if kw.attached {
		if host, isODBC := sc.odbc(s); isODBC {
			sys = host
			if kind == Password {
				kind = ConnectionString
			}
		}
	}
	if sys == "" && kw.param {
		sys = sc.urlHost(kw.at)
	}
	if sys == "" {
		sys = sc.phraseSystem(kw, between, k)
	}
	return cand{Match{kind, s, e, sys}, prioPhrase}, true
}

// linkedPassword is the test for a value that "is", ":" or the like links to a password word in word k:
// one shaped like a password ("bluefish77"), all digits ("123456", but not "12 characters"), or a plain
// word ("letmein"), which a label announces more surely than "is" (see plainPassword). Spanish "clave" is
// also the key to success and "pass" a verb, so after "is" they need a password's shape.
func (sc *scan) linkedPassword(kw keyword, v string, k int) bool {
	next := sc.lower(k + 1)
	if allDigits(v) {
		return len(v) >= 4 && len(v) <= 12 && !units[next]
	}
	if passwordShape(v) {
		return true
	}
	if kw.label {
		return plainPassword(v, true)
	}
	return kw.cl == clPassword && !strings.HasSuffix(lowerASCII(kw.ident), "clave") && !units[next] &&
		next != "than" && plainPassword(v, false)
}

// quotedOK: quotes show where the value starts and ends, so any value counts that is not a word
// about passwords.
func quotedOK(v string) bool {
	l := lowerASCII(v)
	return len(v) <= 128 && !stopValues[l] && !placeholder(v) && !strings.HasPrefix(v, markerPrefix) &&
		!isEmail(l) && !strings.Contains(l, "://")
}

// pair reads "user / pass", "user:pass" or "user/pass" and masks only the password: a user name
// alone is not a secret, and the report is more useful with it.
func (sc *scan) pair(kw keyword, s, e, k int, isQuoted, linked bool, between []int) (cand, bool) {
	t := sc.text
	v := t[s:e]
	try := func(ps, pe int) (cand, bool) {
		pv := t[ps:pe]
		if pe-ps < 3 || ordinary(pv) || !linked && !passwordShape(pv) {
			return none, false
		}
		return cand{Match{Password, ps, pe, sc.phraseSystem(kw, between, sc.wordAt(pe-1))}, prioPhrase}, true
	}
	next := func(n int) (cand, bool) {
		if n >= len(sc.words) || sc.words[n].marker {
			return none, false
		}
		if qs, qe, ok := quoted(t, sc.words[n].s); ok {
			return try(qs, qe)
		}
		ps := trimOpen(t, sc.words[n].s, sc.words[n].e)
		return try(ps, trimClose(t, ps, sc.words[n].e, false))
	}
	if strings.Contains(v, "://") {
		return none, false
	}
	if i := strings.IndexAny(v, ":/"); i > 0 {
		if i < len(v)-1 {
			return try(s+i+1, e)
		}
		if !isQuoted {
			return next(k + 1)
		}
		return none, false
	}
	if !isQuoted && k+1 < len(sc.words) && !sc.words[k+1].marker {
		r := sc.raw(k + 1)
		if r == "/" || r == ":" || r == "|" {
			return next(k + 2)
		}
		if len(r) > 1 && r[0] == '/' {
			ps := sc.words[k+1].s + 1
			return try(ps, trimClose(t, ps, sc.words[k+1].e, false))
		}
	}
	if kw.cl == clCreds && linked && (isQuoted && quotedOK(v) || strongShape(v)) {
		return cand{Match{Password, s, e, sc.phraseSystem(kw, between, k)}, prioPhrase}, true
	}
	return none, false
}

// hashWords name what a hex string after them is (a commit, a checksum), which is never a secret.
var hashWords = setOf("commit", "sha", "hash", "revision", "rev", "changeset", "build", "version",
	"checksum", "digest", "md5", "sha1", "sha256", "fingerprint")

// generic finds long random-looking values with a credential word at most four words before them
// ("the signing key we use is 8fJ2kL9mN4pQ7rS1tU6v"). Without such a word a random value is more likely
// an id, so it stays.
func (sc *scan) generic(k int, cs []cand) []cand {
	t, w := sc.text, sc.words[k]
	if w.e-w.s < 20 {
		return cs
	}
	s := trimOpen(t, w.s, w.e)
	e := trimClose(t, s, w.e, false)
	if azureKey(t[s:e]) {
		return append(cs, cand{Match{Secret, s, e, "Azure"}, prioProvider})
	}
	if !entropyShape(t[s:e]) || k > 0 && hashWords[sc.lower(k-1)] {
		return cs
	}
	for j := k - 1; j >= 0 && j >= k-4; j-- {
		if sc.words[j].marker || sc.ends(j, ".!?") {
			break
		}
		if kind, ok := sc.keyWord(j); ok {
			sys := sc.fromBetween(span(j+1, k))
			if sys == "" {
				sys = sc.systemBefore(j)
			}
			return append(cs, cand{Match{kind, s, e, sys}, prioGeneric})
		}
	}
	return cs
}

func span(a, b int) []int {
	var s []int
	for i := a; i < b; i++ {
		s = append(s, i)
	}
	return s
}

// keyWord reports whether word j is a credential word, and which kind of value it announces.
func (sc *scan) keyWord(j int) (Kind, bool) {
	parts := strings.FieldsFunc(sc.lower(j), func(r rune) bool { return r < 0x80 && !isAlnum(byte(r)) })
	for i, p := range parts {
		switch {
		case p == "1password":
		case hasSuffix(p, "password", "passwd", "passphrase", "passwords") || p == "pwd":
			return Password, true
		case hasSuffix(p, "token", "tokens"):
			return Token, true
		case hasSuffix(p, "apikey", "apikeys"),
			(p == "key" || p == "keys") && (i > 0 && parts[i-1] == "api" || i == 0 && sc.lower(j-1) == "api"):
			return APIKey, true
		case hasSuffix(p, "secret", "secrets"), p == "key", p == "keys", p == "credential", p == "credentials",
			p == "creds":
			return Secret, true
		}
	}
	return "", false
}

// seedGroups reads a one-time password seed written in groups of four from word k on, as authenticator
// apps show it ("jbsw y3dp ehpk 3pxp"), and returns where it ends.
func (sc *scan) seedGroups(k int) (int, bool) {
	t, e, n := sc.text, 0, 0
	for j := k; j < len(sc.words) && n < 16 && !sc.words[j].marker; j++ {
		s, ce := sc.core(j)
		if ce-s != 4 || !base32Shape(strings.Repeat(t[s:ce], 4)) || n > 0 && !sameCase(t[s:ce], t[sc.words[k].s:e]) {
			break
		}
		e, n = ce, n+1
		if ce != sc.words[j].e {
			break
		}
	}
	return e, n >= 4
}

func sameCase(a, b string) bool { return strings.ToUpper(a) == a == (strings.ToUpper(b) == b) }

// passphrase extends a plain password after a label over the plain words that follow it to the end of
// the line or a bracket ("Password: open sesame (two words)"); words that go on into a sentence do not
// count, and neither does the extension.
func (sc *scan) passphrase(k, e int) int {
	if e != sc.words[k].e {
		return e
	}
	end := e
	for j := k + 1; j < len(sc.words) && j <= k+5; j++ {
		w := sc.words[j]
		if w.marker || strings.IndexByte(sc.text[end:w.s], '\n') >= 0 || strings.HasPrefix(sc.text[w.s:], "(") {
			return end
		}
		s, ce := sc.core(j)
		v := sc.text[s:ce]
		if s != w.s || !plainPassword(v, true) || v != lowerASCII(v) {
			return e
		}
		end = ce
		if ce != w.e {
			return end
		}
	}
	if len(sc.words) > 0 && end == sc.words[len(sc.words)-1].e || end == len(sc.text) {
		return end
	}
	return e
}

// userNames are the accounts that come with a password in "admin / S3cret" even without a credential
// word: built-in and service accounts, which nobody writes beside a slash for any other reason.
var userNames = setOf("admin", "administrator", "root", "sa", "superuser", "postgres", "guest", "sysadmin",
	"ubuntu", "ec2-user", "pi", "oracle", "system", "sys", "operator", "admin1", "webadmin", "siteadmin",
	"netadmin", "dbadmin", "support", "demo", "test", "testuser", "service", "elastic", "kibana", "jenkins",
	"grafana", "manager", "tomcat", "ftpuser", "user")

// isUserName: a built-in account, an e-mail address, a service account ("svc_sync") or an admin
// account ("tableau_admin").
func isUserName(v string) bool {
	l := lowerASCII(v)
	return userNames[l] || isEmail(l) || strings.HasPrefix(l, "svc_") || strings.HasPrefix(l, "svc-") ||
		strings.HasSuffix(l, "_admin") || strings.HasSuffix(l, "-admin")
}

// userPair finds a user and password written as a pair without a credential word: "admin / Tr0ub4dor&3",
// "root/Toor!2024", "guest:Gu3st-WiFi". Only the password goes, and only one that looks like one (a
// letter and a digit or symbol): "admin / user roles" and "Salesforce/HubSpot" stay.
func (sc *scan) userPair(k int, cs []cand) []cand {
	t, w := sc.text, sc.words[k]
	if strings.IndexAny(t[w.s:w.e], "/:") < 0 && (k+1 >= len(sc.words) || sc.raw(k+1) != "/") {
		return cs
	}
	s := trimOpen(t, w.s, w.e)
	e := trimClose(t, s, w.e, false)
	raw := t[s:e]
	if strings.Contains(raw, "://") ||
		k > 0 && strings.HasPrefix(sc.raw(k-1), "-") { // a command line's flag: cli reads it
		return cs
	}
	ps, pe := -1, -1
	if i := strings.IndexAny(raw, "/:"); i > 0 && i < len(raw)-1 {
		if !isUserName(raw[:i]) {
			return cs
		}
		ps, pe = s+i+1, e
	} else if isUserName(raw) && e == w.e && k+2 < len(sc.words) && sc.raw(k+1) == "/" && !sc.words[k+2].marker {
		ps = trimOpen(t, sc.words[k+2].s, sc.words[k+2].e)
		pe = trimClose(t, ps, sc.words[k+2].e, false)
	} else {
		return cs
	}
	v := t[ps:pe]
	c := classesOf(v)
	if len(v) < 6 || !passwordShape(v) || isUserName(v) || !(c.lower || c.upper) || !(c.digit || c.symbol) ||
		strings.ContainsAny(v, "/@") {
		return cs
	}
	return append(cs, cand{Match{Password, ps, pe, sc.systemBefore(k)}, prioPhrase})
}

// awsSecret finds the secret access key that follows an AWS access key id ending at byte i: forty
// characters of base64 a few words on ("AKIA… / wJalrXUtnFEMI/K7MDENG…").
func (sc *scan) awsSecret(i int, cs []cand) []cand {
	k := sc.wordAt(i - 1)
	for j := k; j < len(sc.words) && j <= k+5; j++ {
		if sc.words[j].marker || j > k && sc.ends(j-1, ".!?") {
			break
		}
		w := sc.words[j]
		if j == k {
			w.s = i
		}
		if w.e-w.s > 80 { // longer than "AWS_SECRET_ACCESS_KEY=" and a key: not one
			continue
		}
		s := trimOpen(sc.text, w.s, w.e)
		e := trimClose(sc.text, s, w.e, true)
		if p := strings.LastIndexAny(sc.text[s:e], "=:"); p >= 0 {
			s += p + 1
		}
		v := sc.text[s:e]
		if len(v) != 40 {
			continue
		}
		c := classesOf(strings.NewReplacer("/", "", "+", "").Replace(v))
		if strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+") == "" &&
			c.lower && c.upper && c.digit && !c.symbol {
			return append(cs, cand{Match{Secret, s, e, "AWS"}, prioProvider})
		}
	}
	return cs
}

// refusals after "is" say that a quoted value is refused, not used: "the password 'changeme' is blocked".
var refusals = setOf("blocked", "banned", "rejected", "forbidden", "disallowed", "not", "never", "weak",
	"common", "compromised", "leaked", "expired", "no", "too", "blacklisted", "blocklisted", "invalid")

func (sc *scan) refused(k int) bool {
	return k+2 < len(sc.words) && linkers[sc.lower(k+1)] && refusals[sc.lower(k+2)]
}

// azureKey matches the two Azure secrets that have a shape of their own even without a word before
// them: a storage account key (86 base64 characters and "==", 64 bytes) and an Entra ID client secret, whose
// fourth character is a digit followed by "Q~".
func azureKey(v string) bool {
	switch {
	case len(v) >= 80 && len(v) <= 96 && strings.HasSuffix(v, "=="): // 88 when whole; pastes lose a few
		c := classesOf(v[:len(v)-2])
		return strings.Trim(v[:len(v)-2], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") == "" &&
			c.lower && c.upper && c.digit
	case len(v) >= 37 && len(v) <= 40 && isDigit(v[3]) && v[4] == 'Q' && v[5] == '~':
		for i := 0; i < len(v); i++ {
			if !isAlnum(v[i]) && strings.IndexByte("_~.-", v[i]) < 0 {
				return false
			}
		}
		c := classesOf(v[6:])
		return c.digit && (c.lower || c.upper)
	}
	return false
}
