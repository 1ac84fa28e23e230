package interview

import (
	"strings"

	"github.com/exitinterview/exitinterview/store"
)

// credentialWords names each kind of credential the redaction finds, as the interviewer says it.
var credentialWords = map[string]string{
	"password": "password", "api_key": "API key", "token": "token", "private_key": "private key",
	"connection_string": "connection string", "secret": "secret",
}

// RedactionNotice is what the interviewer tells the CSM when credentials were taken out of their answer:
// which kinds (and for which system, when the answer said), never the values, and where they belong
// instead. Empty when nothing was removed.
func RedactionNotice(found []store.Redaction) string {
	var names []string
	count := map[string]int{}
	for _, r := range found {
		word := credentialWords[r.Kind]
		if word == "" {
			word = "credential"
		}
		if sys := strings.TrimSpace(r.System); sys != "" {
			word = sys + " " + word
		}
		if count[word] == 0 {
			names = append(names, word)
		}
		count[word]++
	}
	if len(names) == 0 {
		return ""
	}
	things := make([]string, len(names))
	for i, n := range names {
		if count[n] > 1 {
			n = pluralOf(n)
		}
		things[i] = "the " + n
	}
	it := "it"
	if len(found) > 1 {
		it = "them"
	}
	return "I kept " + andList(things) + " out of the notes — please move " + it + " to the vault."
}

func pluralOf(word string) string {
	if strings.HasSuffix(word, "s") {
		return word
	}
	return word + "s"
}
