package fidelity

import "testing"

// TestBlindQuestionsKeepTheirRules: the blind set keeps the rules of a set of successor questions, with
// at least 70 questions (about 14 a persona).
func TestBlindQuestionsKeepTheirRules(t *testing.T) {
	t.Parallel()
	qs, err := BlindQuestions()
	if err != nil {
		t.Fatal(err)
	}
	checkQuestionRules(t, qs, 70)
}

// TestQuestionSetsShareNoQuestion: no question of a later set has the text (case and runs of spaces
// aside) of one of an earlier set, whichever persona it was asked of: the held-out and blind sets ask
// nothing the product was tuned on, and the blind set nothing it was measured with before.
func TestQuestionSetsShareNoQuestion(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	for _, set := range []struct {
		name string
		load func() ([]Question, error)
	}{{"questions.json", Questions}, {"questions_heldout.json", HeldoutQuestions}, {"questions_blind.json", BlindQuestions}} {
		qs, err := set.load()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range qs {
			if earlier, ok := seen[squash(q.Q)]; ok && earlier != set.name {
				t.Errorf("%s: %q is also a question of %s", set.name, q.Q, earlier)
			}
		}
		for _, q := range qs {
			seen[squash(q.Q)] = set.name
		}
	}
}
