// Package redact finds credentials in free text written by people (passwords, API keys, tokens, private
// keys, connection strings and other secrets) and masks them before the text is chunked, embedded,
// indexed, sent to a model or printed in a report.
//
// CSMs announce a credential ("the admin password for Acme's Salesforce is …", "Passwort: …", "le mot
// de passe est …", "I use … as the password"), write it beside a user ("admin / …"), or paste one whose
// format gives it away ("sk_live_…", "AKIA…" and its secret, "-----BEGIN RSA PRIVATE KEY-----"). Any value
// after an explicit label ("pw: letmein") is a secret. Sentences that only talk about
// credentials ("we reset their password", "the password is in 1Password under Acme") are kept: saying
// where a secret lives is exactly what we want CSMs to write.
package redact

import (
	"sort"
	"strings"
)

// Kind names what sort of credential was found.
type Kind string

// The kinds of credential Find reports; each is also the word in its Marker.
const (
	Password         Kind = "password"          // announced in words ("password is X", "login admin / X"), also PINs
	APIKey           Kind = "api_key"           // provider keys known by format (sk_live_…, AKIA…, ghp_…) or announced
	Token            Kind = "token"             // bearer tokens, JWTs, "token: X", session ids
	PrivateKey       Kind = "private_key"       // whole PEM blocks, OpenSSH included
	ConnectionString Kind = "connection_string" // URLs with user:password@ or a password parameter, ODBC Password=
	Secret           Kind = "secret"            // client and signing secrets, webhook URLs, random values after "key"
)

// Match is one credential found in the text. Start and End are byte offsets of the secret value in the
// original text (for a connection string the whole URL, for a password phrase the password itself).
// System names what the credential is for when the text says so (e.g. "Salesforce sandbox", "AWS",
// "wifi"), else "".
type Match struct {
	Kind   Kind
	Start  int
	End    int
	System string
}

// Marker is what replaces a secret: "[REDACTED " + kind + "]", e.g. "[REDACTED password]".
func Marker(k Kind) string { return markerPrefix + string(k) + "]" }

// Detectors differ in how sure they are; when their findings overlap, the most specific one names the
// kind. A lower number wins.
const (
	prioPEM = iota
	prioURL
	prioProvider
	prioPhrase
	prioGeneric
)

// cand is a Match with the confidence of the detector that produced it.
type cand struct {
	Match
	prio int
}

// maxPasses bounds the search for a fixed point. One pass almost always suffices; a second one checks
// that the redacted text holds nothing more, so that redacting twice changes nothing.
const maxPasses = 6

// Find returns the credentials in text, in order, not overlapping.
func Find(text string) []Match {
	cs := settle(text, findOnce(text))
	for pass := 1; pass < maxPasses && len(cs) > 0; pass++ {
		// Masking can bring words together that were apart (a quoted phrase becomes one marker), so the
		// redacted text is searched again and whatever turns up there is mapped back and added.
		out, segs := apply(text, cs, true)
		more := append(findOnce(out), leaks(text, out, cs)...)
		if len(more) == 0 {
			break
		}
		cs = settle(text, unite(append(cs, mapBack(more, segs)...)))
	}
	if len(cs) == 0 {
		return nil
	}
	ms := make([]Match, len(cs))
	for i, c := range cs {
		ms[i] = c.Match
	}
	return ms
}

// Text returns text with every credential replaced by its Marker, and the matches (offsets refer to
// the original text). Text of a string without credentials returns it unchanged (same string).
func Text(text string) (string, []Match) {
	ms := Find(text)
	if len(ms) == 0 {
		return text, nil
	}
	cs := make([]cand, len(ms))
	for i, m := range ms {
		cs[i] = cand{Match: m}
	}
	out, _ := apply(text, cs, false)
	return out, ms
}

// findOnce runs every detector over text once.
func findOnce(text string) []cand {
	sc := newScan(text)
	cs := sc.pem(nil)
	for k, w := range sc.words {
		if w.marker {
			continue
		}
		cs = sc.urls(k, cs)
		cs = sc.providers(k, cs)
		cs = sc.keywords(k, cs)
		cs = sc.cli(k, cs)
		cs = sc.userPair(k, cs)
		cs = sc.generic(k, cs)
	}
	return unite(cs)
}

// unite sorts candidates and merges overlapping ones into their union: masking only part of a secret
// that two detectors saw differently would leak the rest.
func unite(cs []cand) []cand {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].Start != cs[j].Start {
			return cs[i].Start < cs[j].Start
		}
		return cs[i].End > cs[j].End
	})
	out := make([]cand, 0, len(cs))
	for _, c := range cs {
		if c.End <= c.Start {
			continue
		}
		n := len(out)
		if n == 0 || c.Start >= out[n-1].End {
			out = append(out, c)
			continue
		}
		last := &out[n-1]
		last.End = max(last.End, c.End)
		if c.prio < last.prio {
			last.Kind, last.prio = c.Kind, c.prio
			if c.System != "" {
				last.System = c.System
			}
		} else if last.System == "" {
			last.System = c.System
		}
	}
	return out
}

// settle masks every other occurrence of a secret already found: a password typed twice in one answer
// is found once by its phrase and must not survive the second time. Short values must stand alone, so
// that "admin1" does not eat the middle of an unrelated word.
func settle(text string, cs []cand) []cand {
	seen := map[string]bool{}
	for range maxPasses {
		var extra []cand
		for _, c := range cs {
			v := text[c.Start:c.End]
			if len(v) < 8 || seen[v] {
				continue
			}
			seen[v] = true
			for off := 0; ; {
				i := strings.Index(text[off:], v)
				if i < 0 {
					break
				}
				i += off
				off = i + len(v)
				if i != c.Start && (len(v) >= 12 || standsAlone(text, i, off)) {
					extra = append(extra, cand{Match{c.Kind, i, off, c.System}, c.prio})
				}
			}
		}
		if len(extra) == 0 {
			break
		}
		cs = unite(append(cs, extra...))
	}
	return cs
}

// leaks finds secrets that reappear in the redacted text because a marker's own brackets complete them
// (a value ending in "[" just before a marker); merging such an occurrence with the marker it touches
// removes it.
func leaks(text, out string, cs []cand) []cand {
	var found []cand
	for _, c := range cs {
		v := text[c.Start:c.End]
		if len(v) < 12 {
			continue
		}
		for off := 0; ; {
			i := strings.Index(out[off:], v)
			if i < 0 {
				break
			}
			found = append(found, cand{Match{c.Kind, off + i, off + i + len(v), c.System}, c.prio})
			off += i + len(v)
		}
	}
	return found
}

func standsAlone(text string, s, e int) bool {
	return (s == 0 || !isAlnum(text[s-1])) && (e == len(text) || !isAlnum(text[e]))
}

// seg maps a stretch of redacted text back to the original.
type seg struct {
	outS, origS, origE int
	marker             bool
}

// apply masks the candidates (sorted, disjoint) in text; with track it also records where each piece of
// the output came from.
func apply(text string, cs []cand, track bool) (string, []seg) {
	var b strings.Builder
	b.Grow(len(text) + 20*len(cs))
	var segs []seg
	prev := 0
	for _, c := range cs {
		if c.Start > prev {
			if track {
				segs = append(segs, seg{b.Len(), prev, c.Start, false})
			}
			b.WriteString(text[prev:c.Start])
		}
		if track {
			segs = append(segs, seg{b.Len(), c.Start, c.End, true})
		}
		b.WriteString(Marker(c.Kind))
		prev = c.End
	}
	if prev < len(text) {
		if track {
			segs = append(segs, seg{b.Len(), prev, len(text), false})
		}
		b.WriteString(text[prev:])
	}
	return b.String(), segs
}

// mapBack turns candidates found in redacted text into offsets of the original; one that touches a
// marker grows to cover the whole secret behind it.
func mapBack(cs []cand, segs []seg) []cand {
	at := func(p int) seg {
		i := sort.Search(len(segs), func(i int) bool { return segs[i].outS > p })
		return segs[max(i-1, 0)]
	}
	out := make([]cand, 0, len(cs))
	for _, c := range cs {
		s, e := at(c.Start), at(c.End-1)
		m := c
		m.Start, m.End = s.origS, e.origE
		if !s.marker {
			m.Start = s.origS + c.Start - s.outS
		}
		if !e.marker {
			m.End = e.origS + c.End - e.outS
		}
		out = append(out, m)
	}
	return out
}
