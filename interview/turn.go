package interview

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/store"
)

// pledgeRE finds a promise said as one, not as what a meeting agreed.
var pledgeRE = regexp.MustCompile(`(?i)\b(promis\w*|committed|commit to|owe|i'll|we'll|i will|we will)\b`)

// move is what the next interviewer message is about, decided by the rules before anyone words it.
type move struct {
	kind       string // question, follow_up, closing, farewell
	account    *store.Account
	topics     []string
	section    string            // template section (questions.txt or followups.txt)
	fields     map[string]string // extra template fields of a follow-up (Quote, Name, Date)
	transition string            // section to open with when moving to another account
}

// judgeAnswer updates coverage for the topics of the question q from everything the CSM said about them,
// and for every other pair the answer covers (judgeContent); it returns the pairs the answer newly covered
// that the plan had not asked yet.
func judgeAnswer(st *State, cov map[[2]string]*store.CoverageItem, q, answer *store.Message) []about.Pair {
	if q == nil {
		return nil
	}
	var took []about.Pair
	if answer.Kind == KindAnswer {
		took = judgeContent(st, cov, answer)
	}
	if q.Kind == KindClosing {
		return took
	}
	for _, t := range q.Topics {
		c := cov[[2]string{q.AccountID, t}]
		if c == nil {
			continue
		}
		if answer.Kind == KindSkip {
			if c.State != Covered && c.State != Partial {
				c.State = Skipped
			}
			continue
		}
		text := st.answersAbout(q.AccountID, t)
		s := judge(t, text)
		if s == Partial && st.statesAFact(q, t, text) {
			s = Covered
		}
		if rank(s) > rank(c.State) || c.State == Skipped {
			c.State = s
		}
	}
	return took
}

func rank(state string) int {
	return map[string]int{Missing: 0, Skipped: 0, Partial: 1, Covered: 2}[state]
}

// followUpFor applies the follow-up rules to an answer of question q, in order of what a good interviewer
// would ask first: something specific the CSM said (a person without a role, a risk, a promise, a
// workaround, a document without its place, a reference without its price, a meeting without its outcome,
// a bare date), then a vague answer, then a topic the answer left out. It returns nil when no follow-up is due (or none is left for the topic).
func followUpFor(st *State, cov map[[2]string]*store.CoverageItem, q, answer *store.Message) *move {
	if q == nil || answer.Kind != KindAnswer || q.Kind == KindClosing {
		return nil
	}
	acc := st.account(q.AccountID)
	if acc != nil && acc.Depth == "brief" {
		return nil // the time budget gives brief accounts no follow-ups
	}
	open := func(preferred ...string) string {
		for _, t := range append(preferred, q.Topics...) {
			if !slices.Contains(q.Topics, t) {
				continue
			}
			if c := cov[[2]string{q.AccountID, t}]; c != nil && c.FollowUps < MaxFollowUps && c.State != Covered {
				return t
			}
		}
		return ""
	}
	// Rules that probe something the CSM said apply even when the topic already reads as covered, but
	// never beyond the follow-up limit.
	openAny := func(preferred ...string) string {
		for _, t := range append(preferred, q.Topics...) {
			if !slices.Contains(q.Topics, t) {
				continue
			}
			if c := cov[[2]string{q.AccountID, t}]; c != nil && c.FollowUps < MaxFollowUps {
				return t
			}
		}
		return ""
	}
	// What the answer tells the system to do is not something the CSM said about the account.
	text, _ := extract.WithoutDirectives(answer.Content)
	fu := func(topic, section string, fields map[string]string) *move {
		if topic == "" {
			return nil
		}
		return &move{kind: KindFollowUp, account: acc, topics: []string{topic}, section: section, fields: fields}
	}
	day := dayOf(*answer)
	said := st.extracted(text, q, day)
	if slices.ContainsFunc(q.Topics, func(t string) bool { return slices.Contains(peopleTopics, t) }) {
		exclude := []string{st.Interview.CSMName}
		for _, a := range st.Accounts {
			exclude = append(exclude, a.Name)
		}
		if name := personWithoutRole(st.ofAccount(said, text, q.AccountID), st.extractedAbout(q.AccountID), st.answersOf(q.AccountID), exclude); name != "" {
			section := "person_role"
			if acc == nil {
				section = "person_role:portfolio"
			}
			if m := fu(openAny("stakeholders", "communication", "escalation_paths"), section, map[string]string{"Name": name}); m != nil {
				return m
			}
		}
	}
	if slices.Contains(q.Topics, "churn_risk") && !becauseRE.MatchString(text) {
		if f, ok := riskWithoutReason(said); ok {
			if m := fu(openAny("churn_risk"), "risk_detail", map[string]string{"Quote": shortQuote(f.Text)}); m != nil {
				return m
			}
		}
	}
	// A promise to a customer needs a day to hold to; what the CSM will do for their successor needs none.
	// "We agreed to…" in an answer about the last meetings is the outcome the question asked for, not a
	// promise that needs a day: only a promise in other words ("I promised", "we'll send") asks for one there.
	outcome := slices.Contains(q.Topics, "history") && !slices.Contains(q.Topics, "commitments") && !pledgeRE.MatchString(text)
	if sentence, when, ok := undatedPromise(text, day, slices.Contains(q.Topics, "commitments")); ok && acc != nil && !outcome {
		section, fields := "promise_date", map[string]string{"Quote": quote(text, promiseRE)}
		if when != "" {
			// "after the holidays", "next Friday", "soon": a day the successor cannot hold anyone to.
			section, fields = "firm_date", map[string]string{"Quote": sentence, "Date": when}
		}
		if m := fu(openAny("commitments"), section, fields); m != nil {
			return m
		}
	}
	if slices.Contains(q.Topics, "workarounds") && !detailRE.MatchString(text) {
		if f, ok := workaroundWithoutDetail(text, said); ok {
			if m := fu(openAny("workarounds"), "workaround_detail", map[string]string{"Quote": shortQuote(f.Text)}); m != nil {
				return m
			}
		}
	}
	// A document a successor cannot find, a reference whose price nobody knows, a meeting whose outcome
	// nobody wrote down: each asks for the one thing missing.
	for _, r := range []struct {
		topic, section string
		what, answers  *regexp.Regexp
	}{
		{"documents", "document_where", documentRE, locatedRE},
		{"advocacy", "advocacy_return", referenceRE, inReturnRE},
		{"history", "meeting_agreed", meetingRE, agreedRE},
	} {
		if !slices.Contains(q.Topics, r.topic) || acc == nil {
			continue
		}
		if s, ok := unanswered(text, r.what, r.answers); ok {
			if m := fu(openAny(r.topic), r.section, map[string]string{"Quote": shortQuote(s)}); m != nil {
				return m
			}
		}
	}
	if ds := extract.FindDates(text, day); len(ds) > 0 && wordCount(text) < 15 {
		d := ds[0].Text
		// A bare date in an answer about work in flight needs explaining; a renewal date is expected in an
		// answer about the renewal, and a date in an answer about the risk says since when ("since nov").
		var topic string
		for _, t := range []string{"commitments", "open_issues", "upsell"} {
			if slices.Contains(q.Topics, t) && topic == "" {
				topic = open(t)
			}
		}
		if m := fu(topic, "date_detail", map[string]string{"Date": d}); m != nil {
			return m
		}
	}
	if isVague(text) {
		if t := open(); t != "" {
			return fu(t, "vague:"+t, nil)
		}
	}
	// A question about several topics whose answer left one out.
	if len(q.Topics) > 1 {
		for _, t := range q.Topics {
			if c := cov[[2]string{q.AccountID, t}]; c != nil && c.State == Partial && c.FollowUps < MaxFollowUps && !topicSignals[t].MatchString(text) {
				return fu(t, "missing:"+t, nil)
			}
		}
	}
	return nil
}

// nextMove returns the next planned question, the closing question once everything was asked, or the
// farewell after the closing question was answered. A planned question is due while one of its topics
// was neither asked nor covered by what the CSM said; when the answers already cover some of its topics,
// it asks only for the others.
func nextMove(st *State, cov map[[2]string]*store.CoverageItem) move {
	if q := st.lastQuestion(); q != nil && q.Kind == KindClosing {
		return move{kind: KindFarewell}
	}
	prev := st.lastQuestion()
	for _, s := range steps(st.Accounts) {
		accountID := ""
		if s.account != nil {
			accountID = s.account.ID
		}
		var pendingTopics []string
		for _, t := range s.group.topics {
			c := cov[[2]string{accountID, t}]
			if c == nil || c.Asked > 0 {
				continue
			}
			// An opportunity the CRM lists and no answer has named is checked with the CSM, even when
			// what they said of upsells reads as covered: the CRM may be wrong. Once an answer that touched
			// upsells named it, that is what the question would have asked.
			// (judgeContent then reads upsells as covered.)
			if c.State == Missing || c.State == Partial || t == "upsell" && s.account != nil && st.unmentionedOpportunity(*s.account) {
				pendingTopics = append(pendingTopics, t)
			}
		}
		if len(pendingTopics) == 0 {
			continue
		}
		m := move{kind: KindQuestion, account: s.account, topics: s.group.topics, section: s.group.key}
		if len(pendingTopics) < len(s.group.topics) {
			// What the CSM already said answers part of the question: ask only for the rest.
			var labels []string
			for _, t := range pendingTopics {
				labels = append(labels, strings.ToLower(mustTopic(t).Label))
			}
			m.topics, m.section, m.fields = pendingTopics, "remaining", map[string]string{"Missing": andList(labels)}
		}
		m.transition = transitionFor(prev, s)
		return m
	}
	if st.askedClosing() {
		// The closing question was asked and answered already, and a question someone asked came in
		// between: the farewell follows rather than the same closing question again.
		return move{kind: KindFarewell}
	}
	return move{kind: KindClosing, section: "closing"}
}

func transitionFor(prev *store.Message, s step) string {
	prevAccount := ""
	if prev != nil {
		prevAccount = prev.AccountID
	}
	switch {
	case s.account == nil && (prev == nil || prevAccount != ""):
		return "transition_portfolio"
	case s.account == nil:
		return ""
	case prev == nil:
		return "transition_first"
	case prevAccount == s.account.ID:
		return ""
	case s.account.Depth == "brief" && prevAccount == "":
		return "transition_brief"
	default:
		return "transition"
	}
}

// gapsText names up to three topics in the given states, then how many more, for the farewell.
func gapsText(st *State, cov map[[2]string]*store.CoverageItem, states ...string) string {
	return gaps(st, cov, true, states...)
}

// gaps names up to three topics in the given states; with more, it says how many others there are.
func gaps(st *State, cov map[[2]string]*store.CoverageItem, more bool, states ...string) string {
	var out []string
	count := 0
	for _, s := range steps(st.Accounts) {
		accountID := ""
		if s.account != nil {
			accountID = s.account.ID
		}
		for _, t := range s.group.topics {
			c := cov[[2]string{accountID, t}]
			if c == nil || !slices.Contains(states, c.State) {
				continue
			}
			count++
			if len(out) < 3 {
				label := strings.ToLower(mustTopic(t).Label)
				if s.account != nil {
					label += " at " + s.account.Name
				}
				out = append(out, label)
			}
		}
	}
	if more && count > len(out) {
		out = append(out, "and "+itoa(count-len(out))+" more")
	}
	if !more && len(out) > 1 {
		return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
	}
	return strings.Join(out, ", ")
}

func mustTopic(key string) Topic {
	t, _ := TopicByKey(key)
	return t
}

// opportunityGeneric are words of a CRM opportunity's name that do not tell it from another.
var opportunityGeneric = map[string]bool{"add-on": true, "addon": true, "upsell": true, "opportunity": true, "seats": true,
	"expansion": true, "renewal": true, "license": true, "licenses": true, "licence": true, "licences": true, "users": true,
	"upgrade": true, "module": true, "product": true, "plan": true, "tier": true, "deal": true}

// unmentionedOpportunity reports whether the CRM lists an open opportunity at the account that no answer
// of the CSM has named by a word of its name (of four letters or more, not a generic one).
func (st *State) unmentionedOpportunity(a store.Account) bool {
	opp := strings.ToLower(strings.TrimSpace(a.CRMOpenOpportunity))
	if opp == "" {
		return false
	}
	var said strings.Builder
	for _, m := range st.Messages {
		if m.Role == "csm" && m.Kind == KindAnswer {
			said.WriteString(strings.ToLower(m.Content))
			said.WriteByte('\n')
		}
	}
	words := strings.FieldsFunc(opp, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
	distinctive := 0
	for _, w := range words {
		if len([]rune(w)) < 4 || opportunityGeneric[w] {
			continue
		}
		distinctive++
		if strings.Contains(said.String(), w) {
			return false
		}
	}
	return distinctive > 0 || !strings.Contains(said.String(), opp)
}
