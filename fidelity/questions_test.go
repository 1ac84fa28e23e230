package fidelity

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestQuestionsKeepTheirRules: every answerable question's wanted words are in its persona's answers,
// verbatim; every persona has questions, answerable and not.
func TestQuestionsKeepTheirRules(t *testing.T) {
	t.Parallel()
	qs, err := Questions()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Personas()
	if err != nil {
		t.Fatal(err)
	}
	said := map[string]string{}
	for _, p := range ps {
		var b strings.Builder
		for _, an := range p.Answers {
			b.WriteString(an.Text + "\n" + an.FollowUp + "\n")
		}
		said[p.Slug] = squash(b.String())
	}
	per := map[string][2]int{}
	for _, q := range qs {
		text, ok := said[q.Persona]
		if !ok {
			t.Fatalf("%q: no persona %q", q.Q, q.Persona)
		}
		n := per[q.Persona]
		if len(q.Want) == 0 {
			n[1]++
		} else {
			n[0]++
		}
		per[q.Persona] = n
		for _, w := range q.Want {
			if !strings.Contains(text, squash(w)) {
				t.Errorf("%q: %q is not in %s's answers", q.Q, w, q.Persona)
			}
		}
	}
	if len(qs) < 120 || len(per) != len(ps) {
		t.Fatalf("%d questions over %d personas", len(qs), len(per))
	}
	for slug, n := range per {
		if n[0] == 0 || n[1] == 0 {
			t.Errorf("%s: %d answerable and %d unanswerable questions", slug, n[0], n[1])
		}
	}
}

// TestAskAllScoresSearchAndAsk: ranks, Ask's three outcomes and a false answer are counted as they are.
func TestAskAllScoresSearchAndAsk(t *testing.T) {
	t.Parallel()
	results := map[string][]string{
		"who signs":   {"Karen runs ops", "Marco Rossi, the CFO, signs everything"},
		"competitor":  {"They are trialling Fleetly since November"},
		"nps":         {"Karen runs ops"},
		"open issues": {"nothing relevant"},
	}
	asks := map[string]map[string]any{
		"who signs":   {"answer": "Marco Rossi signs [1]", "grounded": true, "citations": []map[string]string{{"text": "Marco Rossi, the CFO, signs everything"}}},
		"competitor":  {"answer": "Karen runs ops [1]", "grounded": true, "citations": []map[string]string{{"text": "Karen runs ops"}}},
		"nps":         {"answer": "Karen runs ops [1]", "grounded": true, "citations": []map[string]string{{"text": "Karen runs ops"}}},
		"open issues": {"answer": "Nothing captured", "grounded": false, "citations": []map[string]string{}},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/search" {
			var out struct {
				Results []map[string]string `json:"results"`
			}
			for _, text := range results[r.URL.Query().Get("q")] {
				out.Results = append(out.Results, map[string]string{"text": text})
			}
			_ = json.NewEncoder(w).Encode(out)
			return
		}
		var req struct{ Question string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		_ = json.NewEncoder(w).Encode(asks[req.Question])
	}))
	defer srv.Close()
	sc, err := AskAll(context.Background(), srv.URL, "token", []Question{
		{Q: "who signs", Want: []string{"marco rossi, the  CFO"}},
		{Q: "competitor", Want: []string{"trialling Fleetly"}},
		{Q: "open issues", Want: []string{"SUP-1234"}},
		{Q: "nps"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := AskScores{Answerable: 3, Unanswerable: 1, HitAt1: 1, HitAt3: 2, ReciprocalRanks: 0.5 + 1, Correct: 1, FalseNotCaptured: 1, FalseAnswers: 1}
	if sc != want {
		t.Fatalf("scores %+v, want %+v", sc, want)
	}
}
