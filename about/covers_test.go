package about

import (
	"bufio"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/mention"
)

// coverItem is one labelled answer of testdata/covers.tsv.
type coverItem struct {
	style  string
	asked  Question
	text   string
	covers map[Pair]bool
}

var book = []mention.Account{{ID: "umbrella", Name: "Umbrella Health"}, {ID: "hooli", Name: "Hooli Inc."},
	{ID: "globex", Name: "Globex Corporation"}, {ID: "stark", Name: "Stark Logistics"}, {ID: "initech", Name: "Initech"},
	{ID: "wayne", Name: "Wayne Retail"}}

func accountID(t *testing.T, name string) string {
	if name == "" {
		return ""
	}
	for _, a := range book {
		if a.Name == name {
			return a.ID
		}
	}
	t.Fatalf("%q is not an account of the book", name)
	return ""
}

func readCovers(t *testing.T, path string) []coverItem {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []coverItem
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			t.Fatalf("%s:%d: %d columns, want 4", path, n, len(cols))
		}
		acc, topics, _ := strings.Cut(cols[1], ":")
		it := coverItem{style: cols[0], asked: Question{AccountID: accountID(t, acc), Topics: strings.Split(topics, ",")},
			text: strings.ReplaceAll(cols[2], `\n`, "\n"), covers: map[Pair]bool{}}
		if cols[3] != "-" {
			for _, c := range strings.Split(cols[3], "|") {
				acc, topic, ok := strings.Cut(c, ":")
				if !ok {
					t.Fatalf("%s:%d: %q is not account:topic", path, n, c)
				}
				it.covers[Pair{accountID(t, acc), topic}] = true
			}
		}
		out = append(out, it)
	}
	return out
}

// prf is a pair count for precision and recall.
type prf struct{ right, said, truth int }

func (s prf) precision() float64 { return ratio(s.right, s.said) }
func (s prf) recall() float64    { return ratio(s.right, s.truth) }
func (s prf) f1() float64 {
	p, r := s.precision(), s.recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestCoversOfAFreshCorpus scores the reader on answers written for it (testdata/covers.tsv, five writing
// styles): a pair is right when the labels have it too. The first run, before the reader read content
// (an answer covered exactly the pairs of the question it answered, as capture and coverage did),
// scored precision 0.897, recall 0.903, F1 0.900; the floors below hold what the reader reaches now.
// Answers to the success plan, implementation, history, documents and advocacy questions were added with
// those topics (0.978, 0.968 with them): their asides on other topics ("we agreed at the QBR they'd renew"
// given to the renewal question) are not read as a second topic unless they outscore the topics asked,
// which keeps the new topics from taking sentences of the old ones, and costs recall.
func TestCoversOfAFreshCorpus(t *testing.T) {
	t.Parallel()
	items := readCovers(t, "testdata/covers.tsv")
	if len(items) < 80 {
		t.Fatalf("%d labelled answers, want at least 80", len(items))
	}
	total := scoreCovers(t, items)
	if total.precision() < 0.97 || total.recall() < 0.96 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.97 and 0.96", total.precision(), total.recall())
	}
}

// TestCoversOfASecondCorpus scores the reader on a second set of answers (testdata/covers_fresh.tsv),
// written after the first and kept out of tuning the word lists: negations ("no upsell"), references
// ("as above"), other accounts named in passing, labels in pasted notes. Its first run, before the
// reader was changed for it, scored precision 0.940, recall 0.969, F1 0.954; the floors below hold what the reader reaches now
// (0.950, 0.990, 0.970). Held-out answers to the five topics added later (success plan, implementation,
// history, documents, advocacy) were written before their word lists and not tuned on; with them the set
// scores 0.955, 0.969: the misses are asides on the renewal or an upsell in an answer about a meeting.
func TestCoversOfASecondCorpus(t *testing.T) {
	t.Parallel()
	items := readCovers(t, "testdata/covers_fresh.tsv")
	if len(items) < 60 {
		t.Fatalf("%d labelled answers, want at least 60", len(items))
	}
	total := scoreCovers(t, items)
	if total.precision() < 0.94 || total.recall() < 0.96 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.94 and 0.96", total.precision(), total.recall())
	}
}

// scoreCovers reads every labelled answer, logs precision and recall by style and in all, and returns
// the counts in all.
func scoreCovers(t *testing.T, items []coverItem) prf {
	t.Helper()
	total, _ := scoreCoversByTopic(t, items)
	return total
}

// scoreCoversByTopic is scoreCovers that also returns, and logs, the counts of each topic.
func scoreCoversByTopic(t *testing.T, items []coverItem) (prf, map[string]prf) {
	t.Helper()
	r := NewReader(book)
	byStyle := map[string]prf{}
	byTopic := map[string]prf{}
	for _, it := range items {
		got := map[Pair]bool{}
		for _, p := range Covers(r.Read(it.text, it.asked)) {
			got[p.Pair] = true
		}
		s := byStyle[it.style]
		for p := range got {
			s.said++
			tp := byTopic[p.Topic]
			tp.said++
			if it.covers[p] {
				s.right++
				tp.right++
			} else if testing.Verbose() {
				t.Logf("extra   %v in %.70q", p, it.text)
			}
			byTopic[p.Topic] = tp
		}
		for p := range it.covers {
			s.truth++
			tp := byTopic[p.Topic]
			tp.truth++
			byTopic[p.Topic] = tp
			if !got[p] && testing.Verbose() {
				t.Logf("missing %v in %.70q", p, it.text)
			}
		}
		byStyle[it.style] = s
	}
	var topics []string
	for tp := range byTopic {
		topics = append(topics, tp)
	}
	sort.Strings(topics)
	for _, tp := range topics {
		s := byTopic[tp]
		t.Logf("topic %-18s precision %.3f recall %.3f (%d said, %d labelled)", tp, s.precision(), s.recall(), s.said, s.truth)
	}
	total := prf{}
	var styles []string
	for st, s := range byStyle {
		styles = append(styles, st)
		total = prf{total.right + s.right, total.said + s.said, total.truth + s.truth}
	}
	sort.Strings(styles)
	for _, st := range styles {
		s := byStyle[st]
		t.Logf("%-10s precision %.3f recall %.3f f1 %.3f", st, s.precision(), s.recall(), s.f1())
	}
	t.Logf("%-10s precision %.3f recall %.3f f1 %.3f (%d answers)", "all", total.precision(), total.recall(), total.f1(), len(items))
	return total, byTopic
}

// TestOneAsideIsPartialAFewSentencesAnAnswer: a topic the question did not ask, touched by one sentence
// in passing, is only partly answered (the interviewer still asks for it); two or more sentences with
// evidence of their own answer it, whatever the question was.
func TestOneAsideIsPartialAFewSentencesAnAnswer(t *testing.T) {
	t.Parallel()
	r := NewReader(book)
	asked := Question{AccountID: "umbrella", Topics: []string{"account_overview"}}
	weak := func(text string) (bool, bool) {
		for _, c := range Covers(r.Read(text, asked)) {
			if c.Pair == (Pair{"umbrella", "communication"}) {
				return c.Weak, true
			}
		}
		return false, false
	}
	for _, tc := range []struct {
		text string
		weak bool
	}{
		{"Claims platform for 600 users, live since 2023. Never email or cc their General Counsel.", true},
		{"Claims platform for 600 users, live since 2023.\n- never email or cc Dieter (General Counsel). someone cc'd him on a pricing email once and it became a formal complaint.", false},
		{"They run our scheduling product in 40 clinics. Priya likes a short email on Mondays. Marco only takes calls, never email.", false},
	} {
		w, ok := weak(tc.text)
		if !ok {
			t.Errorf("%q: communication not covered", tc.text)
			continue
		}
		if w != tc.weak {
			t.Errorf("%q: weak %v, want %v", tc.text, w, tc.weak)
		}
	}
}

// TestCoversOfABlindCorpus scores the reader on a third set (testdata/covers_blind.tsv), written by
// someone who had not seen the reader's word lists nor the other two sets, and not tuned on: a change to
// the word lists is judged by whether it holds here. Its first run scored precision 0.912, recall 0.838,
// F1 0.873, well below the sets the lists were written against; the floors hold that.
func TestCoversOfABlindCorpus(t *testing.T) {
	t.Parallel()
	items := readCovers(t, "testdata/covers_blind.tsv")
	if len(items) < 80 {
		t.Fatalf("%d labelled answers, want at least 80", len(items))
	}
	total := scoreCovers(t, items)
	if total.precision() < 0.90 || total.recall() < 0.83 {
		t.Errorf("precision %.3f, recall %.3f: want at least 0.90 and 0.83", total.precision(), total.recall())
	}
}

// TestWordsThatMeanSomethingElse: a phrase whose words look like a topic's and mean something else is no
// evidence of it, while the topic's own use of the word still is.
func TestWordsThatMeanSomethingElse(t *testing.T) {
	t.Parallel()
	r := NewReader(book)
	asked := Question{AccountID: "umbrella", Topics: []string{"stakeholders", "communication"}}
	covers := func(text string, p Pair) bool {
		for _, c := range Covers(r.Read(text, asked)) {
			if c.Pair == p {
				return true
			}
		}
		return false
	}
	risk, issues := Pair{"umbrella", "churn_risk"}, Pair{"umbrella", "open_issues"}
	for _, text := range []string{
		"Do not cc Gareth, he's head of risk and anything we send him in writing goes in their vendor risk register as an incident.",
		"Their Chief Risk Officer sits in on the QBR; the risk committee reviews every vendor each spring.",
	} {
		if covers(text, risk) {
			t.Errorf("%q covers the churn risk", text)
		}
	}
	if !covers("Honestly they are at risk: the new CFO is trialling a competitor and wants to cut tools.", risk) {
		t.Error("a churn risk is no longer read")
	}
	if covers("Priya runs the shops; they use the Zendesk integration for the store tickets and love it.", issues) {
		t.Error("the customer's own store tickets are read as open issues with us")
	}
}

// newTopics are the account topics added for a complete handover.
var newTopics = []string{"success_plan", "implementation", "history", "documents", "advocacy"}

// TestNewTopicsAreReadInBothSets: each added topic has labelled answers in the tuned set and in the
// held-out one, and the reader finds them there without claiming them elsewhere. Before the topics had
// word lists the reader covered them only as the question's topics (recall 0.833 each in the tuned set,
// 0.667 to 0.833 held out).
func TestNewTopicsAreReadInBothSets(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"testdata/covers.tsv", "testdata/covers_fresh.tsv"} {
		_, byTopic := scoreCoversByTopic(t, readCovers(t, file))
		for _, tp := range newTopics {
			s := byTopic[tp]
			if s.truth < 5 {
				t.Errorf("%s: %d labelled answers cover %s, want at least 5", file, s.truth, tp)
			}
			if s.precision() < 0.9 || s.recall() < 0.8 {
				t.Errorf("%s: %s precision %.3f recall %.3f, want at least 0.9 and 0.8", file, tp, s.precision(), s.recall())
			}
		}
	}
}

// TestNewTopicsHaveWordsOfTheirOwn: a line of pasted notes given to another question covers each added
// topic, which only its own word list can do (the question's topics are not it).
func TestNewTopicsHaveWordsOfTheirOwn(t *testing.T) {
	t.Parallel()
	r := NewReader(book)
	for _, tc := range []struct {
		asked []string
		text  string
		topic string
	}{
		{[]string{"upsell"}, "success plan: cut stockouts by 20%, reviewed at every QBR", "success_plan"},
		{[]string{"workarounds"}, "Implementation: Enterprise package, live since March 2024, integrated with Salesforce and Zendesk.", "implementation"},
		{[]string{"renewal"}, "last meeting: EBR on 12 Nov, we agreed a price freeze until they sign", "history"},
		{[]string{"commitments"}, "- MSA + order forms: Salesforce > Globex > Files", "documents"},
		{[]string{"stakeholders"}, "They did a case study for us last spring, in return for early access to the beta.", "advocacy"},
	} {
		found := false
		for _, c := range Covers(r.Read(tc.text, Question{AccountID: "globex", Topics: tc.asked})) {
			found = found || c.Pair == (Pair{"globex", tc.topic})
		}
		if !found {
			t.Errorf("%q (asked %v) does not cover %s", tc.text, tc.asked, tc.topic)
		}
	}
}
