package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/linklab/linklab/realtime"
)

// wsConn is a test client's websocket, signed in as one person.
type wsConn struct {
	tb   testing.TB
	conn *websocket.Conn
	in   chan map[string]json.RawMessage
}

// dialWS opens /api/ws with the client's session cookie and our Origin.
func (c *client) dialWS(extra ...string) (*wsConn, *http.Response, error) {
	h := http.Header{}
	h.Set("Origin", c.ts.URL)
	var cookies []string
	for _, ck := range c.http.Jar.Cookies(mustURL(c.tb, c.ts.URL)) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	h.Set("Cookie", strings.Join(cookies, "; "))
	for i := 0; i+1 < len(extra); i += 2 {
		h.Set(extra[i], extra[i+1])
	}
	conn, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(c.ts.URL, "http")+"/api/ws", h)
	if err != nil {
		return nil, resp, err
	}
	w := &wsConn{tb: c.tb, conn: conn, in: make(chan map[string]json.RawMessage, 1<<16)}
	go func() {
		defer close(w.in)
		for {
			_, frame, err := conn.ReadMessage()
			if err != nil {
				return
			}
			for _, b := range bytes.Split(frame, []byte("\n")) {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(b, &m); err != nil {
					panic(fmt.Sprintf("server sent non-JSON %q", b))
				}
				w.in <- m
			}
		}
	}()
	return w, resp, nil
}

func (c *client) mustDialWS() *wsConn {
	c.tb.Helper()
	w, resp, err := c.dialWS()
	if err != nil {
		c.tb.Fatalf("dial: %v (%v)", err, resp)
	}
	c.tb.Cleanup(func() { w.conn.Close() })
	return w
}

func (w *wsConn) send(v any) {
	w.tb.Helper()
	b, ok := v.([]byte)
	if !ok {
		var err error
		if b, err = json.Marshal(v); err != nil {
			w.tb.Fatal(err)
		}
	}
	if err := w.conn.WriteMessage(websocket.TextMessage, b); err != nil {
		w.tb.Fatalf("write: %v", err)
	}
}

// next returns the next message of one of the given types, skipping others.
func (w *wsConn) next(types ...string) map[string]json.RawMessage {
	w.tb.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m, ok := <-w.in:
			if !ok {
				w.tb.Fatalf("connection closed while waiting for %v", types)
			}
			for _, t := range types {
				if str(m["type"]) == t {
					return m
				}
			}
		case <-timeout:
			w.tb.Fatalf("no %v message within 20s", types)
		}
	}
}

func str(raw json.RawMessage) string {
	var s string
	json.Unmarshal(raw, &s)
	return s
}

func num(raw json.RawMessage) int {
	var n int
	json.Unmarshal(raw, &n)
	return n
}

// pieces are what the simulated people type: letters, emoji made of
// surrogate pairs and ZWJ sequences, combining marks, CRLF and LF.
var pieces = []string{"a", "b", "xyz", " ", "é", "e\u0301", "👍", "👨‍👩‍👧", "\r\n", "\n", "ñ", "漢字", "🇳🇴", "\t"}

// randomEdit makes a change to doc at positions that do not split a
// surrogate pair, as an editor moving by characters does.
func randomEdit(r *rand.Rand, doc realtime.Text) realtime.ChangeSet {
	var bounds []int
	for i := 0; i <= len(doc); i++ {
		if i == 0 || i == len(doc) || !(doc[i-1] >= 0xd800 && doc[i-1] < 0xdc00) {
			bounds = append(bounds, i)
		}
	}
	from := bounds[r.IntN(len(bounds))]
	to := from
	if r.IntN(3) == 0 {
		to = bounds[r.IntN(len(bounds))]
		if to < from {
			from, to = to, from
		}
		if to-from > 12 {
			to = from
		}
	}
	insert := ""
	if to == from || r.IntN(2) == 0 {
		for range 1 + r.IntN(3) {
			insert += pieces[r.IntN(len(pieces))]
		}
	}
	var b strings.Builder
	b.WriteString("[")
	if from > 0 {
		fmt.Fprintf(&b, "%d,", from)
	}
	ins, _ := json.Marshal(strings.Split(insert, "\n"))
	fmt.Fprintf(&b, "[%d,%s", to-from, strings.TrimPrefix(string(ins), "["))
	if rest := len(doc) - to; rest > 0 {
		fmt.Fprintf(&b, ",%d", rest)
	}
	b.WriteString("]")
	c, err := realtime.ParseChangeSet([]byte(b.String()))
	if err != nil {
		panic(fmt.Sprintf("bad generated change %s: %v", b.String(), err))
	}
	return c
}
