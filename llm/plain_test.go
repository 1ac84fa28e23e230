package llm

import "testing"

func TestPlain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		max  int
		keep bool
		want string
	}{
		{"See ![x](https://evil.example/?q=1) [the CFO](https://evil.example/a) now", 100, false, "See x the CFO now"},
		{"go to http://evil.example/b, then data:text/html,hi", 100, false, "go to then"},
		{"a\x00b\x1b[31mc\u2028d", 100, false, "a b [31mc d"},
		{"  one\n\ntwo  ", 100, false, "one two"},
		{"ééééé", 4, false, "éééé…"},
		{"line one\nline  two", 100, true, "line one\nline two"},
	} {
		if got := Plain(tc.in, tc.max, tc.keep); got != tc.want {
			t.Errorf("Plain(%q, %d, %v) = %q, want %q", tc.in, tc.max, tc.keep, got, tc.want)
		}
	}
}
