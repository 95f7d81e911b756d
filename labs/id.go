package labs

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"time"
)

// idEncoding is Crockford-like lower-case base32 without padding: its
// alphabet is in ASCII order, so IDs sort as their bytes do.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns a 26-character identifier: 48 bits of Unix milliseconds
// followed by 80 random bits. IDs sort by creation time to the millisecond,
// which gives listings a stable order and cursors that never skip items.
func NewID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[0:8], uint64(now.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		// crypto/rand does not fail on supported platforms; an ID collision
		// would be worse than a crash.
		panic("labs: crypto/rand: " + err.Error())
	}
	return idEncoding.EncodeToString(b[:])
}

// ValidID reports whether s could be an ID made by NewID. Handlers check
// path parameters with it before asking a store.
func ValidID(s string) bool {
	if len(s) != 26 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') || c == 'i' || c == 'l' || c == 'o' || c == 'u' {
			return false
		}
	}
	return true
}
