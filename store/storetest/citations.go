package storetest

import (
	"reflect"
	"testing"

	"github.com/linklab/linklab/labs"
)

func testCitations(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateDocument(c, labs.Document{ID: id[0], Kind: labs.KindSynthesis, Title: "S", Visibility: labs.VisPartners, CreatedAt: base, UpdatedAt: base}))
	cit := labs.Citation{ID: id[1], DocumentID: id[0], SourceID: id[2], SourceLabID: id[3],
		Passage:    labs.Passage{SectionID: "s", From: 4, To: 14, Version: 7, Quote: "staff stay", Before: "Few ", After: " here."},
		CitedQuote: "staff stay", CitedVersion: 7, CreatedBy: "p", CreatedAt: base}
	must(t, s.CreateCitation(c, cit))
	wantCode(t, s.CreateCitation(c, cit), labs.EConflict)
	got, err := s.Citation(c, cit.ID)
	must(t, err)
	if !reflect.DeepEqual(got, cit) {
		t.Fatalf("Citation = %+v\nwant %+v", got, cit)
	}
	moved := labs.Passage{SectionID: "s", From: 9, To: 9, Version: 12, Quote: "staff stay", Orphaned: true}
	must(t, s.MoveCitation(c, cit.ID, moved))
	later := cit
	later.ID = id[4]
	must(t, s.CreateCitation(c, later))
	list, err := s.ListCitations(c, id[0])
	must(t, err)
	if len(list) != 2 || list[0].Passage != moved || list[0].CitedQuote != "staff stay" || list[0].CitedVersion != 7 || list[1].ID != later.ID {
		t.Fatalf("ListCitations = %+v", list)
	}
	must(t, s.DeleteCitation(c, cit.ID))
	wantCode(t, s.DeleteCitation(c, cit.ID), labs.ENotFound)
	wantCode(t, s.MoveCitation(c, cit.ID, moved), labs.ENotFound)
	_, err = s.Citation(c, cit.ID)
	wantCode(t, err, labs.ENotFound)
}
