package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

var samples = []string{
	"Marco Rossi, the CFO, approves the renewal.",
	"",
	"   ",
	"the and of who what",
	"$",
	"Dana’s tracker lives in the shared drive — see “Renewals 2025”.",
	"Ünïcödé wörds, 日本語のテキスト, emoji 🎉 and digits 12345",
	"a",
	strings.Repeat("churn risk ", 500),
	"\xff\xfe invalid \xc3 utf-8 \x80",
}

func TestOfflineModelAndDims(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	if o.Model() != "offline-hash-v1" || o.Dims() != 384 {
		t.Fatalf("Model %q Dims %d", o.Model(), o.Dims())
	}
}

func TestOfflineUnitVectors(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	vs, err := o.Embed(t.Context(), samples)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != len(samples) {
		t.Fatalf("%d vectors for %d texts", len(vs), len(samples))
	}
	for i, v := range vs {
		checkUnit(t, samples[i], v)
	}
}

func checkUnit(t *testing.T, text string, v []float32) {
	t.Helper()
	if len(v) != offlineDims {
		t.Fatalf("%q: length %d, want %d", text, len(v), offlineDims)
	}
	var sum float64
	for _, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			t.Fatalf("%q: non-finite component %v", text, x)
		}
		sum += float64(x) * float64(x)
	}
	if n := math.Sqrt(sum); math.Abs(n-1) > 1e-5 {
		t.Fatalf("%q: norm %v, want 1", text, n)
	}
}

func TestOfflineEmptyIsFixed(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	empty := o.Vector("")
	for _, text := range []string{"   ", "the of and", "?!…", "a b c"} {
		if !slices.Equal(o.Vector(text), empty) {
			t.Errorf("%q: want the empty vector", text)
		}
	}
	if cosine(empty, o.Vector("renewal contract")) != 0 {
		t.Error("the empty vector overlaps a real text")
	}
}

// TestOfflineDeterministic pins the same vector across calls, batches and goroutines sharing one
// pool, so reused buffers cannot leak one text into the next.
func TestOfflineDeterministic(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	want := make([][]float32, len(samples))
	for i, s := range samples {
		want[i] = o.Vector(s)
	}
	if fresh := NewOffline().Vector(samples[0]); !slices.Equal(fresh, want[0]) {
		t.Fatal("a new embedder gives another vector")
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := o.Embed(context.Background(), samples)
				if err != nil {
					t.Error(err)
					return
				}
				for i := range samples {
					if !slices.Equal(got[i], want[i]) {
						t.Errorf("%q: vector changed between calls", samples[i])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// TestOfflineTableSizeDoesNotMatter embeds with a scratch whose table grew on an earlier, larger
// text: the vectors must be bit-identical to a fresh scratch's, since either may serve a request.
func TestOfflineTableSizeDoesNotMatter(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "word%d account%d ", i, i*7)
	}
	big := b.String()
	embed := func(s *scratch, text string) []float32 {
		v := make([]float32, offlineDims)
		s.embed(text, v)
		return v
	}
	used := newScratch()
	first := embed(used, big)
	if len(used.slots) <= initialSlots {
		t.Fatalf("table did not grow: %d slots", len(used.slots))
	}
	for _, text := range append([]string{big}, samples...) {
		if !slices.Equal(embed(used, text), embed(newScratch(), text)) {
			t.Errorf("%.40q: vector depends on the table size", text)
		}
	}
	checkUnit(t, "big", first)
}

// TestOfflineGolden catches an output change that forgot to bump offlineModel: stored vectors would
// silently stop matching new queries.
func TestOfflineGolden(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	var sum float64
	for _, text := range []string{samples[0], samples[5], samples[6], ""} {
		for i, x := range o.Vector(text) {
			sum += float64(i+1) * float64(x)
		}
	}
	const want = 426.961193
	if math.Abs(sum-want) > 1e-4 {
		t.Fatalf("checksum %.6f, want %.6f: output changed, bump offlineModel and update want", sum, want)
	}
}

func TestOfflineEmbedEmptyAndCancelled(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	got, err := o.Embed(t.Context(), nil)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Embed(nil) = %v, %v; want empty", got, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := o.Embed(ctx, samples); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: error %v", err)
	}
}

func TestOfflineVectorsAreIndependent(t *testing.T) {
	t.Parallel()
	vs, err := NewOffline().Embed(t.Context(), []string{"renewal", "champion"})
	if err != nil {
		t.Fatal(err)
	}
	second := slices.Clone(vs[1])
	_ = append(vs[0], 1, 2, 3)
	if !slices.Equal(vs[1], second) {
		t.Fatal("appending to one vector overwrote the next")
	}
}

func TestOfflineInflectionsMeet(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	base := o.Vector("renewal")
	for _, w := range []string{"renews", "renewing", "renewed", "Renewals", "RENEW"} {
		if c := cosine(base, o.Vector(w)); c < 0.5 {
			t.Errorf("cos(renewal, %s) = %.2f, want ≥ 0.5", w, c)
		}
	}
	// A typo shares only trigrams, which weigh little next to the word and its concept: it should
	// still beat an unrelated word, not rival a real inflection.
	if typo, other := cosine(base, o.Vector("renewl")), cosine(base, o.Vector("champion")); typo <= other || typo <= 0 {
		t.Errorf("cos(renewal, renewl) = %.3f, cos(renewal, champion) = %.3f: want the typo closer", typo, other)
	}
}

func TestStem(t *testing.T) {
	t.Parallel()
	groups := [][]string{
		{"renew", "renews", "renewed", "renewing", "renewal", "renewals"},
		{"decide", "decides", "decided", "deciding"},
		{"approve", "approved", "approves", "approving", "approval"},
		{"price", "prices", "pricing", "priced"},
		{"company", "companies"},
		{"integrate", "integrated", "integration", "integrations"},
		{"plan", "plans", "planned", "planning"},
		{"commit", "commits", "committed", "commitment", "commitments"},
		{"agree", "agreed", "agrees"},
		{"call", "calls", "called", "calling"},
		{"happy", "happiness", "happily"},
	}
	for _, g := range groups {
		want := string(stem([]byte(g[0])))
		for _, w := range g[1:] {
			if got := string(stem([]byte(w))); got != want {
				t.Errorf("stem(%s) = %s, want %s like %s", w, got, want, g[0])
			}
		}
	}
	for _, w := range []string{"process", "status", "analysis", "need", "customer", "legal", "sso"} {
		if got := string(stem([]byte(w))); got != w && got+"e" != w {
			t.Errorf("stem(%s) = %s, want it kept", w, got)
		}
	}
}

// TestLexicon keeps the lexicon within the brief and free of words that could never fire.
func TestLexicon(t *testing.T) {
	t.Parallel()
	if len(lexicon) < 40 {
		t.Errorf("%d concepts, want ≥ 40", len(lexicon))
	}
	stops := make(map[string]bool)
	for _, w := range strings.Fields(stopWords) {
		stops[w] = true
	}
	names := make(map[string]bool)
	for _, c := range lexicon {
		if names[c.name] {
			t.Errorf("concept %s twice", c.name)
		}
		names[c.name] = true
		stems := make(map[string]bool)
		for _, w := range strings.Fields(c.words) {
			if strings.Trim(w, "abcdefghijklmnopqrstuvwxyz0123456789") != "" || len(w) < 2 || !utf8.ValidString(w) {
				t.Errorf("%s: %q is not one lower-case token", c.name, w)
			}
			if stops[w] {
				t.Errorf("%s: %q is a stop word and never reaches the lexicon", c.name, w)
			}
			stems[string(lexiconKey(w))] = true
		}
		if n := len(stems); n < 4 || n > 15 {
			t.Errorf("%s: %d distinct stems, want 4-15", c.name, n)
		}
	}
}

func FuzzOffline(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	o := NewOffline()
	f.Fuzz(func(t *testing.T, text string) {
		v := o.Vector(text)
		checkUnit(t, text, v)
		if !slices.Equal(v, o.Vector(text)) {
			t.Fatalf("%q: not deterministic", text)
		}
	})
}
