package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/server"
)

func cookieOf(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == server.SessionCookie {
			return c
		}
	}
	return nil
}

func TestSessionCookie(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		c := ts.client(t)
		r := c.signIn(w.mgrA.Email, password)
		ck := cookieOf(r)
		if r.Status != 200 || ck == nil {
			t.Fatalf("sign in: %d, cookie %v", r.Status, ck)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
			t.Fatalf("cookie flags: HttpOnly=%v SameSite=%v Secure=%v Path=%q", ck.HttpOnly, ck.SameSite, ck.Secure, ck.Path)
		}
		// Rotated at sign-in: signing in again in the same browser ends the
		// old session.
		old := ck.Value
		r = c.signIn(w.mgrA.Email, password)
		if nw := cookieOf(r); nw == nil || nw.Value == old {
			t.Fatal("sign-in did not issue a new session token")
		}
		stale := ts.client(t)
		stale.http.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: server.SessionCookie, Value: old}})
		if r := stale.do("GET", "/api/auth/session", nil); r.Status != 401 {
			t.Fatalf("old session after a new sign-in: %d, want 401", r.Status)
		}
		// Revoked at sign-out, on the server: the token no longer works.
		cur := currentCookie(t, c, ts)
		if r := c.do("POST", "/api/auth/sign-out", nil); r.Status != 204 {
			t.Fatalf("sign out: %d %s", r.Status, r.Body)
		}
		replay := ts.client(t)
		replay.http.Jar.SetCookies(mustURL(t, ts.URL), []*http.Cookie{{Name: server.SessionCookie, Value: cur}})
		if r := replay.do("GET", "/api/auth/session", nil); r.Status != 401 {
			t.Fatalf("session after sign-out: %d, want 401", r.Status)
		}
		// Sessions expire.
		c.mustSignIn(w.mgrA.Email, password)
		ts.advance(15 * 24 * time.Hour)
		if r := c.do("GET", "/api/auth/session", nil); r.Status != 401 {
			t.Fatalf("session after 15 days: %d, want 401", r.Status)
		}
	})
}

func currentCookie(t *testing.T, c *client, ts *testServer) string {
	for _, ck := range c.http.Jar.Cookies(mustURL(t, ts.URL)) {
		if ck.Name == server.SessionCookie {
			return ck.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestSecureCookieBehindHTTPS(t *testing.T) {
	ts := mustServe(t, engines[0].open(t), func(c *serverConfig) { c.BaseURL = "https://lab.example.org" })
	w := ts.seed(t)
	c := ts.client(t)
	r := c.do("POST", "/api/auth/sign-in", map[string]string{"email": w.mgrA.Email, "password": password})
	if ck := cookieOf(r); r.Status != 200 || ck == nil || !ck.Secure {
		t.Fatalf("behind https the cookie must be Secure: %d %+v", r.Status, ck)
	}
	if r.Header.Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS header behind https")
	}
}

func TestSignInRateLimits(t *testing.T) {
	ts := mustServe(t, engines[0].open(t), func(c *serverConfig) { c.SignInPerAccount = 3; c.SignInPerAddress = 100 })
	w := ts.seed(t)
	c := ts.client(t)
	for i := range 3 {
		if r := c.signIn(w.mgrA.Email, "wrong password "); r.Status != 401 {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
	}
	r := c.signIn(w.mgrA.Email, password)
	if r.Status != 429 || r.errorCode() != labs.ERateLimited || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th attempt for the account: %d %s (Retry-After %q)", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	// Another account from the same address is not affected...
	if r := c.signIn(w.mgrB.Email, password); r.Status != 200 {
		t.Fatalf("another account: %d", r.Status)
	}
	// ...and the limit refills with time.
	ts.advance(time.Minute)
	if r := c.signIn(w.mgrA.Email, password); r.Status != 200 {
		t.Fatalf("after a minute: %d %s", r.Status, r.Body)
	}

	ts2 := mustServe(t, engines[0].open(t), func(c *serverConfig) { c.SignInPerAddress = 2 })
	c2 := ts2.client(t)
	c2.signIn("a@example.org", "x")
	c2.signIn("b@example.org", "x")
	if r := c2.signIn("c@example.org", "x"); r.Status != 429 {
		t.Fatalf("3rd attempt from one address with limit 2: %d", r.Status)
	}
}

func TestInvitationFlow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		r := fac.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "service_user"})
		var inv struct{ ID, Link string }
		r.json(t, &inv)
		if r.Status != 201 || !strings.HasPrefix(inv.Link, ts.URL+"/invite#") {
			t.Fatalf("create invitation: %d %s", r.Status, r.Body)
		}
		token := strings.TrimPrefix(inv.Link, ts.URL+"/invite#")

		guest := ts.client(t)
		r = guest.do("POST", "/api/invitations/preview", map[string]string{"token": token})
		var preview struct {
			Role string
			Lab  struct{ Title string }
		}
		r.json(t, &preview)
		if r.Status != 200 || preview.Role != "service_user" || preview.Lab.Title != w.labA.Title {
			t.Fatalf("preview: %d %s", r.Status, r.Body)
		}
		if r := guest.do("POST", "/api/invitations/preview", map[string]string{"token": "not-a-token"}); r.Status != 404 {
			t.Fatalf("preview of a bad token: %d", r.Status)
		}
		// A tampered link: one character of the token changed.
		tampered := []byte(token)
		tampered[len(tampered)/2] ^= 1
		for path, body := range map[string]map[string]any{
			"/api/invitations/preview": {"token": string(tampered)},
			"/api/invitations/accept":  {"token": string(tampered), "email": "t@example.org", "password": password, "displayName": "T"},
		} {
			r := guest.do("POST", path, body)
			if r.Status != 404 {
				t.Fatalf("%s with a tampered token: %d %s", path, r.Status, r.Body)
			}
		}
		// Bad input changes nothing: the invitation stays usable.
		bad := map[string]any{"token": token, "email": "parent@example.org", "password": "short", "displayName": "Parent", "stakeholderLevel": "micro"}
		if r := guest.do("POST", "/api/invitations/accept", bad); r.Status != 400 {
			t.Fatalf("accept with a short password: %d %s", r.Status, r.Body)
		}
		good := map[string]any{"token": token, "email": "parent@example.org", "password": password, "displayName": "Blue bird", "stakeholderLevel": "micro"}
		r = guest.do("POST", "/api/invitations/accept", good)
		if r.Status != 201 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		var sess struct {
			CSRFToken   string
			Memberships []struct{ LabID, Role, DisplayName string }
		}
		r.json(t, &sess)
		if len(sess.Memberships) != 1 || sess.Memberships[0].Role != "service_user" || sess.Memberships[0].DisplayName != "Blue bird" {
			t.Fatalf("after accepting: %s", r.Body)
		}
		guest.csrf = sess.CSRFToken
		if r := guest.do("GET", "/api/labs/"+w.labA.ID, nil); r.Status != 200 {
			t.Fatalf("new member reads the lab: %d", r.Status)
		}
		// Single use.
		again := ts.client(t)
		good["email"] = "other@example.org"
		if r := again.do("POST", "/api/invitations/accept", good); r.Status != 409 {
			t.Fatalf("second use: %d %s", r.Status, r.Body)
		}
		// Expiring.
		r = fac.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "manager", "expiresInDays": 1})
		r.json(t, &inv)
		ts.advance(25 * time.Hour)
		late := map[string]any{"token": strings.TrimPrefix(inv.Link, ts.URL+"/invite#"), "email": "late@example.org",
			"password": password, "displayName": "Late", "stakeholderLevel": "meso"}
		if r := ts.client(t).do("POST", "/api/invitations/accept", late); r.Status != 403 {
			t.Fatalf("expired invitation: %d %s", r.Status, r.Body)
		}
		if _, err := ts.Store.AccountByEmail(context.Background(), "late@example.org"); !labs.IsCode(err, labs.ENotFound) {
			t.Fatalf("an expired invitation created an account: %v", err)
		}

		// Sectors: the older spelling an invitation took is the sector it
		// meant, so the member can later change their name; a service user
		// records none.
		r = fac.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "manager"})
		r.json(t, &inv)
		staff := map[string]any{"token": strings.TrimPrefix(inv.Link, ts.URL+"/invite#"), "email": "staff@example.org",
			"password": password, "displayName": "Staff", "stakeholderLevel": "meso", "sector": "social_services"}
		staffC := ts.client(t)
		r = staffC.do("POST", "/api/invitations/accept", staff)
		if r.Status != 201 {
			t.Fatalf("accept with a sector: %d %s", r.Status, r.Body)
		}
		r.json(t, &sess)
		staffC.csrf = sess.CSRFToken
		if r := staffC.do("PATCH", "/api/labs/"+w.labA.ID+"/members/me", map[string]any{"displayName": "Staff member"}); r.Status != 200 ||
			!strings.Contains(string(r.Body), `"sector":"social-services"`) {
			t.Fatalf("a member invited with a sector changes their name: %d %s", r.Status, r.Body)
		}
		r = fac.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "service_user"})
		r.json(t, &inv)
		user := map[string]any{"token": strings.TrimPrefix(inv.Link, ts.URL+"/invite#"), "email": "user@example.org",
			"password": password, "displayName": "User", "stakeholderLevel": "micro", "sector": "health"}
		if r := ts.client(t).do("POST", "/api/invitations/accept", user); r.Status != 400 || !strings.Contains(string(r.Body), "service users") {
			t.Fatalf("a service user with a sector: %d %s", r.Status, r.Body)
		}

		// Revoking: by the lab's facilitator, of an unused invitation only;
		// the link stops working at once.
		r = fac.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "policymaker"})
		r.json(t, &inv)
		wrong := map[string]any{"token": strings.TrimPrefix(inv.Link, ts.URL+"/invite#"), "email": "wrong@example.org",
			"password": password, "displayName": "Wrong", "stakeholderLevel": "macro"}
		revoke := "/api/labs/" + w.labA.ID + "/invitations/" + inv.ID
		mgr := ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		if r := mgr.do("DELETE", revoke, nil); r.Status != 403 {
			t.Fatalf("a member revokes: %d %s", r.Status, r.Body)
		}
		otherLab := ts.client(t)
		otherLab.mustSignIn(w.mgrB.Email, password)
		if r := otherLab.do("DELETE", revoke, nil); r.Status != 404 {
			t.Fatalf("another lab's member revokes: %d %s", r.Status, r.Body)
		}
		if r := fac.do("DELETE", "/api/labs/"+w.labA.ID+"/invitations/not-an-id", nil); r.Status != 400 {
			t.Fatalf("revoke with a bad ID: %d %s", r.Status, r.Body)
		}
		if r := fac.do("DELETE", revoke, nil); r.Status != 204 {
			t.Fatalf("revoke: %d %s", r.Status, r.Body)
		}
		if r := fac.do("DELETE", revoke, nil); r.Status != 404 || !strings.Contains(string(r.Body), "not_found") {
			t.Fatalf("revoke twice: %d %s", r.Status, r.Body)
		}
		if r := ts.client(t).do("POST", "/api/invitations/accept", wrong); r.Status != 404 {
			t.Fatalf("accepting a revoked invitation: %d %s", r.Status, r.Body)
		}
		if r := fac.do("DELETE", "/api/labs/"+w.labA.ID+"/invitations/"+sess.Memberships[0].LabID, nil); r.Status != 404 {
			t.Fatalf("revoke an ID that is no invitation: %d %s", r.Status, r.Body)
		}
		var listed struct{ Items []struct{ ID, UsedAt string } }
		fac.do("GET", "/api/labs/"+w.labA.ID+"/invitations", nil).json(t, &listed)
		for _, it := range listed.Items {
			if it.ID == inv.ID {
				t.Fatalf("a revoked invitation is still listed: %+v", listed)
			}
			if it.UsedAt != "" {
				if r := fac.do("DELETE", "/api/labs/"+w.labA.ID+"/invitations/"+it.ID, nil); r.Status != 409 {
					t.Fatalf("revoke a used invitation: %d %s", r.Status, r.Body)
				}
			}
		}
		r = fac.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if !strings.Contains(string(r.Body), "invitation.revoke") {
			t.Fatalf("the audit log lacks the revocation: %s", r.Body)
		}
	})
}

func TestAccountInvitationForExistingMember(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	admin := ts.client(t)
	admin.mustSignIn(w.admin.Email, password)
	// An admin invites mgrB into lab A; mgrB, signed in, accepts and joins.
	r := admin.do("POST", "/api/labs/"+w.labA.ID+"/invitations", map[string]any{"role": "policymaker", "email": w.mgrB.Email})
	var inv struct{ Link string }
	r.json(t, &inv)
	if r.Status != 201 {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	token := inv.Link[strings.Index(inv.Link, "#")+1:]
	other := ts.client(t)
	other.mustSignIn(w.mgrA.Email, password)
	if r := other.do("POST", "/api/invitations/accept", map[string]any{"token": token, "stakeholderLevel": "macro"}); r.Status != 403 {
		t.Fatalf("someone else accepting an invitation for another address: %d %s", r.Status, r.Body)
	}
	b := ts.client(t)
	b.mustSignIn(w.mgrB.Email, password)
	if r := b.do("POST", "/api/invitations/accept", map[string]any{"token": token, "stakeholderLevel": "macro"}); r.Status != 200 {
		t.Fatalf("accept as a signed-in person: %d %s", r.Status, r.Body)
	}
	m, err := ts.Store.Membership(context.Background(), w.labA.ID, w.mgrB.ID)
	if err != nil || m.Role != labs.RolePolicymaker {
		t.Fatalf("membership = %+v, %v", m, err)
	}
}

func TestAdminAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		r := admin.do("POST", "/api/admin/accounts", map[string]any{"email": "New@Example.org", "displayName": "New", "password": password})
		var acc struct{ ID, Email string }
		r.json(t, &acc)
		if r.Status != 201 || acc.Email != "new@example.org" || strings.Contains(string(r.Body), "argon2") {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		if r := admin.do("POST", "/api/admin/accounts", map[string]any{"email": "new@example.org", "displayName": "Dup", "password": password}); r.Status != 409 {
			t.Fatalf("duplicate e-mail: %d", r.Status)
		}
		// Disabling ends the person's sessions.
		victim := ts.client(t)
		victim.mustSignIn("new@example.org", password)
		if r := admin.do("PATCH", "/api/admin/accounts/"+acc.ID, map[string]any{"disabled": true}); r.Status != 200 {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if r := victim.do("GET", "/api/auth/session", nil); r.Status != 401 {
			t.Fatalf("disabled person's session: %d", r.Status)
		}
		if r := victim.signIn("new@example.org", password); r.Status != 403 {
			t.Fatalf("disabled person signs in: %d", r.Status)
		}
		// The last admin cannot stop being one.
		if r := admin.do("PATCH", "/api/admin/accounts/"+w.admin.ID, map[string]any{"admin": false}); r.Status != 409 {
			t.Fatalf("demoting the last admin: %d %s", r.Status, r.Body)
		}
		// Admins manage labs but are not members: the labs list shows every
		// lab without a role.
		r = admin.do("GET", "/api/labs", nil)
		var list struct{ Items []struct{ ID, MyRole string } }
		r.json(t, &list)
		if len(list.Items) != 2 || list.Items[0].MyRole != "" {
			t.Fatalf("admin's labs: %s", r.Body)
		}
		mgr := ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		mgr.do("GET", "/api/labs", nil).json(t, &list)
		if len(list.Items) != 1 || list.Items[0].ID != w.labA.ID || list.Items[0].MyRole != "manager" {
			t.Fatalf("manager's labs: %+v", list)
		}
	})
}

// TestPreferencesFollowThePerson: language and plain view are kept on the
// account (a new session on another device has them), and bad values are
// refused with nothing changed. (That saving them leaves the rest of the
// account alone is the store conformance suite's SetPreferences check.)
func TestPreferencesFollowThePerson(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		type prefs struct {
			Language  string
			PlainView bool
		}
		session := func(c *client) prefs {
			var s struct{ Preferences prefs }
			c.do("GET", "/api/auth/session", nil).json(t, &s)
			return s.Preferences
		}
		if r := ts.client(t).do("PATCH", "/api/auth/preferences", map[string]any{"language": "nb"}); r.Status != 401 {
			t.Fatalf("signed out: %d %s", r.Status, r.Body)
		}
		phone := ts.client(t)
		phone.mustSignIn(w.mgrA.Email, password)
		if got := session(phone); got != (prefs{}) {
			t.Fatalf("new account's preferences: %+v", got)
		}
		if r := phone.do("PATCH", "/api/auth/preferences", map[string]any{"language": "nb", "plainView": true}); r.Status != 200 {
			t.Fatalf("set: %d %s", r.Status, r.Body)
		}
		for _, bad := range []struct {
			body   map[string]any
			status int
		}{
			{map[string]any{"language": "Norwegian"}, 400}, {map[string]any{"language": "nb-no"}, 400},
			{map[string]any{"language": "n"}, 400}, {map[string]any{"language": strings.Repeat("a", 100)}, 413},
			{map[string]any{"language": "sr-cyrl"}, 400}, {map[string]any{"language": "sr-CYRL"}, 400},
			{map[string]any{"plainView": "yes"}, 400}, {map[string]any{"theme": "dark"}, 400},
		} {
			r := phone.do("PATCH", "/api/auth/preferences", bad.body)
			if r.Status != bad.status || !strings.Contains(string(r.Body), `"code"`) {
				t.Fatalf("%v: %d %s", bad.body, r.Status, r.Body)
			}
		}
		if got := session(phone); got != (prefs{Language: "nb", PlainView: true}) {
			t.Fatalf("preferences after refused changes: %+v", got)
		}
		// A script is a language's second part, as a region is.
		if r := phone.do("PATCH", "/api/auth/preferences", map[string]any{"language": "sr-Cyrl"}); r.Status != 200 {
			t.Fatalf("set a script: %d %s", r.Status, r.Body)
		}
		// Only what is sent changes.
		if r := phone.do("PATCH", "/api/auth/preferences", map[string]any{"language": "pt-BR"}); r.Status != 200 {
			t.Fatalf("set language: %d %s", r.Status, r.Body)
		}
		laptop := ts.client(t)
		laptop.mustSignIn(w.mgrA.Email, password)
		if got := session(laptop); got != (prefs{Language: "pt-BR", PlainView: true}) {
			t.Fatalf("preferences on another device: %+v", got)
		}
	})
}

// TestErrorReasons: the errors people meet say what went wrong by a
// stable reason, which the app words in the person's language; other
// errors have none.
func TestErrorReasons(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	c := ts.client(t)
	type errorBody struct {
		Error struct{ Code, Reason, Message string }
	}
	cases := []struct {
		method, path string
		in           any
		code, reason string
	}{
		{"POST", "/api/auth/sign-in", map[string]string{"email": w.mgrA.Email, "password": "not the password"}, "unauthenticated", "sign_in_failed"},
		{"GET", "/api/labs", nil, "unauthenticated", "signed_out"},
		{"GET", "/api/no-such-route", nil, "not_found", ""},
	}
	for _, k := range cases {
		r := c.do(k.method, k.path, k.in)
		var body errorBody
		r.json(t, &body)
		if body.Error.Code != k.code || body.Error.Reason != k.reason || body.Error.Message == "" {
			t.Errorf("%s %s: %d %s, want code %s reason %q", k.method, k.path, r.Status, r.Body, k.code, k.reason)
		}
	}
}

// TestAdminFindsAccounts: the administrator's list pages through the
// accounts and finds them by words of their name or address, capitals and
// accents aside, page after page with no account twice or missed.
func TestAdminFindsAccounts(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		for i := range 7 {
			name := fmt.Sprintf("Žaklina Đurić %d", i)
			if i%2 == 1 {
				name = fmt.Sprintf("Ola Nordmann %d", i)
			}
			if r := admin.do("POST", "/api/admin/accounts", map[string]any{"email": fmt.Sprintf("person%d@example.org", i), "displayName": name, "password": password}); r.Status != 201 {
				t.Fatalf("create: %d %s", r.Status, r.Body)
			}
		}
		find := func(q string) []string {
			var names []string
			for after := ""; ; {
				var page struct {
					Items []struct{ DisplayName string }
					Next  string
				}
				r := admin.do("GET", "/api/admin/accounts?limit=2&q="+url.QueryEscape(q)+"&after="+after, nil)
				r.json(t, &page)
				if r.Status != 200 || len(page.Items) > 2 {
					t.Fatalf("%q: %d %s", q, r.Status, r.Body)
				}
				for _, it := range page.Items {
					names = append(names, it.DisplayName)
				}
				if page.Next == "" {
					return names
				}
				after = page.Next
			}
		}
		if got := find("zaklina DJURIC"); len(got) != 4 || !strings.HasPrefix(got[0], "Žaklina Đurić") {
			t.Errorf("by a name typed without accents: %v", got)
		}
		if got := find("person3@"); len(got) != 1 || got[0] != "Ola Nordmann 3" {
			t.Errorf("by an address: %v", got)
		}
		if got := find("nobody-has-this"); len(got) != 0 {
			t.Errorf("no match: %v", got)
		}
		if got := find(""); len(got) != 7+4 {
			t.Errorf("everyone: %d %v", len(got), got)
		}
		if r := admin.do("GET", "/api/admin/accounts?q="+strings.Repeat("x", 201), nil); r.Status != 400 && r.Status != 413 {
			t.Errorf("a long query: %d", r.Status)
		}
	})
}
