package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/linklab/linklab/realtime"
)

// wsMessages reads a connection's messages, splitting the frames in which
// the server batches several.
type wsMessages struct {
	conn    *websocket.Conn
	pending [][]byte
}

func (r *wsMessages) next() ([]byte, error) {
	for len(r.pending) == 0 {
		_, frame, err := r.conn.ReadMessage()
		if err != nil {
			return nil, err
		}
		r.pending = bytes.Split(frame, []byte("\n"))
	}
	m := r.pending[0]
	r.pending = r.pending[1:]
	return m, nil
}

// crashEditor pushes one insertion at a time, each a unique token, and
// remembers which ones the server acknowledged. It keeps its copy equal to
// the server's by applying every update, its own included.
type crashEditor struct {
	id      string
	conn    *websocket.Conn
	in      *wsMessages
	doc     string
	section string
	version int
	length  int // of the section's text, in UTF-16 code units
	acked   []string
}

func (h *httpClient) dialWS(t *testing.T) *websocket.Conn {
	hdr := http.Header{}
	hdr.Set("Origin", h.base)
	var cookies []string
	for _, ck := range h.c.Jar.Cookies(mustParseURL(h.base)) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	hdr.Set("Cookie", strings.Join(cookies, "; "))
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(h.base, "http")+"/api/ws", hdr)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return conn
}

// edit runs until the connection breaks (the server was killed), at a
// fast typist's pace: the connection's message budget is meant for people.
func (e *crashEditor) edit() {
	for n := 0; ; n++ {
		time.Sleep(15 * time.Millisecond)
		token := fmt.Sprintf("[%s-%d]", e.id, n)
		msg := fmt.Sprintf(`{"type":"push","id":1,"doc":%q,"section":%q,"version":%d,"clientID":%q,"updates":[{"seq":%d,"changes":[[0,%q],%d]}]}`,
			e.doc, e.section, e.version, e.id, n+1, token, e.length)
		if err := e.conn.WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
			return
		}
		for {
			b, err := e.in.next()
			if err != nil {
				return
			}
			var m struct {
				Type    string
				Version int
				Changes json.RawMessage
				Code    string
				Message string
			}
			json.Unmarshal(b, &m)
			if m.Type == "update" {
				c, err := realtime.ParseChangeSet(m.Changes)
				if err != nil {
					return
				}
				e.length = c.NewLen()
				e.version = m.Version
				continue
			}
			if m.Type == "pushed" {
				e.acked = append(e.acked, token)
				break
			}
			if m.Type == "error" {
				panic(fmt.Sprintf("%s: %s %s", e.id, m.Code, m.Message))
			}
		}
	}
}

// TestSIGKILLWhileEditing: editors type while the server is killed with
// SIGKILL; after a restart every change that was acknowledged is there.
func TestSIGKILLWhileEditing(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	env := []string{"LINKLAB_ADDR=" + addr, "LINKLAB_DATA_DIR=" + dataDir, "LINKLAB_DEMO=true"}
	cmd, _ := startBinary(t, bin, env...)
	base := "http://" + addr

	// The Norwegian lab's baseline, edited by its four participants.
	people := []string{"service-user.no", "frontline-staff.no", "manager.no", "policymaker.no"}
	first := signedIn(t, base, people[0]+"@demo.linklab.example", "linklab-demo")
	_, labsBody := first.get("/api/labs")
	labID := labsBody["items"].([]any)[0].(map[string]any)["id"].(string)
	_, docs := first.get("/api/labs/" + labID + "/documents")
	docID := docs["items"].([]any)[0].(map[string]any)["id"].(string)

	editors := make([]*crashEditor, len(people))
	var section string
	for i, p := range people {
		h := signedIn(t, base, p+"@demo.linklab.example", "linklab-demo")
		conn := h.dialWS(t)
		conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, docID)))
		e := &crashEditor{id: fmt.Sprintf("e%d", i), conn: conn, in: &wsMessages{conn: conn}, doc: docID}
		for {
			b, err := e.in.next()
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				Type, Section, Text string
				Version             int
			}
			json.Unmarshal(b, &m)
			if m.Type == "section" && section == "" {
				section = m.Section
			}
			if m.Type == "section" && m.Section == section {
				e.section, e.version, e.length = m.Section, m.Version, len(realtime.TextOf(m.Text))
			}
			if m.Type == "subscribed" {
				break
			}
		}
		editors[i] = e
	}
	var wg sync.WaitGroup
	for _, e := range editors {
		wg.Go(e.edit)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()

	startBinary(t, bin, env...)
	h := signedIn(t, base, "manager.no@demo.linklab.example", "linklab-demo")
	conn := h.dialWS(t)
	defer conn.Close()
	conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf(`{"type":"subscribe","id":1,"doc":%q}`, docID)))
	var text string
	in := &wsMessages{conn: conn}
	for {
		b, err := in.next()
		if err != nil {
			t.Fatal(err)
		}
		var m struct{ Type, Section, Text string }
		json.Unmarshal(b, &m)
		if m.Type == "section" && m.Section == section {
			text = m.Text
			break
		}
	}
	acked := 0
	for _, e := range editors {
		for _, token := range e.acked {
			acked++
			if !strings.Contains(text, token) {
				t.Fatalf("acknowledged change %s is gone after SIGKILL", token)
			}
		}
	}
	if acked < 20 {
		t.Fatalf("only %d changes were acknowledged before the kill: the test did not exercise much", acked)
	}
	t.Logf("%d acknowledged changes, all present after SIGKILL and restart", acked)
}
