package web

import (
	"errors"
	"html/template"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type searchPageData struct {
	Q, Account, Topic string
	Interview         string
	Topics            []interview.Topic
	Results           []searchHit
	Searched          bool
	Fields            validation.Errors
	Question          string
	Answer            *search.Answer
	// AskTargets are the accounts whose departing CSM the viewer may still ask, offered when an answer
	// was not captured; Asked: a question was just sent.
	AskTargets []store.AccountView
	Asked      bool
	// AskFor is the id of the ask target chosen in the form to begin with (see askTarget); "" leaves the
	// choice to the asker.
	AskFor string
}

type searchHit struct {
	search.Result
	SnippetHTML template.HTML // escaped by search, with <mark> added
}

// searchPage is search and ask for successors and managers: results link to their source message.
func (s *Server) searchPage(c echo.Context) error {
	d := searchPageData{Q: c.QueryParam("q"), Account: c.QueryParam("account"), Topic: c.QueryParam("topic"), Interview: c.QueryParam("interview"),
		Topics: interview.Topics, Asked: c.QueryParam("asked") == "1"}
	status := http.StatusOK
	if strings.TrimSpace(d.Q) != "" {
		q, err := searchQuery(c)
		var fields validation.Errors
		if errors.As(err, &fields) {
			d.Fields, status = fields, http.StatusBadRequest
		} else if err != nil {
			return err
		} else {
			results, err := s.search.Search(c.Request().Context(), viewerOf(c), q)
			if errors.Is(err, search.ErrEmptyQuery) {
				d.Fields, status = validation.Errors{"q": "has no words to search for"}, http.StatusBadRequest
			} else if err != nil {
				return err
			}
			d.Searched = true
			for _, r := range results {
				d.Results = append(d.Results, searchHit{Result: r, SnippetHTML: template.HTML(r.Snippet)}) //nolint:gosec // escaped by search.markSnippet
			}
		}
	}
	if c.QueryParam("fragment") == "results" {
		// The page's script asks for the results alone while the successor types.
		return s.renderBlock(c, status, "search.html", "results", d)
	}
	return s.render(c, status, "search.html", pageData{Title: "Search", Data: d})
}

// askPage answers a question on the search page.
func (s *Server) askPage(c echo.Context) error {
	d := searchPageData{Question: strings.TrimSpace(c.FormValue("question")), Account: strings.TrimSpace(c.FormValue("account")),
		Interview: strings.TrimSpace(c.FormValue("interview")), Topics: interview.Topics}
	a, err := s.ask(c, d.Question, d.Account)
	if errors.As(err, &d.Fields) {
		return s.render(c, http.StatusBadRequest, "search.html", pageData{Title: "Search", Data: d})
	}
	if err != nil {
		return err
	}
	d.Answer = &a
	if !a.Grounded {
		if d.AskTargets, err = s.store.AskableAccounts(c.Request().Context(), viewerOf(c)); err != nil {
			return err
		}
		d.AskFor = askTarget(d.AskTargets, d.Account, d.Interview, a.Accounts)
	}
	return s.render(c, http.StatusOK, "search.html", pageData{Title: "Search", Data: d})
}

// askTarget chooses the account a question to the departing CSM is most likely about: the one the
// asker is looking at (the search's account, in its session when one is given), else the first account
// the question names, in the order it names them (in the session looked at, when it has one of that
// name), else the only account there is. Otherwise it chooses none, so that the asker picks rather than
// sending the question about an account they did not mean.
func askTarget(targets []store.AccountView, account, interviewID string, named []string) string {
	find := func(name string) string {
		first := ""
		for _, t := range targets {
			if !strings.EqualFold(t.Name, name) {
				continue
			}
			if interviewID == "" || t.InterviewID == interviewID {
				return t.ID
			}
			if first == "" {
				first = t.ID
			}
		}
		return first
	}
	if account != "" {
		if id := find(account); id != "" {
			return id
		}
	}
	for _, name := range named {
		if id := find(name); id != "" {
			return id
		}
	}
	if len(targets) == 1 {
		return targets[0].ID
	}
	return ""
}

// messagePage shows one transcript message with the question it answers: where a search result or a
// citation came from. Anyone who may not see it gets the same 404 as for a message that does not exist.
func (s *Server) messagePage(c echo.Context) error {
	ctx := c.Request().Context()
	ok, err := s.store.MessageVisible(ctx, viewerOf(c), c.Param("id"))
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	m, err := s.store.MessageByID(ctx, c.Param("id"))
	if err != nil {
		return err
	}
	iv, err := s.store.InterviewByID(ctx, m.InterviewID)
	if err != nil {
		return err
	}
	v := viewerOf(c)
	var accounts []string
	if m.Role == "csm" {
		if m.Content, accounts, err = s.answerView(ctx, v, m.ID, m.Content); err != nil {
			return err
		}
	}
	var q *store.Message
	if m.ReplyTo != "" {
		if qm, err := s.store.MessageByID(ctx, m.ReplyTo); err == nil {
			qm.Content = questionView(v, qm, accounts)
			q = &qm
		}
	}
	return s.render(c, http.StatusOK, "message.html", pageData{Title: "Transcript message", Data: map[string]any{
		"Message": m, "Question": q, "Interview": iv, "Successor": v.Role == store.RoleSuccessor}})
}
