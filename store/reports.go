package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Report is a version of an interview's report, without its files.
type Report struct {
	ID          string
	InterviewID string
	Version     int
	Status      string // pending, ready, failed
	Engine      string
	Error       string
	CreatedAt   time.Time
	GeneratedAt *time.Time
}

const reportColumns = `id, interview_id, version, status, engine, error, created_at, generated_at`

func scanReport(row pgx.Row) (Report, error) {
	var r Report
	err := row.Scan(&r.ID, &r.InterviewID, &r.Version, &r.Status, &r.Engine, &r.Error, &r.CreatedAt, &r.GeneratedAt)
	return r, err
}

// ReportPendingStaleAfter is how long a version may stay pending before a new request replaces it:
// longer than a report job can legitimately take (its wait for captures, then a few attempts within
// their time limits), so only a version whose job was lost is replaced.
const ReportPendingStaleAfter = 20 * time.Minute

// RequestReport makes a pending version of an interview's report, or returns the pending one when its job
// has not started yet (a second click while the first waits adds nothing). It reports whether the version
// is new, so the caller enqueues its job in the same transaction. Call it in a transaction.
//
// A version whose job is running may have read the interview already: what changed since (an answer the
// CSM filed on the review just before the manager asked again) would be in neither it nor any later
// version, so a new version is made, and the running one is left to finish. A pending version that is
// stale is not returned but marked failed and replaced: one requested more than ReportPendingStaleAfter
// ago, one whose job ended without making it, or one whose job has been running longer than stuckAfter
// (its worker died; 0: never judged by that).
func (s *Store) RequestReport(ctx context.Context, interviewID, requestedBy string, stuckAfter time.Duration) (Report, bool, error) {
	if _, err := s.LockInterview(ctx, interviewID); err != nil {
		return Report{}, false, err
	}
	var stale, started bool
	var r Report
	err := s.q.QueryRow(ctx, `SELECT `+reportColumns+`, r.created_at < now() - $2::interval OR EXISTS (
    SELECT 1 FROM river_job j WHERE j.kind = 'report' AND j.args->>'report_id' = r.id::text
    AND (j.state IN ('completed', 'discarded', 'cancelled') OR ($3::interval > '0'::interval AND j.state = 'running' AND j.attempted_at < now() - $3::interval))),
    EXISTS (SELECT 1 FROM river_job j WHERE j.kind = 'report' AND j.args->>'report_id' = r.id::text AND j.state = 'running')
FROM reports r WHERE interview_id = $1 AND status = 'pending' ORDER BY version DESC LIMIT 1`, interviewID, ReportPendingStaleAfter, stuckAfter).
		Scan(&r.ID, &r.InterviewID, &r.Version, &r.Status, &r.Engine, &r.Error, &r.CreatedAt, &r.GeneratedAt, &stale, &started)
	switch {
	case err == nil && !stale && !started:
		return r, false, nil
	case err == nil && !stale:
		// Being made: it stays pending and is finished; the new version follows it.
	case err == nil:
		if _, err := s.q.Exec(ctx, `UPDATE reports SET status = 'failed', error = $2 WHERE id = $1 AND status = 'pending'`, r.ID,
			"This version was not generated in time and was replaced by a newer one."); err != nil {
			return Report{}, false, fmt.Errorf("replace stale report %s: %w", r.ID, err)
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return Report{}, false, fmt.Errorf("pending report of %s: %w", interviewID, err)
	}
	r, err = scanReport(s.q.QueryRow(ctx, `
INSERT INTO reports (interview_id, version, requested_by)
VALUES ($1, (SELECT coalesce(max(version), 0) + 1 FROM reports WHERE interview_id = $1), nullif($2, '')::uuid)
RETURNING `+reportColumns, interviewID, requestedBy))
	if err != nil {
		return Report{}, false, fmt.Errorf("request report of %s: %w", interviewID, err)
	}
	return r, true, nil
}

// ReportByID returns one version, or ErrNotFound.
func (s *Store) ReportByID(ctx context.Context, id string) (Report, error) {
	if !ValidUUID(id) {
		return Report{}, fmt.Errorf("report %q: %w", id, ErrNotFound)
	}
	r, err := scanReport(s.q.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = $1`, id))
	if err != nil {
		return Report{}, fmt.Errorf("report %s: %w", id, notFound(err))
	}
	return r, nil
}

// LatestReports returns the newest version of an interview's report of any status, and the newest ready
// one with its model (JSON); either is nil when there is none.
func (s *Store) LatestReports(ctx context.Context, interviewID string) (latest, ready *Report, model []byte, err error) {
	if !ValidUUID(interviewID) {
		return nil, nil, nil, nil
	}
	r, err := scanReport(s.q.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE interview_id = $1 ORDER BY version DESC LIMIT 1`, interviewID))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil, nil, nil
	case err != nil:
		return nil, nil, nil, fmt.Errorf("latest report of %s: %w", interviewID, err)
	}
	latest = &r
	var rr Report
	err = s.q.QueryRow(ctx, `SELECT `+reportColumns+`, model FROM reports WHERE interview_id = $1 AND status = 'ready'
ORDER BY version DESC LIMIT 1`, interviewID).Scan(&rr.ID, &rr.InterviewID, &rr.Version, &rr.Status, &rr.Engine, &rr.Error,
		&rr.CreatedAt, &rr.GeneratedAt, &model)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return latest, nil, nil, nil
	case err != nil:
		return nil, nil, nil, fmt.Errorf("ready report of %s: %w", interviewID, err)
	}
	return latest, &rr, model, nil
}

// ReportFile returns a file of the latest ready version: "pdf" or "markdown".
func (s *Store) ReportFile(ctx context.Context, interviewID, kind string) ([]byte, Report, error) {
	column := map[string]string{"pdf": "pdf", "markdown": "convert_to(markdown, 'UTF8')"}[kind]
	if column == "" || !ValidUUID(interviewID) {
		return nil, Report{}, fmt.Errorf("report file %s of %s: %w", kind, interviewID, ErrNotFound)
	}
	var r Report
	var b []byte
	err := s.q.QueryRow(ctx, `SELECT `+reportColumns+`, `+column+` FROM reports WHERE interview_id = $1 AND status = 'ready'
ORDER BY version DESC LIMIT 1`, interviewID).Scan(&r.ID, &r.InterviewID, &r.Version, &r.Status, &r.Engine, &r.Error, &r.CreatedAt, &r.GeneratedAt, &b)
	if err != nil {
		return nil, Report{}, fmt.Errorf("report file %s of %s: %w", kind, interviewID, notFound(err))
	}
	return b, r, nil
}

// CompleteReport stores a generated version and marks it ready; incomplete are the answers it could not
// include (their capture had not completed). A version that is no longer pending (generated by an
// earlier run of the same job) is left as it is.
func (s *Store) CompleteReport(ctx context.Context, id, engine string, model, pdf, markdown []byte, incomplete []string) error {
	if incomplete == nil {
		incomplete = []string{}
	}
	_, err := s.q.Exec(ctx, `UPDATE reports SET status = 'ready', engine = $2, model = $3, pdf = $4, markdown = $5, error = '', generated_at = now(),
    incomplete = $6::uuid[]
WHERE id = $1 AND status = 'pending'`, id, engine, model, pdf, string(markdown), incomplete)
	if err != nil {
		return fmt.Errorf("complete report %s: %w", id, err)
	}
	return nil
}

// UncapturedAnswers returns the ids of an interview's answers whose capture has not completed, oldest
// first: a report built now cannot include what they say.
func (s *Store) UncapturedAnswers(ctx context.Context, interviewID string) ([]string, error) {
	rows, err := s.q.Query(ctx, `SELECT id::text FROM messages WHERE interview_id = $1 AND role = 'csm' AND kind = 'answer' AND captured_at IS NULL
ORDER BY seq`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("uncaptured answers of %s: %w", interviewID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("uncaptured answers of %s: %w", interviewID, err)
	}
	return ids, nil
}

// ReportAwaitsRebuild reports whether the interview's newest report version is ready but lists as
// incomplete an answer whose capture has completed since: a new version would include it.
func (s *Store) ReportAwaitsRebuild(ctx context.Context, interviewID string) (bool, error) {
	var rebuild bool
	err := s.q.QueryRow(ctx, `SELECT r.status = 'ready' AND EXISTS (SELECT 1 FROM messages m WHERE m.id = ANY (r.incomplete) AND m.captured_at IS NOT NULL)
FROM reports r WHERE r.interview_id = $1 ORDER BY r.version DESC LIMIT 1`, interviewID).Scan(&rebuild)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("report of %s awaiting captures: %w", interviewID, err)
	}
	return rebuild, nil
}

// ReportAwaitsRebuildAfter is ReportAwaitsRebuild for the interview of a message, read with it in one
// query: what a capture asks once it completed. A message that does not exist is ErrNotFound.
func (s *Store) ReportAwaitsRebuildAfter(ctx context.Context, messageID string) (interviewID string, rebuild bool, err error) {
	if !ValidUUID(messageID) {
		return "", false, fmt.Errorf("message %q: %w", messageID, ErrNotFound)
	}
	err = s.q.QueryRow(ctx, `SELECT m.interview_id::text, coalesce((SELECT r.status = 'ready' AND EXISTS (
        SELECT 1 FROM messages x WHERE x.id = ANY (r.incomplete) AND x.captured_at IS NOT NULL)
    FROM reports r WHERE r.interview_id = m.interview_id ORDER BY r.version DESC LIMIT 1), false)
FROM messages m WHERE m.id = $1::uuid`, messageID).Scan(&interviewID, &rebuild)
	if err != nil {
		return "", false, fmt.Errorf("report awaiting the capture of %s: %w", messageID, notFound(err))
	}
	return interviewID, rebuild, nil
}

// FailReport marks a version failed with a message for the manager.
func (s *Store) FailReport(ctx context.Context, id, message string) error {
	if _, err := s.q.Exec(ctx, `UPDATE reports SET status = 'failed', error = $2 WHERE id = $1 AND status = 'pending'`, id, message); err != nil {
		return fmt.Errorf("fail report %s: %w", id, err)
	}
	return nil
}

// ChecklistChange is what a person set on a checklist item.
type ChecklistChange struct {
	ID        string
	Done      bool
	Owner     string
	DueDate   time.Time
	UpdatedBy string
	UpdatedAt time.Time
}

// ChecklistChanges returns the changes people made to an interview's checklist, by item id.
func (s *Store) ChecklistChanges(ctx context.Context, interviewID string) (map[string]ChecklistChange, error) {
	rows, err := s.q.Query(ctx, `SELECT id, done, owner, due_date, coalesce(updated_by::text, ''), updated_at
FROM checklist_items WHERE interview_id = $1`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("checklist of %s: %w", interviewID, err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ChecklistChange, error) {
		var c ChecklistChange
		err := r.Scan(&c.ID, &c.Done, &c.Owner, &c.DueDate, &c.UpdatedBy, &c.UpdatedAt)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("checklist of %s: %w", interviewID, err)
	}
	out := make(map[string]ChecklistChange, len(list))
	for _, c := range list {
		out[c.ID] = c
	}
	return out, nil
}

// SaveChecklistChange stores what a person set on one item.
func (s *Store) SaveChecklistChange(ctx context.Context, interviewID string, c ChecklistChange) error {
	_, err := s.q.Exec(ctx, `
INSERT INTO checklist_items (interview_id, id, done, owner, due_date, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5, nullif($6, '')::uuid, now())
ON CONFLICT (interview_id, id) DO UPDATE SET done = excluded.done, owner = excluded.owner, due_date = excluded.due_date,
    updated_by = excluded.updated_by, updated_at = now()`, interviewID, c.ID, c.Done, c.Owner, c.DueDate, c.UpdatedBy)
	if err != nil {
		return fmt.Errorf("save checklist item %s: %w", c.ID, err)
	}
	return nil
}

// ReportSources is what a report is built from besides the interview's snapshot: its manager, the names
// of its successors, and its findings.
func (s *Store) ReportSources(ctx context.Context, iv Interview) (manager User, successors map[string]string, findings []Finding, err error) {
	if manager, err = s.UserByID(ctx, iv.ManagerID); err != nil {
		return User{}, nil, nil, err
	}
	rows, err := s.q.Query(ctx, `SELECT u.email, u.name FROM accounts a JOIN users u ON u.id = a.successor_id WHERE a.interview_id = $1`, iv.ID)
	if err != nil {
		return User{}, nil, nil, fmt.Errorf("successors of %s: %w", iv.ID, err)
	}
	successors = map[string]string{}
	for rows.Next() {
		var email, name string
		if err := rows.Scan(&email, &name); err != nil {
			rows.Close()
			return User{}, nil, nil, err
		}
		successors[email] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return User{}, nil, nil, err
	}
	if findings, err = s.Findings(ctx, iv.ID); err != nil {
		return User{}, nil, nil, err
	}
	return manager, successors, findings, nil
}
