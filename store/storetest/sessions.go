package storetest

import (
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testSessions(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(2)
	must(t, s.CreateAccount(c, newAccount(id[0], email(0))))
	must(t, s.CreateAccount(c, newAccount(id[1], email(1))))
	mk := func(sid, acc string, exp time.Duration) labs.Session {
		return labs.Session{ID: sid, AccountID: acc, CSRFToken: "csrf-" + sid, CreatedAt: base, ExpiresAt: base.Add(exp)}
	}
	s1, s2, s3 := mk("s1", id[0], time.Hour), mk("s2", id[0], -time.Minute), mk("s3", id[1], time.Hour)
	for _, se := range []labs.Session{s1, s2, s3} {
		must(t, s.CreateSession(c, se))
	}
	wantCode(t, s.CreateSession(c, s1), labs.EConflict)
	got, err := s.Session(c, "s1")
	must(t, err)
	if got != s1 {
		t.Fatalf("Session = %+v, want %+v", got, s1)
	}
	n, err := s.DeleteExpiredSessions(c, base)
	must(t, err)
	if n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, want 1", n)
	}
	_, err = s.Session(c, "s2")
	wantCode(t, err, labs.ENotFound)

	must(t, s.DeleteAccountSessions(c, id[0]))
	_, err = s.Session(c, "s1")
	wantCode(t, err, labs.ENotFound)
	if _, err := s.Session(c, "s3"); err != nil {
		t.Fatalf("another account's session was deleted: %v", err)
	}
	must(t, s.DeleteSession(c, "s3"))
	must(t, s.DeleteSession(c, "s3")) // idempotent
	_, err = s.Session(c, "s3")
	wantCode(t, err, labs.ENotFound)
}
