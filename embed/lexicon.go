package embed

import (
	"slices"
	"strings"
)

// concept is a class of words that mean the same thing to a successor reading a CSM's notes. Hashing
// alone cannot tell that "who signs the contract?" and "the CFO approves the renewal" are about the
// same thing — they share no word — so each word of a concept also adds the concept's own feature.
//
// Words are written in one form each: they go through the same lower-casing and stemming as text, so
// "approve" also catches "approves", "approved" and "approval". A hyphenated word is written joined
// ("signoff", "oncall"), as the tokenizer joins hyphens between letters. A word may sit in several
// concepts. Changing this table changes the vectors: bump offlineModel.
type concept struct {
	name  string
	words string // space-separated
}

// lexicon gives each concept its own coordinate (see offline.go), in this order.
var lexicon = [...]concept{
	// Who decides and who pays.
	{"decider", "sign signature signoff signer decide decision approve approver budget cfo ceo buyer economic procurement purchase"},
	{"executive", "executive exec ceo cfo cto coo cio vp chief president founder leadership board svp evp"},
	{"champion", "champion advocate sponsor ally fan supporter internal evangelist believer backer"},
	{"detractor", "detractor blocker skeptic skeptical opponent critic resist resistant hostile doubt"},
	{"role", "admin administrator manager director head lead owner coordinator analyst specialist"},
	{"stakeholder", "stakeholder team department org organization reorg colleague boss person people"},
	{"personnel", "left quit resign resigned departed replaced hire hired joined successor predecessor newcomer"},

	// The commercial relationship.
	{"renewal", "renew renewal contract term expiry expire extend extension autorenew agreement msa"},
	{"expansion", "upsell expand expansion seat license addon upgrade crosssell growth additional tier grow"},
	{"churn", "churn leave cancel cancellation cancelled canceling unhappy frustrated risk competitor switch evaluate alternative replace"},
	{"money", "price pricing cost discount arr mrr acv revenue dollar spend fee expensive cheap paid pay"},
	{"billing", "invoice billing payment overdue collection po payable credit refund chargeback"},
	{"negotiation", "negotiate negotiation concession leverage counteroffer pushback haggle redline bargain"},
	{"legal", "legal lawyer counsel clause liability indemnity dpa terms nda"},
	{"value", "value roi benefit saving impact outcome justify worth efficiency"},
	{"competitor", "competitor rival vendor alternative salesforce hubspot gainsight zendesk incumbent"},
	{"pilot", "pilot trial poc proof sandbox test evaluation beta"},

	// Health and sentiment.
	{"positive", "happy pleased love great satisfied delighted thrilled enthusiastic positive praise thank excited glad"},
	{"negative", "unhappy frustrated angry annoyed upset disappointed complain complaint negative hate poor bad furious"},
	{"risk", "risk risky concern worried worry warning redflag nervous hesitant shaky skeptical doubt"},
	{"health", "health score nps csat rating survey sentiment pulse"},
	{"usage", "usage adoption active login engagement utilization dau mau adopt"},
	{"decline", "decline drop decrease fewer shrink lower fell dip"},

	// Work owed and work done.
	{"issue", "bug ticket incident outage escalation issue problem defect broken error failure crash downtime fix break"},
	{"commitment", "promise commit agreed owe deadline due deliver guarantee assure pledge"},
	{"workaround", "workaround script manual hack custom patch cron macro kludge"},
	{"integration", "integration integrate sync api webhook connector import export pipeline etl csv"},
	{"performance", "slow latency performance speed timeout lag fast sluggish responsive"},
	{"urgency", "urgent asap priority critical blocker immediately escalate hotfix emergency"},
	{"feedback", "feature request feedback wish missing roadmap ask want suggestion enhancement idea"},
	{"product", "product platform module dashboard app tool interface ui functionality"},
	{"reporting", "report reporting analytics insight metric chart kpi visualization"},

	// Where things are kept, and how people talk.
	{"tracker", "spreadsheet sheet excel tracker notes notion doc document drive folder list airtable gsheet"},
	{"storage", "keep kept store saved located wiki confluence sharepoint dropbox repository archive"},
	{"contact", "email slack call phone meeting reach contact channel zoom text message whatsapp"},
	{"preference", "prefer preference style direct formal casual concise brief detail bullet"},
	{"cadence", "qbr ebr review cadence weekly biweekly monthly checkin standup sync recurring"},
	{"relationship", "relationship rapport trust friendly personal coffee lunch dinner hobby family"},
	{"handover", "handover handoff transition successor introduce intro takeover inherit context"},

	// Support and escalation paths.
	{"escalation", "escalate escalation engineering support oncall pagerduty finance legal cto sre"},
	{"support", "support helpdesk zendesk intercom queue sla response agent"},
	{"security", "sso saml login password access permission mfa okta credential role provisioning scim"},
	{"compliance", "compliance soc2 gdpr hipaa audit dpa privacy regulation questionnaire iso27001 pentest"},

	// Time and plans.
	{"time", "deadline date quarter q1 q2 q3 q4 week month year annual fiscal eoy eoq timeline"},
	{"month", "january february march april june july august september october november december"},
	{"onboarding", "onboard onboarding kickoff training setup implementation rollout launch golive enablement"},
	{"goal", "goal objective success plan milestone target okr initiative strategy"},
	{"rationale", "why reason because decided chose choice rationale tradeoff motivation"},
	{"process", "process workflow procedure policy approval step requirement playbook runbook"},
	{"documentation", "documentation guide tutorial instructions howto manual handbook readme"},
}

// moneyConcept is the concept a currency sign ($, €, £, ¥) counts toward, so "$50k" meets "price".
const moneyConcept = "money"

// entry is what is known of a word or stem hash: whether it is a stop word, and its concepts.
type entry struct {
	stop     bool
	concepts []uint16
}

var (
	vocab      = buildVocab()
	moneyIndex = conceptIndex(moneyConcept)
	// emptyVector is the vector of a text without features: one hashed feature, so it is a unit
	// vector unrelated to any real text.
	emptyVector = func() (v [offlineDims]float32) {
		d, neg := place(wordHash([]byte("<empty>")))
		v[d] = 1
		if neg {
			v[d] = -1
		}
		return v
	}()
)

// buildVocab keys stop words by their hash and lexicon words by their stem's, as emit looks them up.
func buildVocab() map[uint64]entry {
	m := make(map[uint64]entry)
	for _, w := range strings.Fields(stopWords) {
		h := wordHash([]byte(w))
		e := m[h]
		e.stop = true
		m[h] = e
	}
	for i, c := range lexicon {
		for _, w := range strings.Fields(c.words) {
			h := wordHash(lexiconKey(w))
			e := m[h]
			if !slices.Contains(e.concepts, uint16(i)) {
				e.concepts = append(e.concepts, uint16(i))
			}
			m[h] = e
		}
	}
	return m
}

// lexiconKey is the form under which emit looks a lexicon word up: stemmed when it is letters only.
func lexiconKey(w string) []byte {
	b := []byte(w)
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return b
		}
	}
	return stem(b)
}

func conceptIndex(name string) int {
	for i, c := range lexicon {
		if c.name == name {
			return i
		}
	}
	panic("embed: no lexicon concept " + name)
}
