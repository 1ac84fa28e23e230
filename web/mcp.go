package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/mcpserver"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// The MCP endpoint: AI assistants reach the knowledge through package mcpserver's tools, authenticated by
// a personal API token, and each tool is answered here by the same calls as its HTTP API route (mcpBackend).

const mcpRoute = "/mcp"

// requireAPIToken lets through callers who authenticated with a personal API token, and no one else: a
// browser session does not open the MCP endpoint (a page of another site could otherwise make the
// signed-in user's browser call tools), nor does a CSM's invite.
func requireAPIToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if _, ok := currentUser(c); !ok || c.Get(ctxVia) != "token" {
			return newError(http.StatusUnauthorized, "unauthenticated",
				"Use Authorization: Bearer <token>, a personal API token from the API tokens page.")
		}
		return next(c)
	}
}

// mcpChallenge is the WWW-Authenticate header of a 401 on the MCP endpoint (RFC 6750).
func mcpChallenge(c echo.Context) string {
	if c.Request().Header.Get(echo.HeaderAuthorization) != "" {
		return `Bearer realm="exitinterview", error="invalid_token"`
	}
	return `Bearer realm="exitinterview"`
}

// mcpEndpoint hands the request, with its caller, to the MCP server.
func (s *Server) mcpEndpoint(c echo.Context) error {
	u, _ := currentUser(c)
	r := c.Request()
	r = r.WithContext(mcpserver.WithCaller(r.Context(), mcpserver.Caller{User: u, IP: c.RealIP()}))
	s.mcp.ServeHTTP(c.Response(), r)
	return nil
}

// mcpBackend answers the MCP tools with the HTTP API's own calls and rules.
type mcpBackend struct{ s *Server }

func actorFrom(c mcpserver.Caller) actor { return actor{user: c.User, ip: c.IP} }

// refusal turns err into the refusal the HTTP API would give for it (status, code, message, fields),
// logging it as handleError does when it is the server's fault.
func (b mcpBackend) refusal(ctx context.Context, tool string, err error) error {
	if err == nil {
		return nil
	}
	e := classify(err)
	switch {
	case e == errUnavailable:
		b.s.log.Warn("mcp tool failed: the database is out of reach", "tool", tool, "error", err)
	case e.Status >= 500:
		b.s.log.ErrorContext(ctx, "mcp tool failed", "tool", tool, "error", err)
	}
	out := &mcpserver.Error{Status: e.Status, Code: e.Code, Message: e.Message, Fields: e.Fields}
	var re *retryError
	if errors.As(err, &re) {
		out.RetryAfter = int(re.after.Seconds())
	}
	return out
}

// renamed gives validation errors the names of the tool's inputs where they differ from the API's.
func renamed(err error, names map[string]string) error {
	var ve validation.Errors
	if !errors.As(err, &ve) {
		return err
	}
	out := validation.Errors{}
	for k, v := range ve {
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

func (b mcpBackend) Search(ctx context.Context, c mcpserver.Caller, in mcpserver.SearchInput) ([]mcpserver.Passage, error) {
	if err := checkJSONText(&in); err != nil {
		return nil, b.refusal(ctx, mcpserver.ToolSearch, err)
	}
	q, err := checkSearchQuery(search.Query{Text: in.Query, Account: in.Account, Topic: in.Topic, Limit: in.Limit}, false)
	if err != nil {
		return nil, b.refusal(ctx, mcpserver.ToolSearch, renamed(err, map[string]string{"q": "query"}))
	}
	results, err := b.s.searchAs(ctx, actorFrom(c).viewer(), q)
	if err != nil {
		return nil, b.refusal(ctx, mcpserver.ToolSearch, renamed(err, map[string]string{"q": "query"}))
	}
	out := make([]mcpserver.Passage, len(results))
	for i, r := range results {
		out[i] = mcpserver.Passage{CapturedText: r.Text, Account: r.Account, AccountID: r.AccountID, Topics: r.Topics, Score: r.Score,
			ChunkID: r.ChunkID, MessageID: r.MessageID, InterviewID: r.InterviewID}
		if r.Attachment != nil {
			out[i].AttachmentID, out[i].Source = r.Attachment.ID, r.Attachment.Cite()
		}
	}
	return out, nil
}

func (b mcpBackend) Ask(ctx context.Context, c mcpserver.Caller, in mcpserver.AskInput) (mcpserver.AskOutput, error) {
	if err := checkJSONText(&in); err != nil {
		return mcpserver.AskOutput{}, b.refusal(ctx, mcpserver.ToolAsk, err)
	}
	a, err := b.s.askAs(ctx, actorFrom(c).viewer(), in.Question, in.Account)
	if err != nil {
		return mcpserver.AskOutput{}, b.refusal(ctx, mcpserver.ToolAsk, err)
	}
	out := mcpserver.AskOutput{Answer: a.Text, Grounded: a.Grounded, Outcome: a.Outcome, Citations: make([]mcpserver.Citation, len(a.Citations))}
	for i, ct := range a.Citations {
		out.Citations[i] = mcpserver.Citation{CapturedText: ct.Text, Account: ct.Account, ChunkID: ct.ChunkID, MessageID: ct.MessageID, InterviewID: ct.InterviewID}
		if ct.Attachment != nil {
			out.Citations[i].AttachmentID, out.Citations[i].Source = ct.Attachment.ID, ct.Attachment.Cite()
		}
	}
	return out, nil
}

// accountSummary is an account with its readiness (nil when the session's readiness is not at hand),
// as a successor's home and a manager's dashboard show it. What the CSM has not approved for a waiting
// successor stays out: the risk and readiness read it.
func accountSummary(a store.Account, iv store.Interview, r *accountReadiness, waiting bool) mcpserver.AccountSummary {
	out := mcpserver.AccountSummary{ID: a.ID, Name: a.Name, InterviewID: iv.ID, CSM: iv.CSMName, DepartureDate: iv.DepartureDate.Format(time.DateOnly),
		InterviewStatus: iv.Status, ARR: a.ARR, Currency: a.Currency, Successor: a.SuccessorEmail, Waiting: waiting}
	if a.RenewalDate != nil {
		out.RenewalDate = a.RenewalDate.Format(time.DateOnly)
	}
	if r != nil && !waiting {
		score := r.Score
		out.Risk, out.Readiness, out.Blind, out.Reasons = r.Risk, &score, r.Blind, r.Reasons
	}
	return out
}

// readinessByAccount is the readiness of every account of a session, by account id.
func (s *Server) readinessByAccount(ctx context.Context, iv store.Interview) (map[string]*accountReadiness, error) {
	ready, err := s.readinessOf(ctx, iv)
	if err != nil {
		return nil, err
	}
	out := map[string]*accountReadiness{}
	for i := range ready.Accounts {
		out[ready.Accounts[i].Account.ID] = &ready.Accounts[i]
	}
	return out, nil
}

func (b mcpBackend) Accounts(ctx context.Context, c mcpserver.Caller) ([]mcpserver.AccountSummary, error) {
	out, err := b.accounts(ctx, c.User)
	return out, b.refusal(ctx, mcpserver.ToolListAccounts, err)
}

// accounts are a successor's accounts (their home page) or a manager's sessions' accounts, an admin's
// all (the dashboard), each with its session's readiness.
func (b mcpBackend) accounts(ctx context.Context, u store.User) ([]mcpserver.AccountSummary, error) {
	s := b.s
	out := []mcpserver.AccountSummary{}
	switch u.Role {
	case store.RoleSuccessor:
		mine, err := s.store.SuccessorAccounts(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		sessions := map[string]store.Interview{}
		ready := map[string]map[string]*accountReadiness{}
		for _, av := range mine {
			iv, ok := sessions[av.InterviewID]
			if !ok {
				if iv, err = s.store.InterviewByID(ctx, av.InterviewID); err != nil {
					return nil, err
				}
				if ready[iv.ID], err = s.readinessByAccount(ctx, iv); err != nil {
					return nil, err
				}
				sessions[iv.ID] = iv
			}
			out = append(out, accountSummary(av.Account, iv, ready[iv.ID][av.ID], av.AfterApproval && av.ApprovedAt == nil))
		}
	case store.RoleManager, store.RoleAdmin:
		d, err := s.dashboard(ctx, u)
		if err != nil {
			return nil, err
		}
		for _, sr := range d.Sessions {
			byID := map[string]*accountReadiness{}
			for i := range sr.Accounts {
				byID[sr.Accounts[i].Account.ID] = &sr.Accounts[i]
			}
			for _, a := range sr.Plan {
				out = append(out, accountSummary(a, sr.Interview, byID[a.ID], false))
			}
		}
	}
	return out, nil
}

func (b mcpBackend) Account(ctx context.Context, c mcpserver.Caller, accountID string) (mcpserver.AccountDetail, error) {
	out, err := b.account(ctx, c.User, accountID)
	return out, b.refusal(ctx, mcpserver.ToolGetAccount, err)
}

// account is the account page's content (accountAs), with the account's readiness and its handover
// checklist from the latest report.
func (b mcpBackend) account(ctx context.Context, u store.User, accountID string) (mcpserver.AccountDetail, error) {
	s := b.s
	v := store.Viewer{UserID: u.ID, Role: u.Role}
	d, err := s.accountAs(ctx, v, accountID)
	if err != nil {
		return mcpserver.AccountDetail{}, err
	}
	iv, err := s.store.InterviewByID(ctx, d.Account.InterviewID)
	if err != nil {
		return mcpserver.AccountDetail{}, err
	}
	ready, err := s.readinessByAccount(ctx, iv)
	if err != nil {
		return mcpserver.AccountDetail{}, err
	}
	out := mcpserver.AccountDetail{Account: accountSummary(d.Account.Account, iv, ready[d.Account.ID], d.Waiting), CanAskCSM: d.CanAsk}
	for _, g := range d.Groups {
		fg := mcpserver.FactGroup{Type: g.Type, Heading: g.Heading}
		for _, f := range g.Findings {
			fact := mcpserver.Fact{CapturedText: f.Text, State: f.State, Uncertain: f.Uncertain, MessageID: f.MessageID}
			for _, fl := range f.Fields {
				fact.Fields = append(fact.Fields, mcpserver.Field{Label: fl.Label, Value: fl.Value})
			}
			fg.Facts = append(fg.Facts, fact)
		}
		out.Facts = append(out.Facts, fg)
	}
	if !d.Waiting && s.reports != nil {
		_, r, err := s.reports.Current(ctx, iv.ID)
		if err != nil {
			return mcpserver.AccountDetail{}, err
		}
		if r != nil {
			for _, it := range r.Checklist {
				if it.Account == d.Account.Name {
					out.Checklist = append(out.Checklist, mcpserver.ChecklistItem{ID: it.ID, Kind: it.Kind, Title: it.Title, Owner: it.Owner,
						DueDate: it.DueDate, Done: it.Done})
				}
			}
		}
	}
	for _, q := range d.Questions {
		aq := mcpserver.AskedQuestion{ID: q.ID, From: q.From, Text: q.Text, Status: q.Status, CreatedAt: q.CreatedAt}
		if q.Status == "answered" && q.AnswerMessageID != "" {
			aq.Answer = &mcpserver.Quote{CapturedText: q.Answer, MessageID: q.AnswerMessageID}
		}
		out.Questions = append(out.Questions, aq)
	}
	return out, nil
}

func (b mcpBackend) AskCSM(ctx context.Context, c mcpserver.Caller, in mcpserver.AskCSMInput) (mcpserver.SentQuestion, error) {
	out, err := b.askCSM(ctx, c, in)
	return out, b.refusal(ctx, mcpserver.ToolAskCSM, err)
}

// askCSM sends a question as the "Ask the CSM" form does: the account by id names its session (an
// account the caller may not see is not found), or the session and the account's name are given as to
// POST /api/v1/interviews/{id}/questions.
func (b mcpBackend) askCSM(ctx context.Context, c mcpserver.Caller, in mcpserver.AskCSMInput) (mcpserver.SentQuestion, error) {
	s := b.s
	if err := checkJSONText(&in); err != nil {
		return mcpserver.SentQuestion{}, err
	}
	by := actorFrom(c)
	interviewID, account := in.InterviewID, in.Account
	if in.AccountID != "" {
		av, err := s.store.AccountForViewer(ctx, by.viewer(), in.AccountID)
		if err != nil {
			return mcpserver.SentQuestion{}, err
		}
		if interviewID != "" && interviewID != av.InterviewID {
			return mcpserver.SentQuestion{}, validation.Errors{"interview_id": "is not the session of account_id"}
		}
		interviewID, account = av.InterviewID, av.Name
	}
	if interviewID == "" {
		return mcpserver.SentQuestion{}, validation.Errors{"account_id": "is required: the account the question is about (or interview_id for a question about no account in particular)"}
	}
	a, err := s.askerFor(ctx, by.user, interviewID)
	if err != nil {
		return mcpserver.SentQuestion{}, err
	}
	q, err := s.sendQuestion(ctx, by, a, in.Text, account)
	if err != nil {
		return mcpserver.SentQuestion{}, err
	}
	return mcpserver.SentQuestion{ID: q.ID, Status: q.Status, InterviewID: q.InterviewID, Account: q.AccountName}, nil
}
