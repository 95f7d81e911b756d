package server

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/textsearch"
)

// listAccounts pages through the accounts, those whose name or e-mail
// address hold every word of q when it is given (capitals and accents
// aside). Searching reads the accounts page by page: a network has
// hundreds of accounts, not millions.
func (s *Server) listAccounts(c *fiber.Ctx) error {
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	q := c.Query("q")
	if err := fieldLimit("q", q, 200); err != nil {
		return err
	}
	words := strings.Fields(textsearch.Fold(q))
	items, next, err := visiblePage(p,
		func(p labs.Page) ([]labs.Account, string, error) { return s.cfg.Store.ListAccounts(c.UserContext(), p) },
		func(a labs.Account) string { return a.ID },
		func(a labs.Account) (bool, error) { return accountMatches(a, words), nil })
	if err != nil {
		return err
	}
	return c.JSON(list(items, next, viewAccount))
}

// accountMatches reports whether every word is in the account's name or
// e-mail address, folded as search folds words.
func accountMatches(a labs.Account, words []string) bool {
	hay := textsearch.Fold(a.DisplayName + " " + a.Email)
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

type newAccountRequest struct {
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
	Admin       bool   `json:"admin"`
}

func (s *Server) createAccount(c *fiber.Ctx) error {
	var in newAccountRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	acc, err := s.cfg.Auth.CreateAccount(c.UserContext(), auth.NewAccount(in))
	if err != nil {
		return err
	}
	s.log.InfoContext(c.UserContext(), "account created", "account", acc.ID, "by", accountOf(c).ID, "admin", acc.Admin)
	return c.Status(fiber.StatusCreated).JSON(viewAccount(acc))
}

type accountPatch struct {
	DisplayName  *string `json:"displayName"`
	Admin        *bool   `json:"admin"`
	Disabled     *bool   `json:"disabled"`
	PartnerOrgID *string `json:"partnerOrgId"`
}

func (s *Server) updateAccount(c *fiber.Ctx) error {
	id, err := requireID(c, "account", "an account")
	if err != nil {
		return err
	}
	var in accountPatch
	if err := decode(c, &in); err != nil {
		return err
	}
	me := accountOf(c)
	if id == me.ID && in.PartnerOrgID != nil && *in.PartnerOrgID != "" {
		return labs.Errorf(labs.EForbidden, "You cannot make yourself a national partner: another administrator must, and every lab is told.")
	}
	before, err := s.cfg.Store.Account(c.UserContext(), id)
	if labs.IsCode(err, labs.ENotFound) {
		return labs.Errorf(labs.ENotFound, "There is no such account.")
	} else if err != nil {
		return err
	}
	acc, err := s.cfg.Auth.UpdateAccount(c.UserContext(), id, auth.AccountUpdate(in))
	if err != nil {
		return err
	}
	s.recordPartnerChange(c.UserContext(), me.ID, before, acc)
	if acc.Disabled {
		s.endAccount(acc.ID)
	} else {
		s.recheckAccount(acc.ID) // partner status or admin may have changed
	}
	s.log.InfoContext(c.UserContext(), "account updated", "account", acc.ID, "by", accountOf(c).ID)
	return c.JSON(viewAccount(acc))
}

// recordPartnerChange tells every lab when an account becomes a national
// partner (it may now read what each lab shares with partners), changes
// organisation, or stops being one.
func (s *Server) recordPartnerChange(ctx context.Context, actorID string, before, after labs.Account) {
	if before.PartnerOrgID == after.PartnerOrgID {
		return
	}
	action, org := "partner.grant", after.PartnerOrgID
	if after.PartnerOrgID == "" {
		action, org = "partner.revoke", before.PartnerOrgID
	}
	detail := map[string]string{"organisation": org, "name": after.DisplayName}
	if o, err := s.cfg.Store.PartnerOrg(ctx, org); err == nil {
		detail["organisation"], detail["country"] = o.Name, o.Country
	}
	s.audit(ctx, "", actorID, action, after.ID, detail)
	s.auditEveryLab(ctx, actorID, action, after.ID, detail)
}

type inviteRequest struct {
	Email         string    `json:"email"`
	Role          labs.Role `json:"role"`
	ExpiresInDays int       `json:"expiresInDays"`
}

// invite creates an invitation and returns it with its link, once.
func (s *Server) invite(c *fiber.Ctx, labID string) error {
	var in inviteRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.ExpiresInDays > 3650 { // the service enforces the real maximum; this only prevents overflow
		return labs.Errorf(labs.EInvalid, "expiresInDays is far too large.")
	}
	inv, token, err := s.cfg.Auth.Invite(c.UserContext(), accountOf(c).ID, auth.InviteRequest{
		Email: in.Email, LabID: labID, Role: in.Role, ExpiresIn: time.Duration(in.ExpiresInDays) * 24 * time.Hour})
	if err != nil {
		return err
	}
	v := viewInvitation(inv)
	v.Link = s.cfg.BaseURL + "/invite#" + token
	return c.Status(fiber.StatusCreated).JSON(v)
}

// inviteAccount invites a person to create an account, in no lab yet.
func (s *Server) inviteAccount(c *fiber.Ctx) error { return s.invite(c, "") }
