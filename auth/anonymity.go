package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"

	"github.com/linklab/linklab/labs"
	"golang.org/x/crypto/argon2"
)

// AnonymityKeyLength is the length of a person's anonymity key in bytes.
const AnonymityKeyLength = 32

// AnonymityKey derives the key that marks a person's anonymous comments
// and feedback as theirs. It comes from the password, with the account ID
// as salt, through argon2id with the hasher's costs: the same person gets
// the same key on every device, and the server can rebuild it only while
// the person is signing in. It is stored nowhere (the browser keeps it in
// an HttpOnly cookie beside the session's); so no database, backup or log
// joins an anonymous item to its author, and guessing the key costs what
// guessing the password does.
func (s *Service) AnonymityKey(ctx context.Context, acc labs.Account, password string) ([]byte, error) {
	var key []byte
	err := s.withHashSlot(ctx, func() {
		p := s.hasher.Params
		key = argon2.IDKey([]byte(password), []byte("linklab anonymity key "+acc.ID), p.Time, p.MemoryKiB, p.Threads, AnonymityKeyLength)
	})
	return key, err
}

// AuthorMark is what an anonymous item stores instead of its author: a
// keyed hash of the item's ID under the author's anonymity key. Only the
// author, signed in, can make it again; it says nothing about who they
// are to anyone else. An item made without a key has no mark, and nobody
// can claim it.
func AuthorMark(key []byte, itemID string) string {
	if len(key) != AnonymityKeyLength {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(itemID))
	return "mark:" + hex.EncodeToString(m.Sum(nil))
}
