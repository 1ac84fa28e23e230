package extract

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// want is what a case checks of a finding: its type and fields. Text and offsets are checked for every
// finding by checkSpans.
type want struct {
	Type   string
	Fields map[string]string
}

type tcase struct {
	name    string
	topics  []string
	account string // "" for a portfolio-wide answer
	text    string
	want    []want
}

// The interview's day: a Thursday, so "next Friday" is the day after and "31 January" is next year's.
var today = time.Date(2025, 11, 20, 15, 4, 0, 0, time.UTC)

func ctx(tc tcase) Context {
	return Context{Topics: tc.topics, Account: tc.account, CSMName: "Dana Whitfield", Today: today,
		Accounts: []string{"Northwind Traders", "Globex", "Initech", "Umbrella"}}
}

func run(t *testing.T, cases []tcase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Offline(tc.text, ctx(tc))
			checkSpans(t, tc.text, got)
			var have []want
			for _, f := range got {
				have = append(have, want{f.Type, f.Fields})
			}
			if diff := cmp.Diff(tc.want, have); diff != "" {
				t.Errorf("Offline(%q) findings (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

var types = map[string]bool{Risk: true, Stakeholder: true, Upsell: true, Renewal: true, Commitment: true,
	OpenIssue: true, Workaround: true, EscalationContact: true, Feedback: true, Process: true, Decision: true,
	ShadowSystem: true, Objective: true, System: true, Document: true, Advocacy: true, Meeting: true}

// checkSpans holds every finding to the contract: a known type, Text cut verbatim from the input at
// [Start:End], and no empty field.
func checkSpans(t *testing.T, text string, got []Finding) {
	t.Helper()
	for _, f := range got {
		if !types[f.Type] {
			t.Errorf("unknown type %q", f.Type)
		}
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End {
			t.Errorf("%s: span [%d:%d] out of bounds of %d bytes", f.Type, f.Start, f.End, len(text))
			continue
		}
		if text[f.Start:f.End] != f.Text {
			t.Errorf("%s: Text %q is not the input at [%d:%d] (%q)", f.Type, f.Text, f.Start, f.End, text[f.Start:f.End])
		}
		for k, v := range f.Fields {
			if v == "" {
				t.Errorf("%s: field %s is empty", f.Type, k)
			}
			if !slices.Contains(FieldsOf[f.Type], k) {
				t.Errorf("%s: field %s is not in FieldsOf", f.Type, k)
			}
		}
	}
}

// Answers a real CSM gave in our transcripts.
func TestOfflineTranscripts(t *testing.T) {
	t.Parallel()
	run(t, []tcase{
		{"stakeholders with roles and channels", []string{"stakeholders", "communication"}, "Northwind Traders",
			"Priya Shah runs support operations and is our champion. Marco Rossi, the CFO, signs and is sceptical about cost. Priya prefers our shared Slack channel; Marco only reads e-mail and wants a quarterly business review.",
			[]want{
				{Stakeholder, map[string]string{"name": "Priya Shah", "role": "runs support operations", "relationship": "champion", "sentiment": "positive", "channel": "slack"}},
				{Stakeholder, map[string]string{"name": "Marco Rossi", "role": "CFO", "relationship": "decision_maker", "sentiment": "negative", "channel": "email", "notes": "sceptical about cost; wants a quarterly business review"}},
			}},
		{"risk, an offer and the renewal", []string{"churn_risk", "renewal"}, "Northwind Traders",
			"Medium risk, because the reporting module is too slow for their board reports; they have looked at Zendesk. We offered a reporting workshop in November. 31 January, Marco decides, I'd put it at 70% if reporting improves before then.",
			[]want{
				{Risk, map[string]string{"level": "medium", "basis": "stated", "driver": "the reporting module is too slow for their board reports", "drivers": "product issue, competitor", "competitor": "Zendesk"}},
				{Commitment, map[string]string{"what": "a reporting workshop", "due_date": "2025-11-30", "status": "open"}},
				{Stakeholder, map[string]string{"name": "Marco", "relationship": "decision_maker"}},
				{Renewal, map[string]string{"date": "2026-01-31", "probability": "0.7", "decider": "Marco", "blockers": "if reporting improves before then"}},
			}},
		{"upsell in fragments", []string{"upsell"}, "Northwind Traders",
			"Workforce management add-on, 40 seats, about $60k; proposal sent, demo with Priya's team leads on 10 December.",
			[]want{
				{Upsell, map[string]string{"product": "Workforce management add-on", "value": "60000", "stage": "proposal", "next_step": "demo with Priya's team leads on 10 December", "due_date": "2025-12-10", "contact": "Priya"}},
			}},
		{"two tickets and two promises", []string{"open_issues", "commitments"}, "Northwind Traders",
			"Two open tickets: the SLA export bug SUP-4411 and last week's SSO outage, still under investigation by engineering. I promised Priya a fix date for the export bug by 5 December, and a roadmap call with our product manager before the renewal.",
			[]want{
				{OpenIssue, map[string]string{"what": "the SLA export bug", "reference": "SUP-4411", "status": "open"}},
				{OpenIssue, map[string]string{"what": "last week's SSO outage", "status": "under investigation", "owner": "engineering"}},
				{Commitment, map[string]string{"what": "a fix date for the export bug", "to_whom": "Priya", "due_date": "2025-12-05", "status": "open"}},
				{Commitment, map[string]string{"what": "a roadmap call with our product manager before the renewal", "to_whom": "Priya", "status": "open"}},
			}},
		{"nightly script", []string{"workarounds"}, "Northwind Traders",
			"A nightly script exports tickets to CSV and re-imports them into their BI tool because the connector breaks on custom fields; it lives in the shared drive under Integrations/Northwind.",
			[]want{
				{Workaround, map[string]string{"what": "A nightly script exports tickets to CSV and re-imports them into their BI tool", "location": "shared drive under Integrations/Northwind", "frequency": "nightly", "impact": "the connector breaks on custom fields"}},
			}},
		{"escalation paths in one breath", []string{"escalation_paths"}, "",
			"Bugs go to Lena Fischer, the support engineering lead, in #cs-escalations on Slack; billing goes to finance through a Jira ticket; outages page the on-call engineer through PagerDuty.",
			[]want{
				{EscalationContact, map[string]string{"for": "bugs", "name": "Lena Fischer", "role": "support engineering lead", "channel": "#cs-escalations on Slack"}},
				{EscalationContact, map[string]string{"for": "billing", "role": "finance", "channel": "Jira ticket"}},
				{EscalationContact, map[string]string{"for": "outages", "role": "on-call engineer", "channel": "PagerDuty"}},
			}},
		{"renewal radar", []string{"shadow_systems"}, "",
			"A Google Sheet called Renewal radar in my Drive, with every renewal date, last contact and sentiment.",
			[]want{
				{ShadowSystem, map[string]string{"what": "Google Sheet 'Renewal radar'", "location": "my Drive", "contents": "every renewal date, last contact and sentiment"}},
			}},
		{"discount for a reference", []string{"decision_rationale"}, "",
			"We gave Globex a 15% discount last year because they agreed to be a reference customer; keep it until their renewal.",
			[]want{
				{Decision, map[string]string{"what": "We gave Globex a 15% discount last year", "why": "they agreed to be a reference customer"}},
			}},
		{"no upsell", []string{"upsell"}, "Northwind Traders", "No upsell in progress.", nil},
		{"none", []string{"open_issues", "commitments"}, "Northwind Traders", "None.", nil},
		{"nothing open", []string{"open_issues", "commitments"}, "Northwind Traders", "Nothing open right now. None outstanding.", nil},
		{"empty", []string{"churn_risk"}, "Northwind Traders", "", nil},
	})
}

func TestOfflineDeterministic(t *testing.T) {
	t.Parallel()
	tc := tcase{topics: []string{"churn_risk", "renewal", "commitments"}, account: "Northwind Traders",
		text: "High risk: budget cuts. Renewal 31 January, Marco decides. I'll send Marco the uptime report by next Friday."}
	first := Offline(tc.text, ctx(tc))
	for range 20 {
		if diff := cmp.Diff(first, Offline(tc.text, ctx(tc))); diff != "" {
			t.Fatalf("second run differs (-first +again):\n%s", diff)
		}
	}
}
