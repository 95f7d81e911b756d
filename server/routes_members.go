package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

type profileRequest struct {
	DisplayName      *string                `json:"displayName"`
	StakeholderLevel *labs.StakeholderLevel `json:"stakeholderLevel"`
	Sector           *string                `json:"sector"`
}

// updateMyMembership changes how the person appears in the lab: a display
// name or pseudonym, their stakeholder level and sector.
func (s *Server) updateMyMembership(c *fiber.Ctx) error {
	var in profileRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	m := membershipOf(c)
	if m == nil {
		return errNoLab
	}
	next := *m
	if in.DisplayName != nil {
		if err := fieldLimit("displayName", *in.DisplayName, 4*labs.MaxDisplayNameLength); err != nil {
			return err
		}
		name, err := labs.ValidateDisplayName(*in.DisplayName)
		if err != nil {
			return err
		}
		next.DisplayName = name
	}
	if in.StakeholderLevel != nil {
		next.StakeholderLevel = *in.StakeholderLevel
	}
	if in.Sector != nil {
		if err := fieldLimit("sector", *in.Sector, 64); err != nil {
			return err
		}
		next.Sector = labs.SectorOf(*in.Sector)
	}
	if err := next.ValidateProfile(); err != nil {
		return err
	}
	if err := s.cfg.Store.UpdateMembership(c.UserContext(), next); err != nil {
		return err
	}
	return c.JSON(viewMember(next))
}

type roleRequest struct {
	Role labs.Role `json:"role"`
}

// memberOfRoute loads the membership the route's :account names.
func (s *Server) memberOfRoute(c *fiber.Ctx) (labs.Membership, error) {
	id, err := requireID(c, "account", "an account")
	if err != nil {
		return labs.Membership{}, err
	}
	m, err := s.cfg.Store.Membership(c.UserContext(), labOf(c).ID, id)
	if labs.IsCode(err, labs.ENotFound) {
		return m, labs.Errorf(labs.ENotFound, "That person is not a member of this lab.")
	}
	return m, err
}

// assignRole changes a member's role. A facilitator leaves the stakeholder
// levels; a service user has no sector.
func (s *Server) assignRole(c *fiber.Ctx) error {
	var in roleRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if !in.Role.Valid() {
		return labs.Errorf(labs.EInvalid, "role must be one of service_user, frontline_staff, manager, policymaker, facilitator.")
	}
	m, err := s.memberOfRoute(c)
	if err != nil {
		return err
	}
	from := m.Role
	m.Role = in.Role
	switch in.Role {
	case labs.RoleFacilitator:
		m.StakeholderLevel, m.Sector = labs.LevelNone, ""
	case labs.RoleServiceUser:
		m.Sector = ""
	}
	if err := s.cfg.Store.UpdateMembership(c.UserContext(), m); err != nil {
		return err
	}
	s.recheckAccount(m.AccountID)
	s.audit(c.UserContext(), m.LabID, accountOf(c).ID, "member.role", m.AccountID,
		map[string]string{"from": string(from), "to": string(m.Role)})
	return c.JSON(viewMember(m))
}

// removeMember takes a person out of the lab. What they wrote stays.
func (s *Server) removeMember(c *fiber.Ctx) error {
	m, err := s.memberOfRoute(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Store.RemoveMembership(c.UserContext(), m.LabID, m.AccountID); err != nil {
		return err
	}
	s.recheckAccount(m.AccountID)
	s.audit(c.UserContext(), m.LabID, accountOf(c).ID, "member.remove", m.AccountID, map[string]string{"role": string(m.Role)})
	return c.SendStatus(fiber.StatusNoContent)
}

type partnerOrgView struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
}

func viewPartnerOrg(o labs.PartnerOrg) partnerOrgView {
	return partnerOrgView{ID: o.ID, Name: o.Name, Country: o.Country}
}

func (s *Server) listPartnerOrgs(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListPartnerOrgs(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(list(items, next, viewPartnerOrg))
}

type partnerOrgRequest struct {
	Name    string `json:"name"`
	Country string `json:"country"`
}

func (s *Server) createPartnerOrg(c *fiber.Ctx) error {
	var in partnerOrgRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("name", in.Name, 4*labs.MaxDisplayNameLength); err != nil {
		return err
	}
	now := s.cfg.Auth.Now()
	o := labs.PartnerOrg{ID: labs.NewID(now), Name: in.Name, Country: in.Country, CreatedAt: now}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := s.cfg.Store.CreatePartnerOrg(c.UserContext(), o); err != nil {
		return err
	}
	detail := map[string]string{"name": o.Name, "country": o.Country}
	s.audit(c.UserContext(), "", accountOf(c).ID, "partner_org.create", o.ID, detail)
	s.auditEveryLab(c.UserContext(), accountOf(c).ID, "partner_org.create", o.ID, detail)
	return c.Status(fiber.StatusCreated).JSON(viewPartnerOrg(o))
}
