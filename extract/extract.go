// Package extract turns a CSM's answer into structured findings without a model: the
// offline engine's extraction. Rules are written for the way CSMs answer — terse fragments, lists with
// semicolons, first names — and prefer leaving a field out to guessing it, because every value is shown
// to a successor as something the CSM said.
package extract

import (
	"maps"
	"sort"
	"strings"
	"time"
)

// Types of findings. These strings are stored and shown; keep them exactly.
const (
	Risk              = "risk"
	Stakeholder       = "stakeholder"
	Upsell            = "upsell"
	Renewal           = "renewal"
	Commitment        = "commitment"
	OpenIssue         = "open_issue"
	Workaround        = "workaround"
	EscalationContact = "escalation_contact"
	Feedback          = "feedback"
	Process           = "process"
	Decision          = "decision"
	ShadowSystem      = "shadow_system"
	// What a successor needs to run the account, not only to keep it: the success plan (objectives, KPIs,
	// QBR takeaways, the features the customer values or ignores), the implementation (package, go-live,
	// the customer's other systems), where the documents live, the advocacy given and promised, and the
	// meetings that matter with what was agreed in them.
	Objective = "objective"
	System    = "system"
	Document  = "document"
	Advocacy  = "advocacy"
	Meeting   = "meeting"
)

// Context is what is known about the text: the question's topics (the interview's topic keys), the account's name
// ("" for portfolio-wide answers), the names of all accounts (so they are not taken for people), the
// CSM's name, and the interview's date (to resolve "next Friday", "end of the month", "31 January").
type Context struct {
	Topics   []string
	Account  string
	Accounts []string
	CSMName  string
	Today    time.Time
}

// Finding is one structured fact. Text is the sentence (or clause) it came from, verbatim from the
// input; Start and End are its byte offsets in the input. Fields hold typed values as strings (dates as
// YYYY-MM-DD, money as a plain number like "60000", probabilities as "0.7"); only fields that were
// found are present.
type Finding struct {
	Type   string
	Text   string
	Start  int
	End    int
	Fields map[string]string
	// Confidence is how sure the rule is, 0 to 1; 0 when the rule does not say (a fact stated in so many
	// words is sure, one inferred from signals is not).
	Confidence float64
}

// The order findings of one sentence are listed in: people first, then the account's state, then
// the work in flight, then portfolio knowledge.
var typeOrder = map[string]int{Stakeholder: 0, Risk: 1, Renewal: 2, Upsell: 3, Commitment: 4, OpenIssue: 5,
	Workaround: 6, EscalationContact: 7, Feedback: 8, Process: 9, Decision: 10, ShadowSystem: 11, Objective: 12, System: 13,
	Document: 14, Advocacy: 15, Meeting: 16}

var extractors = []func(*doc) []Finding{stakeholders, risk, renewal, upsell, commitments, openIssues,
	workarounds, escalations, feedback, processes, decisions, shadowSystems, objectives, systems, documents, advocacy, meetings}

// Offline extracts findings from one answer with rules. It never fails; it returns nil when it finds
// nothing. The same input gives the same output. Sentences addressed to the system (WithoutDirectives)
// are not read: an instruction is not a statement about the account.
//
// The same text in the same context always reads the same, so readings are kept for a while: the
// interviewer and the capture read each answer once between them.
func Offline(text string, c Context) []Finding {
	key := strings.Join([]string{text, strings.Join(c.Topics, ","), c.Account, strings.Join(c.Accounts, "\x01"), c.CSMName,
		c.Today.Format(time.DateOnly)}, "\x00")
	found, ok := offlineMemo.get(key)
	if !ok {
		found = offline(text, c)
		offlineMemo.put(key, found)
	}
	out := make([]Finding, len(found))
	for i, f := range found {
		f.Fields = maps.Clone(f.Fields) // a caller may change its copy
		out[i] = f
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var offlineMemo memo[[]Finding]

func offline(text string, c Context) []Finding {
	text, _ = WithoutDirectives(text)
	d := newDoc(text, c)
	var out []Finding
	for _, x := range extractors {
		out = append(out, x(d)...)
	}
	if len(out) == 0 {
		return nil
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return typeOrder[a.Type] < typeOrder[b.Type]
	})
	return out
}

type doc struct {
	text    string
	c       Context
	topics  map[string]bool
	sents   []span
	neg     []bool // the sentence says there is nothing to report
	promise []span // where the CSM promised something, from the promise to the clause's end
	people  []mention
	toWhom  map[int]string // sentence index → whom its dated item was promised to, said in the next sentence
}

func newDoc(text string, c Context) *doc {
	d := &doc{text: text, c: c, topics: map[string]bool{}, sents: sentences(text), toWhom: map[int]string{}}
	for _, t := range c.Topics {
		d.topics[t] = true
	}
	for _, s := range d.sents {
		d.neg = append(d.neg, isNothing(text[s.start:s.end]))
		for _, cl := range clauses(text, s) {
			// The promise runs from its verb to the clause's end; what comes before may be another fact.
			if loc := promiseRE.FindStringIndex(text[cl.start:cl.end]); loc != nil {
				d.promise = append(d.promise, span{cl.start + loc[0], cl.end})
			} else if loc := toldRE.FindStringIndex(text[cl.start:cl.end]); loc != nil && len(dates(text, cl, c.Today)) > 0 {
				d.promise = append(d.promise, span{cl.start + loc[0], cl.end}) // "ive told dan end of jan"
			}
		}
	}
	d.findPeople()
	return d
}

func (d *doc) has(topic string) bool { return d.topics[topic] }

func (d *doc) at(sp span) string { return d.text[sp.start:sp.end] }

// promised reports whether sp overlaps a promise: what was promised is a commitment, not a renewal
// date or an open issue of its own.
func (d *doc) promised(sp span) bool {
	for _, p := range d.promise {
		if sp.start < p.end && p.start < sp.end {
			return true
		}
	}
	return false
}

// unpromised cuts sp before the first promise in it.
func (d *doc) unpromised(sp span) span {
	for _, p := range d.promise {
		if p.start < sp.end && sp.start < p.end {
			sp.end = max(sp.start, min(sp.end, p.start))
		}
	}
	return sp
}

func (d *doc) mentionsIn(sp span) []mention {
	var out []mention
	for _, m := range d.people {
		if sp.contains(m.sp) {
			out = append(out, m)
		}
	}
	return out
}

// finding makes a finding of sp, keeping only fields with a value; ok is false when none has one.
func (d *doc) finding(typ string, sp span, fields map[string]string) (Finding, bool) {
	f := map[string]string{}
	for k, v := range fields {
		if v = clean(v); v != "" {
			f[k] = v
		}
	}
	if len(f) == 0 {
		return Finding{}, false
	}
	return Finding{Type: typ, Text: d.text[sp.start:sp.end], Start: sp.start, End: sp.end, Fields: f}, true
}

// A sentence that only says there is nothing ("None.", "Nothing open right now.", "No upsell in
// progress."). "No risk" is left out: it is a low risk, not an empty answer.
var (
	nothingRE   = compile(`(?i)^\W*(?:no|none|nothing|nope|n/?a|not really|not that i know|there (?:is|are)n'?t any|there (?:is|are) no|(?:we|i) have no|not at the moment)\b`)
	noCommaRE   = compile(`(?i)^\W*(?:no|nope),\s*`)
	butRE       = compile(`(?i)\b(?:but|except|apart|besides|other than|only|although|however|risk|churn)\b|\d`)
	hasLetterRE = compile(`\pL`)
)

func isNothing(s string) bool {
	if loc := noCommaRE.FindStringIndex(s); loc != nil && hasLetterRE.MatchString(s[loc[1]:]) {
		return isNothing(s[loc[1]:])
	}
	return nothingRE.MatchString(s) && len(strings.Fields(s)) <= 8 && !butRE.MatchString(s)
}

// span of sentences first..last, for a finding gathered from several sentences.
func (d *doc) spanOf(first, last int) span { return span{d.sents[first].start, d.sents[last].end} }
