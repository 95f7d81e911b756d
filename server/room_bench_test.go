package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

// BenchmarkRoomFanout measures event-to-all in a room of 500 participants
// on SQLite, each following the room over a real websocket: from the
// moment a participant's request leaves until each of the 500 devices has
// read the event. "one-by-one" sends one event at a time; "burst" has 50
// participants raise and lower their hands at once, as after "any
// questions?". Reported: the median and the 99th percentile over every
// (event, device) delivery, and events per second.
func BenchmarkRoomFanout(b *testing.B) {
	const people = 500
	ts := mustServe(b, engines[0].open(b))
	w := ts.seed(b)
	fac := ts.client(b)
	fac.mustSignIn(w.facA.Email, password)
	ws := startWorkshop(b, fac, w.labA)
	one := "/api/workshops/" + ws.ID
	levels := []labs.StakeholderLevel{labs.LevelMicro, labs.LevelMeso, labs.LevelMacro}
	clients := make([]*client, people)
	for i := range clients {
		if i%200 == 199 {
			ts.advance(time.Minute) // past the sign-in limit of one address
		}
		_, clients[i] = ts.participant(b, w.labA, fmt.Sprintf("F%03d", i), labs.ParticipantRoles[i%4], levels[i%3], "")
		if r := clients[i].do("POST", one+"/join", nil); r.Status != http.StatusOK {
			b.Fatalf("join: %d %s", r.Status, r.Body)
		}
	}
	var room roomBody
	fac.do("GET", one+"/room", nil).json(b, &room)

	// sent[seq] is when the request that made event seq left (ns); every
	// device adds its delay to lat and marks the event delivered.
	const most = 1 << 16
	var sent [most]atomic.Int64
	var delivered [most]sync.WaitGroup
	var mu sync.Mutex
	var lat []time.Duration
	base := room.Seq
	for _, c := range clients {
		live := follow(c, ws.ID)
		go func() {
			for m := range live.in {
				if str(m["type"]) != "room" {
					continue
				}
				var seq int64
				json.Unmarshal(m["seq"], &seq)
				at := time.Now()
				i := seq - base
				if i <= 0 || i >= most {
					continue
				}
				d := at.Sub(time.Unix(0, sent[i].Load()))
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				delivered[i].Done()
			}
		}()
	}
	next := int64(1) // the next event, counted from base
	report := func(b *testing.B, events int64) {
		mu.Lock()
		defer mu.Unlock()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		b.ReportMetric(0, "ns/op")
		lat = lat[:0]
	}
	hand := func(b *testing.B, c *client, raised bool) {
		if r := c.do("POST", one+"/hand", map[string]any{"raised": raised}); r.Status != http.StatusOK {
			b.Fatalf("hand: %d %s", r.Status, r.Body)
		}
	}

	b.Run("one-by-one", func(b *testing.B) {
		var events int64
		for k := 0; b.Loop(); k++ {
			c := clients[k%people]
			for _, raised := range []bool{true, false} {
				i := next
				delivered[i].Add(people)
				sent[i].Store(time.Now().UnixNano())
				hand(b, c, raised)
				delivered[i].Wait()
				next++
				events++
			}
		}
		report(b, events)
	})

	b.Run("burst", func(b *testing.B) {
		const burst = 50
		var events int64
		for k := 0; b.Loop(); k++ {
			for _, raised := range []bool{true, false} {
				// The events of a burst are numbered in the order the store
				// takes them, which is not the order sent: all count from
				// the moment the burst began.
				start := time.Now().UnixNano()
				for i := next; i < next+burst; i++ {
					delivered[i].Add(people)
					sent[i].Store(start)
				}
				var all sync.WaitGroup
				for j := range burst {
					all.Go(func() { hand(b, clients[(k*burst+j)%people], raised) })
				}
				all.Wait()
				for i := next; i < next+burst; i++ {
					delivered[i].Wait()
				}
				next += burst
				events += burst
			}
		}
		report(b, events)
	})
}
