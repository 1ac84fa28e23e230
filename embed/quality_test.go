package embed

import "testing"

// paraphrases are what successors ask, each with a passage a CSM might have said that answers it and
// one that does not. The non-matching passage often names the same account, so a word shared with the
// question by accident (the account name) must not beat the meaning.
var paraphrases = []struct{ question, match, nonmatch string }{
	{"who signs the contract at Northwind", "Marco Rossi, the CFO, approves the renewal", "Priya prefers Slack for quick questions"},
	{"who signs the contract at Northwind?", "At Northwind, Marco Rossi, the CFO, approves every renewal and holds the budget.", "Priya at Northwind prefers Slack for quick questions and hates long emails."},
	{"is anyone at Globex unhappy?", "Their ops lead has been frustrated with the outages and mentioned looking at a competitor.", "Globex rolled out the reporting module to three new teams last quarter."},
	{"where does Dana keep her renewal tracker?", "All renewal dates live in a Google Sheet in the shared CS drive, one tab per quarter.", "Dana escalates billing disputes to finance through a Jira ticket."},
	{"what did we promise Initech?", "I committed to deliver the SSO fix for Initech by the end of March.", "Initech's admin asked for a training session on dashboards."},
	{"who is our champion at Acme?", "Sarah in operations loves the product and pushes for it internally; she is our biggest advocate.", "Acme's invoices go to accounts payable, net 60 terms."},
	{"are there any open bugs for Umbrella?", "Umbrella still has two tickets open with engineering about the export failing on large files.", "Umbrella's CEO enjoys golf and we usually meet at their offices in Denver."},
	{"any upsell opportunity at Hooli?", "Hooli wants forty more seats for their new EMEA team and asked about the analytics add-on.", "Hooli had a painful outage in May that support resolved within a day."},
	{"how does Soylent prefer to be contacted?", "Their team would rather use Slack than email and hates scheduled calls.", "Soylent's renewal is due in September and pricing will be tight."},
	{"what workarounds are in place at Wayne Enterprises?", "We run a nightly script that exports their usage to CSV because the native integration breaks on custom fields.", "Wayne Enterprises' VP of Sales is new and has not met us yet."},
	{"when does the Stark contract expire?", "Stark's agreement ends on June 30 and auto-renews unless they give 60 days notice.", "Stark's support engineers escalate through PagerDuty at night."},
	{"who is the economic buyer at Cyberdyne?", "Budget decisions at Cyberdyne sit with their CFO, Miles Dyson, who signs off on anything above $50k.", "Cyberdyne's admins love the new dashboard layout."},
	{"what feature requests did Tyrell ask for?", "Tyrell keeps asking for a bulk edit option and SAML groups; both are on the roadmap for Q3.", "Tyrell's billing contact changed when their finance team reorganised."},
	{"is Vandelay at risk of churning?", "Vandelay is evaluating a competitor and their sponsor left last month, so the renewal is shaky.", "Vandelay has a weekly sync with us on Tuesdays at 10am."},
	{"who should I escalate outages to at Massive Dynamic?", "For incidents, page their on-call engineer via PagerDuty, then loop in Nina, head of IT.", "Massive Dynamic's procurement team insists on a three-year term."},
	{"how happy is Pied Piper with the product?", "Pied Piper is delighted; their NPS response was a 10 and they praised the onboarding.", "Pied Piper's contract includes a 15 percent discount negotiated last year."},
	{"how much revenue does Gringotts bring in?", "Gringotts pays about $240k a year, roughly 8% of our enterprise ARR.", "Gringotts refuses to use SSO and everyone logs in with passwords."},
	{"why did Oscorp choose us over Salesforce?", "They decided on us because our API made their migration easier and the price was lower.", "Oscorp's admin resets passwords for new hires every Monday."},
	{"when is the QBR with Dunder Mifflin?", "The next quarterly business review with Dunder Mifflin is scheduled for October 12 with Jan and David.", "Dunder Mifflin's paper tracking integration breaks when they export reports."},
	{"how do users log in at Aperture?", "Aperture uses Okta SSO with SAML; only admins can change permissions.", "Aperture's champion is Caroline in research, she defends us in budget meetings."},
	{"did Monsters Inc have any outages?", "There was a two-hour downtime in April that hit their billing sync, and the incident review is still pending.", "Monsters Inc wants to add thirty licenses next year."},
	{"what did Dana agree to deliver for Prestige Worldwide?", "Dana promised Prestige Worldwide a custom report by the 15th and a discount on the renewal.", "Prestige Worldwide moved their office to Catalina and their receptionist changed."},
	{"where is the onboarding plan for Bluth Company?", "The Bluth implementation plan and kickoff notes are in Notion under Customers / Bluth.", "Bluth Company disputes every invoice and pays late."},
	{"who at Wonka approves purchases?", "Purchases at Wonka go through procurement, and Charlie, the VP of Finance, gives the final sign-off.", "Wonka's team loves the chocolate-themed dashboard we built for them."},
	{"is Los Pollos Hermanos happy with support?", "They are pleased with how quickly tickets get answered and often thank the team on Slack.", "Los Pollos Hermanos' contract renews in November with a price increase."},
	{"what does Krusty Krab pay per seat?", "Krusty Krab pays $18 per seat per month after a 20% discount.", "Krusty Krab's manager Squidward rarely attends the weekly call."},
	{"does Sterling Cooper have any internal advocates?", "Peggy Olson is a strong supporter and champions the tool with her creative team.", "Sterling Cooper asked for a data export before the audit."},
	{"what happens if the Veidt integration breaks?", "When the Salesforce sync fails, rerun the cron job on the worker box and email their admin.", "Veidt signed a two year renewal with a discount last spring."},
	{"who replaced our sponsor at Nakatomi?", "After Takagi left, Ellis became our executive sponsor at Nakatomi.", "Nakatomi needs SOC 2 reports every year for compliance."},
	{"any billing problems with Duff?", "Duff's invoices keep bouncing because their PO number expired; finance is chasing payment.", "Duff has a loyal user base in marketing who love the templates."},
	{"which Initrode stakeholders are skeptical?", "Their IT director doubts the security model and their CFO thinks we are too expensive.", "Initrode's main users are the support agents who log tickets daily."},
	{"how often do we meet with Ollivanders?", "We have a biweekly check-in with Ollivanders every other Thursday, plus a QBR each quarter.", "Ollivanders' wand inventory sync is a custom script Dana wrote."},
	{"is usage dropping at Monarch?", "Active users at Monarch fell by a third since the reorg; logins are down every week.", "Monarch's legal team redlined the DPA for weeks."},
	{"what security reviews does Weyland need?", "Weyland sends a security questionnaire every year and requires our SOC2 report and a pentest summary.", "Weyland's champion moved to the London office in spring."},
	// Written after the weights were chosen, as a check that they were not fitted to the lines above.
	{"who makes the final call on budget at Hogwarts?", "Minerva in finance owns the budget and nothing over $20k is bought without her approval.", "Hogwarts uses our mobile app mostly on Fridays."},
	{"is Kramerica thinking about leaving?", "Kramerica asked for a cancellation quote and has been trialling a rival tool since June.", "Kramerica's newsletter team loves the templates and shares them widely."},
	{"where are the Springfield meeting notes?", "I keep all call notes for Springfield in a Notion page linked from the account record.", "Springfield's power plant admin is named Homer and is often late."},
	{"what did Globex ask us to build?", "Globex keeps requesting an Outlook plugin and better bulk import; I logged both as feature requests.", "Globex pays quarterly by wire transfer."},
	{"who do I call when Acme's SSO breaks?", "If login fails, ping Raj, their identity admin, on Slack; he owns the Okta setup.", "Acme's renewal discussion starts in August."},
	{"are there unpaid invoices at Initech?", "Initech is 90 days overdue on two invoices and finance has paused collections until the PO is fixed.", "Initech's developers wrote a custom dashboard on top of our API."},
	{"how did the Stark rollout go?", "Stark's implementation went smoothly: kickoff in January, training done in three weeks and the go-live on time.", "Stark's CFO wants a multi-year discount before signing."},
	{"who is the best person to talk to at Umbrella?", "Alice, the head of operations, is our main contact and replies fastest by phone.", "Umbrella's data export fails every night on the large tables."},
	{"what is Tyrell's contract length?", "Tyrell signed a three-year agreement that expires in December 2026.", "Tyrell's users complain that the search is slow."},
	{"does Cyberdyne use the analytics module?", "Adoption of analytics at Cyberdyne is low: only four active users log in each month.", "Cyberdyne's procurement wants a new vendor form every year."},
	{"any promises pending for Hooli?", "I owe Hooli a custom onboarding deck and committed to a price review before the renewal.", "Hooli's office dog is called Pixel and greets everyone."},
	{"why did Massive Dynamic downgrade?", "They cut seats because their budget was frozen after the reorg, not because of the product.", "Massive Dynamic's portal integration uses a webhook to Jira."},
	{"what are the risks at Vandelay?", "My main worry at Vandelay is the new CTO, who is skeptical and prefers building in-house.", "Vandelay's support tickets are usually about password resets."},
	{"who replaced Dana's contact at Soylent?", "Dana's old contact left Soylent in May; her successor is Ben, who joined from their sales team.", "Soylent's SOC2 audit is in November."},
	{"is Pied Piper's usage growing?", "Pied Piper added 40 seats this quarter and weekly active users doubled.", "Pied Piper's legal team took weeks to approve the DPA."},
}

func TestParaphrases(t *testing.T) {
	t.Parallel()
	o := NewOffline()
	won := 0
	for _, p := range paraphrases {
		q := o.Vector(p.question)
		m, n := cosine(q, o.Vector(p.match)), cosine(q, o.Vector(p.nonmatch))
		if m > n {
			won++
		} else {
			t.Logf("miss: %q: match %.3f ≤ non-match %.3f", p.question, m, n)
		}
	}
	share := float64(won) / float64(len(paraphrases))
	t.Logf("paraphrase share: %d/%d = %.0f%%", won, len(paraphrases), 100*share)
	if len(paraphrases) < 25 {
		t.Errorf("%d paraphrase triples, want at least 25", len(paraphrases))
	}
	if share < 0.9 {
		t.Errorf("paraphrase share %.2f, want ≥ 0.90", share)
	}
}

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot // both are unit vectors
}
