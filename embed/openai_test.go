package embed

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/exitinterview/exitinterview/llm"
	"github.com/exitinterview/exitinterview/llm/llmtest"
)

func newTestOpenAI(t *testing.T, dims int) (*OpenAI, *llmtest.Server) {
	t.Helper()
	srv := llmtest.New(t)
	c := llm.New(llm.Config{
		BaseURL:     srv.URL,
		EmbedModel:  "text-embedding-3-small",
		Timeout:     5 * time.Second,
		MaxAttempts: 1, // the tests are about what embed does with answers, not llm's retries
		BaseBackoff: time.Millisecond,
	})
	return NewOpenAI(c, dims), srv
}

func TestOpenAIModelAndDims(t *testing.T) {
	t.Parallel()
	o, _ := newTestOpenAI(t, 8)
	if o.Model() != "text-embedding-3-small" || o.Dims() != 8 {
		t.Fatalf("Model %q Dims %d", o.Model(), o.Dims())
	}
}

// TestOpenAIOrderAndBatches sends more texts than llm puts in one request: the vectors must come back
// in input order across the batches.
func TestOpenAIOrderAndBatches(t *testing.T) {
	t.Parallel()
	o, srv := newTestOpenAI(t, 8)
	srv.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{} }
	texts := make([]string, 300)
	for i := range texts {
		texts[i] = fmt.Sprintf("note %d about the Northwind renewal", i)
	}

	got, err := o.Embed(t.Context(), texts)
	if err != nil {
		t.Fatal(err)
	}

	if len(got) != len(texts) {
		t.Fatalf("%d vectors for %d texts", len(got), len(texts))
	}
	for i, text := range texts {
		if !almostEqual(got[i], llmtest.Vector(text)) {
			t.Fatalf("vector %d is not the one for %q", i, text)
		}
	}
	var batches []int
	for _, r := range srv.Requests() {
		batches = append(batches, len(r.Inputs()))
		if r.Embed.Model != "text-embedding-3-small" {
			t.Errorf("request model %q", r.Embed.Model)
		}
	}
	if !slices.Equal(batches, []int{256, 44}) {
		t.Errorf("batches %v, want [256 44]", batches)
	}
}

func TestOpenAIRenormalises(t *testing.T) {
	t.Parallel()
	o, srv := newTestOpenAI(t, 3)
	srv.Enqueue(llmtest.Reply{Embeddings: [][]float32{{3, 0, 4}, {0, -0.5, 0}}})

	got, err := o.Embed(t.Context(), []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}

	want := [][]float32{{0.6, 0, 0.8}, {0, -1, 0}}
	for i := range want {
		if !almostEqual(got[i], want[i]) {
			t.Errorf("vector %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestOpenAIUnusableVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		vectors [][]float32
	}{
		{"too short", [][]float32{{1, 0, 0}, {1, 0}}},
		{"too long", [][]float32{{1, 0, 0, 0}, {1, 0, 0}}},
		{"all zero", [][]float32{{1, 0, 0}, {0, 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, srv := newTestOpenAI(t, 3)
			srv.Enqueue(llmtest.Reply{Embeddings: tt.vectors})

			got, err := o.Embed(t.Context(), []string{"a", "b"})

			if !errors.Is(err, errVector) || got != nil {
				t.Fatalf("Embed = %v, %v; want an unusable-vector error", got, err)
			}
		})
	}
}

// TestNormalize covers what JSON cannot carry to TestOpenAIUnusableVectors: NaN and ±Inf.
func TestNormalize(t *testing.T) {
	t.Parallel()
	nan, inf := float32(math.NaN()), float32(math.Inf(-1))
	for _, v := range [][]float32{{0, 0}, {nan, 1}, {inf, 1}, {}} {
		if normalize(slices.Clone(v)) {
			t.Errorf("normalize(%v) = true, want false", v)
		}
	}
	v := []float32{3e37, 4e37}
	if !normalize(v) || !almostEqual(v, []float32{0.6, 0.8}) {
		t.Errorf("normalize of huge components = %v, want [0.6 0.8]", v)
	}
}

func TestOpenAIEndpointError(t *testing.T) {
	t.Parallel()
	o, srv := newTestOpenAI(t, 8)
	srv.Enqueue(llmtest.Reply{Status: 400})

	if _, err := o.Embed(t.Context(), []string{"a"}); err == nil {
		t.Fatal("no error for a 400")
	}
}

func TestOpenAIEmptyInputMakesNoRequest(t *testing.T) {
	t.Parallel()
	o, srv := newTestOpenAI(t, 8)
	for _, texts := range [][]string{nil, {}} {
		got, err := o.Embed(t.Context(), texts)
		if err != nil || got == nil || len(got) != 0 {
			t.Fatalf("Embed(%v) = %v, %v; want empty", texts, got, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests for no texts", n)
	}
}

func TestNewOpenAIPanicsOnMiswiring(t *testing.T) {
	t.Parallel()
	c := llm.New(llm.Config{EmbedModel: "m"})
	for name, f := range map[string]func(){
		"nil client":    func() { NewOpenAI(nil, 8) },
		"negative dims": func() { NewOpenAI(c, -1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// TestOpenAINativeLength: with dims 0 the model's own length is taken, but one answer of mixed lengths
// is refused, and a configured length is asked of the endpoint.
func TestOpenAINativeLength(t *testing.T) {
	t.Parallel()
	o, srv := newTestOpenAI(t, 0)
	srv.Enqueue(llmtest.Reply{})
	got, err := o.Embed(t.Context(), []string{"a", "b"})
	if err != nil || len(got) != 2 || len(got[0]) != 8 {
		t.Fatalf("Embed = %d vectors, %v; want 2 of the fake's 8 dimensions", len(got), err)
	}
	srv.Enqueue(llmtest.Reply{Embeddings: [][]float32{{1, 0, 0}, {1, 0}}})
	if _, err := o.Embed(t.Context(), []string{"a", "b"}); !errors.Is(err, errVector) {
		t.Fatalf("mixed lengths: err = %v, want errVector", err)
	}

	c := llm.New(llm.Config{BaseURL: srv.URL, EmbedModel: "text-embedding-3-large", EmbedDims: 256, MaxAttempts: 1})
	srv.Enqueue(llmtest.Reply{Embeddings: [][]float32{make256()}})
	if _, err := NewOpenAI(c, 256).Embed(t.Context(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Embed.Dimensions != 256 || last.Embed.Model != "text-embedding-3-large" {
		t.Fatalf("request asked for model %q, %d dimensions; want text-embedding-3-large, 256", last.Embed.Model, last.Embed.Dimensions)
	}
}

func make256() []float32 {
	v := make([]float32, 256)
	v[3] = 1
	return v
}

func almostEqual(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}
