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

// TestBlindQuestionsAreNewQuestions: no blind question has the text (case and runs of spaces aside) of a
// question of questions.json or questions_heldout.json, whichever persona it was asked of, so the blind
// set asks nothing the product was tuned on or already measured with.
func TestBlindQuestionsAreNewQuestions(t *testing.T) {
	t.Parallel()
	tuning, err := Questions()
	if err != nil {
		t.Fatal(err)
	}
	heldout, err := HeldoutQuestions()
	if err != nil {
		t.Fatal(err)
	}
	blind, err := BlindQuestions()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]string{}
	for _, q := range tuning {
		seen[squash(q.Q)] = "questions.json"
	}
	for _, q := range heldout {
		seen[squash(q.Q)] = "questions_heldout.json"
	}
	for _, q := range blind {
		if file, ok := seen[squash(q.Q)]; ok {
			t.Errorf("%s: %q is also a question of %s", q.Persona, q.Q, file)
		}
	}
}
