package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testThemesAndTags(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(12)
	staff := labs.Theme{ID: id[0], Name: "Staff", CreatedBy: "p", CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateTheme(c, staff))
	must(t, s.CreateTheme(c, labs.Theme{ID: id[1], Name: "Legislation", CreatedBy: "p", CreatedAt: base, UpdatedAt: base}))
	// One name, whatever its case and spacing.
	wantCode(t, s.CreateTheme(c, labs.Theme{ID: id[2], Name: "  staff", CreatedBy: "p", CreatedAt: base, UpdatedAt: base}), labs.EConflict)
	themes, err := s.ListThemes(c)
	must(t, err)
	if len(themes) != 2 || themes[0].Name != "Legislation" || !reflect.DeepEqual(themes[1], staff) {
		t.Fatalf("themes = %+v", themes)
	}
	wantCode(t, s.RenameTheme(c, id[0], "LEGISLATION", base), labs.EConflict)
	must(t, s.RenameTheme(c, id[0], "Staff shortages", base.Add(time.Hour)))
	wantCode(t, s.RenameTheme(c, id[3], "Nothing", base), labs.ENotFound)
	themes, _ = s.ListThemes(c)
	if themes[1].Name != "Staff shortages" || !themes[1].UpdatedAt.Equal(base.Add(time.Hour)) {
		t.Fatalf("after renaming: %+v", themes[1])
	}

	must(t, s.CreateLab(c, newLab(id[4], "lab")))
	for _, doc := range []string{id[5], id[6]} {
		must(t, s.CreateDocument(c, labs.Document{ID: doc, LabID: id[4], Kind: labs.KindBaseline, Title: "B", Visibility: labs.VisLab,
			CreatedAt: base, UpdatedAt: base}))
	}
	tag := labs.Tag{ID: id[7], DocumentID: id[5], LabID: id[4], SectionID: "s", ThemeID: id[0], From: 3, To: 9, Version: 4,
		Quote: "staff 👩‍⚕️", Before: "Few ", After: " stay.", CreatedBy: "a", CreatedAt: base}
	must(t, s.CreateTag(c, tag))
	wantCode(t, s.CreateTag(c, tag), labs.EConflict)
	other := tag
	other.ID, other.DocumentID = id[8], id[6]
	must(t, s.CreateTag(c, other))
	got, err := s.Tag(c, tag.ID)
	must(t, err)
	if !reflect.DeepEqual(got, tag) {
		t.Fatalf("Tag = %+v\nwant %+v", got, tag)
	}
	moved := tag
	moved.From, moved.To, moved.Version, moved.Quote, moved.Orphaned = 10, 10, 9, "", true
	must(t, s.MoveTag(c, moved))
	list, err := s.ListTags(c, []string{id[6], id[5], id[9]})
	must(t, err)
	if len(list) != 2 || !reflect.DeepEqual(list[0], moved) || list[1].ID != other.ID {
		t.Fatalf("ListTags = %+v", list)
	}
	if none, err := s.ListTags(c, nil); err != nil || len(none) != 0 {
		t.Fatalf("tags of no document: %v %v", none, err)
	}
	must(t, s.DeleteTag(c, tag.ID))
	wantCode(t, s.DeleteTag(c, tag.ID), labs.ENotFound)
	_, err = s.Tag(c, tag.ID)
	wantCode(t, err, labs.ENotFound)
	moved.ID = id[10]
	wantCode(t, s.MoveTag(c, moved), labs.ENotFound)

	// At most MaxThemes themes.
	for i := len(themes); i < labs.MaxThemes; i++ {
		must(t, s.CreateTheme(c, labs.Theme{ID: labs.NewID(base.Add(time.Duration(i) * time.Second)), Name: fmt.Sprint("Theme ", i), CreatedAt: base, UpdatedAt: base}))
	}
	wantCode(t, s.CreateTheme(c, labs.Theme{ID: id[11], Name: "One too many", CreatedAt: base, UpdatedAt: base}), labs.ETooLarge)
}
