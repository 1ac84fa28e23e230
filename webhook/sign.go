package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// SecretPrefix starts every signing secret, as the Standard Webhooks specification has it: the rest is the
// base64 of the key.
const SecretPrefix = "whsec_"

// NewSecret returns a new signing secret: whsec_ and the standard base64 of 32 random bytes.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// errSecret: a stored secret that is not whsec_ and base64 (never the case for secrets NewSecret made).
var errSecret = errors.New("the signing secret is not whsec_ followed by base64")

// Sign returns the webhook-signature header of a message: "v1," and the base64 of the HMAC-SHA256, keyed
// with the secret's decoded bytes, of "id.timestamp.body".
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
	if err != nil || !strings.HasPrefix(secret, SecretPrefix) || len(key) == 0 {
		return "", errSecret
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
