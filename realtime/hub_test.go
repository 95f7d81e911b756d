package realtime_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linklab/linklab/realtime"
)

// fakeTransport records frames; block makes writes wait, like a client on
// a stalled network.
type fakeTransport struct {
	mu     sync.Mutex
	frames [][]byte
	block  chan struct{}
	// entered, if set, is told (without blocking) each time a write begins.
	entered chan struct{}
	closed  int
}

func (f *fakeTransport) WriteFrame(msgs [][]byte) error {
	if f.entered != nil {
		select {
		case f.entered <- struct{}{}:
		default:
		}
	}
	if f.block != nil {
		<-f.block
	}
	f.mu.Lock()
	f.frames = append(f.frames, bytes.Join(msgs, []byte("\n")))
	f.mu.Unlock()
	return nil
}
func (f *fakeTransport) Ping() error { return nil }
func (f *fakeTransport) Close(code int, _ string) error {
	f.mu.Lock()
	f.closed = code
	f.mu.Unlock()
	return nil
}

func (f *fakeTransport) messages() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out [][]byte
	for _, fr := range f.frames {
		out = append(out, bytes.Split(fr, []byte("\n"))...)
	}
	return out
}

// TestSlowClientIsCutOffAndOthersAreNot: a client that stops reading is
// disconnected when its queue fills, while the room and the other
// subscribers go on receiving every message in order.
func TestSlowClientIsCutOffAndOthersAreNot(t *testing.T) {
	hub := realtime.NewHub()
	slowT := &fakeTransport{block: make(chan struct{})}
	fastT := &fakeTransport{}
	// The reading client's queue holds a few milliseconds of this room's
	// traffic, as the server's does for real rooms.
	slow, fast := realtime.NewClient(slowT, 50), realtime.NewClient(fastT, 400)
	hub.Join("room", slow)
	hub.Join("room", fast)
	const n = 500
	for i := range n {
		hub.Publish("room", []byte{byte('0' + i%10)}, nil)
		if i%20 == 0 {
			time.Sleep(time.Millisecond) // let the fast writer keep up, as a reading client does
		}
	}
	select {
	case <-slow.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the stalled client was not cut off")
	}
	close(slowT.block)
	slow.Wait()
	if slowT.closed != realtime.CloseTooSlow {
		t.Fatalf("stalled client closed with %d, want %d", slowT.closed, realtime.CloseTooSlow)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(fastT.messages()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	msgs := fastT.messages()
	if len(msgs) != n {
		t.Fatalf("the reading client got %d of %d messages", len(msgs), n)
	}
	for i, m := range msgs {
		if m[0] != byte('0'+i%10) {
			t.Fatalf("message %d out of order", i)
		}
	}
	select {
	case <-fast.Done():
		t.Fatal("the reading client was cut off too")
	default:
	}
}

// pingTransport counts pings made after Close returned: the connection's
// owner releases it then, so any such ping would touch freed state.
type pingTransport struct {
	fakeTransport
	released atomic.Bool
	late     atomic.Int32
	pings    atomic.Int32
}

func (p *pingTransport) Ping() error {
	p.pings.Add(1)
	time.Sleep(time.Millisecond) // a ping takes a moment on the wire
	if p.released.Load() {
		p.late.Add(1)
	}
	return nil
}

// TestNoPingAfterClose: connections close while the pinger is pinging them;
// none is pinged once its Close has returned.
func TestNoPingAfterClose(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := realtime.NewPinger()
	go p.Run(ctx, time.Millisecond)
	var ts []*pingTransport
	var wg sync.WaitGroup
	for i := range 50 {
		tr := &pingTransport{}
		ts = append(ts, tr)
		c := realtime.NewClient(tr, 8)
		p.Add(c)
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(i%10) * 3 * time.Millisecond)
			c.Close(realtime.CloseNormal, "") // as the server does before releasing the connection
			tr.released.Store(true)
			p.Remove(c)
		}()
	}
	wg.Wait()
	time.Sleep(20 * time.Millisecond)
	pings := 0
	for i, tr := range ts {
		pings += int(tr.pings.Load())
		if n := tr.late.Load(); n > 0 {
			t.Fatalf("connection %d was pinged %d times after Close returned", i, n)
		}
	}
	if pings == 0 {
		t.Fatal("the pinger pinged nobody: the test proves nothing")
	}
}

// TestWritesGatherWhileAWriteIsInFlight: what arrives while a frame is
// being written goes out together, in order, in the next frame (one write
// for many updates in a busy room). That an idle connection's message is
// written without a wait is measured by the load generator (its p50 on a
// quiet document, docs/benchmarks.md), not timed here.
func TestWritesGatherWhileAWriteIsInFlight(t *testing.T) {
	f := &fakeTransport{block: make(chan struct{}), entered: make(chan struct{}, 1)}
	c := realtime.NewClient(f, 100)
	c.Enqueue([]byte("first"))
	// The first write begins with nothing else queued: no gathering wait.
	select {
	case <-f.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the first message was not written")
	}
	for _, m := range []string{"second", "third", "fourth"} {
		c.Enqueue([]byte(m))
	}
	f.block <- struct{}{} // the first frame is written
	f.block <- struct{}{} // and the second
	c.Close(realtime.CloseNormal, "done")
	c.Wait()
	f.mu.Lock()
	frames := append([][]byte(nil), f.frames...)
	f.mu.Unlock()
	if len(frames) != 2 || string(frames[0]) != "first" || string(frames[1]) != "second\nthird\nfourth" {
		t.Fatalf("frames = %q, want [first] then the three gathered", frames)
	}
}
