package server

import (
	"encoding/base64"
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
	localComment
	localFeedback
	localWorkshop
	localView    // the request's document as the requester may see it
	localSubject // the requester's policy subject for the request's lab
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "linklab_session"

// AnonymityCookie holds the person's anonymity key (see
// auth.AnonymityKey) beside the session: the server reads it on each
// request and stores it nowhere.
const AnonymityCookie = "linklab_anonymity"

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// perm is the permission a route asks for: an action on a kind of object,
// and the route parameter naming what the request is about, if anything:
// a lab, a document, a comment or a feedback item (whose lab and level
// then decide). defaultLevel asks about a new document at the lab's
// default level; the handler asks again for the level requested.
type perm struct {
	obj, act     string
	lab          string
	doc          string
	comment      string
	feedback     string
	workshop     string
	defaultLevel bool
	// network is set for routes about the partner network as a whole
	// (its list of syntheses, a new synthesis, its audit log).
	network bool
	// level is the visibility level of a route about lab-wide items
	// (feedback on the lab), when no item names one.
	level labs.Visibility
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

// viewOf is the request's document with only the sections the requester
// may read.
func viewOf(c *fiber.Ctx) labs.Document {
	d, _ := c.Locals(localView).(labs.Document)
	return d
}

func subjectOfRequest(c *fiber.Ctx) policies.Subject {
	sub, _ := c.Locals(localSubject).(policies.Subject)
	return sub
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

// authorize returns the gate for one route: it loads what the request is
// about (the lab, and the item with its level), the person's role in that
// lab, and asks the enforcer. Refusals do not tell what exists: without a
// session they are 401; for someone outside the item's lab, 404; only a
// member of the lab hears 403.
func (s *Server) authorize(p perm) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		acc := accountOf(c)
		t, err := s.target(c, p)
		if err != nil {
			return err
		}
		var sub policies.Subject
		var m *labs.Membership
		if t.network {
			sub = networkSubject(acc)
		} else if sub, m, err = s.subjectIn(ctx, acc, t.labID); err != nil {
			return err
		}
		if m != nil {
			c.Locals(localMembership, m)
		}
		c.Locals(localSubject, sub)
		if t.doc != nil {
			readObj := p.obj
			if readObj != "comment" && readObj != "feedback" {
				readObj = "document"
			}
			readLevel := t.doc.Visibility
			if readObj != "document" {
				readLevel = t.vis // a comment's or feedback's own level, or the document's
			}
			ok, err := s.cfg.Enforcer.AllowedOn(sub, readObj, "read", readLevel, relationTo(acc, *t.doc))
			if err != nil {
				return err
			}
			if !ok {
				if acc == nil {
					return errSignIn
				}
				return t.notFound // reading is the least right: below it, the item does not exist
			}
			view, err := s.visibleSections(sub, acc, *t.doc)
			if err != nil {
				return err
			}
			c.Locals(localView, view)
			if cm, ok := c.Locals(localComment).(labs.Comment); ok {
				if ok, err := s.seesSection(sub, acc, *t.doc, view, cm.SectionID); err != nil {
					return err
				} else if !ok {
					return t.notFound // on a section kept from the requester
				}
			}
		} else if _, ok := c.Locals(localFeedback).(labs.Feedback); ok {
			// Feedback on the lab itself: whoever may not read it does not
			// learn that it exists, whatever they ask to do with it.
			if err := s.mustRead(sub, acc, "feedback", t); err != nil {
				return err
			}
		} else if _, ok := c.Locals(localWorkshop).(labs.Workshop); ok {
			if err := s.mustRead(sub, acc, "workshop", t); err != nil {
				return err
			}
		}
		ok, err := s.cfg.Enforcer.AllowedOn(sub, p.obj, p.act, t.vis, t.rel)
		if err != nil {
			return err
		}
		switch {
		case ok:
			return c.Next()
		case acc == nil:
			return errSignIn
		case sub.LabRole == "" && !sub.Admin && t.labID != "" && t.doc == nil:
			// Outside the lab, only an item one may read is known to exist.
			return t.notFound
		}
		return labs.Errorf(labs.EForbidden, "You do not have permission to do this.")
	}
}

// mustRead answers "not found" (or "sign in") to whoever may not read the
// item a route is about, whatever they ask to do with it: its existence is
// not told.
func (s *Server) mustRead(sub policies.Subject, acc *labs.Account, obj string, t target) error {
	ok, err := s.cfg.Enforcer.AllowedOn(sub, obj, "read", t.vis, policies.RelNone)
	if err != nil {
		return err
	}
	if !ok {
		return authOr(acc, t.notFound)
	}
	return nil
}

// target is what a request is about, as the gate resolved it.
type target struct {
	labID    string
	network  bool           // the partner network's, not a lab's
	doc      *labs.Document // the document, or the one a comment or feedback is on
	vis      labs.Visibility
	rel      policies.Relation
	notFound error // what to answer someone who may not know it exists
}

// target loads the route's object and stores it in the context.
func (s *Server) target(c *fiber.Ctx, p perm) (target, error) {
	ctx := c.UserContext()
	acc := accountOf(c)
	t := target{rel: policies.RelNone}
	param := func(name, what string) (string, error) {
		id := c.Params(name)
		if !labs.ValidID(id) {
			return "", labs.Errorf(labs.EInvalid, "%q is not a %s ID.", truncateID(id), what)
		}
		return id, nil
	}
	docID := ""
	switch {
	case p.comment != "":
		id, err := param(p.comment, "comment")
		if err != nil {
			return t, err
		}
		cm, err := s.cfg.Store.Comment(ctx, id)
		if labs.IsCode(err, labs.ENotFound) {
			return t, authOr(acc, errNoComment)
		} else if err != nil {
			return t, err
		}
		c.Locals(localComment, cm)
		docID, t.notFound = cm.DocumentID, errNoComment
	case p.feedback != "":
		id, err := param(p.feedback, "feedback")
		if err != nil {
			return t, err
		}
		f, err := s.cfg.Store.Feedback(ctx, id)
		if labs.IsCode(err, labs.ENotFound) {
			return t, authOr(acc, errNoFeedback)
		} else if err != nil {
			return t, err
		}
		c.Locals(localFeedback, f)
		t.labID, t.vis, t.notFound = f.LabID, labs.VisLab, errNoFeedback
		if f.Target == labs.TargetProposal {
			docID = f.TargetID
		}
	case p.doc != "":
		id, err := param(p.doc, "document")
		if err != nil {
			return t, err
		}
		docID, t.notFound = id, errNoDocument
	case p.workshop != "":
		id, err := param(p.workshop, "workshop")
		if err != nil {
			return t, err
		}
		w, err := s.cfg.Store.Workshop(ctx, id)
		if labs.IsCode(err, labs.ENotFound) {
			return t, authOr(acc, errNoWorkshop)
		} else if err != nil {
			return t, err
		}
		c.Locals(localWorkshop, w)
		t.labID, t.notFound = w.LabID, errNoWorkshop
	case p.lab != "":
		id, err := param(p.lab, "lab")
		if err != nil {
			return t, err
		}
		t.labID, t.notFound = id, errNoLab
	}
	if docID != "" {
		d, err := s.cfg.Store.Document(ctx, docID)
		if labs.IsCode(err, labs.ENotFound) {
			return t, authOr(acc, t.notFound)
		} else if err != nil {
			return t, err
		}
		c.Locals(localDocument, d)
		t.doc, t.labID, t.vis, t.rel = &d, d.LabID, d.Visibility, relationTo(acc, d)
		t.network = d.InNetwork()
	}
	if t.doc != nil {
		// An item on the document is read, and acted on, at its own
		// level: its audience, never wider than the document.
		if cm, ok := c.Locals(localComment).(labs.Comment); ok {
			t.vis = t.doc.AudienceLevel(cm.Audience)
		} else if f, ok := c.Locals(localFeedback).(labs.Feedback); ok {
			t.vis = t.doc.AudienceLevel(f.Audience)
		}
	}
	if p.network {
		t.network = true
		if p.defaultLevel {
			t.vis, t.rel = labs.VisPartners, policies.RelAuthor
		}
	}
	if t.labID != "" {
		lab, err := s.cfg.Store.Lab(ctx, t.labID)
		if labs.IsCode(err, labs.ENotFound) {
			return t, authOr(acc, errNoLab)
		} else if err != nil {
			return t, err
		}
		c.Locals(localLab, lab)
		if p.defaultLevel {
			t.vis, t.rel = lab.DocumentLevel(), policies.RelAuthor
		}
		if p.level != "" && t.doc == nil {
			t.vis = p.level
		}
	}
	switch {
	case p.act == "edit" || p.act == "delete" || p.obj == "comment" && p.act == "resolve":
		if cm, ok := c.Locals(localComment).(labs.Comment); ok {
			t.rel = s.authorship(c, cm.AuthorID, cm.Anonymous, cm.ID)
		} else if f, ok := c.Locals(localFeedback).(labs.Feedback); ok {
			t.rel = s.authorship(c, f.AuthorID, f.Anonymous, f.ID)
		}
	case p.obj == "member" && p.act == "update":
		t.rel = policies.RelAuthor // the route is about the caller's own membership
	}
	return t, nil
}

// authOr answers "sign in" to someone not signed in, so that what exists
// is not told before sign-in either.
func authOr(acc *labs.Account, err error) error {
	if acc == nil {
		return errSignIn
	}
	return err
}

func truncateID(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

var errSignIn = labs.Errorf(labs.EUnauthenticated, "Sign in first.").Because("signed_out")

var (
	errNoDocument = labs.Errorf(labs.ENotFound, "There is no such document, or you cannot see it.")
	errNoComment  = labs.Errorf(labs.ENotFound, "There is no such comment, or you cannot see it.")
	errNoFeedback = labs.Errorf(labs.ENotFound, "There is no such feedback, or you cannot see it.")
	errNoLab      = labs.Errorf(labs.ENotFound, "There is no such lab, or you cannot see it.")
	errNoWorkshop = labs.Errorf(labs.ENotFound, "There is no such workshop, or you cannot see it.")
)

func (s *Server) setSessionCookie(c *fiber.Ctx, token string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (s *Server) clearSessionCookie(c *fiber.Ctx) {
	for _, name := range []string{SessionCookie, AnonymityCookie} {
		c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: "/", Expires: time.Unix(0, 0), MaxAge: -1,
			HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteLaxMode})
	}
}

// setAnonymityCookie keeps the anonymity key in the browser for as long as
// the session lasts; nil clears it.
func (s *Server) setAnonymityCookie(c *fiber.Ctx, key []byte, expires time.Time) {
	if key == nil {
		c.Cookie(&fiber.Cookie{Name: AnonymityCookie, Value: "", Path: "/api", Expires: time.Unix(0, 0), MaxAge: -1,
			HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteStrictMode})
		return
	}
	c.Cookie(&fiber.Cookie{Name: AnonymityCookie, Value: base64.RawURLEncoding.EncodeToString(key), Path: "/api",
		Expires: expires, HTTPOnly: true, Secure: s.secure, SameSite: fiber.CookieSameSiteStrictMode})
}

// anonymityKeyOf is the request's anonymity key, or nil.
func anonymityKeyOf(c *fiber.Ctx) []byte {
	key, err := base64.RawURLEncoding.DecodeString(c.Cookies(AnonymityCookie))
	if err != nil || len(key) != auth.AnonymityKeyLength {
		return nil
	}
	return key
}
