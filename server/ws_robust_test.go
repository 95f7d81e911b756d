package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/server"
)

// pushMsg is a push of one change.
func pushMsg(id int, doc labs.Document, version int, clientID string, seq int, changes any) map[string]any {
	return map[string]any{"type": "push", "id": id, "doc": doc.ID, "section": doc.Sections[0].ID, "version": version,
		"clientID": clientID, "updates": []any{map[string]any{"seq": seq, "changes": changes}}}
}

// sectionNow is the section's text and version as the server holds them.
func sectionNow(t *testing.T, ts *testServer, doc labs.Document) realtime.State {
	t.Helper()
	sec := doc.Sections[0]
	st, err := ts.Srv.SectionText(context.Background(), sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestEmptyKeptItemDoesNotCrashTheServer is the reproduction from the
// field, over websockets on both engines: a change with a kept item of
// length zero, then a change made against the version before it. The
// server answers both, and a new server over the same store (a restart)
// serves the section.
func TestEmptyKeptItemDoesNotCrashTheServer(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			store := e.open(t)
			ts := mustServe(t, store)
			w := ts.seed(t)
			doc := makeDoc(t, ts, w.labA, "hello")
			c := ts.client(t)
			c.mustSignIn(w.mgrA.Email, password)
			ws := c.mustDialWS()
			ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
			ws.next("subscribed")
			ws.send(pushMsg(2, doc, 0, "a", 1, []any{5, 0}))
			ws.next("pushed")
			ws.send(pushMsg(3, doc, 0, "b", 1, []any{5, []any{0, "x"}}))
			if m := ws.next("pushed", "error"); str(m["type"]) != "pushed" || num(m["version"]) != 2 {
				t.Fatalf("second push: %s", m["type"])
			}
			if st := sectionNow(t, ts, doc); st.Text != "hellox" || st.Version != 2 {
				t.Fatalf("text %q at %d", st.Text, st.Version)
			}
			// A restart over the same store loads and serves it; a
			// resuming client gets the stored change as the library writes it.
			again := mustServe(t, store)
			c2 := again.client(t)
			c2.mustSignIn(w.mgrA.Email, password)
			ws2 := c2.mustDialWS()
			ws2.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID, "versions": map[string]int{doc.Sections[0].ID: 0}})
			if m := ws2.next("update"); string(m["changes"]) != "[5]" {
				t.Fatalf("stored change resent as %s", m["changes"])
			}
			ws2.next("subscribed")
			ws2.send(pushMsg(2, doc, 1, "c", 1, []any{5, []any{0, "y"}}))
			if m := ws2.next("pushed", "error"); str(m["type"]) != "pushed" || num(m["version"]) != 3 {
				t.Fatalf("push after a restart: %s %s", m["type"], m["message"])
			}
		})
	}
}

// TestResentChangeIsNotAppliedTwice: "hello" pushed and confirmed, the
// section reloaded (subscribe without versions), then the same change sent
// again at the new version: recognised, answered, applied once. A new
// change reusing the seq is refused with a message and the request's id.
func TestResentChangeIsNotAppliedTwice(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "")
		c := ts.client(t)
		c.mustSignIn(w.mgrA.Email, password)
		ws := c.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
		ws.next("subscribed")
		ws.send(pushMsg(2, doc, 0, "tab", 1, []any{[]any{0, "hello"}}))
		ws.next("pushed")
		ws.send(map[string]any{"type": "subscribe", "id": 3, "doc": doc.ID})
		if m := ws.next("section"); str(m["text"]) != "hello" || num(m["version"]) != 1 {
			t.Fatalf("reloaded section %s at %d", m["text"], num(m["version"]))
		}
		ws.next("subscribed")
		for i, changes := range []any{[]any{[]any{0, "hello"}, 5}, []any{5, []any{0, "hello"}}} {
			ws.send(pushMsg(4+i, doc, 1, "tab", 1, changes))
			if m := ws.next("pushed", "error"); str(m["type"]) != "pushed" || num(m["version"]) != 1 || num(m["id"]) != 4+i {
				t.Fatalf("resent change: %s %s", m["type"], m["message"])
			}
		}
		ws.send(pushMsg(9, doc, 1, "tab", 1, []any{5, []any{0, " world"}}))
		m := ws.next("pushed", "error")
		if str(m["type"]) != "error" || str(m["code"]) != labs.EInvalid || num(m["id"]) != 9 || !strings.Contains(str(m["message"]), "seq") {
			t.Fatalf("new change reusing seq 1: %s %s %s (id %d)", m["type"], m["code"], m["message"], num(m["id"]))
		}
		if st := sectionNow(t, ts, doc); st.Text != "hello" || st.Version != 1 {
			t.Fatalf("text %q at %d, want hello at 1", st.Text, st.Version)
		}
		ws.send(pushMsg(10, doc, 1, "tab", 2, []any{5, []any{0, " world"}}))
		if m := ws.next("pushed", "error"); str(m["type"]) != "pushed" || num(m["version"]) != 2 {
			t.Fatalf("seq 2: %s %s", m["type"], m["message"])
		}
	})
}

// TestFarBehindClientCatchesUp: a client that slept through 9,000 changes
// (more than its send queue holds at once) resumes with the version it
// has and receives every change, in order, then subscribed: no 4008.
func TestFarBehindClientCatchesUp(t *testing.T) {
	const behind = 9000
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "")
		sec := doc.Sections[0].ID
		writer := ts.client(t)
		writer.mustSignIn(w.mgrA.Email, password)
		wws := writer.mustDialWS()
		wws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
		wws.next("subscribed")
		for v := 0; v < behind; v += realtime.MaxUpdatesPerPush {
			updates := make([]any, realtime.MaxUpdatesPerPush)
			for i := range updates {
				updates[i] = map[string]any{"seq": v + i + 1, "changes": []any{v + i, []any{0, "x"}}}
			}
			if v == 0 {
				updates[0] = map[string]any{"seq": 1, "changes": []any{[]any{0, "x"}}}
			}
			wws.send(map[string]any{"type": "push", "id": v + 2, "doc": doc.ID, "section": sec, "version": v, "clientID": "w", "updates": updates})
			if m := wws.next("pushed", "error"); str(m["type"]) != "pushed" {
				t.Fatalf("push at %d: %s", v, m["message"])
			}
		}
		sleeper := ts.client(t)
		sleeper.mustSignIn(w.mgrA.Email, password)
		ws := sleeper.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 7, "doc": doc.ID, "versions": map[string]int{sec: 0}})
		for v := 1; v <= behind; v++ {
			m := ws.next("update")
			if num(m["version"]) != v {
				t.Fatalf("update %d after %d", num(m["version"]), v-1)
			}
		}
		if m := ws.next("subscribed", "update"); str(m["type"]) != "subscribed" || num(m["id"]) != 7 {
			t.Fatalf("after catching up: %s", m["type"])
		}
	})
}

// TestRefusalsNameTheRequest: refusals before the message is understood
// (unreadable fields, the rate limit, a session that ended) repeat its id.
func TestRefusalsNameTheRequest(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		doc := makeDoc(t, ts, w.labA, "hello")
		c := ts.client(t)
		c.mustSignIn(w.mgrA.Email, password)
		ws := c.mustDialWS()
		ws.send([]byte(`{"type":"push","id":41,"doc":"` + doc.ID + `","version":"zero"}`))
		if m := ws.next("error"); num(m["id"]) != 41 || str(m["code"]) != labs.EInvalid || !strings.Contains(str(m["message"]), "version") {
			t.Fatalf("unreadable field: id %d, %s", num(m["id"]), m["message"])
		}
		ws.send([]byte(`{"id":42,"type":"push","updates":[{"seq":1,"changes":[1,`))
		if m := ws.next("error"); num(m["id"]) != 42 || str(m["code"]) != labs.EInvalid {
			t.Fatalf("cut-off JSON: id %d, %s", num(m["id"]), m["code"])
		}
		// Past the burst, each refusal names its request.
		var limited map[string]json.RawMessage
		for i := range 2*realtime.MessagesPerSecond + 15 {
			ws.send(map[string]any{"type": "ping", "id": 1000 + i})
		}
		for limited == nil {
			if m := ws.next("pong", "error"); str(m["type"]) == "error" {
				limited = m
			}
		}
		if str(limited["code"]) != labs.ERateLimited || num(limited["id"]) < 1000 {
			t.Fatalf("rate limited: %s id %d", limited["code"], num(limited["id"]))
		}
		// Once the session has ended where this server did not see it end
		// (another instance, the store): the next message is refused with
		// its id.
		c2 := ts.client(t)
		c2.mustSignIn(w.mgrA.Email, password)
		ws2 := c2.mustDialWS()
		for _, ck := range c2.http.Jar.Cookies(mustURL(t, ts.URL)) {
			if ck.Name == server.SessionCookie {
				if err := ts.Store.DeleteSession(context.Background(), auth.HashToken(ck.Value)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for id := 100; ; id++ {
			ws2.send(map[string]any{"type": "ping", "id": id})
			if m := ws2.next("pong", "error"); str(m["type"]) == "error" {
				if num(m["id"]) != id || str(m["code"]) != labs.EUnauthenticated {
					t.Fatalf("signed out: id %d (sent %d), %s", num(m["id"]), id, m["code"])
				}
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// TestWebsocketsPerSessionAreLimited: one sign-in cannot hold more than
// its share of connections; closing one makes room again.
func TestWebsocketsPerSessionAreLimited(t *testing.T) {
	ts := mustServe(t, engines[0].open(t), func(c *serverConfig) { c.WSPerSession = 3 })
	w := ts.seed(t)
	c := ts.client(t)
	c.mustSignIn(w.mgrA.Email, password)
	var open []*wsConn
	for range 3 {
		open = append(open, c.mustDialWS())
	}
	for _, ws := range open { // each is really open
		ws.send(map[string]any{"type": "ping", "id": 1})
		ws.next("pong")
	}
	_, resp, err := c.dialWS()
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth connection: %v, %v", err, resp)
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	json.NewDecoder(resp.Body).Decode(&body)
	if body.Error.Code != labs.ERateLimited || !strings.Contains(body.Error.Message, "3") {
		t.Fatalf("refusal %+v", body.Error)
	}
	// Another sign-in of the same person has its own share.
	other := ts.client(t)
	other.mustSignIn(w.mgrA.Email, password)
	other.mustDialWS()
	open[0].conn.Close()
	waitFor(t, "a closed connection to make room", func() bool {
		ws, _, err := c.dialWS()
		if err == nil {
			ws.conn.Close()
		}
		return err == nil
	})
}

// TestParallelGuessesAreCountedBeforeTheHash: a hundred wrong passwords for
// one account at once: no more than the limit are checked.
func TestParallelGuessesAreCountedBeforeTheHash(t *testing.T) {
	ts := mustServe(t, engines[0].open(t), func(c *serverConfig) { c.SignInPerAddress = 1000 })
	w := ts.seed(t)
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := ts.client(t).signIn(w.mgrA.Email, "wrong password!")
			mu.Lock()
			codes[r.errorCode()]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if codes[labs.EUnauthenticated] > 10 || codes[labs.EUnauthenticated]+codes[labs.ERateLimited] != 100 {
		t.Fatalf("answers %v: at most 10 may be checked", codes)
	}
}

// TestAddressLimitBehindAProxy: behind a trusted proxy, the address it
// appended counts, whatever the client wrote before it; from an untrusted
// peer the header counts for nothing.
func TestAddressLimitBehindAProxy(t *testing.T) {
	scenarios := []struct {
		name    string
		trusted string
		header  func(i int) string
	}{
		{"a made-up address per request", "", func(i int) string { return fmt.Sprintf("203.0.113.%d", i%250) + ", 198.51.100.7" }},
		{"several proxies, all trusted", "127.0.0.1,10.0.0.0/8", func(i int) string { return fmt.Sprintf("203.0.113.%d, 198.51.100.7, 10.1.2.3", i%250) }},
		{"header from an untrusted peer", "10.0.0.0/8", func(i int) string { return fmt.Sprintf("203.0.113.%d", i%250) }},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			ts := mustServe(t, engines[0].open(t), func(c *serverConfig) {
				c.ProxyHeader, c.TrustedProxies, c.SignInPerAddress = "X-Forwarded-For", sc.trusted, 5
			})
			c := ts.client(t)
			limited := 0
			for i := range 8 {
				r := c.do("POST", "/api/auth/sign-in", map[string]string{"email": fmt.Sprintf("nobody%d@example.org", i), "password": "x"},
					"X-Forwarded-For", sc.header(i))
				if r.errorCode() == labs.ERateLimited {
					limited++
				}
			}
			if limited != 3 {
				t.Fatalf("%d of 8 attempts limited, want 3", limited)
			}
		})
	}
}

// TestMetricsMethodLabels: requests of every method, at once, leave one
// series per method with its real name; a made-up method makes none.
func TestMetricsMethodLabels(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	var wg sync.WaitGroup
	for _, m := range []string{"GET", "DELETE", "PATCH", "POST", "PUT", "BREW"} {
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(m, ts.URL+"/api/labs", nil)
				if resp, err := http.DefaultClient.Do(req); err == nil {
					resp.Body.Close()
				}
			}()
		}
	}
	wg.Wait()
	r := ts.client(t).do("GET", "/metrics", nil)
	seen := map[string]bool{}
	for _, line := range strings.Split(string(r.Body), "\n") {
		if !strings.HasPrefix(line, "linklab_http_requests_total{") {
			continue
		}
		method := strings.SplitN(strings.TrimPrefix(line, `linklab_http_requests_total{method="`), `"`, 2)[0]
		switch method {
		case "GET", "DELETE", "PATCH", "POST", "PUT", "OTHER", "HEAD", "OPTIONS":
			seen[method] = true
		default:
			t.Fatalf("method label %q in %s", method, line)
		}
	}
	for _, m := range []string{"GET", "DELETE", "PATCH", "POST", "PUT"} {
		if !seen[m] {
			t.Fatalf("no series for %s in\n%s", m, r.Body)
		}
	}
}

// waitFor polls cond until it holds, for at most 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 10 s", what)
		}
	}
}
