package store

import "context"

// What the tests of package store_test reach inside it.

// SearchStatements are the statements SearchCandidates runs.
var SearchStatements = searchStatements

// SearchSettings applies a search transaction's settings to s's transaction.
func (s *Store) SearchSettings(ctx context.Context, exact bool) error { return s.searchSettings(ctx, exact) }
