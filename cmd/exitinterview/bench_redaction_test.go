package main

import (
	"bytes"
	"regexp"
	"testing"
)

// TestBenchRedactionPrintsItsFigures checks that the redaction figures are printed, in bench's format,
// and that the tuned part's recall is the 1 its test holds it to.
func TestBenchRedactionPrintsItsFigures(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := benchRedaction(&out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"redaction_credentials", "redaction_near_misses", "redaction_caught",
		"redaction_false_positives", "redaction_recall", "redaction_precision", "redaction_heldout_recall",
		"redaction_heldout_precision", "redaction_answers_per_s", "redaction_mb_per_s"} {
		if !regexp.MustCompile(`(?m)^` + name + ` [0-9.]+$`).MatchString(out.String()) {
			t.Errorf("no %s in:\n%s", name, out.String())
		}
	}
	if !regexp.MustCompile(`(?m)^redaction_recall 1\.000$`).MatchString(out.String()) {
		t.Errorf("tuned recall is not 1:\n%s", out.String())
	}
}
