package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testVersions(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	for _, doc := range []string{id[1], id[2]} {
		must(t, s.CreateDocument(c, labs.Document{ID: doc, LabID: id[0], Kind: labs.KindBaseline, Title: "Baseline",
			Visibility: labs.VisLab, CreatedAt: base, UpdatedAt: base}))
	}
	v := labs.DocumentVersion{ID: id[3], DocumentID: id[1], Name: "2023 baseline", CreatedBy: "someone", CreatedAt: base,
		Sections: []labs.VersionSection{{SectionID: "s1", Key: "welfare-model", Title: "Welfare model", Text: "Universal 👨‍👩‍👧 services\r\n", Version: 41},
			{SectionID: "s2", Key: "", Title: "Notes", Text: "", Version: 0}}}
	must(t, s.CreateVersion(c, v))
	got, err := s.Version(c, v.ID)
	must(t, err)
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("Version = %+v\nwant %+v", got, v)
	}
	// A name is a document's once; another document may use it.
	dup := v
	dup.ID = id[4]
	wantCode(t, s.CreateVersion(c, dup), labs.EConflict)
	dup.DocumentID = id[2]
	must(t, s.CreateVersion(c, dup))
	later := v
	later.ID, later.Name, later.CreatedAt = id[5], "2024 baseline", base.Add(time.Hour)
	must(t, s.CreateVersion(c, later))

	list, err := s.ListVersions(c, id[1])
	must(t, err)
	if len(list) != 2 || list[0].Name != "2023 baseline" || list[1].Name != "2024 baseline" {
		t.Fatalf("ListVersions = %+v", list)
	}
	for _, l := range list {
		if len(l.Sections) != 2 || l.Sections[0].Text != "" || l.Sections[0].Key != "welfare-model" || l.Sections[0].Version != 41 {
			t.Fatalf("a listed version carries its text or lost its sections: %+v", l.Sections)
		}
	}
	_, err = s.Version(c, id[6])
	wantCode(t, err, labs.ENotFound)
	if none, err := s.ListVersions(c, id[7]); err != nil || len(none) != 0 {
		t.Fatalf("versions of no document: %v, %v", none, err)
	}

	// At most MaxVersions per document.
	for i := 1; i < labs.MaxVersions; i++ {
		n := v
		n.ID, n.DocumentID, n.Name = labs.NewID(base.Add(time.Duration(i)*time.Second)), id[2], fmt.Sprint("v", i)
		must(t, s.CreateVersion(c, n))
	}
	over := v
	over.ID, over.DocumentID, over.Name = labs.NewID(base.Add(time.Hour)), id[2], "one too many"
	wantCode(t, s.CreateVersion(c, over), labs.ETooLarge)
}
