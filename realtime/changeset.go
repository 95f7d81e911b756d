package realtime

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// ChangeSet is a set of changes to a text of a given length, with the
// representation and semantics of @codemirror/state's ChangeSet: sections
// of (length in the old text, length of the replacement), where -1 means
// "kept", and the inserted texts by section. A ChangeSet whose inserted is
// nil is a description only (ChangeDesc): it can be mapped over, not applied.
type ChangeSet struct {
	sections []int
	inserted []Text
}

// Limits on one change set, checked when parsing.
const (
	MaxSections = 10_000
	MaxInserted = 64 * 1024 // UTF-16 code units inserted by one change set
)

// ErrMalformed wraps every parse and validation failure of a change set.
var ErrMalformed = errors.New("malformed change set")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Len is the length of the text the changes apply to.
func (c ChangeSet) Len() int {
	n := 0
	for i := 0; i < len(c.sections); i += 2 {
		n += c.sections[i]
	}
	return n
}

// NewLen is the length of the text after the changes.
func (c ChangeSet) NewLen() int {
	n := 0
	for i := 0; i < len(c.sections); i += 2 {
		if ins := c.sections[i+1]; ins < 0 {
			n += c.sections[i]
		} else {
			n += ins
		}
	}
	return n
}

// deleted is how many code units of the old text the changes remove.
func (c ChangeSet) deleted() int {
	n := 0
	for i := 0; i < len(c.sections); i += 2 {
		if c.sections[i+1] >= 0 {
			n += c.sections[i]
		}
	}
	return n
}

// insertedText is everything the changes insert, in order.
func (c ChangeSet) insertedText() Text {
	var t Text
	for _, ins := range c.inserted {
		t = append(t, ins...)
	}
	return t
}

// Empty reports whether the set changes nothing.
func (c ChangeSet) Empty() bool {
	return len(c.sections) == 0 || len(c.sections) == 2 && c.sections[1] < 0
}

// ParseChangeSet reads the JSON form of a change set, as produced by
// ChangeSet.toJSON in @codemirror/state: an array whose items are a number
// (a kept span), [n] (a deletion of n) or [n, line, line, ...] (a
// replacement of n by the lines joined with "\n"). It checks more than the
// library does: lengths are non-negative integers, strings have no lone
// surrogates, and the limits above hold.
//
// It normalises what it reads the way the library builds every change set
// (its addSection): empty items ([0], 0, [0, ""]) are dropped and adjacent
// items of the same kind are merged. toJSON never writes anything else, so
// a change set from @codemirror/state reads back unchanged; a hand-made one
// such as [5, 0] reads as [5]. Left as written, an empty kept item made
// mapping fail and could stop a section for good.
func ParseChangeSet(raw []byte) (ChangeSet, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(raw, &parts); err != nil {
		return ChangeSet{}, malformed("not a JSON array")
	}
	if len(parts) > MaxSections {
		return ChangeSet{}, malformed("more than %d sections", MaxSections)
	}
	c := ChangeSet{sections: make([]int, 0, 2*len(parts)), inserted: []Text{}}
	total := 0
	for i, part := range parts {
		part = bytes.TrimSpace(part)
		if len(part) > 0 && part[0] != '[' {
			n, err := parseLength(part)
			if err != nil {
				return ChangeSet{}, malformed("item %d: %v", i, err)
			}
			c.sections = addSection(c.sections, n, -1)
			continue
		}
		var items []json.RawMessage
		if err := json.Unmarshal(part, &items); err != nil || len(items) == 0 {
			return ChangeSet{}, malformed("item %d is neither a number nor [length, lines...]", i)
		}
		n, err := parseLength(bytes.TrimSpace(items[0]))
		if err != nil {
			return ChangeSet{}, malformed("item %d: %v", i, err)
		}
		var text Text
		for j, line := range items[1:] {
			l, err := decodeJSONString(bytes.TrimSpace(line))
			if err != nil {
				return ChangeSet{}, malformed("item %d, line %d is not a string", i, j)
			}
			if j > 0 {
				text = append(text, '\n')
			}
			text = append(text, l...)
		}
		if !text.WellFormed() {
			return ChangeSet{}, malformed("item %d inserts a lone surrogate", i)
		}
		if total += len(text); total > MaxInserted {
			return ChangeSet{}, malformed("inserts more than %d UTF-16 code units", MaxInserted)
		}
		c.sections = addSection(c.sections, n, len(text))
		c.inserted = addInsert(c.inserted, c.sections, text)
	}
	return c, nil
}

func parseLength(raw []byte) (int, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, errors.New("a length is not a number")
	}
	if f < 0 || f != math.Trunc(f) || f > 1<<30 {
		return 0, errors.New("a length is not a non-negative integer")
	}
	return int(f), nil
}

// MarshalJSON writes the @codemirror/state JSON form.
func (c ChangeSet) MarshalJSON() ([]byte, error) { return c.AppendJSON(nil), nil }

// AppendJSON appends the JSON form to b.
func (c ChangeSet) AppendJSON(b []byte) []byte {
	b = append(b, '[')
	for i := 0; i < len(c.sections); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		n, ins := c.sections[i], c.sections[i+1]
		switch {
		case ins < 0:
			b = fmt.Appendf(b, "%d", n)
		case ins == 0:
			b = fmt.Appendf(b, "[%d]", n)
		default:
			b = fmt.Appendf(b, "[%d", n)
			text := c.text(i >> 1)
			start := 0
			for j := 0; j <= len(text); j++ {
				if j == len(text) || text[j] == '\n' {
					b = append(b, ',')
					b = appendJSONString(b, text[start:j])
					start = j + 1
				}
			}
			b = append(b, ']')
		}
	}
	return append(b, ']')
}

func (c ChangeSet) text(index int) Text {
	if index < len(c.inserted) {
		return c.inserted[index]
	}
	return nil
}

// Apply returns doc with the changes made. It fails when the lengths differ.
func (c ChangeSet) Apply(doc Text) (Text, error) { return c.applyTo(nil, doc) }

// applyTo is Apply writing the new text into the memory of scratch (a text
// nothing refers to any more) when it is large enough.
func (c ChangeSet) applyTo(scratch, doc Text) (Text, error) {
	if c.Len() != len(doc) {
		return nil, malformed("changes are for a text of length %d, the text has %d", c.Len(), len(doc))
	}
	out := scratch[:0]
	if n := c.NewLen(); cap(out) < n {
		// Room to grow: a section being written is mostly getting longer.
		out = make(Text, 0, n+n/8)
	}
	pos := 0
	for i := 0; i < len(c.sections); i += 2 {
		n, ins := c.sections[i], c.sections[i+1]
		if ins < 0 {
			out = append(out, doc[pos:pos+n]...)
		} else {
			out = append(out, c.text(i>>1)...)
		}
		pos += n
	}
	return out, nil
}

// CheckBoundaries reports an error when a change starts or ends between
// the halves of a surrogate pair of doc, which would leave a lone surrogate.
func (c ChangeSet) CheckBoundaries(doc Text) error {
	pos := 0
	for i := 0; i < len(c.sections); i += 2 {
		n, ins := c.sections[i], c.sections[i+1]
		if ins >= 0 && (doc.splitsPair(pos) || doc.splitsPair(pos+n)) {
			return malformed("a change at %d splits a character made of two UTF-16 code units", pos)
		}
		pos += n
	}
	return nil
}

// Desc returns the description of c, without inserted text.
func (c ChangeSet) Desc() ChangeSet { return ChangeSet{sections: c.sections} }

// Map returns c rebased to apply after other, where both applied to the same
// text. When both insert at the same position, before says whether c's
// insertion goes first. Same result as ChangeSet.map in @codemirror/state.
func (c ChangeSet) Map(other ChangeSet, before bool) ChangeSet {
	if other.Empty() {
		return c
	}
	return mapSet(c, other, before, c.inserted != nil, nil, nil)
}

// mapReusing is Map building its result in the memory of scratch, a change
// set nothing else refers to any more, whose contents are lost. Mapping a
// push over hundreds of accepted changes, one at a time, then costs two
// buffers instead of one pair per step. other must not be empty.
func (c ChangeSet) mapReusing(other ChangeSet, before bool, scratch ChangeSet) ChangeSet {
	return mapSet(c, other, before, c.inserted != nil, scratch.sections[:0], scratch.inserted[:0])
}

// sectionIter walks a change set's sections, possibly part of one at a time.
type sectionIter struct {
	set      ChangeSet
	i        int
	len, ins int // ins is -2 when done
	off      int
}

func newIter(c ChangeSet) *sectionIter {
	it := &sectionIter{set: c}
	it.next()
	return it
}

func (it *sectionIter) next() {
	if it.i < len(it.set.sections) {
		it.len, it.ins = it.set.sections[it.i], it.set.sections[it.i+1]
		it.i += 2
	} else {
		it.len, it.ins = 0, -2
	}
	it.off = 0
}

func (it *sectionIter) done() bool { return it.ins == -2 }

func (it *sectionIter) text() Text { return it.set.text((it.i - 2) >> 1) }

func (it *sectionIter) forward(n int) {
	if n == it.len {
		it.next()
	} else {
		it.len -= n
		it.off += n
	}
}

// addSection appends a section, merging it with the last one where the
// library does, so that both sides build identical section lists.
func addSection(sections []int, n, ins int) []int {
	if n == 0 && ins <= 0 {
		return sections
	}
	last := len(sections) - 2
	switch {
	case last >= 0 && ins <= 0 && ins == sections[last+1]:
		sections[last] += n
	case last >= 0 && n == 0 && sections[last] == 0:
		sections[last+1] += ins
	default:
		sections = append(sections, n, ins)
	}
	return sections
}

// addInsert records the text inserted by the last section.
func addInsert(values []Text, sections []int, value Text) []Text {
	if len(value) == 0 {
		return values
	}
	index := (len(sections) - 2) >> 1
	if index < len(values) {
		last := len(values) - 1
		values[last] = append(append(Text(nil), values[last]...), value...)
		return values
	}
	for len(values) < index {
		values = append(values, nil)
	}
	return append(values, value)
}

// mapSet produces a copy of a that applies after b (both starting from the
// same text). It walks both sets in parallel, as the library does: a change
// in b that starts first (by position, then length, then the before flag)
// is skipped over, with any change of a it covers; otherwise a's change is
// kept, up to the next change of b that overlaps it.
//
// The result is appended to sections and insert, which must be empty; when
// they lack room, buffers sized for the result are made (growing them
// piecemeal was most of the mapping's garbage).
func mapSet(a, b ChangeSet, before, mkSet bool, sections []int, insert []Text) ChangeSet {
	if cap(sections) < len(a.sections)+len(b.sections) {
		sections = make([]int, 0, len(a.sections)+len(b.sections))
	}
	if !mkSet {
		insert = nil
	} else if cap(insert) < len(a.inserted) || insert == nil {
		insert = make([]Text, 0, len(a.inserted))
	}
	ia, ib := newIter(a), newIter(b)
	for inserted := -1; ; {
		switch {
		case ia.done() && ib.len > 0 || ib.done() && ia.len > 0:
			panic("realtime: mapping change sets of different lengths") // callers check lengths first
		case ia.ins == -1 && ib.ins == -1:
			n := min(ia.len, ib.len)
			sections = addSection(sections, n, -1)
			ia.forward(n)
			ib.forward(n)
		case ib.ins >= 0 && (ia.ins < 0 || inserted == ia.i || ia.off == 0 && (ib.len < ia.len || ib.len == ia.len && !before)):
			n := ib.len
			sections = addSection(sections, ib.ins, -1)
			for n > 0 {
				piece := min(ia.len, n)
				if ia.ins >= 0 && inserted < ia.i && ia.len <= piece {
					sections = addSection(sections, 0, ia.ins)
					if mkSet {
						insert = addInsert(insert, sections, ia.text())
					}
					inserted = ia.i
				}
				ia.forward(piece)
				n -= piece
			}
			ib.next()
		case ia.ins >= 0:
			n, left := 0, ia.len
			for left > 0 {
				if ib.ins == -1 {
					piece := min(left, ib.len)
					n += piece
					left -= piece
					ib.forward(piece)
				} else if ib.ins == 0 && ib.len < left {
					left -= ib.len
					ib.next()
				} else {
					break
				}
			}
			ins := 0
			if inserted < ia.i {
				ins = ia.ins
			}
			sections = addSection(sections, n, ins)
			if mkSet && inserted < ia.i {
				insert = addInsert(insert, sections, ia.text())
			}
			inserted = ia.i
			ia.forward(ia.len - left)
		case ia.done() && ib.done():
			return ChangeSet{sections: sections, inserted: insert}
		default:
			panic("realtime: mapping change sets of different lengths")
		}
	}
}

// MapRange maps the range [start, end) of the old text to the new one so
// that it covers the same words: it runs from the first to the last
// character of the range that the change kept, with whatever was inserted
// between them. Text inserted at either end stays outside. When the change
// kept none of the range's characters, ok is false and start == end is
// where the range was.
func (c ChangeSet) MapRange(start, end int) (newStart, newEnd int, ok bool) {
	posA, posB := 0, 0
	first, last := -1, -1
	for i := 0; i < len(c.sections); i += 2 {
		n, ins := c.sections[i], c.sections[i+1]
		if ins < 0 {
			if lo, hi := max(posA, start), min(posA+n, end); lo < hi {
				if first < 0 {
					first = posB + (lo - posA)
				}
				last = posB + (hi - posA)
			}
			posB += n
		} else {
			posB += ins
		}
		posA += n
	}
	if first < 0 {
		p := c.MapPos(start, -1)
		return p, p, false
	}
	return first, last, true
}

// MapPos maps a position in the old text to the new one. assoc says which
// side a position where text was inserted sticks to: negative before the
// insertion, positive after. Same as ChangeDesc.mapPos in @codemirror/state
// (simple mode). pos must be within the old text.
func (c ChangeSet) MapPos(pos, assoc int) int {
	posA, posB := 0, 0
	for i := 0; i < len(c.sections); i += 2 {
		n, ins := c.sections[i], c.sections[i+1]
		endA := posA + n
		if ins < 0 {
			if endA > pos {
				return posB + (pos - posA)
			}
			posB += n
		} else {
			if endA > pos || endA == pos && assoc < 0 && n == 0 {
				if pos == posA || assoc < 0 {
					return posB
				}
				return posB + ins
			}
			posB += ins
		}
		posA = endA
	}
	return posB
}
