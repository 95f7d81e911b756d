package realtime

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"slices"
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
	// Keep, when set, names the sections that must stay in memory however
	// idle (those with subscribers here, when other instances may write:
	// see Heard).
	Keep func(section string) bool
	Now  func() time.Time
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

	mu     sync.Mutex
	loaded bool
	// once is set after the first load: a later load (after a fault) also
	// publishes what it finds beyond the version subscribers have.
	once    bool
	id      string
	text    Text
	version int
	// history holds the latest changes: history[i] created version
	// version-len(history)+i+1.
	history      []Update
	lastSnapshot int
	// seqs holds, per client, the highest sequence number accepted in the
	// section, for the clients that pushed since the section was loaded
	// (the others are looked up in the store). nil after a failed commit.
	seqs map[string]int64
	// staging is set while a batch is applied in memory before it is
	// stored: nothing may be caught up from the store meanwhile.
	staging bool
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

// errBehind means a push refers to a change another instance accepted
// that this one has not heard of yet: the section catches up first.
var errBehind = errors.New("behind the store")

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
		if s.refs.Load() == 0 && s.used.Load() < before.UnixNano() && (a.cfg.Keep == nil || !a.cfg.Keep(id)) {
			delete(a.sections, id)
			n++
		}
	}
	return n
}

// EvictIdle evicts, every interval until ctx ends, the sections idle for
// longer than idle.
func (a *Authority) EvictIdle(ctx context.Context, interval, idle time.Duration) {
	Every(ctx, interval, func() { a.Evict(a.cfg.Now().Add(-idle)) })
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
		u, err := storedUpdate(c)
		if err == nil {
			doc, err = u.Changes.Apply(doc)
		}
		if err != nil || c.Version != version+1 {
			return fmt.Errorf("replay section %s at version %d: stored change does not apply: %v", s.id, c.Version, err)
		}
		version = c.Version
		history = append(history, u)
	}
	if len(history) > a.cfg.History {
		history = history[len(history)-a.cfg.History:]
	}
	heard := s.version
	s.text, s.version, s.history, s.lastSnapshot, s.loaded = doc, version, history, version-len(changes), true
	s.seqs = nil
	if s.once && version > heard {
		// Loaded again after a fault: the subscribers here have what was
		// published up to heard, and hear the rest now.
		if missed, err := a.since(ctx, s, heard); err == nil && len(missed) > 0 {
			a.cfg.Publish(missed)
		}
	}
	s.once = true
	return nil
}

// Heard is told by the feed that another instance stored a change: a
// section held here reads what it has not got from the store, applies it
// and publishes it to its subscribers, each change once and in version
// order, gaps filled. The feed only rings the bell; the store says what
// changed. (A stream may carry an insert that the store then refused:
// one wire-protocol server logs those too. Reading the store keeps such
// an event from ever reaching anyone.) A change already taken in (its
// own, or one caught up with) is ignored; a section not in memory has
// nothing to do: it reads the store when it is next opened.
func (a *Authority) Heard(ctx context.Context, c labs.Change) error {
	a.mu.Lock()
	s := a.sections[c.SectionID]
	if s != nil {
		s.refs.Add(1)
	}
	a.mu.Unlock()
	if s == nil {
		return nil
	}
	defer a.release(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.loaded || c.Version <= s.version {
		return nil
	}
	if err := a.catchUp(ctx, s); err != nil {
		s.loaded = false // read again from the store on next use
		return fmt.Errorf("hear section %s at version %d: %w", c.SectionID, c.Version, err)
	}
	return nil
}

// CatchUpAll brings every section held here up to the store, publishing
// what it finds: after an instance's feed lost its place, nothing written
// meanwhile by others is missed.
func (a *Authority) CatchUpAll(ctx context.Context) error {
	a.mu.Lock()
	held := make([]*section, 0, len(a.sections))
	for _, s := range a.sections {
		s.refs.Add(1)
		held = append(held, s)
	}
	a.mu.Unlock()
	var errs []error
	for _, s := range held {
		s.mu.Lock()
		if s.loaded {
			if err := a.catchUp(ctx, s); err != nil {
				s.loaded = false
				errs = append(errs, fmt.Errorf("catch up section %s: %w", s.id, err))
			}
		}
		s.mu.Unlock()
		a.release(s)
	}
	return errors.Join(errs...)
}

// reach catches the section up from the store when a client knows a
// version it has not heard of yet: another instance accepted it, and this
// one's feed has not told it so far. Called with s.mu held and s loaded.
func (a *Authority) reach(ctx context.Context, s *section, version int) error {
	switch {
	case version <= s.version:
		return nil
	case s.staging:
		// The commit caught up with every base of its batch before
		// staging it (see commit), and a base is a version some
		// instance published after storing it: a base beyond that is
		// from the future. Nothing may be read from the store now: the
		// pushes staged before this one are in memory only.
		return ErrResync
	}
	return a.catchUp(ctx, s)
}

// catchUp reads the changes stored after the section's version (by other
// instances) and takes them in. Called with s.mu held and s loaded.
func (a *Authority) catchUp(ctx context.Context, s *section) error {
	changes, err := a.cfg.Store.Changes(ctx, s.id, s.version, s.version+a.cfg.MaxBehind)
	if err != nil || len(changes) == 0 {
		return err
	}
	return a.hear(s, changes)
}

// hear applies stored changes that follow the section's version, in order,
// and publishes them. Called with s.mu held and s loaded.
func (a *Authority) hear(s *section, changes []labs.Change) error {
	heard := make([]Update, 0, len(changes))
	defer func() {
		if len(heard) > 0 {
			a.cfg.Publish(heard)
		}
	}()
	for _, c := range changes {
		if c.Version <= s.version {
			continue
		}
		if c.Version != s.version+1 {
			return fmt.Errorf("version %d follows %d: the log has a hole", c.Version, s.version)
		}
		u, err := storedUpdate(c)
		if err != nil {
			return err
		}
		text, err := u.Changes.Apply(s.text)
		if err != nil {
			return fmt.Errorf("stored change %d does not apply: %w", c.Version, err)
		}
		s.text, s.version = text, c.Version
		s.history = append(s.history, u)
		if last, ok := s.seqs[c.ClientID]; ok && c.Seq > last {
			s.seqs[c.ClientID] = c.Seq
		}
		heard = append(heard, u)
	}
	a.trimHistory(s)
	return nil
}

// trimHistory cuts the history back to its size once it has grown by half
// of it, so the copy is paid once per many changes, not on each.
func (a *Authority) trimHistory(s *section) {
	if extra := len(s.history) - a.cfg.History; extra > a.cfg.History/2 {
		s.history = append([]Update(nil), s.history[extra:]...)
	}
}

// since returns the changes after version from, from memory or, for older
// ones, from the store. Called with s.mu held.
func (a *Authority) since(ctx context.Context, s *section, from int) ([]Update, error) {
	if err := a.reach(ctx, s, from); err != nil {
		return nil, err
	}
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
		u, err := storedUpdate(c)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return append(out, s.history...), nil
}

// storedUpdate reads a change from the store. Its JSON is written anew
// from the parsed change: a change stored before the parser normalised
// ([5, 0], say) goes out in the form @codemirror/state itself writes.
func storedUpdate(c labs.Change) (Update, error) {
	cs, err := ParseChangeSet(c.Changes)
	if err != nil {
		return Update{}, fmt.Errorf("read change %s@%d: %w", c.SectionID, c.Version, err)
	}
	return Update{Section: c.SectionID, Version: c.Version, ClientID: c.ClientID, Seq: c.Seq, Changes: cs, raw: cs.AppendJSON(nil)}, nil
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

// CatchUp is Join for a client far behind, taken in steps it can read at
// its own pace. When at most max changes follow version from, it calls join
// as Join does (under the section's lock, so nothing is missed) and reports
// joined. Otherwise it returns the next max changes after from, without
// joining: the caller sends them, waits until they are read, and asks again
// from the last of them. Any distance the log holds can be caught up this
// way; ErrResync when from is ahead of the section or the log no longer
// reaches back to it.
func (a *Authority) CatchUp(ctx context.Context, sectionID string, seed Seed, from, max int, join func(State, []Update)) (next []Update, joined bool, err error) {
	s := a.acquire(sectionID)
	defer a.release(s)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := a.load(ctx, s, seed); err != nil {
		return nil, false, err
	}
	if err := a.reach(ctx, s, from); err != nil {
		return nil, false, err
	}
	if from < 0 || from > s.version {
		return nil, false, ErrResync
	}
	if s.version-from <= max {
		missed, err := a.since(ctx, s, from)
		if err != nil {
			return nil, false, err
		}
		join(State{Version: s.version, Text: s.text.String()}, missed)
		return nil, true, nil
	}
	if oldest := s.version - len(s.history); from >= oldest {
		return slices.Clone(s.history[from-oldest : from-oldest+max]), false, nil
	}
	stored, err := a.cfg.Store.Changes(ctx, s.id, from, from+max)
	if err != nil {
		return nil, false, err
	}
	if len(stored) == 0 || stored[0].Version != from+1 {
		return nil, false, ErrResync // the log was cut: only a snapshot is left
	}
	next = make([]Update, len(stored))
	for i, c := range stored {
		if next[i], err = storedUpdate(c); err != nil {
			return nil, false, err
		}
	}
	return next, false, nil
}

// Push accepts a client's changes made against version base: it drops the
// ones already accepted (same client and sequence number, whatever version
// they were accepted at; a new change reusing a number is refused, see
// unseen), maps the rest
// over every change accepted since base one at a time, exactly as
// @codemirror/collab's receiveUpdates does on the client, checks them,
// stores them, and only then publishes them. It returns the section's
// version afterwards. Errors: ErrResync; labs EInvalid or ETooLarge (nothing
// of this push was accepted); EConflict only when other instances kept
// taking the versions through every try (the client retries).
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
		a.commitSafely(s, batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// commitSafely commits a batch and turns a fault in it into an internal
// error for every push of the batch: the section is reloaded from the store
// on next use and no push waits forever. A change stored before the fault
// is recognised by its client and sequence number when it is sent again.
func (a *Authority) commitSafely(s *section, batch []*pushReq) {
	defer func() {
		if p := recover(); p != nil {
			s.mu.Lock() // commit's deferred unlock has run
			s.loaded = false
			s.mu.Unlock()
			err := fmt.Errorf("commit to section %s: %v\n%s", s.id, p, debug.Stack())
			for _, r := range batch {
				r.accepted, r.err = nil, err
			}
		}
	}()
	a.commit(s, batch)
}

// commitTries bounds how often a batch is tried again after other
// instances took its versions first: each try maps it over what they
// wrote, so only a section written without pause by several instances at
// once needs more than two, and the waits between tries (see commit) let
// one of them through.
const commitTries = 30

// commit applies a batch of pushes to the section and stores all their
// changes in one append. A push refused by the checks gets its error and
// leaves the others alone. When another instance took a version first, the
// section catches up with what the store holds (its subscribers hear it)
// and the batch is mapped over it and tried again: the clients never see
// the conflict. If the store write fails otherwise, every push of the
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
	// A client that moved from another instance may push against a
	// version this one has not heard of yet.
	for _, r := range batch {
		if err := a.reach(ctx, s, r.base); err != nil {
			for _, r := range batch {
				r.err = err
			}
			return
		}
	}
	now := a.cfg.Now().UTC().Truncate(time.Millisecond)
	for try := 1; ; try++ {
		text, version, historyLen := s.text, s.version, len(s.history)
		seqs := a.savedSeqs(s, batch)
		changes := a.stage(s, batch, now)
		var err error
		if slices.ContainsFunc(batch, func(r *pushReq) bool { return r.err == errBehind }) {
			err = errBehind
		} else if len(changes) == 0 {
			break
		} else if err = a.cfg.Store.AppendChanges(ctx, changes); err == nil {
			s.spare = text // stored: the text before the batch is needed no more
			break
		}
		s.text, s.version, s.history = text, version, s.history[:historyLen]
		overtaken := err == errBehind || labs.IsCode(err, labs.EConflict)
		if overtaken {
			// What the store holds of this batch is read with the rest
			// when the section catches up, and sets the numbers again.
			seqs.restore(s)
		} else {
			s.seqs = nil // unknown: read from the store again
		}
		if overtaken && try < commitTries {
			// Another instance wrote first (and what this append stored
			// before meeting its version is in the store too), or the
			// batch refers to a change it wrote that this one has not
			// heard of: take it all in, then try the batch again over
			// it, at once: it is up to date now. A write that claimed its
			// version may take a moment to be readable: when nothing new
			// is read, wait a random moment, longer each time.
			before := s.version
			if err = a.catchUp(ctx, s); err == nil {
				if s.version == before {
					time.Sleep(time.Duration(rand.N(try*500)+100) * time.Microsecond)
				}
				continue
			}
		}
		if err == errBehind {
			err = labs.Errorf(labs.EConflict, "This section is busy on another server; try again.")
		}
		if labs.IsCode(err, labs.EConflict) {
			s.loaded = false // read the section again on next use
		}
		for _, r := range batch {
			if r.err == nil {
				r.err = err
			}
			r.accepted = nil
		}
		return
	}
	var published []Update
	for _, r := range batch {
		published = append(published, r.accepted...)
	}
	if len(published) > 0 {
		a.cfg.Publish(published)
	}
	a.trimHistory(s)
	if s.version-s.lastSnapshot >= a.cfg.SnapshotEvery {
		// A snapshot only shortens the next load; failing to save one
		// loses nothing, so it does not fail the pushes.
		if err := a.cfg.Store.SaveSnapshot(ctx, labs.Snapshot{SectionID: s.id, Version: s.version,
			Text: s.text.String(), At: now}); err == nil {
			s.lastSnapshot = s.version
		}
	}
}

// seqsBefore holds the last sequence numbers a batch's clients had before
// it was staged, to put back when it cannot be stored.
type seqsBefore map[string]*int64

func (a *Authority) savedSeqs(s *section, batch []*pushReq) seqsBefore {
	saved := seqsBefore{}
	for _, r := range batch {
		if last, ok := s.seqs[r.clientID]; ok {
			saved[r.clientID] = &last
		} else {
			saved[r.clientID] = nil
		}
	}
	return saved
}

func (saved seqsBefore) restore(s *section) {
	if s.seqs == nil {
		return
	}
	for client, last := range saved {
		if last == nil {
			delete(s.seqs, client)
		} else {
			s.seqs[client] = *last
		}
	}
}

// stage applies each push of the batch to the section in memory and
// returns their changes, to be stored. Called with s.mu held.
func (a *Authority) stage(s *section, batch []*pushReq, now time.Time) []labs.Change {
	s.staging = true
	defer func() { s.staging = false }()
	var changes []labs.Change
	for _, r := range batch {
		r.accepted, r.err = nil, nil
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
	return changes
}

// apply checks one push against the section's current state, maps it,
// and advances the state in memory. Called with s.mu held; the caller
// stores the accepted changes, or undoes the state if it cannot.
func (a *Authority) apply(ctx context.Context, s *section, r *pushReq) ([]Update, error) {
	over, err := a.since(ctx, s, r.base)
	if err != nil {
		return nil, err
	}
	pending, err := a.unseen(ctx, s, r)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	// Mapped in a copy: the push as sent is mapped again if the commit is
	// tried again over other instances' changes.
	pending = slices.Clone(pending)
	// The text length at base, to check the pushed changes before mapping.
	length := len(s.text)
	if len(over) > 0 {
		length = over[0].Changes.Len()
	}
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
	if len(pending) > 0 && pending[0].Seq <= s.seqs[r.clientID] {
		// A change accepted after base that did not come back in order.
		return nil, labs.Errorf(labs.EInvalid, "seq %d was accepted already and is not the next of yours after version %d: push your unconfirmed changes in order.",
			pending[0].Seq, r.base)
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
	if len(accepted) > 0 {
		s.seqs[r.clientID] = accepted[len(accepted)-1].Seq
	}
	return accepted, nil
}

// unseen checks a push's sequence numbers and leaves out the changes the
// section has already accepted from this client (it sends them again after
// a reconnect or a reload, not knowing they arrived), whatever version
// they are sent against. Those accepted after the push's base stay in the
// list: mapping drops each when it meets it, so that the changes after it
// are mapped as the client made them. Called with s.mu held.
//
// A sequence number at or below the client's last accepted one must name
// a change it sent before: one that inserts the same text and deletes no
// less (mapping over others' deletions can only shrink a deletion).
// Anything else is a new change reusing a number, refused rather than
// dropped, so nobody's words vanish without a word.
func (a *Authority) unseen(ctx context.Context, s *section, r *pushReq) ([]Pushed, error) {
	for i := range r.pushed {
		if r.pushed[i].Seq < 0 {
			return nil, labs.Errorf(labs.EInvalid, "Update %d: seq must be 0 or more.", i)
		}
		if i > 0 && r.pushed[i].Seq <= r.pushed[i-1].Seq {
			return nil, labs.Errorf(labs.EInvalid, "Update %d: seq must increase within a push (%d follows %d).", i, r.pushed[i].Seq, r.pushed[i-1].Seq)
		}
	}
	if s.seqs == nil {
		s.seqs = map[string]int64{}
	}
	last, ok := s.seqs[r.clientID]
	if !ok {
		var err error
		if last, err = a.cfg.Store.LastSeq(ctx, s.id, r.clientID); err != nil {
			return nil, err
		}
		s.seqs[r.clientID] = last
	}
	pending := r.pushed
	for i, p := range r.pushed {
		if p.Seq > last {
			break
		}
		u, err := a.clientChange(ctx, s, r.clientID, p.Seq)
		if labs.IsCode(err, labs.ENotFound) || err == nil && !sameEdit(u.Changes, p.Changes) {
			return nil, labs.Errorf(labs.EInvalid, "Update %d: seq %d was already used by this clientID for another change: number new changes after %d.", i, p.Seq, last)
		} else if err != nil {
			return nil, err
		}
		if u.Version > s.version {
			// Accepted by another instance, beyond what this one has
			// heard: the commit catches up and tries again.
			return nil, errBehind
		}
		if u.Version <= r.base {
			if len(pending) != len(r.pushed)-i {
				return nil, labs.Errorf(labs.EInvalid, "Update %d: seq %d was accepted before the changes ahead of it: push your unconfirmed changes in order.", i, p.Seq)
			}
			pending = pending[1:]
		}
	}
	return pending, nil
}

// clientChange finds the section's change by client and sequence number:
// in memory if it is recent, else in the store.
func (a *Authority) clientChange(ctx context.Context, s *section, clientID string, seq int64) (Update, error) {
	for i := len(s.history) - 1; i >= 0; i-- {
		if u := s.history[i]; u.ClientID == clientID && u.Seq == seq {
			return u, nil
		}
	}
	c, err := a.cfg.Store.ClientChange(ctx, s.id, clientID, seq)
	if err != nil {
		return Update{}, err
	}
	return storedUpdate(c)
}

// sameEdit reports whether pushed can be the change accepted as stored,
// made against another version: mapping moves a change and may shorten
// its deletions, but keeps its inserted text.
func sameEdit(stored, pushed ChangeSet) bool {
	return stored.deleted() <= pushed.deleted() && slices.Equal(stored.insertedText(), pushed.insertedText())
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
	return a.withChangesSince(ctx, sectionID, seed, from, func(s *section, over []Update, length int) error {
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
	})
}

// LocateRange maps a range of words made at version from to the current
// version, one accepted change at a time (see ChangeSet.MapRange): it
// keeps covering the same words; ok is false once all of them were
// deleted. The text is given to fn with the result, under the same lock.
func (a *Authority) LocateRange(ctx context.Context, sectionID string, seed Seed, from, start, end int,
	fn func(version int, text Text, start, end int, ok bool)) error {
	return a.withChangesSince(ctx, sectionID, seed, from, func(s *section, over []Update, length int) error {
		if start < 0 || end < start || end > length {
			return labs.Errorf(labs.EInvalid, "The range %d–%d is outside the text (length %d at version %d).", start, end, length, from)
		}
		ok := start < end
		for _, u := range over {
			if ok {
				start, end, ok = u.Changes.MapRange(start, end)
			} else {
				start = u.Changes.MapPos(start, -1)
				end = start
			}
		}
		fn(s.version, s.text, start, end, ok)
		return nil
	})
}

// withChangesSince calls fn with the section locked and loaded, the
// updates after version from, and the length of the text at from.
func (a *Authority) withChangesSince(ctx context.Context, sectionID string, seed Seed, from int, fn func(s *section, over []Update, length int) error) error {
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
	return fn(s, over, length)
}
