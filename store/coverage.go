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

const coverageColumns = `coalesce(account_id::text, ''), topic, state, asked, follow_ups`

func scanCoverage(r pgx.CollectableRow) (CoverageItem, error) {
	var c CoverageItem
	err := r.Scan(&c.AccountID, &c.Topic, &c.State, &c.Asked, &c.FollowUps)
	return c, err
}

// Coverage returns every coverage item of an interview.
func (s *Store) Coverage(ctx context.Context, interviewID string) ([]CoverageItem, error) {
	rows, err := s.q.Query(ctx, `SELECT `+coverageColumns+` FROM coverage WHERE interview_id = $1`, interviewID)
	if err != nil {
		return nil, fmt.Errorf("coverage of %s: %w", interviewID, err)
	}
	items, err := pgx.CollectRows(rows, scanCoverage)
	if err != nil {
		return nil, fmt.Errorf("coverage of %s: %w", interviewID, err)
	}
	return items, nil
}

// SaveCoverage writes the state and counters of the given items, in one statement.
func (s *Store) SaveCoverage(ctx context.Context, interviewID string, items []CoverageItem) error {
	if len(items) == 0 {
		return nil
	}
	accounts, topics, states := make([]string, len(items)), make([]string, len(items)), make([]string, len(items))
	asked, followUps := make([]int32, len(items)), make([]int32, len(items))
	for i, c := range items {
		accounts[i], topics[i], states[i], asked[i], followUps[i] = c.AccountID, c.Topic, c.State, int32(c.Asked), int32(c.FollowUps)
	}
	_, err := s.q.Exec(ctx, `
UPDATE coverage c SET state = u.state, asked = u.asked, follow_ups = u.follow_ups, updated_at = now()
FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[]) AS u(account_id, topic, state, asked, follow_ups)
WHERE c.interview_id = $1 AND c.account_id IS NOT DISTINCT FROM nullif(u.account_id, '')::uuid AND c.topic = u.topic`,
		interviewID, accounts, topics, states, asked, followUps)
	if err != nil {
		return fmt.Errorf("save coverage of %s: %w", interviewID, err)
	}
	return nil
}
