package validation

import "testing"

func TestTextRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in                        string
		encoding, line, multiline string
	}{
		{"Zoë Müller-شريف", "", "", ""},
		{"two\nlines\tand a tab\r\n", "", "must not contain control characters or line breaks", ""},
		{"nul\x00", "must not contain NUL bytes", "must not contain NUL bytes", "must not contain NUL bytes"},
		{"bad \xff byte", "must be valid UTF-8 text", "must be valid UTF-8 text", "must be valid UTF-8 text"},
		{"escape \x1b[2J", "", "must not contain control characters or line breaks", "must not contain control characters"},
		{"C1 \u0085 control", "", "must not contain control characters or line breaks", "must not contain control characters"},
		{"evil\u202egnp.exe", "", "must not contain bidirectional text controls", "must not contain bidirectional text controls"},
		{"isolate \u2066x\u2069", "", "must not contain bidirectional text controls", "must not contain bidirectional text controls"},
		{"mark \u200f", "", "must not contain bidirectional text controls", "must not contain bidirectional text controls"},
	}
	for _, tc := range cases {
		if got := Encoding(tc.in); got != tc.encoding {
			t.Errorf("Encoding(%q) = %q, want %q", tc.in, got, tc.encoding)
		}
		if got := Line(tc.in); got != tc.line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.line)
		}
		if got := Multiline(tc.in); got != tc.multiline {
			t.Errorf("Multiline(%q) = %q, want %q", tc.in, got, tc.multiline)
		}
	}
}
