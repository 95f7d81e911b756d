// Package content holds LinkLab's document content: the templates documents
// start from, and (later) Markdown rendering and exports. Templates are data
// in templates/, versioned, not code.
package content

import (
	"embed"
	"encoding/json"
	"fmt"
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
}

// TemplateSection is one section of a template.
type TemplateSection struct {
	Part     string `json:"part"`
	Key      string `json:"key"`
	Title    string `json:"title"`
	Guidance string `json:"guidance"`
}

// LoadTemplate reads the named template.
func LoadTemplate(name string) (Template, error) {
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
	for _, s := range t.Sections {
		d.Sections = append(d.Sections, labs.Section{ID: labs.NewID(now), Key: s.Key, Title: s.Title, Guidance: s.Guidance})
	}
	return d
}
