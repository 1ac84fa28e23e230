package store_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/pgvector/pgvector-go"

	"github.com/exitinterview/exitinterview/store"
)

// TestSearchIsPlannedForItsOwnQuery: each search is planned for its own role, filters and query. A plan
// kept for every execution of a statement (PostgreSQL's generic plan, which it may switch to after a
// few executions) cannot tell an admin from a successor or see how many passages the full-text query
// matches, and at a million chunks it sorted every chunk by distance. The session here prefers generic
// plans; the search's own settings must override that, so no plan shows an unbound parameter.
func TestSearchIsPlannedForItsOwnQuery(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, manager, chunks := chunkFixture(t)
	const model = "m8"
	if err := s.StoreEmbeddings(ctx, model, []string{chunks[0].ID}, [][]float32{unit(8, 0)}); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\$[0-9]`)
	var northwind, session []string
	if err := s.Pool().QueryRow(ctx, `SELECT array_agg(id::text), array_agg(interview_id::text) FROM accounts WHERE name = 'Northwind'`).Scan(&northwind, &session); err != nil {
		t.Fatal(err)
	}
	// Any account; one account and a topic; a successor's accounts and their sessions' portfolio.
	for _, sc := range []struct {
		f                    store.SearchFilter
		accounts, portfolios []string
	}{{}, {store.SearchFilter{Account: "Northwind", Topic: "renewal"}, northwind, nil}, {store.SearchFilter{}, northwind, session}} {
		f, accounts := sc.f, sc.accounts
		vectorSQL, textSQL := store.SearchStatements(model, 8, f, sc.accounts, sc.portfolios)
		for _, c := range []struct {
			name, sql string
			query     any
		}{{"vector", vectorSQL, pgvector.NewVector(unit(8, 0))}, {"text", textSQL, "renewal | marco"}} {
			err := s.Transact(ctx, func(tx *store.Store) error {
				if _, err := tx.Tx().Exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`); err != nil {
					return err
				}
				if err := tx.SearchSettings(ctx, false); err != nil {
					return err
				}
				if _, err := tx.Tx().Exec(ctx, `PREPARE planned AS `+c.sql); err != nil {
					return err
				}
				var query string
				switch q := c.query.(type) {
				case string:
					query = "'" + q + "'"
				case pgvector.Vector:
					query = "'" + q.String() + "'"
				}
				array := func(ids []string) string {
					if ids == nil {
						return "NULL"
					}
					return "'{" + strings.Join(ids, ",") + "}'"
				}
				// EXPLAIN takes no bound parameters: the values are written out (all are ids and test text).
				rows, err := tx.Tx().Query(ctx, `EXPLAIN EXECUTE planned('manager', '`+manager.ID+`', `+array(accounts)+`, 'renewal', NULL, `+query+`, 50, `+array(sc.portfolios)+`)`)
				if err != nil {
					return err
				}
				var plan []string
				for rows.Next() {
					var line string
					if err := rows.Scan(&line); err != nil {
						return err
					}
					plan = append(plan, line)
				}
				if err := rows.Err(); err != nil {
					return err
				}
				if text := strings.Join(plan, "\n"); param.MatchString(text) {
					t.Errorf("the %s search %+v is planned for any parameters:\n%s", c.name, f, text)
				}
				_, err = tx.Tx().Exec(ctx, `DEALLOCATE planned`)
				return err
			})
			if err != nil {
				t.Fatalf("%s search %+v: %v", c.name, f, err)
			}
		}
	}
}
