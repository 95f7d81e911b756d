package realtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linklab/linklab/labs"
)

// RelayConfig wires a Relay.
type RelayConfig struct {
	Feed      labs.Feed // required
	Origin    string    // this instance, unique among those running
	Authority *Authority
	// Signal handles a signal from another instance, in feed order.
	Signal func(ctx context.Context, s labs.Signal)
	// Resynced is called when the feed lost its place and started again
	// from the present, after the sections held here caught up: whatever
	// else the instance holds from others must be read again.
	Resynced func(ctx context.Context)
	// Gone is called when an instance has sent nothing for a while (it
	// stopped or lost the store): what it had shown here must go.
	Gone func(origin string)
	// Alive is how often this instance tells the others it runs
	// (default 5 s); an instance silent for four times that is gone.
	Alive time.Duration
	// Keep is how long signals stay in the store (default ten minutes).
	Keep   time.Duration
	Logger *slog.Logger
	Now    func() time.Time
}

// Signal kinds the relay itself sends.
const (
	signalAlive = "alive"
)

// Relay is the publishing path's cross-instance form: one feed per
// instance (the store's change stream), dispatched in process. Section
// changes from others go to the Authority, which publishes them in version
// order with gaps filled from the store; signals go to the server. When
// the stream breaks it resumes from the last event heard, or, when that
// is gone, from the present after catching up from the store.
type Relay struct {
	cfg   RelayConfig
	n     atomic.Int64 // the last signal number given
	ready atomic.Bool

	out  chan labs.Signal // signals waiting to be stored, in order
	mu   sync.Mutex
	seen map[string]origin // other instances, by origin
}

type origin struct {
	last int64     // the last signal number heard
	at   time.Time // when it was heard
}

// NewRelay returns a Relay; Run starts it.
func NewRelay(cfg RelayConfig) *Relay {
	if cfg.Alive == 0 {
		cfg.Alive = 5 * time.Second
	}
	if cfg.Keep == 0 {
		cfg.Keep = 10 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Signal == nil {
		cfg.Signal = func(context.Context, labs.Signal) {}
	}
	if cfg.Resynced == nil {
		cfg.Resynced = func(context.Context) {}
	}
	if cfg.Gone == nil {
		cfg.Gone = func(string) {}
	}
	return &Relay{cfg: cfg, out: make(chan labs.Signal, relayQueue), seen: map[string]origin{}}
}

// relayQueue bounds the signals waiting to be stored. A store that cannot
// take them for that long loses signals, not the process's memory; the
// others notice the gap and read everything again.
const relayQueue = 8192

// Origin is this instance's name in the feed.
func (r *Relay) Origin() string { return r.cfg.Origin }

// Ready reports whether the feed is open: until it is, this instance
// would not hear the others.
func (r *Relay) Ready() bool { return r.ready.Load() }

// Send tells every other instance something, in the order of the calls.
// It never blocks: the signal is stored by the relay's writer.
func (r *Relay) Send(kind string, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		r.cfg.Logger.Error("signal not sent", "kind", kind, "err", err)
		return
	}
	select {
	case r.out <- labs.Signal{Origin: r.cfg.Origin, N: r.n.Add(1), Kind: kind, Body: b, At: r.cfg.Now().UTC()}:
	default:
		r.cfg.Logger.Error("signal dropped: the store does not keep up", "kind", kind)
	}
}

// Run follows the feed and writes signals until ctx ends.
func (r *Relay) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { r.write(ctx) })
	wg.Go(func() {
		Every(ctx, r.cfg.Alive, func() {
			r.Send(signalAlive, struct{}{})
			r.sweep()
		})
	})
	wg.Go(func() {
		Every(ctx, time.Minute, func() {
			if err := r.cfg.Feed.PruneSignals(ctx, r.cfg.Now().Add(-r.cfg.Keep)); err != nil && ctx.Err() == nil {
				r.cfg.Logger.Warn("old signals not pruned", "err", err)
			}
		})
	})
	r.follow(ctx)
	wg.Wait()
}

// write stores queued signals in order. A signal the store refuses is
// dropped after a few tries: the receivers see the gap in the numbers.
func (r *Relay) write(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-r.out:
			for try := 0; ; try++ {
				err := r.cfg.Feed.Signal(ctx, s)
				if err == nil || ctx.Err() != nil {
					break
				}
				if try == 4 {
					r.cfg.Logger.Error("signal dropped", "kind", s.Kind, "err", err)
					break
				}
				sleep(ctx, time.Duration(50<<try)*time.Millisecond)
			}
		}
	}
}

// follow reads the feed until ctx ends, resuming after failures.
func (r *Relay) follow(ctx context.Context) {
	var resume []byte
	backoff := 50 * time.Millisecond
	for ctx.Err() == nil {
		heard := false
		err := r.cfg.Feed.Follow(ctx, resume, func() { r.ready.Store(true) }, func(e labs.FeedEvent) error {
			heard = true
			r.dispatch(ctx, e)
			resume = e.Resume
			return nil
		})
		r.ready.Store(false)
		if ctx.Err() != nil {
			return
		}
		if heard {
			backoff = 50 * time.Millisecond
		}
		if errors.Is(err, labs.ErrResumeLost) {
			r.cfg.Logger.Warn("feed lost its place: starting from now and catching up from the store", "err", err)
			resume = nil
			r.resync(ctx)
			continue
		}
		r.cfg.Logger.Warn("feed interrupted: resuming", "err", err, "in", backoff)
		sleep(ctx, backoff)
		backoff = min(2*backoff, 5*time.Second)
	}
}

// resync catches up everything held here from the store. It runs on the
// stream's goroutine, before the first event of the new stream: an event
// heard after it is ordered after what it read.
func (r *Relay) resync(ctx context.Context) {
	if r.cfg.Authority != nil {
		if err := r.cfg.Authority.CatchUpAll(ctx); err != nil {
			r.cfg.Logger.Error("catching up after the feed lost its place", "err", err)
		}
	}
	r.cfg.Resynced(ctx)
}

// dispatch hands one feed event to its handler.
func (r *Relay) dispatch(ctx context.Context, e labs.FeedEvent) {
	defer func() {
		if p := recover(); p != nil {
			r.cfg.Logger.Error("fault while handling a feed event", "err", fmt.Sprint(p))
		}
	}()
	switch {
	case e.Change != nil:
		if r.cfg.Authority != nil {
			if err := r.cfg.Authority.Heard(ctx, *e.Change); err != nil {
				r.cfg.Logger.Error("change from another instance", "section", e.Change.SectionID, "err", err)
			}
		}
	case e.Signal != nil && e.Signal.Origin != r.cfg.Origin:
		s := *e.Signal
		r.mu.Lock()
		prev, known := r.seen[s.Origin]
		if !known || s.N > prev.last {
			r.seen[s.Origin] = origin{last: s.N, at: r.cfg.Now()}
		}
		r.mu.Unlock()
		if known && s.N > prev.last+1 {
			// Signals of that instance were lost (its store writes
			// failed): what they said is read from the store again.
			r.cfg.Logger.Warn("signals lost", "origin", s.Origin, "from", prev.last+1, "to", s.N-1)
			r.cfg.Resynced(ctx)
		}
		if s.Kind != signalAlive {
			r.cfg.Signal(ctx, s)
		}
	}
}

// sweep forgets the instances that have been silent too long.
func (r *Relay) sweep() {
	cutoff := r.cfg.Now().Add(-4 * r.cfg.Alive)
	var gone []string
	r.mu.Lock()
	for o, seen := range r.seen {
		if seen.at.Before(cutoff) {
			gone = append(gone, o)
			delete(r.seen, o)
		}
	}
	r.mu.Unlock()
	for _, o := range gone {
		r.cfg.Gone(o)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
