package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// CoverageItem is the state of one (account, topic) pair; AccountID is "" for portfolio-wide topics.
type CoverageItem struct {
	AccountID string
	Topic     string
	State     string
	Asked     int
	FollowUps int
}

// Coverage returns every coverage item of an interview.
func (s *Store) Coverage(ctx context.Context, interviewID string) ([]CoverageItem, error) {
	rows, err := s.q.Query(ctx, `SELECT coalesce(account_id::text, ''), topic, state, asked, follow_ups
FROM coverage WHERE interview_id = $1`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("coverage of %s: %w", interviewID, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CoverageItem, error) {
		var c CoverageItem
		err := r.Scan(&c.AccountID, &c.Topic, &c.State, &c.Asked, &c.FollowUps)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("coverage of %s: %w", interviewID, err)
	}
	return items, nil
}

// SaveCoverage writes the state and counters of the given items.
func (s *Store) SaveCoverage(ctx context.Context, interviewID string, items []CoverageItem) error {
	for _, c := range items {
		if _, err := s.q.Exec(ctx, `
UPDATE coverage SET state = $4, asked = $5, follow_ups = $6, updated_at = now()
WHERE interview_id = $1 AND account_id IS NOT DISTINCT FROM nullif($2, '')::uuid AND topic = $3`,
			interviewID, c.AccountID, c.Topic, c.State, c.Asked, c.FollowUps); err != nil {
			return fmt.Errorf("save coverage %s/%s: %w", c.AccountID, c.Topic, err)
		}
	}
	return nil
}
