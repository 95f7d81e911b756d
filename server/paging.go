package server

import "github.com/linklab/linklab/labs"

// visiblePage reads a listing from the store page by page until it has
// p.Limit items the reader may see, and one more to know whether another
// page follows. The cursor is the ID of the last item returned, never of
// an item left out, and a page is short only at the end of what the reader
// may see: neither the cursor nor the number or size of pages tells
// anything about hidden items.
func visiblePage[T any](p labs.Page, fetch func(labs.Page) ([]T, string, error), id func(T) string,
	visible func(T) (bool, error)) (items []T, next string, err error) {
	after := p.After
	for {
		batch, more, err := fetch(labs.Page{After: after, Limit: labs.MaxPageLimit})
		if err != nil {
			return nil, "", err
		}
		for _, it := range batch {
			ok, err := visible(it)
			if err != nil {
				return nil, "", err
			}
			if !ok {
				continue
			}
			if len(items) == p.Limit {
				return items, id(items[len(items)-1]), nil
			}
			items = append(items, it)
		}
		if more == "" {
			return items, "", nil
		}
		after = more
	}
}
