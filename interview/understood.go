package interview

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/store"
)

// What a follow-up may ask is judged by what the capture understands, with the same reader: an answer is
// read by the extraction's rules in the light of the question it answered (extract.Offline), so the
// interviewer asks only for a key fact the handover would otherwise miss:
//
//	follow-up          asked when                                           never when
//	person's role      a person named in an answer about the stakeholders,  anything said about the account
//	                   the communication or the escalation paths            gives them a role or relationship,
//	                                                                        or says they left or must not be
//	                                                                        contacted, or a role word is
//	                                                                        in a sentence naming them
//	risk's reason      the account's level (extract.AccountRisk) is         a driver or a reason is given
//	                   medium or higher, in an answer about the churn risk
//	workaround's how   a workaround in an answer about the workarounds      where it lives, how often it runs
//	                   that is a mention or a hedged one                    or what breaks is said
//
// Names in passing in other answers are not stakeholders for the capture ("3 demos w/ Fleetly"), so they
// get no role question either.

// extracted reads text as the capture does, for the account of question q.
// extract.Offline keeps its readings, so an answer is read once however often a turn asks.
func (st *State) extracted(text string, q *store.Message, day time.Time) []extract.Finding {
	c := extract.Context{Topics: q.Topics, CSMName: st.Interview.CSMName, Today: day}
	for _, a := range st.Accounts {
		c.Accounts = append(c.Accounts, a.Name)
		if a.ID == q.AccountID {
			c.Account = a.Name
		}
	}
	return extract.Offline(text, c)
}

// extractedAbout reads every answer to a question about the account (the portfolio for "") as the
// capture does.
func (st *State) extractedAbout(accountID string) []extract.Finding {
	var out []extract.Finding
	for _, m := range st.Messages {
		if m.Role != "csm" || m.Kind != KindAnswer {
			continue
		}
		if q := st.message(m.ReplyTo); q != nil && q.AccountID == accountID {
			out = append(out, st.extracted(st.answerText(m), q, dayOf(m))...)
		}
	}
	return out
}

func dayOf(m store.Message) time.Time {
	if m.CreatedAt.IsZero() {
		return time.Now()
	}
	return m.CreatedAt
}

// peopleTopics are the topics whose answers name the people a successor deals with.
var peopleTopics = []string{"stakeholders", "communication", "escalation_paths"}

// personWithoutRole returns the first person the answer's findings name whom no finding of known (what
// was said about the account so far) describes, nor a sentence of said that names them with a role word;
// "" when there is none.
func personWithoutRole(answer, known []extract.Finding, said string, exclude []string) string {
	withRole, _ := names(said, exclude)
	var all []string
	for _, f := range known {
		if n := f.Fields["name"]; n != "" && (f.Type == extract.Stakeholder || f.Type == extract.EscalationContact) {
			all = append(all, n)
		}
	}
	all = append(all, withRole...)
	for _, f := range answer {
		name := f.Fields["name"]
		if name == "" || f.Type != extract.Stakeholder && f.Type != extract.EscalationContact {
			continue
		}
		if slices.ContainsFunc(withRole, func(k string) bool { return extract.SamePerson(k, name, all) }) {
			continue
		}
		if !slices.ContainsFunc(known, func(k extract.Finding) bool {
			return describes(k) && extract.SamePerson(k.Fields["name"], name, all)
		}) {
			return name
		}
	}
	return ""
}

// describes reports whether a finding says enough of its person for a successor: their role or
// relationship (for an escalation contact, what to go to them for), or that they left or must not be
// contacted.
func describes(f extract.Finding) bool {
	switch f.Type {
	case extract.Stakeholder:
		return f.Fields["role"] != "" || f.Fields["relationship"] != "" || f.Fields["status"] == "left" || f.Fields["do_not_contact"] == "yes"
	case extract.EscalationContact:
		return f.Fields["role"] != "" || f.Fields["for"] != ""
	}
	return false
}

// riskWithoutReason returns the risk finding of an answer whose level makes the account's risk medium or
// higher when no risk finding gives a driver; ok is false when the level is lower, unknown, or explained.
func riskWithoutReason(answer []extract.Finding) (extract.Finding, bool) {
	var risks []extract.Finding
	var statements []extract.RiskStatement
	for _, f := range answer {
		if f.Type != extract.Risk {
			continue
		}
		if explained(f) {
			return extract.Finding{}, false
		}
		risks = append(risks, f)
		statements = append(statements, extract.RiskStatementOf(f.Fields))
	}
	level, i := extract.AccountRisk(statements)
	if i < 0 || !slices.Contains([]string{"medium", "high", "critical"}, level) {
		return extract.Finding{}, false
	}
	return risks[i], true
}

// explained reports whether a risk finding says what drives the risk: a driver of the risk lexicon
// (budget, a competitor's demos, the sponsor leaving), a competitor, or a clause of reason ("because the
// dispatchers lost trust in the maps"); a bare level read as the driver ("risk: HIGH") is none.
func explained(f extract.Finding) bool {
	return f.Fields["drivers"] != "" || f.Fields["competitor"] != "" || wordCount(f.Fields["driver"]) >= 3
}

// workaroundWithoutDetail returns the first workaround of an answer that says little of how it works: no
// workaround the extraction reads says where it lives, how often it runs or what breaks without it, and
// the answer is a mention (fewer than 18 words) or one the CSM says they do not understand ("a manual
// thing Jess does, I never really understood it"). An answer that opens with a no ("nope. vanilla
// setup", "None, they run pure standard") says there is nothing to run.
func workaroundWithoutDetail(text string, answer []extract.Finding) (extract.Finding, bool) {
	if noneRE.MatchString(text) {
		return extract.Finding{}, false
	}
	var first *extract.Finding
	for i, f := range answer {
		if f.Type != extract.Workaround {
			continue
		}
		if f.Fields["location"] != "" || f.Fields["frequency"] != "" || f.Fields["impact"] != "" {
			return extract.Finding{}, false
		}
		if first == nil {
			first = &answer[i]
		}
	}
	if first == nil || wordCount(text) >= 18 && !unclearRE.MatchString(text) {
		return extract.Finding{}, false
	}
	return *first, true
}

// topicFacts are the findings that answer a topic.
var topicFacts = map[string]string{"stakeholders": extract.Stakeholder, "churn_risk": extract.Risk, "renewal": extract.Renewal,
	"upsell": extract.Upsell, "open_issues": extract.OpenIssue, "commitments": extract.Commitment, "workarounds": extract.Workaround,
	"escalation_paths": extract.EscalationContact, "product_feedback": extract.Feedback, "internal_workflows": extract.Process,
	"decision_rationale": extract.Decision, "shadow_systems": extract.ShadowSystem, "success_plan": extract.Objective,
	"implementation": extract.System, "documents": extract.Document, "advocacy": extract.Advocacy, "history": extract.Meeting}

// statesAFact reports whether what the CSM said in answer to a question about topic is a fact of it as the
// capture reads it, at some length (twelve words or more, not vague): "US rollout in crm is dead. they shut 6
// of the Midwest stores…" is an upsell the capture keeps, though it has no upsell word.
func (st *State) statesAFact(q *store.Message, topic, text string) bool {
	typ, ok := topicFacts[topic]
	if !ok || wordCount(text) < 12 || isVague(text) {
		return false
	}
	// Each answer about the topic as the capture reads it (each read once, kept across turns).
	for _, m := range st.Messages {
		if m.Role != "csm" || m.Kind != KindAnswer {
			continue
		}
		aq := st.message(m.ReplyTo)
		if aq == nil || aq.AccountID != q.AccountID || !slices.Contains(aq.Topics, topic) {
			continue
		}
		if slices.ContainsFunc(st.extracted(st.answerText(m), aq, dayOf(m)), func(f extract.Finding) bool { return f.Type == typ }) {
			return true
		}
	}
	return false
}

// ofAccount leaves out the people the answer names in a sentence about another account of the book
// ("Bea reminds me of Aoife at Kestrel"), wherever else in text the answer names them ("someone should
// send Aoife a card"), and those the CSM spoke of when asked about another account: they are that
// account's, and asking their role here would be asking what was said elsewhere.
func (st *State) ofAccount(answer []extract.Finding, text, accountID string) []extract.Finding {
	book := make([]mention.Account, len(st.Accounts))
	var elsewhere []extract.Named
	for i, a := range st.Accounts {
		book[i] = mention.Account{ID: a.ID, Name: a.Name}
		if a.ID != accountID {
			elsewhere = append(elsewhere, extract.People(st.answersOf(a.ID), nil)...)
		}
	}
	m := mention.NewMatcher(book)
	another := func(s string) bool {
		hits := m.Find(s)
		return slices.ContainsFunc(hits, func(h mention.Hit) bool { return h.AccountID != accountID }) &&
			!slices.ContainsFunc(hits, func(h mention.Hit) bool { return h.AccountID == accountID })
	}
	var there []string // the words of the answer's sentences about another account only
	for _, s := range sentencesOf(text) {
		if another(s) {
			for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
			}) {
				there = append(there, strings.TrimSuffix(w, "'s")) // "Aoife's" names Aoife
			}
		}
	}
	placed := func(name string) bool {
		first, _, _ := strings.Cut(strings.ToLower(name), " ")
		return first != "" && slices.Contains(there, first)
	}
	var out []extract.Finding
	for _, f := range answer {
		if f.Type == extract.Stakeholder {
			if another(f.Text) || placed(f.Fields["name"]) ||
				slices.ContainsFunc(elsewhere, func(n extract.Named) bool { return extract.SamePerson(n.Name, f.Fields["name"], nil) }) {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
