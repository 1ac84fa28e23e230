package interview

import (
	"strings"
	"testing"
)

func TestFieldStreamerPassesOnlyTheQuestionAsItArrives(t *testing.T) {
	t.Parallel()
	raw := `{"assessment":[{"topic":"question","state":"covered"},{"topic":"x","state":"partial"}],` +
		`"follow_up_topic":null,"question":"Who signs at Zoë's \"Ångström\" team?\nAnd \u00e9 \ud83d\ude00 ok"}`
	want := "Who signs at Zoë's \"Ångström\" team?\nAnd é 😀 ok"
	for _, size := range []int{1, 2, 3, 7, len(raw)} {
		var got strings.Builder
		deltas := 0
		f := &fieldStreamer{field: "question", emit: func(s string) { got.WriteString(s); deltas++ }}
		for i := 0; i < len(raw); i += size {
			f.Write(raw[i:min(len(raw), i+size)])
		}
		if got.String() != want {
			t.Errorf("chunks of %d: got %q, want %q", size, got.String(), want)
		}
		if size == 1 && deltas < 20 {
			t.Errorf("chunks of 1 arrived in %d deltas; the question should stream", deltas)
		}
	}
}
