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

// Client is the server's side of one connection: a bounded queue of
// encoded messages and the goroutine that writes them. A client that
// cannot keep up is disconnected rather than allowed to grow memory or
// stall a room; it reconnects and resumes from the versions it has.
type Client struct {
	t    Transport
	send chan []byte
	done chan struct{}
	once sync.Once
	ping time.Duration
}

// NewClient starts the writer of a connection. queue bounds the number of
// messages waiting to be written; ping is the keep-alive interval.
func NewClient(t Transport, queue int, ping time.Duration) *Client {
	return &Client{t: t, send: make(chan []byte, queue), done: make(chan struct{}), ping: ping}
}

// Run writes queued messages until ctx ends or the client is closed.
func (c *Client) Run(ctx context.Context) {
	t := time.NewTicker(c.ping)
	defer t.Stop()
	for {
		select {
		case b := <-c.send:
			if err := c.t.WriteMessage(c.batch(b)); err != nil {
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

// maxFrame bounds how many bytes of queued messages go into one frame.
const maxFrame = 64 * 1024

// batch joins first with whatever else is already queued, up to maxFrame,
// into one frame of messages separated by "\n" (JSON text never holds a raw
// newline). Under load this turns many small writes into a few large ones;
// when the queue is empty it costs nothing.
func (c *Client) batch(first []byte) []byte {
	if len(c.send) == 0 {
		return first
	}
	frame := append(make([]byte, 0, min(maxFrame, 4*len(first))), first...)
	for len(frame) < maxFrame {
		select {
		case b := <-c.send:
			frame = append(append(frame, '\n'), b...)
		default:
			return frame
		}
	}
	return frame
}

// Enqueue queues b without blocking. When the queue is full the client is
// closed with CloseTooSlow and Enqueue reports false.
func (c *Client) Enqueue(b []byte) bool {
	select {
	case <-c.done:
		return false
	default:
	}
	select {
	case c.send <- b:
		return true
	default:
		c.Close(CloseTooSlow, "too slow: reconnect and resume")
		return false
	}
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
