package server

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// limitAddress takes one of the client address's tokens for the routes that
// check secrets (sign-in, setup, invitations), so nobody can guess at speed.
func (s *Server) limitAddress(c *fiber.Ctx) error {
	if !s.signInByAddress.allow(s.clientIPs.of(c)) {
		return labs.Errorf(labs.ERateLimited, "Too many attempts from your address. Wait a minute and try again.")
	}
	return nil
}

// limiter is a token bucket per key: n events per period, refilled evenly.
// It bounds its own memory by forgetting full buckets when it grows.
type limiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

const maxLimiterKeys = 100_000

func newLimiter(n int, period time.Duration, now func() time.Time) *limiter {
	return &limiter{rate: float64(n) / period.Seconds(), burst: float64(n), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key and reports whether there was one.
func (l *limiter) allow(key string) bool { return l.take(key, 1) }

// give returns a token taken by allow, up to the burst.
func (l *limiter) give(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if b, ok := l.buckets[key]; ok {
		b.tokens = min(l.burst, b.tokens+1)
	}
}

func (l *limiter) take(key string, n float64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxLimiterKeys {
			l.prune(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.rate)
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens -= n
	return true
}

// prune drops buckets that have refilled: forgetting them changes nothing.
func (l *limiter) prune(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
}
