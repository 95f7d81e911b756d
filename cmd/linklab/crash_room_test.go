package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"
)

// try is a request that may fail because the server is gone: the status,
// or an error instead of failing the test.
func (h *httpClient) try(method, path string, body any) (int, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", h.csrf)
	resp, err := h.c.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestSIGKILLInTheMiddleOfAWorkshop: participants raise hands, post ideas
// and vote while the server is killed with SIGKILL in the middle of a
// phase. After a restart the phase and its timer are where they were,
// every acknowledged idea is on the wall, every acknowledged ballot counts
// once, a ballot sent again is refused, and the vote closes with counts
// that add up.
func TestSIGKILLInTheMiddleOfAWorkshop(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	env := []string{"LINKLAB_ADDR=" + addr, "LINKLAB_DATA_DIR=" + dataDir, "LINKLAB_DEMO=true"}
	cmd, _ := startBinary(t, bin, env...)
	base := "http://" + addr

	fac := signedIn(t, base, "facilitator.no@demo.linklab.example", "linklab-demo")
	_, labsBody := fac.get("/api/labs")
	labID := labsBody["items"].([]any)[0].(map[string]any)["id"].(string)
	status, ws := fac.post("/api/labs/"+labID+"/workshops", map[string]any{"title": "Day one", "agenda": []map[string]any{
		{"title": "Ideas", "kind": "ideas", "minutes": 30, "documents": []string{}}, {"title": "Prioritise", "kind": "prioritise", "minutes": 20}}})
	if status != http.StatusCreated {
		t.Fatalf("schedule: %d %v", status, ws)
	}
	one := "/api/workshops/" + ws["id"].(string)
	if status, body := fac.post(one+"/control", map[string]any{"action": "start"}); status != http.StatusOK {
		t.Fatalf("start: %d %v", status, body)
	}
	status, vote := fac.post(one+"/votes", map[string]any{"question": "Start with mentor families?", "method": "agree"})
	if status != http.StatusCreated {
		t.Fatalf("open a vote: %d %v", status, vote)
	}
	ballot := one + "/votes/" + vote["id"].(string) + "/ballot"
	_, before := fac.get(one)

	type actor struct {
		h                  *httpClient
		ideas              []string // acknowledged
		voted, votePending bool
	}
	people := []string{"service-user.no", "frontline-staff.no", "manager.no", "policymaker.no"}
	actors := make([]*actor, len(people))
	for i, p := range people {
		actors[i] = &actor{h: signedIn(t, base, p+"@demo.linklab.example", "linklab-demo")}
	}
	var wg sync.WaitGroup
	for i, a := range actors {
		wg.Go(func() {
			for n := 0; ; n++ {
				var status int
				var err error
				switch {
				case n == 5+i*3: // each votes once, at a different moment
					a.votePending = true
					status, err = a.h.try("POST", ballot, map[string]any{"choice": "agree"})
					if err == nil && status == http.StatusOK {
						a.voted, a.votePending = true, false
					}
				case n%3 == 2:
					text := fmt.Sprintf("Idea %d of %d", n, i)
					if status, err = a.h.try("POST", one+"/ideas", map[string]any{"text": text}); err == nil && status == http.StatusCreated {
						a.ideas = append(a.ideas, text)
					}
				default:
					status, err = a.h.try("POST", one+"/hand", map[string]any{"raised": n%3 == 0})
				}
				if err != nil {
					return // the server is gone
				}
				if status >= 500 {
					panic(fmt.Sprintf("participant %d: %d", i, status))
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wg.Wait()

	startBinary(t, bin, env...)
	_, after := fac.get(one)
	for _, k := range []string{"status", "phase", "endsAt", "revision"} {
		if fmt.Sprint(after[k]) != fmt.Sprint(before[k]) {
			t.Fatalf("after the restart the workshop's %s is %v, was %v", k, after[k], before[k])
		}
	}
	_, room := fac.get(one + "/room")
	var wall []string
	for _, it := range room["ideas"].([]any) {
		wall = append(wall, it.(map[string]any)["text"].(string))
	}
	acked, voted, pending := 0, 0, 0
	for i, a := range actors {
		for _, text := range a.ideas {
			acked++
			if !slices.Contains(wall, text) {
				t.Fatalf("participant %d's acknowledged idea %q is gone", i, text)
			}
		}
		// Sent again after the restart: refused if it counted, whatever the
		// server knew of it before the kill.
		status, err := a.h.try("POST", ballot, map[string]any{"choice": "disagree"})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case a.voted && status != http.StatusConflict:
			t.Fatalf("participant %d voted before the kill and again after: %d", i, status)
		case !a.voted && !a.votePending && status != http.StatusOK:
			t.Fatalf("participant %d votes after the restart: %d", i, status)
		}
		if a.voted {
			voted++
		}
		if a.votePending {
			pending++
		}
	}
	if acked < 10 || voted == 0 {
		t.Fatalf("only %d ideas and %d ballots were acknowledged before the kill: the test did not exercise much", acked, voted)
	}
	status, closed := fac.post(one+"/votes/"+vote["id"].(string)+"/close", nil)
	if status != http.StatusOK {
		t.Fatalf("close: %d %v", status, closed)
	}
	results := closed["results"].(map[string]any)
	counts := results["counts"].(map[string]any)
	if n := int(results["voters"].(float64)); n != len(actors) ||
		int(counts["agree"].(float64))+int(counts["disagree"].(float64))+int(counts["abstain"].(float64)) != n {
		t.Fatalf("results after the restart: %v (every participant has voted exactly once)", results)
	}
	t.Logf("%d ideas and %d ballots acknowledged before SIGKILL (%d in flight), all there once after the restart", acked, voted, pending)
}
