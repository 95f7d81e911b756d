package server_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLargeFramesArriveWhole: messages larger than the connection's write
// buffer (a section of 100,000 characters when subscribing, and a frame
// that batches it with others) arrive whole and in order, as do the small
// ones beside them.
func TestLargeFramesArriveWhole(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	w := ts.seed(t)
	small := "short 👍"
	var big strings.Builder
	for big.Len() < 100_000 {
		big.WriteString("Ein größerer Abschnitt, mit 漢字 und 👨‍👩‍👧.\n")
	}
	doc := makeDoc(t, ts, w.labA, small, big.String(), small)
	c := ts.client(t)
	c.mustSignIn(w.mgrA.Email, password)
	ws := c.mustDialWS()
	for round := range 3 {
		ws.send(map[string]any{"type": "subscribe", "id": round + 1, "doc": doc.ID})
		for i, want := range []string{small, big.String(), small} {
			m := ws.next("section")
			var text string
			json.Unmarshal(m["text"], &text)
			if text != want {
				t.Fatalf("round %d, section %d: got %d characters, want %d", round, i, len(text), len(want))
			}
		}
		if m := ws.next("subscribed"); num(m["id"]) != round+1 {
			t.Fatalf("round %d: %v", round, m)
		}
	}
}
