package auth

import "github.com/exitinterview/exitinterview/secret"

// Prefixes of the secrets auth hands out.
const (
	APITokenPrefix = "eit_"
	sessionPrefix  = "eis_"
)

func newSecret(prefix string) string { return secret.New(prefix) }

// HashSecret returns the stored form of a token or session secret.
func HashSecret(s string) []byte { return secret.Hash(s) }
