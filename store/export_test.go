package store

import "context"

// What the tests of package store_test reach inside it.

// SearchStatements are the statements SearchCandidates runs within accounts (nil: any) and, when
// portfolios is not nil, those sessions' passages about no account.
func SearchStatements(model string, dims int, f SearchFilter, accounts, portfolios []string) (vectorSQL, textSQL string) {
	return searchStatements(model, dims, f, searchScope{accounts: accounts, portfolios: portfolios})
}

// SearchSettings applies a search transaction's settings to s's transaction.
func (s *Store) SearchSettings(ctx context.Context, exact bool) error {
	return s.searchSettings(ctx, exact)
}
