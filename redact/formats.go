package redact

import "strings"

// pem finds private key blocks. The whole block goes, header to footer; a paste cut short loses its
// header and whatever base64 follows it.
func (sc *scan) pem(cs []cand) []cand {
	t := sc.text
	const begin, end = "-----BEGIN ", "-----END "
	noEnd := false
	for off := 0; off < len(t); {
		i := strings.Index(t[off:], begin)
		if i < 0 {
			break
		}
		i += off
		off = i + len(begin)
		label := strings.Index(t[off:min(len(t), off+64)], "-----")
		if label < 0 || !strings.Contains(t[off:off+label], "PRIVATE KEY") {
			continue
		}
		e := off + label + 5
		j := -1
		if !noEnd { // once no footer follows, none follows a later header either
			j = strings.Index(t[e:], end)
			noEnd = j < 0
		}
		if j >= 0 {
			f := e + j + len(end)
			if k := strings.Index(t[f:min(len(t), f+64)], "-----"); k >= 0 {
				e = f + k + 5
			}
		} else {
			e = base64Tail(t, e)
		}
		cs = append(cs, cand{Match{PrivateKey, i, e, sc.systemAt(i)}, prioPEM})
		off = e
	}
	return cs
}

// base64Tail extends e over the base64 lines of a key body. Prose words are base64 too, so a piece
// counts only when long, padded or cut off with an ellipsis.
func base64Tail(t string, e int) int {
	for {
		i := e
		for i < len(t) && strings.IndexByte(" \t\r\n", t[i]) >= 0 {
			i++
		}
		j := i
		for j < len(t) && (isAlnum(t[j]) || t[j] == '+' || t[j] == '/' || t[j] == '=') {
			j++
		}
		cut := false
		for _, dots := range []string{"…", "..."} {
			if strings.HasPrefix(t[j:], dots) {
				j, cut = j+len(dots), true
			}
		}
		if j == i || j < len(t) && strings.IndexByte(" \t\r\n", t[j]) < 0 ||
			j-i < 16 && !cut && t[j-1] != '=' {
			return e
		}
		e = j
	}
}

// provider is a credential recognisable by its format alone.
type provider struct {
	prefix   string
	kind     Kind
	system   string
	tail     func(byte) bool
	min, max int // bounds on the length after the prefix; max 0: none
	// custom replaces tail: it returns the length matched (0: none), how far it read, and the system.
	custom func(string) (int, int, string)
}

func alnumU(c byte) bool   { return isAlnum(c) || c == '_' }
func alnumD(c byte) bool   { return isAlnum(c) || c == '-' }
func alnumUD(c byte) bool  { return isAlnum(c) || c == '_' || c == '-' }
func upperNum(c byte) bool { return isUpper(c) || isDigit(c) }
func base64c(c byte) bool  { return isAlnum(c) || c == '+' || c == '/' || c == '=' }
func hexDash(c byte) bool  { return isHex(c) || c == '-' }

var providers = [...]provider{
	{"sk_live_", APIKey, "Stripe", isAlnum, 10, 0, nil},
	{"sk_test_", APIKey, "Stripe", isAlnum, 10, 0, nil},
	{"rk_live_", APIKey, "Stripe", isAlnum, 10, 0, nil},
	{"rk_test_", APIKey, "Stripe", isAlnum, 10, 0, nil},
	{"sk-", APIKey, "", nil, 0, 0, skDash},
	{"AKIA", APIKey, "AWS", upperNum, 16, 16, nil},
	{"ASIA", APIKey, "AWS", upperNum, 16, 16, nil},
	{"AIza", APIKey, "Google", alnumUD, 35, 35, nil},
	{"xoxa-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xoxb-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xoxp-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xoxr-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xoxs-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xapp-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"ghp_", APIKey, "GitHub", isAlnum, 20, 0, nil},
	{"gho_", APIKey, "GitHub", isAlnum, 20, 0, nil},
	{"ghu_", APIKey, "GitHub", isAlnum, 20, 0, nil},
	{"ghs_", APIKey, "GitHub", isAlnum, 20, 0, nil},
	{"ghr_", APIKey, "GitHub", isAlnum, 20, 0, nil},
	{"github_pat_", APIKey, "GitHub", alnumU, 20, 0, nil},
	{"glpat-", APIKey, "GitLab", alnumUD, 20, 0, nil},
	{"SG.", APIKey, "SendGrid", nil, 0, 0, sendGrid},
	{"SK", APIKey, "Twilio", isHex, 32, 32, nil},
	{"npm_", APIKey, "npm", isAlnum, 30, 0, nil},
	{"whsec_", Secret, "", base64c, 16, 0, nil},
	{"eyJ", Token, "", nil, 0, 0, jwt},
	{"GOCSPX-", Secret, "Google", alnumUD, 20, 0, nil},
	{"shpat_", APIKey, "Shopify", isHex, 32, 32, nil},
	{"shpss_", APIKey, "Shopify", isHex, 32, 32, nil},
	{"hf_", APIKey, "Hugging Face", isLetter, 30, 0, nil},
	{"dop_v1_", APIKey, "DigitalOcean", isHex, 64, 64, nil},
	{"PMAK-", APIKey, "Postman", alnumD, 30, 0, nil},
	{"ATATT", APIKey, "Atlassian", func(c byte) bool { return alnumUD(c) || c == '=' }, 30, 0, nil},
	{"pat-na1-", APIKey, "HubSpot", hexDash, 36, 36, nil},
	{"pat-eu1-", APIKey, "HubSpot", hexDash, 36, 36, nil},
	{"key-", APIKey, "Mailgun", isAlnum, 32, 32, nil},
	{"pypi-AgEIcHlwaS5vcmc", APIKey, "PyPI", alnumUD, 50, 0, nil},
	{"sq0atp-", APIKey, "Square", alnumUD, 22, 0, nil},
	{"sq0csp-", Secret, "Square", alnumUD, 40, 0, nil},
	{"lin_api_", APIKey, "Linear", isAlnum, 40, 40, nil},
	{"NRAK-", APIKey, "New Relic", upperNum, 27, 27, nil},
	{"glsa_", Token, "Grafana", alnumU, 32, 0, nil},
	{"glc_", Token, "Grafana", func(c byte) bool { return alnumU(c) || c == '=' || c == '+' || c == '/' }, 32, 0, nil},
	{"glptt-", Token, "GitLab", isHex, 40, 40, nil},
	{"gldt-", Token, "GitLab", alnumUD, 20, 0, nil},
	{"glrt-", Token, "GitLab", alnumUD, 20, 0, nil},
	{"hvs.", Token, "Vault", alnumUD, 24, 0, nil},
	{"hvb.", Token, "Vault", alnumUD, 24, 0, nil},
	{"dapi", Token, "Databricks", isHex, 32, 32, nil},
	{"xoxe-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"xoxe.xoxp-", APIKey, "Slack", alnumD, 10, 0, nil},
	{"shpca_", APIKey, "Shopify", isHex, 32, 32, nil},
	{"shppa_", APIKey, "Shopify", isHex, 32, 32, nil},
	{"doo_v1_", APIKey, "DigitalOcean", isHex, 64, 64, nil},
	{"dor_v1_", Token, "DigitalOcean", isHex, 64, 64, nil},
	{"dp.pt.", Token, "Doppler", isAlnum, 40, 0, nil},
	{"sntrys_", Token, "Sentry", func(c byte) bool { return base64c(c) || c == '_' }, 50, 0, nil},
	{"AGE-SECRET-KEY-1", PrivateKey, "age", upperNum, 58, 58, nil},
}

// byFirst lists, for each byte, the providers whose prefix starts with it.
var byFirst = func() (t [256][]int) {
	for i, p := range providers {
		t[p.prefix[0]] = append(t[p.prefix[0]], i)
	}
	return t
}()

// match returns the length of the key at the start of s (0: none) and how far it read. A start inside
// what a failed attempt read fails too (its tail is a suffix of the one that failed), so the caller
// skips it: that keeps "sk-sk-sk-…" linear.
func (p *provider) match(s string) (int, int, string) {
	if p.custom != nil {
		return p.custom(s)
	}
	limit := len(s)
	if p.max > 0 { // fixed-length keys need not read past their length
		limit = min(limit, len(p.prefix)+p.max+1)
	}
	j := run(s[:limit], len(p.prefix), p.tail)
	n := j - len(p.prefix)
	if n < p.min || p.max > 0 && (n > p.max || j < len(s) && isAlnum(s[j])) {
		return 0, j, ""
	}
	return j, j, p.system
}

// skDash covers OpenAI, Anthropic and the many "sk-live-…" style keys. A known second part makes even
// a key cut short with "…" count; otherwise the key must be long and mixed, unlike "sk-learn".
func skDash(s string) (int, int, string) {
	j := run(s, 3, alnumUD)
	tail := s[3:j]
	for _, pre := range []string{"live-", "test-", "proj-", "ant-", "svcacct-", "admin-"} {
		if strings.HasPrefix(tail, pre) {
			if rest := tail[len(pre):]; len(rest) < 4 || strings.IndexAny(rest, "0123456789") < 0 {
				return 0, j, ""
			}
			return j, j, map[string]string{"proj-": "OpenAI", "ant-": "Anthropic", "svcacct-": "OpenAI"}[pre]
		}
	}
	c := classesOf(tail)
	if len(tail) >= 20 && c.digit && (c.lower || c.upper) {
		return j, j, ""
	}
	return 0, j, ""
}

func run(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

// jwt matches header.payload[.signature], each part base64url; the header always starts "eyJ".
func jwt(s string) (int, int, string) {
	a := run(s, 0, alnumUD)
	if a < 10 || a >= len(s) || s[a] != '.' {
		return 0, a, ""
	}
	b := run(s, a+1, alnumUD)
	if b-a-1 < 10 {
		return 0, a, ""
	}
	if b < len(s) && s[b] == '.' {
		if c := run(s, b+1, alnumUD); c > b+1 {
			return c, c, ""
		}
	}
	return b, b, ""
}

// sendGrid reports reading nothing: another "SG." may start right where its first part ends.
func sendGrid(s string) (int, int, string) {
	a := run(s, 3, alnumUD)
	if a-3 < 16 || a >= len(s) || s[a] != '.' {
		return 0, 0, ""
	}
	if b := run(s, a+1, alnumUD); b-a-1 >= 16 {
		return b, b, "SendGrid"
	}
	return 0, 0, ""
}

// providers finds the formats above where they start a run of letters and digits.
func (sc *scan) providers(k int, cs []cand) []cand {
	t, w := sc.text, sc.words[k]
	var failed [len(providers)]int // per provider: the end of what its last failed attempt read
	for i := w.s; i < w.e; i++ {
		if !isAlnum(t[i]) || i > w.s && isAlnum(t[i-1]) {
			continue
		}
		for _, pi := range byFirst[t[i]] {
			p := &providers[pi]
			if i < failed[pi] || !strings.HasPrefix(t[i:w.e], p.prefix) {
				continue
			}
			n, read, sys := p.match(t[i:w.e])
			if n == 0 {
				failed[pi] = i + read
				continue
			}
			// A key the writer cut short ends in an ellipsis that belongs to it.
			for _, dots := range []string{"…", "..."} {
				if strings.HasPrefix(t[i+n:], dots) {
					n += len(dots)
					break
				}
			}
			if s := sc.systemAt(i); s != "" {
				sys = s
			}
			cs = append(cs, cand{Match{p.kind, i, i + n, sys}, prioProvider})
			if p.prefix == "AKIA" || p.prefix == "ASIA" {
				cs = sc.awsSecret(i+n, cs)
			}
			i += n - 1
			break
		}
	}
	return cs
}
