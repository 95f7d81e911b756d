package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testAccounts(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(3)
	a := newAccount(id[0], email(1))
	a.Admin, a.Language = true, "nb"
	must(t, s.CreateAccount(c, a))

	got, err := s.Account(c, a.ID)
	must(t, err)
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("Account = %+v, want %+v", got, a)
	}
	got, err = s.AccountByEmail(c, a.Email)
	must(t, err)
	if got.ID != a.ID {
		t.Fatalf("AccountByEmail ID = %s, want %s", got.ID, a.ID)
	}

	// Uniqueness: the same e-mail under another ID, and the same ID.
	wantCode(t, s.CreateAccount(c, newAccount(id[1], a.Email)), labs.EConflict)
	wantCode(t, s.CreateAccount(c, newAccount(a.ID, email(2))), labs.EConflict)
	_, err = s.Account(c, id[1])
	wantCode(t, err, labs.ENotFound)
	_, err = s.AccountByEmail(c, "nobody@example.org")
	wantCode(t, err, labs.ENotFound)

	// Update, including a conflicting e-mail that must change nothing.
	b := newAccount(id[1], email(2))
	must(t, s.CreateAccount(c, b))
	b.Email = a.Email
	wantCode(t, s.UpdateAccount(c, b), labs.EConflict)
	got, err = s.Account(c, b.ID)
	must(t, err)
	if got.Email != email(2) {
		t.Fatalf("failed update changed e-mail to %s", got.Email)
	}
	b.Email, b.DisplayName, b.Disabled, b.UpdatedAt = email(3), "Renamed", true, base.Add(time.Hour)
	must(t, s.UpdateAccount(c, b))
	got, err = s.Account(c, b.ID)
	must(t, err)
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("after update Account = %+v, want %+v", got, b)
	}
	// Preferences are SetPreferences' alone: an update made from a copy
	// read before they changed leaves them as they are.
	stale := b
	must(t, s.SetPreferences(c, b.ID, "pt-BR", true, base.Add(90*time.Minute)))
	stale.DisplayName, stale.Language = "Renamed again", "sv"
	must(t, s.UpdateAccount(c, stale))
	got, err = s.Account(c, b.ID)
	must(t, err)
	if got.DisplayName != "Renamed again" || got.Language != "pt-BR" || !got.PlainView {
		t.Fatalf("an update from a stale copy: %+v", got)
	}
	b = got
	wantCode(t, s.UpdateAccount(c, newAccount(id[2], email(4))), labs.ENotFound)

	// Preferences change alone: the account's other fields stay as they are.
	must(t, s.SetPreferences(c, b.ID, "es", false, base.Add(2*time.Hour)))
	got, err = s.Account(c, b.ID)
	must(t, err)
	b.Language, b.PlainView, b.UpdatedAt = "es", false, base.Add(2*time.Hour)
	if !reflect.DeepEqual(got, b) {
		t.Fatalf("after SetPreferences Account = %+v, want %+v", got, b)
	}
	wantCode(t, s.SetPreferences(c, id[2], "nb", true, base), labs.ENotFound)

	n, err := s.CountAdmins(c)
	must(t, err)
	if n != 1 {
		t.Fatalf("CountAdmins = %d, want 1", n)
	}
	a.Disabled = true
	must(t, s.UpdateAccount(c, a))
	if n, err = s.CountAdmins(c); err != nil || n != 0 {
		t.Fatalf("CountAdmins after disabling = %d, %v; want 0", n, err)
	}
}

func testAccountsPaging(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(7)
	// Insert out of order: listing order must come from the IDs.
	for _, i := range []int{3, 0, 6, 1, 5, 2, 4} {
		must(t, s.CreateAccount(c, newAccount(id[i], email(i))))
	}
	var seen []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("more pages than expected")
		}
		page, next, err := s.ListAccounts(c, labs.Page{After: after, Limit: 3})
		must(t, err)
		for _, a := range page {
			seen = append(seen, a.ID)
		}
		if next == "" {
			break
		}
		after = next
	}
	if !reflect.DeepEqual(seen, id) {
		t.Fatalf("paged IDs = %v, want %v", seen, id)
	}
}
