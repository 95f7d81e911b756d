// Package content holds LinkLab's document content: the templates documents
// start from, and (later) Markdown rendering and exports. Templates are data
// in templates/, versioned, not code.
package content

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
)

//go:embed templates/*.json
var templateFiles embed.FS

// Template is a document's starting structure.
type Template struct {
	Name     string            `json:"name"`
	Version  int               `json:"version"`
	Kind     labs.DocumentKind `json:"kind"`
	Title    string            `json:"title"`
	Sections []TemplateSection `json:"sections"`
	// Fields are typed choice fields, validated on every update.
	Fields []TemplateField `json:"fields"`
}

// TemplateField is a choice field: "choice" takes one option, "choices"
// any set of them (stored comma-separated in the template's order).
type TemplateField struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Type    string   `json:"type"`
	Options []string `json:"options"`
}

// TemplateSection is one section of a template.
type TemplateSection struct {
	Part     string `json:"part"`
	Key      string `json:"key"`
	Title    string `json:"title"`
	Guidance string `json:"guidance"`
}

// Templates lists the names of the shipped templates.
func Templates() []string {
	entries, _ := templateFiles.ReadDir("templates") // embedded: always readable
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	return out
}

// LoadTemplate reads the named template, by name or "name@version" (the
// shipped version is the only one; documents keep the version they were
// made from).
func LoadTemplate(name string) (Template, error) {
	name, _, _ = strings.Cut(name, "@")
	if !slices.Contains(Templates(), name) {
		return Template{}, labs.Errorf(labs.EInvalid, "There is no template %q; choose one of %s.", name, strings.Join(Templates(), ", "))
	}
	b, err := templateFiles.ReadFile("templates/" + name + ".json")
	if err != nil {
		return Template{}, fmt.Errorf("template %s: %w", name, err)
	}
	var t Template
	if err := json.Unmarshal(b, &t); err != nil {
		return Template{}, fmt.Errorf("parse template %s: %w", name, err)
	}
	return t, nil
}

// NewDocument makes a document from the template, with empty sections.
func (t Template) NewDocument(labID, createdBy string, vis labs.Visibility, now time.Time) labs.Document {
	d := labs.Document{ID: labs.NewID(now), LabID: labID, Kind: t.Kind, Template: fmt.Sprintf("%s@%d", t.Name, t.Version),
		Title: t.Title, Visibility: vis, CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	if t.Kind == labs.KindProposal {
		d.Status = labs.StatusDraft
	}
	for _, s := range t.Sections {
		d.Sections = append(d.Sections, labs.Section{ID: labs.NewID(now), Key: s.Key, Title: s.Title, Guidance: s.Guidance})
	}
	return d
}

// MergeFields validates changes to a document's choice fields against the
// template and returns the merged set. A value "" clears a field.
func (t Template) MergeFields(have, changes map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(have)+len(changes))
	for k, v := range have {
		out[k] = v
	}
	for k, v := range changes {
		i := slices.IndexFunc(t.Fields, func(f TemplateField) bool { return f.Key == k })
		if i < 0 {
			return nil, labs.Errorf(labs.EInvalid, "%q is not a field of a %s.", truncate(k, 40), t.Name)
		}
		f := t.Fields[i]
		if v == "" {
			delete(out, k)
			continue
		}
		picked := strings.Split(v, ",")
		if f.Type == "choice" && len(picked) != 1 {
			return nil, labs.Errorf(labs.EInvalid, "%s takes one of: %s.", f.Title, strings.Join(f.Options, ", "))
		}
		var ordered []string
		for _, o := range f.Options {
			if slices.Contains(picked, o) {
				ordered = append(ordered, o)
			}
		}
		if len(ordered) != len(slices.Compact(slices.Sorted(slices.Values(picked)))) {
			return nil, labs.Errorf(labs.EInvalid, "%s takes %s of: %s.", f.Title,
				map[string]string{"choice": "one", "choices": "any"}[f.Type], strings.Join(f.Options, ", "))
		}
		out[k] = strings.Join(ordered, ",")
	}
	return out, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
