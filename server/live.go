package server

import (
	"context"
	"sync"
	"time"

	"github.com/linklab/linklab/realtime"
)

// liveConns knows the open real-time connections by session and by
// account, so that losing the right to read acts on them at once, whether
// or not their clients say anything: a silent connection must stop
// receiving the moment its owner signs out, is disabled or is removed.
type liveConns struct {
	hub       *realtime.Hub
	presences *realtime.Presences

	mu        sync.Mutex
	bySession map[string]map[*liveConn]struct{}
	byAccount map[string]map[*liveConn]struct{}
	byClient  map[*realtime.Client]*liveConn
}

// liveConn is one open connection as the registry knows it.
type liveConn struct {
	client           *realtime.Client
	access           *docAccess
	session, account string
	expires          time.Time
	peers            []string // its cursors' peers, named and anonymous
}

func newLiveConns(hub *realtime.Hub, presences *realtime.Presences) *liveConns {
	return &liveConns{hub: hub, presences: presences, bySession: map[string]map[*liveConn]struct{}{},
		byAccount: map[string]map[*liveConn]struct{}{}, byClient: map[*realtime.Client]*liveConn{}}
}

func (l *liveConns) add(c *liveConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	addTo(l.bySession, c.session, c)
	addTo(l.byAccount, c.account, c)
	l.byClient[c.client] = c
}

// accountOf returns the account whose connection c is.
func (l *liveConns) accountOf(c *realtime.Client) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lc, ok := l.byClient[c]
	if !ok {
		return "", false
	}
	return lc.account, true
}

func (l *liveConns) remove(c *liveConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	removeFrom(l.bySession, c.session, c)
	removeFrom(l.byAccount, c.account, c)
	delete(l.byClient, c.client)
}

func addTo(index map[string]map[*liveConn]struct{}, key string, c *liveConn) {
	if index[key] == nil {
		index[key] = map[*liveConn]struct{}{}
	}
	index[key][c] = struct{}{}
}

func removeFrom(index map[string]map[*liveConn]struct{}, key string, c *liveConn) {
	delete(index[key], c)
	if len(index[key]) == 0 {
		delete(index, key)
	}
}

func (l *liveConns) of(index map[string]map[*liveConn]struct{}, key string) []*liveConn {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]*liveConn, 0, len(index[key]))
	for c := range index[key] {
		out = append(out, c)
	}
	return out
}

// endSession ends the connections of a session that ended (signed out,
// replaced by a new sign-in): each is told why, then closed.
func (l *liveConns) endSession(sessionID string) {
	for _, c := range l.of(l.bySession, sessionID) {
		l.end(c)
	}
}

// endAccount ends every connection of an account (disabled).
func (l *liveConns) endAccount(accountID string) {
	for _, c := range l.of(l.byAccount, accountID) {
		l.end(c)
	}
}

func (l *liveConns) end(c *liveConn) {
	l.cut(c, false)
	c.client.Enqueue(realtime.ErrorMessage(0, errSignedOut))
	c.client.CloseAfterSending(realtime.ClosePolicy, "signed out")
}

// recheckAccount cuts every connection of an account off what it is
// subscribed to, after its rights changed (a role, a membership, partner
// status): each is told "revoked" per document and must subscribe again,
// which asks the enforcer afresh.
func (l *liveConns) recheckAccount(accountID string) {
	for _, c := range l.of(l.byAccount, accountID) {
		l.cut(c, true)
	}
}

// cut takes the connection out of every room and its cursors out of every
// document (telling it "revoked" per document when tell), and makes its
// next access check read the store.
func (l *liveConns) cut(c *liveConn, tell bool) {
	c.access.stale.Store(true)
	l.hub.RevokeClient(c.client, l.presences, tell, c.peers...)
}

// sweep ends, every interval until ctx ends, the connections whose session
// has expired: no message from them is needed.
func (l *liveConns) sweep(ctx context.Context, interval time.Duration, now func() time.Time) {
	realtime.Every(ctx, interval, func() {
		var expired []*liveConn
		l.mu.Lock()
		at := now()
		for _, set := range l.bySession {
			for c := range set {
				if !at.Before(c.expires) {
					expired = append(expired, c)
				}
			}
		}
		l.mu.Unlock()
		for _, c := range expired {
			l.end(c)
		}
	})
}
