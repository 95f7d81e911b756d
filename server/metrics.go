package server

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// metrics is a small Prometheus text-format registry: request counts by
// method, route and status, and request duration histograms by route.
type metrics struct {
	inFlight atomic.Int64
	wsOpen   atomic.Int64

	mu        sync.Mutex
	requests  map[[3]string]uint64
	durations map[string]*histogram
	start     time.Time
}

var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[3]string]uint64{}, durations: map[string]*histogram{}, start: time.Now()}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[3]string{method, route, fmt.Sprint(status)}]++
	h := m.durations[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets))}
		m.durations[route] = h
	}
	sec := d.Seconds()
	for i, b := range durationBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.count++
}

func (m *metrics) write(b *strings.Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.WriteString("# HELP linklab_http_requests_total HTTP requests by method, route pattern and status.\n")
	b.WriteString("# TYPE linklab_http_requests_total counter\n")
	keys := make([][3]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return strings.Compare(strings.Join(a[:], " "), strings.Join(b[:], " ")) })
	for _, k := range keys {
		fmt.Fprintf(b, "linklab_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
	}
	b.WriteString("# HELP linklab_http_request_duration_seconds HTTP request duration by route pattern.\n")
	b.WriteString("# TYPE linklab_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.durations))
	for r := range m.durations {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		h := m.durations[r]
		var cum uint64
		for i, le := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(b, "linklab_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, le, cum)
		}
		fmt.Fprintf(b, "linklab_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.count)
		fmt.Fprintf(b, "linklab_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(b, "linklab_http_request_duration_seconds_count{route=%q} %d\n", r, h.count)
	}
	fmt.Fprintf(b, "# HELP linklab_http_requests_in_flight Requests being served.\n# TYPE linklab_http_requests_in_flight gauge\nlinklab_http_requests_in_flight %d\n", m.inFlight.Load())
	fmt.Fprintf(b, "# HELP linklab_ws_connections Open real-time connections.\n# TYPE linklab_ws_connections gauge\nlinklab_ws_connections %d\n", m.wsOpen.Load())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(b, "# HELP go_goroutines Goroutines that currently exist.\n# TYPE go_goroutines gauge\ngo_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(b, "# HELP go_memstats_heap_alloc_bytes Heap bytes allocated and in use.\n# TYPE go_memstats_heap_alloc_bytes gauge\ngo_memstats_heap_alloc_bytes %d\n", ms.HeapAlloc)
	fmt.Fprintf(b, "# HELP process_uptime_seconds Seconds since the server started.\n# TYPE process_uptime_seconds gauge\nprocess_uptime_seconds %g\n", time.Since(m.start).Seconds())
}

func (s *Server) serveMetrics(c *fiber.Ctx) error {
	var b strings.Builder
	s.metrics.write(&b)
	fmt.Fprintf(&b, "# HELP linklab_sections_in_memory Sections the real-time authority holds in memory.\n# TYPE linklab_sections_in_memory gauge\nlinklab_sections_in_memory %d\n", s.authority.InMemory())
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.SendString(b.String())
}
