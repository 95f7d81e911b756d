package server

import (
	"context"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

// Access decisions about items with a visibility level. Every channel an
// item travels through (its route, listings, the websocket, exports) asks
// here, so the one enforcer decides the same way everywhere.

// subjectIn returns acc's policy subject for an object of the lab: the
// global roles, plus acc's role in that lab and nowhere else. acc may be
// nil (not signed in).
func (s *Server) subjectIn(ctx context.Context, acc *labs.Account, labID string) (policies.Subject, *labs.Membership, error) {
	if acc == nil {
		return policies.Subject{}, nil, nil
	}
	sub := globalSubject(*acc)
	if labID == "" {
		return sub, nil, nil
	}
	m, err := s.cfg.Store.Membership(ctx, labID, acc.ID)
	switch {
	case labs.IsCode(err, labs.ENotFound):
		return sub, nil, nil
	case err != nil:
		return sub, nil, err
	}
	sub.LabRole = m.Role
	return sub, &m, nil
}

// networkSubject is acc's subject in the partner network, the space of
// syntheses: there every national partner is a coauthor.
func networkSubject(acc *labs.Account) policies.Subject {
	if acc == nil {
		return policies.Subject{}
	}
	sub := globalSubject(*acc)
	if sub.Partner {
		sub.LabRole = labs.RoleCoauthor
	}
	return sub
}

// globalSubject is a signed-in person's subject before any lab role: the
// roles that hold everywhere.
func globalSubject(acc labs.Account) policies.Subject {
	return policies.Subject{SignedIn: true, Admin: acc.Admin, Partner: acc.PartnerOrgID != ""}
}

// subjectOf returns acc's subject for a document: in its lab, or in the
// partner network.
func (s *Server) subjectOf(ctx context.Context, acc *labs.Account, d labs.Document) (policies.Subject, error) {
	if d.InNetwork() {
		return networkSubject(acc), nil
	}
	sub, _, err := s.subjectIn(ctx, acc, d.LabID)
	return sub, err
}

// relationTo is acc's relation to a document: its author, named on it
// while it is restricted, or neither.
func relationTo(acc *labs.Account, d labs.Document) policies.Relation {
	switch {
	case acc == nil:
		return policies.RelNone
	case d.CreatedBy == acc.ID:
		return policies.RelAuthor
	case d.Visibility == labs.VisRestricted && slices.Contains(d.Members, acc.ID):
		return policies.RelNamed
	}
	return policies.RelNone
}

// authorship is the requester's relation to a comment or feedback for
// editing and deleting it: only its author has one, anonymous or not.
func (s *Server) authorship(c *fiber.Ctx, authorID string, anonymous bool, itemID string) policies.Relation {
	if s.wrote(c, authorID, anonymous, itemID) {
		return policies.RelAuthor
	}
	return policies.RelNone
}

// wrote reports whether the requester wrote an item: a named one by its
// account, an anonymous one by the mark that only the author's anonymity
// key (a cookie of the author's sign-in) makes again.
func (s *Server) wrote(c *fiber.Ctx, authorID string, anonymous bool, itemID string) bool {
	acc := accountOf(c)
	switch {
	case acc == nil || authorID == "":
		return false
	case anonymous:
		return authorID == auth.AuthorMark(anonymityKeyOf(c), itemID)
	}
	return authorID == acc.ID
}

// authorOfNew is what a new item stores as its author: the account, or,
// for an anonymous item, the author's mark (empty when this sign-in has no
// anonymity key: the item is then nobody's to edit).
func (s *Server) authorOfNew(c *fiber.Ctx, acc *labs.Account, itemID string, anonymous bool) string {
	if anonymous {
		return auth.AuthorMark(anonymityKeyOf(c), itemID)
	}
	return acc.ID
}

// mayDocument reports whether the subject may do act on d.
func (s *Server) mayDocument(sub policies.Subject, acc *labs.Account, d labs.Document, act string) (bool, error) {
	return s.cfg.Enforcer.AllowedOn(sub, "document", act, d.Visibility, relationTo(acc, d))
}

// visibleSections returns d with only the sections the subject may read:
// a section kept to fewer people than its document is left out for the
// others, on every channel. d itself is not changed (it may be shared).
func (s *Server) visibleSections(sub policies.Subject, acc *labs.Account, d labs.Document) (labs.Document, error) {
	if !slices.ContainsFunc(d.Sections, d.Narrowed) {
		return d, nil
	}
	rel := relationTo(acc, d)
	out := d
	out.Sections = make([]labs.Section, 0, len(d.Sections))
	for _, sec := range d.Sections {
		if d.Narrowed(sec) {
			ok, err := s.cfg.Enforcer.AllowedOn(sub, "document", "read", d.SectionLevel(sec), rel)
			if err != nil {
				return d, err
			}
			if !ok {
				continue
			}
		}
		out.Sections = append(out.Sections, sec)
	}
	return out, nil
}

// seesSection reports whether the requester may read what is attached to
// a section of d (comments), given view, d as the requester sees it. A
// section since removed has no level any more: what was on it is for those
// who read every level a section can have, so it never reaches someone who
// could not read the section while it was there.
func (s *Server) seesSection(sub policies.Subject, acc *labs.Account, d, view labs.Document, id string) (bool, error) {
	if _, ok := view.Section(id); ok {
		return true, nil
	}
	if _, ok := d.Section(id); ok {
		return false, nil
	}
	narrowest := labs.VisLab
	if d.InNetwork() {
		narrowest = labs.VisPartners
	}
	return s.cfg.Enforcer.AllowedOn(sub, "document", "read", d.SectionLevel(labs.Section{Visibility: narrowest}), relationTo(acc, d))
}

// accessChanged is called after a document's level, its named members or
// who reads one of its sections changed: cached copies are dropped and
// every live subscriber is cut off; each must subscribe again, and is
// checked again when it does.
func (s *Server) accessChanged(d labs.Document) {
	s.docs.forget(d.ID)
	sections := make([]string, len(d.Sections))
	for i, sec := range d.Sections {
		sections[i] = sec.ID
	}
	s.hub.Revoke(d.ID, sections)
	s.tell(sigAccess, signalBody{Doc: d.ID, Sections: sections})
}
