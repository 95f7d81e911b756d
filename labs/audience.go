package labs

import "slices"

// Narrowest returns the narrowest of the levels ("" counts for nothing).
func Narrowest(levels ...Visibility) Visibility {
	out := Visibility("")
	for _, v := range levels {
		if v != "" && (out == "" || slices.Index(Visibilities, v) < slices.Index(Visibilities, out)) {
			out = v
		}
	}
	return out
}

// DiscussionLevel is who reads a comment or feedback on d unless its writer
// chose wider: the lab's members (in the partner network, the partners),
// and never more than may read the document. A lab's discussion stays with
// the lab even on a document it shares more widely.
func (d Document) DiscussionLevel() Visibility {
	if d.InNetwork() {
		return Narrowest(VisPartners, d.Visibility)
	}
	return Narrowest(VisLab, d.Visibility)
}

// AudienceLevel is the level an item on d with the chosen audience ("" for
// the discussion's) is read at: never wider than the document, so an item
// narrows with its document.
func (d Document) AudienceLevel(audience Visibility) Visibility {
	if audience == "" {
		audience = d.DiscussionLevel()
	}
	return Narrowest(audience, d.Visibility)
}

// Audiences lists the audiences a writer may choose on d, narrowest
// first: from the discussion's level up to the document's own.
func (d Document) Audiences() []Visibility {
	from, to := slices.Index(Visibilities, d.DiscussionLevel()), slices.Index(Visibilities, d.Visibility)
	if from < 0 || to < from {
		return []Visibility{d.Visibility}
	}
	return slices.Clone(Visibilities[from : to+1])
}
