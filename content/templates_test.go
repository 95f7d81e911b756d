package content_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
)

func TestBaselineTemplate(t *testing.T) {
	tpl, err := content.LoadTemplate("baseline")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Kind != labs.KindBaseline || tpl.Version < 1 {
		t.Fatalf("template kind %q version %d", tpl.Kind, tpl.Version)
	}
	parts := map[string]int{}
	keys := map[string]bool{}
	for _, s := range tpl.Sections {
		if s.Key == "" || s.Title == "" || s.Guidance == "" {
			t.Errorf("section %+v lacks a key, title or guiding question", s)
		}
		if keys[s.Key] {
			t.Errorf("duplicate section key %s", s.Key)
		}
		keys[s.Key] = true
		parts[s.Part]++
	}
	// The baseline's structure: five, seven and three sections, then conclusions.
	if parts["1"] != 5 || parts["2"] != 7 || parts["3"] != 3 || parts["conclusions"] != 1 {
		t.Fatalf("sections per part = %v", parts)
	}
	d := tpl.NewDocument("lab", "me", labs.VisLab, time.Now())
	if len(d.Sections) != len(tpl.Sections) || d.Template != "baseline@1" {
		t.Fatalf("NewDocument made %d sections, template %q", len(d.Sections), d.Template)
	}
	if _, err := content.LoadTemplate("../go"); err == nil {
		t.Fatal("a path outside templates/ loaded")
	}
}

func TestProposalTemplate(t *testing.T) {
	tpl, err := content.LoadTemplate("proposal@1")
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Kind != labs.KindProposal || len(tpl.Fields) == 0 {
		t.Fatalf("kind %q with %d fields", tpl.Kind, len(tpl.Fields))
	}
	d := tpl.NewDocument("lab", "me", labs.VisLab, time.Now())
	if d.Status != labs.StatusDraft {
		t.Fatalf("a new proposal starts as %q", d.Status)
	}
	have := map[string]string{"scope": "micro"}
	tests := []struct {
		name    string
		changes map[string]string
		want    map[string]string
		ok      bool
	}{
		{"one choice", map[string]string{"scope": "macro"}, map[string]string{"scope": "macro"}, true},
		{"several choices kept in the template's order", map[string]string{"costs": "funded-project,staffing"},
			map[string]string{"scope": "micro", "costs": "staffing,funded-project"}, true},
		{"clearing", map[string]string{"scope": ""}, map[string]string{}, true},
		{"unknown option", map[string]string{"scope": "mega"}, nil, false},
		{"two options for a single choice", map[string]string{"scope": "micro,meso"}, nil, false},
		{"unknown field", map[string]string{"colour": "red"}, nil, false},
		{"repeated option", map[string]string{"costs": "staffing,staffing,x"}, nil, false},
	}
	for _, tt := range tests {
		got, err := tpl.MergeFields(have, tt.changes)
		if (err == nil) != tt.ok {
			t.Errorf("%s: err = %v", tt.name, err)
			continue
		}
		if tt.ok && fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	if have["scope"] != "micro" {
		t.Fatal("MergeFields changed its input")
	}
}
