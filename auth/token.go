package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Prefixes make a leaked secret recognisable (secret scanners, logs) and tell its kind at a glance.
const (
	APITokenPrefix = "eit_"
	sessionPrefix  = "eis_"
)

// newSecret returns prefix followed by 256 random bits, base64url-encoded.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret returns the SHA-256 of a token or session secret, as stored. The secrets are 256-bit random
// values, so a fast hash is safe; a slow one would only slow every request.
func HashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	return sum[:]
}
