package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/server"
	"github.com/linklab/linklab/store/mongo"
	"github.com/linklab/linklab/store/mongo/mongotest"
	"github.com/linklab/linklab/store/sqlite"
)

var mongoURI string

func TestMain(m *testing.M) { os.Exit(mongotest.RunTests(m, &mongoURI)) }

// engines are the stores every API scenario runs against.
var engines = []struct {
	name string
	open func(tb testing.TB) labs.Store
}{
	{"sqlite", func(tb testing.TB) labs.Store {
		s, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(tb.TempDir(), sqlite.FileName)})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.Close() })
		return s
	}},
	{"mongo", func(tb testing.TB) labs.Store {
		s, err := mongo.Open(context.Background(), mongo.Config{URI: mongoURI, WriteConcern: "1",
			Database: fmt.Sprintf("server_test_%d_%d", time.Now().UnixNano(), dbSeq.Add(1))})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { s.DropDatabase(context.Background()); s.Close() })
		return s
	}},
}

var dbSeq atomic.Int64

// cheap argon2 parameters: the tests check behaviour, not hashing cost.
var cheap = auth.Hasher{Params: auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}}

// testServer is a real server on a loopback port over a real store.
type testServer struct {
	URL   string
	Store labs.Store
	Auth  *auth.Service
	Srv   *server.Server
	now   atomic.Pointer[time.Time]
}

type serverConfig = server.Config

type option func(*serverConfig)

func mustServe(tb testing.TB, store labs.Store, opts ...option) *testServer {
	tb.Helper()
	ts, ln := mustBuild(tb, store, opts...)
	go ts.Srv.Serve(ln)
	tb.Cleanup(func() { ts.Srv.Shutdown(context.Background()) })
	return ts
}

// mustBuild builds a server and its listener without serving yet.
func mustBuild(tb testing.TB, store labs.Store, opts ...option) (*testServer, net.Listener) {
	tb.Helper()
	ts := &testServer{Store: store}
	start := time.Now()
	ts.now.Store(&start)
	now := func() time.Time { return *ts.now.Load() }
	svc, err := auth.New(auth.Config{Store: store, Hasher: cheap, Now: now})
	if err != nil {
		tb.Fatal(err)
	}
	enf, _, err := policies.New(context.Background(), store)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ts.URL = "http://" + ln.Addr().String()
	cfg := server.Config{Store: store, Auth: svc, Enforcer: enf, BaseURL: ts.URL, Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := server.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ts.Auth, ts.Srv = svc, srv
	tb.Cleanup(func() { ln.Close() })
	return ts, ln
}

func mustURL(tb testing.TB, raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// advance moves the fake clock.
func (ts *testServer) advance(d time.Duration) {
	t := ts.now.Load().Add(d)
	ts.now.Store(&t)
}

// client is a browser: a cookie jar and the CSRF token of its session.
type client struct {
	tb   testing.TB
	ts   *testServer
	http *http.Client
	csrf string
}

func (ts *testServer) client(tb testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{tb: tb, ts: ts, http: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorCode returns the API error code of the response, or "".
func (r response) errorCode() string {
	var e struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// do sends a request. body is marshalled to JSON unless it is a []byte.
// The session's CSRF token is sent unless header says otherwise.
func (c *client) do(method, path string, body any, header ...string) response {
	c.tb.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(body); err != nil {
				c.tb.Fatal(err)
			}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.ts.URL+path, rd)
	if err != nil {
		c.tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set(server.CSRFHeader, c.csrf)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.tb.Fatal(err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// signIn signs the client in and keeps its CSRF token.
func (c *client) signIn(email, password string) response {
	c.tb.Helper()
	r := c.do("POST", "/api/auth/sign-in", map[string]string{"email": email, "password": password})
	if r.Status == http.StatusOK {
		var s struct{ CSRFToken string }
		r.json(c.tb, &s)
		c.csrf = s.CSRFToken
	}
	return r
}

func (c *client) mustSignIn(email, password string) {
	c.tb.Helper()
	if r := c.signIn(email, password); r.Status != http.StatusOK {
		c.tb.Fatalf("sign in %s: %d %s", email, r.Status, r.Body)
	}
}

const password = "correct horse battery"

// world is a small fixture: an admin, and two labs each with a
// facilitator and a manager.
type world struct {
	admin            labs.Account
	labA, labB       labs.Lab
	facA, mgrA, mgrB labs.Account
}

func (ts *testServer) seed(tb testing.TB) world {
	tb.Helper()
	ctx := context.Background()
	mk := func(email string, admin bool) labs.Account {
		a, err := ts.Auth.CreateAccount(ctx, auth.NewAccount{Email: email, DisplayName: email[:3], Password: password, Admin: admin})
		if err != nil {
			tb.Fatal(err)
		}
		return a
	}
	lab := func(slug, country string) labs.Lab {
		now := ts.Auth.Now()
		l := labs.Lab{ID: labs.NewID(now), Slug: slug, Country: country, Title: "Lab " + slug, TargetGroup: labs.TargetFamilies,
			CreatedAt: now, UpdatedAt: now}
		if err := ts.Store.CreateLab(ctx, l); err != nil {
			tb.Fatal(err)
		}
		return l
	}
	join := func(l labs.Lab, a labs.Account, r labs.Role) {
		if err := ts.Store.AddMembership(ctx, labs.Membership{LabID: l.ID, AccountID: a.ID, Role: r, DisplayName: a.DisplayName,
			StakeholderLevel: labs.LevelMeso, JoinedAt: ts.Auth.Now()}); err != nil {
			tb.Fatal(err)
		}
	}
	w := world{admin: mk("admin@example.org", true), labA: lab("norway", "NO"), labB: lab("sweden", "SE"),
		facA: mk("fac@example.org", false), mgrA: mk("mgra@example.org", false), mgrB: mk("mgrb@example.org", false)}
	join(w.labA, w.facA, labs.RoleFacilitator)
	join(w.labA, w.mgrA, labs.RoleManager)
	join(w.labB, w.mgrB, labs.RoleManager)
	return w
}

// member creates an account that belongs to lab in role.
func (ts *testServer) member(tb testing.TB, lab labs.Lab, email string, role labs.Role) labs.Account {
	tb.Helper()
	ctx := context.Background()
	a, err := ts.Auth.CreateAccount(ctx, auth.NewAccount{Email: email, DisplayName: email[:5], Password: password})
	if err != nil {
		tb.Fatal(err)
	}
	if err := ts.Store.AddMembership(ctx, labs.Membership{LabID: lab.ID, AccountID: a.ID, Role: role, DisplayName: a.DisplayName,
		StakeholderLevel: labs.LevelMicro, JoinedAt: ts.Auth.Now()}); err != nil {
		tb.Fatal(err)
	}
	return a
}

// forEachEngine runs fn once per storage engine, each with its own server.
func forEachEngine(t *testing.T, fn func(t *testing.T, ts *testServer, w world)) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ts := mustServe(t, e.open(t))
			fn(t, ts, ts.seed(t))
		})
	}
}
