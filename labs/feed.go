package labs

import (
	"context"
	"errors"
	"time"
)

// Signal is a short message one server instance sends all the others
// through the store: a document changed, a person signed out, a cursor
// moved. Origin names the sending instance (random for each process), N
// counts its signals from 1, so a receiver tells a lost signal from a
// late one. Body is JSON, read only by the server.
type Signal struct {
	Origin string
	N      int64
	Kind   string
	Body   []byte
	At     time.Time
}

// MaxSignalBody bounds a signal's body: signals carry IDs and small
// encoded events, never documents.
const MaxSignalBody = 64 * 1024

// FeedEvent is one thing the feed heard: a section change or a signal.
// Resume is where to resume after it (see Feed.Follow).
type FeedEvent struct {
	Change *Change
	Signal *Signal
	Resume []byte
}

// ErrResumeLost means a feed cannot resume where it stopped: the store no
// longer holds what happened since. The follower starts again from now
// and catches up from the store by version.
var ErrResumeLost = errors.New("feed cannot resume: its history is gone")

// Feed is how several server instances on one store hear each other: the
// store's stream of every section change and signal, in the order they
// were stored. Engines that serve one process (SQLite) do not have one.
type Feed interface {
	// Signal stores a signal for every instance's feed. Signals are kept a
	// short while only: an instance that was away longer catches up from
	// the store, not from signals.
	Signal(ctx context.Context, s Signal) error
	// Follow calls started once the stream is open, then fn with each
	// section change and signal stored after resume (nil: after the
	// stream opened), in store order, until ctx ends, fn fails or the
	// stream does; it returns why it ended. ErrResumeLost when resume is
	// no longer usable.
	Follow(ctx context.Context, resume []byte, started func(), fn func(FeedEvent) error) error
	// PruneSignals deletes the signals stored before t.
	PruneSignals(ctx context.Context, before time.Time) error
}
