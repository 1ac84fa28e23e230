package interview

import (
	"regexp"
	"strings"
	"unicode"
)

// The offline engine's reading of an answer: rule-based, so it behaves the same every time and needs no
// model. Each topic has words that show the answer is about it; the follow-up rules look for what a good
// interviewer would ask about next.

var topicSignals = map[string]*regexp.Regexp{
	"account_overview":   wordsRE(`use[sd]?|using|bought|purchas\w*|licen[cs]\w*|product\w*|platform|module\w*|implement\w*|integrat\w*|adopt\w*|roll(ed)? ?out|live|kpis?|goals?|objectives?|measur\w*|teams?|users?|seats?`),
	"stakeholders":       wordsRE(`champion|sponsor|decision[- ]?maker|decides?|signs?|buyer|admin\w*|cfo|ceo|cto|coo|cio|vp|head of|director|manager|lead|owner|procurement|stakeholders?|contacts?|exec\w*`),
	"communication":      wordsRE(`e-?mails?|slack|teams|calls?|phone|text(s|ing)?|whatsapp|weekly|monthly|quarterly|qbrs?|meetings?|prefers?|channels?|reach|responds?|replies|linkedin|in person|cadence`),
	"churn_risk":         wordsRE(`risk\w*|churn\w*|low|medium|high|sticky|loyal|secure|safe|happy|unhappy|frustrat\w*|concern\w*|competitor\w*|evaluat\w*|leav\w*|cancel\w*|healthy|solid|stable|worried|complain\w*|threat\w*|budget cuts?`),
	"renewal":            wordsRE(`renew\w*|contract\w*|term|expir\w*|likely|unlikely|probab\w*|signs?|sign-off|decides?|procurement|jan\w*|feb\w*|mar\w*|apr\w*|may|jun\w*|jul\w*|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*|q[1-4]|\d{4}`),
	"upsell":             wordsRE(`upsell\w*|up-sell\w*|expan\w*|cross-?sell\w*|seats?|licen[cs]\w*|modules?|add-?ons?|opportunit\w*|pipeline|proposal|quote|pricing|deal|tier|upgrade\w*|no upsell|nothing commercial`),
	"open_issues":        wordsRE(`tickets?|issues?|bugs?|escalat\w*|incidents?|outages?|support|jira|zendesk|cases?|defects?|sla|problems?|fix\w*|nothing open|no open`),
	"commitments":        wordsRE(`promis\w*|commit\w*|agreed|owe|will send|will (get|follow|call|share|deliver)|deadline|due|by (monday|tuesday|wednesday|thursday|friday|the end|next|end of)|follow[- ]up|nothing promised|no promises`),
	"workarounds":        wordsRE(`workarounds?|manual\w*|scripts?|custom\w*|config\w*|integrat\w*|apis?|sso|saml|hacks?|special|cron|export\w*|csv|webhooks?|sandbox|setup|set up`),
	"escalation_paths":   wordsRE(`escalat\w*|engineering|support|on-?call|billing|finance|legal|security|product (team|manager)|slack|channel|page[rd]?|pagerduty|ticket|manager|director|vp|head of|cto|\w+@\w+`),
	"onboarding_changes": wordsRE(`onboard\w*|kick-?off|playbook|template\w*|changed|instead|differently|added|removed|shorter|longer|process|training|workshop|checklist`),
	"shadow_systems":     wordsRE(`spreadsheets?|sheets?|excel|google (docs?|drive|sheets?)|notes?|notion|trackers?|docs?|drive|folders?|onenote|evernote|trello|reminders?|calendar|airtable|personal|my own`),
	"product_feedback":   wordsRE(`features?|requests?|feedback|missing|complain\w*|wish\w*|roadmap|ask(ed|ing)? for|would like|want\w*|lack\w*|gaps?|ux|slow|reporting`),
	"internal_workflows": wordsRE(`weekly|monthly|quarterly|reports?|meetings?|cadence|reviews?|qbrs?|process\w*|tools?|forecast\w*|pipeline|sync|stand-?up|every (monday|week|month|quarter)|crm|salesforce|hubspot|gainsight`),
	"decision_rationale": wordsRE(`decided|decision\w*|because|chose|chosen|reasons?|why|so that|agreed|trade-?off|discount\w*|exception\w*|instead`),
}

func wordsRE(alternatives string) *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:` + alternatives + `)\b`)
}

// negativeAnswer is a complete answer that there is nothing to tell ("No open issues.", "None right now").
var negativeAnswer = regexp.MustCompile(`(?i)^\W*(no(ne|thing)?|n/?a|not (really|that i know)|nope)\b|\b(nothing|none|no) (open|in progress|in flight|planned|special|promised|outstanding|at the moment|right now|to (add|report|flag))\b|\bthere (is|are)n'?t any\b|\bno (upsell|risk|issues?|tickets?|escalations?|workarounds?|promises|commitments)\b`)

// vagueMarkers are hedges that make a short answer vague.
var vagueMarkers = regexp.MustCompile(`(?i)\b(not sure|maybe|i think|i guess|probably|kind of|sort of|it depends|depends|hard to say|some(thing|one|times)?|stuff|things|etc|usual|fine|ok(ay)?|dunno|don'?t know)\b`)

var (
	promiseRE    = regexp.MustCompile(`(?i)\b(promis\w*|(i|we) (have |'ve )?(committed|agreed) to|(i'll|we'll|i will|we will) (send|get|follow|call|share|deliver|fix|look|set up|arrange|check)|owe them)\b`)
	workaroundRE = regexp.MustCompile(`(?i)\b(workarounds?|manual(ly)?|scripts?|hacks?|custom (field|report|integration|setup)s?|export\w* (to|into)|cron)\b`)
	riskRE       = regexp.MustCompile(`(?i)\b(at risk|risky|churn\w*|unhappy|frustrat\w*|angry|competitor\w*|evaluating|looking at|threaten\w*|cancel\w*|downgrad\w*|concern\w*|worried)\b`)
	becauseRE    = regexp.MustCompile(`(?i)\b(because|since|due to|as they|after|the reason|caused by|driven by|so they|tried|we offered|mitigat\w*)\b`)
	dateRE       = regexp.MustCompile(`(?i)\b(\d{1,2}(st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*( \d{4})?|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(st|nd|rd|th)?(,? \d{4})?|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}(/\d{2,4})?|end of (the )?(month|quarter|year|q[1-4])|q[1-4]( \d{4})?|next (week|month|quarter)|(mon|tues|wednes|thurs|fri)day)\b`)
	detailRE     = regexp.MustCompile(`(?i)\b(where|lives? (in|on)|stored|saved|kept in|runs? (on|at|in|from)|nightly|daily|hourly|because|so that|which (sends|pulls|copies|exports))\b`)
	roleWordsRE  = regexp.MustCompile(`(?i)\b(champion|sponsor|decision[- ]?maker|decides|signs|buyer|admin\w*|cfo|ceo|cto|coo|cio|cro|cmo|vp|svp|evp|head|director|manager|lead|owner|engineer|analyst|architect|procurement|founder|president|coordinator|specialist|consultant|ops|operations|finance|it|legal|security|marketing|sales|support|product|csm|ae|am|se|our|their|my|team)\b`)
	nameRE       = regexp.MustCompile(`\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?(?: [A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)?\b`)
	sentenceRE   = regexp.MustCompile(`[^.!?\n]+[.!?]?`)
)

// notNames are capitalised words that are not people.
var notNames = wordSet(`I I'm I've I'll I'd We We're They They're He She It It's Our Their The A An And But Or So If When What Who How Why Where Which This That These Those There Here Yes No Not None Nothing Also Then Thanks Thank Please Maybe Probably Honestly Basically Actually Right Just Only Both Each Every Some Any All Most Many
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays January February March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Q1 Q2 Q3 Q4
Salesforce Slack Teams Microsoft Jira Zendesk Hubspot HubSpot Gainsight Excel Google Sheets Drive Docs Notion Zoom Gong Outlook Gmail Confluence Trello Asana Okta Azure Aws Amazon Snowflake Tableau Looker Intercom Freshdesk Linkedin LinkedIn Whatsapp WhatsApp Sso Api Crm Csm Qbr Ebr Sla Poc Mvp Roi Kpi Okr Arr Mrr
Renewal Champion Sponsor Support Engineering Product Finance Legal Security Sales Marketing Billing Procurement Ops Operations Customer Success Account Admin Team Company Board Exec Executive Leadership Management Manager Director Head Vice President Chief Officer Lead Owner Europe America Asia London Berlin Paris Boston Chicago York New San Francisco`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ToLower(w)] = true
	}
	return m
}

func wordCount(s string) int {
	return len(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) }))
}

// judge decides the coverage state of topic from the answer text (the offline engine's judgement).
func judge(topic, answer string) string {
	words := wordCount(answer)
	switch {
	case words == 0:
		return Missing
	case negativeAnswer.MatchString(answer) && words <= 25:
		return Covered
	case isVague(answer):
		return Partial
	}
	sig := topicSignals[topic]
	hits := 0
	if sig != nil {
		hits = len(sig.FindAllStringIndex(answer, -1))
	}
	switch {
	case hits >= 2 && words >= 12, hits >= 1 && words >= 25:
		return Covered
	default:
		return Partial
	}
}

// isVague reports a short answer, or a short one full of hedges.
func isVague(answer string) bool {
	words := wordCount(answer)
	if negativeAnswer.MatchString(answer) && words <= 25 {
		return false
	}
	return words < 6 || (words < 20 && len(vagueMarkers.FindAllString(answer, -1)) >= 1 && !becauseRE.MatchString(answer))
}

// names returns the people named in text, with whether a role is stated in the same sentence.
func names(text string, exclude []string) (withRole, withoutRole []string) {
	skip := map[string]bool{}
	for _, e := range exclude {
		for _, w := range strings.Fields(strings.ToLower(e)) {
			skip[w] = true
		}
	}
	// A name counts as given with a role if any sentence gives it one.
	var order []string
	role := map[string]bool{}
	for _, sentence := range sentenceRE.FindAllString(text, -1) {
		hasRole := roleWordsRE.MatchString(sentence)
		trimmed := strings.TrimLeft(sentence, " \t\"'(")
		for _, loc := range nameRE.FindAllStringIndex(sentence, -1) {
			name := sentence[loc[0]:loc[1]]
			first := strings.ToLower(strings.Fields(name)[0])
			if notNames[first] || skip[first] {
				continue
			}
			// A capitalised word that starts a sentence is usually not a name, unless a second capitalised
			// word follows ("Priya Shah said…").
			if strings.HasPrefix(trimmed, name) && !strings.Contains(name, " ") {
				continue
			}
			if _, seen := role[name]; !seen {
				order = append(order, name)
			}
			role[name] = role[name] || hasRole
		}
	}
	for _, name := range order {
		if role[name] {
			withRole = append(withRole, name)
		} else {
			withoutRole = append(withoutRole, name)
		}
	}
	return withRole, withoutRole
}

// quote returns the CSM's own words where re matched: from the word before the match to the end of the
// clause, at most ten words, to use them back in a follow-up.
func quote(text string, re *regexp.Regexp) string {
	loc := re.FindStringIndex(text)
	if loc == nil {
		return ""
	}
	start := loc[0]
	// Take in the word before the match ("I promised", "a manual export"), unless a clause ends there.
	before := strings.TrimRight(text[:start], " ")
	if before != "" && !strings.ContainsAny(before[len(before)-1:], ".,;:!?\n") {
		start = strings.LastIndexAny(before, " \n") + 1
	}
	rest := text[start:]
	if end := strings.IndexAny(rest[loc[1]-start:], ".,;:!?\n"); end >= 0 {
		rest = rest[:loc[1]-start+end]
	}
	words := strings.Fields(rest)
	if len(words) > 10 {
		return strings.Join(words[:9], " ") + "…"
	}
	return strings.Join(words, " ")
}

// roleFact finds the person a text names for a role ("Priya is our champion", "the CFO, Marco Rossi").
func roleFact(text string, role *regexp.Regexp, exclude []string) string {
	for _, sentence := range sentenceRE.FindAllString(text, -1) {
		if !role.MatchString(sentence) {
			continue
		}
		withRole, _ := names(sentence, exclude)
		if len(withRole) > 0 {
			return withRole[0]
		}
	}
	return ""
}

var (
	championRE = regexp.MustCompile(`(?i)\bchampion\b`)
	deciderRE  = regexp.MustCompile(`(?i)\b(signs|sign-off|decision[- ]?maker|decides|economic buyer|budget holder|sponsor)\b`)
)
