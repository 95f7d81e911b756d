package mongo

import (
	"cmp"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/textsearch"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

var _ labs.SearchStore = (*Store)(nil)

// searchDoc is an index entry. Terms are its distinct folded words, under
// an ordinary (multikey) index that an anchored prefix query uses.
//
// Not MongoDB's text index: it stems and folds by language, and none of
// its languages is Serbian, Latvian or Slovenian, nor folds Cyrillic into
// Latin; the terms make both engines find the same things.
type searchDoc struct {
	ID         string    `bson:"_id"` // kind:id
	Kind       string    `bson:"kind"`
	ItemID     string    `bson:"itemId"`
	LabID      string    `bson:"labId"`
	DocumentID string    `bson:"documentId"`
	SectionID  string    `bson:"sectionId"`
	WorkshopID string    `bson:"workshopId"`
	Level      string    `bson:"level"`
	Title      string    `bson:"title"`
	Text       string    `bson:"text"`
	Folded     string    `bson:"folded"`
	Terms      []string  `bson:"terms,omitempty"`
	IndexedAt  time.Time `bson:"indexedAt"`
}

func searchKey(kind labs.SearchKind, id string) string { return string(kind) + ":" + id }

func (d searchDoc) domain() labs.SearchItem {
	return labs.SearchItem{Kind: labs.SearchKind(d.Kind), ID: d.ItemID, LabID: d.LabID, DocumentID: d.DocumentID, SectionID: d.SectionID,
		WorkshopID: d.WorkshopID, Level: labs.Visibility(d.Level), Title: d.Title, Text: d.Text, Folded: d.Folded, IndexedAt: utc(d.IndexedAt)}
}

// distinct returns the distinct words of folded text.
func distinct(folded string) []string {
	ws := strings.Fields(folded)
	slices.Sort(ws)
	return slices.Compact(ws)
}

// IndexSearch implements labs.SearchStore.
func (s *Store) IndexSearch(ctx context.Context, items []labs.SearchItem) error {
	if len(items) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, len(items))
	for i, it := range items {
		d := searchDoc{ID: searchKey(it.Kind, it.ID), Kind: string(it.Kind), ItemID: it.ID, LabID: it.LabID, DocumentID: it.DocumentID,
			SectionID: it.SectionID, WorkshopID: it.WorkshopID, Level: string(it.Level), Title: it.Title, Text: it.Text,
			Folded: it.Folded, Terms: distinct(it.Folded), IndexedAt: it.IndexedAt}
		models[i] = mongo.NewReplaceOneModel().SetFilter(bson.D{{Key: "_id", Value: d.ID}}).SetReplacement(d).SetUpsert(true)
	}
	if _, err := s.search.BulkWrite(ctx, models); err != nil {
		return fmt.Errorf("index %d items: %w", len(items), err)
	}
	return nil
}

// UnindexSearch implements labs.SearchStore.
func (s *Store) UnindexSearch(ctx context.Context, kind labs.SearchKind, id string) error {
	if _, err := s.search.DeleteOne(ctx, bson.D{{Key: "_id", Value: searchKey(kind, id)}}); err != nil {
		return fmt.Errorf("unindex %s %s: %w", kind, id, err)
	}
	return nil
}

// UnindexDocument implements labs.SearchStore.
func (s *Store) UnindexDocument(ctx context.Context, documentID string, before time.Time) error {
	if documentID == "" {
		return nil
	}
	filter := bson.D{{Key: "documentId", Value: documentID}, {Key: "indexedAt", Value: bson.D{{Key: "$lt", Value: before}}}}
	if _, err := s.search.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("unindex document %s: %w", documentID, err)
	}
	return nil
}

// PruneSearch implements labs.SearchStore.
func (s *Store) PruneSearch(ctx context.Context, before time.Time) error {
	if _, err := s.search.DeleteMany(ctx, bson.D{{Key: "indexedAt", Value: bson.D{{Key: "$lt", Value: before}}}}); err != nil {
		return fmt.Errorf("prune search index: %w", err)
	}
	return nil
}

// searchScan bounds the matches read to rank one query: the engine has no
// ranking of its own here, so they are ranked as textsearch.Score says.
const searchScan = 4 * labs.MaxSearchCandidates

// Search implements labs.SearchStore.
func (s *Store) Search(ctx context.Context, q labs.SearchQuery) ([]labs.SearchItem, error) {
	if len(q.Terms) == 0 || (len(q.Labs) == 0 && len(q.Levels) == 0) {
		return nil, nil
	}
	var and bson.A
	for _, t := range q.Terms {
		and = append(and, bson.D{{Key: "terms", Value: bson.D{{Key: "$regex", Value: "^" + regexp.QuoteMeta(t)}}}})
	}
	var scope bson.A
	if len(q.Labs) > 0 {
		scope = append(scope, bson.D{{Key: "labId", Value: bson.D{{Key: "$in", Value: q.Labs}}}})
	}
	if len(q.Levels) > 0 {
		scope = append(scope, bson.D{{Key: "level", Value: bson.D{{Key: "$in", Value: q.Levels}}}})
	}
	and = append(and, bson.D{{Key: "$or", Value: scope}})
	if len(q.Kinds) > 0 {
		and = append(and, bson.D{{Key: "kind", Value: bson.D{{Key: "$in", Value: q.Kinds}}}})
	}
	if q.LabID != "" {
		and = append(and, bson.D{{Key: "labId", Value: q.LabID}})
	}
	opts := options.Find().SetProjection(bson.D{{Key: "terms", Value: 0}}).SetLimit(searchScan)
	out, err := findAll(ctx, s.search, bson.D{{Key: "$and", Value: and}}, opts, searchDoc.domain)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	scores := make(map[string]int, len(out))
	for _, it := range out {
		scores[searchKey(it.Kind, it.ID)] = textsearch.Score(it.Folded, q.Terms)
	}
	slices.SortFunc(out, func(a, b labs.SearchItem) int {
		return cmp.Or(cmp.Compare(scores[searchKey(b.Kind, b.ID)], scores[searchKey(a.Kind, a.ID)]),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out, nil
}
