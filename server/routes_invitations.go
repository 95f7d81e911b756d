package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
)

// Invitation tokens travel in request bodies, never in URLs, so they do
// not end up in logs, histories or Referer headers.

type tokenRequest struct {
	Token string `json:"token"`
}

type invitationPreview struct {
	Email     string    `json:"email,omitempty"`
	Lab       *labView  `json:"lab,omitempty"`
	Role      labs.Role `json:"role,omitempty"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// previewInvitation tells the invited person what the link is for.
func (s *Server) previewInvitation(c *fiber.Ctx) error {
	var in tokenRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.limitAddress(c); err != nil {
		return err
	}
	inv, err := s.cfg.Auth.Invitation(c.UserContext(), in.Token)
	if err != nil {
		return err
	}
	out := invitationPreview{Email: inv.Email, Role: inv.Role, ExpiresAt: inv.ExpiresAt}
	if inv.LabID != "" {
		l, err := s.cfg.Store.Lab(c.UserContext(), inv.LabID)
		if err != nil {
			return err
		}
		v := viewLab(l)
		v.Description = ""
		out.Lab = &v
	}
	return c.JSON(out)
}

type acceptRequest struct {
	Token            string                `json:"token"`
	Email            string                `json:"email"`
	Password         string                `json:"password"`
	DisplayName      string                `json:"displayName"`
	StakeholderLevel labs.StakeholderLevel `json:"stakeholderLevel"`
	Sector           string                `json:"sector"`
}

// acceptInvitation redeems an invitation: a signed-in person joins the
// lab; anyone else creates their account with it and is signed in.
func (s *Server) acceptInvitation(c *fiber.Ctx) error {
	var in acceptRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("email", in.Email, labs.MaxEmailLength); err != nil {
		return err
	}
	if err := s.limitAddress(c); err != nil {
		return err
	}
	current := accountOf(c)
	inv, _ := s.cfg.Auth.Invitation(c.UserContext(), in.Token) // for the audit log; Accept decides
	acc, err := s.cfg.Auth.Accept(c.UserContext(), in.Token, current, auth.Acceptance{Email: in.Email, Password: in.Password,
		DisplayName: in.DisplayName, StakeholderLevel: in.StakeholderLevel, Sector: in.Sector})
	if err != nil {
		return err
	}
	if inv.LabID != "" {
		s.audit(c.UserContext(), inv.LabID, acc.ID, "member.join", acc.ID, map[string]string{"role": string(inv.Role)})
	}
	if current != nil {
		body, err := s.sessionBody(c, acc, *sessionOf(c))
		if err != nil {
			return err
		}
		return c.JSON(body)
	}
	key, err := s.cfg.Auth.AnonymityKey(c.UserContext(), acc, in.Password)
	if err != nil {
		return err
	}
	return s.startSession(c, acc, key, fiber.StatusCreated)
}
