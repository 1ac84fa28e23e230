package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/exitinterview/exitinterview/interview"
)

// Synthetic returns a realistic, deterministic report of the given number of accounts for benchmarks
// and rendering tests: names in several scripts (Latin with diacritics, Cyrillic, Greek, plus one name
// with an emoji and one in CJK, which the fonts cannot draw), about ten findings of varied types per
// account, risks of every level, six checklist items and six transcript messages per account, gaps,
// contradictions, and texts long enough to wrap table rows and carry tables over pages. The same
// arguments give the same report.
func Synthetic(accounts int, seed uint64) *Report {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	s := &synth{rng: rng, start: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	departure := time.Date(2026, 3, 27, 0, 0, 0, 0, time.UTC)
	r := &Report{
		Status:      "ready",
		Version:     1,
		GeneratedAt: time.Date(2026, 3, 6, 16, 45, 0, 0, time.UTC),
		Engine:      "offline",
		Interview: Header{ID: fmt.Sprintf("synthetic-%d", seed), CSMName: "Zoë Ångström", CSMEmail: "zoe.angstrom@example.com",
			ManagerName: "Ελένη Παπαδοπούλου", ManagerEmail: "eleni.papadopoulou@example.com",
			DepartureDate: departure.Format(time.DateOnly), Status: "completed", CoveragePercent: 62 + rng.IntN(30)},
	}
	s.r = r
	for i := 0; i < accounts; i++ {
		r.Accounts = append(r.Accounts, s.account(i, accounts, departure))
	}
	// Highest risk first, as the builder orders them.
	slices.SortStableFunc(r.Accounts, func(a, b Account) int { return b.Risk.Score - a.Risk.Score })
	s.portfolio(departure)

	var critical, high []string
	for _, a := range r.Accounts {
		switch a.Risk.Level {
		case "critical":
			critical = append(critical, a.Name)
		case "high":
			high = append(high, a.Name)
		}
	}
	r.Summary = fmt.Sprintf("%s leaves on %s with %d accounts in the book of business. %d of them are at critical risk "+
		"and %d at high risk; most of the danger comes from champions who left, renewals within ninety days and "+
		"integrations that only run thanks to manual workarounds.\n\nThe successors' first weeks should go to the "+
		"critical accounts (%s), to the commitments already promised to customers, and to moving the credentials "+
		"mentioned in the interview into the vault.",
		r.Interview.CSMName, r.Interview.DepartureDate, accounts, len(critical), len(high), strings.Join(first(critical, 3), ", "))
	for i := range r.Accounts {
		if i == 4 {
			break
		}
		a := &r.Accounts[i]
		if len(a.Risk.Drivers) > 0 {
			r.SummaryPoints = append(r.SummaryPoints, Statement{
				Text:       fmt.Sprintf("%s is at %s risk: %s", a.Name, a.Risk.Level, a.Risk.MainDriver),
				MessageIDs: a.Risk.Drivers[0].MessageIDs})
		}
	}
	return r
}

func first(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

type synth struct {
	rng   *rand.Rand
	r     *Report
	start time.Time
}

func (s *synth) pick(xs []string) string { return xs[s.rng.IntN(len(xs))] }

// msg appends a transcript message and returns its id.
func (s *synth) msg(role, account, content string) string {
	n := len(s.r.Transcript) + 1
	id := fmt.Sprintf("msg-%04d", n)
	s.r.Transcript = append(s.r.Transcript, Message{N: n, ID: id, Role: role, Account: account, Content: content,
		CreatedAt: s.start.Add(time.Duration(n) * 97 * time.Second)})
	return id
}

var (
	synthAccounts = []string{"Nordström Logistik", "Зенит Ритейл", "Ångström Labs", "Όμιλος Αιγαίο", "Café Münster GmbH",
		"Łódź Fintech", "Søndergaard Energi", "Núñez & Hijos", "Πήγασος Software", "Радуга Медиа", "Brightwater Health",
		"Kettle & Crane", "Élan Vital Cosmétiques", "Dvořák Audio", "Havørn Shipping", "Mårtensson Bygg", "Ξενία Hotels",
		"Çelik Otomotiv", "Северный Ветер", "Blue Fjord Analytics"}
	synthPeople = []string{"François Lefèvre", "Иван Петров", "Ελένη Νικολάου", "Łukasz Wróbel", "Мария Смирнова",
		"Γιώργος Αλεξίου", "Søren Højgaard", "José Núñez", "Ольга Кузнецова", "Δήμητρα Ραφαηλίδη", "Anaïs Dubois",
		"Jürgen Weiß", "Zdeněk Dvořák", "Дмитрий Волков", "Ingrid Åkesson", "Mehmet Yılmaz", "Siobhán O'Connor",
		"Νίκος Παππάς", "Chloé Martin", "Émile Durand"}
	synthRoles = []string{"VP Operations", "Head of IT", "Procurement lead", "Platform administrator", "CFO", "Director of Customer Experience", "Data engineer"}
	// The relationships are the facts' vocabulary (facts.Relationships), keys the report must put in words.
	synthRelationships = []string{"champion", "sponsor", "decision_maker", "admin", "procurement", "user", "other"}
	synthSentiments    = []string{"positive", "neutral", "negative", "sceptical", "very positive"}
	synthChannels      = []string{"shared Slack channel", "mobile, WhatsApp after 6 pm", "email only, copy her assistant", "Teams chat", "quarterly on-site visit", "LinkedIn messages, never the phone"}
	synthCompetitors   = []string{"Gainsight", "ChurnZero", "an in-house tool", "Totango", ""}
	synthProducts      = []string{"Analytics add-on", "50 extra seats", "Premium support", "EU data residency", "SSO and SCIM bundle"}
	synthStages        = []string{"discovery", "proposal sent", "verbal yes", "pricing negotiation", "on hold"}
	synthDrivers       = []struct{ key, text string }{
		{"stated_risk", "The CSM says the account is at risk of churn"},
		{"champion_left", "The champion left the company last quarter"},
		{"renewal_soon", "Renewal within 90 days without a signed quote"},
		{"competitor", "A competitor is being evaluated"},
		{"open_escalation", "An escalation to engineering is still open"},
		{"low_adoption", "Only a third of the licensed seats are active"},
	}
	synthTopics = [][2]string{{"communication", "Communication"}, {"workarounds", "Workarounds"}, {"upsell", "Upsell"},
		{"renewal", "Renewal"}, {"stakeholders", "Stakeholders"}}
)

func (s *synth) account(i, total int, departure time.Time) Account {
	rng := s.rng
	name := synthAccounts[i%len(synthAccounts)]
	if i >= len(synthAccounts) {
		name = fmt.Sprintf("%s %d", name, i/len(synthAccounts)+1)
	}
	a := Account{ID: fmt.Sprintf("acc-%03d", i), Name: name, Segment: s.pick([]string{"Enterprise", "Mid-market", "SMB"}),
		Depth: "deep", CoveragePercent: 55 + rng.IntN(46)}
	if i%7 != 5 {
		arr := float64(20_000 + rng.IntN(480)*1_000)
		a.ARR = &arr
	}
	var renewal string
	if i%9 != 4 {
		renewal = departure.AddDate(0, 0, 10+rng.IntN(380)).Format(time.DateOnly)
		if i%5 == 1 {
			// Some renewals fall within 90 days, as in any book of business.
			renewal = departure.AddDate(0, 0, 5+3*i%60).Format(time.DateOnly)
		}
		a.RenewalDate = &renewal
	}
	if i%3 != 2 {
		a.Successor = fmt.Sprintf("successor%d@example.com", i%4+1)
	}
	if i%4 == 3 {
		a.Depth = "brief"
	}

	// People: three stakeholders and an escalation contact, one with an emoji or CJK name on the first
	// two accounts.
	var people []string
	for k := 0; k < 4; k++ {
		people = append(people, synthPeople[(i*3+k*7)%len(synthPeople)])
	}
	if i == 0 {
		people[1] = "Sam 🚀 Okafor"
	}
	if i == min(1, total-1) {
		people[2] = "王小明 (Wang Xiaoming)"
	}
	renewalText := "the renewal"
	if renewal != "" {
		renewalText = "the renewal on " + renewal
	}

	// The transcript of the account: three questions and three answers.
	s.msg("interviewer", name, fmt.Sprintf("Let's talk about %s. What do they use us for, and who are the people you work with there?", name))
	m1 := s.msg("csm", name, fmt.Sprintf("%s runs its customer onboarding on us: about %d seats, mostly in the support and operations teams, "+
		"and the Salesforce integration feeds their weekly KPI review.\n\n%s is my champion (%s), reachable on %s. "+
		"%s signs the contract, and %s administers the platform day to day 👍🏽 — keep them close.\n\n"+
		"They track time-to-first-value and ticket deflection; both went the right way last quarter.",
		name, 40+rng.IntN(400), people[0], synthRoles[i%len(synthRoles)], s.pick(synthChannels), people[1], people[2]))
	s.msg("interviewer", name, fmt.Sprintf("How likely is %s, and what could stand in the way?", renewalText))
	m2 := s.msg("csm", name, fmt.Sprintf("Honestly it depends on the budget review. %s has been asking about %s, and procurement "+
		"wants a 15 %% discount before they sign anything.\r\n\r\nThere is also an upsell in flight for the %s; "+
		"the proposal is with %s and the next step is a demo for their data team.\tI said we would send the "+
		"security questionnaire by the end of the month.",
		people[1], s.pick(synthCompetitors[:4]), s.pick(synthProducts), people[0]))
	s.msg("interviewer", name, "What is open right now: tickets, promises, workarounds, and who do you call when things break?")
	m3 := s.msg("csm", name, fmt.Sprintf("Ticket SUP-%d about the nightly sync is still open, engineering knows. I promised %s a fix "+
		"or a workaround before %s.\n\nUntil then the export runs through a CSV that I upload by hand every Monday from the "+
		"shared drive (Ops/Accounts/%s/exports); if nobody does it, their dashboards go stale within a week and "+
		"the first person to notice is usually the CFO, which is the worst way to find out.\n\n"+
		"For anything on-call go to %s, %s; they answer on the escalation channel faster than by email.",
		1000+rng.IntN(9000), people[0], departure.AddDate(0, 0, 7).Format(time.DateOnly), name, people[3], s.pick(synthRoles)))

	// Risk: every level appears, the score is the sum of its drivers' points.
	level := []string{"critical", "high", "medium", "low"}[i%4]
	lo := map[string]int{"critical": 75, "high": 50, "medium": 25, "low": 5}[level]
	score := lo + rng.IntN(20)
	a.Risk = Risk{Level: level, Score: score}
	nd := 1 + rng.IntN(3)
	if level == "low" {
		nd = 1
	}
	left := score
	for k, di := range rng.Perm(len(synthDrivers))[:nd] {
		pts := left
		if k < nd-1 {
			pts = left / 2
		}
		left -= pts
		ids := []string{m2}
		if k > 0 {
			ids = []string{m2, m3}
		}
		a.Risk.Drivers = append(a.Risk.Drivers, Driver{Key: synthDrivers[di].key, Text: synthDrivers[di].text, Points: pts, MessageIDs: ids})
	}
	slices.SortStableFunc(a.Risk.Drivers, func(x, y Driver) int { return y.Points - x.Points })
	a.Risk.MainDriver = a.Risk.Drivers[0].Text
	a.Risk.Mitigations = []Statement{
		{Text: fmt.Sprintf("Book an executive call with %s before the budget review.", people[1]), MessageIDs: []string{m2}},
	}
	if level == "critical" || level == "high" {
		a.Risk.Mitigations = append(a.Risk.Mitigations, Statement{Text: "Ship the sync fix or agree a documented workaround, and tell the customer in writing.", MessageIDs: []string{m3}})
	}

	a.Overview = []Statement{
		{Text: fmt.Sprintf("%s runs its customer onboarding on the platform; the Salesforce integration feeds their weekly KPI review.", name), MessageIDs: []string{m1}},
		{Text: "Adoption: used for core functionality; they track time-to-first-value and ticket deflection.", MessageIDs: []string{m1}},
	}
	for k := 0; k < 3; k++ {
		rel := synthRelationships[(i+k)%len(synthRelationships)]
		p := Finding{Type: "stakeholder", Text: fmt.Sprintf("%s is the %s.", people[k], label(rel)),
			Fields: map[string]string{"name": people[k], "role": synthRoles[(i+k)%len(synthRoles)], "relationship": rel,
				"sentiment": s.pick(synthSentiments), "channel": s.pick(synthChannels)}, MessageIDs: []string{m1}}
		if k == 2 && i%2 == 0 {
			p.Fields["status"] = "on_leave"
		}
		a.Findings = append(a.Findings, p)
	}
	risk := Finding{Type: "risk", Text: fmt.Sprintf("Honestly it depends on the budget review; %s has been asking about a competitor.", people[1]),
		Fields: map[string]string{"level": level, "driver": "budget review"}, MessageIDs: []string{m2}}
	if c := s.pick(synthCompetitors); c != "" {
		risk.Fields["competitor"] = c
	}
	a.Findings = append(a.Findings, risk)
	ren := Finding{Type: "renewal", Text: "Procurement wants a 15 % discount before they sign anything.",
		Fields: map[string]string{"probability": fmt.Sprintf("0.%d", 3+rng.IntN(6)), "decider": people[1], "blockers": "discount, budget review"}, MessageIDs: []string{m2}}
	if renewal != "" {
		ren.Fields["date"] = renewal
	}
	a.Findings = append(a.Findings, ren,
		Finding{Type: "upsell", Text: "There is also an upsell in flight; the proposal is with the champion and the next step is a demo for their data team.",
			Fields: map[string]string{"product": s.pick(synthProducts), "value": fmt.Sprintf("%d", 5_000+rng.IntN(60)*1_000), "stage": s.pick(synthStages),
				"next_step": "demo for the data team", "contact": people[0]}, MessageIDs: []string{m2}},
		Finding{Type: "open_issue", Text: "The ticket about the nightly sync is still open, engineering knows.",
			Fields: map[string]string{"what": "nightly sync fails", "status": []string{"open", "in_progress"}[i%2], "reference": fmt.Sprintf("SUP-%d", 1000+i), "impact": "stale dashboards"}, MessageIDs: []string{m3}},
		Finding{Type: "commitment", Text: fmt.Sprintf("I promised %s a fix or a workaround before the end of next week, and the security questionnaire by the end of the month.", people[0]),
			Fields:     map[string]string{"what": "fix or workaround for the nightly sync", "to_whom": people[0], "due_date": departure.AddDate(0, 0, 7).Format(time.DateOnly), "status": "open"},
			MessageIDs: []string{m2, m3}},
		Finding{Type: "workaround", Text: "Until then the export runs through a CSV uploaded by hand every Monday from the shared drive; if nobody does it, their dashboards go stale within a week and the first person to notice is usually the CFO.",
			Fields:     map[string]string{"what": "manual CSV export", "frequency": "weekly, Mondays", "tool": "shared drive", "location": "Ops/Accounts/" + name + "/exports", "impact": "stale dashboards"},
			MessageIDs: []string{m3}},
		Finding{Type: "escalation_contact", Text: fmt.Sprintf("For anything on-call go to %s; they answer on the escalation channel faster than by email.", people[3]),
			Fields: map[string]string{"name": people[3], "role": s.pick(synthRoles), "channel": "escalation channel", "for": "on-call incidents"}, MessageIDs: []string{m3}},
	)
	if i%3 == 0 {
		a.Findings = append(a.Findings, Finding{Type: "feedback", Text: "They keep asking for a bulk edit of onboarding plans; nobody filed it.",
			Fields: map[string]string{"theme": "Bulk editing", "customers": name}, MessageIDs: []string{m1}})
	}

	a.IntroEmail = Email{To: people[:3], Subject: fmt.Sprintf("Introducing your new Customer Success Manager at %s", name),
		Body: fmt.Sprintf("Dear %s,\n\nAs of %s I am handing %s over to my colleague, who will be your Customer Success Manager from now on. "+
			"They already know about the nightly sync issue and the open renewal questions, and will follow up on both.\n\n"+
			"I would be grateful if you could find thirty minutes for an introduction call next week.\n\nBest regards,\nZoë",
			strings.Join(people[:3], ", "), departure.Format(time.DateOnly), name)}

	owner := a.Successor
	if owner == "" {
		owner = "successor"
	}
	due := func(days int) string { return departure.AddDate(0, 0, days).Format(time.DateOnly) }
	items := []ChecklistItem{
		{Kind: "introduce", Title: fmt.Sprintf("Introduce the successor to %s", strings.Join(people[:3], ", ")), Owner: "manager", DueDate: due(-10), MessageIDs: []string{m1}},
		{Kind: "commitment", Title: fmt.Sprintf("Deliver the fix or workaround promised to %s", people[0]), Owner: owner, DueDate: due(7), MessageIDs: []string{m3}},
		{Kind: "open_issue", Title: fmt.Sprintf("Follow ticket SUP-%d about the nightly sync with engineering", 1000+i), Owner: owner, DueDate: due(-3), MessageIDs: []string{m3}},
		{Kind: "renewal_plan", Title: "Agree a renewal plan and the discount position with procurement", Owner: "manager", DueDate: due(14), MessageIDs: []string{m2}},
		{Kind: "context_meeting", Title: "Shadow the Monday CSV upload once with the CSM", Owner: owner, DueDate: due(-5), MessageIDs: []string{m3}},
		{Kind: "gap", Title: "Ask the CSM how they reach the executive sponsor outside meetings", Owner: "manager", DueDate: due(-2)},
	}
	if i%2 == 0 {
		items[4].Title = "Shadow the Monday CSV upload once with the CSM, write the steps down in the team wiki, including where the " +
			"export lives on the shared drive, who receives the dashboards, what to do when the upload fails and whom to warn " +
			"at the customer when the data is late, then move the job onto the scheduled integration once engineering ships the fix"
	}
	for k := range items {
		items[k].ID = fmt.Sprintf("chk-%03d-%d", i, k)
		items[k].Account = name
		items[k].Done = rng.IntN(5) == 0
	}
	s.r.Checklist = append(s.r.Checklist, items...)

	// Readiness as the builder records it: every topic covered but the brief accounts' gaps, and one
	// topic only partly covered where the coverage is low.
	topics := map[string]string{}
	for _, t := range interview.AccountTopics {
		topics[t] = interview.Covered
	}
	if a.CoveragePercent < 70 {
		topics["renewal"] = interview.Partial
	}
	if a.Depth == "brief" {
		for _, t := range synthTopics[:1+rng.IntN(2)] {
			s.r.Gaps = append(s.r.Gaps, Gap{Account: name, Topic: t[0], TopicLabel: t[1],
				SuggestedQuestion: fmt.Sprintf("What should the successor know about %s at %s?", strings.ToLower(t[1]), name)})
			topics[t[0]] = interview.Missing
		}
	}
	a.Readiness = readinessOf(&a, topics, nil, items, a.Successor != "", departure)
	if i%3 == 1 {
		s.r.Contradictions = append(s.r.Contradictions, Contradiction{Account: name,
			CRM:    "Health: green. Last contact 2026-01-12. No open opportunity.",
			Stated: fmt.Sprintf("The account is at risk; %s has been asking about a competitor and an upsell is in flight.", people[1]), MessageIDs: []string{m2}})
	}
	return a
}

// portfolio adds the portfolio-wide part: playbooks, decisions, feedback, credentials and their
// transcript.
func (s *synth) portfolio(departure time.Time) {
	r := s.r
	s.msg("interviewer", "", "Outside the accounts: whom do you call internally when something breaks, and which processes did you change?")
	p1 := s.msg("csm", "", "Billing problems go to Ana in finance ops; anything on the platform goes to the on-call SRE through #inc-bridge, "+
		"never by email.\n\nI changed onboarding: the kickoff is now two short calls instead of one long one, because the "+
		"admins never read the pre-work. Time to first value dropped from six weeks to three.\n\n"+
		"Every Friday I run the renewal forecast sheet and post it in #cs-leads.")
	s.msg("interviewer", "", "Do you keep anything outside the official tools, and were there decisions a successor should understand?")
	p2 := s.msg("csm", "", "Yes: a private spreadsheet 'unresponsive clients.xlsx' in my OneDrive with every customer who went quiet, "+
		"and the password of the reporting service account is in there too, sorry. 🙈\n\n"+
		"We decided in 2024 not to offer monthly billing to SMB accounts because collections took too much of our time. "+
		"We also stopped free pilots for accounts under 20 seats.")
	s.msg("interviewer", "", "What did customers ask for that never reached the product team?")
	p3 := s.msg("csm", "", "Bulk editing of onboarding plans, by far. Then an audit log export, and Cyrillic and Greek search that "+
		"actually works (Зенит and Αιγαίο both complained). 東京 office of one customer asked for Japanese.")

	esc := []Finding{
		{Type: "escalation_contact", Text: "Billing problems go to Ana in finance ops.", Fields: map[string]string{"name": "Ana", "role": "finance ops", "for": "billing"}, MessageIDs: []string{p1}},
		{Type: "escalation_contact", Text: "Anything on the platform goes to the on-call SRE through #inc-bridge, never by email.", Fields: map[string]string{"role": "on-call SRE", "channel": "#inc-bridge", "for": "platform incidents"}, MessageIDs: []string{p1}},
	}
	onb := []Finding{{Type: "process", Text: "The kickoff is now two short calls instead of one long one, because the admins never read the pre-work. Time to first value dropped from six weeks to three.",
		Fields: map[string]string{"what": "two-part kickoff", "owner": "CSM"}, MessageIDs: []string{p1}}}
	wf := []Finding{{Type: "process", Text: "Every Friday the renewal forecast sheet is updated and posted in #cs-leads.",
		Fields: map[string]string{"what": "renewal forecast", "cadence": "weekly, Fridays", "tool": "spreadsheet"}, MessageIDs: []string{p1}}}
	shadow := []Finding{{Type: "shadow_system", Text: "A private spreadsheet 'unresponsive clients.xlsx' lists every customer who went quiet.",
		Fields: map[string]string{"what": "unresponsive clients tracker", "tool": "Excel", "location": "CSM's OneDrive", "owner": "Zoë Ångström"}, MessageIDs: []string{p2}}}
	r.Playbooks = []Playbook{
		{Key: "escalation_paths", Title: "Escalation paths", Items: esc},
		{Key: "onboarding_changes", Title: "Onboarding changes", Items: onb},
		{Key: "internal_workflows", Title: "Internal workflows", Items: wf},
		{Key: "shadow_systems", Title: "Shadow systems and where their data lives", Items: shadow},
	}
	r.Decisions = []Finding{
		{Type: "decision", Text: "No monthly billing for SMB accounts since 2024.", Fields: map[string]string{"what": "no monthly billing for SMB", "why": "collections took too much time"}, MessageIDs: []string{p2}},
		{Type: "decision", Text: "No free pilots for accounts under 20 seats.", Fields: map[string]string{"what": "no free pilots under 20 seats"}, MessageIDs: []string{p2}},
	}
	r.FeedbackThemes = []Theme{
		{Theme: "Bulk editing of onboarding plans", Customers: []string{synthAccounts[0], synthAccounts[3]}, Statements: []Finding{
			{Type: "feedback", Text: "Bulk editing of onboarding plans, by far.", Fields: map[string]string{"theme": "bulk editing"}, MessageIDs: []string{p3}}}},
		{Theme: "Search in non-Latin scripts", Customers: []string{synthAccounts[1], synthAccounts[3]}, Statements: []Finding{
			{Type: "feedback", Text: "Cyrillic and Greek search that actually works (Зенит and Αιγαίο both complained); a 東京 office asked for Japanese.", MessageIDs: []string{p3}}}},
		{Theme: "Audit log export", Statements: []Finding{{Type: "feedback", Text: "Then an audit log export.", MessageIDs: []string{p3}}}},
	}
	r.Credentials = []Finding{
		{Type: "credential_mentioned", Text: "A password for the reporting service account was mentioned in this answer and removed before anything was stored or indexed.",
			Fields: map[string]string{"kind": "password", "system": "reporting service account"}, MessageIDs: []string{p2}},
	}
	extra := Finding{Type: "risk", Text: "Three accounts renew in the same month as the price increase.", Fields: map[string]string{"level": "medium"}, MessageIDs: []string{p2}}
	r.Portfolio = slices.Concat(esc, onb, wf, shadow, r.Decisions, r.FeedbackThemes[0].Statements, r.FeedbackThemes[1].Statements,
		r.FeedbackThemes[2].Statements, r.Credentials, []Finding{extra})

	due := func(days int) string { return departure.AddDate(0, 0, days).Format(time.DateOnly) }
	r.Checklist = append(r.Checklist,
		ChecklistItem{ID: "chk-p-0", Kind: "shadow_system", Title: "Move 'unresponsive clients.xlsx' from the CSM's OneDrive to the team drive", Owner: "manager", DueDate: due(-7), MessageIDs: []string{p2}},
		ChecklistItem{ID: "chk-p-1", Kind: "credential", Title: "=Rotate the reporting service account password and store it in the vault", Owner: "manager", DueDate: due(-14), MessageIDs: []string{p2}},
		ChecklistItem{ID: "chk-p-2", Kind: "escalation", Title: "Add the successors to #inc-bridge and #cs-leads", Owner: "manager", DueDate: due(-5), Done: true, MessageIDs: []string{p1}},
	)
	r.Gaps = append(r.Gaps, Gap{Topic: "internal_workflows", TopicLabel: "Internal workflows",
		SuggestedQuestion: "Which recurring reports or cadences besides the Friday forecast does someone need to keep running?"})
}
