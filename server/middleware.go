package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a well-formed X-Request-Id from the client or makes one,
// and echoes it, so a person reporting a problem can quote it.
func (s *Server) requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !requestIDRE.MatchString(id) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// observe logs each request and counts it. It logs the route pattern, not
// the path, so that nothing a person typed into a URL reaches the logs.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	s.metrics.inFlight.Add(1)
	err := c.Next()
	if err != nil {
		// Write the error now so the status below is the one sent.
		if herr := s.handleError(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.metrics.inFlight.Add(-1)
	status := c.Response().StatusCode()
	route := c.Route().Path
	if route == "/" && c.Path() != "/" {
		route = "other"
	}
	elapsed := time.Since(start)
	method := knownMethod(c.Method())
	s.metrics.observe(method, route, status, elapsed)
	// No account: a log line naming who asked, a moment after an
	// anonymous item was created, would name its author.
	s.log.InfoContext(c.UserContext(), "request", "requestId", requestIDOf(c), "method", method, "route", route, "status", status,
		"ms", strconv.FormatFloat(float64(elapsed.Microseconds())/1000, 'f', 1, 64))
	return nil
}

// recoverPanics turns a fault in a handler into an internal error for that
// request alone (logged with its stack), instead of ending the process and
// every connection with it.
func (s *Server) recoverPanics(c *fiber.Ctx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(c.UserContext(), "request fault", "requestId", requestIDOf(c), "panic", fmt.Sprint(p),
				"stack", string(debug.Stack()))
			err = errors.New("handler fault")
		}
	}()
	return c.Next()
}

// knownMethod returns the method as a string of its own (Fiber's is
// request-scoped memory that the next request overwrites, which the
// metrics kept as labels), and "OTHER" for methods outside HTTP's, so a
// client cannot make up metric series.
func knownMethod(m string) string {
	for _, known := range [...]string{fiber.MethodGet, fiber.MethodHead, fiber.MethodPost, fiber.MethodPut,
		fiber.MethodPatch, fiber.MethodDelete, fiber.MethodOptions, fiber.MethodConnect, fiber.MethodTrace} {
		if m == known {
			return known
		}
	}
	return "OTHER"
}

// contentSecurityPolicy allows only our own scripts, styles and connections
// (the websocket included) and forbids framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", contentSecurityPolicy)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
	return c.Next()
}
