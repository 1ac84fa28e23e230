package extract

import "testing"

// Answers about one account, in the styles CSMs use: terse, rambling, lists with semicolons.
func TestOfflineAccountAnswers(t *testing.T) {
	t.Parallel()
	acc := "Northwind Traders"
	run(t, []tcase{
		{"auto-renewal with a notice period", []string{"renewal"}, acc,
			"Their contract auto-renews on 1 March unless they give 60 days notice; Hannah Lee in procurement signs off.",
			[]want{
				{Stakeholder, map[string]string{"name": "Hannah Lee", "role": "procurement", "relationship": "decision_maker"}},
				{Renewal, map[string]string{"date": "2026-03-01", "probability": "0.9", "decider": "Hannah Lee", "blockers": "unless they give 60 days notice"}},
			}},
		{"the renewal's own date, not an earlier month", []string{"churn_risk", "renewal"}, acc,
			"High risk. The GPS drifted for two weeks in October and the dispatchers lost trust in the maps. Victor signs the renewal on 20 February.",
			[]want{
				{Risk, map[string]string{"level": "high", "basis": "stated", "driver": "The GPS drifted for two weeks in October and the dispatchers lost trust in the maps"}},
				{Renewal, map[string]string{"date": "2026-02-20", "decider": "Victor"}},
				{Stakeholder, map[string]string{"name": "Victor", "relationship": "decision_maker"}},
			}},
		{"a competitor named before its demo, and shopping around", []string{"churn_risk"}, acc,
			"Victor is shopping around; Samsara has already done a demo for them.",
			[]want{{Risk, map[string]string{"level": "high", "basis": "inferred", "drivers": "competitor", "competitor": "Samsara"}}}},
		{"a deployment's seats are not an upsell when nothing commercial is in motion", []string{"account_overview", "upsell"}, acc,
			"Store support for 20 stores, 25 seats. Nothing commercial in motion.", nil},
		{"a ticket reference joins its issue", []string{"open_issues"}, acc,
			"The GPS drift bug, ticket OPS-2231, is still open.",
			[]want{{OpenIssue, map[string]string{"what": "The GPS drift bug", "reference": "OPS-2231", "status": "open"}}}},
		{"no open issues: a need is not one", []string{"open_issues", "workarounds"}, acc,
			"No open issues. They need the weekly CSV export of store tickets that I send every Monday morning.", nil},
		{"the deadline, not the month of the outage", []string{"commitments"}, acc,
			"I promised Hannah a service credit for the October outage, due by 15 December.",
			[]want{{Commitment, map[string]string{"what": "a service credit for the October outage", "to_whom": "Hannah", "due_date": "2025-12-15", "status": "open"}}}},
		{"low risk", []string{"churn_risk"}, acc,
			"Low risk, they're a loyal customer and very happy with the product.",
			[]want{{Risk, map[string]string{"level": "low", "basis": "stated", "driver": "they're a loyal customer and very happy with the product"}}}},
		{"high risk with a competitor", []string{"churn_risk"}, acc,
			"High risk: budget cuts and a new CTO who prefers Freshdesk. They're evaluating Freshdesk right now.",
			[]want{{Risk, map[string]string{"level": "high", "basis": "stated", "driver": "budget cuts and a new CTO who prefers Freshdesk", "drivers": "budget, sponsor change, competitor", "competitor": "Freshdesk"}}}},
		{"might churn", []string{"churn_risk"}, acc,
			"They might churn next year if the SSO issue is not fixed.",
			[]want{{Risk, map[string]string{"level": "medium", "basis": "inferred", "driver": "the SSO issue is not fixed"}}}},
		{"end of the month, very likely", []string{"renewal"}, acc,
			"Renewal is end of the month and very likely, Priya already has budget approved.",
			[]want{{Renewal, map[string]string{"date": "2025-11-30", "probability": "0.85"}}}},
		{"unlikely, with a new COO", []string{"renewal", "churn_risk"}, acc,
			"Unlikely to renew, I'd say. The contract ends 30 June 2026 and the new COO, Victor Hugo-Blanc, wants to consolidate vendors.",
			[]want{
				{Risk, map[string]string{"level": "high", "basis": "inferred", "drivers": "sponsor change, consolidation"}},
				{Renewal, map[string]string{"date": "2026-06-30", "probability": "0.3"}},
				{Stakeholder, map[string]string{"name": "Victor Hugo-Blanc", "role": "new COO", "notes": "wants to consolidate vendors", "status": "new"}},
			}},
		{"terse risk and renewal", []string{"churn_risk", "renewal"}, acc,
			"High. They are unhappy. 20 February. Victor signs.",
			[]want{
				{Risk, map[string]string{"level": "high", "basis": "stated", "driver": "They are unhappy", "drivers": "relationship"}},
				{Renewal, map[string]string{"date": "2026-02-20", "decider": "Victor"}},
				{Stakeholder, map[string]string{"name": "Victor", "relationship": "decision_maker"}},
			}},
		{"rambling risk, renewal and a promise", []string{"churn_risk", "renewal"}, acc,
			"Honestly, it's a bit up and down. Umm, they were really frustrated in the summer after the outage, but it's calmer now. I'd call it low risk. Renewal is on 15 March and it's likely, Marco Rossi signs. Oh, and I told Marco I'd send him the uptime report by the end of the month.",
			[]want{
				{Risk, map[string]string{"level": "low", "basis": "stated", "drivers": "relationship, product issue"}},
				{Stakeholder, map[string]string{"name": "Marco Rossi", "relationship": "decision_maker"}},
				{Renewal, map[string]string{"date": "2026-03-15", "probability": "0.7", "decider": "Marco Rossi"}},
				{Commitment, map[string]string{"what": "the uptime report", "to_whom": "Marco Rossi", "due_date": "2025-11-30", "status": "open"}},
			}},
		{"quarter, coin flip and a blocker", []string{"renewal"}, acc,
			"Renewal in Q1 2026, 50/50 at this point; blocked by their security review.",
			[]want{{Renewal, map[string]string{"date": "2026-03-31", "probability": "0.5", "blockers": "their security review"}}}},
		{"competitor named in a renewal answer", []string{"renewal"}, acc,
			"Renewal 28 February; they are evaluating a competitor, Zendesk, and Marco wants a 20% discount.",
			[]want{
				{Risk, map[string]string{"level": "high", "basis": "inferred", "drivers": "competitor, price", "competitor": "Zendesk"}},
				{Renewal, map[string]string{"date": "2026-02-28"}},
			}},
		{"executive sponsor with a title", []string{"stakeholders", "communication"}, acc,
			"Dr. Aisha Khan, their head of clinical operations, is our executive sponsor. She only answers on Teams. Their admin, Tom O'Neill, handles user setup and is a bit frustrated with SSO.",
			[]want{
				{Stakeholder, map[string]string{"name": "Dr. Aisha Khan", "role": "head of clinical operations", "relationship": "sponsor", "channel": "teams"}},
				{Stakeholder, map[string]string{"name": "Tom O'Neill", "role": "admin", "relationship": "admin", "sentiment": "negative", "notes": "frustrated with SSO"}},
			}},
		{"team and apposition before the name", []string{"stakeholders"}, acc,
			"Anna Berg from finance approves every invoice, and their admin, Tom, runs the Okta setup.",
			[]want{
				{Stakeholder, map[string]string{"name": "Anna Berg", "role": "finance"}},
				{Stakeholder, map[string]string{"name": "Tom", "role": "admin", "relationship": "admin"}},
			}},
		{"detractor", []string{"stakeholders"}, acc,
			"Jonas Weber in IT is a detractor; he wanted Freshdesk and still pushes for it.",
			[]want{{Stakeholder, map[string]string{"name": "Jonas Weber", "role": "IT", "relationship": "other", "sentiment": "negative", "notes": "pushes for it"}}}},
		{"label list of channels", []string{"communication"}, acc,
			"Priya: Slack, daily. Marco: e-mail only, monthly summary.",
			[]want{
				{Stakeholder, map[string]string{"name": "Priya", "channel": "slack"}},
				{Stakeholder, map[string]string{"name": "Marco", "channel": "email"}},
			}},
		{"roles as a semicolon list", []string{"stakeholders"}, acc,
			"Champion: Priya Shah (Head of Support); decision maker: Marco Rossi, CFO; admin: Tom Berg.",
			[]want{
				{Stakeholder, map[string]string{"name": "Priya Shah", "role": "Head of Support", "relationship": "champion", "sentiment": "positive"}},
				{Stakeholder, map[string]string{"name": "Marco Rossi", "role": "CFO", "relationship": "decision_maker"}},
				{Stakeholder, map[string]string{"name": "Tom Berg", "relationship": "admin"}},
			}},
		{"hyphens, apostrophes and an account", []string{"stakeholders"}, acc,
			"At Globex, Jean-Luc Picard is the VP of Operations and a big fan; Siobhan O'Brien in IT is neutral.",
			[]want{
				{Stakeholder, map[string]string{"name": "Jean-Luc Picard", "role": "VP of Operations", "relationship": "champion", "sentiment": "positive"}},
				{Stakeholder, map[string]string{"name": "Siobhan O'Brien", "role": "IT", "sentiment": "neutral"}},
			}},
		{"names beyond ASCII", []string{"stakeholders", "communication"}, acc,
			"Zoë Müller is the budget holder; she reads everything on WhatsApp.",
			[]want{{Stakeholder, map[string]string{"name": "Zoë Müller", "relationship": "decision_maker", "channel": "whatsapp"}}}},
		{"the CSM is not a stakeholder", []string{"stakeholders"}, acc,
			"Dana Whitfield set this up with Globex years ago; now Priya Shah at Northwind is my main contact, and honestly she is great.",
			[]want{{Stakeholder, map[string]string{"name": "Priya Shah", "sentiment": "positive"}}}},
		{"pronoun and a zoom call", []string{"communication"}, acc,
			"I talk to Priya every Tuesday on a Zoom call; she escalates through me, never through support. Marco prefers a short monthly e-mail.",
			[]want{
				{Stakeholder, map[string]string{"name": "Priya", "channel": "zoom"}},
				{Stakeholder, map[string]string{"name": "Marco", "channel": "email"}},
			}},
		{"a role without commas", []string{"churn_risk", "renewal"}, acc,
			"They are unhappy because reporting is slow; we offered a training. Renewal is on 31 January 2027 and Marco the CFO decides.",
			[]want{
				{Risk, map[string]string{"level": "medium", "basis": "inferred", "driver": "reporting is slow", "drivers": "relationship, product issue"}},
				{Commitment, map[string]string{"what": "a training", "status": "open"}},
				{Stakeholder, map[string]string{"name": "Marco", "role": "CFO", "relationship": "decision_maker"}},
				{Renewal, map[string]string{"date": "2027-01-31", "decider": "Marco"}},
			}},
		{"a promise to a role", []string{"open_issues", "commitments"}, acc,
			"There is one open ticket about exports, and I promised their admin a fix by 5 December.",
			[]want{
				{Commitment, map[string]string{"what": "a fix", "to_whom": "their admin", "due_date": "2025-12-05", "status": "open"}},
				{OpenIssue, map[string]string{"what": "one open ticket about exports", "status": "open"}},
			}},
		{"verbal upsell in euros", []string{"upsell"}, acc,
			"Globex verbally agreed to an upgrade to the Enterprise tier, roughly €1.2M over three years; next step is a call with their procurement lead on 3 December.",
			[]want{{Upsell, map[string]string{"product": "Enterprise tier", "value": "1200000", "stage": "verbal", "next_step": "a call with their procurement lead on 3 December", "due_date": "2025-12-03"}}}},
		{"more seats", []string{"upsell"}, acc,
			"They want 25 more seats in Q1, maybe 30k; pricing discussed with Marco.",
			[]want{{Upsell, map[string]string{"product": "more seats", "value": "30000", "stage": "proposal", "contact": "Marco"}}}},
		{"promise kept and promise owed", []string{"commitments"}, acc,
			"I promised them a data export last month, already sent; I still owe Priya a written root-cause analysis for the SSO outage by Friday.",
			[]want{
				{Commitment, map[string]string{"what": "a data export last month", "status": "done"}},
				{Commitment, map[string]string{"what": "a written root-cause analysis for the SSO outage", "to_whom": "Priya", "due_date": "2025-11-21", "status": "open"}},
			}},
		{"next Friday", []string{"commitments"}, acc,
			"I sent the renewal quote last week, that's done. I'll send Priya the updated SOW by next Friday.",
			[]want{{Commitment, map[string]string{"what": "the updated SOW", "to_whom": "Priya", "due_date": "2025-11-21", "status": "open"}}}},
		{"tickets in two systems", []string{"open_issues"}, acc,
			"JIRA KB-118 (bulk edit times out) is waiting on the customer's logs; Zendesk #48213 about invoice PDFs is with billing.",
			[]want{
				{OpenIssue, map[string]string{"what": "bulk edit times out", "reference": "JIRA KB-118", "status": "waiting", "owner": "customer"}},
				{OpenIssue, map[string]string{"what": "invoice PDFs", "reference": "Zendesk #48213", "owner": "billing"}},
			}},
		{"a no that is not nothing", []string{"open_issues", "commitments"}, acc,
			"No open tickets, but there is an escalation about slow exports, ESC-77, waiting on product.",
			[]want{{OpenIssue, map[string]string{"what": "an escalation about slow exports", "reference": "ESC-77", "status": "waiting", "owner": "product"}}}},
		{"weekly manual sync", []string{"workarounds"}, acc,
			"Every Monday their admin re-runs the user sync by hand in the admin console; otherwise new agents can't log in.",
			[]want{{Workaround, map[string]string{"what": "Every Monday their admin re-runs the user sync by hand in the admin console", "location": "admin console", "frequency": "every Monday", "impact": "new agents can't log in"}}}},
		{"workaround in an overview", []string{"account_overview"}, acc,
			"They use us for tier-1 support across 3 regions; the Salesforce integration needs a manual re-sync every week because of a custom field.",
			[]want{{Workaround, map[string]string{"what": "the Salesforce integration needs a manual re-sync every week", "frequency": "weekly", "impact": "a custom field"}},
				// The overview asks for the customer's other systems: Salesforce, integrated, is one.
				{System, map[string]string{"kind": "integration", "name": "Salesforce", "category": "crm"}}}},
	})
}

// Portfolio-wide answers: no account, findings about the CSM's own ways of working.
func TestOfflinePortfolioAnswers(t *testing.T) {
	t.Parallel()
	run(t, []tcase{
		{"themes that come up, and a remark about them", []string{"product_feedback"}, "",
			"Faster reporting, bulk editing of tickets and a proper Salesforce integration come up all the time; none of it was filed as a feature request.",
			[]want{{Feedback, map[string]string{"theme": "Faster reporting, bulk editing of tickets and a proper Salesforce integration"}}}},
		{"security mailbox and legal counsel", []string{"escalation_paths"}, "",
			"Security questions go to security@acme.io; for legal, ping Sarah O'Connor, our deal desk counsel, on Slack.",
			[]want{
				{EscalationContact, map[string]string{"for": "security questions", "channel": "security@acme.io"}},
				{EscalationContact, map[string]string{"for": "legal", "name": "Sarah O'Connor", "role": "deal desk counsel", "channel": "Slack"}},
			}},
		{"a phone number and a team", []string{"escalation_paths"}, "",
			"If the API is down, call the NOC at +1 555 0100. For anything contractual, Sam Patel in legal.",
			[]want{
				{EscalationContact, map[string]string{"for": "the API is down", "role": "NOC", "channel": "+1 555 0100"}},
				{EscalationContact, map[string]string{"for": "anything contractual", "name": "Sam Patel", "role": "legal"}},
			}},
		{"feedback naming customers", []string{"product_feedback"}, "",
			"Several customers, Globex and Initech especially, keep asking for SSO with Okta; Northwind complains that reporting is too slow.",
			[]want{
				{Feedback, map[string]string{"theme": "SSO with Okta", "customers": "Globex, Initech"}},
				{Feedback, map[string]string{"theme": "reporting is too slow", "customers": "Northwind Traders"}},
			}},
		{"feedback as a terse list", []string{"product_feedback"}, "",
			"Bulk edit for tickets (Umbrella, Globex); a mobile app; better audit logs.",
			[]want{
				{Feedback, map[string]string{"theme": "Bulk edit for tickets", "customers": "Umbrella, Globex"}},
				{Feedback, map[string]string{"theme": "a mobile app"}},
				{Feedback, map[string]string{"theme": "better audit logs"}},
			}},
		{"weekly and monthly routines", []string{"internal_workflows"}, "",
			"Every Monday I update the health scores in Gainsight; monthly I send the renewal forecast to my manager in Salesforce.",
			[]want{
				{Process, map[string]string{"what": "update the health scores", "cadence": "every Monday", "tool": "Gainsight"}},
				{Process, map[string]string{"what": "send the renewal forecast to my manager", "cadence": "monthly", "tool": "Salesforce"}},
			}},
		{"two routines in one sentence", []string{"internal_workflows"}, "",
			"I run a pipeline review with sales every other Thursday in Zoom, and I log every call in HubSpot.",
			[]want{
				{Process, map[string]string{"what": "run a pipeline review with sales", "cadence": "every other Thursday", "tool": "Zoom"}},
				{Process, map[string]string{"what": "log every call", "tool": "HubSpot"}},
			}},
		{"onboarding change with a reason", []string{"onboarding_changes"}, "",
			"I replaced the three kickoff calls with one half-day workshop because admins stopped showing up to the later calls.",
			[]want{{Decision, map[string]string{"what": "I replaced the three kickoff calls with one half-day workshop", "why": "admins stopped showing up to the later calls"}}}},
		{"onboarding change without a reason", []string{"onboarding_changes"}, "",
			"We now send a welcome pack with a Loom video before the kickoff.",
			[]want{{Process, map[string]string{"what": "now send a welcome pack with a Loom video before the kickoff"}}}},
		{"two private trackers", []string{"shadow_systems"}, "",
			"I keep a private Excel file on my laptop tracking who has been promised what; the Trello board 'CS follow-ups' has every open action.",
			[]want{
				{ShadowSystem, map[string]string{"what": "private Excel file", "location": "my laptop", "contents": "who has been promised what"}},
				{ShadowSystem, map[string]string{"what": "Trello board 'CS follow-ups'", "contents": "every open action"}},
			}},
		{"nothing to add", []string{"product_feedback"}, "", "Nope, nothing to add.", nil},
		{"nothing in motion", []string{"upsell"}, "", "Nothing commercial in motion.", nil},
	})
}

// TestStakeholderStatus: who left, who is on leave, who is new and who must not be contacted, read from
// the sentences that name them, also a negated one.
func TestStakeholderStatus(t *testing.T) {
	t.Parallel()
	text := "Our sponsor Marco Rossi left in October. Priya Shah is the champion but she's on maternity leave until March. " +
		"The new CIO, Dana Kim, decides now. Tom Price runs procurement. Never cc Tom on anything, he forwards everything to legal. " +
		"Anna Berg, their admin, is great."
	want := map[string][2]string{"Marco Rossi": {"left", ""}, "Priya Shah": {"on_leave", ""}, "Dana Kim": {"new", ""},
		"Tom Price": {"", "yes"}, "Anna Berg": {"", ""}}
	got := map[string][2]string{}
	for _, f := range Offline(text, Context{Topics: []string{"stakeholders"}, Account: "Northwind"}) {
		if f.Type == Stakeholder {
			got[f.Fields["name"]] = [2]string{f.Fields["status"], f.Fields["do_not_contact"]}
		}
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: status and do-not-contact %q, want %q (all: %v)", name, got[name], w, got)
		}
	}
}
