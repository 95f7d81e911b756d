package server

import (
	"context"
	"encoding/json"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

// With a feed (MongoDB), several instances serve one network of labs and
// each tells the others what its own subscribers were told, through
// signals; each receiver decides again, for its own subscribers, who may
// see it. Section changes need no signal: the feed carries them. With
// SQLite there is one instance and none of this runs.

// Signal kinds.
const (
	sigDocument = "document"        // a document's title, sections or fields changed
	sigAccess   = "access"          // who reads a document changed
	sigItem     = "item"            // a comment or feedback event
	sigRoom     = "room"            // a workshop room's log grew
	sigPublish  = "publish"         // a message for every member of a hub room
	sigThemes   = "themes"          // the theme matrix changed
	sigSession  = "session_end"     // a sign-in ended
	sigAccount  = "account_end"     // an account was disabled
	sigRecheck  = "account_recheck" // an account's rights changed
	sigCursor   = "cursor"          // a cursor moved
	sigLeft     = "cursor_left"     // a cursor left
	sigHello    = "hello"           // an instance started: tell it where everyone is
)

// signalBody is every signal's body; each kind uses some fields.
type signalBody struct {
	Doc      string           `json:"doc,omitempty"`
	Sections []string         `json:"sections,omitempty"`
	Section  string           `json:"section,omitempty"`
	Obj      string           `json:"obj,omitempty"`
	Level    labs.Visibility  `json:"level,omitempty"`
	Workshop string           `json:"workshop,omitempty"`
	Seq      int64            `json:"seq,omitempty"` // the first of a room's new events
	Room     string           `json:"room,omitempty"`
	Event    json.RawMessage  `json:"event,omitempty"`
	ID       string           `json:"id,omitempty"` // a session or an account
	Cursor   *realtime.Cursor `json:"cursor,omitempty"`
	Peer     string           `json:"peer,omitempty"`
}

// tell sends a signal to the other instances, if there are any.
func (s *Server) tell(kind string, body signalBody) {
	if s.relay != nil {
		s.relay.Send(kind, body)
	}
}

// presenceRelay tells the other instances about this one's cursors.
type presenceRelay struct{ s *Server }

func (p presenceRelay) Moved(doc string, c realtime.Cursor) {
	p.s.tell(sigCursor, signalBody{Doc: doc, Cursor: &c})
}
func (p presenceRelay) Left(doc, peer string) { p.s.tell(sigLeft, signalBody{Doc: doc, Peer: peer}) }

// startRelay makes this instance one of several on the feed.
func (s *Server) startRelay(feed labs.Feed) {
	s.relay = realtime.NewRelay(realtime.RelayConfig{Feed: feed, Origin: labs.NewID(s.cfg.Now()), Authority: s.authority,
		Signal: s.heard, Resynced: s.resynced, Logger: s.log, Now: s.cfg.Now,
		Gone: func(origin string) { s.hub.DropOrigin(s.presences, origin) }})
	s.presences.SetRelay(presenceRelay{s})
	s.bg.Go(func() { s.relay.Run(s.ctx) })
	s.tell(sigHello, signalBody{})
}

// heard handles a signal from another instance.
func (s *Server) heard(ctx context.Context, sg labs.Signal) {
	var b signalBody
	if err := json.Unmarshal(sg.Body, &b); err != nil {
		s.log.ErrorContext(ctx, "unreadable signal", "kind", sg.Kind, "origin", sg.Origin, "err", err)
		return
	}
	// A document the signal names is read afresh: the sender changed it.
	doc := func() (labs.Document, bool) {
		s.docs.forget(b.Doc)
		d, err := s.cfg.Store.Document(ctx, b.Doc)
		if err != nil {
			if !labs.IsCode(err, labs.ENotFound) {
				s.log.ErrorContext(ctx, "signal not handled", "kind", sg.Kind, "doc", b.Doc, "err", err)
			}
			return d, false
		}
		return d, true
	}
	switch sg.Kind {
	case sigDocument:
		if d, ok := doc(); ok {
			s.hub.PublishDocument(d)
		}
	case sigAccess:
		s.docs.forget(b.Doc)
		s.hub.Revoke(b.Doc, b.Sections)
	case sigItem:
		if d, ok := doc(); ok {
			s.publishItemHere(ctx, d, b.Section, b.Obj, b.Level, b.Event)
		}
	case sigRoom:
		s.roomGrew(ctx, b.Workshop, b.Seq)
	case sigPublish:
		s.hub.Publish(b.Room, b.Event, nil)
	case sigThemes:
		if b.Doc == "" {
			s.themesChangedHere(ctx, nil, "")
		} else if d, ok := doc(); ok {
			s.themesChangedHere(ctx, &d, b.Level)
		}
	case sigSession:
		s.live.endSession(b.ID)
	case sigAccount:
		s.live.endAccount(b.ID)
	case sigRecheck:
		s.live.recheckAccount(b.ID)
	case sigCursor:
		if b.Cursor == nil {
			return
		}
		c := *b.Cursor
		c.Origin = sg.Origin
		if d, err := s.docs.get(ctx, b.Doc); err == nil {
			s.hub.ShowRemoteCursor(s.presences, d, c)
		}
	case sigLeft:
		s.hub.HideRemoteCursor(s.presences, b.Doc, b.Peer)
	case sigHello:
		s.presences.Local(func(doc string, c realtime.Cursor) { s.tell(sigCursor, signalBody{Doc: doc, Cursor: &c}) })
	}
}

// resynced reads again what this instance holds from the others after its
// feed lost its place: rooms catch up from their logs, and every document
// with subscribers here is published again (its subscribers resubscribe
// for any section they do not have; comments they missed come with their
// next reload).
func (s *Server) resynced(ctx context.Context) {
	for _, id := range s.rooms.ids() {
		s.roomGrew(ctx, id, 0)
	}
	for _, id := range s.hub.Documents() {
		s.docs.forget(id)
		if d, err := s.cfg.Store.Document(ctx, id); err == nil {
			s.hub.PublishDocument(d)
		}
	}
}

// Everything below is a publication to this instance's subscribers that
// other instances make to theirs too.

// publishDocument tells every subscriber of d, on every instance, that
// its title, sections or fields changed.
func (s *Server) publishDocument(d labs.Document) {
	s.hub.PublishDocument(d)
	s.tell(sigDocument, signalBody{Doc: d.ID})
}

// publishRoom sends an event meant for every member of a hub room (a
// workshop's state, a vote's count), on every instance.
func (s *Server) publishRoom(room string, event []byte) {
	s.hub.Publish(room, event, nil)
	s.tell(sigPublish, signalBody{Room: room, Event: event})
}

// endSession, endAccount and recheckAccount act on the connections of a
// session or account wherever they are connected.
func (s *Server) endSession(id string) {
	s.live.endSession(id)
	s.tell(sigSession, signalBody{ID: id})
}

func (s *Server) endAccount(id string) {
	s.live.endAccount(id)
	s.tell(sigAccount, signalBody{ID: id})
}

func (s *Server) recheckAccount(id string) {
	s.live.recheckAccount(id)
	s.tell(sigRecheck, signalBody{ID: id})
}
