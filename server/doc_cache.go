package server

import (
	"context"
	"sync"
	"time"

	"github.com/linklab/linklab/labs"
)

// docCache holds recently loaded documents for the real-time connections:
// one copy per document, shared by every connection, so a burst of pushes
// or cursor moves does not read the store each time and idle connections
// hold no copies of their own. Entries live accessTTL; a structure change
// drops its document at once, so subscribers see new sections immediately.
type docCache struct {
	store labs.DocumentStore
	mu    sync.Mutex
	docs  map[string]cachedDoc
}

type cachedDoc struct {
	doc labs.Document
	at  time.Time
}

// maxCachedDocs bounds the cache; past it, expired entries are dropped.
const maxCachedDocs = 10_000

func newDocCache(store labs.DocumentStore) *docCache {
	return &docCache{store: store, docs: map[string]cachedDoc{}}
}

// get returns the document, from the cache while it is fresh.
func (c *docCache) get(ctx context.Context, id string) (labs.Document, error) {
	now := time.Now()
	c.mu.Lock()
	cd, ok := c.docs[id]
	c.mu.Unlock()
	if ok && now.Sub(cd.at) <= accessTTL {
		return cd.doc, nil
	}
	doc, err := c.store.Document(ctx, id)
	if err != nil {
		return doc, err
	}
	c.mu.Lock()
	if len(c.docs) >= maxCachedDocs {
		for k, v := range c.docs {
			if now.Sub(v.at) > accessTTL {
				delete(c.docs, k)
			}
		}
	}
	c.docs[id] = cachedDoc{doc: doc, at: now}
	c.mu.Unlock()
	return doc, nil
}

// forget drops a document after its structure changed.
func (c *docCache) forget(id string) {
	c.mu.Lock()
	delete(c.docs, id)
	c.mu.Unlock()
}
