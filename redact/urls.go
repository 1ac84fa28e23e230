package redact

import "strings"

// urls finds URLs that carry a password, in the user info (postgres://svc:pw@host) or as a query or
// JDBC parameter, and webhook URLs whose path is the secret. The whole URL goes: user, host and
// password together are the credential, and the report names the host.
func (sc *scan) urls(k int, cs []cand) []cand {
	t, w := sc.text, sc.words[k]
	for off := w.s; off < w.e; {
		c := strings.Index(t[off:w.e], "://")
		if c < 0 {
			break
		}
		c += off
		off = c + 3
		b := c
		for b > w.s && (isAlnum(t[b-1]) || strings.IndexByte("+.-", t[b-1]) >= 0) {
			b--
		}
		for b < c && !isLetter(t[b]) {
			b++
		}
		if b == c {
			continue
		}
		scheme := lowerASCII(t[b:c])
		if b >= w.s+5 && strings.EqualFold(t[b-5:b], "jdbc:") {
			b -= 5
		}
		// A URL ends before the next "://" (a redirect inside it is read on its own), which also keeps
		// a word of many schemes linear.
		end := w.e
		if n := strings.Index(t[c+3:w.e], "://"); n >= 0 {
			end = c + 3 + n
		}
		e := c + 3
		for e < end && strings.IndexByte("\"<>`", t[e]) < 0 {
			e++
		}
		e = trimClose(t, c+3, e, false)
		ae := c + 3
		// A password may hold "#" or "?": the user info ends at its "@", the host after it.
		if at := strings.IndexByte(t[c+3:e], '@'); at >= 0 {
			ui := t[c+3 : c+3+at]
			if colon := strings.IndexByte(ui, ':'); colon >= 0 && !strings.ContainsAny(ui, "/") &&
				!strings.ContainsAny(ui[:colon], "?#;") {
				ae = c + 3 + at + 1
			}
		}
		for ae < e && strings.IndexByte("/?#;", t[ae]) < 0 {
			ae++
		}
		host, rest := t[c+3:ae], t[ae:e]
		kind, sys := Kind(""), ""
		if at := strings.LastIndexByte(host, '@'); at >= 0 {
			user := host[:at]
			host = host[at+1:]
			if colon := strings.IndexByte(user, ':'); colon >= 0 && realPassword(user[colon+1:]) {
				kind = ConnectionString
			}
		}
		host = stripPort(host)
		switch lh := lowerASCII(host); {
		case kind != "" || passwordParam(rest):
			kind, sys = ConnectionString, scheme+" at "+host
		case lh == "hooks.slack.com" && strings.HasPrefix(rest, "/services/") && len(rest) > 24:
			kind, sys = Secret, "Slack"
		case (lh == "discord.com" || lh == "discordapp.com") && strings.HasPrefix(rest, "/api/webhooks/"):
			kind, sys = Secret, "Discord"
		default:
			continue
		}
		cs = append(cs, cand{Match{kind, b, e, sys}, prioURL})
		off = max(off, e)
	}
	return cs
}

// realPassword rejects the placeholders of documentation ("user:password@", "user:***@").
func realPassword(p string) bool {
	return p != "" && !placeholder(p) && !stopValues[lowerASCII(p)] && !strings.HasPrefix(p, markerPrefix)
}

// passwordParam reports a password among the parameters of a URL (?password=, ;password= in JDBC).
func passwordParam(rest string) bool {
	l := lowerASCII(rest)
	for _, key := range []string{"password=", "pwd=", "passwd=", "pass="} {
		for off := 0; ; {
			i := strings.Index(l[off:], key)
			if i < 0 {
				break
			}
			i += off
			off = i + len(key)
			if i == 0 || strings.IndexByte("?&;", l[i-1]) < 0 {
				continue
			}
			v := rest[off:]
			if j := strings.IndexAny(v, "&;#"); j >= 0 {
				v = v[:j]
			}
			if realPassword(v) {
				return true
			}
		}
	}
	return false
}

// urlHost returns the host of a URL in word k: a key in its query string is for that host.
func (sc *scan) urlHost(k int) string {
	r := sc.raw(k)
	i := strings.Index(r, "://")
	if i < 0 {
		return ""
	}
	h := r[i+3:]
	if j := strings.IndexAny(h, "/?#;"); j >= 0 {
		h = h[:j]
	}
	return stripPort(h[strings.LastIndexByte(h, '@')+1:])
}

func stripPort(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && allDigits(host[i+1:]) {
		return host[:i]
	}
	return host
}

// odbc recognises the key=value;… connection strings of ODBC, ADO.NET and Azure around position p and
// returns their host, so that "Password=…" there is reported as a connection string for that host.
func (sc *scan) odbc(p int) (string, bool) {
	t := sc.text
	s, e := max(0, p-300), min(len(t), p+300)
	if i := strings.LastIndexByte(t[s:p], '\n'); i >= 0 {
		s += i + 1
	}
	if i := strings.IndexByte(t[p:e], '\n'); i >= 0 {
		e = p + i
	}
	line := lowerASCII(t[s:e])
	if strings.Count(line, ";") < 1 || strings.Count(line, "=") < 2 {
		return "", false
	}
	for _, key := range []string{"server=", "data source=", "host=", "hostname=", "address=", "accountname=",
		"endpoint="} {
		i := strings.Index(line, key)
		if i < 0 || i > 0 && isAlnum(line[i-1]) {
			continue
		}
		v := t[s+i+len(key):]
		if j := strings.IndexAny(v, "; \"'"); j >= 0 {
			v = v[:j]
		}
		v = strings.TrimPrefix(strings.TrimPrefix(v, "tcp:"), "tcp://")
		if j := strings.IndexByte(v, ','); j >= 0 {
			v = v[:j]
		}
		return stripPort(v), true
	}
	return "", strings.Contains(line, "uid=") || strings.Contains(line, "user id=") ||
		strings.Contains(line, "database=") || strings.Contains(line, "initial catalog=") ||
		strings.Contains(line, "driver=")
}

// cli finds passwords on pasted command lines, where flags rather than words announce them:
// "mysql -u root -pS3cret", "sshpass -p S3cret", "curl -u admin:S3cret".
func (sc *scan) cli(k int, cs []cand) []cand {
	r := sc.raw(k)
	if len(r) < 2 || r[0] != '-' {
		return cs
	}
	at := -1
	tool := func(names ...string) bool {
		for j := k - 1; j >= 0 && j >= k-8; j-- {
			for _, n := range names {
				if sc.lower(j) == n {
					at = j
					return true
				}
			}
		}
		return false
	}
	t := sc.text
	s, e, pair := -1, -1, false
	switch {
	case len(r) > 2 && r[1] == 'p' && r[2] != '-' && tool("mysql", "mysqldump", "mariadb", "mysqladmin"):
		s = sc.words[k].s + 2
		e = trimClose(t, s, sc.words[k].e, false)
	case r == "-p" && tool("sshpass"), (r == "-u" || r == "--user") && tool("curl"):
		if k+1 >= len(sc.words) || sc.words[k+1].marker {
			return cs
		}
		s, e = sc.core(k + 1)
		e = trimClose(t, s, sc.words[k+1].e, false)
		pair = r != "-p"
	default:
		return cs
	}
	if pair {
		i := strings.IndexByte(t[s:e], ':')
		if i < 0 {
			return cs
		}
		s += i + 1
	}
	if e-s < 4 || !realPassword(t[s:e]) || ordinary(t[s:e]) {
		return cs
	}
	return append(cs, cand{Match{Password, s, e, sc.systemBefore(at)}, prioPhrase})
}
