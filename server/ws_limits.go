package server

import "sync"

// connCounts counts open real-time connections per key (a session, an
// address), so that one sign-in or one address cannot hold thousands.
type connCounts struct {
	mu    sync.Mutex
	limit int
	open  map[string]int
}

func newConnCounts(limit int) *connCounts { return &connCounts{limit: limit, open: map[string]int{}} }

// full reports whether key is at its limit.
func (c *connCounts) full(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open[key] >= c.limit
}

// add counts one more connection for key unless it is at its limit.
func (c *connCounts) add(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open[key] >= c.limit {
		return false
	}
	c.open[key]++
	return true
}

// done counts a connection of key as closed.
func (c *connCounts) done(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.open[key]--; c.open[key] <= 0 {
		delete(c.open, key)
	}
}
