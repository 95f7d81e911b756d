package realtime

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/linklab/linklab/labs"
)

// AuthorityConfig configures an Authority. Zero values get defaults.
type AuthorityConfig struct {
	Store labs.ChangeStore // required
	// Publish is called with the changes of each commit, in version order,
	// while the section is locked: it must not block (the hub only queues).
	// One call per commit lets the caller encode and queue them once.
	Publish func([]Update)
	// SnapshotEvery is how many changes pass between snapshots (default 100).
	SnapshotEvery int
	// History is how many recent changes per section stay in memory, at
	// least, for rebasing pushes made against older versions (default
	// 2000); up to half as many again are kept before the oldest go.
	// Older ones are read from the store.
	History int
	// MaxBehind is how far behind the current version a push or a resume
	// may start; older ones get ErrResync (default 50,000).
	MaxBehind int
	// MaxTextLen bounds a section's text in UTF-16 code units (default
	// labs.MaxSectionLength).
	MaxTextLen int
	Now        func() time.Time
}

// Authority is the single source of truth for sections' texts: it accepts
// changes, maps those made against older versions, stores them before
// anyone hears of them, and publishes them. Safe for concurrent use; work on
// one section is serialized, sections are independent.
type Authority struct {
	cfg      AuthorityConfig
	mu       sync.Mutex
	sections map[string]*section
}

// section is one section's state in memory.
type section struct {
	// refs counts the calls working on the section and used is when the
	// last of them ended (Unix nanoseconds). A section is evicted only when
	// no call holds it and it has been idle a while. refs goes up only
	// under Authority.mu, which Evict holds, so a section being acquired is
	// never evicted; releasing needs no lock, which keeps a push on the hot
	// path to one take of the authority-wide mutex.
	refs atomic.Int64
	used atomic.Int64

	// qmu guards the queue of pushes waiting for the next commit.
	qmu        sync.Mutex
	queue      []*pushReq
	committing bool

	mu      sync.Mutex
	loaded  bool
	id      string
	text    Text
	version int
	// history holds the latest changes: history[i] created version
	// version-len(history)+i+1.
	history      []Update
	lastSnapshot int
	// spare is a text buffer no one refers to, for the next change to be
	// written into: a section of thousands of characters is not copied
	// into new memory on every keystroke.
	spare Text
}

// Update is an accepted change, as published.
type Update struct {
	Section  string
	Version  int // the version this change created
	ClientID string
	Seq      int64
	Changes  ChangeSet
	// raw is Changes in JSON, encoded once when the change is accepted (or
	// as read from the store) and shared by the store write and every
	// subscriber's message.
	raw []byte
}

// ChangesJSON returns the change in the @codemirror/state JSON form.
func (u Update) ChangesJSON() []byte {
	if u.raw != nil {
		return u.raw
	}
	return u.Changes.AppendJSON(nil)
}

// Pushed is one change as a client sends it.
type Pushed struct {
	Seq     int64
	Changes ChangeSet
}

// Seed is a section's starting point when it has no snapshot yet: the text
// and version stored with its document.
type Seed struct {
	Text    string
	Version int
}

// ErrResync means the client's version is too old (or from the future) to
// continue from: it must reload the section.
var ErrResync = errors.New("resync needed")

// NewAuthority returns an Authority.
func NewAuthority(cfg AuthorityConfig) *Authority {
	if cfg.SnapshotEvery == 0 {
		cfg.SnapshotEvery = 100
	}
	if cfg.History == 0 {
		cfg.History = 2000
	}
	if cfg.MaxBehind == 0 {
		cfg.MaxBehind = 50_000
	}
	if cfg.MaxTextLen == 0 {
		cfg.MaxTextLen = labs.MaxSectionLength
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Publish == nil {
		cfg.Publish = func([]Update) {}
	}
	return &Authority{cfg: cfg, sections: map[string]*section{}}
}

// acquire returns the section's state, creating it if needed, and holds
// it in memory until release.
func (a *Authority) acquire(id string) *section {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.sections[id]
	if s == nil {
		s = &section{id: id}
		a.sections[id] = s
	}
	s.refs.Add(1)
	return s
}

// release ends a call's hold; the time is stored before the count drops,
// so Evict never sees a section free with the time of an older call.
func (a *Authority) release(s *section) {
	s.used.Store(a.cfg.Now().UnixNano())
	s.refs.Add(-1)
}

// Evict drops from memory the sections no call has used since before, and
// reports how many it dropped. Nothing is lost: everything in memory was
// stored before it was published, and the next use loads the section
// again from its latest snapshot and the changes after it. Without this a
// long-running server would keep every section it ever opened.
func (a *Authority) Evict(before time.Time) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for id, s := range a.sections {
		if s.refs.Load() == 0 && s.used.Load() < before.UnixNano() {
			delete(a.sections, id)
			n++
		}
	}
	return n
}

// EvictIdle evicts, every interval until ctx ends, the sections idle for
// longer than idle.
func (a *Authority) EvictIdle(ctx context.Context, interval, idle time.Duration) {
	every(ctx, interval, func() { a.Evict(a.cfg.Now().Add(-idle)) })
}

// InMemory reports how many sections are held in memory.
func (a *Authority) InMemory() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sections)
}

// load reads the section from the store: its latest snapshot (or seed),
// then the changes after it. Called with s.mu held.
func (a *Authority) load(ctx context.Context, s *section, seed Seed) error {
	if s.loaded {
		return nil
	}
	text, version := seed.Text, seed.Version
	snap, err := a.cfg.Store.LatestSnapshot(ctx, s.id)
	switch {
	case err == nil && snap.Version >= version:
		text, version = snap.Text, snap.Version
	case err != nil && !labs.IsCode(err, labs.ENotFound):
		return err
	}
	latest, err := a.cfg.Store.LatestVersion(ctx, s.id)
	if err != nil {
		return err
	}
	changes, err := a.cfg.Store.Changes(ctx, s.id, version, latest)
	if err != nil {
		return err
	}
	doc := TextOf(text)
	var history []Update
	for _, c := range changes {
		cs, err := ParseChangeSet(c.Changes)
		if err == nil {
			doc, err = cs.Apply(doc)
		}
		if err != nil || c.Version != version+1 {
			return fmt.Errorf("replay section %s at version %d: stored change does not apply: %v", s.id, c.Version, err)
		}
		version = c.Version
		history = append(history, Update{Section: s.id, Version: c.Version, ClientID: c.ClientID, Seq: c.Seq, Changes: cs, raw: c.Changes})
	}
	if len(history) > a.cfg.History {
		history = history[len(history)-a.cfg.History:]
	}
	s.text, s.version, s.history, s.lastSnapshot, s.loaded = doc, version, history, version-len(changes), true
	return nil
}

// since returns the changes after version from, from memory or, for older
// ones, from the store. Called with s.mu held.
func (a *Authority) since(ctx context.Context, s *section, from int) ([]Update, error) {
	if from > s.version || s.version-from > a.cfg.MaxBehind || from < 0 {
		return nil, ErrResync
	}
	oldest := s.version - len(s.history) // the version history starts from
	if from >= oldest {
		return s.history[from-oldest:], nil
	}
	stored, err := a.cfg.Store.Changes(ctx, s.id, from, oldest)
	if err != nil {
		return nil, err
	}
	if len(stored) != oldest-from {
		return nil, ErrResync // the log was cut: only a snapshot is left
	}
	out := make([]Update, 0, s.version-from)
	for _, c := range stored {
		cs, err := ParseChangeSet(c.Changes)
		if err != nil {
			return nil, fmt.Errorf("read change %s@%d: %w", s.id, c.Version, err)
		}
		out = append(out, Update{Section: s.id, Version: c.Version, ClientID: c.ClientID, Seq: c.Seq, Changes: cs, raw: c.Changes})
	}
	return append(out, s.history...), nil
}

// State is a section's version and text at one moment.
type State struct {
	Version int
	Text    string
}

// Join loads the section and, while it is locked, calls join with its state
// and the changes after version from (from < 0 asks for no changes, only the
// state). Whatever join registers therefore misses no published change and
// sees none twice. ErrResync when from is unusable.
func (a *Authority) Join(ctx context.Context, sectionID string, seed Seed, from int, join func(State, []Update)) error {
	s := a.acquire(sectionID)
	defer a.release(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := a.load(ctx, s, seed); err != nil {
		return err
	}
	var missed []Update
	if from >= 0 {
		var err error
		if missed, err = a.since(ctx, s, from); err != nil {
			return err
		}
	}
	join(State{Version: s.version, Text: s.text.String()}, missed)
	return nil
}

// Push accepts a client's changes made against version base: it drops the
// ones already accepted (same client and sequence number), maps the rest
// over every change accepted since base one at a time, exactly as
// @codemirror/collab's receiveUpdates does on the client, checks them,
// stores them, and only then publishes them. It returns the section's
// version afterwards. Errors: ErrResync; labs EInvalid or ETooLarge (nothing
// of this push was accepted); EConflict when another instance took the
// version (the section reloads; the client retries).
//
// Pushes to one section that arrive while a commit is under way are
// committed together, in arrival order, in one store transaction: the
// disk's sync is shared among them instead of queued behind. Each push is
// still checked and refused on its own.
func (a *Authority) Push(ctx context.Context, sectionID string, seed Seed, base int, clientID, authorID string, pushed []Pushed) (int, error) {
	s := a.acquire(sectionID)
	defer a.release(s)
	req := &pushReq{ctx: ctx, seed: seed, base: base, clientID: clientID, authorID: authorID, pushed: pushed, done: make(chan struct{})}
	s.qmu.Lock()
	s.queue = append(s.queue, req)
	lead := !s.committing
	s.committing = true
	s.qmu.Unlock()
	if lead {
		a.commitLoop(s)
	}
	<-req.done
	return req.version, req.err
}

// pushReq is one push waiting to be committed.
type pushReq struct {
	ctx                context.Context
	seed               Seed
	base               int
	clientID, authorID string
	pushed             []Pushed
	done               chan struct{}
	version            int
	err                error
	accepted           []Update
}

// commitLoop commits queued pushes batch by batch until the queue is empty.
// It runs in the goroutine of the push that found no commit under way.
func (a *Authority) commitLoop(s *section) {
	for {
		s.qmu.Lock()
		batch := s.queue
		s.queue = nil
		if len(batch) == 0 {
			s.committing = false
			s.qmu.Unlock()
			return
		}
		s.qmu.Unlock()
		a.commit(s, batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// commit applies a batch of pushes to the section and stores all their
// changes in one transaction. A push refused by the checks gets its error
// and leaves the others alone; if the store write fails, every push of the
// batch fails and the section is as before.
func (a *Authority) commit(s *section, batch []*pushReq) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The batch's store work runs on a context no single push can cancel:
	// it belongs to all of them.
	ctx := context.WithoutCancel(batch[0].ctx)
	if err := a.load(ctx, s, batch[0].seed); err != nil {
		for _, r := range batch {
			r.err = err
		}
		return
	}
	text, version, historyLen := s.text, s.version, len(s.history)
	var changes []labs.Change
	now := a.cfg.Now().UTC().Truncate(time.Millisecond)
	for _, r := range batch {
		if r.ctx.Err() != nil {
			r.err = r.ctx.Err()
			continue
		}
		r.accepted, r.err = a.apply(r.ctx, s, r)
		r.version = s.version
		for _, u := range r.accepted {
			changes = append(changes, labs.Change{SectionID: s.id, Version: u.Version, ClientID: u.ClientID, Seq: u.Seq,
				AuthorID: r.authorID, Changes: u.raw, At: now})
		}
	}
	if len(changes) > 0 {
		if err := a.cfg.Store.AppendChanges(ctx, changes); err != nil {
			if labs.IsCode(err, labs.EConflict) {
				s.loaded = false // another writer took the version: reload next time
			}
			s.text, s.version, s.history = text, version, s.history[:historyLen]
			for _, r := range batch {
				if r.err == nil {
					r.err, r.accepted = err, nil
				}
			}
			return
		}
	}
	var published []Update
	for _, r := range batch {
		published = append(published, r.accepted...)
	}
	if len(published) > 0 {
		s.spare = text // stored: the text before the batch is needed no more
		a.cfg.Publish(published)
	}
	// The history is cut back to its size once it has grown by half of it,
	// so the copy is paid once per many commits, not on each.
	if extra := len(s.history) - a.cfg.History; extra > a.cfg.History/2 {
		s.history = append([]Update(nil), s.history[extra:]...)
	}
	if s.version-s.lastSnapshot >= a.cfg.SnapshotEvery {
		// A snapshot only shortens the next load; failing to save one
		// loses nothing, so it does not fail the pushes.
		if err := a.cfg.Store.SaveSnapshot(ctx, labs.Snapshot{SectionID: s.id, Version: s.version,
			Text: s.text.String(), At: now}); err == nil {
			s.lastSnapshot = s.version
		}
	}
}

// apply checks one push against the section's current state, maps it,
// and advances the state in memory. Called with s.mu held; the caller
// stores the accepted changes, or undoes the state if it cannot.
func (a *Authority) apply(ctx context.Context, s *section, r *pushReq) ([]Update, error) {
	over, err := a.since(ctx, s, r.base)
	if err != nil {
		return nil, err
	}
	// The text length at base, to check the pushed changes before mapping.
	length := len(s.text)
	if len(over) > 0 {
		length = over[0].Changes.Len()
	}
	pending := make([]Pushed, len(r.pushed))
	copy(pending, r.pushed)
	for i, p := range pending {
		if p.Changes.Len() != length {
			return nil, labs.Errorf(labs.EInvalid, "Change %d is for a text of length %d; at version %d the text has length %d.",
				i, p.Changes.Len(), r.base, length)
		}
		length = p.Changes.NewLen()
	}
	// scratch[i] is the memory of pending[i]'s superseded mapping, reused
	// by the next one. Only mappings made here are reused, never the pushed
	// change sets themselves; ours[i] says pending[i] is one.
	scratch := make([]ChangeSet, len(pending))
	ours := make([]bool, len(pending))
	for _, x := range over {
		if x.ClientID == r.clientID && len(pending) > 0 && pending[0].Seq == x.Seq {
			// Accepted before; the client had not heard yet.
			pending, scratch, ours = pending[1:], scratch[1:], ours[1:]
			continue
		}
		// Only the description of x is needed to map over: mapSet never
		// reads the other side's text, so x's text is not copied each time.
		xc := x.Changes.Desc()
		for i := range pending {
			if xc.Empty() {
				break // nothing left of x to map over
			}
			orig := pending[i].Changes
			pending[i].Changes = orig.mapReusing(xc, false, scratch[i])
			scratch[i] = ChangeSet{}
			if ours[i] {
				scratch[i] = orig
			}
			ours[i] = true
			if i+1 < len(pending) { // x mapped over this change only matters to the next one
				xc = xc.Map(orig, true)
			}
		}
	}
	// The texts between the pushed changes are written into s.spare, which
	// the section keeps for it; s.text itself is left as it is until the
	// batch is stored, in case it is not.
	text := s.text
	accepted := make([]Update, len(pending))
	for i, p := range pending {
		if err := p.Changes.CheckBoundaries(text); err != nil {
			return nil, labs.Errorf(labs.EInvalid, "Change %d splits a character in two.", i)
		}
		next, err := p.Changes.applyTo(s.spare, text)
		if err != nil {
			return nil, labs.Errorf(labs.EInvalid, "Change %d does not apply: %v.", i, err)
		}
		s.spare = nil
		if i > 0 {
			s.spare = text // an intermediate text nothing refers to
		}
		text = next
		if len(text) > a.cfg.MaxTextLen {
			return nil, labs.Errorf(labs.ETooLarge, "A section holds at most %d characters.", a.cfg.MaxTextLen)
		}
		accepted[i] = Update{Section: s.id, Version: s.version + i + 1, ClientID: r.clientID, Seq: p.Seq, Changes: p.Changes,
			raw: p.Changes.AppendJSON(nil)}
	}
	s.text, s.version = text, s.version+len(accepted)
	s.history = append(s.history, accepted...)
	return accepted, nil
}

// Text returns a section's current version and text, loading it if needed.
func (a *Authority) Text(ctx context.Context, sectionID string, seed Seed) (State, error) {
	var st State
	err := a.Join(ctx, sectionID, seed, -1, func(s State, _ []Update) { st = s })
	return st, err
}

// Locate maps positions made at version from to the section's current
// version, one accepted change at a time, and calls fn with the results
// while the section is locked, so that what fn publishes is ordered with
// the section's updates for every subscriber. ErrResync when from is
// unusable; EInvalid when a position is outside the text at from.
func (a *Authority) Locate(ctx context.Context, sectionID string, seed Seed, from int, positions []int, fn func(version int, mapped []int)) error {
	s := a.acquire(sectionID)
	defer a.release(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := a.load(ctx, s, seed); err != nil {
		return err
	}
	over, err := a.since(ctx, s, from)
	if err != nil {
		return err
	}
	length := len(s.text)
	if len(over) > 0 {
		length = over[0].Changes.Len()
	}
	mapped := make([]int, len(positions))
	for i, p := range positions {
		if p < 0 || p > length {
			return labs.Errorf(labs.EInvalid, "Position %d is outside the text (length %d at version %d).", p, length, from)
		}
		for _, u := range over {
			p = u.Changes.MapPos(p, -1)
		}
		mapped[i] = p
	}
	fn(s.version, mapped)
	return nil
}
