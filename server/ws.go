package server

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/realtime"
)

// Limits of the real-time connection.
const (
	wsMaxMessage = 512 * 1024 // bytes of one client message
	wsSendQueue  = 8192       // messages waiting for a slow client before it is cut off
	wsPing       = 5 * time.Second
	// wsWriteBuffer is a connection's write buffer while it writes (see
	// Server.wsHandler).
	wsWriteBuffer = 16 * 1024
	wsReadIdle    = 15 * time.Second // no message or pong for this long ends the connection, and its presence
	accessTTL     = 2 * time.Second  // how long a loaded document, membership or session check is reused
	// A section nobody has pushed to or opened for sectionIdle leaves the
	// authority's memory; the check runs every sectionSweep.
	sectionIdle  = 10 * time.Minute
	sectionSweep = time.Minute
)

// localWSAccount and localWSSession carry the account and its session
// across the upgrade, which keeps only string-keyed locals.
const (
	localWSAccount = "linklab.ws.account"
	localWSSession = "linklab.ws.session"
	localWSExpires = "linklab.ws.expires"
	localWSAddress = "linklab.ws.address"
)

// upgradeWS checks the Origin (a cross-site page must not open a
// connection with the visitor's cookie) and hands over to the websocket.
func (s *Server) upgradeWS(c *fiber.Ctx) error {
	if !websocket.IsWebSocketUpgrade(c) {
		return labs.Errorf(labs.EInvalid, "This address takes websocket connections only.")
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != s.origin && origin != c.BaseURL() {
		return labs.Errorf(labs.EForbidden, "Cross-site websocket refused: the Origin %q is not this site.", origin)
	}
	// Refused here with a status the client can read; counted only once
	// the connection is open (serveWS), where it is also let go, so a
	// handshake that fails leaves no count behind.
	sessionID, address := sessionOf(c).ID, s.clientIPs.of(c)
	if s.wsBySession.full(sessionID) {
		return labs.Errorf(labs.ERateLimited, "This sign-in has %d real-time connections open already: close other tabs or windows of LinkLab.", s.cfg.WSPerSession)
	}
	if s.wsByAddress.full(address) {
		return labs.Errorf(labs.ERateLimited, "Your address has %d real-time connections open already. Try again later.", s.cfg.WSPerAddress)
	}
	c.Locals(localWSAccount, accountOf(c))
	c.Locals(localWSSession, sessionID)
	c.Locals(localWSExpires, sessionOf(c).ExpiresAt)
	c.Locals(localWSAddress, address)
	return s.wsHandler(c)
}

// wsTransport adapts a websocket connection to realtime.Transport.
type wsTransport struct {
	conn *websocket.Conn
}

// WriteFrame writes the messages through the connection's pooled write
// buffer: a frame up to wsWriteBuffer goes out, header and payload, in one
// system call; a larger one in pieces of that size.
func (t wsTransport) WriteFrame(msgs [][]byte) error {
	t.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	w, err := t.conn.NextWriter(websocket.TextMessage)
	if err != nil {
		return err
	}
	for i, m := range msgs {
		if i > 0 {
			if _, err := w.Write(newline); err != nil {
				return err
			}
		}
		if _, err := w.Write(m); err != nil {
			return err
		}
	}
	return w.Close()
}

var newline = []byte{'\n'}

func (t wsTransport) Ping() error {
	return t.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(5*time.Second))
}

func (t wsTransport) Close(code int, reason string) error { return closeNow(t.conn, code, reason) }

// closeNow sends a close frame with code and reason, then closes.
func closeNow(conn *websocket.Conn, code int, reason string) error {
	conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), time.Now().Add(time.Second))
	return conn.Close()
}

// serveWS runs one connection: a writer goroutine owned here, and the
// reader loop that hands each message to the protocol session.
func (s *Server) serveWS(conn *websocket.Conn) {
	acc, _ := conn.Locals(localWSAccount).(*labs.Account)
	sessionID, _ := conn.Locals(localWSSession).(string)
	address, _ := conn.Locals(localWSAddress).(string)
	expires, _ := conn.Locals(localWSExpires).(time.Time)
	if acc == nil || sessionID == "" {
		conn.Close()
		return
	}
	if !s.wsBySession.add(sessionID) {
		closeNow(conn, realtime.ClosePolicy, "too many connections for this sign-in")
		return
	}
	defer s.wsBySession.done(sessionID)
	if !s.wsByAddress.add(address) {
		closeNow(conn, realtime.ClosePolicy, "too many connections from this address")
		return
	}
	defer s.wsByAddress.done(address)
	client := realtime.NewClient(wsTransport{conn: conn}, wsSendQueue)
	s.pinger.Add(client)
	stop := context.AfterFunc(s.ctx, func() { client.Close(realtime.CloseGoingAway, "server shutting down") })
	defer stop()
	access := &docAccess{s: s, acc: *acc, sessionID: sessionID, checked: time.Now(), roles: map[string]cachedRole{}}
	peer, anonymousPeer := labs.NewID(time.Now())[10:], labs.NewID(time.Now())[10:]
	sess := realtime.NewSession(realtime.SessionConfig{Authority: s.authority, Hub: s.hub, Presences: s.presences,
		Peer: peer, AnonymousPeer: anonymousPeer, Client: client, AccountID: acc.ID, Logger: s.log, Access: access,
		Edited: s.index.sectionEdited})
	live := &liveConn{client: client, access: access, session: sessionID, account: acc.ID, expires: expires,
		peers: []string{peer, anonymousPeer}}
	s.live.add(live)
	defer s.live.remove(live)
	s.metrics.wsOpen.Add(1)
	defer func() {
		sess.Close()
		s.pinger.Remove(client)
		client.Close(realtime.CloseNormal, "")
		client.Wait()
		s.metrics.wsOpen.Add(-1)
	}()
	conn.SetReadLimit(wsMaxMessage)
	conn.SetReadDeadline(time.Now().Add(wsReadIdle))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(wsReadIdle)) })
	handled := make(chan struct{})
	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		conn.SetReadDeadline(time.Now().Add(wsReadIdle))
		if kind != websocket.TextMessage {
			client.Close(realtime.CloseUnsupported, "send JSON in text frames")
			return
		}
		// The message is handled on its own goroutine so that this one,
		// which waits on the connection for the rest of its life, keeps
		// the small stack that reading needs: a stack grown by handling a
		// subscribe would stay with every idle connection.
		go func() { sess.Handle(s.ctx, msg); handled <- struct{}{} }()
		<-handled
		// Catching a far-behind client up can outlast the read deadline;
		// the client was reading all along.
		conn.SetReadDeadline(time.Now().Add(wsReadIdle))
		select {
		case <-client.Done():
			return
		default:
		}
	}
}

// docAccess answers realtime.Access for one connection's person, asking the
// enforcer on every message. Documents come from the server's shared
// docCache and the person's membership is kept for a moment, so a burst of
// pushes does not read the store for each one; a membership that ends stops
// writes within accessTTL.
type docAccess struct {
	s         *Server
	acc       labs.Account
	sessionID string
	checked   time.Time // when the session and account were last found valid
	roles     map[string]cachedRole
	// stale is set from outside the connection when the person's rights
	// changed: the next check forgets the cached roles and reads the store.
	stale atomic.Bool
}

var errSignedOut = labs.Errorf(labs.EUnauthenticated, "Your session has ended. Sign in again.")

// Connected implements realtime.Access: the session must still exist and
// the account be enabled (rechecked every accessTTL, so signing out or
// disabling an account closes open connections within seconds), and the
// policy must allow the connection.
func (a *docAccess) Connected(ctx context.Context) error {
	if time.Since(a.checked) > accessTTL {
		se, err := a.s.cfg.Store.Session(ctx, a.sessionID)
		if labs.IsCode(err, labs.ENotFound) || err == nil && !time.Now().Before(se.ExpiresAt) {
			return errSignedOut
		} else if err != nil {
			return err
		}
		acc, err := a.s.cfg.Store.Account(ctx, se.AccountID)
		if err != nil {
			return err
		}
		if acc.Disabled {
			return errSignedOut
		}
		a.acc, a.checked = acc, time.Now()
	}
	ok, err := a.s.cfg.Enforcer.Allowed(globalSubject(a.acc), "realtime", "connect")
	if err != nil {
		return err
	}
	if !ok {
		return labs.Errorf(labs.EForbidden, "You may not use the real-time connection.")
	}
	return nil
}

type cachedRole struct {
	role labs.Role
	name string
	at   time.Time
}

var _ realtime.Access = (*docAccess)(nil)

// Document implements realtime.Access.
func (a *docAccess) Document(ctx context.Context, docID, act string) (labs.Document, error) {
	now := time.Now()
	if err := a.refreshIfStale(ctx); err != nil {
		return labs.Document{}, err
	}
	doc, err := a.s.docs.get(ctx, docID)
	if labs.IsCode(err, labs.ENotFound) {
		return doc, errNoDocument
	} else if err != nil {
		return doc, err
	}
	subject := networkSubject(&a.acc)
	if !doc.InNetwork() {
		cr, ok := a.roles[doc.LabID]
		if !ok || now.Sub(cr.at) > accessTTL {
			m, err := a.s.cfg.Store.Membership(ctx, doc.LabID, a.acc.ID)
			if err != nil && !labs.IsCode(err, labs.ENotFound) {
				return labs.Document{}, err
			}
			cr = cachedRole{role: m.Role, name: m.DisplayName, at: now}
			a.roles[doc.LabID] = cr
		}
		subject = globalSubject(a.acc)
		subject.LabRole = cr.role
	}
	if ok, err := a.s.mayDocument(subject, &a.acc, doc, "read"); err != nil {
		return labs.Document{}, err
	} else if !ok {
		return labs.Document{}, errNoDocument
	}
	if act != "read" {
		allowed, err := a.s.mayDocument(subject, &a.acc, doc, act)
		if err != nil {
			return labs.Document{}, err
		}
		if !allowed {
			return labs.Document{}, labs.Errorf(labs.EForbidden, "Your role in this lab does not allow this.")
		}
	}
	return a.s.visibleSections(subject, &a.acc, doc)
}

// refreshIfStale forgets what the connection knew of the person's rights
// once they changed (see liveConns.cut): cached roles, and the account
// itself (partner status, admin), read again now.
func (a *docAccess) refreshIfStale(ctx context.Context) error {
	if !a.stale.Swap(false) {
		return nil
	}
	clear(a.roles)
	a.checked = time.Time{}
	return a.Connected(ctx)
}

// Workshop implements realtime.Access: a lab member follows the lab's
// workshops, decided by the enforcer with the person's current role.
func (a *docAccess) Workshop(ctx context.Context, id string) ([]byte, error) {
	if err := a.refreshIfStale(ctx); err != nil {
		return nil, err
	}
	w, err := a.s.cfg.Store.Workshop(ctx, id)
	if labs.IsCode(err, labs.ENotFound) {
		return nil, errNoWorkshop
	} else if err != nil {
		return nil, err
	}
	sub, _, err := a.s.subjectIn(ctx, &a.acc, w.LabID)
	if err != nil {
		return nil, err
	}
	if ok, err := a.s.cfg.Enforcer.AllowedOn(sub, "workshop", "read", "", policies.RelNone); err != nil {
		return nil, err
	} else if !ok {
		return nil, errNoWorkshop
	}
	return workshopEvent(w, a.s.cfg.Auth.Now()), nil
}

// Themes implements realtime.Access: whoever may read the theme matrix
// follows it.
func (a *docAccess) Themes(ctx context.Context) error {
	if err := a.refreshIfStale(ctx); err != nil {
		return err
	}
	if ok, err := a.s.cfg.Enforcer.AllowedOn(networkSubject(&a.acc), "theme", "read", "", policies.RelNone); err != nil {
		return err
	} else if !ok {
		return labs.Errorf(labs.EForbidden, "You may not follow the themes.")
	}
	return nil
}

// Name implements realtime.Access: the display name the person chose in
// the document's lab (known once Document has allowed them in).
func (a *docAccess) Name(_ context.Context, doc labs.Document) string {
	if n := a.roles[doc.LabID].name; n != "" {
		return n
	}
	return a.acc.DisplayName
}

// SectionText returns a section's current version and text from the
// real-time authority (which holds the latest text, stored or not yet
// snapshotted).
func (s *Server) SectionText(ctx context.Context, sectionID string, seed realtime.Seed) (realtime.State, error) {
	return s.authority.Text(ctx, sectionID, seed)
}
