package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The feed is one change stream on the changes collection. Section changes
// are stored there anyway, so the hot path writes nothing more for other
// instances to hear them; signals are stored beside them under section IDs
// that start with "~" (no section's ID does), so one stream per instance
// hears both, in one order. A whole-database stream would do the same
// without the shared collection, but not every server that speaks the
// protocol offers one.

var _ labs.Feed = (*Store)(nil)

// signalPrefix starts the section ID of every signal: "~" and its origin.
const signalPrefix = "~"

// feedDoc is what the stream carries: a change or a signal.
type feedDoc struct {
	SectionID string    `bson:"sectionId"`
	Version   int64     `bson:"version"`
	ClientID  string    `bson:"clientId"`
	Seq       int64     `bson:"seq"`
	AuthorID  string    `bson:"authorId"`
	Changes   string    `bson:"changes"`
	Kind      string    `bson:"kind"`
	Body      string    `bson:"body"`
	At        time.Time `bson:"at"`
}

type signalDoc struct {
	ID        string    `bson:"_id"`
	SectionID string    `bson:"sectionId"`
	Version   int64     `bson:"version"`
	Kind      string    `bson:"kind"`
	Body      string    `bson:"body"`
	At        time.Time `bson:"at"`
}

// Signal implements labs.Feed. (origin, N) is unique, like a section's
// (ID, version), so the signal shares the changes' unique index.
func (s *Store) Signal(ctx context.Context, sg labs.Signal) error {
	if len(sg.Body) > labs.MaxSignalBody {
		return labs.Errorf(labs.ETooLarge, "A signal carries at most %d bytes.", labs.MaxSignalBody)
	}
	section := signalPrefix + sg.Origin
	_, err := s.signals.InsertOne(ctx, signalDoc{ID: fmt.Sprintf("%s/%012d", section, sg.N), SectionID: section, Version: sg.N,
		Kind: sg.Kind, Body: string(sg.Body), At: sg.At})
	if err != nil {
		return fmt.Errorf("send signal %s: %w", sg.Kind, translate(err, "Signal"))
	}
	return nil
}

// PruneSignals implements labs.Feed.
func (s *Store) PruneSignals(ctx context.Context, before time.Time) error {
	_, err := s.changes.DeleteMany(ctx, bson.D{{Key: "sectionId", Value: bson.D{{Key: "$regex", Value: "^" + signalPrefix}}},
		{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}})
	if err != nil {
		return fmt.Errorf("prune signals: %w", err)
	}
	return nil
}

// Follow implements labs.Feed.
func (s *Store) Follow(ctx context.Context, resume []byte, started func(), fn func(labs.FeedEvent) error) error {
	opts := options.ChangeStream().SetMaxAwaitTime(feedAwait)
	if resume != nil {
		opts.SetResumeAfter(bson.Raw(resume))
	}
	inserts := mongo.Pipeline{{{Key: "$match", Value: bson.D{{Key: "operationType", Value: "insert"}}}}}
	cs, err := s.changes.Watch(ctx, inserts, opts)
	if err != nil {
		if resume != nil && refused(err) {
			return fmt.Errorf("%w: %v", labs.ErrResumeLost, err)
		}
		return fmt.Errorf("open change stream: %w", err)
	}
	defer cs.Close(context.WithoutCancel(ctx))
	started()
	var quiet time.Duration
	for {
		asked := time.Now()
		if !cs.TryNext(ctx) {
			if cs.Err() != nil || ctx.Err() != nil {
				break
			}
			if time.Since(asked) < feedAwait/2 {
				// The server answered at once instead of waiting for an
				// event (MongoDB waits; the test server does not): ask
				// again after a pause, longer the longer it stays quiet,
				// rather than spin.
				quiet = min(max(2*quiet, feedPollMin), feedPollMax)
				pause(ctx, quiet)
			}
			continue
		}
		quiet = 0
		var ev struct {
			Doc feedDoc `bson:"fullDocument"`
		}
		if err := cs.Decode(&ev); err != nil {
			return fmt.Errorf("decode change stream event: %w", err)
		}
		d := ev.Doc
		fe := labs.FeedEvent{Resume: append([]byte(nil), cs.ResumeToken()...)}
		if origin, ok := strings.CutPrefix(d.SectionID, signalPrefix); ok {
			fe.Signal = &labs.Signal{Origin: origin, N: d.Version, Kind: d.Kind, Body: []byte(d.Body), At: utc(d.At)}
		} else {
			fe.Change = &labs.Change{SectionID: d.SectionID, Version: int(d.Version), ClientID: d.ClientID, Seq: d.Seq,
				AuthorID: d.AuthorID, Changes: []byte(d.Changes), At: utc(d.At)}
		}
		if err := fn(fe); err != nil {
			return err
		}
	}
	if err := cs.Err(); err != nil {
		if refused(err) && resume != nil {
			return fmt.Errorf("%w: %v", labs.ErrResumeLost, err)
		}
		return fmt.Errorf("change stream: %w", err)
	}
	return ctx.Err()
}

// feedAwait is how long the server may hold a request for more events;
// feedPollMin and feedPollMax bound the pause between requests to a server
// that does not hold them.
const (
	feedAwait   = time.Second
	feedPollMin = 250 * time.Microsecond
	feedPollMax = 4 * time.Millisecond
)

func pause(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// refused reports whether the server refused to resume: the token is
// unknown to it or its history is gone (ChangeStreamFatalError,
// ChangeStreamHistoryLost), not a network failure worth trying again.
func refused(err error) bool {
	var ce mongo.CommandError
	if !errors.As(err, &ce) {
		return false
	}
	return ce.Code == 280 || ce.Code == 286 || ce.HasErrorLabel("NonResumableChangeStreamError") || !ce.HasErrorLabel("ResumableChangeStreamError") && !ce.HasErrorLabel("NetworkError")
}
