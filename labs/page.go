package labs

// Listing limits shared by every store and the API.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// Page asks for one page of a listing ordered by ID ascending: the items
// whose ID is greater than After, at most Limit of them.
type Page struct {
	After string
	Limit int
}

// Normalize returns p with its limit clamped to [1, MaxPageLimit]; a zero
// limit becomes DefaultPageLimit.
func (p Page) Normalize() Page {
	switch {
	case p.Limit <= 0:
		p.Limit = DefaultPageLimit
	case p.Limit > MaxPageLimit:
		p.Limit = MaxPageLimit
	}
	return p
}

// NextCursor returns the cursor for the page after items, or "" when items
// is shorter than the limit and so was the last page. engines fetch limit+1
// rows and pass them here with their IDs.
func NextCursor(ids []string, limit int) (next string, keep int) {
	if len(ids) > limit {
		return ids[limit-1], limit
	}
	return "", len(ids)
}
