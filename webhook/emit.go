package webhook

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/exitinterview/exitinterview/notify"
	"github.com/exitinterview/exitinterview/store"
)

// The events, each emitted in the transaction of what happened.

// SessionCreated emits session.created.
func (s *Service) SessionCreated(ctx context.Context, tx *store.Store, iv store.Interview, accounts int) error {
	return s.Emit(ctx, tx, Event{Type: SessionCreated, InterviewID: iv.ID, ManagerID: iv.ManagerID,
		Data: SessionData{Session: s.session(iv), Accounts: accounts}})
}

// InterviewStarted emits interview.started: the CSM answered for the first time.
func (s *Service) InterviewStarted(ctx context.Context, tx *store.Store, iv store.Interview) error {
	iv.Status = "in_progress"
	return s.sessionEvent(ctx, tx, InterviewStarted, iv)
}

// InterviewCompleted emits interview.completed.
func (s *Service) InterviewCompleted(ctx context.Context, tx *store.Store, iv store.Interview) error {
	iv.Status = "completed"
	return s.sessionEvent(ctx, tx, InterviewCompleted, iv)
}

// HandedOver emits handover.completed.
func (s *Service) HandedOver(ctx context.Context, tx *store.Store, iv store.Interview) error {
	iv.Status = "handed_over"
	return s.sessionEvent(ctx, tx, HandoverCompleted, iv)
}

func (s *Service) sessionEvent(ctx context.Context, tx *store.Store, typ string, iv store.Interview) error {
	var n int
	if err := tx.Tx().QueryRow(ctx, `SELECT count(*) FROM accounts WHERE interview_id = $1`, iv.ID).Scan(&n); err != nil {
		return err
	}
	return s.Emit(ctx, tx, Event{Type: typ, InterviewID: iv.ID, ManagerID: iv.ManagerID, Data: SessionData{Session: s.session(iv), Accounts: n}})
}

// ReportReady emits report.ready for a version just completed, and tells the manager's Slack.
func (s *Service) ReportReady(ctx context.Context, tx *store.Store, reportID string) error {
	rep, err := tx.ReportByID(ctx, reportID)
	if err != nil || rep.Status != "ready" {
		return err
	}
	iv, err := tx.InterviewByID(ctx, rep.InterviewID)
	if err != nil {
		return err
	}
	var incomplete bool
	if err := tx.Tx().QueryRow(ctx, `SELECT coalesce(cardinality(incomplete), 0) > 0 FROM reports WHERE id = $1`, rep.ID).Scan(&incomplete); err != nil {
		return err
	}
	data := ReportData{Session: s.session(iv), ReportID: rep.ID, Version: rep.Version, Incomplete: incomplete,
		ReportURL: s.cfg.BaseURL + "/interviews/" + iv.ID + "/report", PDFURL: s.cfg.BaseURL + "/api/v1/interviews/" + iv.ID + "/report.pdf"}
	if err := s.Emit(ctx, tx, Event{Type: ReportReady, InterviewID: iv.ID, ManagerID: iv.ManagerID, Data: data}); err != nil {
		return err
	}
	return s.notifySlack(ctx, tx, iv.ManagerID, "report:"+rep.ID, notify.ReportReady(iv, rep.Version, data.ReportURL))
}

// QuestionAnswered emits question.answered for an asked question the CSM just answered, and tells the
// manager's Slack.
func (s *Service) QuestionAnswered(ctx context.Context, tx *store.Store, iv store.Interview, questionID string) error {
	var d QuestionData
	err := tx.Tx().QueryRow(ctx, `SELECT q.id, coalesce(q.account_id::text, ''), coalesce(a.name, ''), coalesce(q.asked_by::text, ''),
coalesce(u.name, ''), q.asked_from
FROM asked_questions q LEFT JOIN accounts a ON a.id = q.account_id LEFT JOIN users u ON u.id = q.asked_by WHERE q.id = $1`, questionID).
		Scan(&d.QuestionID, &d.AccountID, &d.AccountName, &d.AskedByID, &d.AskedByName, &d.AskedFrom)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("question %s: %w", questionID, err)
	}
	d.Session = s.session(iv)
	d.URL = d.Session.URL
	if d.AccountID != "" {
		d.URL = s.cfg.BaseURL + "/accounts/" + d.AccountID
	}
	if err := s.Emit(ctx, tx, Event{Type: QuestionAnswered, InterviewID: iv.ID, ManagerID: iv.ManagerID, Data: d}); err != nil {
		return err
	}
	return s.notifySlack(ctx, tx, iv.ManagerID, "question:"+d.QuestionID, notify.QuestionAnswered(iv, d.AccountName, d.AskedByName, d.URL))
}

// CheckBlind announces the accounts of sessions whose last day is within BlindWithinDays that became at
// risk of a blind handover (the dashboard's rule): account.blind once when an account becomes blind,
// again only after it recovered and fell back. Run it every hour.
func (s *Service) CheckBlind(ctx context.Context, now time.Time) error {
	if s.readiness == nil {
		return nil
	}
	soon, err := s.store.DepartingSoon(ctx, BlindWithinDays)
	if err != nil {
		return err
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for _, iv := range soon {
		accounts, err := s.readiness(ctx, iv)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			err := s.store.Transact(ctx, func(tx *store.Store) error {
				if !a.Blind {
					_, err := tx.Tx().Exec(ctx, `DELETE FROM webhook_blind_accounts WHERE account_id = $1`, a.Account.ID)
					return err
				}
				tag, err := tx.Tx().Exec(ctx, `INSERT INTO webhook_blind_accounts (account_id) VALUES ($1) ON CONFLICT DO NOTHING`, a.Account.ID)
				if err != nil || tag.RowsAffected() == 0 {
					return err
				}
				reasons := a.Reasons
				if reasons == nil {
					reasons = []string{}
				}
				data := BlindData{Session: s.session(iv), AccountID: a.Account.ID, AccountName: a.Account.Name, Readiness: a.Score, Risk: a.Risk,
					ValueAtRisk: a.ValueAtRisk, Currency: a.Account.Currency, DaysLeft: int(iv.DepartureDate.Sub(today).Hours() / 24),
					Reasons: reasons, URL: s.cfg.BaseURL + "/accounts/" + a.Account.ID}
				if err := s.Emit(ctx, tx, Event{Type: AccountBlind, InterviewID: iv.ID, ManagerID: iv.ManagerID, Data: data, At: now}); err != nil {
					return err
				}
				return s.notifySlack(ctx, tx, iv.ManagerID, "blind:"+a.Account.ID+":"+now.UTC().Format(time.RFC3339),
					notify.AccountBlind(iv, a.Account.Name, a.Score, reasons, data.DaysLeft, data.URL))
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
