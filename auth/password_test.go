package auth_test

import (
	"strings"
	"testing"

	"github.com/linklab/linklab/auth"
)

func TestHashAndVerify(t *testing.T) {
	h := auth.Hasher{Params: auth.Params{MemoryKiB: 256, Time: 1, Threads: 1}}
	enc, err := h.Hash("a good long password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=256,t=1,p=1$") {
		t.Fatalf("encoding %q", enc)
	}
	again, _ := h.Hash("a good long password")
	if again == enc {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		password string
		want     bool
	}{{"a good long password", true}, {"a good long passworD", false}, {"", false}} {
		ok, err := h.Verify(tc.password, enc)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.password, ok, err, tc.want)
		}
	}
	// Hashes made with other parameters still verify: parameters travel in the hash.
	other := auth.Hasher{Params: auth.Params{MemoryKiB: 512, Time: 2, Threads: 1}}
	if ok, err := other.Verify("a good long password", enc); !ok || err != nil {
		t.Fatalf("verify with other default parameters: %v %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=256,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=256,t=1,p=1$!!$aGFzaA"} {
		if ok, err := h.Verify("x", bad); ok || err == nil {
			t.Errorf("Verify accepted malformed hash %q (%v, %v)", bad, ok, err)
		}
	}
}

func TestTokens(t *testing.T) {
	a, b := auth.NewToken(), auth.NewToken()
	if a == b || !auth.ValidTokenShape(a) || auth.ValidTokenShape(a+"x") || auth.ValidTokenShape("../../etc/passwd") {
		t.Fatalf("tokens %q %q", a, b)
	}
	if auth.HashToken(a) == auth.HashToken(b) || len(auth.HashToken(a)) != 64 {
		t.Fatal("token hashes")
	}
}

func BenchmarkHashDefaultParams(b *testing.B) {
	h := auth.Hasher{Params: auth.DefaultParams}
	for b.Loop() {
		if _, err := h.Hash("a good long password"); err != nil {
			b.Fatal(err)
		}
	}
}
