package redact

import (
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/google/go-cmp/cmp"
)

func TestText(t *testing.T) {
	t.Parallel()
	for _, tc := range positives {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ms := Text(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Text(%q) (-want +got):\n%s", tc.in, diff)
			}
			var gotFound []found
			for _, m := range ms {
				gotFound = append(gotFound, found{m.Kind, m.System})
			}
			if diff := cmp.Diff(tc.found, gotFound, cmp.AllowUnexported(found{})); diff != "" {
				t.Errorf("matches of %q (-want +got):\n%s", tc.in, diff)
			}
			checkMatches(t, tc.in, ms)
		})
	}
}

func TestNearMissesStay(t *testing.T) {
	t.Parallel()
	for _, tc := range nearMisses {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ms := Text(tc.in)
			if got != tc.in || len(ms) != 0 {
				t.Errorf("Text(%q) = %q, %+v; want it unchanged", tc.in, got, ms)
			}
		})
	}
}

func TestTextIsIdempotent(t *testing.T) {
	t.Parallel()
	var all []string
	for _, tc := range positives {
		all = append(all, tc.in)
	}
	for _, tc := range nearMisses {
		all = append(all, tc.in)
	}
	all = append(all, strings.Join(all, "\n"), strings.Join(all, " "))
	for _, in := range all {
		once, _ := Text(in)
		twice, ms := Text(once)
		if twice != once || len(ms) != 0 {
			t.Errorf("Text(Text(%q)) = %q, %+v; want %q and no matches", in, twice, ms, once)
		}
	}
}

func TestNoSecretSurvives(t *testing.T) {
	t.Parallel()
	var joined []string
	for _, tc := range positives {
		out, _ := Text(tc.in)
		for _, s := range tc.secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: secret %q survives in %q", tc.name, s, out)
			}
		}
		joined = append(joined, tc.in)
	}
	// All the answers at once: secrets must go however the text around them is laid out.
	for _, sep := range []string{"\n", " ", "\n\n", ". "} {
		out, ms := Text(strings.Join(joined, sep))
		checkMatches(t, strings.Join(joined, sep), ms)
		for _, tc := range positives {
			for _, s := range tc.secrets {
				if strings.Contains(out, s) {
					t.Errorf("joined with %q: secret %q of %s survives", sep, s, tc.name)
				}
			}
		}
	}
}

func TestTextWithoutSecretsReturnsSameString(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("we reset their password last week; ", 3)
	got, ms := Text(in)
	if ms != nil || got != in || unsafe.StringData(got) != unsafe.StringData(in) {
		t.Fatalf("Text changed a text without secrets: %q, %+v", got, ms)
	}
	if got, _ := Text(""); got != "" {
		t.Errorf(`Text("") = %q`, got)
	}
}

func TestMarker(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind Kind
		want string
	}{
		{Password, "[REDACTED password]"},
		{APIKey, "[REDACTED api_key]"},
		{Token, "[REDACTED token]"},
		{PrivateKey, "[REDACTED private_key]"},
		{ConnectionString, "[REDACTED connection_string]"},
		{Secret, "[REDACTED secret]"},
	}
	for _, tc := range tests {
		if got := Marker(tc.kind); got != tc.want {
			t.Errorf("Marker(%q) = %q, want %q", tc.kind, got, tc.want)
		}
	}
}

func TestFindOffsets(t *testing.T) {
	t.Parallel()
	in := "the wifi password is 'bluefish77' and the API key is sk_live_51HqLyjWDarjtT1zdp7dcXYZ."
	want := []Match{
		{Password, strings.Index(in, "bluefish77"), strings.Index(in, "bluefish77") + len("bluefish77"), "wifi"},
		{APIKey, strings.Index(in, "sk_live_"), strings.Index(in, "XYZ") + 3, "Stripe"},
	}
	if diff := cmp.Diff(want, Find(in)); diff != "" {
		t.Errorf("Find (-want +got):\n%s", diff)
	}
}

func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"invalid byte inside the secret", "password: Wi\xffnter2024!", "password: [REDACTED password]"},
		{"invalid bytes around", "\xfe\xff the token is 8f2a9c1e7b3d4f5a6b7c \xc3", "\xfe\xff the token is [REDACTED token] \xc3"},
		{"cut multibyte rune", "pw: h\xc3nter22 — café", "pw: [REDACTED password] — café"},
		{"non-breaking spaces", "password\u00a0is\u00a0Winter2024!", "password\u00a0is\u00a0[REDACTED password]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ms := Text(tc.in)
			if got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkMatches(t, tc.in, ms)
			if utf8.ValidString(tc.in) && !utf8.ValidString(got) {
				t.Errorf("Text(%q) made valid UTF-8 invalid: %q", tc.in, got)
			}
		})
	}
}

// Offsets found in a lower-cased copy must hold in the original even when invalid bytes precede them.
func TestInvalidBytesBeforeConnectionString(t *testing.T) {
	t.Parallel()
	in := "\xff\xff\xffServer=db.acme.io;Database=crm;Password=R3p0rt!ng;"
	want := []Match{{ConnectionString, strings.Index(in, "R3p"), strings.Index(in, "!ng") + 3, "db.acme.io"}}
	if diff := cmp.Diff(want, Find(in)); diff != "" {
		t.Errorf("Find (-want +got):\n%s", diff)
	}
}

func TestLongAnswer(t *testing.T) {
	t.Parallel()
	in := longAnswer(20000)
	out, ms := Text(in)
	if len(ms) == 0 {
		t.Fatal("found nothing in the long answer")
	}
	for _, tc := range positives {
		if !strings.Contains(in, tc.in) {
			continue
		}
		for _, s := range tc.secrets {
			if strings.Contains(out, s) {
				t.Errorf("secret %q survives in the long answer", s)
			}
		}
	}
}

// checkMatches checks that matches are in bounds, ordered and disjoint.
func checkMatches(t *testing.T, in string, ms []Match) {
	t.Helper()
	prev := 0
	for _, m := range ms {
		if m.Start < prev || m.End <= m.Start || m.End > len(in) {
			t.Fatalf("bad match %+v after offset %d in %d bytes", m, prev, len(in))
		}
		prev = m.End
		if !strings.Contains(strings.Join([]string{string(Password), string(APIKey), string(Token),
			string(PrivateKey), string(ConnectionString), string(Secret)}, " "), string(m.Kind)) || m.Kind == "" {
			t.Fatalf("unknown kind %q", m.Kind)
		}
	}
}

// longAnswer is a realistic answer of at least n bytes: account notes with a few credentials in them.
func longAnswer(n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(nearMisses[i%len(nearMisses)].in)
		b.WriteString(". ")
		if i%7 == 0 {
			b.WriteString(positives[i%len(positives)].in)
			b.WriteString(". ")
		}
		b.WriteString("They renewed for three years in January and expanded seats in the EMEA team, ")
		b.WriteString("mostly because onboarding went well and the champion stayed. ")
	}
	return b.String()
}
