package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/exitinterview/exitinterview/store"
)

// Service generates and serves reports.
type Service struct {
	store  *store.Store
	writer *Writer // nil: offline prose only
	log    *slog.Logger
	now    func() time.Time
	events Events
}

// Events are told that a version of a report is ready, in the transaction that marks it ready (the
// webhooks).
type Events interface {
	ReportReady(ctx context.Context, tx *store.Store, reportID string) error
}

// SetEvents makes every ready version an event.
func (s *Service) SetEvents(e Events) { s.events = e }

// SetClock makes reports read the day from now instead of the system clock (`bench --only fidelity`
// replays interviews recorded on another day).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// SetWriter makes reports' prose come from a model. Call it before use.
func (s *Service) SetWriter(w *Writer) { s.writer = w }

// NewService returns a report service.
func NewService(st *store.Store, log *slog.Logger) *Service {
	return &Service{store: st, log: log, now: time.Now}
}

// ErrNoReport is returned when an interview has no ready report yet.
var ErrNoReport = errors.New("no report has been generated yet")

// Input loads everything a report of the interview is built from, with the checklist as people changed it.
func (s *Service) Input(ctx context.Context, interviewID string, version int) (Input, error) {
	// Read before the findings: a capture completing in between is then counted missing (and rebuilt)
	// rather than neither included nor counted.
	uncaptured, err := s.store.UncapturedAnswers(ctx, interviewID)
	if err != nil {
		return Input{}, err
	}
	iv, accounts, coverage, messages, err := s.store.Snapshot(ctx, interviewID)
	if err != nil {
		return Input{}, err
	}
	manager, successors, findings, err := s.store.ReportSources(ctx, iv)
	if err != nil {
		return Input{}, err
	}
	changes, err := s.store.ChecklistChanges(ctx, interviewID)
	if err != nil {
		return Input{}, err
	}
	corrections, err := s.store.Corrections(ctx, interviewID, "")
	if err != nil {
		return Input{}, err
	}
	stored, err := s.store.Facts(ctx, interviewID)
	if err != nil {
		return Input{}, err
	}
	attachments, err := s.store.Attachments(ctx, interviewID)
	if err != nil {
		return Input{}, err
	}
	kept := make(map[string]ChecklistItem, len(changes))
	for id, c := range changes {
		kept[id] = ChecklistItem{ID: id, Done: c.Done, Owner: c.Owner, DueDate: c.DueDate.Format(time.DateOnly)}
	}
	return Input{Interview: iv, Manager: manager, Accounts: accounts, Coverage: coverage, Messages: messages, Findings: findings, Facts: stored,
		SuccessorNames: successors, Checklist: kept, Corrections: corrections, Version: version, Now: s.now(), Uncaptured: uncaptured,
		Attachments: attachments}, nil
}

// Files is a generated report with its renderings.
type Files struct {
	Report   *Report
	JSON     []byte
	PDF      []byte
	Markdown []byte
}

// Render builds the report of an interview and renders it.
func (s *Service) Render(ctx context.Context, interviewID string, version int) (Files, error) {
	in, err := s.Input(ctx, interviewID, version)
	if err != nil {
		return Files{}, err
	}
	r, err := Build(in)
	if err != nil {
		return Files{}, err
	}
	if s.writer != nil {
		kept, dropped, err := s.writer.Write(ctx, r)
		if err != nil {
			s.log.Warn("model prose failed; the report keeps the offline prose", "interview_id", interviewID, "err", err)
		} else if dropped > 0 {
			s.log.Info("model statements without a source were dropped", "interview_id", interviewID, "kept", kept, "dropped", dropped)
		}
	}
	var pdf bytes.Buffer
	if err := PDF(r, &pdf); err != nil {
		return Files{}, fmt.Errorf("render the PDF of %s: %w", interviewID, err)
	}
	model, err := json.Marshal(r)
	if err != nil {
		return Files{}, err
	}
	return Files{Report: r, JSON: model, PDF: pdf.Bytes(), Markdown: Markdown(r)}, nil
}

// Generate makes a pending version: the report job's work. A version that is no longer pending is done.
func (s *Service) Generate(ctx context.Context, reportID string) error {
	rec, err := s.store.ReportByID(ctx, reportID)
	if err != nil {
		return err
	}
	if rec.Status != "pending" {
		return nil
	}
	began := time.Now()
	f, err := s.Render(ctx, rec.InterviewID, rec.Version)
	if err != nil {
		return err
	}
	err = s.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CompleteReport(ctx, rec.ID, f.Report.Engine, f.JSON, f.PDF, f.Markdown, f.Report.IncompleteAnswerIDs); err != nil {
			return err
		}
		if s.events == nil {
			return nil
		}
		return s.events.ReportReady(ctx, tx, rec.ID)
	})
	if err != nil {
		return err
	}
	s.log.Info("report generated", "interview_id", rec.InterviewID, "version", rec.Version, "accounts", len(f.Report.Accounts),
		"pdf_bytes", len(f.PDF), "incomplete_answers", len(f.Report.IncompleteAnswerIDs), "ms", time.Since(began).Milliseconds())
	return nil
}

// Fail marks a version failed, for a job that gave up.
func (s *Service) Fail(ctx context.Context, reportID string, cause error) error {
	s.log.Error("report failed", "report_id", reportID, "err", cause)
	return s.store.FailReport(ctx, reportID, "The report could not be generated. Try again; if it fails again, tell your administrator.")
}

// Current returns the newest version of any status (nil when none was requested) and the newest ready
// report (nil when none is ready), with its checklist as people have changed it since it was generated.
func (s *Service) Current(ctx context.Context, interviewID string) (*store.Report, *Report, error) {
	latest, ready, model, err := s.store.LatestReports(ctx, interviewID)
	if err != nil || ready == nil {
		return latest, nil, err
	}
	var r Report
	if err := json.Unmarshal(model, &r); err != nil {
		return nil, nil, fmt.Errorf("report %s: %w", ready.ID, err)
	}
	changes, err := s.store.ChecklistChanges(ctx, interviewID)
	if err != nil {
		return nil, nil, err
	}
	for i, item := range r.Checklist {
		if c, ok := changes[item.ID]; ok {
			r.Checklist[i].Done, r.Checklist[i].Owner, r.Checklist[i].DueDate = c.Done, c.Owner, c.DueDate.Format(time.DateOnly)
		}
	}
	return latest, &r, nil
}
