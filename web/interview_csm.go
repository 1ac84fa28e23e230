package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/exitinterview/exitinterview/facts"
	"github.com/exitinterview/exitinterview/interview"
	"github.com/exitinterview/exitinterview/store"
	"github.com/exitinterview/exitinterview/validation"
)

// turnTimeout is an outer bound of one CSM turn. The model's share of it is the interview service's budget
// (EXITINTERVIEW_MODEL_TURN_BUDGET), after which the offline engine answers, and the reply is written on a
// context of its own. The turn runs on even if the browser goes away, so the reply is ready when the CSM
// comes back.
const turnTimeout = 3 * time.Minute

func turnContext(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(c.Request().Context()), turnTimeout)
}

// csmInterview returns the CSM's transcript, open question and coverage, producing the interviewer's
// pending turn first if there is one.
func (s *Server) csmGetInterview(c echo.Context) error {
	ctx, cancel := turnContext(c)
	defer cancel()
	v, err := s.ivs.View(ctx, csmInterview(c).ID, nil)
	if err != nil {
		return turnError(err)
	}
	return c.JSON(http.StatusOK, toCSMInterviewJSON(v))
}

// csmPostMessage stores the CSM's answer and replies with the next question, streamed when asked for.
func (s *Server) csmPostMessage(c echo.Context) error {
	var req struct {
		Content  string `json:"content"`
		ClientID string `json:"client_id"`
		// QuestionID, optional, is the question the CSM answered; if another tab moved on, a 409.
		QuestionID string `json:"question_id"`
		// Choice, optional, is one of the open question's choices; content is then optional.
		Choice string `json:"choice"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Choice != "" {
		if req.Content != "" {
			if err := interview.ValidateAnswer(req.Content); err != nil {
				return err
			}
		}
		return s.turn(c, http.StatusCreated, func(ctx context.Context, emit func(string)) (interview.Reply, error) {
			return s.ivs.Choose(ctx, csmInterview(c).ID, req.Choice, req.Content, req.ClientID, req.QuestionID, emit)
		})
	}
	if err := interview.ValidateAnswer(req.Content); err != nil {
		return err
	}
	return s.turn(c, http.StatusCreated, func(ctx context.Context, emit func(string)) (interview.Reply, error) {
		return s.ivs.Answer(ctx, csmInterview(c).ID, req.Content, req.ClientID, req.QuestionID, emit)
	})
}

// readbackRequest is the CSM's reply to a read-back card.
type readbackRequest struct {
	QuestionID  string              `json:"question_id"`
	ClientID    string              `json:"client_id"`
	Confirm     bool                `json:"confirm"`
	Corrections []correctionRequest `json:"corrections"`
	// Choice, optional, is one of the card's choices (a risk level).
	Choice string `json:"choice"`
}

// correctionRequest is one change: {"fact_id", "fields"}, {"fact_id", "withdraw": true} or {"new": {"type", "fields"}}.
type correctionRequest struct {
	FactID   string            `json:"fact_id"`
	Fields   map[string]string `json:"fields"`
	Withdraw bool              `json:"withdraw"`
	New      *struct {
		Type   string            `json:"type"`
		Fields map[string]string `json:"fields"`
	} `json:"new"`
}

// maxCorrections bounds one reply to a card.
const maxCorrections = 100

// toChanges reads the corrections of a card.
func toChanges(corrections []correctionRequest) ([]facts.Change, error) {
	if len(corrections) > maxCorrections {
		return nil, validation.Errors{"corrections": fmt.Sprintf("must hold at most %d changes", maxCorrections)}
	}
	out := make([]facts.Change, len(corrections))
	for i, cr := range corrections {
		out[i] = facts.Change{FactID: cr.FactID, Fields: cr.Fields, Withdraw: cr.Withdraw}
		if cr.New != nil {
			out[i].New = &facts.New{Type: cr.New.Type, Fields: cr.New.Fields}
		}
	}
	return out, nil
}

// csmReadback confirms or corrects the open read-back card, and replies with the next question.
func (s *Server) csmReadback(c echo.Context) error {
	var req readbackRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	changes, err := toChanges(req.Corrections)
	if err != nil {
		return err
	}
	in := interview.ReadBackInput{QuestionID: req.QuestionID, ClientID: req.ClientID, Confirm: req.Confirm, Choice: req.Choice, Changes: changes}
	return s.turn(c, http.StatusCreated, func(ctx context.Context, emit func(string)) (interview.Reply, error) {
		return s.ivs.ReadBack(ctx, csmInterview(c).ID, in, emit)
	})
}

// csmSkip skips the open question (or the one named, if it is still open).
func (s *Server) csmSkip(c echo.Context) error {
	var req struct {
		QuestionID string `json:"question_id"`
	}
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
	}
	return s.turn(c, http.StatusOK, func(ctx context.Context, emit func(string)) (interview.Reply, error) {
		return s.ivs.Skip(ctx, csmInterview(c).ID, req.QuestionID, emit)
	})
}

// csmFinish ends the interview early; what was not covered stays a gap.
func (s *Server) csmFinish(c echo.Context) error {
	ctx, cancel := turnContext(c)
	defer cancel()
	v, err := s.ivs.Finish(ctx, csmInterview(c).ID)
	if err != nil {
		return turnError(err)
	}
	return c.JSON(http.StatusOK, toTurnJSON(v, nil))
}

// turn runs a CSM turn and answers with JSON, or with server-sent events: "token" events with the
// interviewer's words as they come, then one "question" event with the same JSON as the plain response.
func (s *Server) turn(c echo.Context, status int, run func(context.Context, func(string)) (interview.Reply, error)) error {
	ctx, cancel := turnContext(c)
	defer cancel()
	run = timedTurn(run)
	if !wantsStream(c) {
		r, err := run(ctx, nil)
		if err != nil {
			return turnError(err)
		}
		return c.JSON(status, toTurnJSON(r.View, msgPtr(r)))
	}
	var stream *sse
	defer func() {
		if stream != nil {
			stream.close()
		}
	}()
	started := func() {
		if stream == nil {
			stream = startSSE(c, status)
		}
	}
	r, err := run(ctx, func(tok string) {
		started()
		stream.send("token", map[string]string{"text": tok})
	})
	if err != nil && stream == nil {
		return turnError(err)
	}
	started()
	if err != nil {
		e := classify(turnError(err))
		if e.Status >= 500 {
			s.log.Error("turn failed after streaming began", "request_id", requestID(c), "error", err)
		}
		stream.send("error", map[string]*apiError{"error": e})
		return nil
	}
	stream.send("question", toTurnJSON(r.View, msgPtr(r)))
	return nil
}

func msgPtr(r interview.Reply) *store.Message {
	if r.Message.ID == "" {
		return nil
	}
	return &r.Message
}

func turnError(err error) error {
	switch {
	case errors.Is(err, interview.ErrFinished):
		return newError(http.StatusConflict, "interview_finished", "This interview has ended. Thank you!")
	case errors.Is(err, interview.ErrQuestionChanged):
		return newError(http.StatusConflict, "question_changed", "The conversation moved on, perhaps in another tab. Your answer was not saved; it is back in the box.")
	case errors.Is(err, interview.ErrBusy):
		return newError(http.StatusServiceUnavailable, "busy", "The interview is busy. Please try again in a moment.")
	}
	return err
}
