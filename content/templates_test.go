package content_test

import (
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
