package about

import "testing"

// TestSaysNothing: non-answers and filler say nothing a successor could use; short answers that carry a
// fact, a name, a number or a date do.
func TestSaysNothing(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"no":                                     true,
		"No.":                                    true,
		"nope, nothing major":                    true,
		"the usual people":                       true,
		"That is everything I know about that.":  true,
		"see above":                              true,
		"As I said, it's all in my notes above.": true,
		"Not sure, maybe. Hard to say.":          true,
		"Nothing more to add there.":             true,
		"nah thats it for now, cheers":           true,
		"Same as before.":                        true,
		"":                                       true,
		"No upsell: do not pitch until the rate-limit fix.": false,
		"Karen":                             false,
		"Karen, the CFO":                    false,
		"30 June":                           false,
		"no, they cancelled the pilot":      false,
		"nothing open apart from SUP-21877": false,
		"fine":                              false, // thin, but an answer: the relationship is fine
		"the usual: Priya and Marco":        false,
		"weekly":                            false,
		"80%":                               false,
	} {
		if got := SaysNothing(text); got != want {
			t.Errorf("SaysNothing(%q) = %v, want %v", text, got, want)
		}
	}
}
