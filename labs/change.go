package labs

import (
	"context"
	"time"
)

// Change is one accepted change to a section's text. Version is the
// section's version after the change: the first change to a section at
// version v has version v+1. The store holds at most one change per
// (section, version); that key decides between concurrent writers, also
// across server instances.
type Change struct {
	SectionID string
	Version   int
	ClientID  string // the editor (browser tab) that made it
	Seq       int64  // the editor's sequence number, to recognise resent changes
	AuthorID  string // account; never sent to clients
	Changes   []byte // JSON in the @codemirror/state ChangeSet format
	At        time.Time
}

// Snapshot is a section's whole text at a version, so that opening a
// section costs a snapshot and a short tail of changes.
type Snapshot struct {
	SectionID string
	Version   int
	Text      string
	At        time.Time
}

// ChangeStore persists sections' change logs and snapshots.
type ChangeStore interface {
	// AppendChanges stores consecutive changes of one section, in order.
	// EConflict if one of their versions is taken: the changes before it
	// may have been stored (engines without transactions keep what they
	// wrote, because another instance may already have built on it), the
	// one taken and those after it are not. Callers recognise the stored
	// ones by client and sequence number when they try again.
	AppendChanges(ctx context.Context, changes []Change) error
	// Changes returns a section's changes with from < Version <= to, in
	// version order.
	Changes(ctx context.Context, sectionID string, from, to int) ([]Change, error)
	// ClientChange returns the section's change with this client ID and
	// sequence number (the latest, should an old client have used the pair
	// twice), or ENotFound. It is how a change sent again is recognised,
	// whatever version it is sent against.
	ClientChange(ctx context.Context, sectionID, clientID string, seq int64) (Change, error)
	// LastSeq returns the highest sequence number the client has had
	// accepted in the section, or -1 when none (clients may number from 0).
	LastSeq(ctx context.Context, sectionID, clientID string) (int64, error)
	// LatestVersion returns the highest stored version of a section's
	// changes, or 0 when there are none.
	LatestVersion(ctx context.Context, sectionID string) (int, error)
	// SaveSnapshot stores s unless a snapshot of a later version exists.
	SaveSnapshot(ctx context.Context, s Snapshot) error
	// LatestSnapshot returns the section's latest snapshot, or ENotFound.
	LatestSnapshot(ctx context.Context, sectionID string) (Snapshot, error)
}
