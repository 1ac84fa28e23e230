package store_test

import (
	"context"
	"testing"

	"github.com/exitinterview/exitinterview/store"
)

// TestAPITokensAlwaysExpire: the schema refuses a token without an expiry.
func TestAPITokensAlwaysExpire(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.NewUser{Email: "m@example.com", Name: "M", Role: store.RoleManager})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Pool().Exec(ctx, `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, 'x', '\x01')`, u.ID); err == nil {
		t.Fatal("a token without an expiry was stored")
	}
}
