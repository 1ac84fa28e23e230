package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/plural"
	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// Questions back to the CSM: the session's manager may ask about any account or the portfolio,
// a successor about the accounts handed to them. The question joins the CSM's interview; after the
// departure date nobody can reach them any more.

// questionAsker is what a caller may ask in one interview.
type questionAsker struct {
	iv       store.Interview
	accounts []store.Account
	from     string          // manager or successor
	mine     map[string]bool // for a successor: the account ids handed to them
}

// askerOf loads the interview of the route and what the caller may ask in it; anyone who may not ask
// there gets the same 404 as for an interview that does not exist.
func (s *Server) askerOf(c echo.Context, interviewID string) (questionAsker, error) {
	u, _ := currentUser(c)
	return s.askerFor(c.Request().Context(), u, interviewID)
}

// askerFor is askerOf for user u, whoever asks (the API, the pages, the MCP tool).
func (s *Server) askerFor(ctx context.Context, u store.User, interviewID string) (questionAsker, error) {
	iv, err := s.store.InterviewByID(ctx, interviewID)
	if err != nil {
		return questionAsker{}, err
	}
	accounts, err := s.store.Accounts(ctx, iv.ID)
	if err != nil {
		return questionAsker{}, err
	}
	a := questionAsker{iv: iv, accounts: accounts, from: "manager", mine: map[string]bool{}}
	switch u.Role {
	case store.RoleAdmin:
	case store.RoleManager:
		if iv.ManagerID != u.ID {
			return questionAsker{}, errNotFound
		}
	case store.RoleSuccessor:
		a.from = "successor"
		for _, acc := range accounts {
			if acc.SuccessorID == u.ID {
				a.mine[acc.ID] = true
			}
		}
		if len(a.mine) == 0 {
			return questionAsker{}, errNotFound
		}
	default:
		return questionAsker{}, errNotFound
	}
	return a, nil
}

// questionsWindow is the period over which one asker's questions to one CSM are counted.
const questionsWindow = 24 * time.Hour

// roundWait says a wait in words: minutes under two hours, hours above.
func roundWait(d time.Duration) string {
	if d < 2*time.Hour {
		return plural.Count(int(d.Round(time.Minute).Minutes()), "minute", "minutes")
	}
	return plural.Count(int(d.Round(time.Hour).Hours()), "hour", "hours")
}

var errQuestionsClosed = newError(http.StatusConflict, "closed", "The CSM's last day has passed: questions can no longer reach them.")

// askCSM checks a question and stores it for the CSM.
func (s *Server) askCSM(c echo.Context, a questionAsker, text, accountName string) (store.AskedQuestion, error) {
	return s.sendQuestion(c.Request().Context(), actorOf(c), a, text, accountName)
}

// sendQuestion is askCSM for actor by, whoever sends it (the API, the pages, the MCP tool). Past the
// limit it is a 429 that says when the next may be sent (Retry-After).
func (s *Server) sendQuestion(ctx context.Context, by actor, a questionAsker, text, accountName string) (store.AskedQuestion, error) {
	text, accountName = strings.TrimSpace(text), strings.TrimSpace(accountName)
	errs := validation.Errors{}
	switch n := utf8.RuneCountInString(text); {
	case n < 5:
		errs["text"] = "must say what you want to know (at least 5 characters)"
	case n > 1000:
		errs["text"] = "must be at most 1000 characters"
	}
	var account *store.Account
	for i := range a.accounts {
		if accountName != "" && strings.EqualFold(a.accounts[i].Name, accountName) {
			account = &a.accounts[i]
		}
	}
	switch {
	case accountName != "" && account == nil:
		errs["account"] = "is not an account of this session"
	case a.from == "successor" && account == nil:
		errs["account"] = "is required: ask about an account handed to you"
	}
	if len(errs) > 0 {
		return store.AskedQuestion{}, errs
	}
	if a.from == "successor" && !a.mine[account.ID] {
		return store.AskedQuestion{}, newError(http.StatusForbidden, "forbidden", "You can ask only about the accounts handed to you.")
	}
	if a.iv.Status == "handed_over" || daysUntil(a.iv.DepartureDate) < 0 {
		return store.AskedQuestion{}, errQuestionsClosed
	}
	text, _ = redact.Text(text) // a question is shown to the CSM and stored in the transcript
	q := store.AskedQuestion{InterviewID: a.iv.ID, AskedBy: by.user.ID, From: a.from, Text: text}
	if account != nil {
		q.AccountID = account.ID
	}
	q, retryAt, err := s.store.CreateAskedQuestionWithin(ctx, q, s.cfg.QuestionsPerDay, questionsWindow)
	if errors.Is(err, store.ErrTooManyQuestions) {
		wait := max(time.Until(retryAt), time.Minute)
		return store.AskedQuestion{}, &retryError{after: wait, apiError: newError(http.StatusTooManyRequests, "too_many_questions", fmt.Sprintf(
			"You have sent this CSM %s in the last 24 hours, the most allowed; the next can be sent in %s. Gather what is left into one question.",
			plural.Count(s.cfg.QuestionsPerDay, "question", "questions"), roundWait(wait)))}
	}
	if err != nil {
		return store.AskedQuestion{}, err
	}
	s.auditAs(ctx, by, "question.ask", a.iv.ID, map[string]any{"question": q.ID, "account": q.AccountName})
	return q, nil
}

type askedAnswerJSON struct {
	MessageID string `json:"message_id"`
	Text      string `json:"text"`
}

type askedQuestionJSON struct {
	ID        string           `json:"id"`
	Text      string           `json:"text"`
	Account   *string          `json:"account"`
	From      string           `json:"from"`
	Status    string           `json:"status"`
	CreatedAt time.Time        `json:"created_at"`
	MessageID *string          `json:"message_id"` // the answer's, once given
	Answer    *askedAnswerJSON `json:"answer"`
}

func toAskedJSON(q store.AskedQuestion) askedQuestionJSON {
	out := askedQuestionJSON{ID: q.ID, Text: q.Text, From: q.From, Status: q.Status, CreatedAt: q.CreatedAt}
	if q.AccountName != "" {
		name := q.AccountName
		out.Account = &name
	}
	if q.AnswerMessageID != "" && q.Status == "answered" {
		id := q.AnswerMessageID
		out.MessageID = &id
		out.Answer = &askedAnswerJSON{MessageID: id, Text: q.Answer}
	}
	return out
}

// createQuestion is POST /api/v1/interviews/{id}/questions.
func (s *Server) createQuestion(c echo.Context) error {
	a, err := s.askerOf(c, c.Param("id"))
	if err != nil {
		return err
	}
	var req struct {
		Text    string `json:"text" text:"multiline"`
		Account string `json:"account" text:"line"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	q, err := s.askCSM(c, a, req.Text, req.Account)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"id": q.ID, "status": q.Status})
}

// listQuestions is GET /api/v1/interviews/{id}/questions: a manager sees all, a successor their own.
func (s *Server) listQuestions(c echo.Context) error {
	a, err := s.askerOf(c, c.Param("id"))
	if err != nil {
		return err
	}
	u, _ := currentUser(c)
	by := ""
	if a.from == "successor" {
		by = u.ID
	}
	qs, err := s.askedQuestions(c.Request().Context(), viewerOf(c), a.iv.ID, by)
	if err != nil {
		return err
	}
	out := make([]askedQuestionJSON, len(qs))
	for i, q := range qs {
		out[i] = toAskedJSON(q)
	}
	return c.JSON(http.StatusOK, map[string]any{"questions": out})
}

// askPageSubmit is the form behind "Ask the CSM" on the report, account and search pages: it returns to
// the page it came from with a notice, or shows the problem there.
func (s *Server) askPageSubmit(c echo.Context) error {
	interviewID, account := c.FormValue("interview_id"), c.FormValue("account")
	if id := c.FormValue("account_id"); id != "" {
		av, err := s.store.AccountForViewer(c.Request().Context(), viewerOf(c), id)
		if err != nil {
			return err
		}
		interviewID, account = av.InterviewID, av.Name
	}
	back := safeNext(c.FormValue("back"))
	if interviewID == "" {
		// The search page's form leaves the account to choose when it cannot tell which one is meant.
		return s.render(c, http.StatusBadRequest, "notice.html", pageData{Title: "Question not sent",
			Data: map[string]string{"Title": "Question not sent", "Text": "Your question was not sent: choose the account it is about.", "Back": back}})
	}
	a, err := s.askerOf(c, interviewID)
	if err != nil {
		return err
	}
	if _, err := s.askCSM(c, a, c.FormValue("text"), account); err != nil {
		var e validation.Errors
		if errors.As(err, &e) {
			msg := "Your question was not sent: "
			for k, v := range e {
				msg += k + " " + v + ". "
			}
			return s.render(c, http.StatusBadRequest, "notice.html", pageData{Title: "Question not sent",
				Data: map[string]string{"Title": "Question not sent", "Text": strings.TrimSpace(msg), "Back": back}})
		}
		return err
	}
	path, fragment, _ := strings.Cut(back, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	back = path + sep + "asked=1"
	if fragment != "" {
		back += "#" + fragment
	}
	return c.Redirect(http.StatusSeeOther, back)
}
