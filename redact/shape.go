package redact

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stopValues follow "password is" and its friends without being a credential: where it is kept, what
// happened to it, a placeholder, or an ordinary word.
var stopValues = setOf(
	"a", "an", "the", "in", "on", "at", "to", "for", "of", "by", "with", "without", "via", "from", "under",
	"inside", "into", "there", "here", "this", "that", "it", "its", "same", "different", "not", "no", "yes",
	"still", "now", "also", "just", "expired", "expiring", "reset", "required", "requires", "policy",
	"manager", "vault", "1password", "lastpass", "bitwarden", "keeper", "dashlane", "keepass", "okta",
	"onelogin", "sso", "saml", "oauth", "oidc", "ldap", "google", "microsoft", "azure", "none", "null", "nil",
	"empty", "blank", "unknown", "unset", "n/a", "tbd", "tba", "redacted", "hidden", "masked", "stored",
	"saved", "kept", "shared", "changed", "rotated", "updated", "correct", "wrong", "incorrect", "invalid",
	"valid", "ok", "okay", "fine", "missing", "attached", "below", "above", "managed", "handled", "owned",
	"listed", "written", "documented", "known", "needed", "optional", "mandatory", "enforced", "enabled",
	"disabled", "compromised", "leaked", "exposed", "available", "somewhere", "something", "nothing",
	"secret", "password", "passwords", "pass", "token", "key", "username", "user", "email", "login",
	"e.g.", "i.e.", "etc", "see", "ask", "check", "call", "contact", "their", "our", "my", "your", "his",
	"her", "we", "they", "you", "he", "she", "and", "or", "but", "so", "as", "if", "read", "write", "true",
	"false", "off", "default", "usual", "standard", "temporary", "set", "being", "what", "which", "who",
	"where", "how", "because", "long", "short", "strong", "weak", "simple", "too", "very", "only", "one",
	"new", "old", "current", "everything", "sharepoint", "onedrive",
	"github", "gitlab", "hubspot", "linkedin", "salesforce", "zendesk", "slack", "passwordless",
)

// units after a number show it is a quantity ("12 characters"), not a PIN.
var units = setOf("characters", "chars", "character", "digits", "digit", "letters", "symbols", "long",
	"days", "day", "weeks", "months", "years", "hours", "minutes", "times", "attempts", "tries", "users",
	"seats", "licenses", "percent", "%")

type classes struct {
	lower, upper, innerUpper, digit, symbol bool
}

func (c classes) count() int {
	n := 0
	for _, b := range [...]bool{c.lower, c.upper, c.digit, c.symbol} {
		if b {
			n++
		}
	}
	return n
}

// classesOf sorts the characters of v. Apostrophes, hyphens and dots between letters are part of
// ordinary words ("Acme's", "co-founder", "acme.com") and do not count as symbols.
func classesOf(v string) classes {
	var c classes
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case b >= 'a' && b <= 'z' || b >= 0x80:
			c.lower = true
		case isUpper(b):
			c.upper = true
			c.innerUpper = c.innerUpper || i > 0
		case isDigit(b):
			c.digit = true
		case b > ' ' && b < 0x7f:
			between := i > 0 && i+1 < len(v) && isLetter(v[i-1]) && isLetter(v[i+1])
			if !(between && (b == '\'' || b == '-' || b == '.')) {
				c.symbol = true
			}
		}
	}
	return c
}

// ordinary reports values that have a digit or symbol and still are not secrets: numbers, money,
// dates, times, versions, ticket ids, UUIDs, emails, URLs, paths and placeholders.
func ordinary(v string) bool {
	l := lowerASCII(v)
	return stopValues[l] || numberLike(l) || placeholder(v) || ticketID(v) || isUUID(v) ||
		strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || isEmail(l) || isPath(v) ||
		strings.HasPrefix(v, markerPrefix)
}

// numberLike: digits with separators and at most a few letters of a unit, month or currency ("240k",
// "2027-01-31", "31-jan-2027", "10:30am", "$240,000", "v2.3.1", "q3").
func numberLike(l string) bool {
	digits, letters := 0, 0
	var word [12]byte
	for i := 0; i < len(l); i++ {
		c := l[i]
		switch {
		case isDigit(c):
			digits++
		case isLetter(c):
			if letters < len(word) {
				word[letters] = c
			}
			letters++
		case strings.IndexByte("+-/.,:()%$#~ ", c) >= 0, c >= 0x80:
		default:
			return false
		}
	}
	if digits == 0 {
		return false
	}
	return letters == 0 || letters <= len(word) && periodWords[string(word[:letters])]
}

var periodWords = setOf("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
	"dec", "january", "february", "march", "april", "june", "july", "august", "september", "october",
	"november", "december", "q", "h", "fy", "cy", "st", "nd", "rd", "th", "am", "pm", "k", "m", "b", "bn",
	"mm", "usd", "eur", "gbp", "x", "v", "hrs", "h", "min", "mins", "s", "ms", "gb", "mb", "tb", "kb")

func placeholder(v string) bool {
	if v == "" {
		return false
	}
	if len(v) >= 2 && (v[0] == '<' && v[len(v)-1] == '>' || v[0] == '{' && v[len(v)-1] == '}' ||
		v[0] == '%' && v[len(v)-1] == '%') || strings.HasPrefix(v, "${") || strings.HasPrefix(v, "$(") {
		return true
	}
	if v != "" && strings.Count(v, v[:1]) == len(v) { // "xxxxxx", "******"
		return true
	}
	l := lowerASCII(v)
	return strings.HasPrefix(l, "your_") || strings.HasPrefix(l, "your-") || strings.Contains(l, "xxxx") ||
		v[0] == '$' && len(v) > 1 && isUpper(v[1]) && strings.ToUpper(v) == v
}

// ticketID matches "SUP-4411", "JIRA-12" and "#4411".
func ticketID(v string) bool {
	if len(v) > 1 && v[0] == '#' {
		return strings.Trim(v[1:], "0123456789") == ""
	}
	dash := strings.LastIndexByte(v, '-')
	if dash < 2 || dash > 10 || dash == len(v)-1 || !isUpper(v[0]) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if i < dash && !isUpper(v[i]) && !isDigit(v[i]) || i > dash && !isDigit(v[i]) {
			return false
		}
	}
	return true
}

func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if v[i] != '-' {
				return false
			}
		} else if !isHex(v[i]) {
			return false
		}
	}
	return true
}

func isEmail(l string) bool {
	at := strings.IndexByte(l, '@')
	return at > 0 && strings.IndexByte(l[at:], '.') > 0 && !strings.ContainsAny(l, ":/ ")
}

func isPath(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, "./") ||
		strings.HasPrefix(v, "../") || len(v) > 2 && v[1] == ':' && v[2] == '\\'
}

// passwordShape is the test for a value announced as a password: it must have a digit, a symbol or an
// inner capital ("bluefish77", "p@ss", "BlueFish"), which ordinary words do not.
func passwordShape(v string) bool {
	core := strings.TrimRight(v, "!")
	if len(core) < 4 || len(v) > 128 || ordinary(core) {
		return false
	}
	if allDigits(core) {
		return true
	}
	c := classesOf(core)
	return c.digit || c.symbol || c.innerUpper && c.lower
}

// strongShape is the test for a value that follows a password word without "is" or ":" in between,
// where the word may just as well be part of the sentence.
func strongShape(v string) bool {
	core := strings.TrimRight(v, "!")
	c := classesOf(core)
	return len(core) >= 6 && passwordShape(v) && !allDigits(core) &&
		(c.digit && (c.lower || c.upper) || c.symbol && c.count() >= 3)
}

// tokenShape is the test for a value announced as a token, key or secret.
func tokenShape(v string) bool {
	if len(v) < 8 || len(v) > 4096 || ordinary(v) && !isUUID(v) {
		return false
	}
	c := classesOf(v)
	return c.digit && (c.lower || c.upper) || c.count() >= 3 && len(v) >= 12
}

// entropyShape is the test for a value that only has a key-like word somewhere before it: long, mixed
// and random-looking, so that ids, words and numbers never qualify.
func entropyShape(v string) bool {
	if len(v) < 20 || len(v) > 4096 || isUUID(v) || ordinary(v) {
		return false
	}
	var c classes
	for i := 0; i < len(v); i++ {
		b := v[i]
		switch {
		case b >= 'a' && b <= 'z':
			c.lower = true
		case isUpper(b):
			c.upper = true
		case isDigit(b):
			c.digit = true
		case strings.IndexByte("-_+/=", b) >= 0:
			c.symbol = true
		case b != '.': // tokens are base64, hex or URL-safe; "user:pass" and prose are not
			return false
		}
	}
	return c.count() >= 3 && entropy(v) >= 3.5
}

// entropy is the Shannon entropy of v in bits per byte.
func entropy(v string) float64 {
	var n [256]int
	for i := 0; i < len(v); i++ {
		n[v[i]]++
	}
	h := 0.0
	for _, k := range n {
		if k > 0 {
			p := float64(k) / float64(len(v))
			h -= p * math.Log2(p)
		}
	}
	return h
}

func allDigits(v string) bool { return v != "" && strings.Trim(v, "0123456789") == "" }

// weakPasswords are words that are passwords when quoted after a password word ("the password is
// literally 'password'"), although unquoted they are only the word.
var weakPasswords = setOf("password", "secret", "admin", "pass", "root", "test", "guest", "changeme", "welcome",
	"letmein", "default", "qwerty")

// commonWords follow "the password is" (or its German, French and Spanish twins) as a description, never
// as the password: a plain word after "is" must not be one of them.
var commonWords = setOf(
	// English
	"weak", "strong", "simple", "complex", "random", "secure", "insecure", "obvious", "unique", "personal",
	"private", "public", "internal", "external", "global", "normal", "identical", "critical", "confidential",
	"sensitive", "important", "everywhere", "nowhere", "whatever", "elsewhere", "somewhere", "anywhere",
	"useless", "terrible", "awful", "rubbish", "complicated", "tricky", "easy", "hard", "difficult",
	"impossible", "forgotten", "hidden", "broken", "stolen", "chosen", "given", "taken", "written", "known",
	"unknown", "different", "similar", "outdated", "ancient", "generic", "temporary", "permanent", "there",
	"here", "gone", "lost", "fine", "great", "good", "bad", "awesome", "annoying", "painful", "silly",
	"insane", "crazy", "ridiculous", "nonsense", "correct", "wrong", "right", "case", "their", "theirs",
	"ours", "mine", "yours", "his", "hers", "blank", "empty", "missing", "pending", "overdue", "due",
	"actually", "apparently", "probably", "definitely", "maybe", "perhaps", "another", "someone",
	"somebody", "anyone", "everyone", "nobody", "company", "companywide", "printed", "emailed", "texted",
	"enough", "fixed", "stale", "invalid", "valid", "active", "inactive", "locked", "unlocked", "sent",
	"needed", "handy", "available", "unavailable", "attached", "inside", "outside", "below", "above",
	"for", "with", "from", "about", "like", "until", "also", "then", "just", "even", "ever", "never",
	"always", "sometimes", "too", "very", "quite", "rather", "pretty", "really", "still", "now",
	"already", "between", "through", "without", "within", "behind", "beside", "besides", "against",
	"during", "before", "after", "across", "around", "toward", "towards", "somehow", "anyway", "instead",
	"either", "neither", "though", "although", "unless", "because", "whether", "almost", "seldom",
	"forever", "tomorrow", "yesterday", "tonight", "today", "beyond", "unclear", "plaintext", "cleartext",
	"longer", "shorter", "stronger", "weaker", "better", "worse", "older", "newer", "easier", "harder",
	"simpler", "safer", "other", "together", "however", "later", "sooner", "twelve", "eleven", "sixteen",
	"fifteen", "fourteen", "thirteen", "eighteen", "twenty", "thirty", "eight", "seven", "three",
	"nothing", "basically", "ask", "see", "check",
	// references to where it is, in German, French and Spanish
	"siehe", "bitte", "fragen", "voir", "demander", "consulter", "ver", "preguntar", "consultar", "pedir",
	"identique", "celui", "celle", "pareil", "inconnu", "vide", "secret", "mismo", "vacía", "desconocida",
	// German
	"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "im", "in", "ist", "nicht", "kein",
	"keine", "abgelaufen", "geändert", "gesperrt", "falsch", "richtig", "bekannt", "unbekannt",
	"gespeichert", "hinterlegt", "vergessen", "geheim", "dort", "hier", "identisch", "gleich", "neu",
	"alt", "sicher", "unsicher", "schwach", "stark", "lang", "kurz", "leer", "beim", "bei", "unter", "auf",
	"noch", "schon", "immer", "jetzt", "nur", "dasselbe", "derselbe", "dieselbe", "zurückgesetzt",
	// French
	"le", "la", "les", "un", "une", "des", "du", "dans", "sur", "chez", "pas", "expiré", "expirée", "même",
	"différent", "incorrect", "faible", "fort", "nouveau", "nouvelle", "ici", "là", "oublié", "perdu",
	"changé", "toujours", "encore", "aussi", "dedans", "partagé", "stocké", "enregistré", "sécurisé",
	// Spanish
	"el", "los", "las", "una", "en", "del", "al", "no", "segura", "seguro", "débil", "fuerte", "nueva",
	"nuevo", "igual", "misma", "mismo", "incorrecta", "correcta", "obligatoria", "temporal", "caducada",
	"secreta", "aquí", "allí", "está", "están", "todavía", "también", "compartida", "guardada",
)

// wordEndings mark words of the language ("expired", "rotating", "usually", "guessable"), which a
// plain value after "is" must not have.
var wordEndings = []string{"ed", "ing", "ly", "ble", "ful", "less", "ous", "ive", "ent", "ant", "ary",
	"ory", "ic", "ical", "ion", "ions", "ness", "ment", "ise", "ize", "ish", "ity", "é", "ée", "és", "ées", "ique",
	"ado", "ada", "ido", "ida", "iert", "lich", "ig", "bar", "los"}

// plainPassword is the test for a password made of letters only ("letmein", "correcthorsebatterystaple").
// After a label ("password: letmein") any such word counts that is not a word about it; after "is" the
// word must also be long and not shaped like a word of the language.
//
// "clave" is also the key to success in Spanish, so after it only a label announces a plain word.
func plainPassword(v string, label bool) bool {
	l := lowerASCII(v)
	if stopValues[l] || commonWords[l] || !lettersOnly(v) {
		return false
	}
	n := utf8.RuneCountInString(v)
	if label {
		return n >= 3
	}
	if n < 6 {
		return false
	}
	for _, end := range wordEndings {
		if strings.HasSuffix(l, end) {
			return false
		}
	}
	return true
}

// lettersOnly reports whether v has only letters (lower case, or capitalised once).
func lettersOnly(v string) bool {
	for i, r := range v {
		if !unicode.IsLetter(r) || i > 0 && unicode.IsUpper(r) {
			return false
		}
	}
	return v != ""
}

// codeShape: a PIN or door code, digits in one group or a few ("4821", "31-22-08").
func codeShape(v string) bool {
	digits := 0
	for i := 0; i < len(v); i++ {
		switch {
		case isDigit(v[i]):
			digits++
		case (v[i] == '-' || v[i] == ' ') && i > 0 && i < len(v)-1 && isDigit(v[i-1]) && isDigit(v[i+1]):
		default:
			return false
		}
	}
	return digits >= 4 && digits <= 12
}

// trimPIN drops the "#" or "*" that confirms a code on a keypad.
func trimPIN(t string, s, e int) int {
	if e-s > 4 && (t[e-1] == '#' || t[e-1] == '*') && allDigits(t[s:e-1]) {
		return e - 1
	}
	return e
}

// base32Shape: the seed of one-time passwords, base32 in one case ("JBSWY3DPEHPK3PXP").
func base32Shape(v string) bool {
	if len(v) < 10 || len(v) > 128 {
		return false
	}
	upper, lower, digit := false, false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '2' && c <= '7':
			digit = true
		case c == '=' && i >= len(v)-6:
		default:
			return false
		}
	}
	return upper != lower && (digit || len(v) >= 16)
}
