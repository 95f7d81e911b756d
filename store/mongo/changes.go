package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A change's _id is its section and version, so the primary key itself
// lets exactly one writer claim a version.
type changeDoc struct {
	ID        string    `bson:"_id"`
	SectionID string    `bson:"sectionId"`
	Version   int       `bson:"version"`
	ClientID  string    `bson:"clientId"`
	Seq       int64     `bson:"seq"`
	AuthorID  string    `bson:"authorId"`
	Changes   string    `bson:"changes"`
	At        time.Time `bson:"at"`
}

type snapshotDoc struct {
	ID      string    `bson:"_id"` // section ID
	Version int       `bson:"version"`
	Text    string    `bson:"text"`
	At      time.Time `bson:"at"`
}

func changeID(sectionID string, version int) string {
	return fmt.Sprintf("%s/%012d", sectionID, version)
}

// AppendChanges implements labs.ChangeStore: one ordered insert, which
// stops at the first version taken. What it inserted before that stays:
// another instance may have heard of it through its change stream and
// built on it already, so taking it back would leave a hole in the log.
// The authority that sent it finds its own changes when it catches up.
func (s *Store) AppendChanges(ctx context.Context, changes []labs.Change) error {
	docs := make([]any, len(changes))
	for i, c := range changes {
		docs[i] = changeDoc{ID: changeID(c.SectionID, c.Version), SectionID: c.SectionID, Version: c.Version, ClientID: c.ClientID,
			Seq: c.Seq, AuthorID: c.AuthorID, Changes: string(c.Changes), At: c.At}
	}
	if len(docs) == 0 {
		return nil
	}
	if _, err := s.changes.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true)); err != nil {
		return fmt.Errorf("append changes to %s at %d: %w", changes[0].SectionID, changes[0].Version, translate(err, "Change"))
	}
	return nil
}

// Changes implements labs.ChangeStore.
func (s *Store) Changes(ctx context.Context, sectionID string, from, to int) ([]labs.Change, error) {
	cur, err := s.changes.Find(ctx, bson.D{{Key: "sectionId", Value: sectionID},
		{Key: "version", Value: bson.D{{Key: "$gt", Value: from}, {Key: "$lte", Value: to}}}},
		options.Find().SetSort(bson.D{{Key: "version", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("load changes of %s: %w", sectionID, err)
	}
	var docs []changeDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("decode changes of %s: %w", sectionID, err)
	}
	out := make([]labs.Change, len(docs))
	for i, d := range docs {
		out[i] = fromChangeDoc(d)
	}
	return out, nil
}

// ClientChange implements labs.ChangeStore.
func (s *Store) ClientChange(ctx context.Context, sectionID, clientID string, seq int64) (labs.Change, error) {
	var d changeDoc
	err := s.changes.FindOne(ctx, bson.D{{Key: "sectionId", Value: sectionID}, {Key: "clientId", Value: clientID}, {Key: "seq", Value: seq}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&d)
	if err != nil {
		return labs.Change{}, fmt.Errorf("load change %s/%d of %s: %w", clientID, seq, sectionID, translate(err, "Change"))
	}
	return fromChangeDoc(d), nil
}

// LastSeq implements labs.ChangeStore.
func (s *Store) LastSeq(ctx context.Context, sectionID, clientID string) (int64, error) {
	var d changeDoc
	err := s.changes.FindOne(ctx, bson.D{{Key: "sectionId", Value: sectionID}, {Key: "clientId", Value: clientID}},
		options.FindOne().SetSort(bson.D{{Key: "seq", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return -1, nil
	} else if err != nil {
		return 0, fmt.Errorf("last seq of %s in %s: %w", clientID, sectionID, err)
	}
	return d.Seq, nil
}

func fromChangeDoc(d changeDoc) labs.Change {
	return labs.Change{SectionID: d.SectionID, Version: d.Version, ClientID: d.ClientID, Seq: d.Seq, AuthorID: d.AuthorID,
		Changes: []byte(d.Changes), At: utc(d.At)}
}

// LatestVersion implements labs.ChangeStore.
func (s *Store) LatestVersion(ctx context.Context, sectionID string) (int, error) {
	var d changeDoc
	err := s.changes.FindOne(ctx, bson.D{{Key: "sectionId", Value: sectionID}},
		options.FindOne().SetSort(bson.D{{Key: "version", Value: -1}})).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("latest version of %s: %w", sectionID, err)
	}
	return d.Version, nil
}

// SaveSnapshot implements labs.ChangeStore: an upsert that only matches an
// older snapshot; when a later one exists, the upsert's insert collides
// with its _id, which means there is nothing to do.
func (s *Store) SaveSnapshot(ctx context.Context, sn labs.Snapshot) error {
	_, err := s.snapshots.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: sn.SectionID}, {Key: "version", Value: bson.D{{Key: "$lt", Value: sn.Version}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: sn.Version}, {Key: "text", Value: sn.Text}, {Key: "at", Value: sn.At}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("save snapshot of %s at %d: %w", sn.SectionID, sn.Version, err)
	}
	return nil
}

// LatestSnapshot implements labs.ChangeStore.
func (s *Store) LatestSnapshot(ctx context.Context, sectionID string) (labs.Snapshot, error) {
	var d snapshotDoc
	if err := s.snapshots.FindOne(ctx, bson.D{{Key: "_id", Value: sectionID}}).Decode(&d); err != nil {
		return labs.Snapshot{}, fmt.Errorf("load snapshot of %s: %w", sectionID, translate(err, "Snapshot"))
	}
	return labs.Snapshot{SectionID: d.ID, Version: d.Version, Text: d.Text, At: utc(d.At)}, nil
}
