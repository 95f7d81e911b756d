package realtime

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/linklab/linklab/labs"
)

// Transport is one client connection as the hub sees it. WriteFrame is
// called from one goroutine at a time; Ping and Close may be called beside
// it (websocket control frames may be written concurrently with data).
type Transport interface {
	// WriteFrame writes msgs as one text frame, separated by "\n". The
	// transport decides where the frame is assembled: in a busy room a
	// new buffer per subscriber every few milliseconds would be most of
	// the server's garbage.
	WriteFrame(msgs [][]byte) error
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
	CloseInternal    = 1011 // a fault while handling a message
)

// Client is the server's side of one connection: a queue of encoded
// messages and, while there is something to write, a goroutine writing it.
// An idle connection holds no queue, no writer goroutine and no write
// buffer, so thousands of them cost little; keep-alive pings come from the
// Pinger, for all connections at once. The queue is bounded: a client that
// cannot keep up is disconnected rather than allowed to grow memory or
// stall a room; it reconnects and resumes from the versions it has.
type Client struct {
	t        Transport
	maxQueue int

	mu      sync.Mutex
	queue   [][]byte
	writing bool // a writer goroutine is running
	// inflight counts the messages the writer has taken and not yet
	// written; wrote is signalled (without blocking) after each write.
	inflight int
	wrote    chan struct{}
	closed   bool
	// closing holds the close code and reason once CloseAfterSending was
	// called: nothing more is queued, and the writer closes when done.
	closing *closeReq
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup // the writer, for Wait
	// pingMu is held during a keep-alive ping. Close waits for it, so no
	// ping touches the transport once Close returns (the connection's
	// owner may then release it).
	pingMu sync.Mutex

	// narrowed holds, per subscribed document that has sections read by
	// fewer people than the document, those of them this client may read
	// (under mu). Documents without such sections take no space here.
	narrowed map[string]map[string]struct{}
}

// SetNarrowed records which of a document's narrowed sections the client
// may read (see labs.Document.Narrowed); nil forgets the document.
// Document and section events about the other narrowed sections are not
// sent to it.
func (c *Client) SetNarrowed(doc string, sections []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(sections) == 0 {
		delete(c.narrowed, doc)
		return
	}
	if c.narrowed == nil {
		c.narrowed = map[string]map[string]struct{}{}
	}
	set := make(map[string]struct{}, len(sections))
	for _, id := range sections {
		set[id] = struct{}{}
	}
	c.narrowed[doc] = set
}

// Sees reports whether the client may read a section of d, as recorded
// when it subscribed (see SetNarrowed).
func (c *Client) Sees(d labs.Document, sec labs.Section) bool { return c.sees(d, sec) }

// sees reports whether the client may read a section of d.
func (c *Client) sees(d labs.Document, sec labs.Section) bool {
	if !d.Narrowed(sec) {
		return true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.narrowed[d.ID][sec.ID]
	return ok
}

type closeReq struct {
	code   int
	reason string
}

// NewClient returns the client of a connection; maxQueue bounds the
// messages waiting to be written.
func NewClient(t Transport, maxQueue int) *Client {
	return &Client{t: t, maxQueue: maxQueue, done: make(chan struct{}), wrote: make(chan struct{}, 1)}
}

// maxFrame bounds how many bytes of queued messages go into one frame.
const maxFrame = 64 * 1024

// write runs while the queue is not empty, then ends. It writes at once
// what is queued when it starts: an idle connection adds no delay to a
// change. What arrives while a write is in flight waits for it and goes
// out together in the next frame, so a busy room still costs one write
// for many updates, gathered by the network's own pace rather than by a
// fixed wait.
func (c *Client) write() {
	defer c.wg.Done()
	for {
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		c.inflight = len(batch)
		if len(batch) == 0 || c.closed {
			c.writing = false
			closing := c.closing
			c.mu.Unlock()
			c.signalWrote()
			if closing != nil {
				c.Close(closing.code, closing.reason)
			}
			return
		}
		c.mu.Unlock()
		err := c.flush(batch)
		c.mu.Lock()
		c.inflight = 0
		c.mu.Unlock()
		c.signalWrote()
		if err != nil {
			c.Close(CloseNormal, "write failed")
			c.mu.Lock()
			c.writing = false
			c.mu.Unlock()
			return
		}
	}
}

func (c *Client) signalWrote() {
	select {
	case c.wrote <- struct{}{}:
	default:
	}
}

// WaitBacklog waits until at most n messages are queued or being written
// for the client, that is until the client has read the rest. It fails
// when the client is closed or ctx ends. Only one caller at a time: the
// connection's message handler.
func (c *Client) WaitBacklog(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		// A client being closed (after its last messages) takes no more.
		backlog, closed := len(c.queue)+c.inflight, c.closed || c.closing != nil
		c.mu.Unlock()
		switch {
		case closed:
			return errClientClosed
		case backlog <= n:
			return nil
		}
		select {
		case <-c.wrote:
		case <-c.done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

var errClientClosed = errors.New("connection closed")

// flush writes a batch as frames of up to maxFrame bytes of messages.
func (c *Client) flush(batch [][]byte) error {
	for len(batch) > 0 {
		n, size := 1, len(batch[0])
		for ; n < len(batch) && size+1+len(batch[n]) <= maxFrame; n++ {
			size += 1 + len(batch[n])
		}
		if err := c.t.WriteFrame(batch[:n]); err != nil {
			return err
		}
		batch = batch[n:]
	}
	return nil
}

// Enqueue queues b without blocking, starting a writer if none runs. When
// the queue is full the client is closed with CloseTooSlow and Enqueue
// reports false.
func (c *Client) Enqueue(b []byte) bool {
	c.mu.Lock()
	if c.closed || c.closing != nil {
		c.mu.Unlock()
		return false
	}
	if len(c.queue) >= c.maxQueue {
		c.mu.Unlock()
		c.Close(CloseTooSlow, "too slow: reconnect and resume")
		return false
	}
	c.queue = append(c.queue, b)
	start := !c.writing
	c.writing = true
	if start {
		c.wg.Add(1)
	}
	c.mu.Unlock()
	if start {
		go c.write()
	}
	return true
}

// CloseAfterSending closes the connection once what is queued has been
// written (an error that explains the close, say), and queues nothing more.
func (c *Client) CloseAfterSending(code int, reason string) {
	c.mu.Lock()
	if c.closed || c.closing != nil {
		c.mu.Unlock()
		return
	}
	c.closing = &closeReq{code: code, reason: reason}
	writing := c.writing
	c.mu.Unlock()
	c.signalWrote() // a catch-up waiting for this client to read gives up
	if !writing {
		c.Close(code, reason)
	}
}

// Close closes the connection once.
func (c *Client) Close(code int, reason string) {
	c.once.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.queue = nil
		c.mu.Unlock()
		close(c.done)
		c.pingMu.Lock() // wait for a ping in flight; later ones see closed
		c.pingMu.Unlock()
		c.t.Close(code, reason)
	})
}

// ping sends a keep-alive ping unless the client is closed.
func (c *Client) ping() error {
	c.pingMu.Lock()
	defer c.pingMu.Unlock()
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil
	}
	return c.t.Ping()
}

// Wait waits for a writer that may still be running after Close.
func (c *Client) Wait() { c.wg.Wait() }

// Done is closed when the client is closed.
func (c *Client) Done() <-chan struct{} { return c.done }

// Pinger sends keep-alive pings to every registered client from one
// goroutine, so idle connections need no goroutine of their own for it.
type Pinger struct {
	mu      sync.Mutex
	clients map[*Client]struct{}
}

// NewPinger returns an empty Pinger.
func NewPinger() *Pinger { return &Pinger{clients: map[*Client]struct{}{}} }

// Add registers c until Remove.
func (p *Pinger) Add(c *Client) { p.mu.Lock(); p.clients[c] = struct{}{}; p.mu.Unlock() }

// Remove unregisters c.
func (p *Pinger) Remove(c *Client) { p.mu.Lock(); delete(p.clients, c); p.mu.Unlock() }

// Run pings every client each interval until ctx ends. A ping that fails
// closes its client. Transport.Ping must be safe beside a running write.
func (p *Pinger) Run(ctx context.Context, interval time.Duration) {
	Every(ctx, interval, func() {
		p.mu.Lock()
		clients := make([]*Client, 0, len(p.clients))
		for c := range p.clients {
			clients = append(clients, c)
		}
		p.mu.Unlock()
		for _, c := range clients {
			if err := c.ping(); err != nil {
				c.Close(CloseNormal, "ping failed")
			}
		}
	})
}

// Every calls fn each interval until ctx ends.
func Every(ctx context.Context, interval time.Duration, fn func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			fn()
		}
	}
}

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

// Occupied reports whether a room has members here.
func (h *Hub) Occupied(room string) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.rooms[room]) > 0
}
