package report

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/exitinterview/exitinterview/about"
	"github.com/exitinterview/exitinterview/extract"
	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/mention"
	"github.com/exitinterview/exitinterview/personal"
	"github.com/exitinterview/exitinterview/prompts"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// CredentialMentioned is the finding type of a credential that was mentioned and removed.
const CredentialMentioned = "credential_mentioned"

// Input is what a report is built from: one interview as stored.
type Input struct {
	Interview store.Interview
	Manager   store.User
	Accounts  []store.Account
	Coverage  []store.CoverageItem
	Messages  []store.Message
	Findings  []store.Finding
	// Facts are what was understood of each account (package facts), as stored: the report reads them
	// for everything but the mentioned credentials. Nil: they are derived from Findings (a report built
	// from findings alone, as the benchmarks do).
	Facts []store.Fact
	// Corrections are the CSM's corrections of what was captured, oldest first.
	Corrections []store.Correction
	// SuccessorNames are the successors' names by email.
	SuccessorNames map[string]string
	// Checklist is the state a person gave existing items (done, owner, due date), by item ID; it is kept.
	Checklist map[string]ChecklistItem
	// Uncaptured are the ids of answers whose capture had not completed: the report says it lacks them.
	Uncaptured []string
	// Attachments are the files the CSM attached, in the order they were attached.
	Attachments []store.Attachment
	Version     int
	Now         time.Time
}

// findingOrder is the order of an account's findings: the report's outline, then the rest.
var findingOrder = []string{extract.Stakeholder, extract.Risk, extract.Renewal, extract.Upsell, extract.OpenIssue, extract.Commitment,
	extract.Workaround, extract.EscalationContact, extract.Objective, extract.System, extract.Document, extract.Advocacy, extract.Meeting,
	extract.Feedback, extract.Process, extract.Decision, extract.ShadowSystem}

// Build makes the report offline: from the findings and the answers, with no model. The same input
// gives the same report.
func Build(in Input) (*Report, error) {
	gapQuestions, err := loadGapQuestions()
	if err != nil {
		return nil, err
	}
	iv := in.Interview
	r := &Report{
		Status: "ready", Version: in.Version, GeneratedAt: in.Now.UTC().Truncate(time.Second), Engine: "offline",
		Interview: Header{ID: iv.ID, CSMName: iv.CSMName, CSMEmail: iv.CSMEmail, ManagerName: in.Manager.Name, ManagerEmail: in.Manager.Email,
			DepartureDate: iv.DepartureDate.Format(time.DateOnly), Status: iv.Status, CoveragePercent: interview.Percent(in.Coverage)},
		Portfolio: []Finding{}, PortfolioFiles: filesOf(in.Attachments, ""), Playbooks: []Playbook{}, Decisions: []Finding{}, FeedbackThemes: []Theme{}, Credentials: []Finding{},
		Checklist: []ChecklistItem{}, Contradictions: []Contradiction{}, Gaps: []Gap{}, Transcript: []Message{},
		Corrections: []Correction{}, IncompleteAnswerIDs: in.Uncaptured,
	}
	for _, c := range in.Corrections {
		original, _ := redact.Text(c.Original)
		corrected, _ := redact.Text(c.Corrected)
		r.Corrections = append(r.Corrections, Correction{Original: original, Corrected: corrected, Withdrawn: c.Withdrawn, At: c.CreatedAt.UTC(),
			MessageIDs: []string{c.MessageID}})
	}

	accountName := map[string]string{}
	for _, a := range in.Accounts {
		accountName[a.ID] = a.Name
	}
	byID := map[string]store.Message{}
	for _, m := range in.Messages {
		byID[m.ID] = m
	}
	// topicsOf gives the topics of the question an answer replied to.
	topicsOf := func(answerID string) []string { return byID[byID[answerID].ReplyTo].Topics }

	book := make([]mention.Account, len(in.Accounts))
	for i, a := range in.Accounts {
		book[i] = mention.Account{ID: a.ID, Name: a.Name}
	}
	reader := about.NewReader(book)

	// The appendix: every message but the internal ones, redacted again in case originals are kept.
	for _, m := range in.Messages {
		content := m.Content
		if m.Kind == interview.KindSkip {
			content = "(skipped)"
		}
		content, _ = redact.Text(content)
		if m.Role == "csm" {
			content = personal.Mark(content)
		}
		r.Transcript = append(r.Transcript, Message{N: len(r.Transcript) + 1, ID: m.ID, Role: m.Role, Account: accountName[m.AccountID],
			Content: content, CreatedAt: m.CreatedAt.UTC(), Covers: covers(reader, m, byID[m.ReplyTo], accountName)})
	}

	// Mentioned credentials from the findings; everything else from the facts, redacted again, by account.
	for _, f := range in.Findings {
		if f.Type == CredentialMentioned {
			rf := toFinding(f)
			if name := accountName[f.AccountID]; name != "" {
				rf.Fields["account"] = name
			}
			r.Credentials = append(r.Credentials, rf)
		}
	}
	stored := in.Facts
	if stored == nil {
		stored = facts.Derive(in.Findings)
	}
	perAccount := map[string][]Finding{}
	known := facts.NewSet(stored)
	for _, f := range known.All() {
		rf := fromFact(f)
		switch {
		case f.Type == extract.Decision:
			if name := accountName[f.AccountID]; name != "" {
				rf.Fields["account"] = name
			}
			r.Decisions = append(r.Decisions, rf)
		case f.AccountID == "":
			r.Portfolio = append(r.Portfolio, rf)
		default:
			perAccount[f.AccountID] = append(perAccount[f.AccountID], rf)
		}
	}

	departure := iv.DepartureDate
	for _, a := range in.Accounts {
		findings := perAccount[a.ID]
		sort.SliceStable(findings, func(i, j int) bool {
			return orderOf(findings[i].Type) < orderOf(findings[j].Type)
		})
		if findings == nil {
			findings = []Finding{}
		}
		ra := Account{ID: a.ID, Name: a.Name, ARR: a.ARR, Segment: a.Segment, Successor: a.SuccessorEmail,
			SuccessorName: in.SuccessorNames[a.SuccessorEmail], Depth: a.Depth,
			CoveragePercent: interview.AccountPercent(in.Coverage, a.ID), Findings: findings, Overview: []Statement{},
			Files: filesOf(in.Attachments, a.ID)}
		if a.RenewalDate != nil {
			d := a.RenewalDate.Format(time.DateOnly)
			ra.RenewalDate = &d
		} else {
			for _, f := range findings {
				if d := f.Fields["date"]; f.Type == extract.Renewal && d != "" {
					ra.RenewalDate = &d
					break
				}
			}
		}
		for _, m := range in.Messages {
			if m.Role == "csm" && m.Kind == interview.KindAnswer && byID[m.ReplyTo].AccountID == a.ID && slices.Contains(topicsOf(m.ID), "account_overview") {
				plain, _ := personal.Remove(m.Content)
				text, _ := redact.Text(firstSentences(plain, 2))
				if text != "" {
					ra.Overview = append(ra.Overview, Statement{Text: text, MessageIDs: []string{m.ID}})
				}
			}
		}
		ra.Risk = assess(riskInput{Account: a.Name, Findings: findings, RiskCovered: covered(in.Coverage, a.ID, "churn_risk"),
			RenewalDate: a.RenewalDate, DepartureDate: departure, CRMHealth: a.CRMHealth, Successor: ra.successorLabel(), CSMName: iv.CSMName})
		for _, f := range findings {
			if f.Type == extract.Risk && f.Fields["level"] == ra.Risk.Stated {
				ra.Risk.StatedState = f.State
			}
		}
		ra.IntroEmail = introEmail(iv, a, ra.successorLabel(), findings)
		r.Accounts = append(r.Accounts, ra)
		r.Contradictions = append(r.Contradictions, contradictions(a, findings)...)
	}
	sort.SliceStable(r.Accounts, func(i, j int) bool {
		a, b := r.Accounts[i], r.Accounts[j]
		if la, lb := levelRank(a.Risk.Level), levelRank(b.Risk.Level); la != lb {
			return la > lb
		}
		if a.Risk.Score != b.Risk.Score {
			return a.Risk.Score > b.Risk.Score
		}
		return arr(a) > arr(b)
	})
	if r.Accounts == nil {
		r.Accounts = []Account{}
	}

	// A portfolio statement goes to the playbook of what it is about, read from its own words (an
	// onboarding change said while asked about decisions is an onboarding change), else of the question.
	statements := r.Portfolio
	for _, d := range r.Decisions {
		if d.Fields["account"] == "" {
			statements = append(statements, d) // a decision about onboarding is an onboarding change too
		}
	}
	r.Playbooks = playbooks(statements, func(f Finding) []string {
		var asked []string
		if len(f.MessageIDs) > 0 {
			asked = topicsOf(f.MessageIDs[0])
		}
		var out []string
		for _, s := range reader.Read(f.Text, about.Question{Topics: asked}) {
			for _, c := range s.Covers {
				if c.AccountID == "" && !slices.Contains(out, c.Topic) {
					out = append(out, c.Topic)
				}
			}
		}
		return append(out, asked...)
	})
	r.FeedbackThemes = themes(r.Portfolio, perAccount, accountName)

	// Gaps: what the interview did not (or only partly) cover, in plan order.
	for _, c := range in.Coverage {
		if c.State != interview.Missing && c.State != interview.Partial {
			continue
		}
		t, ok := interview.TopicByKey(c.Topic)
		if !ok {
			t.Label = title(c.Topic) // a topic the plan asks that this version does not list reads as its words
		}
		r.Gaps = append(r.Gaps, Gap{Account: accountName[c.AccountID], Topic: c.Topic, TopicLabel: t.Label,
			SuggestedQuestion: gapQuestions(c.Topic, accountName[c.AccountID], iv.CSMName)})
	}
	position := map[string]int{"": len(in.Accounts)}
	for i, a := range in.Accounts {
		position[a.Name] = i
	}
	sort.SliceStable(r.Gaps, func(i, j int) bool { return position[r.Gaps[i].Account] < position[r.Gaps[j].Account] })

	r.Checklist = checklist(in, r)
	planned := make(map[string]store.Account, len(in.Accounts))
	for _, a := range in.Accounts {
		planned[a.ID] = a
	}
	for i := range r.Accounts {
		a := &r.Accounts[i]
		topics := map[string]string{}
		for _, c := range in.Coverage {
			if c.AccountID == a.ID {
				topics[c.Topic] = c.State
			}
		}
		// What the facts hold of the account counts as discussed, as on the dashboard.
		sa := planned[a.ID]
		a.Readiness = readinessOf(a, topics, known.Discussed(a.ID), r.Checklist, sa.SuccessorID != "" || sa.SuccessorEmail != "", departure)
	}
	r.Summary, r.SummaryPoints = summary(in, r)
	return r, nil
}

// covers are the pairs a CSM's answer covers, by account name.
func covers(r *about.Reader, answer, question store.Message, accountName map[string]string) []Cover {
	var out []Cover
	for _, c := range interview.AnswerCovers(r, answer, question) {
		out = append(out, Cover{Account: accountName[c.AccountID], Topic: c.Topic})
	}
	return out
}

// successorLabel is how prose names the successor: their name, else their email, else "".
func (a Account) successorLabel() string {
	if a.SuccessorName != "" {
		return a.SuccessorName
	}
	return a.Successor
}

// fromFact is a fact as the report shows it: as a finding of its type, redacted again, with the fact's
// id and state and the messages it came from.
func fromFact(f store.Fact) Finding {
	text, _ := redact.Text(f.Text)
	fields := make(map[string]string, len(f.Fields))
	for k, v := range f.Fields {
		fields[k], _ = redact.Text(v)
	}
	ids := f.Sources
	if ids == nil {
		ids = []string{}
	}
	return Finding{Type: facts.FindingType(f.Type), Text: text, Fields: fields, MessageIDs: ids, FactID: f.ID, State: f.State,
		Uncertain: f.Uncertain && f.State == facts.Extracted}
}

func toFinding(f store.Finding) Finding {
	text, _ := redact.Text(f.Text)
	fields := make(map[string]string, len(f.Fields))
	for k, v := range f.Fields {
		fields[k], _ = redact.Text(v)
	}
	return Finding{Type: f.Type, Text: text, Fields: fields, MessageIDs: []string{f.MessageID}}
}

func orderOf(typ string) int {
	if i := slices.Index(findingOrder, typ); i >= 0 {
		return i
	}
	return len(findingOrder)
}

func arr(a Account) float64 {
	if a.ARR == nil {
		return 0
	}
	return *a.ARR
}

func covered(items []store.CoverageItem, accountID, topic string) bool {
	for _, c := range items {
		if c.AccountID == accountID && c.Topic == topic {
			return c.State == interview.Covered || c.State == interview.Partial
		}
	}
	return false
}

var sentenceEnd = regexp.MustCompile(`[.!?](\s+|$)`)

// firstSentences returns the first n sentences of s.
func firstSentences(s string, n int) string {
	s = strings.TrimSpace(s)
	locs := sentenceEnd.FindAllStringIndex(s, n)
	if len(locs) < n {
		return s
	}
	return strings.TrimSpace(s[:locs[n-1][1]])
}

// playbooks groups the portfolio findings by the topic of the question they answered.
func playbooks(portfolio []Finding, topicsOf func(Finding) []string) []Playbook {
	groups := []Playbook{
		{Key: "escalation_paths", Title: "Escalation paths", Items: []Finding{}},
		{Key: "onboarding_changes", Title: "Onboarding changes", Items: []Finding{}},
		{Key: "internal_workflows", Title: "Internal workflows", Items: []Finding{}},
		{Key: "shadow_systems", Title: "Shadow systems and where their data lives", Items: []Finding{}},
	}
	put := func(key string, f Finding) {
		for i := range groups {
			if groups[i].Key == key {
				groups[i].Items = append(groups[i].Items, f)
			}
		}
	}
	for _, f := range portfolio {
		topics := topicsOf(f)
		first := func(keys ...string) string { // the topic the statement is most about, of keys
			for _, t := range topics {
				if slices.Contains(keys, t) {
					return t
				}
			}
			return ""
		}
		switch {
		case f.Type == extract.EscalationContact:
			put("escalation_paths", f)
		case f.Type == extract.ShadowSystem:
			put("shadow_systems", f)
		case f.Type == extract.Feedback:
			// feedback themes have their own section
		case f.Type == extract.Decision:
			// decision rationale has its own section; one about a playbook's subject is in it too
			if k := first("onboarding_changes", "escalation_paths", "shadow_systems"); k != "" {
				put(k, f)
			}
		case first("onboarding_changes", "escalation_paths", "shadow_systems") != "":
			put(first("onboarding_changes", "escalation_paths", "shadow_systems"), f)
		default:
			put("internal_workflows", f)
		}
	}
	return groups
}

// themes groups feedback findings (portfolio-wide and per account) by theme.
func themes(portfolio []Finding, perAccount map[string][]Finding, accountName map[string]string) []Theme {
	var out []Theme
	add := func(f Finding, customer string) {
		theme := f.Fields["theme"]
		if theme == "" {
			theme = firstSentences(f.Text, 1)
		}
		for i := range out {
			if strings.EqualFold(out[i].Theme, theme) {
				out[i].Statements = append(out[i].Statements, f)
				if customer != "" && !slices.Contains(out[i].Customers, customer) {
					out[i].Customers = append(out[i].Customers, customer)
				}
				return
			}
		}
		t := Theme{Theme: theme, Customers: []string{}, Statements: []Finding{f}}
		if customer != "" {
			t.Customers = append(t.Customers, customer)
		}
		for _, c := range strings.Split(f.Fields["customers"], ",") {
			if c = strings.TrimSpace(c); c != "" && !slices.Contains(t.Customers, c) {
				t.Customers = append(t.Customers, c)
			}
		}
		out = append(out, t)
	}
	for _, f := range portfolio {
		if f.Type == extract.Feedback {
			add(f, "")
		}
	}
	ids := make([]string, 0, len(perAccount))
	for id := range perAccount {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return accountName[ids[i]] < accountName[ids[j]] })
	for _, id := range ids {
		for _, f := range perAccount[id] {
			if f.Type == extract.Feedback {
				add(f, accountName[id])
			}
		}
	}
	if out == nil {
		out = []Theme{}
	}
	return out
}

// introEmail drafts the CSM's introduction of the successor to the account's stakeholders. It greets
// the people the checklist introduces (introductions: each once, under their fullest name, only those
// who may be contacted, never the CSM or the successor), mentions at most three things the successor
// takes over that read well to a customer (mentionable, contextPhrase), and asks for a meeting of
// everyone it brings together (meetPhrase). The people it leaves out, and why, are its notes for the
// successor, not part of the e-mail.
func introEmail(iv store.Interview, a store.Account, successor string, findings []Finding) Email {
	introduce, leftOut := introductions(findings, iv.CSMName, successor)
	names := []string{}
	for _, p := range introduce {
		names = append(names, p.display())
	}
	var notes []string
	for _, p := range leftOut {
		notes = append(notes, p.caution())
	}
	var context, said []string
	for _, f := range findings {
		what := f.Fields["what"]
		if f.Type == extract.Upsell {
			what = f.Fields["product"]
		}
		switch f.Type {
		case extract.Upsell, extract.OpenIssue, extract.Commitment:
		default:
			continue
		}
		if len(context) == 3 || !mentionable(f.Type, what) || saidBefore(said, what) {
			continue
		}
		said = append(said, tidyPhrase(what))
		context = append(context, contextPhrase(f.Type, what))
	}
	if successor == "" {
		successor = "[successor]"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", greeting(names))
	fmt.Fprintf(&b, "I am moving on from my role as your Customer Success Manager; my last day is %s. I want you to be in good hands, so I am introducing %s, who takes over %s from me.\n\n",
		iv.DepartureDate.Format("2 January 2006"), successor, a.Name)
	if len(context) > 0 {
		fmt.Fprintf(&b, "%s has a full handover from me, including %s, so nothing needs to be explained twice.\n\n", successor, joinAnd(context))
	} else {
		fmt.Fprintf(&b, "%s has a full handover from me, including the history of your account and our notes, so nothing needs to be explained twice.\n\n", successor)
	}
	fmt.Fprintf(&b, "Could we find 30 minutes in the coming days %s?\n\nThank you for the work together,\n%s", meetPhrase(len(names)), iv.CSMName)
	return Email{To: names, Subject: "Introducing your new Customer Success Manager for " + a.Name, Body: b.String(), Notes: notes}
}

// saidBefore reports whether a phrase is already mentioned, or a shorter form of one that is ("seats"
// after "extra seats").
func saidBefore(said []string, what string) bool {
	w := strings.ToLower(tidyPhrase(what))
	for _, s := range said {
		s = strings.ToLower(s)
		if strings.Contains(s, w) || strings.Contains(w, s) {
			return true
		}
	}
	return false
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// summary writes the executive summary from the report's own parts.
func summary(in Input, r *Report) (string, []Statement) {
	iv := in.Interview
	var points []Statement
	var risky []string
	for _, a := range r.Accounts {
		if levelRank(a.Risk.Level) < levelRank("high") {
			continue
		}
		var ids []string
		for _, d := range a.Risk.Drivers {
			ids = appendIDs(ids, d.MessageIDs)
		}
		risky = append(risky, a.Name)
		points = append(points, Statement{Text: fmt.Sprintf("%s is at %s risk (score %d): %s.", a.Name, a.Risk.Level, a.Risk.Score, a.Risk.MainDriver),
			MessageIDs: ids})
	}
	commitments := 0
	var earliest string
	var earliestIDs []string
	for _, a := range r.Accounts {
		for _, f := range a.Findings {
			if f.Type != extract.Commitment {
				continue
			}
			commitments++
			if d := f.Fields["due_date"]; d != "" && (earliest == "" || d < earliest) {
				earliest, earliestIDs = d, f.MessageIDs
			}
		}
	}
	if commitments > 0 {
		text := counted(commitments, "commitment", "commitments") + " to customers must be kept"
		if earliest != "" {
			d, _ := time.Parse(time.DateOnly, earliest)
			text += ", the first due " + d.Format("2 Jan 2006")
		}
		points = append(points, Statement{Text: text + ".", MessageIDs: earliestIDs})
	}
	if n := len(r.Credentials); n > 0 {
		var ids []string
		for _, c := range r.Credentials {
			ids = appendIDs(ids, c.MessageIDs)
		}
		points = append(points, Statement{Text: counted(n, "credential was", "credentials were") + " mentioned and must be moved into a vault.", MessageIDs: ids})
	}
	shadow := 0
	var shadowIDs []string
	for _, p := range r.Playbooks {
		if p.Key == "shadow_systems" {
			shadow = len(p.Items)
			for _, f := range p.Items {
				shadowIDs = appendIDs(shadowIDs, f.MessageIDs)
			}
		}
	}
	if shadow > 0 {
		points = append(points, Statement{Text: counted(shadow, "personal tool or spreadsheet", "personal tools or spreadsheets") + " must move to shared systems.", MessageIDs: shadowIDs})
	}
	if points == nil {
		points = []Statement{}
	}

	var b strings.Builder
	fmt.Fprintf(&b, "%s leaves on %s. ", iv.CSMName, iv.DepartureDate.Format("2 January 2006"))
	fmt.Fprintf(&b, "The interview covered %d%% of the plan across %s", r.Interview.CoveragePercent, counted(len(r.Accounts), "account", "accounts"))
	if iv.Status != "completed" && iv.Status != "handed_over" {
		b.WriteString(" and is not finished yet")
	}
	b.WriteString(". ")
	switch len(risky) {
	case 0:
		b.WriteString("No account is at high or critical risk. ")
	case 1:
		fmt.Fprintf(&b, "%s is at high or critical risk. ", risky[0])
	default:
		fmt.Fprintf(&b, "%d accounts are at high or critical risk: %s. ", len(risky), joinAnd(risky))
	}
	open := 0
	for _, c := range r.Checklist {
		if !c.Done {
			open++
		}
	}
	fmt.Fprintf(&b, "The handover checklist has %s before the last day", counted(open, "open item", "open items"))
	if n := len(r.Gaps); n > 0 {
		fmt.Fprintf(&b, ", and %s still open in the interview", counted(n, "topic is", "topics are"))
	}
	b.WriteString(".")
	return b.String(), points
}

// loadGapQuestions returns the suggested question for a topic of an account.
func loadGapQuestions() (func(topic, account, csm string) string, error) {
	sections, err := prompts.Sections("report_gaps.txt")
	if err != nil {
		return nil, err
	}
	tpls := map[string]*template.Template{}
	for key, variants := range sections {
		t, err := template.New(key).Option("missingkey=error").Parse(variants[0])
		if err != nil {
			return nil, fmt.Errorf("report_gaps.txt [%s]: %w", key, err)
		}
		tpls[key] = t
	}
	return func(topic, account, csm string) string {
		t, ok := tpls[topic]
		if !ok {
			return ""
		}
		if account == "" {
			account = "the portfolio"
		}
		var b bytes.Buffer
		if err := t.Execute(&b, map[string]string{"Account": account, "CSM": csm}); err != nil {
			return ""
		}
		return b.String()
	}, nil
}
