// Package mongo is the MongoDB storage engine, for production and scale-out.
// It uses single-document atomic operations only (see docs/storage.md):
// multi-step writes claim first and undo on failure.
package mongo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// Config configures the engine. Zero values get defaults in Open.
type Config struct {
	// URI is the MongoDB connection string. Required.
	URI string
	// Database defaults to the URI's path, or "linklab".
	Database string
	// WriteConcern is "majority" (default) or "1" (acknowledged by the
	// primary only, for single-node test servers).
	WriteConcern string
	// Timeout bounds connecting and the start-up checks (default 20s).
	Timeout time.Duration
}

// Store implements labs.Store on MongoDB.
type Store struct {
	client *mongo.Client
	db     *mongo.Database

	accounts, sessions, labs, memberships, invitations, documents, rules *mongo.Collection
	changes, snapshots                                                   *mongo.Collection
	// signals is the changes collection written without waiting for a
	// majority: a signal is worth nothing once late, and lost it costs a
	// reload (see feed.go).
	signals                                                              *mongo.Collection
	comments, feedback, audit, partnerOrgs, workshops, roomEvents, votes *mongo.Collection
	versions, themes, tags, citations, search                            *mongo.Collection
}

var _ labs.Store = (*Store)(nil)

// Open connects, checks the server answers, and creates the indexes.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, errors.New("mongo: empty URI")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.Database == "" {
		if u, err := url.Parse(cfg.URI); err == nil && len(u.Path) > 1 {
			cfg.Database = u.Path[1:]
		} else {
			cfg.Database = "linklab"
		}
	}
	wc := writeconcern.Majority()
	switch cfg.WriteConcern {
	case "", "majority":
	case "1":
		wc = writeconcern.W1()
	default:
		return nil, fmt.Errorf("mongo: write concern %q: want majority or 1", cfg.WriteConcern)
	}
	wc.Journal = new(bool)
	*wc.Journal = true
	opts := options.Client().ApplyURI(cfg.URI).SetWriteConcern(wc).SetTimeout(cfg.Timeout)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("connect mongo: %w", err)
	}
	s := newStore(client, cfg.Database)
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	if err := s.Ping(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.scrubAnonymousAuthors(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.renameSectors(ctx); err != nil {
		client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// renameSectors gives stored memberships the spelling of labs.Sectors (as
// SQLite's migration 12 does): invitations took older spellings, which
// split one sector in two in the participation balance.
func (s *Store) renameSectors(ctx context.Context) error {
	for _, old := range []string{"social_services", "culture_leisure", "ngo", "police_justice"} {
		_, err := s.memberships.UpdateMany(ctx, bson.D{{Key: "sector", Value: old}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "sector", Value: labs.SectorOf(old)}}}})
		if err != nil {
			return fmt.Errorf("rename sector %s: %w", old, err)
		}
	}
	return nil
}

// scrubAnonymousAuthors removes the account IDs that anonymous comments and
// feedback stored before they stored their author's mark instead (as
// SQLite's migration 8 does): those items are nobody's from now on. Account
// IDs are 26 characters of our alphabet; marks start with "mark:".
func (s *Store) scrubAnonymousAuthors(ctx context.Context) error {
	filter := bson.D{{Key: "anonymous", Value: true}, {Key: "authorId", Value: bson.D{{Key: "$regex", Value: "^[0-9a-z]{26}$"}}}}
	for _, c := range []*mongo.Collection{s.comments, s.feedback} {
		if _, err := c.UpdateMany(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "authorId", Value: ""}}}}); err != nil {
			return fmt.Errorf("scrub anonymous authors of %s: %w", c.Name(), err)
		}
	}
	return nil
}

func newStore(client *mongo.Client, database string) *Store {
	db := client.Database(database)
	return &Store{
		client: client, db: db,
		accounts: db.Collection("accounts"), sessions: db.Collection("sessions"), labs: db.Collection("labs"),
		memberships: db.Collection("memberships"), invitations: db.Collection("invitations"),
		documents: db.Collection("documents"), rules: db.Collection("policy_rules"),
		changes: db.Collection("changes"), snapshots: db.Collection("snapshots"),
		signals:  db.Collection("changes", options.Collection().SetWriteConcern(writeconcern.W1())),
		comments: db.Collection("comments"), feedback: db.Collection("feedback"), audit: db.Collection("audit"),
		partnerOrgs: db.Collection("partner_orgs"), workshops: db.Collection("workshops"),
		roomEvents: db.Collection("room_events"), votes: db.Collection("votes"), versions: db.Collection("document_versions"),
		themes: db.Collection("themes"), tags: db.Collection("tags"), citations: db.Collection("citations"),
		search: db.Collection("search_items"),
	}
}

// Close disconnects.
func (s *Store) Close() error { return s.client.Disconnect(context.Background()) }

// DropDatabase deletes the store's database. Tests use it to clean up.
func (s *Store) DropDatabase(ctx context.Context) error { return s.db.Drop(ctx) }

// Ping checks the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err(); err != nil {
		return fmt.Errorf("ping mongo: %w", err)
	}
	return nil
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	unique := options.Index().SetUnique(true)
	indexes := []struct {
		c    *mongo.Collection
		keys bson.D
		opts *options.IndexOptionsBuilder
	}{
		{s.accounts, bson.D{{Key: "email", Value: 1}}, unique},
		{s.accounts, bson.D{{Key: "admin", Value: 1}}, nil},
		{s.sessions, bson.D{{Key: "accountId", Value: 1}}, nil},
		{s.sessions, bson.D{{Key: "expiresAt", Value: 1}}, nil},
		{s.labs, bson.D{{Key: "slug", Value: 1}}, unique},
		{s.memberships, bson.D{{Key: "labId", Value: 1}, {Key: "accountId", Value: 1}}, unique},
		{s.memberships, bson.D{{Key: "accountId", Value: 1}, {Key: "labId", Value: 1}}, nil},
		{s.invitations, bson.D{{Key: "tokenHash", Value: 1}}, unique},
		{s.invitations, bson.D{{Key: "labId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.documents, bson.D{{Key: "labId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.changes, bson.D{{Key: "sectionId", Value: 1}, {Key: "version", Value: 1}}, unique},
		{s.changes, bson.D{{Key: "sectionId", Value: 1}, {Key: "clientId", Value: 1}, {Key: "seq", Value: 1}}, nil},
		{s.comments, bson.D{{Key: "documentId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.feedback, bson.D{{Key: "labId", Value: 1}, {Key: "target", Value: 1}, {Key: "targetId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.audit, bson.D{{Key: "labId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.workshops, bson.D{{Key: "labId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.workshops, bson.D{{Key: "code", Value: 1}}, options.Index().SetUnique(true).SetSparse(true)},
		{s.roomEvents, bson.D{{Key: "workshopId", Value: 1}, {Key: "seq", Value: 1}}, unique},
		{s.votes, bson.D{{Key: "workshopId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.versions, bson.D{{Key: "documentId", Value: 1}, {Key: "name", Value: 1}}, unique},
		{s.versions, bson.D{{Key: "documentId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.themes, bson.D{{Key: "nameKey", Value: 1}}, unique},
		{s.tags, bson.D{{Key: "documentId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.citations, bson.D{{Key: "documentId", Value: 1}, {Key: "_id", Value: 1}}, nil},
		{s.search, bson.D{{Key: "terms", Value: 1}}, nil},
		{s.search, bson.D{{Key: "documentId", Value: 1}}, nil},
		{s.search, bson.D{{Key: "indexedAt", Value: 1}}, nil},
	}
	for _, ix := range indexes {
		m := mongo.IndexModel{Keys: ix.keys}
		if ix.opts != nil {
			m.Options = ix.opts
		}
		if _, err := ix.c.Indexes().CreateOne(ctx, m); err != nil {
			return fmt.Errorf("create index on %s: %w", ix.c.Name(), err)
		}
	}
	return nil
}

// translate maps driver errors to domain errors, once for the whole engine.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return &labs.Error{Code: labs.ENotFound, Message: what + " not found.", Err: err}
	case mongo.IsDuplicateKeyError(err):
		return &labs.Error{Code: labs.EConflict, Message: what + " already exists.", Err: err}
	}
	return err
}

func notFound(what string) error { return labs.Errorf(labs.ENotFound, "%s not found.", what) }

// findAll finds every document of c that matches filter and converts
// them to domain values: for the short lists that are read whole.
func findAll[D, T any](ctx context.Context, c *mongo.Collection, filter bson.D, opts *options.FindOptionsBuilder, domain func(D) T) ([]T, error) {
	cur, err := c.Find(ctx, filter, opts)
	if err != nil {
		return nil, err
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	out := make([]T, len(docs))
	for i, d := range docs {
		out[i] = domain(d)
	}
	return out, nil
}

// page finds one page of c ordered by key, fetching limit+1 documents to
// know whether another page follows, and converts them to domain values.
func page[D, T any](ctx context.Context, c *mongo.Collection, filter bson.D, key string, p labs.Page,
	keyOf func(D) string, domain func(D) T) ([]T, string, error) {
	p = p.Normalize()
	filter = append(filter, bson.E{Key: key, Value: bson.D{{Key: "$gt", Value: p.After}}})
	cur, err := c.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: key, Value: 1}}).SetLimit(int64(p.Limit+1)))
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", c.Name(), err)
	}
	var docs []D
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", fmt.Errorf("decode %s: %w", c.Name(), err)
	}
	keys := make([]string, len(docs))
	for i, d := range docs {
		keys[i] = keyOf(d)
	}
	next, n := labs.NextCursor(keys, p.Limit)
	out := make([]T, n)
	for i, d := range docs[:n] {
		out[i] = domain(d)
	}
	return out, next, nil
}

// utc normalizes decoded times: the driver decodes BSON dates in UTC, and a
// zero time.Time must stay zero.
func utc(t time.Time) time.Time {
	if t.IsZero() || t.Unix() == (time.Time{}).Unix() {
		return time.Time{}
	}
	return t.UTC()
}
