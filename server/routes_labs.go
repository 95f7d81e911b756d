package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// listLabs lists the labs the person belongs to, with their role; admins,
// who manage labs, get every lab, paged.
func (s *Server) listLabs(c *fiber.Ctx) error {
	ctx := c.UserContext()
	acc := accountOf(c)
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	ms, err := s.cfg.Store.AccountMemberships(ctx, acc.ID)
	if err != nil {
		return err
	}
	roles := make(map[string]labs.Role, len(ms))
	for _, m := range ms {
		roles[m.LabID] = m.Role
	}
	var items []labs.Lab
	next := ""
	if acc.Admin || acc.PartnerOrgID != "" { // partners see across labs
		if items, next, err = s.cfg.Store.ListLabs(ctx, p); err != nil {
			return err
		}
	} else {
		// A person belongs to a handful of labs: one page holds them all.
		for _, m := range ms {
			l, err := s.cfg.Store.Lab(ctx, m.LabID)
			if err != nil {
				return err
			}
			items = append(items, l)
		}
	}
	return c.JSON(list(items, next, func(l labs.Lab) labView {
		v := viewLab(l)
		v.MyRole = roles[l.ID]
		return v
	}))
}

type labRequest struct {
	Slug              *string           `json:"slug"`
	Country           *string           `json:"country"`
	Title             *string           `json:"title"`
	TargetGroup       *labs.TargetGroup `json:"targetGroup"`
	Description       *string           `json:"description"`
	Languages         *[]string         `json:"languages"`
	DefaultVisibility *labs.Visibility  `json:"defaultVisibility"`
}

// apply copies the set fields onto l after bounding their size; Validate
// then checks their content.
func (r labRequest) apply(l *labs.Lab) error {
	for name, v := range map[string]*string{"slug": r.Slug, "country": r.Country, "title": r.Title} {
		if v != nil {
			if err := fieldLimit(name, *v, 4*labs.MaxTitleLength); err != nil {
				return err
			}
		}
	}
	if r.Description != nil {
		if err := fieldLimit("description", *r.Description, 4*labs.MaxDescriptionLength); err != nil {
			return err
		}
		l.Description = *r.Description
	}
	if r.Slug != nil {
		l.Slug = *r.Slug
	}
	if r.Country != nil {
		l.Country = *r.Country
	}
	if r.Title != nil {
		l.Title = *r.Title
	}
	if r.TargetGroup != nil {
		l.TargetGroup = *r.TargetGroup
	}
	if r.DefaultVisibility != nil {
		l.DefaultVisibility = *r.DefaultVisibility
	}
	if r.Languages != nil {
		l.Languages = make([]string, len(*r.Languages))
		for i, lang := range *r.Languages {
			l.Languages[i] = strings.ToLower(strings.TrimSpace(lang))
		}
	}
	return l.Validate()
}

func (s *Server) createLab(c *fiber.Ctx) error {
	var in labRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	l := labs.Lab{ID: labs.NewID(now), CreatedAt: now, UpdatedAt: now}
	if err := in.apply(&l); err != nil {
		return err
	}
	if err := s.cfg.Store.CreateLab(c.UserContext(), l); err != nil {
		if labs.IsCode(err, labs.EConflict) {
			return labs.Errorf(labs.EConflict, "A lab with the slug %q already exists.", l.Slug)
		}
		return err
	}
	s.log.InfoContext(c.UserContext(), "lab created", "lab", l.ID, "by", accountOf(c).ID)
	return c.Status(fiber.StatusCreated).JSON(viewLab(l))
}

func (s *Server) getLab(c *fiber.Ctx) error {
	v := viewLab(labOf(c))
	if m := membershipOf(c); m != nil {
		v.MyRole = m.Role
	}
	return c.JSON(v)
}

func (s *Server) updateLab(c *fiber.Ctx) error {
	var in labRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	l := labOf(c)
	if err := in.apply(&l); err != nil {
		return err
	}
	l.UpdatedAt = s.cfg.Auth.Now()
	if err := s.cfg.Store.UpdateLab(c.UserContext(), l); err != nil {
		if labs.IsCode(err, labs.EConflict) {
			return labs.Errorf(labs.EConflict, "A lab with the slug %q already exists.", l.Slug)
		}
		return err
	}
	if before := labOf(c).DefaultVisibility; before != l.DefaultVisibility {
		s.audit(c.UserContext(), l.ID, accountOf(c).ID, "lab.default_visibility", l.ID,
			map[string]string{"from": string(before), "to": string(l.DefaultVisibility)})
	}
	return c.JSON(viewLab(l))
}

func (s *Server) listMembers(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListMemberships(c.UserContext(), labOf(c).ID, p)
	if err != nil {
		return err
	}
	return c.JSON(list(items, next, viewMember))
}

func (s *Server) listInvitations(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListInvitations(c.UserContext(), labOf(c).ID, p)
	if err != nil {
		return err
	}
	return c.JSON(list(items, next, viewInvitation))
}

func (s *Server) createInvitation(c *fiber.Ctx) error { return s.invite(c, labOf(c).ID) }

// revokeInvitation stops an unused invitation's link from working, for an
// invitation sent to the wrong person or with the wrong role.
func (s *Server) revokeInvitation(c *fiber.Ctx) error {
	id, err := requireID(c, "invitation", "an invitation")
	if err != nil {
		return err
	}
	l := labOf(c)
	if err := s.cfg.Store.RevokeInvitation(c.UserContext(), l.ID, id); err != nil {
		if labs.IsCode(err, labs.ENotFound) {
			return labs.Errorf(labs.ENotFound, "This lab has no invitation %s.", id)
		}
		return err
	}
	s.audit(c.UserContext(), l.ID, accountOf(c).ID, "invitation.revoke", id, nil)
	return c.SendStatus(fiber.StatusNoContent)
}
