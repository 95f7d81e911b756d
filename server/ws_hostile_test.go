package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fasthttp/websocket"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// TestHostileMessages: malformed, oversized and unauthorized messages get an
// error with a code, change nothing, and leave the connection usable.
func TestHostileMessages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		docA := makeDoc(t, ts, w.labA, "hello")
		docB := makeDoc(t, ts, w.labB, "other lab")
		secA, secB := docA.Sections[0].ID, docB.Sections[0].ID
		c := ts.client(t)
		c.mustSignIn(w.mgrA.Email, password)
		ws := c.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": docA.ID})
		ws.next("subscribed")

		push := func(fields map[string]any) map[string]any {
			m := map[string]any{"type": "push", "id": 9, "doc": docA.ID, "section": secA, "version": 0, "clientID": "evil",
				"updates": []any{map[string]any{"seq": 1, "changes": []any{5, []any{0, "!"}}}}}
			for k, v := range fields {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
		scenarios := []struct {
			name string
			msg  any
			code string
		}{
			{"not JSON", []byte(`{"type":`), labs.EInvalid},
			{"an array", []byte(`[1,2]`), labs.EInvalid},
			{"type of the wrong kind", []byte(`{"type": 5}`), labs.EInvalid},
			{"unknown type", map[string]any{"type": "drop_tables"}, labs.EInvalid},
			{"subscribe to a malformed ID", map[string]any{"type": "subscribe", "doc": "../../etc"}, labs.EInvalid},
			{"subscribe to another lab's document", map[string]any{"type": "subscribe", "doc": docB.ID}, labs.ENotFound},
			{"push without a version", push(map[string]any{"version": nil}), labs.EInvalid},
			{"push with a string version", push(map[string]any{"version": "0"}), labs.EInvalid},
			{"push with a bad client ID", push(map[string]any{"clientID": "<script>"}), labs.EInvalid},
			{"push out of range", push(map[string]any{"updates": []any{map[string]any{"seq": 1, "changes": []any{99, []any{0, "!"}}}}}), labs.EInvalid},
			{"push with a negative length", push(map[string]any{"updates": []any{map[string]any{"seq": 1, "changes": []any{-1, []any{6, "!"}}}}}), labs.EInvalid},
			{"push with changes of the wrong type", push(map[string]any{"updates": []any{map[string]any{"seq": 1, "changes": "delete all"}}}), labs.EInvalid},
			{"push a lone surrogate", []byte(`{"type":"push","id":9,"doc":"` + docA.ID + `","section":"` + secA + `","version":0,"clientID":"evil","updates":[{"seq":1,"changes":[5,[0,"\ud800"]]}]}`), labs.EInvalid},
			{"push with no updates", push(map[string]any{"updates": []any{}}), labs.EInvalid},
			{"push from the future", push(map[string]any{"version": 7}), realtime.CodeResync},
			{"push to another lab's section", push(map[string]any{"doc": docB.ID, "section": secB}), labs.ENotFound},
			{"push to another lab's section through our document", push(map[string]any{"section": secB}), labs.ENotFound},
		}
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				ws.send(sc.msg)
				m := ws.next("error")
				if got := str(m["code"]); got != sc.code || str(m["message"]) == "" {
					t.Fatalf("code %q message %q, want %q", got, str(m["message"]), sc.code)
				}
			})
		}
		// Too many updates in one push.
		many := make([]any, realtime.MaxUpdatesPerPush+1)
		for i := range many {
			many[i] = map[string]any{"seq": i, "changes": []any{5}}
		}
		ws.send(push(map[string]any{"updates": many}))
		if m := ws.next("error"); str(m["code"]) != labs.EInvalid {
			t.Fatalf("too many updates: %s", m["code"])
		}
		// Nothing changed, and the connection still works.
		ws.send(map[string]any{"type": "ping", "id": 77})
		if m := ws.next("pong"); num(m["id"]) != 77 {
			t.Fatal("no pong")
		}
		for _, d := range []labs.Document{docA, docB} {
			st, err := ts.Srv.SectionText(context.Background(), d.Sections[0].ID, realtime.Seed{Text: d.Sections[0].Text})
			if err != nil || st.Version != 0 || st.Text != d.Sections[0].Text {
				t.Fatalf("after hostile messages: %q at %d (%v)", st.Text, st.Version, err)
			}
			if v, _ := ts.Store.LatestVersion(context.Background(), d.Sections[0].ID); v != 0 {
				t.Fatalf("hostile messages stored changes up to %d", v)
			}
		}
		// A message over the size limit ends the connection; binary frames too.
		big := c.mustDialWS()
		// The server may close before the client has written it all, so a
		// failed write is one correct outcome; an answer never is.
		big.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"ping","pad":"`+strings.Repeat("x", 600*1024)+`"}`))
		if _, ok := <-big.in; ok {
			t.Fatal("an oversized message got an answer")
		}
		bin := c.mustDialWS()
		bin.conn.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3})
		if _, ok := <-bin.in; ok {
			t.Fatal("a binary frame got an answer")
		}
	})
}

func TestWebsocketGate(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "text")

	anon := ts.client(t)
	if _, resp, err := anon.dialWS(); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Fatalf("anonymous dial: %v %v", err, resp)
	}
	c := ts.client(t)
	c.mustSignIn(w.mgrA.Email, password)
	if _, resp, err := c.dialWS("Origin", "https://evil.example"); err == nil || resp == nil || resp.StatusCode != 403 {
		t.Fatalf("cross-site dial: %v %v", err, resp)
	}
	// A facilitator reads but does not write the lab's texts.
	f := ts.client(t)
	f.mustSignIn(w.facA.Email, password)
	fws := f.mustDialWS()
	fws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	if m := fws.next("section"); str(m["text"]) != "text" {
		t.Fatalf("facilitator's section: %s", m["text"])
	}
	fws.send(map[string]any{"type": "push", "id": 2, "doc": doc.ID, "section": doc.Sections[0].ID, "version": 0, "clientID": "fac",
		"updates": []any{map[string]any{"seq": 1, "changes": []any{4, []any{0, "!"}}}}})
	if m := fws.next("error"); str(m["code"]) != labs.EForbidden {
		t.Fatalf("facilitator push: %s", m["code"])
	}
	// A member of another lab cannot even see the document exists.
	b := ts.client(t)
	b.mustSignIn(w.mgrB.Email, password)
	bws := b.mustDialWS()
	bws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	if m := bws.next("error"); str(m["code"]) != labs.ENotFound {
		t.Fatalf("other lab's member: %s", m["code"])
	}
	// Membership ends: writes stop (after the access cache's moment).
	ws := c.mustDialWS()
	ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	ws.next("subscribed")
	if err := ts.Store.RemoveMembership(context.Background(), w.labA.ID, w.mgrA.ID); err != nil {
		t.Fatal(err)
	}
	ws2 := c.mustDialWS() // a new connection has no cached membership
	ws2.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	if m := ws2.next("error"); str(m["code"]) != labs.ENotFound {
		t.Fatalf("after removal: %s", m["code"])
	}
}

// TestSignOutClosesOpenConnections: ending the session (sign-out) ends an
// open connection at once, silent or not: the unauthenticated error the
// protocol promises arrives first, then the close.
func TestSignOutClosesOpenConnections(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "text")
	c := ts.client(t)
	c.mustSignIn(w.mgrA.Email, password)
	ws := c.mustDialWS()
	ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	ws.next("subscribed")
	if r := c.do("POST", "/api/auth/sign-out", nil); r.Status != 204 {
		t.Fatalf("sign out: %d", r.Status)
	}
	// The next thing the connection hears is why it ends: no "revoked"
	// that would send the client subscribing again.
	m, ok := <-ws.in
	if !ok || str(m["type"]) != "error" || str(m["code"]) != labs.EUnauthenticated {
		t.Fatalf("after sign-out: %v", m)
	}
	if _, ok := <-ws.in; ok {
		t.Fatal("the connection stayed open after an unauthenticated error")
	}
	// After the end, writes are impossible: the document is unchanged.
	st, err := ts.Srv.SectionText(context.Background(), doc.Sections[0].ID, realtime.Seed{Text: "text"})
	if err != nil || st.Version != 0 {
		t.Fatalf("section after sign-out: %+v %v", st, err)
	}
}
