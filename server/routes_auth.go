package server

import (
	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
)

type sessionBody struct {
	Account     accountView      `json:"account"`
	CSRFToken   string           `json:"csrfToken"`
	Memberships []membershipView `json:"memberships"`
	Preferences preferences      `json:"preferences"`
}

// preferences are the person's own settings for the app. They are in the
// session, not in the account view administrators list.
type preferences struct {
	Language  string `json:"language"`
	PlainView bool   `json:"plainView"`
}

type membershipView struct {
	LabID       string    `json:"labId"`
	Role        labs.Role `json:"role"`
	DisplayName string    `json:"displayName"`
}

func (s *Server) sessionBody(c *fiber.Ctx, acc labs.Account, se labs.Session) (sessionBody, error) {
	ms, err := s.cfg.Store.AccountMemberships(c.UserContext(), acc.ID)
	if err != nil {
		return sessionBody{}, err
	}
	body := sessionBody{Account: viewAccount(acc), CSRFToken: se.CSRFToken, Memberships: make([]membershipView, len(ms)),
		Preferences: preferences{Language: acc.Language, PlainView: acc.PlainView}}
	for i, m := range ms {
		body.Memberships[i] = membershipView{LabID: m.LabID, Role: m.Role, DisplayName: m.DisplayName}
	}
	return body, nil
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// signIn checks credentials and starts a new session.
func (s *Server) signIn(c *fiber.Ctx) error {
	var in credentials
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := fieldLimit("email", in.Email, labs.MaxEmailLength); err != nil {
		return err
	}
	if err := s.limitAddress(c); err != nil {
		return err
	}
	// Each attempt takes its token before the slow password check, so
	// guesses sent in parallel are counted like guesses sent one by one;
	// only failures keep it, so the owner is never locked out by signing
	// in often, only by someone guessing.
	email, _ := labs.NormalizeEmail(in.Email)
	if email != "" && !s.signInByAccount.allow(email) {
		return labs.Errorf(labs.ERateLimited, "Too many failed sign-in attempts for this account. Wait a minute and try again.").Because("sign_in_locked")
	}
	acc, err := s.cfg.Auth.CheckCredentials(c.UserContext(), in.Email, in.Password)
	if email != "" && !labs.IsCode(err, labs.EUnauthenticated) {
		s.signInByAccount.give(email)
	}
	if err != nil {
		return err
	}
	key, err := s.cfg.Auth.AnonymityKey(c.UserContext(), acc, in.Password)
	if err != nil {
		return err
	}
	return s.startSession(c, acc, key, fiber.StatusOK)
}

func (s *Server) signOut(c *fiber.Ctx) error {
	if err := s.cfg.Auth.SignOut(c.UserContext(), sessionOf(c).ID); err != nil {
		return err
	}
	s.endSession(sessionOf(c).ID)
	s.clearSessionCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *Server) session(c *fiber.Ctx) error {
	body, err := s.sessionBody(c, *accountOf(c), *sessionOf(c))
	if err != nil {
		return err
	}
	return c.JSON(body)
}

type setupRequest struct {
	Token       string `json:"token"`
	Email       string `json:"email"`
	DisplayName string `json:"displayName"`
	Password    string `json:"password"`
}

// completeSetup creates the first admin with the one-time setup token and
// signs them in.
func (s *Server) completeSetup(c *fiber.Ctx) error {
	var in setupRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.limitAddress(c); err != nil {
		return err
	}
	acc, err := s.cfg.Auth.CompleteSetup(c.UserContext(), in.Token,
		auth.NewAccount{Email: in.Email, DisplayName: in.DisplayName, Password: in.Password})
	if err != nil {
		return err
	}
	key, err := s.cfg.Auth.AnonymityKey(c.UserContext(), acc, in.Password)
	if err != nil {
		return err
	}
	return s.startSession(c, acc, key, fiber.StatusCreated)
}

// startSession signs acc in, after they proved who they are. Any session
// the browser had is ended first, so a session is never reused across
// sign-ins (no session fixation).
func (s *Server) startSession(c *fiber.Ctx, acc labs.Account, anonymityKey []byte, status int) error {
	if old := sessionOf(c); old != nil {
		if err := s.cfg.Auth.SignOut(c.UserContext(), old.ID); err != nil {
			return err
		}
		s.endSession(old.ID)
	}
	se, token, err := s.cfg.Auth.StartSession(c.UserContext(), acc.ID)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, token, se.ExpiresAt)
	s.setAnonymityCookie(c, anonymityKey, se.ExpiresAt)
	body, err := s.sessionBody(c, acc, se)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(body)
}

type preferencesRequest struct {
	Language  *string `json:"language"`
	PlainView *bool   `json:"plainView"`
}

// setPreferences changes the signed-in person's language or plain view;
// what the request leaves out stays as it was.
func (s *Server) setPreferences(c *fiber.Ctx) error {
	var in preferencesRequest
	if err := decode(c, &in); err != nil {
		return err
	}
	acc := accountOf(c)
	next := preferences{Language: acc.Language, PlainView: acc.PlainView}
	if in.Language != nil {
		if err := fieldLimit("language", *in.Language, 16); err != nil {
			return err
		}
		if err := labs.ValidateLanguage(*in.Language); err != nil {
			return err
		}
		next.Language = *in.Language
	}
	if in.PlainView != nil {
		next.PlainView = *in.PlainView
	}
	if err := s.cfg.Store.SetPreferences(c.UserContext(), acc.ID, next.Language, next.PlainView, s.cfg.Auth.Now()); err != nil {
		return err
	}
	return c.JSON(next)
}
