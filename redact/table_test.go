package redact

import (
	"strings"
	"testing"
)

// TestTable holds redaction to the table of credential answers and near-misses: every secret of the
// tuned part gone, and at most one answer in fifty changed without holding a credential over both parts.
// The held-out part, never tuned on, is held to a lower bar on recall and its figures are logged.
func TestTable(t *testing.T) {
	t.Parallel()
	tuned, held, err := Tables()
	if err != nil {
		t.Fatal(err)
	}
	if len(tuned.Credentials) < 150 || len(tuned.NearMisses) < 150 || len(held.Credentials) < 40 || len(held.NearMisses) < 40 {
		t.Fatalf("table too small: tuned %d/%d, held out %d/%d", len(tuned.Credentials), len(tuned.NearMisses),
			len(held.Credentials), len(held.NearMisses))
	}
	st, sh := Measure(tuned), Measure(held)
	for _, m := range st.Missed {
		out, _ := Text(m.Text)
		t.Errorf("credentials.tsv:%d: a secret of %q survives: %q", m.Line, m.Text, out)
	}
	for _, c := range st.Changed {
		out, _ := Text(c.Text)
		t.Errorf("near_misses.tsv:%d: %q changed to %q", c.Line, c.Text, out)
	}
	t.Logf("tuned: recall %.3f precision %.3f (%d credentials, %d near-misses)", st.Recall(), st.Precision(),
		st.Credentials, st.NearMisses)
	t.Logf("held out: recall %.3f precision %.3f (%d credentials, %d near-misses)", sh.Recall(), sh.Precision(),
		sh.Credentials, sh.NearMisses)
	for _, m := range sh.Missed {
		out, _ := Text(m.Text)
		t.Logf("held out, missed (heldout_credentials.tsv:%d): %q", m.Line, out)
	}
	for _, c := range sh.Changed {
		out, _ := Text(c.Text)
		t.Logf("held out, changed (heldout_near_misses.tsv:%d): %q", c.Line, out)
	}
	if st.Recall() < 1 {
		t.Errorf("tuned recall %.3f, want 1", st.Recall())
	}
	if p := st.Add(sh).Precision(); p < 0.98 {
		t.Errorf("precision over both parts %.3f, want at least 0.98", p)
	}
	if sh.Recall() < 0.95 {
		t.Errorf("held-out recall %.3f, want at least 0.95", sh.Recall())
	}
}

// TestTableSamplesAreStable checks that redacting a table answer twice changes nothing more.
func TestTableSamplesAreStable(t *testing.T) {
	t.Parallel()
	tuned, held, err := Tables()
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, tb := range []Table{tuned, held} {
		for _, s := range append(tb.Credentials, tb.NearMisses...) {
			all = append(all, s.Text)
		}
	}
	for _, in := range append(all, strings.Join(all, "\n")) {
		once, ms := Text(in)
		checkMatches(t, in, ms)
		if twice, ms := Text(once); twice != once || len(ms) != 0 {
			t.Errorf("Text(Text(%q)) = %q, %+v; want %q", in, twice, ms, once)
		}
	}
}

func TestUnescape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{`a\nb`: "a\nb", `a\\nb`: `a\nb`, `x\`: `x\`, `c:\d`: `c:\d`, "": ""} {
		if got := unescape(in); got != want {
			t.Errorf("unescape(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkTextTable redacts every answer of the table one by one, as captures come.
func BenchmarkTextTable(b *testing.B) {
	tuned, held, err := Tables()
	if err != nil {
		b.Fatal(err)
	}
	var all []string
	size := 0
	for _, tb := range []Table{tuned, held} {
		for _, s := range append(tb.Credentials, tb.NearMisses...) {
			all = append(all, s.Text)
			size += len(s.Text)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range all {
			Text(s)
		}
	}
}
