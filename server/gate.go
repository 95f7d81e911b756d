package server

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

type localKey int

const (
	localRequestID localKey = iota
	localAccount
	localSession
	localLab
	localMembership
	localDocument
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "linklab_session"

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// perm is the permission a route asks for: an action on a kind of object,
// and the route parameter naming the lab the request is about, if any, or
// the document (whose lab it then is).
type perm struct {
	obj, act string
	lab      string
	doc      string
}

// handle registers an API route behind the authorization gate. It is the
// only way API routes are added; CheckRoutes refuses any other.
func (s *Server) handle(r fiber.Router, method, path string, p perm, h fiber.Handler) {
	s.perms[method+" /api"+path] = p
	r.Add(method, path, s.authorize(p), h)
}

func accountOf(c *fiber.Ctx) *labs.Account {
	a, _ := c.Locals(localAccount).(*labs.Account)
	return a
}

func sessionOf(c *fiber.Ctx) *labs.Session {
	se, _ := c.Locals(localSession).(*labs.Session)
	return se
}

func labOf(c *fiber.Ctx) labs.Lab {
	l, _ := c.Locals(localLab).(labs.Lab)
	return l
}

func documentOf(c *fiber.Ctx) labs.Document {
	d, _ := c.Locals(localDocument).(labs.Document)
	return d
}

func membershipOf(c *fiber.Ctx) *labs.Membership {
	m, _ := c.Locals(localMembership).(*labs.Membership)
	return m
}

// authenticate resolves the session cookie, if any. A missing or stale
// cookie makes the request anonymous; whether that is enough is the
// gate's decision.
func (s *Server) authenticate(c *fiber.Ctx) error {
	token := c.Cookies(SessionCookie)
	if token == "" {
		return c.Next()
	}
	se, acc, err := s.cfg.Auth.Authenticate(c.UserContext(), token)
	switch {
	case labs.IsCode(err, labs.EUnauthenticated):
		s.clearSessionCookie(c)
	case err != nil:
		return err
	default:
		c.Locals(localAccount, &acc)
		c.Locals(localSession, &se)
	}
	return c.Next()
}

// checkCSRF refuses state-changing requests that a third-party page could
// have made: with a session they must carry the session's CSRF token in a
// header (which a cross-site form cannot set); and any request that names
// an Origin must name ours.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if origin := c.Get(fiber.HeaderOrigin); origin != "" && origin != s.origin && origin != c.BaseURL() {
		return labs.Errorf(labs.EForbidden, "Cross-site request refused: the Origin %q is not this site.", origin)
	}
	if se := sessionOf(c); se != nil && !auth.CheckCSRF(*se, c.Get(CSRFHeader)) {
		return labs.Errorf(labs.EForbidden, "Missing or wrong %s header. Reload the page and try again.", CSRFHeader)
	}
	return c.Next()
}

// authorize returns the gate for one route: it loads the lab the request
// is about and the person's membership in it, builds the subject, and asks
// the enforcer. Anonymous requests that are refused get 401, so the client
// knows to sign in; signed-in ones get 403.
func (s *Server) authorize(p perm) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		acc := accountOf(c)
		subject := policies.Subject{SignedIn: acc != nil, Admin: acc != nil && acc.Admin}
		labID := ""
		if p.lab != "" {
			labID = c.Params(p.lab)
			if !labs.ValidID(labID) {
				return labs.Errorf(labs.EInvalid, "%q is not a lab ID.", labID)
			}
		}
		if p.doc != "" {
			id := c.Params(p.doc)
			if !labs.ValidID(id) {
				return labs.Errorf(labs.EInvalid, "%q is not a document ID.", id)
			}
			if acc == nil {
				return errSignIn
			}
			doc, err := s.cfg.Store.Document(ctx, id)
			if labs.IsCode(err, labs.ENotFound) || err == nil && !openForNow(doc) {
				return errNoDocument
			} else if err != nil {
				return err
			}
			c.Locals(localDocument, doc)
			labID = doc.LabID
		}
		if labID != "" {
			id := labID
			if acc == nil {
				return errSignIn
			}
			lab, err := s.cfg.Store.Lab(ctx, id)
			if err != nil {
				return err
			}
			c.Locals(localLab, lab)
			m, err := s.cfg.Store.Membership(ctx, id, acc.ID)
			switch {
			case err == nil:
				subject.LabRole = m.Role
				c.Locals(localMembership, &m)
			case !labs.IsCode(err, labs.ENotFound):
				return err
			}
		}
		ok, err := s.cfg.Enforcer.Allowed(subject, p.obj, p.act)
		if err != nil {
			return err
		}
		if !ok {
			if acc == nil {
				return errSignIn
			}
			if p.doc != "" && subject.LabRole == "" {
				return errNoDocument // outside the lab, a document's existence is not told
			}
			return labs.Errorf(labs.EForbidden, "You do not have permission to do this.")
		}
		return c.Next()
	}
}

var errSignIn = labs.Errorf(labs.EUnauthenticated, "Sign in first.")

var errNoDocument = labs.Errorf(labs.ENotFound, "There is no such document, or you cannot see it.")

// openForNow reports whether a document's visibility level is one the
// policy decides today. Private drafts and documents for named members come
// with the lab domain; until then they are closed to everyone, on every
// channel (routes, listings, the websocket).
func openForNow(d labs.Document) bool {
	return d.Visibility != labs.VisPrivate && d.Visibility != labs.VisRestricted
}

func (s *Server) setSessionCookie(c *fiber.Ctx, token string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode})
}
