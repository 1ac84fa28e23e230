package extract

import (
	"strings"
	"time"
)

// The rules of the handover facts: the success plan, the implementation, the documents, the advocacy and
// the recent history. Each reads a clause at a time (a meeting, a sentence). In an answer to its own topic
// a rule takes the clause on a weaker cue ("KPIs: on-time delivery and NPS", "salesforce + zendesk");
// elsewhere it wants a cue that cannot mean anything else ("the MSA is in the Finance drive", "they did a
// case study for us in return for a discount"), because a fact shown to a successor that the CSM never
// meant is worse than one missed. The success plan and the implementation are read only in answers to
// their topics and to the account overview, which asks for them too: elsewhere "goal", "tier" or
// "Salesforce" belong to an upsell, a workaround or a piece of feedback.

// ---- success plan -------------------------------------------------------------------------------------

var (
	objectiveRE   = compile(`(?i)\b(?:objectives?|goals?|aims?|north star|success (?:means|looks like|criteria|for them)|(?:main|big|top|key) (?:priority|priorities|focus)|bought (?:it|us|the product) (?:for|to)|what they (?:want|need) (?:out of|from) (?:it|us))\b`)
	objectiveSoft = compile(`(?i)\b(?:wants? to|want(?:ed)? us to|trying to|looking to|need(?:s)? to|priorit(?:y|ies|ise|ize)|focus(?:ed|sed)? on|use case|care most about)\b`)
	kpiRE         = compile(`(?i)\b(?:kpis?|metrics?|measures?|measured|measuring|tracks?|tracked|tracking|targets?|benchmarks?|nps|csat|sla|slas|uptime|time[- ]to[- ]\w+|first[- ]response|resolution time|on[- ]time|adoption rate|usage rate)\b`)
	qbrRE         = compile(`(?i)\b(?:qbrs?|ebrs?|business reviews?)\b`)
	takeawayRE    = compile(`(?i)\b(?:takeaways?|take-aways?|came out|come out|outcome|agreed|decided|they (?:said|asked|want|wanted|flagged|raised|complained|loved|liked)|main (?:point|ask|message)|(?:the )?ask was|learned|feedback|action items?|main thing)\b`)
	valuedRE      = compile(`(?i)\b(?:love|loves|loved|like|likes|value|values|valued|care about|cares about|rely on|relies on|relied on|depend on|depends on|can'?t live without|couldn'?t live without|favou?rite|most used|use\w* (?:\w+ )?(?:daily|every day|constantly|heavily|a lot)|big on|swear by|swears by|fans? of|key feature|killer feature|sold on)\b`)
	ignoredRE     = compile(`(?i)\b(?:(?:do|does|did)(?: not|n'?t) (?:\w+ )?(?:use|care|touch|look at|open|bother|need|want)|never (?:use|used|touch|touched|open|opened|looked at|adopted|rolled out)|(?:rarely|barely|hardly(?: ever)?) (?:use|used|touch|open)|ignore|ignores|ignored|not interested in|no interest in|shelfware|unused|nobody uses|no one uses|noone uses|switched off|turned off|don'?t care (?:about|for)|couldn'?t care less)\b`)
	targetRE      = compile(`(?i)(?:\b(?:under|below|above|over|at least|at most|to|of|<|>)\s*)?\b\d+(?:\.\d+)?\s?(?:%|percent\b|pc\b|hours?\b|hrs?\b|days?\b|mins?\b|minutes\b|seconds\b|secs?\b|ms\b|x\b)`)
	labelLeadRE   = compile(`(?i)^\W*(?:objectives?|goals?|kpis?|metrics?|takeaways?|features?|likes?|dislikes?|qbr|ebr|outcome|notes?|re|n\.?b\.?)\s*[:=\-–]\s*`)
)

// objectives reads the success plan: what the customer wants to achieve, what they measure, what came
// out of the last business reviews, and the features they care about and those they ignore.
func objectives(d *doc) []Finding {
	topic := d.has("success_plan")
	if !topic && !d.has("account_overview") {
		return nil // the overview asks for the objectives too; elsewhere "goal" and "target" mean other things
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		last := ""       // the kind of the sentence's last finding
		var parts []span // clauses, and "…, but …" cut in two: "they love the map, but nobody uses the alerts"
		for _, cl := range clauses(d.text, s) {
			parts = append(parts, splitAt(d.text, cl, butSplitRE)...)
		}
		for _, cl := range parts {
			text := d.at(cl)
			kind := ""
			switch {
			case qbrRE.MatchString(text) && (takeawayRE.MatchString(text) || topic) && !documentOnly(text):
				kind = "qbr_takeaway"
			case ignoredRE.MatchString(text) && (topic || featureRE.MatchString(text)):
				kind = "feature_ignored"
			case valuedRE.MatchString(text) && (topic || featureRE.MatchString(text)) && !personFirst(d, cl):
				kind = "feature_valued"
			case kpiRE.MatchString(text) && (topic || strongKPIRE.MatchString(text)):
				kind = "kpi"
			case objectiveRE.MatchString(text) || topic && objectiveSoft.MatchString(text):
				kind = "objective"
			}
			if kind == "" {
				continue
			}
			if kind == last && continuesRE.MatchString(strings.TrimSpace(text)) || kind == last && theirRE.MatchString(text) {
				// "They really value the API; their data team relies on it every day": one feature, said twice.
				f := &out[len(out)-1]
				f.End = cl.end
				f.Text = d.text[f.Start:f.End]
				continue
			}
			last = kind
			fields := map[string]string{"kind": kind, "what": labelLeadRE.ReplaceAllString(text, "")}
			if kind == "kpi" || kind == "objective" {
				fields["target"] = targetRE.FindString(text)
			}
			if f, ok := d.finding(Objective, cl, fields); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

var (
	featureRE   = compile(`(?i)\b(?:features?|modules?|dashboards?|reports?|reporting|app|mobile app|api|integrations?|alerts?|workflows?|automations?|analytics|portal|add-?ons?)\b`)
	theirRE     = compile(`(?i)^\W*(?:it|they|their|this|that|which)\b.*\b(?:it|them|this|that)\b`)
	butSplitRE  = compile(`(?i),\s*but\b`)
	strongKPIRE = compile(`(?i)\b(?:kpis?|metrics?|nps|csat|north star)\b`)
	// A person who "loves" or "likes" something is a sentiment about them, not a feature the account values.
	personLeadRE = compile(`(?i)^\W*(?:he|she|they)\s+(?:love|loves|like|likes)\s+(?:me|us|you|him|her|them)\b`)
)

// personFirst reports whether the clause speaks of a person's liking for a person ("she loves us").
func personFirst(d *doc, cl span) bool {
	return personLeadRE.MatchString(d.at(cl))
}

// documentOnly reports whether a clause about a QBR only says where its deck lives ("QBR deck is in the
// drive"): a document, not a takeaway.
func documentOnly(text string) bool {
	return deckRE.MatchString(text) && !takeawayRE.MatchString(text)
}

var deckRE = compile(`(?i)\b(?:decks?|slides?|slideware|presentations?|pptx?)\b`)

// ---- implementation -----------------------------------------------------------------------------------

// knownSystems are systems customers run beside the product, with their category.
var knownSystems = []struct {
	re       *pattern
	category string
}{
	{compile(`(?i)\b(?:salesforce|sfdc|hubspot|pipedrive|zoho(?: crm)?|sugarcrm|dynamics(?: 365)?(?: crm)?|ms dynamics|microsoft dynamics|copper crm|close\.com)\b`), "crm"},
	{compile(`(?i)\b(?:zendesk|freshdesk|freshservice|intercom|servicenow|service now|jira service (?:desk|management)|help ?scout|gorgias|kustomer|front app)\b`), "support"},
	{compile(`(?i)\b(?:tableau|power ?bi|looker(?: studio)?|snowflake|bigquery|big query|redshift|metabase|qlik(?: ?sense)?|domo|sisense|databricks|superset)\b`), "bi"},
	{compile(`(?i)\b(?:sap(?: s/4hana| s4)?|netsuite|oracle(?: erp| fusion)?|workday|okta|azure ad|entra id|jira|confluence|shopify|magento|marketo|segment|mulesoft|zapier|workato|quickbooks|xero|stripe|sage|epic|cerner|samsara|twilio|sftp)\b`), "other"},
}

var (
	genericSystemRE  = compile(`(?i)\b(?:their|the|its|an?|in-?house|homegrown|home-grown|own)\s+((?:in-?house\s+|homegrown\s+|own\s+|legacy\s+|old\s+)?(crm|help ?desk|support (?:tool|desk|system|platform)|ticketing (?:tool|system)|bi (?:tool|stack|platform)|data ?warehouse|erp|warehouse management system|wms|tms|hris|billing system))\b`)
	integrationCueRE = compile(`(?i)\b(?:integrat\w*|connectors?|sync\w*|apis?|webhooks?|feeds?|plugged|connected|hooked|pipes?|pipeline|push(?:es)? (?:\w+ )?(?:in)?to|pulls? (?:\w+ )?from|stack|run on|runs on|live in|lives in|use \w+ for|uses \w+ for|sso|exports? to|imports? from|on \w+ for)\b`)
	packageRE        = compile(`(?i)\b((?:(?:enterprise|premium|pro|professional|standard|starter|growth|business|plus|platinum|gold|silver|bronze|essentials|advanced|ultimate|core|basic|team|scale|elite|unlimited)\s+){1,2}(?:package|plan|tier|edition|bundle|licen[cs]es?|subscription|sku))\b|\b((?:package|plan|tier|edition|bundle|sku)\s*[:=]?\s*(?:enterprise|premium|pro|professional|standard|starter|growth|business|plus|platinum|gold|silver|bronze|essentials|advanced|ultimate|core|basic|team|scale|elite|unlimited)\b)`)
	boughtRE         = compile(`(?i)\b(?:bought|buy|purchased|signed (?:up )?(?:for|on)|are on|is on|they'?re on|licensed|subscribed to|contracted for|paying for|pay for)\s+((?:the\s+)?[^,;.]{2,60})`)
	boughtEndRE      = compile(`(?i)\s+(?:in|on|back|since|last|which|that|and they|but|because|from|when|after|before)\b`)
	upgradeRE        = compile(`(?i)\b(?:upgrade|upgrading|upsell|expand|expansion|cross-?sell|move (?:up )?to)\b`)
	seatsRE          = compile(`(?i)\b\d[\d,]*\s*(?:seats|licen[cs]es|users|sites|modules)\b`)
	goLiveRE         = compile(`(?i)\b(?:go-?live|went live|gone live|going live|go live|live since|live from|launched|launch|rolled out|roll-?out|implementation|implemented|onboarded|onboarding|kick-?off|kicked off|cut-?over|migrat\w+|deployed|deployment)\b`)
	whenPhraseRE     = compile(`(?i)\b(?:in |on |since |from |by |around |back in |late |early |mid-?)?(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*(?:'?\d{2,4})?|q[1-4](?:\s*'?\d{2,4}|\s+(?:last|this|next) year)?|(?:19|20)\d{2}|last (?:year|month|quarter|spring|summer|autumn|fall|winter)|this (?:year|quarter)|\d+\s+(?:weeks?|months?|days?)(?: ago| late| behind)?|(?:took|takes|lasted)\s+\d+\s+(?:weeks?|months?))\b`)
)

// systems reads the implementation: the package bought, when it went live, and the customer's other
// systems with their category.
func systems(d *doc) []Finding {
	topic := d.has("implementation")
	if !topic && !d.has("account_overview") {
		return nil // an upgrade to a tier is an upsell, a system named in a workaround is the workaround's
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			text := d.at(cl)
			// The package.
			pkg := ""
			if m := packageRE.FindStringSubmatch(text); m != nil && (topic || boughtRE.MatchString(text)) && !upgradeRE.MatchString(text) {
				pkg = firstNonEmptyOf(m[1], m[2])
			} else if topic {
				if m := boughtRE.FindStringSubmatch(text); m != nil {
					pkg = m[1]
					if loc := boughtEndRE.FindStringIndex(pkg); loc != nil {
						pkg = pkg[:loc[0]]
					}
				} else if m := seatsRE.FindString(text); m != "" {
					pkg = m
				}
			}
			if pkg != "" {
				if f, ok := d.finding(System, cl, map[string]string{"kind": "package", "name": pkg, "when": whenOf(d, cl, text)}); ok {
					out = append(out, f)
				}
			}
			// The go-live or the implementation's timing.
			if goLiveRE.MatchString(text) && (topic || strings.Contains(strings.ToLower(text), "live")) {
				if when := whenOf(d, cl, text); when != "" {
					if f, ok := d.finding(System, cl, map[string]string{"kind": "go_live", "when": when}); ok {
						out = append(out, f)
					}
				}
			}
			// The customer's other systems.
			cue := topic || integrationCueRE.MatchString(text)
			if !cue {
				continue
			}
			seen := map[string]bool{}
			for _, ks := range knownSystems {
				for _, name := range ks.re.FindAllString(text, -1) {
					key := strings.ToLower(name)
					if seen[key] {
						continue
					}
					seen[key] = true
					if f, ok := d.finding(System, cl, map[string]string{"kind": "integration", "name": name, "category": ks.category}); ok {
						out = append(out, f)
					}
				}
			}
			if m := genericSystemRE.FindStringSubmatch(text); m != nil && len(seen) == 0 { // "their CRM is HubSpot" names one system
				if f, ok := d.finding(System, cl, map[string]string{"kind": "integration", "name": m[1], "category": genericCategory(m[2])}); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

func genericCategory(word string) string {
	w := strings.ToLower(word)
	switch {
	case w == "crm":
		return "crm"
	case strings.Contains(w, "desk") || strings.Contains(w, "support") || strings.Contains(w, "ticketing"):
		return "support"
	case strings.HasPrefix(w, "bi ") || strings.Contains(w, "warehouse") && !strings.Contains(w, "management"):
		return "bi"
	}
	return "other"
}

// whenOf is the timing a clause gives: the words of its first date, else a period ("Q3 last year",
// "took 4 months").
func whenOf(d *doc, cl span, text string) string {
	if hits := dates(d.text, cl, d.c.Today); len(hits) > 0 {
		return d.text[hits[0].sp.start:hits[0].sp.end]
	}
	return whenPhraseRE.FindString(text)
}

func firstNonEmptyOf(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

// ---- documents ----------------------------------------------------------------------------------------

var documentKinds = []struct {
	re   *pattern
	kind string
}{
	{compile(`(?i)\b(?:contracts?|msas?|master (?:services?|subscription) agreements?|agreements?|dpas?|sows?|statements? of work|t&cs|terms and conditions|paperwork)\b`), "contract"},
	{compile(`(?i)\b(?:order ?forms?|purchase orders?|pos|quotes?)\b`), "order_form"},
	{compile(`(?i)\b(?:invoices?|invocies|invoces|invoics|invoicing|billing (?:history|docs?|records?))\b`), "invoice"},
	{compile(`(?i)\b(?:kick-?off(?: deck| slides| presentation| doc)?)\b`), "kickoff_deck"},
	{compile(`(?i)\b(?:(?:qbr|ebr|business review)s?(?:\s+(?:decks?|slides?|presentations?|pptx?))?)\b`), "qbr_deck"},
	{compile(`(?i)\b(?:(?:sales[- ]to[- ]cs |sales )?hand-?(?:off|over)s?(?: (?:doc|docs|document|notes|deck|form))?|handoff from sales|notes from sales|sales notes)\b`), "sales_handoff"},
	{compile(`(?i)\b(?:success plans?|joint (?:success )?plans?|mutual (?:action|success) plans?|account plans?)\b`), "success_plan"},
	{compile(`(?i)\b(?:meeting notes|call notes|(?:qbr|ebr|review|kick-?off) notes|notes from (?:the |our |every |each )?(?:calls?|meetings?)|minutes|my notes|recaps?|call recordings?|recordings)\b`), "meeting_notes"},
}

var (
	urlRE           = compile(`(?i)\b(?:https?://|www\.)[^\s<>()"']+|\b(?:[a-z0-9-]+\.)+(?:com|io|net|org|co|app|ai)/[^\s<>()"']*`)
	docPlaceRE      = compile(`(?i)\b(?:in|on|under|inside|at|into|via|with|lives? in|sits? in|saved (?:in|to|on)|stored (?:in|on)|filed (?:in|under)|kept (?:in|on)|attached to|pinned in)\s+((?:the|my|our|their|a|an)\s+)?([^,;()]*)`)
	docPlaceNoun    = compile(`(?i)\b(?:drive|drives|folder|folders|gdrive|google drive|sharepoint|onedrive|dropbox|box|confluence|notion|wiki|salesforce|sfdc|hubspot|gong|chorus|docusign|pandadoc|netsuite|zuora|chargebee|quickbooks|xero|crm|slack|channel|teams|inbox|mailbox|email|e-mail|gmail|outlook|laptop|desktop|legal|finance|procurement|account record|opportunity|opp|record|library|vault|portal|repo|repository|highspot|seismic|clari|gainsight|totango|churnzero|vitally|planhat)\b`)
	docPlaceEndRE   = compile(`(?i)\s+(?:with|where|that|which|and (?:the|their|our|it|they|I|we)|but|because|so|if|since|for (?:the|each|every)|(?:is|are|was|were)(?: \w+)? (?:saved|stored|kept|filed|in|on))\b|\s*[.](?:\s|$)`)
	docAfterColonRE = compile(`^[^:]{1,40}:\s*(.+)$`)
	documentsNone   = compile(`(?i)\b(?:no idea|don'?t know|not sure|never saw|never seen|can'?t find|couldn'?t find|lost)\b`)
)

// documents reads where the account's documents live: one finding per kind a clause names, with the
// place and the link it gives. Outside the documents topic a clause must place the document (a
// location or a link), so "we renewed the contract" is no document.
func documents(d *doc) []Finding {
	topic := d.has("documents")
	if d.c.Account == "" && !topic {
		return nil // an answer about the portfolio: these are facts of an account
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			text := d.at(cl)
			link := strings.TrimRight(urlRE.FindString(text), ".,;:!?")
			place := docPlace(text, topic)
			if link == "" && place == "" && (!topic || documentsNone.MatchString(text)) {
				continue
			}
			var kinds []string
			at := map[string]int{} // where the clause names each kind
			for _, dk := range documentKinds {
				if loc := dk.re.FindStringIndex(text); loc != nil {
					kinds = append(kinds, dk.kind)
					at[dk.kind] = loc[0]
				}
			}
			if len(kinds) > 1 && contains(kinds, "qbr_deck") && !deckRE.MatchString(text) {
				kinds = remove(kinds, "qbr_deck") // "the QBR notes are in …": notes of a QBR
			}
			if link == "" && place == "" && contains(kinds, "qbr_deck") && !deckRE.MatchString(text) {
				kinds = remove(kinds, "qbr_deck") // "the last call was the QBR on 12 November": a meeting, no deck
			}
			if len(kinds) == 0 {
				if !topic || link == "" && place == "" || !deckRE.MatchString(text) && !docWordRE.MatchString(text) {
					continue
				}
				kinds = []string{"other"}
			}
			for _, k := range kinds {
				loc, ln := place, link
				if len(kinds) > 1 {
					loc, ln = docPlaceAfter(text, at[k], at, topic)
				}
				if f, ok := d.finding(Document, cl, map[string]string{"kind": k, "location": loc, "link": ln}); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

var docWordRE = compile(`(?i)\b(?:docs?|documents?|documentation|files?|sheets?|spreadsheets?|pdfs?|notes|folder|everything|all of it|the rest)\b`)

func remove(list []string, s string) []string {
	var out []string
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// docPlace finds where a document lives: a phrase after in, on, under… that names a place (a drive, a
// folder, a system, a team), without a link in it.
//
// Outside the documents topic "with" places nothing: "the contract issue with legal" is an issue.
func docPlace(s string, topic bool) string {
	place, _ := docPlaceAt(s, topic)
	return place
}

// docPlaceAfter is where the document named at start of clause s lives, when the clause names several
// (named at the positions of names): the first place or link said after it. "The contract and order
// forms are in Legal SharePoint, the QBR deck is at https://…": both papers are in Legal SharePoint and
// the deck is at the link; "invoices are in NetSuite, the kickoff deck sits in our Google Drive": each in
// its own. A link goes with the place before it only when no other document is named between them.
func docPlaceAfter(s string, start int, names map[string]int, topic bool) (place, link string) {
	rest := s[start:]
	p, pAt := docPlaceAt(rest, topic)
	var lAt = -1
	if l := urlRE.FindStringIndex(rest); l != nil {
		lAt, link = l[0], strings.TrimRight(rest[l[0]:l[1]], ".,;:!?")
	}
	switch {
	case lAt >= 0 && (pAt < 0 || lAt < pAt):
		return "", link // the link comes first: its place, if any, is another document's
	case pAt < 0:
		return "", ""
	}
	for _, n := range names {
		if lAt >= 0 && n > start+pAt && n < start+lAt {
			return p, "" // another document is named between the place and the link: the link is its
		}
	}
	return p, link
}

// docPlaceAt is docPlace with where in s the place is said (-1 when nowhere).
func docPlaceAt(s string, topic bool) (string, int) {
	// Links are blanked, not removed, so positions stay those of s.
	s = urlRE.ReplaceAllStringFunc(s, func(u string) string { return strings.Repeat(" ", len(u)) })
	for _, m := range docPlaceRE.FindAllStringSubmatchIndex(s, -1) {
		if !topic && strings.HasPrefix(strings.ToLower(s[m[0]:m[1]]), "with") {
			continue
		}
		phrase := s[m[4]:m[5]]
		if m[2] >= 0 {
			phrase = s[m[2]:m[5]]
		}
		if loc := docPlaceEndRE.FindStringIndex(phrase); loc != nil {
			phrase = phrase[:loc[0]]
		}
		if docPlaceNoun.MatchString(phrase) {
			return bare(strings.TrimRight(phrase, " :-–")), m[0]
		}
	}
	// Pasted notes: "contract: docusign", "success plan: google drive > CS > Acme".
	if m := docAfterColonRE.FindStringSubmatchIndex(s); m != nil && (docPlaceNoun.MatchString(s[m[2]:m[3]]) || strings.ContainsAny(s[m[2]:m[3]], ">/")) {
		return clean(s[m[2]:m[3]]), m[2]
	}
	return "", -1
}

// ---- advocacy -----------------------------------------------------------------------------------------

var advocacyKinds = []struct {
	re, strong *pattern
	kind       string
}{
	{compile(`(?i)\b(?:references?|referenceable|reference calls?|peer calls?|(?:take|takes|took|do|does|did) (?:\w+ )?calls? (?:from|with) prospects|(?:speak|talk|spoke|talked) to prospects|vouch(?:ed)? for us)\b`),
		compile(`(?i)\b(?:reference (?:calls?|customers?|accounts?|sites?)|referenceable|(?:as|be|being|a|our) (?:a )?references?|peer calls?|calls? (?:from|with) prospects|to prospects|vouch(?:ed)? for us)\b`), "reference"},
	{compile(`(?i)\b(?:case stud\w*|success stor(?:y|ies)|customer stor(?:y|ies)|testimonials?|logo(?: rights| use| on (?:our|the) (?:website|site))|use (?:of )?their logo|press release|quote for (?:the|our) (?:website|site|press))\b`), nil, "case_study"},
	{compile(`(?i)\b(?:g2|capterra|trust ?radius|peer insights|gartner reviews?|(?:online|public|written|five[- ]star|5[- ]star) reviews?|reviews? (?:on|for) (?:g2|capterra|us))\b`), nil, "review"},
	{compile(`(?i)\b(?:speak(?:s|ing)? at|spoke at|speaker|keynote|panel|panell?ist|webinar|conference talk|on stage|present(?:ed|s|ing)? at|user group|summit|podcast)\b`), nil, "speaking"},
	{compile(`(?i)\b(?:advoca\w+|advisory board|customer advisory|\bcab\b|beta (?:tester|program)|design partner)\b`), nil, "other"},
}

var (
	notReferenceRE = compile(`(?i)\b(?:for (?:future )?reference|reference (?:number|no|id|#|code)|ticket reference|as a reference point|\bref\b)`)
	inReturnRE     = compile(`(?i)\b(?:in (?:return|exchange)(?: for (?:that|it|this|which))?|in exchange for|as (?:a )?thanks?(?: you)?(?: for (?:it|that|this))?|quid pro quo|for which|on condition (?:that|of)|provided (?:that|we)|if we(?: give| get| do)?)\b\s*[,:]?\s*(?:(?:we|i|they)(?:'ve|’ve)?\s+(?:were |was |have |had |also )?(?:promised|offered|gave|give|get|got|agreed to give|owe|said we'?d give|will give|would give)\s+(?:them\s+|us\s+)?)?([^;.]+)`)
	promisedForRE  = compile(`(?i)\b(?:we|i)(?:'ve|’ve)?\s+(?:have |had |also )?(?:promised|offered|owe)\s+(?:them|him|her)\s+([^;.]+?)\s+(?:for|in return|in exchange)\b`)
	gaveForRE      = compile(`(?i)\b(?:we|i)\s+(?:gave|give|offered|promised)\s+(?:\w+\s+)?(an?\s+[^;.]+?|\d[^;.]*?)\s+(?:last \w+|this \w+|because|since|for|in return|in exchange|so)\b[^;]*\b(?:references?|case stud\w*|reviews?|speak\w*|webinar|logo)\b`)
	statusRE       = compile(`(?i)\b(done|did (?:it|one|two|a \w+)|completed|published|went live|live|signed off|agreed|promised|committed|said yes|pending|in progress|in draft|draft(?:ed|ing)?|waiting on legal|with legal|declined|said no|refused|won'?t|on hold|paused|scheduled|booked|planned|tentative|maybe|open to|willing|happy to|asked|pitched)\b`)
)

// statusWords are how the status of an advocacy reads.
var statusWords = map[string]string{"did": "done", "completed": "done", "published": "done", "went live": "done", "live": "done",
	"signed off": "agreed", "promised": "agreed", "committed": "agreed", "said yes": "agreed", "in draft": "in progress",
	"drafted": "in progress", "drafting": "in progress", "draft": "in progress", "waiting on legal": "in progress",
	"with legal": "in progress", "said no": "declined", "refused": "declined", "won't": "declined", "wont": "declined",
	"paused": "on hold", "booked": "scheduled", "tentative": "maybe", "open to": "willing", "happy to": "willing", "pitched": "asked"}

// advocacy reads what the customer does for us (references, case studies, reviews, speaking), its
// status, and what was promised in return.
func advocacy(d *doc) []Finding {
	topic := d.has("advocacy")
	if d.c.Account == "" && !topic {
		return nil // an answer about the portfolio: these are facts of an account
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] && !topic {
			continue
		}
		for _, cl := range clauses(d.text, s) {
			text := d.at(cl)
			kind := ""
			for _, ak := range advocacyKinds {
				if !ak.re.MatchString(text) {
					continue
				}
				if ak.kind == "reference" && notReferenceRE.MatchString(text) {
					continue
				}
				if !topic && ak.strong != nil && !ak.strong.MatchString(text) {
					continue
				}
				kind = ak.kind
				break
			}
			if kind == "" {
				continue
			}
			fields := map[string]string{"kind": kind, "in_return": firstGroup(text, inReturnRE, promisedForRE, gaveForRE)}
			if fields["in_return"] == "" { // "…a case study; in exchange we promised early access"
				fields["in_return"] = firstGroup(d.at(s), inReturnRE, promisedForRE, gaveForRE)
			}
			if m := statusRE.FindString(text); m != "" {
				l := strings.ToLower(m)
				if strings.HasPrefix(l, "did ") {
					l = "did"
				}
				if v, ok := statusWords[l]; ok {
					l = v
				}
				fields["status"] = l
			} else if d.neg[i] {
				fields["status"] = "declined"
			}
			if ms := d.mentionsIn(cl); len(ms) > 0 {
				fields["contact"] = ms[0].name
			}
			if f, ok := d.finding(Advocacy, cl, fields); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// ---- recent history -----------------------------------------------------------------------------------

var (
	metRE    = compile(`(?i)\b(?:met|meet|meeting|meetings|call|calls|called|spoke|talked|chat|chatted|sync|synced|catch-?up|caught up|workshop|qbr|ebr|business review|session|lunch|dinner|coffee|visit|visited|onsite|on-site|zoom|teams call|demo|steerco|steering committee|kick-?off|check-?in|1:1|one-on-one|call with|convo|conversation|email thread|thread)\b`)
	agreedRE = compile(`(?i)\b(?:agreed(?: to| that| on)?|we decided|they decided|decided(?: to| that)?|settled on|landed on|signed off(?: on)?|approved|accepted|committed to|outcome\s*[:=-]|result\s*[:=-]|next steps?\s*[:=-]|action items?\s*[:=-]|actions?\s*[:=-]|takeaway\s*[:=-]|the deal is|we'?ll|they'?ll|will)\s*([^;]+)`)
	withRE   = compile(`(?i)\bwith\s+((?:the|their|our|his|her)\s+)?([^,;.]+?)(?:\s+(?:on|last|about|to|where|and (?:we|they|I)|we|they|in|at|re|regarding|around|before|after)\b|[,;.:]|$)`)
	yearRE   = compile(`\b(?:19|20)\d{2}\b|'\d{2}\b`)
	recentRE = compile(`(?i)\b(?:last (?:week|month|tuesday|monday|wednesday|thursday|friday|call|meeting|quarter|time)|yesterday|this week|this month|earlier this \w+|a (?:week|month|fortnight) ago|\d+\s+(?:weeks?|days?|months?)\s+ago|recently|the other day|on (?:mon|tues|wednes|thurs|fri)day)\b`)
)

// meetings reads the conversations and meetings that matter: when, with whom, and what was agreed.
// Outside the history topic a clause must name a meeting, a time and an agreement.
func meetings(d *doc) []Finding {
	topic := d.has("history")
	if d.c.Account == "" && !topic {
		return nil // an answer about the portfolio: these are facts of an account
	}
	var out []Finding
	for i, s := range d.sents {
		if d.neg[i] {
			continue
		}
		// A meeting is read a sentence at a time: "we had a steerco a fortnight ago; the outcome: …" is one.
		cl := s
		text := d.at(cl)
		agreed, agreedAt := "", len(text)
		if m := agreedRE.FindStringSubmatchIndex(text); m != nil {
			agreed, agreedAt = text[m[2]:m[3]], m[0]
		}
		// When the meeting was: the first time said before what was agreed (a date after it is the
		// agreement's own).
		when, date, at := "", "", len(text)
		for _, h := range dates(d.text, cl, d.c.Today) {
			if start := h.sp.start - cl.start; start < agreedAt {
				when, at = d.text[h.sp.start:h.sp.end], start
				day := h.date
				if day.After(d.c.Today) && !yearRE.MatchString(when) && !day.AddDate(-1, 0, 0).After(d.c.Today) {
					day = day.AddDate(-1, 0, 0) // a meeting that mattered is behind us: "3 Nov" said on 25 November
				}
				if h.ok && h.prec == ExactDay && !day.After(d.c.Today) {
					date = day.Format(time.DateOnly)
				}
				break
			}
		}
		// "The last call", "our last meeting" say when, unless a day is said too ("last call was the
		// QBR on 12 November").
		if loc := recentRE.FindStringIndex(text); loc != nil && date == "" && loc[0] < at && loc[0] < agreedAt {
			when = text[loc[0]:loc[1]]
		}
		isMeeting := metRE.MatchString(text)
		switch {
		case topic && isMeeting && (when != "" || agreed != ""):
		case topic && when != "" && agreed != "":
		case isMeeting && when != "" && agreed != "" && !d.promised(cl):
		default:
			continue
		}
		with := ""
		if ms := d.mentionsIn(cl); len(ms) > 0 {
			var names []string
			for _, m := range ms {
				if !contains(names, m.name) {
					names = append(names, m.name)
				}
			}
			with = strings.Join(names, ", ")
		} else if m := withRE.FindStringSubmatch(text); m != nil {
			with = m[1] + m[2]
		}
		// Each case above has a time or an agreement (or both).
		if f, ok := d.finding(Meeting, cl, map[string]string{"when": when, "date": date, "with": with, "agreed": agreed}); ok {
			out = append(out, f)
		}
	}
	return out
}
