package interview

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/store"
)

// Engine decides the next turn of an interview. emit receives the wording of the next question as it is
// produced (a model streams it; the offline engine sends it at once); the Decision is what counts.
type Engine interface {
	Decide(ctx context.Context, st *State, emit func(string)) (Decision, error)
}

// Offline is the built-in interviewer: written templates, rule-based follow-ups and coverage. It needs no
// model and no network, and is the default.
type Offline struct {
	questions map[string][]*template.Template
	followUps map[string][]*template.Template
	version   string
	now       func() time.Time
}

// NewOffline parses the templates in prompts/; a broken template fails here, at start.
func NewOffline() (*Offline, error) {
	q, err := parseSections("questions.txt")
	if err != nil {
		return nil, err
	}
	f, err := parseSections("followups.txt")
	if err != nil {
		return nil, err
	}
	for _, g := range append(append([]group{}, deepGroups...), briefGroups...) {
		if q[g.key] == nil {
			return nil, fmt.Errorf("questions.txt has no [%s]", g.key)
		}
	}
	for _, t := range append(append([]string{}, PortfolioTopics...), "intro", "closing", "farewell", "farewell_again", "steer_back", "took", "remaining", "transition", "transition_first", "transition_portfolio", "transition_brief") {
		if q[t] == nil {
			return nil, fmt.Errorf("questions.txt has no [%s]", t)
		}
	}
	for _, t := range Topics {
		if f["vague:"+t.Key] == nil {
			return nil, fmt.Errorf("followups.txt has no [vague:%s]", t.Key)
		}
	}
	return &Offline{questions: q, followUps: f, version: prompts.Version("questions.txt", "followups.txt"), now: time.Now}, nil
}

func parseSections(file string) (map[string][]*template.Template, error) {
	sections, err := prompts.Sections(file)
	if err != nil {
		return nil, err
	}
	out := map[string][]*template.Template{}
	for name, variants := range sections {
		for i, v := range variants {
			t, err := template.New(fmt.Sprintf("%s[%s]#%d", file, name, i)).Option("missingkey=zero").Parse(v)
			if err != nil {
				return nil, fmt.Errorf("prompt %s: %w", file, err)
			}
			out[name] = append(out[name], t)
		}
	}
	return out, nil
}

// Decide judges the pending answer, then asks a follow-up, the next planned question, the closing question
// or says farewell.
func (o *Offline) Decide(_ context.Context, st *State, emit func(string)) (Decision, error) {
	cov := st.coverage()
	var d Decision
	if len(st.Messages) == 0 {
		intro, err := o.say(o.questions, "intro", "", o.fields(st, nil, nil))
		if err != nil {
			return Decision{}, err
		}
		d.Messages = append(d.Messages, o.out(KindIntro, intro, nil, nil))
	}
	q, answer := st.pending()
	var m move
	var took []about.Pair
	if answer != nil {
		took = judgeAnswer(st, cov, q, answer)
		if fu := followUpFor(st, cov, q, answer); fu != nil {
			m = *fu
		}
	}
	if m.kind == "" {
		m = nextMove(st, cov)
	}
	text, err := o.word(st, cov, m)
	if err != nil {
		return Decision{}, err
	}
	if m.kind == KindFollowUp && st.asked(text) {
		// The same follow-up again would not get a better answer: move on.
		m = nextMove(st, cov)
		if text, err = o.word(st, cov, m); err != nil {
			return Decision{}, err
		}
	}
	if len(took) > 0 && (m.kind == KindQuestion || m.kind == KindClosing) {
		// Say what the answer gave for questions still to come, so the CSM sees why they are not asked.
		said, err := o.say(o.questions, "took", "", map[string]string{"Took": tookText(st, took)})
		if err != nil {
			return Decision{}, err
		}
		text = said + " " + text
	}
	if answer != nil && m.kind != KindFarewell && personal.Found(answer.Content) {
		// Reasons for leaving are theirs: acknowledged, kept out of the notes, and back to the handover.
		steer, err := o.say(o.questions, "steer_back", answer.ID, o.fields(st, nil, nil))
		if err != nil {
			return Decision{}, err
		}
		text = steer + " " + text
	}
	out := o.out(m.kind, text, m.account, m.topics)
	emitWords(text, emit)
	d.Messages = append(d.Messages, out)
	d.Done = m.kind == KindFarewell
	countAsked(cov, out)
	d.Coverage = flatten(cov)
	return d, nil
}

// countAsked records that a question was asked, so the plan moves on and follow-ups stop at their limit.
func countAsked(cov map[[2]string]*store.CoverageItem, out Outgoing) {
	for _, t := range out.Topics {
		c := cov[[2]string{out.AccountID, t}]
		if c == nil {
			continue
		}
		if out.Kind == KindFollowUp {
			c.FollowUps++
		} else if out.Kind == KindQuestion {
			c.Asked++
		}
	}
}

// word renders a move with the templates, opening with a transition when the account changes.
func (o *Offline) word(st *State, cov map[[2]string]*store.CoverageItem, m move) (string, error) {
	fields := o.fields(st, cov, m.account)
	for k, v := range m.fields {
		fields[k] = v
	}
	key := ""
	if m.account != nil {
		key = m.account.Name
	}
	var parts []string
	if m.transition != "" {
		t, err := o.say(o.questions, m.transition, key, fields)
		if err != nil {
			return "", err
		}
		parts = append(parts, t)
	}
	var text string
	var err error
	switch m.kind {
	case KindFollowUp:
		text, err = o.say(o.followUps, m.section, key, fields)
	case KindFarewell:
		section := "farewell"
		if st.saidFarewell() {
			// A question asked after the end reopened the interview: the goodbye was said already, so a
			// short word closes it again rather than the whole farewell a second time.
			section = "farewell_again"
			if st.answeredAsked() && st.last().Kind == KindAnswer {
				fields["Replied"] = "yes"
			}
		}
		text, err = o.say(o.questions, section, key, fields)
	default:
		text, err = o.say(o.questions, m.section, key, fields)
	}
	if err != nil {
		return "", err
	}
	return strings.Join(append(parts, text), " "), nil
}

// say renders a section, choosing its variant by the account so consecutive accounts differ.
func (o *Offline) say(set map[string][]*template.Template, section, key string, fields map[string]string) (string, error) {
	variants := set[section]
	if len(variants) == 0 {
		return "", fmt.Errorf("no prompt section [%s]", section)
	}
	h := fnv.New32a()
	h.Write([]byte(key + "/" + section))
	var buf bytes.Buffer
	if err := variants[int(h.Sum32())%len(variants)].Execute(&buf, fields); err != nil {
		return "", fmt.Errorf("render [%s]: %w", section, err)
	}
	return strings.Join(strings.Fields(buf.String()), " "), nil
}

func (o *Offline) out(kind, text string, acc *store.Account, topics []string) Outgoing {
	id := ""
	if acc != nil {
		id = acc.ID
	}
	return Outgoing{Kind: kind, Text: text, AccountID: id, Topics: topics, Engine: "offline", PromptVersion: o.version}
}

// fields are what the templates may use: the account's facts and what the CSM already said about it.
func (o *Offline) fields(st *State, cov map[[2]string]*store.CoverageItem, acc *store.Account) map[string]string {
	f := map[string]string{"CSM": firstName(st.Interview.CSMName)}
	if prev := st.lastQuestion(); prev != nil && prev.AccountID != "" {
		if a := st.account(prev.AccountID); a != nil {
			f["Prev"] = a.Name
		}
	}
	if cov != nil {
		f["Partial"] = gaps(st, cov, false, Partial)
		f["Gaps"] = gapsText(st, cov, Partial, Missing)
	}
	if acc == nil {
		return f
	}
	f["Account"] = acc.Name
	f["AccountPoss"] = possessive(acc.Name)
	f["Facts"] = accountFacts(*acc, o.now())
	if acc.RenewalDate != nil {
		f["Renewal"] = acc.RenewalDate.Format("2 January 2006")
	}
	f["CRMHealth"] = strings.TrimSpace(acc.CRMHealth)
	f["CRMOpportunity"] = strings.TrimSpace(acc.CRMOpenOpportunity)
	said := st.answersOf(acc.ID)
	exclude := []string{st.Interview.CSMName, acc.Name}
	f["Champion"] = roleFact(said, championRE, exclude)
	f["Decider"] = roleFact(said, deciderRE, exclude)
	return f
}

// accountFacts summarises what the book of business says: "€240k ARR, renews 15 March 2027, CRM health green".
func accountFacts(a store.Account, today time.Time) string {
	var parts []string
	if a.ARR != nil {
		parts = append(parts, money.Short(*a.ARR, a.Currency)+" ARR")
	}
	if a.RenewalDate != nil {
		days := int(a.RenewalDate.Sub(today).Hours() / 24)
		when := "renews " + a.RenewalDate.Format("2 January 2006")
		switch {
		case days < 0:
			when = "renewal date " + a.RenewalDate.Format("2 January 2006") + " has passed"
		case days == 0:
			when += " (today)"
		case days <= 120:
			when += " (in " + plural.Count(days, "day", "days") + ")"
		}
		parts = append(parts, when)
	}
	if h := strings.TrimSpace(a.CRMHealth); h != "" {
		parts = append(parts, "CRM health "+h)
	}
	return strings.Join(parts, ", ")
}

func firstName(full string) string {
	if f := strings.Fields(full); len(f) > 0 {
		return f[0]
	}
	return full
}

// possessive writes "Globex's", and "Stark Logistics'" for a name ending in s.
func possessive(name string) string {
	if strings.HasSuffix(name, "s") {
		return name + "'"
	}
	return name + "'s"
}

func itoa(n int) string { return strconv.Itoa(n) }

// emitWords sends a finished text to emit word by word, so the browser shows one way of arriving text.
func emitWords(text string, emit func(string)) {
	if emit == nil {
		return
	}
	words := strings.SplitAfter(text, " ")
	for _, w := range words {
		emit(w)
	}
}

// Farewell ends the interview now: the pending answer, if any, is judged, and the farewell names the gaps.
func (o *Offline) Farewell(st *State) (Decision, error) {
	cov := st.coverage()
	if q, answer := st.pending(); answer != nil {
		judgeAnswer(st, cov, q, answer)
	}
	text, err := o.word(st, cov, move{kind: KindFarewell})
	if err != nil {
		return Decision{}, err
	}
	return Decision{Coverage: flatten(cov), Messages: []Outgoing{o.out(KindFarewell, text, nil, nil)}, Done: true}, nil
}
