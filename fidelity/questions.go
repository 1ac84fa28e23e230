package fidelity

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Question is one question a successor asks about what a persona's interview captured: Want are
// verbatim pieces of the persona's answers that answer it (none: nothing captured does).
type Question struct {
	Persona string   `json:"persona"`
	Q       string   `json:"q"`
	Account string   `json:"account"`
	Want    []string `json:"want"`
	Kind    string   `json:"kind"`
}

//go:embed testdata/questions.json
var questionsFile []byte

//go:embed testdata/questions_heldout.json
var heldoutQuestionsFile []byte

//go:embed testdata/questions_blind.json
var blindQuestionsFile []byte

// Questions returns the successor questions of testdata/questions.json.
func Questions() ([]Question, error) {
	return decodeQuestions("questions.json", questionsFile)
}

// HeldoutQuestions returns the successor questions of testdata/questions_heldout.json: written from the
// personas alone, without sight of questions.json or of how search answers, so they measure the product on
// questions nobody tuned it for. Tune on Questions, never on these.
func HeldoutQuestions() ([]Question, error) {
	return decodeQuestions("questions_heldout.json", heldoutQuestionsFile)
}

// BlindQuestions returns the successor questions of testdata/questions_blind.json: a second held-out set,
// written from the personas alone without sight of questions.json, questions_heldout.json or the search
// code, so it says how the product does on questions nobody tuned it for, the held-out set included. Tune
// on Questions, never on these.
func BlindQuestions() ([]Question, error) {
	return decodeQuestions("questions_blind.json", blindQuestionsFile)
}

// decodeQuestions reads a file of questions, refusing fields a Question does not have.
func decodeQuestions(name string, b []byte) ([]Question, error) {
	var qs []Question
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&qs); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return qs, nil
}

// AskScores are how well search and Ask answer the successor questions.
type AskScores struct {
	Answerable, Unanswerable int
	HitAt1, HitAt3           int     // answerable questions whose answer is the first, or among the first three, results
	ReciprocalRanks          float64 // sum over answerable questions of 1/rank of the first result that answers
	Correct                  int     // answerable questions Ask answered, citing a passage that answers
	FalseNotCaptured         int     // answerable questions Ask said nothing captured answers
	FalseAnswers             int     // unanswerable questions Ask answered as if something did
	NearestHelps             int     // answerable questions Ask was unsure of, citing a passage that answers
	Nearest                  int     // unanswerable questions Ask was unsure of (the nearest passages, not "nothing captured")
	NotSaid                  int     // answerable questions left out: the run never typed what answers them (the interviewer did not ask)
}

// Add sums two scores.
func (s AskScores) Add(o AskScores) AskScores {
	return AskScores{s.Answerable + o.Answerable, s.Unanswerable + o.Unanswerable, s.HitAt1 + o.HitAt1, s.HitAt3 + o.HitAt3,
		s.ReciprocalRanks + o.ReciprocalRanks, s.Correct + o.Correct, s.FalseNotCaptured + o.FalseNotCaptured, s.FalseAnswers + o.FalseAnswers,
		s.NearestHelps + o.NearestHelps, s.Nearest + o.Nearest, s.NotSaid + o.NotSaid}
}

// Print writes the scores as `name value` lines, each name prefixed.
func (s AskScores) Print(w io.Writer, prefix string) {
	fmt.Fprintf(w, "%squestions %d\n%sunanswerable %d\n%snot_said %d\n", prefix, s.Answerable+s.Unanswerable, prefix, s.Unanswerable,
		prefix, s.NotSaid)
	fmt.Fprintf(w, "%shit_at_1 %.3f\n%shit_at_3 %.3f\n%smrr %.3f\n", prefix, ratio(s.HitAt1, s.Answerable), prefix,
		ratio(s.HitAt3, s.Answerable), prefix, s.ReciprocalRanks/float64(max(s.Answerable, 1)))
	fmt.Fprintf(w, "%sanswered_correctly %.3f\n%sfalse_not_captured %.3f\n%sfalse_answers %.3f\n", prefix, ratio(s.Correct, s.Answerable),
		prefix, ratio(s.FalseNotCaptured, s.Answerable), prefix, ratio(s.FalseAnswers, s.Unanswerable))
	fmt.Fprintf(w, "%sunsure_but_cited %.3f\n%sunanswerable_unsure %.3f\n", prefix, ratio(s.NearestHelps, s.Answerable), prefix,
		ratio(s.Nearest, s.Unanswerable))
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// answers reports whether text holds one of want, ignoring case and runs of spaces.
func answers(text string, want []string) bool {
	t := squash(text)
	for _, w := range want {
		if strings.Contains(t, squash(w)) {
			return true
		}
	}
	return false
}

func squash(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// Said keeps the questions whose answer the run typed: an answerable question none of whose wanted pieces
// is in what the persona sent cannot be answered from that run (the interviewer never asked for it), and
// is only counted, as NotSaid. texts are what was sent.
func Said(qs []Question, texts []string) (kept []Question, notSaid int) {
	all := squash(strings.Join(texts, "\n"))
	for _, q := range qs {
		if len(q.Want) > 0 && !slices.ContainsFunc(q.Want, func(w string) bool { return strings.Contains(all, squash(w)) }) {
			notSaid++
			continue
		}
		kept = append(kept, q)
	}
	return kept, notSaid
}

// AskAll asks the persona's questions through search and Ask as a successor would, without naming the
// account (the question names it), as a manager who sees the persona's interview and no other. With
// misses, it writes each question it got wrong there.
func AskAll(ctx context.Context, base, managerToken string, qs []Question, misses io.Writer) (AskScores, error) {
	a := api{base: strings.TrimRight(base, "/"), client: &http.Client{}}
	var sc AskScores
	for _, q := range qs {
		var found struct {
			Results []struct {
				Text string `json:"text"`
			} `json:"results"`
		}
		if err := a.call(ctx, http.MethodGet, "/api/v1/search?limit=10&q="+url.QueryEscape(q.Q), managerToken, nil, &found); err != nil {
			return sc, err
		}
		var ans struct {
			Answer    string `json:"answer"`
			Grounded  bool   `json:"grounded"`
			Outcome   string `json:"outcome"`
			Citations []struct {
				Text string `json:"text"`
			} `json:"citations"`
		}
		if err := a.call(ctx, http.MethodPost, "/api/v1/ask", managerToken, map[string]any{"question": q.Q}, &ans); err != nil {
			return sc, err
		}
		if len(q.Want) == 0 {
			sc.Unanswerable++
			if ans.Outcome == "nearest" {
				sc.Nearest++
			}
			if ans.Grounded {
				sc.FalseAnswers++
				if misses != nil {
					fmt.Fprintf(misses, "ask answered what nothing answers: %q → %q\n", q.Q, ans.Answer)
				}
			}
			continue
		}
		sc.Answerable++
		rank := 0
		for i, r := range found.Results {
			if answers(r.Text, q.Want) {
				rank = i + 1
				break
			}
		}
		if rank == 1 {
			sc.HitAt1++
		}
		if rank >= 1 && rank <= 3 {
			sc.HitAt3++
		}
		if rank > 0 {
			sc.ReciprocalRanks += 1 / float64(rank)
		}
		cited := answers(ans.Answer, q.Want)
		for _, c := range ans.Citations {
			cited = cited || answers(c.Text, q.Want)
		}
		switch {
		case ans.Outcome == "nothing" || ans.Outcome == "" && !ans.Grounded:
			sc.FalseNotCaptured++
		case ans.Grounded && cited:
			sc.Correct++
		case !ans.Grounded && cited:
			sc.NearestHelps++
		}
		if misses != nil && (rank != 1 || !ans.Grounded || !cited) {
			fmt.Fprintf(misses, "search rank %d, ask %s citing the answer %v: %q (%s) want %q\n", rank, ans.Outcome, cited, q.Q, q.Kind, q.Want[0])
		}
	}
	return sc, nil
}
