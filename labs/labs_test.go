package labs_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func TestNormalizeEmail(t *testing.T) {
	scenarios := []struct {
		in, want string
		ok       bool
	}{
		{"  Person@Example.ORG ", "person@example.org", true},
		{"", "", false},
		{"no-at-sign", "", false},
		{"Name <person@example.org>", "", false},
		{"a@b.org, c@d.org", "", false},
		{strings.Repeat("a", 250) + "@b.org", "", false},
		{"jøran@eksempel.no", "jøran@eksempel.no", true},
		{"ana@correo.es", "ana@correo.es", true},
		// What the mail parser lets through and an API fuzzer found stored.
		{"\u00f4@\u0080\U000F0147", "", false},
		{"a\u200b@example.org", "", false},
		{"admin@localhost", "admin@localhost", true},
		{"a@-x.org", "", false},
		{"a@x..org", "", false},
		{"a@ex ample.org", "", false},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%q", i, sc.in), func(t *testing.T) {
			got, err := labs.NormalizeEmail(sc.in)
			if (err == nil) != sc.ok || got != sc.want {
				t.Fatalf("NormalizeEmail(%q) = %q, %v", sc.in, got, err)
			}
			if err != nil && labs.ErrorCode(err) != labs.EInvalid {
				t.Fatalf("code %q, want invalid", labs.ErrorCode(err))
			}
		})
	}
}

func TestIDsSortByTime(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ids []string
	for i := range 100 {
		id := labs.NewID(t0.Add(time.Duration(i) * time.Millisecond))
		if !labs.ValidID(id) {
			t.Fatalf("NewID made %q, which ValidID refuses", id)
		}
		ids = append(ids, id)
	}
	if !slices.IsSorted(ids) {
		t.Fatal("IDs made later do not sort later")
	}
	for _, bad := range []string{"", "short", strings.Repeat("i", 26), strings.Repeat("A", 26), "../" + strings.Repeat("0", 23)} {
		if labs.ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

func TestLabValidate(t *testing.T) {
	valid := labs.Lab{Slug: "norway", Country: "no", Title: " Norway ", TargetGroup: labs.TargetFamilies, Languages: []string{"no"}}
	if err := valid.Validate(); err != nil || valid.Country != "NO" || valid.Title != "Norway" {
		t.Fatalf("valid lab: %v %+v", err, valid)
	}
	for name, mutate := range map[string]func(*labs.Lab){
		"slug":     func(l *labs.Lab) { l.Slug = "-bad-" },
		"country":  func(l *labs.Lab) { l.Country = "Norway" },
		"title":    func(l *labs.Lab) { l.Title = "" },
		"group":    func(l *labs.Lab) { l.TargetGroup = "everyone" },
		"language": func(l *labs.Lab) { l.Languages = []string{"Norwegian"} },
		"long":     func(l *labs.Lab) { l.Description = strings.Repeat("x", labs.MaxDescriptionLength+1) },
	} {
		l := valid
		mutate(&l)
		if err := l.Validate(); labs.ErrorCode(err) != labs.EInvalid {
			t.Errorf("%s: Validate = %v, want invalid", name, err)
		}
	}
}

func TestErrors(t *testing.T) {
	cause := errors.New("driver says: table accounts row 7 password=hunter2")
	wrapped := fmt.Errorf("load account: %w", &labs.Error{Code: labs.ENotFound, Message: "Account not found.", Err: cause})
	if labs.ErrorCode(wrapped) != labs.ENotFound || labs.ErrorMessage(wrapped) != "Account not found." || !errors.Is(wrapped, cause) {
		t.Fatalf("wrapped domain error: %q %q", labs.ErrorCode(wrapped), labs.ErrorMessage(wrapped))
	}
	if labs.ErrorCode(cause) != labs.EInternal || strings.Contains(labs.ErrorMessage(cause), "hunter2") {
		t.Fatal("a non-domain error's text reaches the safe message")
	}
	if labs.ErrorCode(nil) != "" {
		t.Fatal("nil has a code")
	}
}

func TestPage(t *testing.T) {
	if p := (labs.Page{}).Normalize(); p.Limit != labs.DefaultPageLimit {
		t.Fatalf("zero limit -> %d", p.Limit)
	}
	if p := (labs.Page{Limit: 10_000}).Normalize(); p.Limit != labs.MaxPageLimit {
		t.Fatalf("huge limit -> %d", p.Limit)
	}
	next, keep := labs.NextCursor([]string{"a", "b", "c"}, 2)
	if next != "b" || keep != 2 {
		t.Fatalf("NextCursor over a full page = %q, %d", next, keep)
	}
	if next, keep = labs.NextCursor([]string{"a"}, 2); next != "" || keep != 1 {
		t.Fatalf("NextCursor over the last page = %q, %d", next, keep)
	}
}

func TestSectionLevel(t *testing.T) {
	tests := []struct {
		doc, sec, want labs.Visibility
	}{
		{labs.VisPartners, "", labs.VisPartners},
		{labs.VisPartners, labs.VisLab, labs.VisLab},
		{labs.VisPartners, labs.VisPublic, labs.VisPartners}, // a section never reaches wider than its document
		{labs.VisRestricted, labs.VisLab, labs.VisRestricted},
		{labs.VisPublic, labs.VisNetwork, labs.VisNetwork},
		{labs.VisLab, labs.VisLab, labs.VisLab},
	}
	for _, tt := range tests {
		d := labs.Document{LabID: "l", Visibility: tt.doc}
		s := labs.Section{Visibility: tt.sec}
		if got := d.SectionLevel(s); got != tt.want {
			t.Errorf("document %s, section %q: level %s, want %s", tt.doc, tt.sec, got, tt.want)
		}
		if d.Narrowed(s) != (tt.want != tt.doc) {
			t.Errorf("document %s, section %q: Narrowed = %v", tt.doc, tt.sec, d.Narrowed(s))
		}
	}
	lab, network := labs.Document{LabID: "l"}, labs.Document{}
	for _, tt := range []struct {
		d    labs.Document
		v    labs.Visibility
		want bool
	}{
		{lab, "", true}, {lab, labs.VisLab, true}, {lab, labs.VisPublic, true}, {lab, labs.VisPrivate, false}, {lab, labs.VisRestricted, false},
		{lab, "secret", false}, {network, labs.VisLab, false}, {network, labs.VisPartners, true},
	} {
		if got := tt.d.ValidSectionLevel(tt.v); got != tt.want {
			t.Errorf("ValidSectionLevel(%q) in network %v = %v", tt.v, tt.d.InNetwork(), got)
		}
	}
}

// TestLogicMapListsAreNeverNull: an element without outcomes, and a map
// without elements or outcomes, write [] (the web app iterates them).
func TestLogicMapListsAreNeverNull(t *testing.T) {
	scenarios := []struct {
		name string
		m    labs.LogicMap
		want string
	}{
		{"empty", labs.LogicMap{}, `{"elements":[],"outcomes":[]}`},
		{"element without outcomes", labs.LogicMap{Elements: []labs.LogicElement{{ID: "e1", Text: "One coordinator"}}},
			`{"elements":[{"id":"e1","text":"One coordinator","outcomes":[]}],"outcomes":[]}`},
	}
	for i, sc := range scenarios {
		t.Run(fmt.Sprintf("%d_%s", i, sc.name), func(t *testing.T) {
			b, err := json.Marshal(sc.m)
			if err != nil || string(b) != sc.want {
				t.Fatalf("%s, %v; want %s", b, err, sc.want)
			}
		})
	}
}
