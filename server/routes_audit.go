package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/labs"
)

// audit records a consequential act. It is called after the act succeeded;
// a failure to record is logged, not undone: the act itself was already
// acknowledged. Callers never pass the author of an anonymous item.
func (s *Server) audit(ctx context.Context, labID, actorID, action, object string, detail map[string]string) {
	now := s.cfg.Auth.Now()
	e := labs.AuditEntry{ID: labs.NewID(now), LabID: labID, ActorID: actorID, Action: action, Object: object, Detail: detail, At: now}
	if err := s.cfg.Store.AppendAudit(ctx, e); err != nil {
		slog.ErrorContext(ctx, "audit entry not recorded", "action", action, "object", object, "err", err)
	}
}

// auditEveryLab records an act that widens who may read what every lab
// shares (a new national partner, say) in each lab's log, where the lab
// sees it. A failure is logged, as for audit.
func (s *Server) auditEveryLab(ctx context.Context, actorID, action, object string, detail map[string]string) {
	err := eachPage(ctx, func(p labs.Page) (string, error) {
		items, next, err := s.cfg.Store.ListLabs(ctx, p)
		for _, l := range items {
			s.audit(ctx, l.ID, actorID, action, object, detail)
		}
		return next, err
	})
	if err != nil {
		slog.ErrorContext(ctx, "audit entries not recorded in every lab", "action", action, "object", object, "err", err)
	}
}

type auditView struct {
	ID     string            `json:"id"`
	Actor  string            `json:"actor"` // the actor's display name in the lab
	Action string            `json:"action"`
	Object string            `json:"object"`
	Detail map[string]string `json:"detail"`
	At     time.Time         `json:"at"`
}

// listAudit returns a lab's audit log, oldest first.
func (s *Server) listAudit(c *fiber.Ctx) error { return s.auditLog(c, labOf(c).ID) }

// listNetworkAudit returns the partner network's audit log (syntheses).
func (s *Server) listNetworkAudit(c *fiber.Ctx) error { return s.auditLog(c, "") }

func (s *Server) auditLog(c *fiber.Ctx, labID string) error {
	ctx := c.UserContext()
	p, err := pageOf(c)
	if err != nil {
		return err
	}
	items, next, err := s.cfg.Store.ListAudit(ctx, labID, p)
	if err != nil {
		return err
	}
	names := s.namer(ctx, labID)
	out := make([]auditView, len(items))
	for i, e := range items {
		detail := e.Detail
		if detail == nil {
			detail = map[string]string{}
		}
		out[i] = auditView{ID: e.ID, Actor: names(e.ActorID), Action: e.Action, Object: e.Object, Detail: detail, At: e.At}
	}
	return c.JSON(listBody[auditView]{Items: out, Next: next})
}

// namer returns a function naming accounts as the lab knows them: the
// display name of their membership, else their account's display name.
// Lookups are cached for the request.
func (s *Server) namer(ctx context.Context, labID string) func(accountID string) string {
	cache := map[string]string{}
	return func(id string) string {
		if n, ok := cache[id]; ok {
			return n
		}
		n := "Former member"
		if m, err := s.cfg.Store.Membership(ctx, labID, id); err == nil {
			n = m.DisplayName
		} else if a, err := s.cfg.Store.Account(ctx, id); err == nil {
			n = a.DisplayName
		}
		cache[id] = n
		return n
	}
}
