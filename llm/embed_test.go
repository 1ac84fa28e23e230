package llm

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/exitinterview/exitinterview/llm/llmtest"
	"github.com/sashabaranov/go-openai"
)

func TestEmbed(t *testing.T) {
	t.Parallel()
	inputs := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("note %d about the Stark renewal", i)
		}
		return out
	}
	tests := []struct {
		name     string
		inputs   []string
		replies  []llmtest.Reply
		batches  []int // inputs per request, in order
		wantCode int   // HTTP status of the error; 0: success
	}{
		{name: "none", inputs: nil, batches: nil},
		{name: "one", inputs: inputs(1), batches: []int{1}},
		{name: "600 in three batches", inputs: inputs(600), batches: []int{256, 256, 88}},
		{name: "exactly one batch", inputs: inputs(256), batches: []int{256}},
		{
			name:    "a failed batch is retried alone",
			inputs:  inputs(300),
			replies: []llmtest.Reply{{}, {Status: 500}},
			batches: []int{256, 44, 44},
		},
		{
			name:    "a wrong count is invalid output and retried",
			inputs:  inputs(2),
			replies: []llmtest.Reply{{Embeddings: [][]float32{{1, 0}}}},
			batches: []int{2, 2},
		},
		{name: "400 is not retried", inputs: inputs(3), replies: []llmtest.Reply{{Status: 400}}, batches: []int{3}, wantCode: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.New(t)
			srv.Enqueue(tt.replies...)
			srv.Respond = func(llmtest.Request) llmtest.Reply { return llmtest.Reply{} }
			c, _ := newTestClient(srv, Config{})

			got, err := c.Embed(t.Context(), tt.inputs)

			if tt.wantCode != 0 {
				if statusCode(err) != tt.wantCode {
					t.Fatalf("error = %v, want status %d", err, tt.wantCode)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tt.inputs) {
					t.Fatalf("%d vectors for %d inputs", len(got), len(tt.inputs))
				}
				for i, in := range tt.inputs {
					if !slices.Equal(got[i], llmtest.Vector(in)) {
						t.Fatalf("vector %d is not the one for %q", i, in)
					}
				}
			}
			var batches []int
			for _, r := range srv.Requests() {
				batches = append(batches, len(r.Inputs()))
				if string(r.Embed.Model) != "text-embedding-3-small" || r.Path != "/v1/embeddings" {
					t.Errorf("model %q path %q", r.Embed.Model, r.Path)
				}
			}
			if !slices.Equal(batches, tt.batches) {
				t.Errorf("batches = %v, want %v", batches, tt.batches)
			}
		})
	}
}

func TestInOrder(t *testing.T) {
	t.Parallel()
	a, b, c := []float32{1}, []float32{2}, []float32{3}
	tests := []struct {
		name string
		data []openai.Embedding
		want [][]float32
	}{
		{name: "shuffled", data: []openai.Embedding{{Index: 2, Embedding: c}, {Index: 0, Embedding: a}, {Index: 1, Embedding: b}}, want: [][]float32{a, b, c}},
		{name: "repeated index", data: []openai.Embedding{{Index: 0, Embedding: a}, {Index: 0, Embedding: b}, {Index: 1, Embedding: c}}},
		{name: "index out of range", data: []openai.Embedding{{Index: 0, Embedding: a}, {Index: 1, Embedding: b}, {Index: 3, Embedding: c}}},
		{name: "too few", data: []openai.Embedding{{Index: 0, Embedding: a}}},
		{name: "empty vector", data: []openai.Embedding{{Index: 0, Embedding: a}, {Index: 1}, {Index: 2, Embedding: c}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := inOrder(tt.data, 3)
			if tt.want == nil {
				if !errors.Is(err, ErrInvalidOutput) {
					t.Errorf("error = %v, want ErrInvalidOutput", err)
				}
				return
			}
			if err != nil || !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("got %v, %v", got, err)
			}
		})
	}
}
