package server

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
)

// audienceFor decides the audience of a new comment or feedback of kind obj
// on d: the one asked for, or by default the narrowest the writer may
// read, from the discussion's level (the lab) up to the document's. A
// writer may not choose an audience wider than the document, narrower than
// the discussion, or one they could not read themselves.
func (s *Server) audienceFor(c *fiber.Ctx, obj string, d labs.Document, asked labs.Visibility) (labs.Visibility, error) {
	sub, acc := subjectOfRequest(c), accountOf(c)
	options := d.Audiences()
	if asked != "" && !slices.Contains(options, asked) {
		return "", labs.Errorf(labs.EInvalid, "audience must be one of %s: from the lab's discussion to the document's own level.", joinLevels(options))
	}
	for _, v := range options {
		if asked != "" && v != asked {
			continue
		}
		ok, err := s.readsItem(sub, acc, d, obj, v)
		if err != nil {
			return "", err
		}
		if ok {
			if v == d.DiscussionLevel() {
				return "", nil // the default, which narrows with the document
			}
			return v, nil
		}
	}
	return "", labs.Errorf(labs.EInvalid, "You could not read it yourself with that audience: choose a wider one.")
}

func joinLevels(vs []labs.Visibility) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, ", ")
}

// publishItem sends an event about a comment or feedback (kind obj, on a
// section of d or on d as a whole when section is "") to the document's
// live subscribers who may read it at level. At the document's own level
// that is every subscriber; narrower, each is asked about, with its
// account and membership read afresh.
func (s *Server) publishItem(ctx context.Context, d labs.Document, section, obj string, level labs.Visibility, event []byte) {
	s.publishItemHere(ctx, d, section, obj, level, event)
	s.tell(sigItem, signalBody{Doc: d.ID, Section: section, Obj: obj, Level: level, Event: event})
}

// publishItemHere is publishItem for this instance's subscribers.
func (s *Server) publishItemHere(ctx context.Context, d labs.Document, section, obj string, level labs.Visibility, event []byte) {
	if level == d.Visibility {
		if section == "" {
			s.hub.PublishEvent(d.ID, event)
		} else {
			s.hub.PublishSectionEvent(d, section, event, nil)
		}
		return
	}
	sec, hasSection := d.Section(section)
	for _, c := range s.hub.Subscribers(d.ID) {
		if section != "" && (!hasSection || !c.Sees(d, sec)) {
			continue
		}
		accountID, ok := s.live.accountOf(c)
		if !ok {
			continue
		}
		if ok, err := s.accountReads(ctx, accountID, d, obj, level); err != nil {
			s.log.ErrorContext(ctx, "live event not sent", "doc", d.ID, "err", err)
		} else if ok {
			c.Enqueue(event)
		}
	}
}

// accountReads reports whether the account may read an item of kind obj
// on d at level, as it is now in the store.
func (s *Server) accountReads(ctx context.Context, accountID string, d labs.Document, obj string, level labs.Visibility) (bool, error) {
	acc, err := s.cfg.Store.Account(ctx, accountID)
	if labs.IsCode(err, labs.ENotFound) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("load subscriber %s: %w", accountID, err)
	}
	if acc.Disabled {
		return false, nil
	}
	sub, err := s.subjectOf(ctx, &acc, d)
	if err != nil {
		return false, err
	}
	return s.cfg.Enforcer.AllowedOn(sub, obj, "read", level, relationTo(&acc, d))
}

// readsItem reports whether the requester may read an item of kind obj on
// d at level.
func (s *Server) readsItem(sub policies.Subject, acc *labs.Account, d labs.Document, obj string, level labs.Visibility) (bool, error) {
	return s.cfg.Enforcer.AllowedOn(sub, obj, "read", level, relationTo(acc, d))
}
