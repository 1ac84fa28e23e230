package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Interview is a knowledge-transfer session.
type Interview struct {
	ID                string
	ManagerID         string
	CSMName           string
	CSMEmail          string
	DepartureDate     time.Time
	Status            string // invited, in_progress, completed, handed_over
	TimeBudgetMinutes int
	CreatedAt         time.Time
	StartedAt         *time.Time
	FinishedAt        *time.Time
	// SuccessorsAfterApproval: successors see what was captured only once the CSM approved it (per
	// account; PortfolioApprovedAt for what is about no account).
	SuccessorsAfterApproval bool
	PortfolioApprovedAt     *time.Time
	// HandedOverAt is when it was handed over (nil when it is not); the handover can be undone for
	// HandoverUndoWindow after it.
	HandedOverAt *time.Time
}

// Account is one account of an interview's book of business.
type Account struct {
	ID                 string
	InterviewID        string
	Position           int
	Name               string
	ARR                *float64
	Currency           string // ISO 4217 code of ARR; "" is stored as the default, USD
	RenewalDate        *time.Time
	Segment            string
	CRMID              string
	CRMHealth          string
	CRMLastContact     *time.Time
	CRMOpenOpportunity string
	CRMNotes           string
	SuccessorID        string
	SuccessorEmail     string
	Depth              string     // deep or brief
	ApprovedAt         *time.Time // when the CSM approved what was captured about it
}

// NewInterview is everything created at once when a manager starts a session.
type NewInterview struct {
	ManagerID         string
	CSMName           string
	CSMEmail          string
	DepartureDate     time.Time
	TimeBudgetMinutes int
	Accounts          []Account // in plan order; SuccessorID may be set
	AccountTopics     []string  // coverage rows per account
	PortfolioTopics   []string  // coverage rows without an account
	InviteHash        []byte
	InviteExpiresAt   time.Time
	// OnCreated, when set, runs in the creating transaction (to queue the invitation e-mail).
	OnCreated func(ctx context.Context, tx *Store, iv Interview, accounts []Account) error
}

const interviewColumns = `id, manager_id, csm_name, csm_email, departure_date, status, time_budget_minutes, created_at, started_at, finished_at,
successors_after_approval, portfolio_approved_at, handed_over_at`

func scanInterview(row pgx.Row) (Interview, error) {
	var iv Interview
	err := row.Scan(iv.dest()...)
	return iv, err
}

// dest lists where interviewColumns are scanned to, for queries that read more columns after them.
func (iv *Interview) dest() []any {
	return []any{&iv.ID, &iv.ManagerID, &iv.CSMName, &iv.CSMEmail, &iv.DepartureDate, &iv.Status,
		&iv.TimeBudgetMinutes, &iv.CreatedAt, &iv.StartedAt, &iv.FinishedAt, &iv.SuccessorsAfterApproval, &iv.PortfolioApprovedAt, &iv.HandedOverAt}
}

// CreateInterview stores a session, its accounts, the coverage rows of its plan and its first invite in one
// transaction.
func (s *Store) CreateInterview(ctx context.Context, ni NewInterview) (Interview, []Account, error) {
	var iv Interview
	var accounts []Account
	err := s.Transact(ctx, func(tx *Store) error {
		var err error
		iv, err = scanInterview(tx.q.QueryRow(ctx, `
INSERT INTO interviews (manager_id, csm_name, csm_email, departure_date, time_budget_minutes)
VALUES ($1, $2, $3, $4, $5) RETURNING `+interviewColumns,
			ni.ManagerID, ni.CSMName, ni.CSMEmail, ni.DepartureDate, ni.TimeBudgetMinutes))
		if err != nil {
			return fmt.Errorf("insert interview: %w", err)
		}
		for i, a := range ni.Accounts {
			err := tx.q.QueryRow(ctx, `
INSERT INTO accounts (interview_id, position, name, arr, renewal_date, segment, crm_id, crm_health,
                      crm_last_contact, crm_open_opportunity, crm_notes, successor_id, depth, currency)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, nullif($12, '')::uuid, $13, coalesce(nullif($14, ''), 'USD'))
RETURNING id, currency`, iv.ID, i+1, a.Name, a.ARR, a.RenewalDate, a.Segment, a.CRMID, a.CRMHealth, a.CRMLastContact,
				a.CRMOpenOpportunity, a.CRMNotes, a.SuccessorID, a.Depth, a.Currency).Scan(&a.ID, &a.Currency)
			if err != nil {
				return fmt.Errorf("insert account %q: %w", a.Name, err)
			}
			a.InterviewID, a.Position = iv.ID, i+1
			accounts = append(accounts, a)
		}
		if _, err := tx.q.Exec(ctx, `
INSERT INTO coverage (interview_id, account_id, topic)
SELECT $1, a.id, t FROM accounts a, unnest($2::text[]) t WHERE a.interview_id = $1
UNION ALL
SELECT $1, NULL, t FROM unnest($3::text[]) t`, iv.ID, ni.AccountTopics, ni.PortfolioTopics); err != nil {
			return fmt.Errorf("insert coverage: %w", err)
		}
		if err := tx.CreateInvite(ctx, iv.ID, ni.InviteHash, ni.InviteExpiresAt); err != nil {
			return err
		}
		if ni.OnCreated != nil {
			return ni.OnCreated(ctx, tx, iv, accounts)
		}
		return nil
	})
	if err != nil {
		return Interview{}, nil, fmt.Errorf("create interview: %w", err)
	}
	return iv, accounts, nil
}

// InterviewByID returns an interview, or ErrNotFound.
func (s *Store) InterviewByID(ctx context.Context, id string) (Interview, error) {
	if !ValidUUID(id) {
		return Interview{}, fmt.Errorf("interview %q: %w", id, ErrNotFound)
	}
	iv, err := scanInterview(s.q.QueryRow(ctx, `SELECT `+interviewColumns+` FROM interviews WHERE id = $1::uuid`, id))
	if err != nil {
		return Interview{}, fmt.Errorf("interview %s: %w", id, notFound(err))
	}
	return iv, nil
}

// LockInterview returns an interview and locks its row until the transaction ends: turns of one interview
// are serialised on it.
func (s *Store) LockInterview(ctx context.Context, id string) (Interview, error) {
	iv, err := scanInterview(s.q.QueryRow(ctx, `SELECT `+interviewColumns+` FROM interviews WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return Interview{}, fmt.Errorf("lock interview %s: %w", id, notFound(err))
	}
	return iv, nil
}

// ListInterviews returns the interviews a manager created, or every interview when managerID is empty,
// newest first.
func (s *Store) ListInterviews(ctx context.Context, managerID string) ([]Interview, error) {
	rows, err := s.q.Query(ctx, `SELECT `+interviewColumns+` FROM interviews
WHERE $1::uuid IS NULL OR manager_id = $1::uuid ORDER BY departure_date, created_at DESC`, nullUUID(managerID))
	if err != nil {
		return nil, fmt.Errorf("list interviews: %w", err)
	}
	ivs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Interview, error) { return scanInterview(r) })
	if err != nil {
		return nil, fmt.Errorf("list interviews: %w", err)
	}
	return ivs, nil
}

// SetInterviewStatus moves an interview to status, stamping when it started or finished.
func (s *Store) SetInterviewStatus(ctx context.Context, id, status string) error {
	_, err := s.q.Exec(ctx, `
UPDATE interviews SET status = $2, updated_at = now(),
    started_at = CASE WHEN $2 = 'in_progress' AND started_at IS NULL THEN now() ELSE started_at END,
    finished_at = CASE WHEN $2 = 'completed' AND finished_at IS NULL THEN now() ELSE finished_at END
WHERE id = $1`, id, status)
	if err != nil {
		return fmt.Errorf("set interview %s status: %w", id, err)
	}
	return nil
}

const accountColumns = `a.id, a.interview_id, a.position, a.name, a.arr::float8, a.renewal_date, a.segment, a.crm_id,
a.crm_health, a.crm_last_contact, a.crm_open_opportunity, a.crm_notes, coalesce(a.successor_id::text, ''),
coalesce(u.email, ''), a.depth, a.approved_at, a.currency`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.InterviewID, &a.Position, &a.Name, &a.ARR, &a.RenewalDate, &a.Segment, &a.CRMID,
		&a.CRMHealth, &a.CRMLastContact, &a.CRMOpenOpportunity, &a.CRMNotes, &a.SuccessorID, &a.SuccessorEmail, &a.Depth, &a.ApprovedAt, &a.Currency)
	return a, err
}

// Accounts returns an interview's accounts in plan order.
func (s *Store) Accounts(ctx context.Context, interviewID string) ([]Account, error) {
	rows, err := s.q.Query(ctx, `SELECT `+accountColumns+`
FROM accounts a LEFT JOIN users u ON u.id = a.successor_id
WHERE a.interview_id = $1 ORDER BY a.position`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("accounts of %s: %w", interviewID, err)
	}
	accounts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
	if err != nil {
		return nil, fmt.Errorf("accounts of %s: %w", interviewID, err)
	}
	return accounts, nil
}

// SetAccountSuccessor assigns (or, with an empty userID, clears) an account's successor.
func (s *Store) SetAccountSuccessor(ctx context.Context, interviewID, accountID, userID string) error {
	if !ValidUUID(interviewID) || !ValidUUID(accountID) {
		return fmt.Errorf("account %q: %w", accountID, ErrNotFound)
	}
	tag, err := s.q.Exec(ctx, `UPDATE accounts SET successor_id = nullif($3, '')::uuid
WHERE interview_id = $1::uuid AND id = $2::uuid`, interviewID, accountID, userID)
	if err != nil {
		return fmt.Errorf("set successor: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("account %s: %w", accountID, ErrNotFound)
	}
	return nil
}

// Snapshot reads an interview with its accounts, coverage and transcript in one round trip. The transcript
// is read first: a turn that commits during the batch then shows as a newer transcript, which the caller's
// sequence check catches, rather than as coverage newer than the transcript it belongs to.
func (s *Store) Snapshot(ctx context.Context, id string) (Interview, []Account, []CoverageItem, []Message, error) {
	iv, accounts, cov, msgs, _, err := s.snapshot(ctx, id, false)
	return iv, accounts, cov, msgs, err
}

// SnapshotWithAsked is Snapshot plus the questions people asked that wait to be posed, oldest first, in
// the same round trip: what a CSM's turn reads.
func (s *Store) SnapshotWithAsked(ctx context.Context, id string) (Interview, []Account, []CoverageItem, []Message, []AskedQuestion, error) {
	return s.snapshot(ctx, id, true)
}

func (s *Store) snapshot(ctx context.Context, id string, withAsked bool) (Interview, []Account, []CoverageItem, []Message, []AskedQuestion, error) {
	if !ValidUUID(id) {
		return Interview{}, nil, nil, nil, nil, fmt.Errorf("interview %q: %w", id, ErrNotFound)
	}
	b := &pgx.Batch{}
	var asked []AskedQuestion
	var iv Interview
	var accounts []Account
	var cov []CoverageItem
	var msgs []Message
	b.Queue(`SELECT `+messageColumns+` FROM messages WHERE interview_id = $1::uuid ORDER BY seq`, id).Query(func(rows pgx.Rows) error {
		var err error
		msgs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) { return scanMessage(r) })
		return err
	})
	b.Queue(`SELECT `+coverageColumns+` FROM coverage WHERE interview_id = $1::uuid`, id).Query(func(rows pgx.Rows) error {
		var err error
		cov, err = pgx.CollectRows(rows, scanCoverage)
		return err
	})
	b.Queue(`SELECT `+interviewColumns+` FROM interviews WHERE id = $1::uuid`, id).QueryRow(func(row pgx.Row) error {
		var err error
		iv, err = scanInterview(row)
		return notFound(err)
	})
	b.Queue(`SELECT `+accountColumns+` FROM accounts a LEFT JOIN users u ON u.id = a.successor_id
WHERE a.interview_id = $1::uuid ORDER BY a.position`, id).Query(func(rows pgx.Rows) error {
		var err error
		accounts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
		return err
	})
	if withAsked {
		// After the messages: a question posed meanwhile is then either in both (and no longer open) or
		// in neither (and the turn's write finds the transcript moved on and retries).
		b.Queue(openAskedSQL, id).Query(func(rows pgx.Rows) error {
			var err error
			asked, err = pgx.CollectRows(rows, scanAsked)
			return err
		})
	}
	if err := s.q.SendBatch(ctx, b).Close(); err != nil {
		return Interview{}, nil, nil, nil, nil, fmt.Errorf("snapshot of interview %s: %w", id, err)
	}
	return iv, accounts, cov, msgs, asked, nil
}

// nullUUID passes "" as NULL.
func nullUUID(id string) *string {
	if id == "" {
		return nil
	}
	return &id
}

// SetApprovalRequired makes successors see what was captured only once the CSM approved it (or again
// at once, with false).
func (s *Store) SetApprovalRequired(ctx context.Context, interviewID string, required bool) error {
	if _, err := s.q.Exec(ctx, `UPDATE interviews SET successors_after_approval = $2, updated_at = now() WHERE id = $1`, interviewID, required); err != nil {
		return fmt.Errorf("set approval of %s: %w", interviewID, err)
	}
	return nil
}

// Approve records the CSM's approval of what was captured about an account ("" for the portfolio).
func (s *Store) Approve(ctx context.Context, interviewID, accountID string) error {
	var tag interface{ RowsAffected() int64 }
	var err error
	// A handed-over interview takes no approval; the interview's row is locked while that is checked.
	if accountID == "" {
		tag, err = s.q.Exec(ctx, `UPDATE interviews SET portfolio_approved_at = now() WHERE id = $1 AND status <> 'handed_over'`, interviewID)
	} else {
		tag, err = s.q.Exec(ctx, `UPDATE accounts SET approved_at = now() WHERE interview_id = $1 AND id::text = $2
AND EXISTS (SELECT 1 FROM interviews WHERE id = $1 AND status <> 'handed_over' FOR SHARE)`, interviewID, accountID)
	}
	if err != nil {
		return fmt.Errorf("approve: %w", err)
	}
	if tag.RowsAffected() == 0 {
		var handedOver bool
		if err := s.q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM interviews WHERE id = $1 AND status = 'handed_over')`, interviewID).Scan(&handedOver); err != nil {
			return fmt.Errorf("approve: %w", err)
		}
		if handedOver {
			return fmt.Errorf("approve: %w", ErrHandedOver)
		}
		return fmt.Errorf("approve %q: %w", accountID, ErrNotFound)
	}
	return nil
}
