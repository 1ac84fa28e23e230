package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// The CSM's review of what was captured from them: statements by account, each correctable or
// withdrawable; the corrections replace the old statements in search and in the next report.

type reviewFindingJSON struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	Text      string            `json:"text"`
	Fields    map[string]string `json:"fields"`
	MessageID string            `json:"message_id"`
}

// unsettledJSON is a passage whose account is a guess, for the CSM to file.
type unsettledJSON struct {
	ID        string  `json:"id"`
	Text      string  `json:"text"`
	Guess     *string `json:"guess"` // the account it is filed under for the manager meanwhile; null for none
	MessageID string  `json:"message_id"`
}

type reviewAccountJSON struct {
	Account  *string             `json:"account"` // null for what is not about one account
	Findings []reviewFindingJSON `json:"findings"`
	// Facts are what was understood of the account, as a read-back card shows them (absent for the
	// portfolio).
	Facts *[]factJSON `json:"facts,omitempty"`
}

type correctionJSON struct {
	ID        string    `json:"id"`
	MessageID string    `json:"message_id"`
	Original  string    `json:"original"`
	Corrected string    `json:"corrected"`
	Withdrawn bool      `json:"withdrawn"`
	CreatedAt time.Time `json:"created_at"`
}

func toCorrectionJSON(c store.Correction) correctionJSON {
	return correctionJSON{ID: c.ID, MessageID: c.MessageID, Original: c.Original, Corrected: c.Corrected, Withdrawn: c.Withdrawn, CreatedAt: c.CreatedAt}
}

// reviewGroup is one account's statements, for the API and the page.
type reviewGroup struct {
	Account  string // "" for the portfolio
	Findings []store.Finding
}

// groupReview orders statements by account in plan order, the portfolio's last, each sentence once;
// notes about removed credentials are not the CSM's words and are left out.
func groupReview(accounts []store.Account, findings []store.Finding) []reviewGroup {
	byAccount := map[string][]store.Finding{}
	seen := map[[2]string]bool{}
	for _, f := range findings {
		// One sentence can give two findings (two people named in it); a correction is of the sentence.
		key := [2]string{f.MessageID, f.Text}
		if f.Type != "credential_mentioned" && !seen[key] {
			seen[key] = true
			byAccount[f.AccountID] = append(byAccount[f.AccountID], f)
		}
	}
	var out []reviewGroup
	for _, a := range accounts {
		if fs := byAccount[a.ID]; len(fs) > 0 {
			out = append(out, reviewGroup{Account: a.Name, Findings: fs})
		}
	}
	if fs := byAccount[""]; len(fs) > 0 {
		out = append(out, reviewGroup{Findings: fs})
	}
	return out
}

// csmReview is GET /api/v1/interview/review.
func (s *Server) csmReview(c echo.Context) error {
	r, err := s.ivs.Review(c.Request().Context(), csmInterview(c).ID)
	if err != nil {
		return err
	}
	out := struct {
		Accounts    []reviewAccountJSON `json:"accounts"`
		Corrections []correctionJSON    `json:"corrections"`
		Unsettled   []unsettledJSON     `json:"unsettled"`
		Answers     []filedAnswerJSON   `json:"answers"`
	}{Accounts: []reviewAccountJSON{}, Corrections: []correctionJSON{}, Unsettled: []unsettledJSON{}, Answers: []filedAnswerJSON{}}
	names := map[string]string{}
	for _, a := range r.Accounts {
		names[a.ID] = a.Name
	}
	for _, a := range r.Answers {
		out.Answers = append(out.Answers, filedAnswerJSON{MessageID: a.Message.ID, Question: a.Question, Text: a.Message.Content,
			Covers: toFiledJSON(a.Covers, names), ByCSM: a.ByCSM})
	}
	for _, u := range r.Unsettled {
		var guess *string
		if n, ok := names[u.AccountID]; ok {
			guess = &n
		}
		out.Unsettled = append(out.Unsettled, unsettledJSON{ID: u.ID, Text: u.Text, Guess: guess, MessageID: u.MessageID})
	}
	ids := map[string]string{}
	for _, a := range r.Accounts {
		ids[a.Name] = a.ID
	}
	for _, g := range groupReview(r.Accounts, r.Findings) {
		ra := reviewAccountJSON{Findings: []reviewFindingJSON{}}
		if g.Account != "" {
			name := g.Account
			ra.Account = &name
			card := toFactsJSON(r.Facts[ids[name]])
			ra.Facts = &card
		}
		for _, f := range g.Findings {
			ra.Findings = append(ra.Findings, reviewFindingJSON{ID: f.ID, Type: f.Type, Text: f.Text, Fields: f.Fields, MessageID: f.MessageID})
		}
		out.Accounts = append(out.Accounts, ra)
	}
	for _, co := range r.Corrections {
		out.Corrections = append(out.Corrections, toCorrectionJSON(co))
	}
	return c.JSON(http.StatusOK, out)
}

// csmReviewFacts is POST /api/v1/interview/review/facts: {"account", "confirm", "corrections"} confirms or
// corrects what was understood of one account, as the chat's read-back does → 200 {"account", "facts"}.
func (s *Server) csmReviewFacts(c echo.Context) error {
	var req struct {
		Account string `json:"account"`
		readbackRequest
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	changes, err := toChanges(req.Corrections)
	if err != nil {
		return err
	}
	iv := csmInterview(c)
	card, err := s.ivs.ReviewFacts(c.Request().Context(), iv.ID, req.Account, req.Confirm, changes)
	if err != nil {
		return err
	}
	s.audit(c, "review.facts", iv.ID, map[string]any{"by": "csm", "account": req.Account, "confirm": req.Confirm, "changes": len(changes)})
	return c.JSON(http.StatusOK, map[string]any{"account": req.Account, "facts": toFactsJSON(card)})
}

// filedAnswerJSON is one of the CSM's answers with what it is filed under.
type filedAnswerJSON struct {
	MessageID string      `json:"message_id"`
	Question  string      `json:"question"`
	Text      string      `json:"text"`
	Covers    []coverJSON `json:"covers"`
	// ByCSM: the CSM filed it; otherwise the filing is the topic reader's.
	ByCSM bool `json:"filed_by_csm"`
}

// coverJSON is an (account, topic) pair: account is a name, "" for a portfolio topic.
type coverJSON struct {
	Account string `json:"account"`
	Topic   string `json:"topic"`
}

func toFiledJSON(filed []store.Filed, names map[string]string) []coverJSON {
	out := make([]coverJSON, len(filed))
	for i, f := range filed {
		out[i] = coverJSON{Account: names[f.AccountID], Topic: f.Topic}
	}
	return out
}

// csmFile is POST /api/v1/interview/review/answers/{message_id}/topics: {"covers": [{"account", "topic"}]}
// files the answer under those accounts and topics ("account": "" for a portfolio topic), in place of the
// topic reader's filing; coverage, gaps, the report and the answer's passages follow it.
func (s *Server) csmFile(c echo.Context) error {
	var req struct {
		Covers *[]coverJSON `json:"covers"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Covers == nil {
		return validation.Errors{"covers": "is required: a list of {\"account\", \"topic\"}, empty for none"}
	}
	iv := csmInterview(c)
	filed, err := s.file(c, iv, *req.Covers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"message_id": c.Param("message_id"), "covers": filed})
}

// file files one answer for the API and the page, and audits it.
func (s *Server) file(c echo.Context, iv store.Interview, covers []coverJSON) ([]coverJSON, error) {
	pairs := make([]interview.FiledPair, len(covers))
	for i, cv := range covers {
		pairs[i] = interview.FiledPair{Account: cv.Account, Topic: cv.Topic}
	}
	filed, err := s.ivs.File(c.Request().Context(), iv.ID, c.Param("message_id"), pairs)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	out := make([]coverJSON, len(filed))
	for i, f := range filed {
		out[i] = coverJSON{Account: f.Account, Topic: f.Topic}
	}
	s.audit(c, "review.file", iv.ID, map[string]any{"by": "csm", "message": c.Param("message_id"), "covers": out})
	return out, nil
}

// filedView is one answer on the review page with the topics it is filed under.
type filedView struct {
	ID, Question, Text string
	Account            string // the account the question was about, offered first for adding a topic
	Covers             []topicChoice
	ByCSM              bool
}

// topicChoice is an (account, topic) pair as a form value ("account|topic") and a label.
type topicChoice struct {
	Value, Label string
}

func choiceOf(account, topic string) topicChoice {
	t, _ := interview.TopicByKey(topic)
	label := t.Label
	if account != "" {
		label = account + ": " + label
	}
	return topicChoice{Value: account + "|" + topic, Label: label}
}

func filedAnswersView(r interview.Review) []filedView {
	names := map[string]string{}
	for _, a := range r.Accounts {
		names[a.ID] = a.Name
	}
	out := make([]filedView, len(r.Answers))
	for i, a := range r.Answers {
		v := filedView{ID: a.Message.ID, Question: a.Question, Text: a.Message.Content, Account: names[a.AccountID], ByCSM: a.ByCSM}
		for _, f := range a.Covers {
			v.Covers = append(v.Covers, choiceOf(names[f.AccountID], f.Topic))
		}
		out[i] = v
	}
	return out
}

// filePageSubmit files an answer from the review page: each "cover" value is "account|topic", and
// "add_account" with "add_topic" adds one pair.
func (s *Server) filePageSubmit(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		return s.chatPage(c)
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	var covers []coverJSON
	for _, v := range form["cover"] {
		account, topic, _ := strings.Cut(v, "|")
		covers = append(covers, coverJSON{Account: account, Topic: topic})
	}
	if topic := c.FormValue("add_topic"); topic != "" { // "Add": an account (or none: the portfolio) and a topic
		covers = append(covers, coverJSON{Account: c.FormValue("add_account"), Topic: topic})
	}
	_, err = s.file(c, iv, covers)
	var errs validation.Errors
	switch {
	case errors.As(err, &errs):
		return s.renderReview(c, http.StatusBadRequest, iv, c.Param("message_id"), errs)
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interview/review?filed=1#m-"+c.Param("message_id"))
}

// csmCorrect is POST /api/v1/interview/review/findings/{finding_id}: {"text"} corrects the statement,
// {"withdraw": true} withdraws it.
func (s *Server) csmCorrect(c echo.Context) error {
	var req struct {
		Text     string `json:"text" text:"multiline"`
		Withdraw bool   `json:"withdraw"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	co, err := s.ivs.Correct(c.Request().Context(), csmInterview(c).ID, c.Param("finding_id"), req.Text, req.Withdraw)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	s.audit(c, "review.correct", co.InterviewID, map[string]any{"by": "csm", "correction": co.ID, "withdrawn": co.Withdrawn})
	return c.JSON(http.StatusCreated, toCorrectionJSON(co))
}

// csmSettle is POST /api/v1/interview/review/passages/{chunk_id}: {"account": name, or "" for none in
// particular} files a passage whose account was a guess.
func (s *Server) csmSettle(c echo.Context) error {
	var req struct {
		Account string `json:"account"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	iv := csmInterview(c)
	if err := s.ivs.Settle(c.Request().Context(), iv.ID, c.Param("chunk_id"), req.Account); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound
		}
		return err
	}
	s.audit(c, "review.settle", iv.ID, map[string]any{"by": "csm", "passage": c.Param("chunk_id"), "account": req.Account})
	return c.JSON(http.StatusOK, map[string]any{"settled": true, "account": req.Account})
}

// settlePageSubmit files a passage from the review page.
func (s *Server) settlePageSubmit(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		return s.chatPage(c)
	}
	err := s.ivs.Settle(c.Request().Context(), iv.ID, c.Param("chunk_id"), c.FormValue("account"))
	var errs validation.Errors
	switch {
	case errors.As(err, &errs):
		return s.renderReview(c, http.StatusBadRequest, iv, "", errs)
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case err != nil:
		return err
	}
	s.audit(c, "review.settle", iv.ID, map[string]any{"by": "csm", "passage": c.Param("chunk_id"), "account": c.FormValue("account")})
	return c.Redirect(http.StatusSeeOther, "/interview/review?saved=1")
}

// reviewPage shows the CSM what was captured, with a form per statement.
func (s *Server) reviewPage(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		return s.chatPage(c) // the same notices as the chat for a missing or expired invite
	}
	return s.renderReview(c, http.StatusOK, iv, "", nil)
}

func (s *Server) renderReview(c echo.Context, status int, iv store.Interview, findingID string, errs validation.Errors) error {
	r, err := s.ivs.Review(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	approved := map[string]bool{"": iv.PortfolioApprovedAt != nil}
	for _, a := range r.Accounts {
		approved[a.Name] = a.ApprovedAt != nil
	}
	cards := map[string]any{}
	for _, a := range r.Accounts {
		if card, ok := r.Facts[a.ID]; ok {
			cards[a.Name] = map[string]any{"id": "review-" + a.ID, "account": a.Name, "facts": toFactsJSON(card)}
		}
	}
	attachments, err := s.store.Attachments(c.Request().Context(), iv.ID)
	if err != nil {
		return err
	}
	return s.renderBare(c, status, "review.html", "What was captured", map[string]any{"Interview": iv, "Groups": groupReview(r.Accounts, r.Findings),
		"Attachments": attachments,
		"Cards":       cards, "Answers": filedAnswersView(r), "Topics": interview.Topics, "Filed": c.QueryParam("filed") == "1",
		"Approved": approved, "Unsettled": r.Unsettled, "Accounts": r.Accounts,
		"Corrections": r.Corrections, "Saved": c.QueryParam("saved") == "1", "FindingID": findingID, "Errors": errs})
}

// reviewSubmit saves a correction from the page.
func (s *Server) reviewSubmit(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		return s.chatPage(c)
	}
	id := c.Param("finding_id")
	co, err := s.ivs.Correct(c.Request().Context(), iv.ID, id, c.FormValue("text"), c.FormValue("withdraw") != "")
	if err == nil {
		s.audit(c, "review.correct", iv.ID, map[string]any{"by": "csm", "correction": co.ID, "withdrawn": co.Withdrawn})
	}
	var errs validation.Errors
	switch {
	case errors.As(err, &errs):
		return s.renderReview(c, http.StatusBadRequest, iv, id, errs)
	case errors.Is(err, store.ErrNotFound):
		return errNotFound
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interview/review?saved=1")
}

// csmApprove is POST /api/v1/interview/review/approve: {"account": name, or "" for what is about no
// account}.
func (s *Server) csmApprove(c echo.Context) error {
	var req struct {
		Account string `json:"account" text:"line"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.ivs.Approve(c.Request().Context(), csmInterview(c).ID, req.Account); err != nil {
		return err
	}
	s.audit(c, "review.approve", csmInterview(c).ID, map[string]any{"by": "csm", "account": req.Account})
	return c.JSON(http.StatusOK, map[string]any{"approved": true, "account": req.Account})
}

// approvePageSubmit approves one group of the review page.
func (s *Server) approvePageSubmit(c echo.Context) error {
	iv, ok := c.Get(ctxInterview).(store.Interview)
	if !ok {
		return s.chatPage(c)
	}
	err := s.ivs.Approve(c.Request().Context(), iv.ID, c.FormValue("account"))
	if err == nil {
		s.audit(c, "review.approve", iv.ID, map[string]any{"by": "csm", "account": c.FormValue("account")})
	}
	var errs validation.Errors
	if errors.As(err, &errs) {
		return s.renderReview(c, http.StatusBadRequest, iv, "", errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/interview/review?saved=1")
}

// setApproval is PUT /api/v1/interviews/{id}/approval: {"required": true} shows successors only what the
// CSM approved.
func (s *Server) setApproval(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	var req struct {
		Required bool `json:"required"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if err := s.store.SetApprovalRequired(c.Request().Context(), iv.ID, req.Required); err != nil {
		return err
	}
	s.audit(c, "session.approval", iv.ID, map[string]any{"required": req.Required})
	return c.JSON(http.StatusOK, map[string]bool{"required": req.Required})
}

// approvalPageSubmit is the session page's switch.
func (s *Server) approvalPageSubmit(c echo.Context) error {
	iv, err := s.ownInterview(c)
	if err != nil {
		return err
	}
	required := c.FormValue("required") == "on"
	if err := s.store.SetApprovalRequired(c.Request().Context(), iv.ID, required); err != nil {
		return err
	}
	s.audit(c, "session.approval", iv.ID, map[string]any{"required": required})
	return c.Redirect(http.StatusSeeOther, "/interviews/"+iv.ID)
}
