package server

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz answers as long as the process serves HTTP.
func (s *Server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only when the store answers, so a load balancer stops
// sending people to an instance that cannot save their work.
func (s *Server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := s.cfg.Store.Ping(ctx); err != nil {
		s.log.WarnContext(ctx, "not ready", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "store": "unreachable"})
	}
	if s.relay != nil && !s.relay.Ready() {
		// Until its feed is open this instance would not hear the others:
		// people sent here would miss their changes.
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "feed": "not open"})
	}
	return c.JSON(fiber.Map{"status": "ready"})
}

// Ready reports whether the instance hears the others (always, alone).
func (s *Server) Ready() bool { return s.relay == nil || s.relay.Ready() }
