package interview

import (
	"strings"
	"testing"

	"github.com/exitinterview/exitinterview/redact"
	"github.com/exitinterview/exitinterview/store"
)

// TestRedactionNotice: the CSM hears which kinds of credential were kept out of the notes, for which
// system when the answer said, never the value; an answer without one gets no notice.
func TestRedactionNotice(t *testing.T) {
	found := func(text string) []store.Redaction {
		_, ms := redact.Text(text)
		var out []store.Redaction
		for _, m := range ms {
			out = append(out, store.Redaction{Kind: string(m.Kind), System: m.System})
		}
		return out
	}
	cases := []struct{ answer, want string }{
		{"Their Salesforce admin password is Winter2024! and nobody else knows it.",
			"I kept the Salesforce password out of the notes — please move it to the vault."},
		{"The password is hunter2x and the key is sk_live_4eC39HqLyjWDarjtT1zdp7dc.",
			"I kept the password and the Stripe API key out of the notes — please move them to the vault."},
		{"The password is hunter2x; the other password is letmein77.",
			"I kept the passwords out of the notes — please move them to the vault."},
		{"The password is in 1Password under Acme.", ""},
		{"Renewal is on 1 March and likely.", ""},
	}
	for _, c := range cases {
		got := RedactionNotice(found(c.answer))
		if got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.answer, got, c.want)
		}
		for _, secret := range []string{"Winter2024", "hunter2x", "sk_live", "letmein77"} {
			if strings.Contains(got, secret) {
				t.Errorf("the notice names the secret: %q", got)
			}
		}
	}
}
