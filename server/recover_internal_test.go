package server

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestAHandlerFaultEndsOnlyItsRequest: a panic in a handler answers that
// request with the internal error, without its cause, and the app goes on
// serving. (Internal: no route of the real table panics on purpose.)
func TestAHandlerFaultEndsOnlyItsRequest(t *testing.T) {
	s := &Server{log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	app := fiber.New(fiber.Config{ErrorHandler: s.handleError})
	app.Use(s.recoverPanics)
	app.Get("/fault", func(*fiber.Ctx) error { panic("a defect") })
	app.Get("/fine", func(c *fiber.Ctx) error { return c.SendString("ok") })
	resp, err := app.Test(httptest.NewRequest("GET", "/fault", nil))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || !strings.Contains(string(body), `"code":"internal"`) || strings.Contains(string(body), "a defect") {
		t.Fatalf("a handler fault: %d %s", resp.StatusCode, body)
	}
	if resp, err := app.Test(httptest.NewRequest("GET", "/fine", nil)); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after a fault: %v %v", resp, err)
	}
}
