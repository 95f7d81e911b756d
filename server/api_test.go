package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

// TestAPIScenarios is the declarative table of who may call what, and
// what bad input gets: each row signs in as someone, makes one request and
// checks status and error code. Rows run against both engines.
func TestAPIScenarios(t *testing.T) {
	type scenario struct {
		name       string
		who        string // "", "admin", "facA", "mgrA", "mgrB"
		method     string
		path       string // {A} and {B} stand for the two labs' IDs
		body       any
		header     []string
		wantStatus int
		wantCode   string
	}
	newLab := map[string]any{"slug": "latvia", "country": "LV", "title": "Latvia", "targetGroup": "youths", "languages": []string{"lv"}}
	scenarios := []scenario{
		{"anonymous lists labs", "", "GET", "/api/labs", nil, nil, 401, labs.EUnauthenticated},
		{"anonymous reads a lab", "", "GET", "/api/labs/{A}", nil, nil, 401, labs.EUnauthenticated},
		{"anonymous lists accounts", "", "GET", "/api/admin/accounts", nil, nil, 401, labs.EUnauthenticated},
		{"anonymous reads the session", "", "GET", "/api/auth/session", nil, nil, 401, labs.EUnauthenticated},
		{"anonymous reads the API description", "", "GET", "/api/openapi.yaml", nil, nil, 200, ""},
		{"anonymous renders Markdown", "", "POST", "/api/preview", map[string]any{"text": "hi"}, nil, 401, labs.EUnauthenticated},
		{"member renders Markdown", "mgrA", "POST", "/api/preview", map[string]any{"text": "**hi**"}, nil, 200, ""},
		{"member renders a text longer than a section", "mgrA", "POST", "/api/preview", map[string]any{"text": strings.Repeat("😀", labs.MaxSectionLength/2+1)}, nil, 413, labs.ETooLarge},
		{"member renders without text", "mgrA", "POST", "/api/preview", map[string]any{"body": "hi"}, nil, 400, labs.EInvalid},
		{"member lists accounts", "mgrA", "GET", "/api/admin/accounts", nil, nil, 403, labs.EForbidden},
		{"member creates a lab", "mgrA", "POST", "/api/labs", newLab, nil, 403, labs.EForbidden},
		{"member reads own lab", "mgrA", "GET", "/api/labs/{A}", nil, nil, 200, ""},
		{"member reads another country's lab (its page is for its members, partners and admins)", "mgrA", "GET", "/api/labs/{B}", nil, nil, 404, labs.ENotFound},
		{"member lists another lab's members", "mgrA", "GET", "/api/labs/{B}/members", nil, nil, 404, labs.ENotFound},
		{"member lists own lab's members", "mgrA", "GET", "/api/labs/{A}/members", nil, nil, 200, ""},
		{"participant invites", "mgrA", "POST", "/api/labs/{A}/invitations", map[string]any{"role": "manager"}, nil, 403, labs.EForbidden},
		{"facilitator invites to another lab", "facA", "POST", "/api/labs/{B}/invitations", map[string]any{"role": "manager"}, nil, 404, labs.ENotFound},
		{"facilitator invites", "facA", "POST", "/api/labs/{A}/invitations", map[string]any{"role": "manager"}, nil, 201, ""},
		{"facilitator invites with a bad role", "facA", "POST", "/api/labs/{A}/invitations", map[string]any{"role": "king"}, nil, 400, labs.EInvalid},
		{"facilitator updates the lab", "facA", "PATCH", "/api/labs/{A}", map[string]any{"title": "x"}, nil, 403, labs.EForbidden},
		{"admin lists accounts", "admin", "GET", "/api/admin/accounts", nil, nil, 200, ""},
		{"admin reads a lab", "admin", "GET", "/api/labs/{B}", nil, nil, 200, ""},
		{"admin creates a lab", "admin", "POST", "/api/labs", newLab, nil, 201, ""},
		{"admin creates a lab with a taken slug", "admin", "POST", "/api/labs", map[string]any{"slug": "norway", "country": "NO", "title": "Again", "targetGroup": "families"}, nil, 409, labs.EConflict},
		{"admin creates a lab with a bad country", "admin", "POST", "/api/labs", map[string]any{"slug": "x", "country": "Norway", "title": "X", "targetGroup": "families"}, nil, 400, labs.EInvalid},
		{"admin creates a lab with an unknown field", "admin", "POST", "/api/labs", map[string]any{"slug": "x", "colour": "red"}, nil, 400, labs.EInvalid},
		{"admin sends broken JSON", "admin", "POST", "/api/labs", []byte(`{"slug":`), nil, 400, labs.EInvalid},
		{"admin sends form data", "admin", "POST", "/api/labs", []byte(`slug=x`), []string{"Content-Type", "application/x-www-form-urlencoded"}, 400, labs.EInvalid},
		{"admin reads a lab that does not exist", "admin", "GET", "/api/labs/" + labs.NewID(time.Now()), nil, nil, 404, labs.ENotFound},
		{"admin reads a malformed lab ID", "admin", "GET", "/api/labs/..%2f..%2fetc", nil, nil, 400, labs.EInvalid},
		{"admin pages with a bad limit", "admin", "GET", "/api/admin/accounts?limit=100000", nil, nil, 400, labs.EInvalid},
		{"a route that does not exist", "admin", "GET", "/api/nothing-here", nil, nil, 404, labs.ENotFound},
		{"state change without the CSRF header", "admin", "POST", "/api/labs", newLab, []string{"X-CSRF-Token", ""}, 403, labs.EForbidden},
		{"state change with a wrong CSRF header", "admin", "POST", "/api/labs", newLab, []string{"X-CSRF-Token", "guess"}, 403, labs.EForbidden},
		{"cross-site sign-in", "", "POST", "/api/auth/sign-in", map[string]string{"email": "admin@example.org", "password": password}, []string{"Origin", "https://evil.example"}, 403, labs.EForbidden},
		{"sign-in with a wrong password", "", "POST", "/api/auth/sign-in", map[string]string{"email": "admin@example.org", "password": "wrong password"}, nil, 401, labs.EUnauthenticated},
		{"sign-in with an unknown e-mail", "", "POST", "/api/auth/sign-in", map[string]string{"email": "nobody@example.org", "password": password}, nil, 401, labs.EUnauthenticated},
	}
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		emails := map[string]string{"admin": w.admin.Email, "facA": w.facA.Email, "mgrA": w.mgrA.Email, "mgrB": w.mgrB.Email}
		for i, sc := range scenarios {
			t.Run(fmt.Sprintf("%02d_%s", i, sc.name), func(t *testing.T) {
				c := ts.client(t)
				if sc.who != "" {
					c.mustSignIn(emails[sc.who], password)
				}
				path := strings.NewReplacer("{A}", w.labA.ID, "{B}", w.labB.ID).Replace(sc.path)
				r := c.do(sc.method, path, sc.body, sc.header...)
				if r.Status != sc.wantStatus || r.errorCode() != sc.wantCode {
					t.Fatalf("%s %s: got %d %q, want %d %q\n%s", sc.method, path, r.Status, r.errorCode(), sc.wantStatus, sc.wantCode, r.Body)
				}
				if sc.wantCode != "" && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
					t.Fatalf("error response is %q, not JSON", r.Header.Get("Content-Type"))
				}
			})
		}
	})
}

// TestRefusedRequestsChangeNothing: a refused lab creation (no CSRF
// token, not allowed, invalid) leaves the store as it was.
func TestRefusedRequestsChangeNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		before, _, err := ts.Store.ListLabs(context.Background(), labs.Page{})
		if err != nil {
			t.Fatal(err)
		}
		body := map[string]any{"slug": "latvia", "country": "LV", "title": "Latvia", "targetGroup": "youths"}
		admin := ts.client(t)
		admin.mustSignIn(w.admin.Email, password)
		if r := admin.do("POST", "/api/labs", body, "X-CSRF-Token", ""); r.Status != 403 {
			t.Fatalf("without CSRF token: %d", r.Status)
		}
		mgr := ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		if r := mgr.do("POST", "/api/labs", body); r.Status != 403 {
			t.Fatalf("as a manager: %d", r.Status)
		}
		bad := map[string]any{"slug": "latvia", "country": "LV", "title": "", "targetGroup": "youths"}
		if r := admin.do("POST", "/api/labs", bad); r.Status != 400 {
			t.Fatalf("invalid: %d", r.Status)
		}
		if r := admin.do("PATCH", "/api/labs/"+w.labA.ID, map[string]any{"title": "Changed"}, "X-CSRF-Token", ""); r.Status != 403 {
			t.Fatalf("update without CSRF token: %d", r.Status)
		}
		after, _, err := ts.Store.ListLabs(context.Background(), labs.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Fatalf("%d labs before, %d after refused requests", len(before), len(after))
		}
		if l, _ := ts.Store.Lab(context.Background(), w.labA.ID); l.Title != w.labA.Title {
			t.Fatalf("refused update changed the title to %q", l.Title)
		}
		// The same request with the token goes through: the refusals above
		// were about the token, not the request.
		if r := admin.do("POST", "/api/labs", body); r.Status != http.StatusCreated {
			t.Fatalf("with CSRF token: %d %s", r.Status, r.Body)
		}
	})
}

// TestBodyLimit: a body over the limit is refused with too_large and
// changes nothing. The limit is small here so that the whole body fits in
// the socket buffers: a server that refuses early closes the connection,
// and a client still writing a multi-megabyte body would see a reset
// instead of the answer.
func TestBodyLimit(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ts := mustServe(t, e.open(t), func(c *serverConfig) { c.BodyLimit = 4096 })
			w := ts.seed(t)
			admin := ts.client(t)
			admin.mustSignIn(w.admin.Email, password)
			big := []byte(`{"slug":"big","country":"NO","title":"Big","targetGroup":"families","description":"` + strings.Repeat("a", 16<<10) + `"}`)
			r := admin.do("POST", "/api/labs", big)
			if r.Status != 413 || r.errorCode() != labs.ETooLarge {
				t.Fatalf("oversized body: %d %s", r.Status, r.Body)
			}
			if _, err := ts.Store.LabBySlug(context.Background(), "big"); !labs.IsCode(err, labs.ENotFound) {
				t.Fatalf("an oversized request created a lab: %v", err)
			}
			// A field over its own limit inside an acceptable body.
			long := map[string]any{"slug": "long", "country": "NO", "title": strings.Repeat("t", 1000), "targetGroup": "families"}
			if r := admin.do("POST", "/api/labs", long); r.Status != 413 || r.errorCode() != labs.ETooLarge {
				t.Fatalf("over-long title: %d %s", r.Status, r.Body)
			}
		})
	}
}
