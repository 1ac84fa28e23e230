package redact

import (
	"embed"
	"fmt"
	"strings"
)

// The table of answers redaction is measured on: credential answers, each with the secrets that must be
// gone after redaction, and near-misses, answers about credentials, ids and numbers that hold no secret
// and must come out unchanged. The held-out part was written before the detectors were tuned on the
// rest and is never tuned on; its figures say how redaction does on answers nobody tuned it for.
//
//go:embed testdata/credentials.tsv testdata/near_misses.tsv
//go:embed testdata/heldout_credentials.tsv testdata/heldout_near_misses.tsv
var tableFiles embed.FS

// Sample is one answer of the table. Secrets is empty for a near-miss.
type Sample struct {
	Line    int
	Text    string
	Secrets []string
}

// Table is one part of the table: answers holding credentials, and near-misses.
type Table struct {
	Credentials []Sample
	NearMisses  []Sample
}

// Tables returns the part redaction is tuned on and the held-out part.
func Tables() (tuned, heldOut Table, err error) {
	if tuned, err = readTable("testdata/credentials.tsv", "testdata/near_misses.tsv"); err != nil {
		return
	}
	heldOut, err = readTable("testdata/heldout_credentials.tsv", "testdata/heldout_near_misses.tsv")
	return
}

func readTable(creds, near string) (Table, error) {
	var t Table
	var err error
	if t.Credentials, err = readSamples(creds, true); err != nil {
		return t, err
	}
	t.NearMisses, err = readSamples(near, false)
	return t, err
}

// readSamples reads one answer a line; "#" starts a comment line. A credential line is the text, a tab,
// then each secret, tab-separated. In texts and secrets "\n" stands for a new line and "\\" for a
// backslash.
func readSamples(name string, secrets bool) ([]Sample, error) {
	b, err := tableFiles.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []Sample
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		s := Sample{Line: i + 1, Text: unescape(fields[0])}
		for _, f := range fields[1:] {
			s.Secrets = append(s.Secrets, unescape(f))
		}
		switch {
		case secrets && len(s.Secrets) == 0:
			return nil, fmt.Errorf("%s:%d: a credential answer names no secret", name, s.Line)
		case !secrets && len(s.Secrets) > 0:
			return nil, fmt.Errorf("%s:%d: a near-miss names a secret", name, s.Line)
		}
		for _, sec := range s.Secrets {
			if sec == "" || !strings.Contains(s.Text, sec) {
				return nil, fmt.Errorf("%s:%d: secret %q is not in the text", name, s.Line, sec)
			}
		}
		out = append(out, s)
	}
	return out, nil
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			case '\\':
				b.WriteByte('\\')
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// Score is how redaction does on a table. An answer counts as flagged when redaction changes it. A
// credential answer is caught when every one of its secrets is gone from the redacted text.
//
// Recall is caught credential answers over all of them; precision is flagged credential answers over
// all flagged answers, so every near-miss redaction changes costs precision.
type Score struct {
	Credentials, NearMisses int
	Caught                  int      // credential answers with every secret gone
	Flagged                 int      // credential answers changed at all
	FalsePositives          int      // near-misses changed
	Missed, Changed         []Sample // the credential answers not caught, the near-misses changed
}

// Recall is the share of credential answers whose secrets are all gone.
func (s Score) Recall() float64 { return ratio(s.Caught, s.Credentials) }

// Precision is the share of changed answers that held a credential.
func (s Score) Precision() float64 { return ratio(s.Flagged, s.Flagged+s.FalsePositives) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Measure redacts every answer of t and scores the result.
func Measure(t Table) Score {
	s := Score{Credentials: len(t.Credentials), NearMisses: len(t.NearMisses)}
	for _, c := range t.Credentials {
		out, _ := Text(c.Text)
		if out != c.Text {
			s.Flagged++
		}
		caught := true
		for _, sec := range c.Secrets {
			caught = caught && !strings.Contains(out, sec)
		}
		if caught {
			s.Caught++
		} else {
			s.Missed = append(s.Missed, c)
		}
	}
	for _, n := range t.NearMisses {
		if out, _ := Text(n.Text); out != n.Text {
			s.FalsePositives++
			s.Changed = append(s.Changed, n)
		}
	}
	return s
}

// Add sums two scores, e.g. the tuned and the held-out part.
func (s Score) Add(o Score) Score {
	return Score{Credentials: s.Credentials + o.Credentials, NearMisses: s.NearMisses + o.NearMisses,
		Caught: s.Caught + o.Caught, Flagged: s.Flagged + o.Flagged, FalsePositives: s.FalsePositives + o.FalsePositives,
		Missed: append(append([]Sample(nil), s.Missed...), o.Missed...), Changed: append(append([]Sample(nil), s.Changed...), o.Changed...)}
}
