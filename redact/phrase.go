package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is what a credential word announces, which decides how sure the value must look.
type class uint8

const (
	clNone     class = iota
	clPassword       // password, pwd, passphrase…
	clPass           // "pass" is also a verb: only "pass:" and "pass=" announce a password
	clPIN            // PINs and door codes, where four digits are the secret
	clLogin          // login, username: only a user/pass pair holds a secret, its second half
	clCreds          // credentials: a user/pass pair, or a single strong password
	clToken          // token, access token, session id
	clBearer         // bearer, authorization: the value follows without "is" or ":"
	clAPIKey         // API key, access key
	clSecret         // secret, client secret, signing key
	clKey            // a bare "key" is such a common word that only random-looking values count
	clSeed           // the seed of one-time passwords (TOTP, 2FA): a base32 value
)

func (c class) kind() Kind {
	switch c {
	case clToken, clBearer:
		return Token
	case clAPIKey:
		return APIKey
	case clSecret, clKey, clSeed:
		return Secret
	}
	return Password
}

// keyword is a credential word found in the text, such as "password", "API key" or "DB_PASSWORD".
type keyword struct {
	cl       class
	first    int    // the word where the keyword starts ("API" of "API key"), for System
	at       int    // the word holding its last part
	end      int    // byte offset just after it
	ident    string // as written, for systems named in identifiers ("SALESFORCE_PASSWORD")
	param    bool   // a parameter of a query or connection string (after ?, & or ;)
	attached bool   // followed by = or : in the same word
	label    bool   // announced by ":", "=" and the like rather than by "is": a plain word counts too
}

var (
	apiHeads    = setOf("api", "access", "subscription", "account", "sharedaccess", "developer", "app")
	secretHeads = setOf("secret", "private", "signing", "encryption", "master", "hmac", "webhook", "client")
	codeHeads   = setOf("door", "alarm", "gate", "entry", "lock", "security", "safe", "backup", "recovery",
		"access", "pin", "keypad", "wifi", "wlan", "wi-fi", "network")
	pairHeads = setOf("user", "username", "login", "email", "u", "benutzer", "usuario", "utilisateur", "identifiant")
	// otpHeads make "key" or "secret" the seed of one-time passwords.
	otpHeads    = setOf("totp", "2fa", "mfa", "otp", "authenticator", "hotp")
	authSchemes = setOf("bearer", "basic", "token", "digest")
)

// typos of "password" that CSMs type in a hurry.
var typos = setOf("pasword", "passowrd", "passwrod", "passwrd", "paswd", "psswd", "psswrd", "passord", "passsword",
	"pssword", "paswword", "passwodr")

// headed are the last parts whose class may depend on the part or word before them.
var headed = setOf("key", "keys", "code", "codes", "id", "passe", "secret", "seed", "with", "combination")

func classFor(last, prev string, param bool) class {
	switch {
	case last == "1password":
	case hasSuffix(last, "passcode", "passcodes"):
		return clPIN
	case hasSuffix(last, "password", "passwd", "passphrase", "passwort", "kennwort", "contraseña",
		"contrasena", "motdepasse", "passwörter", "kennwörter") || typos[last] ||
		last == "pwd" || last == "pw" || last == "passwords" || last == "pword" || last == "mdp" ||
		last == "passe" && prev == "de" || last == "clave" || last == "contraseñas":
		return clPassword
	case last == "seed" || otpHeads[prev] && (last == "key" || last == "secret" || last == "seed") ||
		otpHeads[last] && last != "authenticator":
		return clSeed
	case last == "pass":
		return clPass
	case last == "pin" || last == "pincode" || (last == "code" || last == "codes" || last == "combination") && codeHeads[prev]:
		return clPIN
	case last == "credentials" || last == "credential" || last == "creds" || last == "zugangsdaten" ||
		last == "credenciales" || last == "identifiants":
		return clCreds
	case last == "login" || last == "logins" || last == "logon" || last == "username" || last == "benutzername" ||
		last == "benutzer" || last == "usuario" || last == "identifiant" || last == "utilisateur":
		return clLogin
	case hasSuffix(last, "token") || last == "tokens" || last == "sessionid" || last == "id" && prev == "session" ||
		last == "sig" && param:
		return clToken
	case last == "bearer" || last == "authorization":
		return clBearer
	case hasSuffix(last, "apikey") || last == "apikeys" || (last == "key" || last == "keys") && apiHeads[prev] ||
		last == "accountkey" || last == "accesskey" || last == "sharedaccesskey" || last == "subscriptionkey":
		return clAPIKey
	case hasSuffix(last, "secret") || last == "secrets" || (last == "key" || last == "keys") && secretHeads[prev] ||
		hasSuffix(last, "schlüssel") || last == "clé" ||
		last == "secretkey" || last == "privatekey" || last == "signingkey":
		return clSecret
	case last == "key" || last == "keys" || last == "licensekey":
		return clKey
	}
	return clNone
}

func hasSuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// keywords finds the credential words in word k and reads the value each one announces.
func (sc *scan) keywords(k int, cs []cand) []cand {
	t, w := sc.text, sc.words[k]
	for i := w.s; i < w.e; {
		if identWidth(t[:w.e], i) == 0 {
			i++
			continue
		}
		j := i
		for n := identWidth(t[:w.e], j); n > 0; n = identWidth(t[:w.e], j) {
			j += n
		}
		s, e := i, j
		for s < e && (t[s] == '-' || t[s] == '.') {
			s++
		}
		for e > s && (t[e-1] == '-' || t[e-1] == '.') {
			e--
		}
		if e-s >= 2 && e-s <= 48 || e-s == 1 && (t[s] == 'p' || t[s] == 'P') {
			if kw, ok := sc.classify(k, s, e); ok {
				if c, ok := sc.phrase(kw); ok {
					cs = sc.list(kw, append(cs, c))
				} else if c, ok := sc.asThe(kw); ok {
					cs = append(cs, c)
				}
			}
		}
		i = j
	}
	return cs
}

func (sc *scan) classify(k, s, e int) (keyword, bool) {
	t, w := sc.text, sc.words[k]
	id := lowerASCII(t[s:e])
	if strings.ContainsFunc(id, isUpperRune) { // "CONTRASEÑA"; only classified, so offsets need not hold
		id = strings.ToLower(id)
	}
	last, prev := id, ""
	if i := strings.LastIndexAny(id, "_-."); i >= 0 {
		last = id[i+1:]
		rest := strings.TrimRight(id[:i], "_-.")
		prev = rest[strings.LastIndexAny(rest, "_-.")+1:]
	}
	kw := keyword{first: k, at: k, end: e, ident: t[s:e], param: s > w.s && strings.IndexByte("?&;", t[s-1]) >= 0}
	if id != "p" && !headed[last] && classFor(last, prev, kw.param) == clNone {
		return kw, false // most words: no need to read the word before
	}
	// A one-part word may take its head from the word before: "API key", "session id", "door code".
	if prev == "" && s == trimOpen(t, w.s, e) && k > 0 && !sc.words[k-1].marker && !sc.ends(k-1, ".,;:!?") {
		prev = sc.lower(k - 1)
		if last == "with" && prev == "in" && (sc.lower(k-2) == "log" || sc.lower(k-2) == "sign") &&
			!sc.ends(k-2, ".,;:!?") {
			kw.cl, kw.first = clLogin, k-2
			return kw, true
		}
		if classFor(last, prev, kw.param) != classFor(last, "", kw.param) {
			kw.first = k - 1
		}
	}
	kw.cl = classFor(last, prev, kw.param)
	if id == "p" {
		kw.cl = sc.pShort(k, e)
	}
	if kw.cl == clNone {
		return kw, false
	}
	// "user/pass: admin/S3cret" announces a pair, not a password that contains a slash.
	if (kw.cl == clPassword || kw.cl == clPass || last == "p") && s > w.s+1 && t[s-1] == '/' {
		b := s - 1
		for b > w.s && isIdentChar(t[b-1]) {
			b--
		}
		if pairHeads[lowerASCII(t[b:s-1])] {
			kw.cl = clLogin
		}
	}
	return kw, true
}

var (
	linkers = setOf("is", "was", "are", "were", "be", "been", "becomes", "became", "equals", "=", "->", "=>", "→",
		"ist", "lautet", "war", "sind", "est", "c'est", "c’est", "était", "es", "era", "sont", "it's", "it’s")
	linkPunct   = setOf(":", "=", "-", "–", "—", "->", "=>", "→", ":=", "==", "::", "is:", "was:", "are:")
	changeVerbs = setOf("set", "changed", "reset", "updated", "switched", "rotated", "moved")
	fillers     = setOf("now", "still", "currently", "just", "literally", "simply", "always", "usually",
		"actually", "also", "again", "temporarily", "probably", "basically", "typically", "normally",
		"apparently", "supposedly", "toujours", "encore", "actuellement", "maintenant", "immer", "noch", "jetzt",
		"aktuell", "siempre", "todavía", "aún", "ahora", "actualmente")
	// betweenStops end the search for "is" after a keyword: the sentence is about something else
	// ("the password policy is …", "the API key rotation is overdue", "we reset their password and …").
	betweenStops = setOf("policy", "policies", "manager", "managers", "reset", "resets", "rotation",
		"rotations", "rotate", "requirement", "requirements", "rule", "rules", "complexity", "length",
		"expiry", "expiration", "expires", "expire", "expired", "hint", "hints", "field", "fields", "prompt",
		"page", "pages", "screen", "link", "links", "email", "emails", "process", "change", "changes",
		"history", "strength", "protection", "protected", "vault", "vaults", "store", "storage", "sharing",
		"spreadsheet", "sheet", "doc", "docs", "document", "file", "files", "location", "format", "owner",
		"owners", "holder", "issue", "issues", "problem", "problems", "ticket", "tickets", "request",
		"requests", "flow", "form", "type", "types", "name", "names", "count", "limit", "limits", "budget",
		"usage", "pricing", "based", "cost", "costs", "refresh", "lifetime", "ttl", "scope", "scopes",
		"permission", "permissions", "generation", "generator", "leak", "leaks", "audit", "management",
		"setup", "settings", "recovery", "lockout", "lockouts", "attempts", "hygiene", "hash", "hashes",
		"hashing", "which", "that", "who", "whose", "where", "when", "because", "since", "if", "but", "and",
		"or", "so", "though", "although", "while", "until", "unless", "after", "before", "then", "than",
		"whether", "not", "never", "no", "without", "requires", "require", "required", "needs", "need",
		"needed", "1password", "lastpass", "bitwarden", "keeper", "sso", "mfa", "2fa")
)

func (sc *scan) isLinker(k int) bool {
	return k < len(sc.words) && !sc.words[k].marker && (linkPunct[sc.raw(k)] || linkers[sc.lower(k)])
}

// phrase reads the value a keyword announces: right after "=" or ":", or after a linking word ("is",
// "set to") that follows within a few words, or, for values that look strong enough, right away.
func (sc *scan) phrase(kw keyword) (cand, bool) {
	t, w := sc.text, sc.words[kw.at]
	j := kw.end
	if rest := t[j:w.e]; rest == "'s" || rest == "’s" { // "the password's Bl@ckb1rd"
		return sc.valueAt(kw, kw.at+1, nil)
	}
	if s := kw.end - len(kw.ident); j < w.e && t[j] == '>' && s > w.s && t[s-1] == '<' { // <password>X</password>
		return sc.element(kw, j+1)
	}
	for j < w.e && (t[j] == '"' || t[j] == '\'') {
		j++
	}
	if s := kw.end - len(kw.ident); j == kw.end && j+1 < w.e && (t[j] == '=' || t[j] == ':') && s > w.s &&
		(t[s-1] == '"' || t[s-1] == '\'') && t[j+1] == t[s-1] {
		return cand{}, false // a label in quotes ("contraseña:") is named, not used
	}
	if j < w.e && (t[j] == '=' || t[j] == ':') {
		kw.attached, kw.label = true, true
		j = run(t[:w.e], j+1, func(c byte) bool { return c == '=' || c == '>' || c == ':' })
		if j < w.e {
			return sc.value(kw, j, kw.at, true, nil)
		}
		return sc.valueAt(kw, kw.at+1, nil)
	}
	if kw.cl == clPass && !(kw.at+1 < len(sc.words) && linkers[sc.lower(kw.at+1)]) || j < w.e && t[j:w.e] != "," {
		return cand{}, false // "pass" is a verb too: only "pass:", "pass=" and "the pass is" announce one
	}
	var between []int
	k := kw.at + 1
	for step := 0; ; step++ {
		if step == 7 || k >= len(sc.words) || sc.words[k].marker {
			return cand{}, false
		}
		c := sc.lower(k)
		if sc.isLinker(k) {
			kw.label = kw.label || linkPunct[sc.raw(k)]
			k++
			break
		}
		if step == 0 && c == "to" && sc.changedBefore(kw.first) { // "they set the password to Initech2022"
			k++
			break
		}
		if changeVerbs[c] && sc.lower(k+1) == "to" {
			k += 2
			break
		}
		if betweenStops[c] || c == "" {
			return cand{}, false
		}
		if !fillers[c] && sc.onlyFillers(between) {
			// Right after the keyword, or after "still", "now"…: a value strong enough needs no "is".
			if m, ok := sc.value(kw, sc.words[k].s, k, false, nil); ok {
				return m, true
			}
		}
		if sc.ends(k, ".!?;") {
			return cand{}, false
		}
		between = append(between, k)
		k++
		if sc.ends(k-1, ":=") {
			kw.label = true
			break
		}
	}
	for n := 0; n < 4 && k < len(sc.words); n++ {
		if c := sc.lower(k); fillers[c] || sc.isLinker(k) {
			kw.label = kw.label || linkPunct[sc.raw(k)]
			k++
		} else if changeVerbs[c] && sc.lower(k+1) == "to" {
			k += 2
		} else {
			break
		}
	}
	return sc.valueAt(kw, k, between)
}

func (sc *scan) valueAt(kw keyword, k int, between []int) (cand, bool) {
	if k >= len(sc.words) || sc.words[k].marker {
		return cand{}, false
	}
	return sc.value(kw, sc.words[k].s, k, true, between)
}

// onlyFillers reports whether every word at the given indexes is a filler ("still", "now"); true for none.
func (sc *scan) onlyFillers(words []int) bool {
	for _, k := range words {
		if !fillers[sc.lower(k)] {
			return false
		}
	}
	return true
}

// changedBefore reports a verb of change just before word k: "set the password to …".
func (sc *scan) changedBefore(k int) bool {
	for j := k - 1; j >= 0 && j >= k-2; j-- {
		if l := sc.lower(j); changeVerbs[l] {
			return true
		} else if !determiners[l] {
			return false
		}
	}
	return false
}

// element reads the value of an XML element such as <password>X</password>, which starts at byte p.
func (sc *scan) element(kw keyword, p int) (cand, bool) {
	t := sc.text
	end := strings.Index(t[p:min(len(t), p+maxValue)], "</")
	if end <= 0 || strings.IndexByte(t[p:p+end], '\n') >= 0 {
		return none, false
	}
	kw.attached, kw.label = true, true
	return sc.accept(kw, p, p+end, sc.wordAt(p), true, true, nil)
}

// pShort classifies a lone "p:" or "p=", which is a password only in a pair such as "u: jo p: S3cret".
func (sc *scan) pShort(k, e int) class {
	w := sc.words[k]
	if e >= w.e || sc.text[e] != ':' && sc.text[e] != '=' {
		return clNone
	}
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if r := sc.raw(j); strings.HasSuffix(r, ":") && pairHeads[lowerASCII(strings.TrimSuffix(r, ":"))] {
			return clPassword
		}
	}
	return clNone
}

// useVerbs come before a password named after it: "I use Tr0ub4dor&3 as the password".
var useVerbs = setOf("use", "uses", "used", "using", "chose", "choose", "chosen", "picked", "pick", "set", "try",
	"tried", "with", "enter", "entered", "type", "typed", "put", "gave", "give", "given")

// asThe reads a password written before its keyword: "I use X as the password", "X is the password for
// …". The keyword must end its phrase ("the password manager" is something else).
func (sc *scan) asThe(kw keyword) (cand, bool) {
	if kw.cl != clPassword && kw.cl != clPass || kw.first != kw.at && kw.first != kw.at-1 ||
		betweenStops[sc.lower(kw.at+1)] && sc.lower(kw.at+1) != "for" || sc.lower(kw.at+1) == "is" {
		return none, false
	}
	j := kw.first - 1
	if j >= 0 && determiners[sc.lower(j)] {
		j--
	}
	if j < 1 || sc.words[j].marker || sc.words[j-1].marker || sc.ends(j-1, ".?;:,") {
		return none, false
	}
	link := sc.lower(j)
	v := j - 1
	s := trimOpen(sc.text, sc.words[v].s, sc.words[v].e)
	e := trimClose(sc.text, s, sc.words[v].e, false)
	val := sc.text[s:e]
	switch {
	case link == "as" && v > 0 && (useVerbs[sc.lower(v-1)] || v > 1 && useVerbs[sc.lower(v-2)] && !sc.ends(v-2, ".!?;:,")):
		if !passwordShape(val) {
			return none, false
		}
	case (link == "is" || link == "was") && (v == 0 || sc.ends(v-1, ".!?;:,")):
		if !strongShape(val) {
			return none, false
		}
	default:
		return none, false
	}
	return cand{Match{Password, s, e, sc.systemAfter(kw.at)}, prioPhrase}, true
}

// listWords announce several values at once: "recovery codes: 7g4k-2m9p, 3x8q-5n1r".
var listWords = setOf("codes", "keys", "tokens", "passwords", "pins", "secrets", "passcodes")

// list reads the values that follow the last of cs, separated by commas, when kw announces several.
func (sc *scan) list(kw keyword, cs []cand) []cand {
	if l := lowerASCII(kw.ident); !listWords[l[strings.LastIndexAny(l, "_-.")+1:]] {
		return cs
	}
	kw.label = true
	for j, n := sc.wordAt(cs[len(cs)-1].End-1), 0; n < 8 && j+1 < len(sc.words) && sc.ends(j, ","); n++ {
		j++
		c, ok := sc.value(kw, sc.words[j].s, j, true, nil)
		if !ok {
			break
		}
		cs = append(cs, c)
	}
	return cs
}

func isUpperRune(r rune) bool { return r >= utf8.RuneSelf && unicode.IsUpper(r) }
