package redact

import (
	"strings"
	"testing"
)

func FuzzText(f *testing.F) {
	for _, tc := range positives {
		f.Add(tc.in)
	}
	for _, tc := range nearMisses {
		f.Add(tc.in)
	}
	tuned, held, err := Tables()
	if err != nil {
		f.Fatal(err)
	}
	for _, tb := range []Table{tuned, held} {
		for _, s := range append(tb.Credentials, tb.NearMisses...) {
			f.Add(s.Text)
		}
	}
	for _, s := range []string{
		"", "[REDACTED password]", "password: [REDACTED password]x", "pw: '[REDACTED token] abc12345'",
		"password: 'a b c d' aB3dE6gH9jK2mN5pQ8sT", "-----BEGIN PRIVATE KEY-----", "login a:/b:/c", "\xff\xfe",
		"credentials: svc:[REDACTED password]@host", "postgres://a:b@", "key=", "password=x;y=z&password=Qq1!",
		"\xffServer=x;\xff Password=R3p0rt!ng;", "Authorization:Authorization:[ x", "DB_PASSWORD=DB_PASSWORD=[ y",
		"Password: open sesame", "<password></password>", "<password>a</pass", "u: a p:", "p:", "admin / ", "admin/",
		"seed: aaaa bbbb cccc dddd eeee", "recovery codes: 1234-5678, ", "AKIAIOSFODNN7EXAMPLE", "mot de passe",
		"x as the password", "contraseña:ñ", "Passwort:\xc3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ms := Find(in)
		checkMatches(t, in, ms)
		out, ms2 := Text(in)
		if len(ms) != len(ms2) {
			t.Fatalf("Find and Text disagree: %+v vs %+v", ms, ms2)
		}
		if len(ms) == 0 && out != in {
			t.Fatalf("Text changed %q to %q without matches", in, out)
		}
		for _, m := range ms {
			if v := in[m.Start:m.End]; len(v) >= 12 && strings.Contains(out, v) {
				t.Fatalf("secret %q survives in %q", v, out)
			}
		}
		again, ms3 := Text(out)
		if again != out || len(ms3) != 0 {
			t.Fatalf("Text is not stable on %q:\nonce:  %q\ntwice: %q (%+v)", in, out, again, ms3)
		}
	})
}

func BenchmarkText20k(b *testing.B) {
	in := longAnswer(20000)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		Text(in)
	}
}

// BenchmarkTextClean20k is the common case: a long answer with no credential in it.
func BenchmarkTextClean20k(b *testing.B) {
	var sb strings.Builder
	for i := 0; sb.Len() < 20000; i++ {
		sb.WriteString(nearMisses[i%len(nearMisses)].in)
		sb.WriteString(". ")
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		Text(in)
	}
}
