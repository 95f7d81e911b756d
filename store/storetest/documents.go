package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testDocuments(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	d := labs.Document{ID: id[1], LabID: id[0], Kind: labs.KindBaseline, Template: "baseline@1", Title: "Baseline",
		Visibility: labs.VisLab, CreatedBy: "someone", CreatedAt: base, UpdatedAt: base,
		Sections: []labs.Section{
			{ID: id[2], Key: "welfare-model", Title: "Welfare model", Guidance: "Which model?", Text: "Universal 👨‍👩‍👧 services\r\n", Version: 0},
			{ID: id[3], Key: "b-second", Title: "Second", Text: "", Version: 3},
			{ID: id[4], Key: "a-third", Title: "Third", Text: "e\u0301", Version: 1},
		}}
	must(t, s.CreateDocument(c, d))
	got, err := s.Document(c, d.ID)
	must(t, err)
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("Document = %+v\nwant %+v", got, d)
	}
	wantCode(t, s.CreateDocument(c, d), labs.EConflict)
	_, err = s.Document(c, id[5])
	wantCode(t, err, labs.ENotFound)

	d2 := labs.Document{ID: id[5], LabID: id[0], Kind: labs.KindProposal, Title: "Idea", Visibility: labs.VisPrivate,
		CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateDocument(c, d2))
	page, next, err := s.ListDocuments(c, id[0], labs.Page{Limit: 1})
	must(t, err)
	if len(page) != 1 || page[0].ID != d.ID || len(page[0].Sections) != 0 || next == "" {
		t.Fatalf("first page = %+v next %q", page, next)
	}
	page, _, err = s.ListDocuments(c, id[0], labs.Page{After: next, Limit: 1})
	must(t, err)
	if len(page) != 1 || page[0].ID != d2.ID {
		t.Fatalf("second page = %+v", page)
	}
	if page, _, err = s.ListDocuments(c, id[6], labs.Page{}); err != nil || len(page) != 0 {
		t.Fatalf("documents of an unknown lab = %+v, %v", page, err)
	}
}

func testDocumentStructure(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(6)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	d := labs.Document{ID: id[1], LabID: id[0], Kind: labs.KindNotes, Title: "Notes", Visibility: labs.VisLab, CreatedAt: base, UpdatedAt: base,
		Sections: []labs.Section{{ID: id[2], Key: "a", Title: "A", Text: "first", Version: 0}, {ID: id[3], Key: "b", Title: "B", Text: "second"}}}
	must(t, s.CreateDocument(c, d))
	// Move B first, add C, drop A, rename: one update.
	next := d
	next.Title, next.UpdatedAt = "Renamed", base.Add(time.Minute)
	next.Sections = []labs.Section{d.Sections[1], {ID: id[4], Key: "c", Title: "C"}}
	must(t, s.UpdateDocument(c, next))
	got, err := s.Document(c, d.ID)
	must(t, err)
	if got.Title != "Renamed" || got.Revision != 1 || len(got.Sections) != 2 || got.Sections[0].ID != id[3] ||
		got.Sections[0].Text != "second" || got.Sections[1].ID != id[4] || !got.UpdatedAt.Equal(next.UpdatedAt) {
		t.Fatalf("after UpdateDocument: %+v", got)
	}
	// The same update again is against an old revision: refused, no change.
	stale := next
	stale.Title = "Stale"
	wantCode(t, s.UpdateDocument(c, stale), labs.EConflict)
	if got, _ := s.Document(c, d.ID); got.Title != "Renamed" || got.Revision != 1 {
		t.Fatalf("a stale update changed the document: %+v", got)
	}
	missing := next
	missing.ID = id[5]
	wantCode(t, s.UpdateDocument(c, missing), labs.ENotFound)
}

// testDeleteDocument: a document goes with everything only about it, and
// nothing else: another document's sections, changes, comments, versions
// and feedback stay, and so does a citation of its words elsewhere.
func testDeleteDocument(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(20)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	docs := []labs.Document{
		{ID: id[1], LabID: id[0], Kind: labs.KindProposal, Title: "Gone", Visibility: labs.VisPrivate, CreatedAt: base, UpdatedAt: base,
			Sections: []labs.Section{{ID: id[2], Key: "summary", Title: "Summary", Text: "a"}}},
		{ID: id[3], LabID: id[0], Kind: labs.KindProposal, Title: "Stays", Visibility: labs.VisLab, CreatedAt: base, UpdatedAt: base,
			Sections: []labs.Section{{ID: id[4], Key: "summary", Title: "Summary", Text: "b"}}},
	}
	for i, d := range docs {
		must(t, s.CreateDocument(c, d))
		sec := d.Sections[0].ID
		must(t, s.AppendChanges(c, []labs.Change{{SectionID: sec, Version: 1, ClientID: "c", Seq: 1, AuthorID: "a", Changes: []byte(`[1,[0,"x"]]`), At: base}}))
		must(t, s.SaveSnapshot(c, labs.Snapshot{SectionID: sec, Version: 1, Text: "ax", At: base}))
		must(t, s.CreateComment(c, labs.Comment{ID: id[5+i], DocumentID: d.ID, SectionID: sec, AuthorID: "a", Body: "Hm", CreatedAt: base, UpdatedAt: base}))
		must(t, s.CreateVersion(c, labs.DocumentVersion{ID: id[7+i], DocumentID: d.ID, Name: "v", CreatedBy: "a", CreatedAt: base}))
		must(t, s.CreateFeedback(c, labs.Feedback{ID: id[9+i], LabID: id[0], Target: labs.TargetProposal, TargetID: d.ID, AuthorID: "a",
			Rating: 3, Body: "Ok", CreatedAt: base, UpdatedAt: base}))
	}
	// A citation in the gone document, and one of its words in the other.
	must(t, s.CreateCitation(c, labs.Citation{ID: id[11], DocumentID: id[1], SourceID: id[3], Passage: labs.Passage{SectionID: id[4], Quote: "b"},
		CitedQuote: "b", CreatedBy: "a", CreatedAt: base}))
	must(t, s.CreateCitation(c, labs.Citation{ID: id[12], DocumentID: id[3], SourceID: id[1], Passage: labs.Passage{SectionID: id[2], Quote: "a"},
		CitedQuote: "a", CreatedBy: "a", CreatedAt: base}))

	must(t, s.DeleteDocument(c, id[1]))
	wantCode(t, s.DeleteDocument(c, id[1]), labs.ENotFound)
	_, err := s.Document(c, id[1])
	wantCode(t, err, labs.ENotFound)
	count := func(doc, sec string) (n int) {
		if ch, err := s.Changes(c, sec, 0, 10); err == nil {
			n += len(ch)
		}
		if _, err := s.LatestSnapshot(c, sec); err == nil {
			n++
		}
		cms, _, err := s.ListComments(c, doc, labs.Page{Limit: 10})
		must(t, err)
		vs, err := s.ListVersions(c, doc)
		must(t, err)
		fb, _, err := s.ListFeedback(c, id[0], labs.TargetProposal, doc, labs.Page{Limit: 10})
		must(t, err)
		cits, err := s.ListCitations(c, doc)
		must(t, err)
		return n + len(cms) + len(vs) + len(fb) + len(cits)
	}
	if n := count(id[1], id[2]); n != 0 {
		t.Fatalf("%d things of the deleted document are left", n)
	}
	// change, snapshot, comment, version, feedback, and the citation of
	// the deleted document's words.
	if n := count(id[3], id[4]); n != 6 {
		t.Fatalf("the other document keeps %d things, want 6", n)
	}
	if d, err := s.Document(c, id[3]); err != nil || len(d.Sections) != 1 {
		t.Fatalf("the other document: %+v %v", d, err)
	}
}
