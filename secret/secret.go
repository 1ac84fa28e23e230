// Package secret makes the long random secrets exitinterview hands out (API tokens, browser sessions,
// invite links) and the hashes it stores instead of them.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// New returns prefix followed by 256 random bits, base64url-encoded. Prefixes make a leaked secret
// recognisable (secret scanners, logs) and tell its kind at a glance.
func New(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the SHA-256 of a secret, as stored. The secrets are 256-bit random values, so a fast hash
// is safe; a slow one would only slow every request.
func Hash(s string) []byte {
	sum := sha256.Sum256([]byte(strings.TrimSpace(s)))
	return sum[:]
}
