package server

import (
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
	"github.com/linklab/linklab/textdiff"
)

type versionView struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	By        string    `json:"by"`
	CreatedAt time.Time `json:"createdAt"`
}

// listVersions lists a document's named versions, oldest first.
func (s *Server) listVersions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d := documentOf(c)
	vs, err := s.cfg.Store.ListVersions(ctx, d.ID)
	if err != nil {
		return err
	}
	names := s.namer(ctx, d.LabID)
	out := make([]versionView, len(vs))
	for i, v := range vs {
		out[i] = versionView{ID: v.ID, Name: v.Name, By: names(v.CreatedBy), CreatedAt: v.CreatedAt}
	}
	return c.JSON(fiber.Map{"items": out})
}

// freezeVersion keeps the document's text as it is now under a name:
// every section, also those kept to fewer people (they are shown only to
// those who may read them), at the versions the authority has accepted.
func (s *Server) freezeVersion(c *fiber.Ctx) error {
	ctx := c.UserContext()
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("name", in.Name, 4*labs.MaxVersionNameRunes); err != nil {
		return err
	}
	name, err := labs.ValidVersionName(in.Name)
	if err != nil {
		return err
	}
	d, acc := documentOf(c), accountOf(c)
	now := s.cfg.Auth.Now()
	v := labs.DocumentVersion{ID: labs.NewID(now), DocumentID: d.ID, Name: name, CreatedBy: acc.ID, CreatedAt: now}
	for _, sec := range d.Sections {
		st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
		if err != nil {
			return fmt.Errorf("freeze %s: text of section %s: %w", d.ID, sec.ID, err)
		}
		v.Sections = append(v.Sections, labs.VersionSection{SectionID: sec.ID, Key: sec.Key, Title: sec.Title, Text: st.Text, Version: st.Version})
	}
	if err := s.cfg.Store.CreateVersion(ctx, v); err != nil {
		return err
	}
	s.audit(ctx, d.LabID, acc.ID, "document.version", d.ID, map[string]string{"name": name, "version": v.ID})
	return c.Status(fiber.StatusCreated).JSON(versionView{ID: v.ID, Name: v.Name, By: s.namer(ctx, d.LabID)(acc.ID), CreatedAt: v.CreatedAt})
}

type diffOp struct {
	Op   string `json:"op"` // "=", "-", "+"
	Text string `json:"text"`
}

type sectionDiff struct {
	Section string   `json:"section"`
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Status  string   `json:"status"` // same, changed, added, removed
	Ops     []diffOp `json:"ops"`
}

// diffVersions compares two versions of a document, or a version and the
// current text (to "current", the default), section by section, word by
// word. Only the sections the reader may read take part; a section since
// removed counts as kept to the fewest readers a section can have.
func (s *Server) diffVersions(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d, view := documentOf(c), viewOf(c)
	sub, acc := subjectOfRequest(c), accountOf(c)
	side := func(param string) ([]labs.VersionSection, string, error) {
		id := c.Query(param, "current")
		if id == "current" {
			out := make([]labs.VersionSection, 0, len(d.Sections))
			for _, sec := range d.Sections {
				st, err := s.authority.Text(ctx, sec.ID, realtime.Seed{Text: sec.Text, Version: sec.Version})
				if err != nil {
					return nil, "", fmt.Errorf("diff %s: text of section %s: %w", d.ID, sec.ID, err)
				}
				out = append(out, labs.VersionSection{SectionID: sec.ID, Key: sec.Key, Title: sec.Title, Text: st.Text, Version: st.Version})
			}
			return out, "current", nil
		}
		if !labs.ValidID(id) {
			return nil, "", labs.Errorf(labs.EInvalid, "%s must be a version's ID, or current.", param)
		}
		v, err := s.cfg.Store.Version(ctx, id)
		if labs.IsCode(err, labs.ENotFound) || err == nil && v.DocumentID != d.ID {
			return nil, "", labs.Errorf(labs.ENotFound, "This document has no such version.")
		} else if err != nil {
			return nil, "", err
		}
		return v.Sections, v.Name, nil
	}
	if c.Query("from") == "" {
		return labs.Errorf(labs.EInvalid, "from is required: the ID of the version to compare from.")
	}
	from, fromName, err := side("from")
	if err != nil {
		return err
	}
	to, toName, err := side("to")
	if err != nil {
		return err
	}
	// In the newer order, then what the older had that the newer lost.
	order := slices.Clone(to)
	for _, f := range from {
		if !slices.ContainsFunc(to, func(x labs.VersionSection) bool { return x.SectionID == f.SectionID }) {
			order = append(order, f)
		}
	}
	out := []sectionDiff{}
	for _, sec := range order {
		ok, err := s.seesSection(sub, acc, d, view, sec.SectionID)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		fi := slices.IndexFunc(from, func(x labs.VersionSection) bool { return x.SectionID == sec.SectionID })
		ti := slices.IndexFunc(to, func(x labs.VersionSection) bool { return x.SectionID == sec.SectionID })
		old, now := "", ""
		sd := sectionDiff{Section: sec.SectionID, Key: sec.Key, Title: sec.Title}
		switch {
		case fi < 0:
			sd.Status, now = "added", to[ti].Text
		case ti < 0:
			sd.Status, old = "removed", from[fi].Text
		default:
			old, now = from[fi].Text, to[ti].Text
			sd.Status = "changed"
			if old == now {
				sd.Status = "same"
			}
		}
		for _, o := range textdiff.Words(old, now) {
			sd.Ops = append(sd.Ops, diffOp{Op: string("=-+"[o.Kind]), Text: o.Text})
		}
		if sd.Ops == nil {
			sd.Ops = []diffOp{}
		}
		out = append(out, sd)
	}
	return c.JSON(fiber.Map{"from": fromName, "to": toName, "sections": out})
}
