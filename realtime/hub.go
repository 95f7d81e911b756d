package realtime

import (
	"context"
	"sync"
	"time"
)

// Transport is one client connection as the hub sees it. WriteMessage and
// Ping are called from one goroutine only (the connection's writer).
type Transport interface {
	WriteMessage(b []byte) error
	Ping() error
	// Close ends the connection with a websocket close code and reason.
	Close(code int, reason string) error
}

// Close codes the server uses (4000-4999 are for applications).
const (
	CloseTooSlow     = 4008 // the send queue overflowed: reconnect and resume
	ClosePolicy      = 1008 // rate limit or a hostile message
	CloseGoingAway   = 1001 // server shutting down
	CloseNormal      = 1000
	CloseUnsupported = 1003
)

// Client is the server's side of one connection: a queue of encoded
// messages and the loop that writes them. The queue holds nothing while the
// connection is idle, so thousands of idle connections cost little; it is
// bounded, and a client that cannot keep up is disconnected rather than
// allowed to grow memory or stall a room. It reconnects and resumes from
// the versions it has.
type Client struct {
	t        Transport
	maxQueue int
	ping     time.Duration

	mu     sync.Mutex
	queue  [][]byte
	notify chan struct{} // holds a token while the queue is not empty
	done   chan struct{}
	once   sync.Once
}

// NewClient returns the client of a connection. maxQueue bounds the
// messages waiting to be written; ping is the keep-alive interval.
func NewClient(t Transport, maxQueue int, ping time.Duration) *Client {
	return &Client{t: t, maxQueue: maxQueue, ping: ping, notify: make(chan struct{}, 1), done: make(chan struct{})}
}

// Run writes queued messages until ctx ends or the client is closed.
func (c *Client) Run(ctx context.Context) {
	t := time.NewTicker(c.ping)
	defer t.Stop()
	for {
		select {
		case <-c.notify:
			// Gather for a moment: in a busy room many updates arrive within
			// a few milliseconds, and one frame for all of them costs one
			// write instead of many.
			time.Sleep(gatherDelay)
			if err := c.flush(); err != nil {
				c.Close(CloseNormal, "write failed")
				return
			}
		case <-t.C:
			if err := c.t.Ping(); err != nil {
				c.Close(CloseNormal, "ping failed")
				return
			}
		case <-c.done:
			return
		case <-ctx.Done():
			c.Close(CloseGoingAway, "server shutting down")
			return
		}
	}
}

// gatherDelay is how long a woken writer waits for more messages before
// writing; it bounds the latency it adds.
const gatherDelay = 8 * time.Millisecond

// maxFrame bounds how many bytes of queued messages go into one frame.
const maxFrame = 64 * 1024

// flush writes everything queued, joining messages into frames of up to
// maxFrame bytes separated by "\n" (JSON text never holds a raw newline):
// under load many small writes become a few large ones.
func (c *Client) flush() error {
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()
	for len(batch) > 0 {
		frame := batch[0]
		n := 1
		if len(batch) > 1 {
			frame = append(make([]byte, 0, min(maxFrame, 2*len(frame))), frame...)
			for ; n < len(batch) && len(frame)+len(batch[n]) < maxFrame; n++ {
				frame = append(append(frame, '\n'), batch[n]...)
			}
		}
		if err := c.t.WriteMessage(frame); err != nil {
			return err
		}
		batch = batch[n:]
	}
	return nil
}

// Enqueue queues b without blocking. When the queue is full the client is
// closed with CloseTooSlow and Enqueue reports false.
func (c *Client) Enqueue(b []byte) bool {
	c.mu.Lock()
	select {
	case <-c.done:
		c.mu.Unlock()
		return false
	default:
	}
	if len(c.queue) >= c.maxQueue {
		c.mu.Unlock()
		c.Close(CloseTooSlow, "too slow: reconnect and resume")
		return false
	}
	c.queue = append(c.queue, b)
	c.mu.Unlock()
	select {
	case c.notify <- struct{}{}:
	default: // a flush is already due
	}
	return true
}

// Close closes the connection once.
func (c *Client) Close(code int, reason string) {
	c.once.Do(func() {
		close(c.done)
		c.t.Close(code, reason)
	})
}

// Done is closed when the client is closed.
func (c *Client) Done() <-chan struct{} { return c.done }

// Hub keeps rooms of clients, one per section, and fans messages out.
type Hub struct {
	mu    sync.RWMutex
	rooms map[string]map[*Client]struct{}
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{rooms: map[string]map[*Client]struct{}{}} }

// Join adds c to a room.
func (h *Hub) Join(room string, c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[room]
	if r == nil {
		r = map[*Client]struct{}{}
		h.rooms[room] = r
	}
	r[c] = struct{}{}
}

// Leave removes c from a room.
func (h *Hub) Leave(room string, c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if r := h.rooms[room]; r != nil {
		delete(r, c)
		if len(r) == 0 {
			delete(h.rooms, room)
		}
	}
}

// Publish queues the same encoded bytes to every client in the room,
// except skip (which may be nil). It never blocks.
func (h *Hub) Publish(room string, b []byte, skip *Client) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.rooms[room] {
		if c != skip {
			c.Enqueue(b)
		}
	}
}

// Members returns the number of clients in a room.
func (h *Hub) Members(room string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.rooms[room])
}
