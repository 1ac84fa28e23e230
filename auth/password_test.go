package auth

import (
	"strings"
	"testing"
)

var cheap = HashParams{Memory: 1024, Time: 1, Threads: 1}

func TestHashAndCheckPassword(t *testing.T) {
	t.Parallel()
	h, err := HashPassword("correct horse battery staple", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	h2, _ := HashPassword("correct horse battery staple", cheap)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{
		"correct horse battery staple":  true,
		"correct horse battery staple ": false,
		"Correct horse battery staple":  false,
		"":                              false,
	} {
		if ok, err := CheckPassword(h, pw); err != nil || ok != want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// The default parameters are the ones in force for real users.
	hd, _ := HashPassword("pw", DefaultHashParams)
	if !strings.Contains(hd, "$m=19456,t=2,p=1$") {
		t.Errorf("default parameters: %s", hd)
	}
}

func TestCheckPasswordRejectsMalformedHashes(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"", "plain", "$2a$10$bcrypt", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=1024,t=0,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=1024,t=1,p=1$!!$a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$",
	} {
		if ok, err := CheckPassword(h, "pw"); ok || err == nil {
			t.Errorf("CheckPassword(%q) = %v, %v; want an error", h, ok, err)
		}
	}
}

func FuzzCheckPassword(f *testing.F) {
	h, _ := HashPassword("pw", cheap)
	f.Add(h, "pw")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$", "")
	// Any stored string is either checked or refused, never a panic.
	f.Fuzz(func(t *testing.T, hash, pw string) {
		ok, err := CheckPassword(hash, pw)
		if ok && err != nil {
			t.Fatalf("CheckPassword(%q) = true with error %v", hash, err)
		}
	})
}

func TestSecrets(t *testing.T) {
	t.Parallel()
	a, b := newSecret(APITokenPrefix), newSecret(APITokenPrefix)
	if a == b || !strings.HasPrefix(a, "eit_") || len(a) != 4+43 {
		t.Fatalf("secrets %q %q", a, b)
	}
	if string(HashSecret(a)) == string(HashSecret(b)) || len(HashSecret(a)) != 32 {
		t.Fatal("hashes collide or are not SHA-256")
	}
	if p := GeneratePassword(); len(p) != 26 || p == GeneratePassword() {
		t.Fatalf("generated password %q", p)
	}
}
