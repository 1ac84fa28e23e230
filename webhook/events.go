// Package webhook sends exitinterview's events to the endpoints managers and admins register, signed as
// the Standard Webhooks specification says, and a manager's notifications to their Slack channel. An
// event is stored, with a delivery for each endpoint that wants it, in the transaction of what caused it;
// River jobs send the deliveries through an HTTP client that refuses internal addresses, retry them with
// backoff for about a day, log every attempt, and disable an endpoint that fails for a day.
//
// Payloads carry ids, names, figures and links, never what the CSM said: no transcript, answer, passage
// or finding text leaves through a webhook.
package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// The events an endpoint can subscribe to.
const (
	SessionCreated     = "session.created"
	InterviewStarted   = "interview.started"
	InterviewCompleted = "interview.completed"
	ReportReady        = "report.ready"
	QuestionAnswered   = "question.answered"
	AccountBlind       = "account.blind"
	HandoverCompleted  = "handover.completed"
)

// EventTypes lists every event, in the order the documentation and the page show them, with what each
// means.
var EventTypes = []struct{ Type, Meaning string }{
	{SessionCreated, "a session was created for a departing CSM"},
	{InterviewStarted, "the CSM answered for the first time"},
	{InterviewCompleted, "the interview ended"},
	{ReportReady, "a version of the handover report is ready"},
	{QuestionAnswered, "the CSM answered a question a manager or successor asked"},
	{AccountBlind, "an account became at risk of a blind handover within 14 days of the last day"},
	{HandoverCompleted, "the session was marked handed over"},
}

// KnownEvent reports whether t is one of EventTypes.
func KnownEvent(t string) bool {
	for _, e := range EventTypes {
		if e.Type == t {
			return true
		}
	}
	return false
}

// BlindWithinDays is how close the last day must be for an account at risk of a blind handover to be
// announced (account.blind).
const BlindWithinDays = 14

// Payload is what an endpoint receives: the event's type, when it happened and its data.
type Payload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Session is a session as payloads show it.
type Session struct {
	ID            string `json:"id"`
	CSMName       string `json:"csm_name"`
	DepartureDate string `json:"departure_date"`
	Status        string `json:"status"`
	ManagerID     string `json:"manager_id"`
	URL           string `json:"url"`
}

func (s *Service) session(iv store.Interview) Session {
	return Session{ID: iv.ID, CSMName: iv.CSMName, DepartureDate: iv.DepartureDate.Format(time.DateOnly), Status: iv.Status,
		ManagerID: iv.ManagerID, URL: s.cfg.BaseURL + "/interviews/" + iv.ID}
}

// SessionData is the data of session.created, interview.started, interview.completed and
// handover.completed.
type SessionData struct {
	Session  Session `json:"session"`
	Accounts int     `json:"accounts"`
}

// ReportData is the data of report.ready.
type ReportData struct {
	Session    Session `json:"session"`
	ReportID   string  `json:"report_id"`
	Version    int     `json:"version"`
	ReportURL  string  `json:"report_url"`
	PDFURL     string  `json:"pdf_url"`
	Incomplete bool    `json:"incomplete"` // some answers were not yet captured when it was made
}

// QuestionData is the data of question.answered: who asked about which account, and where to read the
// answer (to those allowed to) — never the question's or the answer's words.
type QuestionData struct {
	Session     Session `json:"session"`
	QuestionID  string  `json:"question_id"`
	AccountID   string  `json:"account_id,omitempty"`
	AccountName string  `json:"account_name,omitempty"`
	AskedByID   string  `json:"asked_by_id,omitempty"`
	AskedByName string  `json:"asked_by_name,omitempty"`
	AskedFrom   string  `json:"asked_from"` // manager or successor
	URL         string  `json:"url"`
}

// BlindData is the data of account.blind.
type BlindData struct {
	Session     Session  `json:"session"`
	AccountID   string   `json:"account_id"`
	AccountName string   `json:"account_name"`
	Readiness   int      `json:"readiness"`
	Risk        string   `json:"risk,omitempty"`
	ValueAtRisk float64  `json:"value_at_risk"`
	Currency    string   `json:"currency,omitempty"`
	DaysLeft    int      `json:"days_left"`
	Reasons     []string `json:"reasons"`
	URL         string   `json:"url"`
}

// Event is something that happened to a session, to send to the endpoints that want it.
type Event struct {
	Type        string
	InterviewID string
	ManagerID   string // the session's manager: their endpoints (and every admin's) receive it
	Data        any
	At          time.Time
}

// emitSQL stores an event and a delivery for each enabled endpoint that wants it, in one statement: an
// admin's endpoints get every session's events, a manager's only those of their own sessions. With no
// such endpoint nothing is written.
const emitSQL = `
WITH targets AS (
    SELECT e.id FROM webhook_endpoints e JOIN users u ON u.id = e.owner_id
    WHERE e.disabled_at IS NULL AND u.disabled_at IS NULL AND $1 = ANY (e.events)
      AND (u.role = 'admin' OR (u.role = 'manager' AND e.owner_id = $3::uuid))
), ev AS (
    INSERT INTO webhook_events (type, interview_id, payload)
    SELECT $1, $2::uuid, $4::jsonb WHERE EXISTS (SELECT 1 FROM targets) RETURNING id
)
INSERT INTO webhook_deliveries (endpoint_id, event_id, interview_id)
SELECT t.id, ev.id, $2::uuid FROM targets t CROSS JOIN ev ORDER BY t.id RETURNING id`

// Emit stores ev for the endpoints that want it and queues their deliveries, in tx (the transaction of
// what happened), so they exist only if it commits.
func (s *Service) Emit(ctx context.Context, tx *store.Store, ev Event) error {
	if s == nil || s.jobs == nil {
		return nil
	}
	if tx.Tx() == nil {
		return fmt.Errorf("webhook %s: not in a transaction", ev.Type)
	}
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	body, err := json.Marshal(Payload{Type: ev.Type, Timestamp: at.UTC().Truncate(time.Millisecond), Data: ev.Data})
	if err != nil {
		return err
	}
	rows, err := tx.Tx().Query(ctx, emitSQL, ev.Type, ev.InterviewID, ev.ManagerID, body)
	if err != nil {
		return fmt.Errorf("webhook %s: %w", ev.Type, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("webhook %s: %w", ev.Type, err)
	}
	for _, id := range ids {
		if _, err := s.jobs.InsertTx(ctx, tx.Tx(), DeliverArgs{DeliveryID: id}, nil); err != nil {
			return fmt.Errorf("enqueue webhook delivery %s: %w", id, err)
		}
	}
	return nil
}
