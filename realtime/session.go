package realtime

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/linklab/linklab/labs"
)

// Access decides, message by message, what the connection's person may
// do. The server implements it over the casbin enforcer.
type Access interface {
	// Document returns the document if the person may do act on it:
	// "read" to subscribe and to show a cursor, "write" to push changes;
	// its sections are those the person may read (a section can be kept to
	// fewer people than its document).
	// Otherwise a labs error (EForbidden, ENotFound, ...), whose message is
	// sent to the client.
	Document(ctx context.Context, docID, act string) (labs.Document, error)
	// Name is the person's display name (or pseudonym) in the document's lab.
	Name(ctx context.Context, doc labs.Document) string
	// Workshop returns the current state of a workshop, encoded as the
	// "workshop" message, if the person may follow it; otherwise a labs
	// error (ENotFound for what they may not know exists).
	Workshop(ctx context.Context, id string) ([]byte, error)
	// Themes allows following the network's theme matrix, or returns a
	// labs error.
	Themes(ctx context.Context) error
	// Connected checks the connection may still be used at all: the person
	// is signed in (the session was not ended, the account not disabled)
	// and the policy lets them hold a real-time connection. EUnauthenticated
	// closes the connection.
	Connected(ctx context.Context) error
}

// Limits on what one connection may send.
const (
	MaxUpdatesPerPush = 100
	MessagesPerSecond = 100 // sustained; twice that in a burst
)

// SessionConfig wires a Session.
type SessionConfig struct {
	Authority *Authority
	Hub       *Hub
	Presences *Presences
	// Peer identifies the connection to others, for presence. It is random
	// and says nothing about the account.
	Peer string
	// AnonymousPeer identifies the connection's anonymous cursor: another
	// random value, with a colour of its own, so that an anonymous cursor
	// cannot be linked to the same connection's named one.
	AnonymousPeer string
	Access        Access
	Client        *Client
	AccountID     string
	// Edited, when set, is told of each section whose text a push of this
	// session changed (for the search index).
	Edited func(doc, section string)
	Now    func() time.Time
	// Logger gets internal errors and faults, with their causes (clients
	// get a generic message). Default slog.Default().
	Logger *slog.Logger
}

// Session is the protocol state of one connection: its subscriptions and
// its message budget. Handle is called from the connection's reader only.
type Session struct {
	cfg     SessionConfig
	subs    map[string][]string // document -> its section IDs
	section map[string]struct{} // the sections subscribed to
	follows map[string]struct{} // the workshops followed
	themes  bool                // the theme matrix is followed
	tokens  float64
	at      time.Time
	strikes int
}

// NewSession returns a Session.
func NewSession(cfg SessionConfig) *Session {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Session{cfg: cfg, subs: map[string][]string{}, section: map[string]struct{}{}, follows: map[string]struct{}{},
		tokens: 2 * MessagesPerSecond, at: cfg.Now()}
}

// message is every client message's envelope; each type uses some fields.
type message struct {
	Type     string         `json:"type"`
	ID       int64          `json:"id"`
	Doc      string         `json:"doc"`
	Section  string         `json:"section"`
	Version  *int           `json:"version"`
	Versions map[string]int `json:"versions"`
	ClientID string         `json:"clientID"`
	Updates  []pushedUpdate `json:"updates"`
	Anchor   int            `json:"anchor"`
	Head     int            `json:"head"`
	// Anonymous hides the name from others: they see AnonymousName.
	Anonymous bool   `json:"anonymous"`
	Workshop  string `json:"workshop"`
	Themes    bool   `json:"themes"`
}

type pushedUpdate struct {
	Seq     int64           `json:"seq"`
	Changes json.RawMessage `json:"changes"`
}

var clientIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// Handle processes one message from the client. Every answer to it,
// refusals included, carries the message's id when it has a readable one.
// A fault while handling it ends this connection (1011) and nothing else.
func (s *Session) Handle(ctx context.Context, raw []byte) {
	// The id is read from the raw message only for a refusal before it is
	// decoded; the hot path decodes once.
	var m message
	decoded := false
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Logger.Error("real-time message fault", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			id := m.ID
			if !decoded {
				id = messageID(raw)
			}
			s.fail(id, errors.New("fault"))
			s.cfg.Client.CloseAfterSending(CloseInternal, "internal error")
		}
	}()
	if !s.allow() {
		s.strikes++
		if s.strikes > 20 {
			s.cfg.Client.CloseAfterSending(ClosePolicy, "too many messages")
			return
		}
		s.fail(messageID(raw), labs.Errorf(labs.ERateLimited, "Too many messages; slow down."))
		return
	}
	s.strikes = 0
	if err := s.cfg.Access.Connected(ctx); err != nil {
		s.fail(messageID(raw), err)
		if labs.IsCode(err, labs.EUnauthenticated) {
			s.cfg.Client.CloseAfterSending(ClosePolicy, "signed out")
		}
		return
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		s.fail(messageID(raw), unreadable(err))
		return
	}
	decoded = true
	var err error
	switch m.Type {
	case "subscribe":
		err = s.subscribe(ctx, m)
	case "unsubscribe":
		s.unsubscribe(m.Doc)
		s.send(`{"type":"unsubscribed","id":` + strconv.FormatInt(m.ID, 10) + `,"doc":` + quote(m.Doc) + `}`)
	case "push":
		err = s.push(ctx, m)
	case "presence":
		err = s.presence(ctx, m)
	case "follow":
		err = s.follow(ctx, m)
	case "unfollow":
		if m.Themes {
			s.unfollowThemes()
			s.send(`{"type":"unfollowed","id":` + strconv.FormatInt(m.ID, 10) + `,"themes":true}`)
			break
		}
		s.unfollow(m.Workshop)
		s.send(`{"type":"unfollowed","id":` + strconv.FormatInt(m.ID, 10) + `,"workshop":` + quote(m.Workshop) + `}`)
	case "ping":
		s.send(`{"type":"pong","id":` + strconv.FormatInt(m.ID, 10) + `}`)
	default:
		err = labs.Errorf(labs.EInvalid, "Unknown message type %q.", truncate(m.Type, 32))
	}
	if err != nil {
		s.fail(m.ID, err)
	}
}

// messageID reads a message's top-level "id" without decoding the rest, so
// that a refusal before (or instead of) decoding names the request: the
// rate limit, a session that ended, JSON that does not fit the protocol.
// It reads tokens up to the id and gives up at the first syntax error;
// 0 when there is no integer id before it.
func messageID(raw []byte) int64 {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return 0
	}
	for d.More() {
		key, err := d.Token()
		if err != nil {
			return 0
		}
		if key == "id" {
			t, err := d.Token()
			if n, ok := t.(json.Number); ok && err == nil {
				if id, err := n.Int64(); err == nil {
					return id
				}
			}
			return 0
		}
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return 0
		}
	}
	return 0
}

// unreadable explains why a message could not be read, naming the field
// when the JSON is well formed but a value has the wrong type.
func unreadable(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return labs.Errorf(labs.EInvalid, "%s must be %s, not %s.", truncate(typeErr.Field, 64), jsonKind(typeErr.Type.Kind()), typeErr.Value)
	}
	return labs.Errorf(labs.EInvalid, "A message must be a JSON object with a type.")
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}

// allow spends one token of the connection's message budget.
func (s *Session) allow() bool {
	now := s.cfg.Now()
	s.tokens = min(2*MessagesPerSecond, s.tokens+now.Sub(s.at).Seconds()*MessagesPerSecond)
	s.at = now
	if s.tokens < 1 {
		return false
	}
	s.tokens--
	return true
}

func (s *Session) subscribe(ctx context.Context, m message) error {
	if !labs.ValidID(m.Doc) {
		return labs.Errorf(labs.EInvalid, "doc must be a document ID.")
	}
	if len(m.Versions) > labs.MaxSections {
		return labs.Errorf(labs.EInvalid, "Too many versions.")
	}
	doc, err := s.cfg.Access.Document(ctx, m.Doc, "read")
	if err != nil {
		return err
	}
	if _, already := s.subs[doc.ID]; already {
		s.unsubscribe(doc.ID)
	}
	ids := make([]string, 0, len(doc.Sections))
	for _, sec := range doc.Sections {
		from, resume := m.Versions[sec.ID]
		if !resume {
			from = -1
		}
		err := s.join(ctx, doc, sec, from)
		if errors.Is(err, ErrResync) {
			err = s.join(ctx, doc, sec, -1)
		}
		if err != nil {
			s.leave(ids)
			return err
		}
		ids = append(ids, sec.ID)
		s.section[sec.ID] = struct{}{}
	}
	s.subs[doc.ID] = ids
	var narrowed []string
	for _, sec := range doc.Sections {
		if doc.Narrowed(sec) {
			narrowed = append(narrowed, sec.ID)
		}
	}
	s.cfg.Client.SetNarrowed(doc.ID, narrowed)
	s.cfg.Hub.Join(docRoom(doc.ID), s.cfg.Client)
	s.sendCursors(ctx, doc)
	s.send(`{"type":"subscribed","id":` + strconv.FormatInt(m.ID, 10) + `,"doc":` + quote(doc.ID) + `}`)
	return nil
}

// catchUpStep is how many missed changes a resuming client is sent before
// the server waits for it to read half of them: a client far behind (a
// laptop asleep through thousands of changes) catches up at its own pace
// instead of overflowing its send queue.
const catchUpStep = 512

// join sends a section's state (from < 0) or the changes after from, and
// enters its room, under the section's lock so nothing is missed.
func (s *Session) join(ctx context.Context, doc labs.Document, sec labs.Section, from int) error {
	seed := Seed{Text: sec.Text, Version: sec.Version}
	enter := func(st State, missed []Update) {
		if from < 0 {
			s.cfg.Client.Enqueue(sectionMessage(doc.ID, sec, st))
		}
		for _, u := range missed {
			s.cfg.Client.Enqueue(EncodeUpdate(u))
		}
		s.cfg.Hub.Join(sec.ID, s.cfg.Client)
	}
	if from < 0 {
		return s.cfg.Authority.Join(ctx, sec.ID, seed, -1, enter)
	}
	for {
		next, joined, err := s.cfg.Authority.CatchUp(ctx, sec.ID, seed, from, catchUpStep, enter)
		if err != nil || joined {
			return err
		}
		for _, u := range next {
			if !s.cfg.Client.Enqueue(EncodeUpdate(u)) {
				return errClientClosed
			}
		}
		from = next[len(next)-1].Version
		if err := s.cfg.Client.WaitBacklog(ctx, catchUpStep/2); err != nil {
			return err
		}
	}
}

func (s *Session) unsubscribe(doc string) {
	if _, ok := s.subs[doc]; !ok {
		return
	}
	s.leave(s.subs[doc])
	delete(s.subs, doc)
	s.cfg.Hub.Leave(docRoom(doc), s.cfg.Client)
	s.cfg.Client.SetNarrowed(doc, nil)
	s.clearCursors(doc, nil)
}

func (s *Session) leave(sections []string) {
	for _, id := range sections {
		s.cfg.Hub.Leave(id, s.cfg.Client)
		delete(s.section, id)
	}
}

// Close leaves every room. Call it when the connection ends.
func (s *Session) Close() {
	for doc := range s.subs {
		s.unsubscribe(doc)
	}
	for w := range s.follows {
		s.unfollow(w)
	}
	s.unfollowThemes()
}

// ThemesRoom is the hub room of the theme matrix's followers. What is
// published there says only that the matrix changed, and goes to those
// who may read what changed; each reads the matrix again.
const ThemesRoom = "themes"

func (s *Session) followThemes(ctx context.Context, m message) error {
	if err := s.cfg.Access.Themes(ctx); err != nil {
		return err
	}
	s.cfg.Hub.Join(ThemesRoom, s.cfg.Client)
	s.themes = true
	s.send(`{"type":"following","id":` + strconv.FormatInt(m.ID, 10) + `,"themes":true}`)
	return nil
}

func (s *Session) unfollowThemes() {
	if s.themes {
		s.cfg.Hub.Leave(ThemesRoom, s.cfg.Client)
		s.themes = false
	}
}

// WorkshopRoom is the hub room of a workshop's live state: everything the
// facilitator does is published there, once, to every follower.
func WorkshopRoom(id string) string { return "workshop:" + id }

// follow joins a workshop's room: the current state comes first, then
// every change, with nothing missed between them (the state is read after
// joining, so a change in between arrives twice at worst, never not at all,
// and each message carries the whole state and its revision).
func (s *Session) follow(ctx context.Context, m message) error {
	if m.Themes {
		return s.followThemes(ctx, m)
	}
	if !labs.ValidID(m.Workshop) {
		return labs.Errorf(labs.EInvalid, "workshop must be a workshop ID.")
	}
	s.cfg.Hub.Join(WorkshopRoom(m.Workshop), s.cfg.Client)
	state, err := s.cfg.Access.Workshop(ctx, m.Workshop)
	if err != nil {
		s.cfg.Hub.Leave(WorkshopRoom(m.Workshop), s.cfg.Client)
		return err
	}
	s.follows[m.Workshop] = struct{}{}
	s.cfg.Client.Enqueue(state)
	s.send(`{"type":"following","id":` + strconv.FormatInt(m.ID, 10) + `,"workshop":` + quote(m.Workshop) + `}`)
	return nil
}

func (s *Session) unfollow(id string) {
	if _, ok := s.follows[id]; ok {
		s.cfg.Hub.Leave(WorkshopRoom(id), s.cfg.Client)
		delete(s.follows, id)
	}
}

func (s *Session) push(ctx context.Context, m message) error {
	switch {
	case !labs.ValidID(m.Doc) || !labs.ValidID(m.Section):
		return labs.Errorf(labs.EInvalid, "doc and section must be IDs.")
	case m.Version == nil:
		return labs.Errorf(labs.EInvalid, "version is required: the section version the changes were made against.")
	case !clientIDRE.MatchString(m.ClientID):
		return labs.Errorf(labs.EInvalid, "clientID must be 1-64 letters, digits, - or _.")
	case len(m.Updates) == 0 || len(m.Updates) > MaxUpdatesPerPush:
		return labs.Errorf(labs.EInvalid, "A push carries 1 to %d updates.", MaxUpdatesPerPush)
	}
	// Casbin decides on every push, not only at subscribe time: a person
	// whose membership ends stops being able to write at once.
	doc, err := s.cfg.Access.Document(ctx, m.Doc, "write")
	if err != nil {
		return err
	}
	sec, ok := doc.Section(m.Section)
	if !ok {
		return labs.Errorf(labs.ENotFound, "The document has no such section.")
	}
	if _, ok := s.section[sec.ID]; !ok {
		return labs.Errorf(labs.EInvalid, "Subscribe to the document before pushing changes to it.")
	}
	pushed := make([]Pushed, len(m.Updates))
	for i, u := range m.Updates {
		c, err := ParseChangeSet(u.Changes)
		if err != nil {
			return labs.Errorf(labs.EInvalid, "Update %d: %v.", i, err)
		}
		pushed[i] = Pushed{Seq: u.Seq, Changes: c}
	}
	v, err := s.cfg.Authority.Push(ctx, sec.ID, Seed{Text: sec.Text, Version: sec.Version}, *m.Version, m.ClientID, s.cfg.AccountID, pushed)
	if errors.Is(err, ErrResync) {
		return &labs.Error{Code: CodeResync, Message: "Your version of this section is too old or unknown: subscribe again with your versions to catch up.", Err: err}
	}
	if err != nil {
		return err
	}
	if s.cfg.Edited != nil {
		s.cfg.Edited(doc.ID, sec.ID)
	}
	s.send(`{"type":"pushed","id":` + strconv.FormatInt(m.ID, 10) + `,"section":` + quote(sec.ID) + `,"version":` + strconv.Itoa(v) + `}`)
	return nil
}

// CodeResync is the protocol's one error code beyond the API's: the
// client must reload the section.
const CodeResync = "resync"

func (s *Session) send(msg string) { s.cfg.Client.Enqueue([]byte(msg)) }

// fail sends an error message. Internal errors get a generic message; the
// cause stays on the server.
func (s *Session) fail(id int64, err error) {
	if labs.ErrorCode(err) == labs.EInternal {
		s.cfg.Logger.Error("real-time request failed", "id", id, "error", err)
	}
	s.cfg.Client.Enqueue(ErrorMessage(id, err))
}

// ErrorMessage encodes an error message answering request id (0 for none):
// the error's code and its safe message, never an internal cause.
func ErrorMessage(id int64, err error) []byte {
	reason := ""
	if r := labs.ErrorReason(err); r != "" {
		reason = `,"reason":` + quote(r)
	}
	return []byte(`{"type":"error","id":` + strconv.FormatInt(id, 10) + `,"code":` + quote(labs.ErrorCode(err)) + reason +
		`,"message":` + quote(labs.ErrorMessage(err)) + `}`)
}

func sectionMessage(doc string, sec labs.Section, st State) []byte {
	b := []byte(`{"type":"section","doc":` + quote(doc) + `,"section":` + quote(sec.ID) + `,"key":` + quote(sec.Key) +
		`,"title":` + quote(sec.Title) + `,"version":` + strconv.Itoa(st.Version) + `,"text":`)
	b = appendJSONString(b, TextOf(st.Text))
	return append(b, '}')
}

// EncodeUpdates encodes accepted changes once, for every subscriber, as
// messages separated by "\n" (the batching the protocol allows).
func EncodeUpdates(updates []Update) []byte {
	var b []byte
	for i, u := range updates {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, EncodeUpdate(u)...)
	}
	return b
}

// EncodeUpdate encodes an accepted change once, for every subscriber.
func EncodeUpdate(u Update) []byte {
	b := make([]byte, 0, 128)
	b = append(b, `{"type":"update","section":`...)
	b = append(b, quote(u.Section)...)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(u.Version), 10)
	b = append(b, `,"clientID":`...)
	b = append(b, quote(u.ClientID)...)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, u.Seq, 10)
	b = append(b, `,"changes":`...)
	b = append(b, u.ChangesJSON()...)
	return append(b, '}')
}

func quote(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// presence records where this connection's person is and tells everyone
// else in the document. A message without a section clears the cursor.
func (s *Session) presence(ctx context.Context, m message) error {
	if _, ok := s.subs[m.Doc]; !ok {
		return labs.Errorf(labs.EInvalid, "Subscribe to the document before sharing your cursor in it.")
	}
	doc, err := s.cfg.Access.Document(ctx, m.Doc, "read")
	if err != nil {
		return err
	}
	if m.Section == "" {
		s.clearCursors(doc.ID, s.cfg.Client)
		return nil
	}
	sec, ok := doc.Section(m.Section)
	if _, subscribed := s.section[m.Section]; !ok || !subscribed {
		return labs.Errorf(labs.ENotFound, "The document has no such section.")
	}
	if m.Version == nil {
		return labs.Errorf(labs.EInvalid, "version is required: the section version the positions refer to.")
	}
	name, peer, other := AnonymousName, s.cfg.AnonymousPeer, s.cfg.Peer
	if !m.Anonymous {
		name, peer, other = s.cfg.Access.Name(ctx, doc), s.cfg.Peer, s.cfg.AnonymousPeer
	}
	err = s.cfg.Authority.Locate(ctx, sec.ID, Seed{Text: sec.Text, Version: sec.Version}, *m.Version, []int{m.Anchor, m.Head},
		func(version int, p []int) {
			// One cursor a connection: switching between named and
			// anonymous takes the other one away.
			if s.cfg.Presences.Remove(doc.ID, other) {
				s.cfg.Hub.Publish(docRoom(doc.ID), encodeLeft(doc.ID, other), s.cfg.Client)
			}
			c := Cursor{Peer: peer, Name: name, Color: colorOf(peer), Section: sec.ID, Version: version, Anchor: p[0], Head: p[1]}
			s.cfg.Presences.Set(doc.ID, c)
			s.cfg.Hub.PublishSectionEvent(doc, sec.ID, encodeCursor(doc.ID, c), s.cfg.Client)
		})
	if errors.Is(err, ErrResync) {
		return &labs.Error{Code: CodeResync, Message: "Your version of this section is too old or unknown: subscribe again.", Err: err}
	}
	return err
}

// clearCursors takes the connection's cursors (named and anonymous) out of
// the document and tells the others, except skip.
func (s *Session) clearCursors(doc string, skip *Client) {
	for _, peer := range []string{s.cfg.Peer, s.cfg.AnonymousPeer} {
		if peer != "" && s.cfg.Presences.Remove(doc, peer) {
			s.cfg.Hub.Publish(docRoom(doc), encodeLeft(doc, peer), skip)
		}
	}
}

// sendCursors tells a new subscriber where the others are, mapped to the
// current versions.
func (s *Session) sendCursors(ctx context.Context, doc labs.Document) {
	for _, c := range s.cfg.Presences.List(doc.ID) {
		if c.Peer == s.cfg.Peer || c.Peer == s.cfg.AnonymousPeer {
			continue
		}
		sec, ok := doc.Section(c.Section)
		if !ok {
			continue
		}
		s.cfg.Authority.Locate(ctx, sec.ID, Seed{Text: sec.Text, Version: sec.Version}, c.Version, []int{c.Anchor, c.Head},
			func(version int, p []int) {
				c.Version, c.Anchor, c.Head = version, p[0], p[1]
				s.cfg.Client.Enqueue(encodeCursor(doc.ID, c))
			})
	}
}
