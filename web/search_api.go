package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/search"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

type searchResultJSON struct {
	ChunkID     string   `json:"chunk_id"`
	Text        string   `json:"text"`
	Snippet     string   `json:"snippet"`
	Account     *string  `json:"account"`
	Topics      []string `json:"topics"`
	InterviewID string   `json:"interview_id"`
	MessageID   string   `json:"message_id"`
	// Attachment is the file the passage was read from (absent for an answer's passage, whose message_id
	// is then set).
	Attachment *attachmentCiteJSON `json:"attachment,omitempty"`
	Score      float64             `json:"score"`
}

// attachmentCiteJSON names the file a passage was read from, its place in it and where to download it.
type attachmentCiteJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Location    string `json:"location"`
	Cite        string `json:"cite"`
	DownloadURL string `json:"download_url"`
}

func toAttachmentCite(a *search.Attachment) *attachmentCiteJSON {
	if a == nil {
		return nil
	}
	return &attachmentCiteJSON{ID: a.ID, Name: a.Name, Location: a.Location, Cite: a.Cite(), DownloadURL: attachmentDownloadPath(a.ID)}
}

func viewerOf(c echo.Context) store.Viewer {
	u, _ := currentUser(c)
	return store.Viewer{UserID: u.ID, Role: u.Role}
}

// searchQuery reads and checks the search parameters shared by the API and the page.
func searchQuery(c echo.Context) (search.Query, error) {
	q := search.Query{Text: c.QueryParam("q"), Account: c.QueryParam("account"), Topic: c.QueryParam("topic"), InterviewID: c.QueryParam("interview")}
	limitErr := false
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		q.Limit, limitErr = n, err != nil || n < 1 // given, it must be a number from 1 to 50
	}
	return checkSearchQuery(q, limitErr)
}

// checkSearchQuery checks a search's parameters, whoever sends them (the API, the page, the MCP tool):
// q is trimmed; a Limit of 0 is the default; badLimit says the limit given was not a whole number from 1.
func checkSearchQuery(q search.Query, badLimit bool) (search.Query, error) {
	q.Text, q.Account = strings.TrimSpace(q.Text), strings.TrimSpace(q.Account)
	errs := validation.Errors{}
	switch {
	case q.Text == "":
		errs.Add("q", "is required")
	case utf8.RuneCountInString(q.Text) > 500:
		errs.Add("q", "must be at most 500 characters")
	}
	if q.Topic != "" {
		if _, ok := interview.TopicByKey(q.Topic); !ok {
			errs.Add("topic", "is not a topic key")
		}
	}
	if q.InterviewID != "" && len(q.InterviewID) != 36 {
		errs.Add("interview", "must be an interview id")
	}
	if badLimit || q.Limit < 0 || q.Limit > 50 {
		errs.Add("limit", "must be a whole number from 1 to 50")
	}
	return q, errs.Err()
}

// searchAs runs a checked query over the knowledge v may see; a query with no words to search for is a
// validation.Errors for "q".
func (s *Server) searchAs(ctx context.Context, v store.Viewer, q search.Query) ([]search.Result, error) {
	results, err := s.search.Search(ctx, v, q)
	if errors.Is(err, search.ErrEmptyQuery) {
		return nil, validation.Errors{"q": "has no words to search for"}
	}
	return results, err
}

// searchAPI is hybrid search over the knowledge the caller may see.
func (s *Server) searchAPI(c echo.Context) error {
	q, err := searchQuery(c)
	if err != nil {
		return err
	}
	results, err := s.searchAs(c.Request().Context(), viewerOf(c), q)
	if err != nil {
		return err
	}
	out := make([]searchResultJSON, len(results))
	for i, r := range results {
		out[i] = searchResultJSON{ChunkID: r.ChunkID, Text: r.Text, Snippet: r.Snippet, Topics: r.Topics,
			InterviewID: r.InterviewID, MessageID: r.MessageID, Attachment: toAttachmentCite(r.Attachment), Score: r.Score}
		if r.Account != "" {
			a := r.Account
			out[i].Account = &a
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"results": out})
}

type citationJSON struct {
	ChunkID     string              `json:"chunk_id"`
	MessageID   string              `json:"message_id"`
	Attachment  *attachmentCiteJSON `json:"attachment,omitempty"`
	InterviewID string              `json:"interview_id"`
	Account     *string             `json:"account"`
	Text        string              `json:"text"`
}

// ask checks a question and answers it; a question that cannot be asked is a validation.Errors for the
// "question" field.
func (s *Server) ask(c echo.Context, question, account string) (search.Answer, error) {
	return s.askAs(c.Request().Context(), viewerOf(c), question, account)
}

// askAs is ask for viewer v, whoever asks (the API, the page, the MCP tool).
func (s *Server) askAs(ctx context.Context, v store.Viewer, question, account string) (search.Answer, error) {
	question = strings.TrimSpace(question)
	switch {
	case question == "":
		return search.Answer{}, validation.Errors{"question": "is required"}
	case utf8.RuneCountInString(question) > 500:
		return search.Answer{}, validation.Errors{"question": "must be at most 500 characters"}
	}
	a, err := s.search.Ask(ctx, v, question, strings.TrimSpace(account), s.scorer)
	if errors.Is(err, search.ErrEmptyQuery) {
		return search.Answer{}, validation.Errors{"question": "has no words to search for"}
	}
	return a, err
}

type askJSON struct {
	Answer   string `json:"answer"`
	Grounded bool   `json:"grounded"`
	// Outcome: "answer" (grounded, cited), "nearest" (nothing answers it for certain; the nearest
	// passages are cited) or "nothing" (nothing captured is near it).
	Outcome   string         `json:"outcome"`
	Citations []citationJSON `json:"citations"`
}

// askAPI answers a question in plain words from the knowledge the caller may see, with citations, or
// says that nothing captured answers it.
func (s *Server) askAPI(c echo.Context) error {
	var req struct {
		Question string `json:"question" text:"multiline"`
		Account  string `json:"account" text:"line"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := s.ask(c, req.Question, req.Account)
	if err != nil {
		return err
	}
	out := askJSON{Answer: a.Text, Grounded: a.Grounded, Outcome: a.Outcome, Citations: make([]citationJSON, len(a.Citations))}
	for i, ct := range a.Citations {
		out.Citations[i] = citationJSON{ChunkID: ct.ChunkID, MessageID: ct.MessageID, Attachment: toAttachmentCite(ct.Attachment), InterviewID: ct.InterviewID, Text: ct.Text}
		if ct.Account != "" {
			acc := ct.Account
			out.Citations[i].Account = &acc
		}
	}
	return c.JSON(http.StatusOK, out)
}
