package realtime

import (
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/linklab/linklab/labs"
)

// AnonymousName is how a participant who chose to be anonymous appears.
const AnonymousName = "Anonymous participant"

// peerColors are cursor colours with at least 4.5:1 contrast on white;
// names are always shown beside them, so colour carries no meaning alone.
var peerColors = []string{"#0b5cad", "#a4161a", "#1b7a3d", "#7b2cbf", "#9c4a00", "#00707a", "#b3195e", "#4a5360"}

// Cursor is one person's place in a document: a selection in a section.
type Cursor struct {
	Peer    string // connection-scoped; never an account ID
	Name    string
	Color   string
	Section string
	Version int
	Anchor  int
	Head    int
	// Origin is the instance the person is connected to, when it is not
	// this one.
	Origin string `json:",omitempty"`
}

// PresenceRelay tells the other instances about this one's cursors.
type PresenceRelay interface {
	Moved(doc string, c Cursor)
	Left(doc, peer string)
}

// Presences keeps who is where, per document, in memory only: the cursors
// of this instance's connections and, with several instances, those the
// others told of.
type Presences struct {
	mu    sync.Mutex
	docs  map[string]map[string]Cursor
	relay PresenceRelay
}

// NewPresences returns an empty set.
func NewPresences() *Presences { return &Presences{docs: map[string]map[string]Cursor{}} }

// SetRelay makes the set tell other instances of its own cursors. Call it
// before any cursor is set.
func (p *Presences) SetRelay(r PresenceRelay) { p.relay = r }

// Set records a cursor of this instance's connection.
func (p *Presences) Set(doc string, c Cursor) {
	c.Origin = ""
	p.put(doc, c)
	if p.relay != nil {
		p.relay.Moved(doc, c)
	}
}

func (p *Presences) put(doc string, c Cursor) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.docs[doc]
	if m == nil {
		m = map[string]Cursor{}
		p.docs[doc] = m
	}
	m[c.Peer] = c
}

// Remove forgets a peer's cursor and reports whether there was one.
func (p *Presences) Remove(doc, peer string) bool {
	c, ok := p.take(doc, peer)
	if ok && c.Origin == "" && p.relay != nil {
		p.relay.Left(doc, peer)
	}
	return ok
}

func (p *Presences) take(doc, peer string) (Cursor, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	m := p.docs[doc]
	c, ok := m[peer]
	if !ok {
		return c, false
	}
	delete(m, peer)
	if len(m) == 0 {
		delete(p.docs, doc)
	}
	return c, true
}

// List returns the cursors in a document.
func (p *Presences) List(doc string) []Cursor {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Cursor, 0, len(p.docs[doc]))
	for _, c := range p.docs[doc] {
		out = append(out, c)
	}
	return out
}

// Local calls fn with each cursor of this instance's connections: for a
// new instance that asks where everyone is.
func (p *Presences) Local(fn func(doc string, c Cursor)) {
	p.mu.Lock()
	var docs []string
	var cursors []Cursor
	for doc, m := range p.docs {
		for _, c := range m {
			if c.Origin == "" {
				docs, cursors = append(docs, doc), append(cursors, c)
			}
		}
	}
	p.mu.Unlock()
	for i, c := range cursors {
		fn(docs[i], c)
	}
}

// ShowRemoteCursor records a cursor another instance told of and shows
// it to this instance's subscribers of d who may read its section.
func (h *Hub) ShowRemoteCursor(p *Presences, d labs.Document, c Cursor) {
	if c.Origin == "" {
		return
	}
	if _, ok := d.Section(c.Section); !ok {
		return
	}
	p.put(d.ID, c)
	h.PublishSectionEvent(d, c.Section, encodeCursor(d.ID, c), nil)
}

// HideRemoteCursor forgets a cursor another instance said has left.
func (h *Hub) HideRemoteCursor(p *Presences, doc, peer string) {
	if c, ok := p.take(doc, peer); ok {
		if c.Origin == "" {
			p.put(doc, c) // ours: not the other instance's to take away
			return
		}
		h.Publish(docRoom(doc), encodeLeft(doc, peer), nil)
	}
}

// DropOrigin forgets every cursor of an instance that is gone and tells
// the subscribers here that they left.
func (h *Hub) DropOrigin(p *Presences, origin string) {
	if origin == "" {
		return
	}
	type left struct{ doc, peer string }
	var gone []left
	p.mu.Lock()
	for doc, m := range p.docs {
		for peer, c := range m {
			if c.Origin == origin {
				gone = append(gone, left{doc, peer})
				delete(m, peer)
			}
		}
		if len(m) == 0 {
			delete(p.docs, doc)
		}
	}
	p.mu.Unlock()
	for _, g := range gone {
		h.Publish(docRoom(g.doc), encodeLeft(g.doc, g.peer), nil)
	}
}

// colorOf picks a peer's colour from its ID.
func colorOf(peer string) string {
	h := fnv.New32a()
	h.Write([]byte(peer))
	return peerColors[h.Sum32()%uint32(len(peerColors))]
}

func encodeCursor(doc string, c Cursor) []byte {
	return []byte(`{"type":"presence","doc":` + quote(doc) + `,"peer":` + quote(c.Peer) + `,"name":` + quote(c.Name) +
		`,"color":` + quote(c.Color) + `,"section":` + quote(c.Section) + `,"version":` + strconv.Itoa(c.Version) +
		`,"anchor":` + strconv.Itoa(c.Anchor) + `,"head":` + strconv.Itoa(c.Head) + `}`)
}

func encodeLeft(doc, peer string) []byte {
	return []byte(`{"type":"presence_left","doc":` + quote(doc) + `,"peer":` + quote(peer) + `}`)
}

// docRoom is the hub room of everyone subscribed to a document, for
// presence and document events; sections have rooms of their own for
// updates.
func docRoom(doc string) string { return docRoomPrefix + doc }

// docRoomPrefix starts the names of document rooms; section rooms are
// named by their IDs alone.
const docRoomPrefix = "doc:"

// PublishDocument tells everyone subscribed to a document that its title,
// its list of sections or its fields (status, choice fields, logic map)
// changed. Subscribers resubscribe with the versions they have to pick up
// new sections; removed ones simply stop.
func (h *Hub) PublishDocument(d labs.Document) {
	head := `{"type":"document","doc":` + quote(d.ID) + `,"revision":` + strconv.Itoa(d.Revision) +
		`,"title":` + quote(d.Title) + `,"visibility":` + quote(string(d.Visibility)) + `,"status":` + quote(string(d.Status)) +
		`,"fields":` + jsonOf(d.Fields, "{}") + `,"logicMap":` + jsonOf(d.LogicMap, "{}") + `,"sections":[`
	encode := func(sees func(labs.Section) bool) []byte {
		b, n := []byte(head), 0
		for _, s := range d.Sections {
			if !sees(s) {
				continue
			}
			if n++; n > 1 {
				b = append(b, ',')
			}
			b = append(b, `{"section":`+quote(s.ID)+`,"key":`+quote(s.Key)+`,"title":`+quote(s.Title)+`}`...)
		}
		return append(b, "]}"...)
	}
	if !slices.ContainsFunc(d.Sections, d.Narrowed) {
		h.Publish(docRoom(d.ID), encode(func(labs.Section) bool { return true }), nil)
		return
	}
	// Some sections are read by fewer people than the document: each
	// subscriber gets the list it may see, encoded once per distinct list.
	h.mu.RLock()
	defer h.mu.RUnlock()
	encoded := map[string][]byte{}
	for c := range h.rooms[docRoom(d.ID)] {
		var key strings.Builder
		for _, s := range d.Sections {
			if d.Narrowed(s) && c.sees(d, s) {
				key.WriteString(s.ID)
			}
		}
		b, ok := encoded[key.String()]
		if !ok {
			b = encode(func(s labs.Section) bool { return c.sees(d, s) })
			encoded[key.String()] = b
		}
		c.Enqueue(b)
	}
}

// PublishSectionEvent sends an event about one section of a document (a
// comment on it, a cursor in it) to everyone subscribed to the document who
// may read that section, except skip (which may be nil). d is the document
// with every section.
func (h *Hub) PublishSectionEvent(d labs.Document, section string, event []byte, skip *Client) {
	sec, ok := d.Section(section)
	if !ok {
		// The section was removed, and with it its level: nobody can be
		// told safely. Readers see the change when they list again.
		return
	}
	if !d.Narrowed(sec) {
		h.Publish(docRoom(d.ID), event, skip)
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.rooms[docRoom(d.ID)] {
		if c != skip && c.sees(d, sec) {
			c.Enqueue(event)
		}
	}
}

// PublishEvent sends an event about a document (a comment, feedback) to
// everyone subscribed to it. The event must already be encoded without
// anything only some subscribers may see: every subscriber gets the same
// bytes.
func (h *Hub) PublishEvent(doc string, event []byte) {
	h.Publish(docRoom(doc), event, nil)
}

// Subscribers returns the clients subscribed to a document now, for an
// event that is decided client by client outside the hub's lock.
func (h *Hub) Subscribers(doc string) []*Client { return h.Members(docRoom(doc)) }

// Documents returns the documents with subscribers here.
func (h *Hub) Documents() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	var out []string
	for room := range h.rooms {
		if doc, ok := strings.CutPrefix(room, docRoomPrefix); ok {
			out = append(out, doc)
		}
	}
	return out
}

// Members returns the clients in a room now.
func (h *Hub) Members(room string) []*Client {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]*Client, 0, len(h.rooms[room]))
	for c := range h.rooms[room] {
		out = append(out, c)
	}
	return out
}

// RevokeClient takes one client out of every room it is in and removes the
// cursors of its peers from those documents (telling the others). With
// tell, it sends the client "revoked" once per document: its owner's rights
// changed, and it must subscribe again to be checked again. (A client about
// to be closed is told why instead.)
func (h *Hub) RevokeClient(c *Client, presences *Presences, tell bool, peers ...string) {
	var docs []string
	h.mu.Lock()
	for room, clients := range h.rooms {
		if _, ok := clients[c]; !ok {
			continue
		}
		delete(clients, c)
		if len(clients) == 0 {
			delete(h.rooms, room)
		}
		if doc, ok := strings.CutPrefix(room, docRoomPrefix); ok {
			docs = append(docs, doc)
		}
	}
	h.mu.Unlock()
	for _, doc := range docs {
		for _, peer := range peers {
			if presences.Remove(doc, peer) {
				h.Publish(docRoom(doc), encodeLeft(doc, peer), nil)
			}
		}
		if tell {
			c.Enqueue([]byte(`{"type":"revoked","doc":` + quote(doc) + `}`))
		}
	}
}

func jsonOf(v any, empty string) string {
	if b, err := json.Marshal(v); err == nil && string(b) != "null" {
		return string(b)
	}
	return empty
}

// Revoke removes every client from a document's room and its sections'
// rooms and tells each one, once, with a "revoked" message: who may read
// the document changed, and a client must subscribe again (and be checked
// again) to receive anything more from it.
func (h *Hub) Revoke(doc string, sections []string) {
	h.mu.Lock()
	clients := map[*Client]struct{}{}
	for _, room := range append([]string{docRoom(doc)}, sections...) {
		for c := range h.rooms[room] {
			clients[c] = struct{}{}
		}
		delete(h.rooms, room)
	}
	h.mu.Unlock()
	b := []byte(`{"type":"revoked","doc":` + quote(doc) + `}`)
	for c := range clients {
		c.Enqueue(b)
	}
}
