package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/store"
)

// What a question asks is read with prompts/intents.txt; where the account it names has a fact that
// answers that, Ask answers from the fact, citing the passages it was understood from:
//
//	intent         fact (of the account named)                    answer
//	signs, decides the renewal's decider; people who decide         "Karen Liu decides (renewal)" …
//	champion       people whose relationship is champion            "Priya Shah (Head of Ops, champion, on leave)"
//	sponsor, admin people of that relationship
//	renewal_when,  the renewal                                      "30 April 2027, 50% likely, Karen Liu decides"
//	renewal_odds
//	risk           the risk (why: its drivers)                      "high: three demos with a competitor"
//	competitor     the risk's competitor
//	promise        the commitments                                  "the connector fix, to Karen Liu, due 8 January 2027"
//	open_issue,    the facts of that type                           the CSM's words
//	upsell,
//	workaround
//	contact        the person the question names                    "Tom Price (procurement, do not contact): never cc him"
//
// A fact whose passages the asker may not see (approval pending, another account's) is no answer.

// intentLexicon is prompts/intents.txt parsed: each intent's phrases and the topics it is asked of, in the
// file's order.
type intentLexicon struct {
	order     []string
	topics    map[string][]string
	answering map[string][]string // the topics marked "*": a passage filed under one answers the intent by itself
	phrases   map[string][][]string
}

var intents = sync.OnceValue(func() intentLexicon {
	sections, err := prompts.Sections("intents.txt")
	if err != nil {
		panic(err)
	}
	l := intentLexicon{topics: map[string][]string{}, answering: map[string][]string{}, phrases: map[string][][]string{}}
	// Sections come back as a map: the file's order is read from the file itself.
	text, _ := prompts.Read("intents.txt")
	for _, line := range strings.Split(text, "\n") {
		header, ok := strings.CutPrefix(strings.TrimSpace(line), "[")
		if !ok {
			continue
		}
		header = strings.TrimSuffix(header, "]")
		fields := strings.Fields(header)
		name := fields[0]
		l.order = append(l.order, name)
		for _, t := range fields[1:] {
			topic, answers := strings.CutSuffix(t, "*")
			l.topics[name] = append(l.topics[name], topic)
			if answers {
				l.answering[name] = append(l.answering[name], topic)
			}
		}
		for _, v := range sections[header] {
			for _, p := range strings.Split(v, "\n") {
				if p = strings.TrimSpace(p); p != "" {
					l.phrases[name] = append(l.phrases[name], strings.Fields(strings.ToLower(p)))
				}
			}
		}
	}
	return l
})

// intentOf is what a question asks ("" when no intent's phrase is in it): the intent whose longest phrase
// it holds, the first in the file's order on a tie.
func intentOf(text string) string {
	ws := plainWords(text)
	l := intents()
	for _, p := range l.phrases["not"] {
		for i := 0; i+len(p) <= len(ws); i++ {
			if holds(ws[i:i+len(p)], p) {
				ws = append(ws[:i:i], ws[i+len(p):]...)
			}
		}
	}
	best, longest := "", 0
	for _, name := range l.order {
		if name == "not" {
			continue
		}
		for _, p := range l.phrases[name] {
			if len(p) > longest && holds(ws, p) {
				best, longest = name, len(p)
			}
		}
	}
	if best == "risk" && (slices.Contains(ws, "why") || slices.Contains(ws, "reason") || slices.Contains(ws, "wrong")) {
		return "risk_why"
	}
	return best
}

// answeringTopics are the topics a passage filed under answers the intent by itself.
func answeringTopics(intent string) []string {
	if intent == "risk_why" {
		intent = "risk"
	}
	return intents().answering[intent]
}

// intentWords are the words of subject that the intent's phrases hold in text: they say what is asked,
// not of what ("spreadsheet", "outside", "crm" in "does she keep a spreadsheet outside the crm").
func intentWords(intent, text string, subject []string) []string {
	if intent == "risk_why" {
		intent = "risk"
	}
	ws := plainWords(text)
	var out []string
	for _, p := range intents().phrases[intent] {
		for i := 0; i+len(p) <= len(ws); i++ {
			if !holds(ws[i:i+len(p)], p) {
				continue
			}
			for _, w := range ws[i : i+len(p)] {
				if slices.Contains(subject, w) && !slices.Contains(out, w) {
					out = append(out, w)
				}
			}
		}
	}
	return out
}

// saysIntent reports whether text holds a phrase the intent is said in.
func saysIntent(intent, text string) bool {
	if intent == "risk_why" {
		intent = "risk"
	}
	ws := plainWords(text)
	return slices.ContainsFunc(intents().phrases[intent], func(p []string) bool { return holds(ws, p) })
}

// intentKeywords are the single words an intent is said in ("competitor", "demo", "rival"…), without
// stop words: what full text looks for besides the question's own words.
func intentKeywords(intent string) []string {
	if intent == "risk_why" {
		intent = "risk"
	}
	var out []string
	for _, p := range intents().phrases[intent] {
		if len(p) == 1 {
			out = append(out, terms(strings.TrimSuffix(p[0], "*"))...)
		}
	}
	return out
}

// intentTopics are the interview topics an intent is asked of.
func intentTopics(intent string) []string {
	if intent == "risk_why" {
		intent = "risk"
	}
	return intents().topics[intent]
}

// plainWords are text's lower-case words, accents taken off ("Jürgen" is "jurgen"), apostrophes kept.
func plainWords(text string) []string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(text)) {
		if r >= 0x300 && r <= 0x36f {
			continue // a combining accent
		}
		b.WriteRune(r)
	}
	return strings.FieldsFunc(b.String(), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '\'' || r == '-' || r > 0x7f)
	})
}

func holds(ws []string, phrase []string) bool {
	for i := 0; i+len(phrase) <= len(ws); i++ {
		ok := true
		for k, p := range phrase {
			w := ws[i+k]
			if pre, star := strings.CutSuffix(p, "*"); star && !strings.HasPrefix(w, pre) || !star && w != p {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// fromFacts answers a question about one account from its facts, or returns ok false when no fact
// answers what it asks.
func (s *Service) fromFacts(ctx context.Context, v store.Viewer, q question, accountName string) (Answer, bool, error) {
	intent := q.intent
	if intent == "" {
		return Answer{}, false, nil
	}
	visible := q.visible
	i := slices.IndexFunc(visible, func(a store.NamedAccount) bool { return strings.EqualFold(a.Name, accountName) || a.ID == accountName })
	if i < 0 {
		return Answer{}, false, nil
	}
	account := visible[i]
	all, err := s.store.AccountFacts(ctx, account.ID, false)
	if err != nil {
		return Answer{}, false, err
	}
	set := facts.NewSet(all)
	var chosen []store.Fact
	var lines []string
	people := func(rel ...string) {
		for _, f := range set.Of(account.ID, facts.Person) {
			if slices.Contains(rel, f.Fields["relationship"]) {
				chosen = append(chosen, f)
				lines = append(lines, facts.Describe(f))
			}
		}
	}
	switch intent {
	case "signs", "decides":
		for _, f := range set.Of(account.ID, facts.Renewal) {
			if d := f.Fields["decider"]; d != "" {
				chosen = append(chosen, f)
				lines = append(lines, d+" decides the renewal")
			}
		}
		people("decision_maker")
	case "champion":
		people("champion")
	case "sponsor":
		people("sponsor")
	case "admin":
		people("admin")
	case "renewal_when", "renewal_odds":
		for _, f := range set.Of(account.ID, facts.Renewal) {
			if intent == "renewal_when" && f.Fields["date"] != "" || intent == "renewal_odds" && f.Fields["probability"] != "" {
				chosen = append(chosen, f)
				lines = append(lines, "the renewal: "+facts.Describe(f))
			}
		}
	case "risk", "risk_why":
		for _, f := range set.Of(account.ID, facts.Risk) {
			if f.Fields["level"] != "" && (intent == "risk" || f.Fields["driver"] != "" || f.Fields["drivers"] != "") {
				chosen = append(chosen, f)
				line := "churn risk " + facts.Describe(f)
				if intent == "risk_why" && f.Fields["drivers"] != "" {
					line += " (" + f.Fields["drivers"] + ")"
				}
				lines = append(lines, line)
			}
		}
	case "competitor":
		for _, f := range set.Of(account.ID, facts.Risk) {
			if c := f.Fields["competitor"]; c != "" {
				chosen = append(chosen, f)
				lines = append(lines, "they are looking at "+c)
			}
		}
	case "promise":
		for _, f := range set.Of(account.ID, facts.Commitment) {
			chosen = append(chosen, f)
			lines = append(lines, "promised: "+facts.Describe(f))
		}
	case "open_issue", "upsell", "workaround":
		for _, f := range set.Of(account.ID, intent) {
			chosen = append(chosen, f)
			lines = append(lines, facts.Describe(f))
		}
	case "contact":
		ws := plainWords(q.text)
		for _, f := range set.Of(account.ID, facts.Person) {
			name := plainWords(f.Fields["name"])
			if len(name) > 0 && slices.Contains(ws, name[0]) {
				line := facts.Describe(f)
				if f.Fields["channel"] != "" {
					line += "; reach them by " + f.Fields["channel"]
				}
				if r := f.Fields["reason"]; r != "" && f.Fields["do_not_contact"] == "yes" {
					line += ": " + r
				}
				chosen = append(chosen, f)
				lines = append(lines, line)
			}
		}
	}
	out := Answer{Outcome: OutcomeAnswer, Grounded: true, Accounts: []string{account.Name}, Citations: []Citation{}}
	var parts []string
	for k, f := range chosen {
		if len(out.Citations) == maxCited {
			break
		}
		if !holdsKind(q.kind, lines[k], q.subject, time.Now()) {
			continue // "pennine's ticket number?": an open issue that gives none is no answer
		}
		c, ok, err := s.factCitation(ctx, v, f, account, q)
		if err != nil {
			return Answer{}, false, err
		}
		if !ok {
			continue // said where the asker may not read it
		}
		n := slices.IndexFunc(out.Citations, func(x Citation) bool { return x.ChunkID == c.ChunkID })
		if n < 0 {
			out.Citations = append(out.Citations, c)
			n = len(out.Citations) - 1
		}
		parts = append(parts, fmt.Sprintf("%s: %s [%d]", account.Name, lines[k], n+1))
	}
	if len(parts) == 0 {
		return Answer{}, false, nil
	}
	out.Text = strings.Join(parts, "\n")
	return out, true, nil
}

// factCitation is the passage v may see, of the answers a fact was understood from, that says most of it
// and most of what the question asks: the share of the fact's words it holds, and the share of the
// question's content words, and whether it is filed under a topic the question's intent is asked of
// ("who decides the Northwind renewal" cites "Priya will make the decision", not the answer that first
// named Priya).
func (s *Service) factCitation(ctx context.Context, v store.Viewer, f store.Fact, account store.NamedAccount, q question) (Citation, bool, error) {
	words := terms(f.Text + " " + facts.Describe(f))
	content := without(q.subject, q.asked)
	best, bestScore := Citation{}, -1.0
	for _, id := range f.Sources {
		chunks, err := s.store.VisibleChunks(ctx, v, id)
		if err != nil {
			return Citation{}, false, err
		}
		for _, c := range chunks {
			if c.AccountID != account.ID {
				continue
			}
			score := overlap(words, c.Text) + overlap(content, c.Text)
			if slices.ContainsFunc(c.Topics, func(t string) bool { return slices.Contains(q.topics, t) }) {
				score += topicWeight
			}
			if score > bestScore {
				best, bestScore = Citation{ChunkID: c.ID, MessageID: c.MessageID, InterviewID: c.InterviewID, Account: account.Name, Text: c.Text}, score
			}
		}
	}
	return best, bestScore >= 0, nil
}
