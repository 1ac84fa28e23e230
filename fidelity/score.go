package fidelity

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Scores are how well a run understood its persona; each is a share from 0 to 1 with the counts it was
// taken over, so that an empty count reads as "nothing to score" rather than as perfect.
type Scores struct {
	Risk            Share // accounts whose risk level is the one the CSM meant
	Contradictions  Share // planted contradictions with the CRM that the report lists (recall)
	PersonPrecision Share // people the report names who are people of the persona
	PersonRecall    Share // people of the persona the report names
	WrongIntros     int   // introduction e-mail recipients who are not people, or left, on leave, or not to be contacted
	CommitmentDates Share // commitments found with their own due date
	GapPrecision    Share // gaps the report lists that were not answered anywhere
	AlreadyAnswered Share // questions asked whose every topic had been answered before (lower is better)
	// TopicAttribution compares, answer by answer, the pairs the report says an answer covers with the
	// pairs it covers in truth.
	TopicAttribution Pairs
	// AnsweredPairs are the pairs the persona got to answer: a question the interviewer left out because
	// it read the pair as answered already, when it was not, leaves the pair unanswered.
	AnsweredPairs Share
}

// Pairs counts pairs right (in both), said (by the product) and true (in the truth).
type Pairs struct{ Right, Said, True int }

// Value is the F1 of precision Right/Said and recall Right/True, 1 when there is nothing to count.
func (p Pairs) Value() float64 {
	if p.Said+p.True == 0 {
		return 1
	}
	return 2 * float64(p.Right) / float64(p.Said+p.True)
}

// Add sums two counts.
func (p Pairs) Add(o Pairs) Pairs { return Pairs{p.Right + o.Right, p.Said + o.Said, p.True + o.True} }

// Share is Good out of All.
type Share struct{ Good, All int }

// Value is the share, 1 when there is nothing to count.
func (s Share) Value() float64 {
	if s.All == 0 {
		return 1
	}
	return float64(s.Good) / float64(s.All)
}

func (s Share) String() string { return fmt.Sprintf("%.3f (%d/%d)", s.Value(), s.Good, s.All) }

// Add sums two shares.
func (s Share) Add(o Share) Share { return Share{s.Good + o.Good, s.All + o.All} }

// Score reads a run's report against its persona's truth.
func Score(p Persona, run Run) Scores {
	var sc Scores
	var notPeople []string
	for _, tr := range p.Truth {
		for _, np := range tr.NotPeople {
			notPeople = append(notPeople, strings.ToLower(np))
		}
	}
	whoIs := p.whoIs

	found := map[string]bool{} // truth names found
	for _, ra := range run.Report.Accounts {
		tr, ok := p.Truth[ra.Name]
		if !ok {
			continue
		}
		sc.Risk.All++
		level := ra.Risk.Stated // the level the CSM was understood to give, else the rule's
		if level == "" {
			level = ra.Risk.Level
		}
		if level == tr.Risk {
			sc.Risk.Good++
		}
		seen := map[string]bool{}
		for _, f := range ra.Findings {
			if f.Type != "stakeholder" || f.Fields["name"] == "" || seen[f.Fields["name"]] {
				continue
			}
			seen[f.Fields["name"]] = true
			sc.PersonPrecision.All++
			if pf, ok := whoIs(f.Fields["name"]); ok {
				sc.PersonPrecision.Good++
				found[pf.Name] = true
			}
		}
		for _, to := range ra.IntroEmail.To {
			pf, ok := whoIs(to)
			if !ok || pf.Status == "left" || pf.Status == "on_leave" || pf.DoNotContact || slices.Contains(notPeople, strings.ToLower(to)) {
				sc.WrongIntros++
			}
		}
		for _, c := range tr.Commitments {
			sc.CommitmentDates.All++
			due := shiftDate(c.Due, run.Shift)
			for _, f := range ra.Findings {
				if f.Type == "commitment" && f.Fields["due_date"] == due {
					sc.CommitmentDates.Good++
					break
				}
			}
		}
		for _, c := range tr.Contradictions {
			sc.Contradictions.All++
			for _, rc := range run.Report.Contradictions {
				if rc.Account == ra.Name && contradictionKind(rc.CRM) == c.Kind {
					sc.Contradictions.Good++
					break
				}
			}
		}
	}
	said := strings.ToLower(run.said())
	for _, tr := range p.Truth {
		for _, pf := range tr.People {
			if run.Sent != nil && !namedIn(said, pf) {
				continue // never named in what the persona got to say: no interview could know them
			}
			sc.PersonRecall.All++
			if found[pf.Name] {
				sc.PersonRecall.Good++
			}
		}
	}
	// A gap is wrong where the CSM answered the pair: in what the persona got to say, when the run says
	// what was sent (a pair whose answer the interview never asked for is rightly a gap), else anywhere.
	answered := run.answered()
	covered := answered
	if run.Sent == nil {
		covered = map[Coverage]bool{}
		for _, an := range p.Answers {
			for _, c := range an.Covers {
				covered[c] = true
			}
		}
	}
	for _, g := range run.Report.Gaps {
		sc.GapPrecision.All++
		if !covered[Coverage{g.Account, g.Topic}] {
			sc.GapPrecision.Good++
		}
	}
	sc.TopicAttribution = topicAttribution(run)
	for _, an := range p.Answers {
		sc.AnsweredPairs.All++
		if answered[Coverage{an.Account, an.Topic}] {
			sc.AnsweredPairs.Good++
		}
	}
	for _, q := range run.Asked {
		if q.Kind == "closing" || q.Kind == "readback" {
			continue
		}
		sc.AlreadyAnswered.All++
		if q.AlreadyAnswered {
			sc.AlreadyAnswered.Good++
		}
	}
	return sc
}

// topicAttribution pairs the report's transcript answers, in order, with what the persona sent, and
// counts the pairs of the answers the truth speaks for.
func topicAttribution(run Run) Pairs {
	var p Pairs
	n := 0
	for _, m := range run.Report.Transcript {
		if m.Role != "csm" {
			continue
		}
		if n >= len(run.Sent) {
			break
		}
		s := run.Sent[n]
		n++
		if !s.Scored {
			continue
		}
		said := map[Coverage]bool{}
		for _, c := range m.Covers {
			said[c] = true
		}
		p.Said += len(said)
		p.True += len(s.Covers)
		for _, c := range s.Covers {
			if said[c] {
				p.Right++
			}
		}
	}
	return p
}

// contradictionKind reads which kind of contradiction the report's CRM side is about.
func contradictionKind(crm string) string {
	c := strings.ToLower(crm)
	switch {
	case strings.Contains(c, "renew"):
		return "renewal_date"
	case strings.Contains(c, "opportunit"):
		return "opportunity"
	}
	return "health"
}

// Print writes the scores as `name value` lines, each name prefixed.
func (sc Scores) Print(w io.Writer, prefix string) {
	fmt.Fprintf(w, "%srisk_accuracy %.3f\n", prefix, sc.Risk.Value())
	fmt.Fprintf(w, "%scontradiction_recall %.3f\n", prefix, sc.Contradictions.Value())
	fmt.Fprintf(w, "%sperson_precision %.3f\n", prefix, sc.PersonPrecision.Value())
	fmt.Fprintf(w, "%sperson_recall %.3f\n", prefix, sc.PersonRecall.Value())
	fmt.Fprintf(w, "%swrong_intro_recipients %d\n", prefix, sc.WrongIntros)
	fmt.Fprintf(w, "%scommitment_date_accuracy %.3f\n", prefix, sc.CommitmentDates.Value())
	fmt.Fprintf(w, "%sgap_precision %.3f\n", prefix, sc.GapPrecision.Value())
	fmt.Fprintf(w, "%sgaps_listed %d\n", prefix, sc.GapPrecision.All) // every pair of a persona is answered somewhere: 0 is right
	fmt.Fprintf(w, "%salready_answered_questions %.3f\n", prefix, sc.AlreadyAnswered.Value())
	fmt.Fprintf(w, "%stopic_attribution %.3f\n", prefix, sc.TopicAttribution.Value())
	fmt.Fprintf(w, "%sanswered_pairs %.3f\n", prefix, sc.AnsweredPairs.Value())
}

// Sum adds the scores of several runs.
func (sc Scores) Sum(o Scores) Scores {
	return Scores{Risk: sc.Risk.Add(o.Risk), Contradictions: sc.Contradictions.Add(o.Contradictions),
		PersonPrecision: sc.PersonPrecision.Add(o.PersonPrecision), PersonRecall: sc.PersonRecall.Add(o.PersonRecall),
		WrongIntros: sc.WrongIntros + o.WrongIntros, CommitmentDates: sc.CommitmentDates.Add(o.CommitmentDates),
		GapPrecision: sc.GapPrecision.Add(o.GapPrecision), AlreadyAnswered: sc.AlreadyAnswered.Add(o.AlreadyAnswered),
		TopicAttribution: sc.TopicAttribution.Add(o.TopicAttribution), AnsweredPairs: sc.AnsweredPairs.Add(o.AnsweredPairs)}
}

// answered are the pairs the persona's sent answers cover in truth.
func (run Run) answered() map[Coverage]bool {
	out := map[Coverage]bool{}
	for _, s := range run.Sent {
		for _, c := range s.Covers {
			out[c] = true
		}
	}
	return out
}

// said is everything the persona typed in the run.
func (run Run) said() string {
	var b strings.Builder
	for _, s := range run.Sent {
		b.WriteString(s.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// namedIn reports whether lower-case text names the person in any of the ways the truth lists, as whole
// words.
func namedIn(text string, pf PersonFact) bool {
	for _, n := range append([]string{pf.Name}, pf.Mentions...) {
		n = strings.ToLower(strings.TrimSpace(n))
		for i := strings.Index(text, n); n != "" && i >= 0; {
			end := i + len(n)
			if (i == 0 || !isWordByte(text[i-1])) && (end == len(text) || !isWordByte(text[end])) {
				return true
			}
			next := strings.Index(text[i+1:], n)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return false
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b >= 0x80 }

// whoIs finds the person of the persona a name stands for: any way the truth names them, whatever the
// case, or a first name the truth has in full, or the name with a role after it ("Karen Liu (VP Ops)").
func (p Persona) whoIs(name string) (PersonFact, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, title := range []string{"dr. ", "dr ", "mr. ", "mr ", "mrs. ", "mrs ", "ms. ", "ms ", "prof. "} {
		n = strings.TrimPrefix(n, title) // "Dr. Ingrid Halvorsen" is Ingrid Halvorsen
	}
	if n == "" {
		return PersonFact{}, false
	}
	var prefixed *PersonFact
	for _, tr := range p.Truth {
		for i, pf := range tr.People {
			for _, k := range append([]string{pf.Name}, pf.Mentions...) {
				k = strings.ToLower(k)
				if k == n {
					return pf, true
				}
				if prefixed == nil && (strings.HasPrefix(n, k+" ") || strings.HasPrefix(k, n+" ")) {
					prefixed = &tr.People[i]
				}
			}
		}
	}
	if prefixed != nil {
		return *prefixed, true
	}
	return PersonFact{}, false
}
