package main

import (
	"fmt"
	"io"
	"time"

	"github.com/exitinterview/exitinterview/redact"
)

// benchRedaction scores redaction on its table of credential answers and near-misses, the part it is
// tuned on and the held-out part apart, and measures how fast it reads answers.
func benchRedaction(w io.Writer) error {
	tuned, held, err := redact.Tables()
	if err != nil {
		return err
	}
	for _, part := range []struct {
		prefix string
		table  redact.Table
	}{{"redaction", tuned}, {"redaction_heldout", held}} {
		s := redact.Measure(part.table)
		fmt.Fprintf(w, "%[1]s_credentials %[2]d\n%[1]s_near_misses %[3]d\n%[1]s_caught %[4]d\n%[1]s_false_positives %[5]d\n",
			part.prefix, s.Credentials, s.NearMisses, s.Caught, s.FalsePositives)
		fmt.Fprintf(w, "%[1]s_recall %.3[2]f\n%[1]s_precision %.3[3]f\n", part.prefix, s.Recall(), s.Precision())
	}

	// Speed: every answer of both parts redacted one by one, as captures redact them, until a second has
	// passed.
	var answers []string
	size := 0
	for _, t := range []redact.Table{tuned, held} {
		for _, s := range append(t.Credentials, t.NearMisses...) {
			answers = append(answers, s.Text)
			size += len(s.Text)
		}
	}
	n, began := 0, time.Now()
	for n == 0 || time.Since(began) < time.Second {
		for _, a := range answers {
			redact.Text(a)
		}
		n++
	}
	elapsed := time.Since(began).Seconds()
	fmt.Fprintf(w, "redaction_answers_per_s %.0f\nredaction_mb_per_s %.1f\n", float64(n*len(answers))/elapsed,
		float64(n*size)/elapsed/1e6)
	return nil
}
