package server_test

import (
	"strings"
	"testing"

	"github.com/linklab/linklab/realtime"
)

func TestPresence(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	doc := makeDoc(t, ts, w.labA, "hello world")
	sec := doc.Sections[0].ID
	join := func(email string) *wsConn {
		c := ts.client(t)
		c.mustSignIn(email, password)
		ws := c.mustDialWS()
		ws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
		ws.next("subscribed")
		return ws
	}
	a, b := join(w.mgrA.Email), join(w.facA.Email)

	// A selects "world" (6-11); B sees it with A's lab name and a colour,
	// and nothing that identifies A's account.
	a.send(map[string]any{"type": "presence", "doc": doc.ID, "section": sec, "version": 0, "anchor": 6, "head": 11})
	m := b.next("presence")
	if str(m["name"]) != "mgr" || num(m["anchor"]) != 6 || num(m["head"]) != 11 || !strings.HasPrefix(str(m["color"]), "#") {
		t.Fatalf("presence: %v", m)
	}
	peer := str(m["peer"])
	if peer == "" || strings.Contains(peer, w.mgrA.ID) || strings.Contains(string(m["name"]), w.mgrA.Email) {
		t.Fatalf("presence reveals the account: %v", m)
	}
	// Someone inserts at the start: a newcomer sees A's selection still on
	// "world", mapped through the change.
	a.send(map[string]any{"type": "push", "id": 2, "doc": doc.ID, "section": sec, "version": 0, "clientID": "a",
		"updates": []any{map[string]any{"seq": 1, "changes": []any{[]any{0, ">> "}, 11}}}})
	a.next("pushed")
	c := ts.client(t)
	c.mustSignIn(w.admin.Email, password) // not a member: refused
	cws := c.mustDialWS()
	cws.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	if e := cws.next("error"); str(e["code"]) != "not_found" {
		t.Fatalf("admin subscribes to lab content: %v", e)
	}
	lc := ts.client(t)
	lc.mustSignIn(w.facA.Email, password)
	late := lc.mustDialWS()
	late.send(map[string]any{"type": "subscribe", "id": 1, "doc": doc.ID})
	m = late.next("presence") // sent with the sections, before "subscribed"
	if num(m["anchor"]) != 9 || num(m["head"]) != 14 || num(m["version"]) != 1 {
		t.Fatalf("late joiner sees %v, want 9-14 at version 1", m)
	}
	// Anonymous: the name is hidden, whoever asks, and nothing links the
	// anonymous cursor to the named one of the same connection: the named
	// one leaves, the anonymous one has a peer and a colour of its own.
	named := m
	a.send(map[string]any{"type": "presence", "doc": doc.ID, "section": sec, "version": 1, "anchor": 0, "head": 0, "anonymous": true})
	if m := b.next("presence_left"); str(m["peer"]) != peer {
		t.Fatalf("switching to anonymous: presence_left for %s, want the named %s", m["peer"], peer)
	}
	anon := b.next("presence")
	if str(anon["name"]) != realtime.AnonymousName {
		t.Fatalf("anonymous presence shows %q", str(anon["name"]))
	}
	if str(anon["peer"]) == str(named["peer"]) {
		t.Fatalf("the anonymous cursor shares the named one's peer: %v and %v", anon, named)
	}
	peer = str(anon["peer"])
	// Out of range positions are refused.
	a.send(map[string]any{"type": "presence", "doc": doc.ID, "section": sec, "version": 1, "anchor": 0, "head": 99})
	if e := a.next("error"); str(e["code"]) != "invalid" {
		t.Fatalf("out of range presence: %v", e)
	}
	// Disconnecting drops the cursor at once.
	a.conn.Close()
	if m := b.next("presence_left"); str(m["peer"]) != peer {
		t.Fatalf("presence_left for %s, want %s", m["peer"], peer)
	}
}
