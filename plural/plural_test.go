package plural

import "testing"

func TestCount(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n    int
		want string
	}{{0, "0 accounts"}, {1, "1 account"}, {2, "2 accounts"}, {21, "21 accounts"}, {-1, "-1 accounts"}}
	for _, tc := range cases {
		if got := Count(tc.n, "account", "accounts"); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := Count(2, "person", "people"); got != "2 people" {
		t.Errorf("irregular plural: %q", got)
	}
	if got := Noun(1, "is", "are"); got != "is" {
		t.Errorf("Noun(1) = %q", got)
	}
}
