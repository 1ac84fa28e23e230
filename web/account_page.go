package web

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/knowledge"
	"github.com/exitinterview/exitinterview/money"
	"github.com/exitinterview/exitinterview/report"
	"github.com/exitinterview/exitinterview/store"
)

// findingGroups are the sections of an account page, in the order a successor taking the account over
// reads them: who is who, what could go wrong, what is coming up, what was promised, how things are done.
var findingGroups = []struct{ Type, Heading string }{
	{"stakeholder", "Stakeholders"},
	{"risk", "Risks"},
	{"renewal", "Renewal"},
	{"upsell", "Upsell opportunities"},
	{"commitment", "Commitments"},
	{"open_issue", "Open issues"},
	{"workaround", "Workarounds"},
	{"escalation_contact", "Escalation contacts"},
	{"objective", "Success plan"},
	{"system", "Implementation"},
	{"document", "Documents"},
	{"advocacy", "Advocacy"},
	{"meeting", "Recent history"},
	{"feedback", "Product feedback"},
	{"process", "Processes"},
	{"decision", "Decisions"},
	{"shadow_system", "Shadow systems"},
	{"credential_mentioned", "Credentials to move into a vault"},
}

// fieldLabels names a finding's typed fields, in the order they are shown; fields not named here follow
// in alphabetical order under their key.
var fieldLabels = []struct{ Key, Label string }{
	{"name", "Name"}, {"role", "Role"}, {"relationship", "Relationship"}, {"sentiment", "Sentiment"},
	{"channel", "Channel"}, {"level", "Level"}, {"basis", "Basis"}, {"driver", "Driver"}, {"drivers", "Risk drivers"}, {"competitor", "Competitor"},
	{"crm_health", "CRM health as the CSM says"},
	{"date", "Date"}, {"probability", "Probability"}, {"decider", "Decides"}, {"blockers", "Blockers"},
	{"product", "Product"}, {"value", "Value"}, {"stage", "Stage"}, {"next_step", "Next step"},
	{"contact", "Contact"}, {"what", "What"}, {"to_whom", "To whom"}, {"due_date", "Due"},
	{"status", "Status"}, {"reference", "Reference"}, {"owner", "Owner"}, {"location", "Where"},
	{"impact", "Impact"}, {"cadence", "Cadence"}, {"frequency", "Frequency"}, {"tool", "Tool"},
	{"for", "For"}, {"theme", "Theme"}, {"customers", "Customers"}, {"contents", "Contents"},
	{"why", "Why"}, {"kind", "Kind"}, {"system", "System"}, {"notes", "Notes"},
	{"target", "Target"}, {"category", "Category"}, {"when", "When"}, {"with", "With"}, {"agreed", "Agreed"},
	{"in_return", "Promised in return"}, {"link", "Link"},
}

type accountPageData struct {
	Account   store.AccountView
	Groups    []findingGroup
	CanManage bool // may open the session's page
	// CanAsk: the CSM can still be asked (before their last day); Questions are those asked about the
	// account that the viewer may see (a successor their own); Asked: one was just sent.
	CanAsk    bool
	Questions []store.AskedQuestion
	Asked     bool
	// Waiting: the session shows successors only what the CSM approved, and this account is not yet.
	Waiting bool
	// Files are the files the CSM attached for the account (none while Waiting).
	Files []accountFile
}

// accountFile is a file attached for an account, as its page lists it; URL is empty and Withheld says
// why when the viewer may read its passages but not the original.
type accountFile struct {
	Name, URL, State, Withheld string
}

// accountFiles are the files attached for account accountID of interview interviewID, with what became
// of each (report.File's Outcome: "12 pages read", "could not be read (the PDF is encrypted)").
func (s *Server) accountFiles(ctx context.Context, interviewID, accountID string, successor bool) ([]accountFile, error) {
	all, err := s.store.Attachments(ctx, interviewID)
	if err != nil {
		return nil, err
	}
	var out []accountFile
	for _, a := range all {
		if a.AccountID != accountID {
			continue
		}
		f := accountFile{Name: a.Name, URL: attachmentDownloadPath(a.ID), State: report.FileOf(a).Outcome()}
		if successor && a.Withheld != "" {
			f.URL, f.Withheld = "", originalWithheld(a)
		}
		out = append(out, f)
	}
	return out, nil
}

type findingGroup struct {
	Type, Heading string
	Findings      []findingView
}

type findingView struct {
	Text      string
	MessageID string
	// MoreSources are the other answers the fact was also said in.
	MoreSources []string
	Fields      []fieldView
	Uncertain   bool // which account it is about is a guess (only the manager sees it)
	// State is the fact's: confirmed or corrected by the CSM, or extracted from their answers.
	State string
}

// fieldView is one field of a finding as a page shows it; Href is set for a web address the CSM gave
// (a document's link), which the page makes a link.
type fieldView struct {
	Label, Value string
	Href         string
}

// accountPage gathers everything captured about one account for the successor who takes it over. Who
// may not see the account gets the same 404 as for one that does not exist.
func (s *Server) accountPage(c echo.Context) error {
	v := viewerOf(c)
	d, err := s.accountAs(c.Request().Context(), v, c.Param("id"))
	if err != nil {
		return err
	}
	d.Asked = c.QueryParam("asked") == "1"
	return s.render(c, http.StatusOK, "account.html", pageData{Title: d.Account.Name, Data: d})
}

// accountAs is what viewer v may see of one account, for the account page and the MCP tool alike; an
// account v may not see is store.ErrNotFound.
func (s *Server) accountAs(ctx context.Context, v store.Viewer, accountID string) (accountPageData, error) {
	a, err := s.store.AccountForViewer(ctx, v, accountID)
	if err != nil {
		return accountPageData{}, err
	}
	// What was understood of the account (its facts), and where a credential was mentioned. What may be
	// about another account is the manager's to see until the CSM says which it is about.
	manager := v.Role != store.RoleSuccessor
	understood, err := s.store.AccountFacts(ctx, a.ID, manager)
	if err != nil {
		return accountPageData{}, err
	}
	findings, err := s.store.AccountFindings(ctx, a.ID, manager)
	if err != nil {
		return accountPageData{}, err
	}
	waiting := v.Role == store.RoleSuccessor && a.AfterApproval && a.ApprovedAt == nil
	if waiting {
		understood, findings = nil, nil // not yet approved by the CSM
	}
	by := ""
	if v.Role == store.RoleSuccessor {
		by = v.UserID
	}
	all, err := s.askedQuestions(ctx, v, a.InterviewID, by)
	if err != nil {
		return accountPageData{}, err
	}
	var files []accountFile
	if !waiting {
		if files, err = s.accountFiles(ctx, a.InterviewID, a.ID, v.Role == store.RoleSuccessor); err != nil {
			return accountPageData{}, err
		}
	}
	var questions []store.AskedQuestion
	for _, q := range all {
		if q.AccountID == a.ID {
			questions = append(questions, q)
		}
	}
	return accountPageData{Account: a, Groups: groupFindings(understood, findings), CanManage: v.Role == store.RoleAdmin || v.Role == store.RoleManager,
		CanAsk: a.InterviewStatus != "handed_over" && daysUntil(a.DepartureDate) >= 0, Questions: questions, Waiting: waiting,
		Files: files}, nil
}

// groupFindings sorts what was understood of an account (its facts, one per person, one risk, one
// renewal…) and the credentials mentioned (findings) into the page's sections, keeping their order within
// each; a type the page does not know gets a section of its own at the end rather than being dropped.
func groupFindings(understood []store.Fact, findings []store.Finding) []findingGroup {
	byType := map[string][]findingView{}
	var unknown []string
	add := func(typ string, v findingView) {
		if _, seen := byType[typ]; !seen && !knownType(typ) {
			unknown = append(unknown, typ)
		}
		byType[typ] = append(byType[typ], v)
	}
	for _, f := range understood {
		v := findingView{Text: f.Text, Fields: fieldsOf(f.Fields, f.Text), Uncertain: f.Uncertain, State: f.State}
		if len(f.Sources) > 0 {
			v.MessageID, v.MoreSources = f.Sources[0], f.Sources[1:]
		}
		add(facts.FindingType(f.Type), v)
	}
	for _, f := range findings {
		if f.Type == knowledge.CredentialMentioned {
			add(f.Type, findingView{Text: f.Text, MessageID: f.MessageID, Fields: fieldsOf(f.Fields, f.Text), Uncertain: f.Uncertain})
		}
	}
	var out []findingGroup
	for _, g := range findingGroups {
		if fs := byType[g.Type]; len(fs) > 0 {
			out = append(out, findingGroup{Type: g.Type, Heading: g.Heading, Findings: fs})
		}
	}
	for _, t := range unknown {
		out = append(out, findingGroup{Type: t, Heading: upperFirst(strings.ReplaceAll(t, "_", " ")), Findings: byType[t]})
	}
	return out
}

func knownType(t string) bool {
	for _, g := range findingGroups {
		if g.Type == t {
			return true
		}
	}
	return false
}

// fieldsOf lists a finding's fields, labelled and in a fixed order, leaving out empty ones and those that
// only repeat the finding's text.
func fieldsOf(fields map[string]string, text string) []fieldView {
	var out []fieldView
	done := map[string]bool{}
	for k, v := range fields {
		if v = strings.TrimSpace(v); v == "" || sameText(v, text) {
			done[k] = true
		}
	}
	for _, l := range fieldLabels {
		if v := strings.TrimSpace(fields[l.Key]); v != "" && !done[l.Key] {
			fv := fieldView{Label: l.Label, Value: fieldValue(l.Key, v)}
			if l.Key == "link" && (strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")) {
				fv.Href = v
			}
			out = append(out, fv)
		}
		done[l.Key] = true
	}
	var rest []string
	for k := range fields {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, fieldView{Label: upperFirst(strings.ReplaceAll(k, "_", " ")), Value: strings.TrimSpace(fields[k])})
	}
	return out
}

// fieldValue shows dates, probabilities and amounts the way the rest of the site does; anything that
// does not parse is shown as captured.
func fieldValue(key, v string) string {
	switch key {
	case "date", "due_date":
		if t, err := time.Parse(time.DateOnly, v); err == nil {
			return formatDate(t)
		}
	case "probability":
		if p, err := strconv.ParseFloat(v, 64); err == nil && p >= 0 && p <= 1 {
			return strconv.Itoa(int(p*100+0.5)) + "%"
		}
	case "value":
		// Extraction keeps the amount but not its currency ("€1.2M" is "1200000"): separators, no symbol.
		if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
			return money.Number(n)
		}
	case "kind", "category":
		if w, ok := kindWords[v]; ok {
			return w
		}
		return strings.ReplaceAll(v, "_", " ")
	case "stage", "status", "sentiment", "relationship", "level":
		return strings.ReplaceAll(v, "_", " ")
	}
	return v
}

// kindWords are the kinds and categories of the handover facts whose words are not their key's.
var kindWords = map[string]string{"kpi": "KPI", "qbr_takeaway": "QBR takeaway", "feature_valued": "feature they value",
	"feature_ignored": "feature they ignore", "go_live": "go-live", "integration": "system they run", "crm": "CRM", "bi": "BI",
	"qbr_deck": "QBR or EBR deck", "case_study": "case study"}

func sameText(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(strings.TrimSpace(a), ".;"), strings.TrimRight(strings.TrimSpace(b), ".;"))
}

func upperFirst(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}
