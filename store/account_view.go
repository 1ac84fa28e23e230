package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// AccountView is an account with what a successor's account page says about where it came from: the
// session's departing CSM, their last day, and who took the account over.
type AccountView struct {
	Account
	ManagerID       string
	CSMName         string
	DepartureDate   time.Time
	InterviewStatus string
	SuccessorName   string
	Findings        int  // how many findings were captured about the account
	AfterApproval   bool // the session shows successors only what the CSM approved
}

// accountVisibleSQL is the access rule for an account a of interview i, with $1 the role and $2 the user
// id: admins see every account; managers the accounts of the sessions they created; successors
// the accounts assigned to them. Portfolio-wide knowledge is not an account's, so it plays no part.
const accountVisibleSQL = `(
    $1 = 'admin'
    OR ($1 = 'manager' AND i.manager_id = $2::uuid)
    OR ($1 = 'successor' AND a.successor_id = $2::uuid)
)`

const accountViewColumns = accountColumns + `, i.manager_id, i.csm_name, i.departure_date, i.status, coalesce(u.name, ''),
(SELECT count(*) FROM findings f WHERE f.interview_id = a.interview_id AND f.account_id = a.id AND NOT f.account_uncertain),
i.successors_after_approval`

const accountViewFrom = `
FROM accounts a
JOIN interviews i ON i.id = a.interview_id
LEFT JOIN users u ON u.id = a.successor_id`

func scanAccountView(row pgx.Row) (AccountView, error) {
	var v AccountView
	a := &v.Account
	err := row.Scan(&a.ID, &a.InterviewID, &a.Position, &a.Name, &a.ARR, &a.RenewalDate, &a.Segment, &a.CRMID,
		&a.CRMHealth, &a.CRMLastContact, &a.CRMOpenOpportunity, &a.CRMNotes, &a.SuccessorID, &a.SuccessorEmail, &a.Depth, &a.ApprovedAt, &a.Currency,
		&v.ManagerID, &v.CSMName, &v.DepartureDate, &v.InterviewStatus, &v.SuccessorName, &v.Findings, &v.AfterApproval)
	return v, err
}

// AccountForViewer returns an account that v may see, or ErrNotFound: for an account that does not
// exist, a malformed id and an account v may not see alike, so a denial tells nothing.
func (s *Store) AccountForViewer(ctx context.Context, v Viewer, accountID string) (AccountView, error) {
	if !ValidUUID(accountID) {
		return AccountView{}, fmt.Errorf("account %q: %w", accountID, ErrNotFound)
	}
	userID := v.id()
	av, err := scanAccountView(s.q.QueryRow(ctx, `SELECT `+accountViewColumns+accountViewFrom+`
WHERE a.id = $3::uuid AND `+accountVisibleSQL, string(v.Role), userID, accountID))
	if err != nil {
		return AccountView{}, fmt.Errorf("account %s: %w", accountID, notFound(err))
	}
	return av, nil
}

// AccountFindings returns the findings captured about one account, in transcript order; those whose
// account is a guess only withUncertain (for the session's manager). It checks no access: call it for an
// account AccountForViewer returned.
func (s *Store) AccountFindings(ctx context.Context, accountID string, withUncertain bool) ([]Finding, error) {
	if !ValidUUID(accountID) {
		return nil, nil
	}
	// The interview id lets the (interview_id, account_id, type) index serve the lookup.
	rows, err := s.q.Query(ctx, `
SELECT `+findingColumns+`
FROM findings f JOIN messages m ON m.id = f.message_id
WHERE f.interview_id = (SELECT interview_id FROM accounts WHERE id = $1::uuid) AND f.account_id = $1::uuid
    AND ($2 OR NOT f.account_uncertain)
ORDER BY m.seq, f.created_at, f.id`, accountID, withUncertain)
	if err != nil {
		return nil, fmt.Errorf("findings of account %s: %w", accountID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Finding, error) { return scanFinding(r) })
	if err != nil {
		return nil, fmt.Errorf("findings of account %s: %w", accountID, err)
	}
	return out, nil
}

// SuccessorAccounts returns the accounts assigned to a successor, soonest departure first.
func (s *Store) SuccessorAccounts(ctx context.Context, userID string) ([]AccountView, error) {
	if !ValidUUID(userID) {
		return nil, nil
	}
	rows, err := s.q.Query(ctx, `SELECT `+accountViewColumns+accountViewFrom+`
WHERE a.successor_id = $1::uuid
ORDER BY i.departure_date, i.created_at, a.position`, userID)
	if err != nil {
		return nil, fmt.Errorf("accounts of successor %s: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AccountView, error) { return scanAccountView(r) })
	if err != nil {
		return nil, fmt.Errorf("accounts of successor %s: %w", userID, err)
	}
	return out, nil
}

// AskableAccounts returns the accounts v may ask the departing CSM about now: visible to v (the same rule
// as AccountForViewer) in sessions not handed over whose last day has not passed, soonest last day first.
func (s *Store) AskableAccounts(ctx context.Context, v Viewer) ([]AccountView, error) {
	userID := v.id()
	rows, err := s.q.Query(ctx, `SELECT `+accountViewColumns+accountViewFrom+`
WHERE `+accountVisibleSQL+` AND i.status <> 'handed_over' AND i.departure_date >= current_date
ORDER BY i.departure_date, i.created_at, a.position LIMIT 500`, string(v.Role), userID)
	if err != nil {
		return nil, fmt.Errorf("askable accounts: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AccountView, error) { return scanAccountView(r) })
	if err != nil {
		return nil, fmt.Errorf("askable accounts: %w", err)
	}
	return out, nil
}

// NamedAccount is an account's id and name.
type NamedAccount struct {
	ID, Name string
	CSM      string // the name of the departing CSM whose session holds it
}

// VisibleAccountNames returns the ids and names of the accounts v may see (the rule of AccountForViewer),
// in every session, newest session first, at most limit: the names a question may use.
func (s *Store) VisibleAccountNames(ctx context.Context, v Viewer, limit int) ([]NamedAccount, error) {
	userID := v.id()
	rows, err := s.q.Query(ctx, `SELECT a.id::text, a.name, i.csm_name FROM accounts a JOIN interviews i ON i.id = a.interview_id
WHERE `+accountVisibleSQL+`
ORDER BY i.created_at DESC, a.position LIMIT $3`, string(v.Role), userID, limit)
	if err != nil {
		return nil, fmt.Errorf("visible accounts: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[NamedAccount])
	if err != nil {
		return nil, fmt.Errorf("visible accounts: %w", err)
	}
	return out, nil
}
