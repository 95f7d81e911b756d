package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

func TestHealthReadyMetrics(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	c := ts.client(t)
	if r := c.do("GET", "/healthz", nil); r.Status != 200 || !strings.Contains(string(r.Body), "ok") {
		t.Fatalf("healthz: %d %s", r.Status, r.Body)
	}
	if r := c.do("GET", "/readyz", nil); r.Status != 200 {
		t.Fatalf("readyz: %d %s", r.Status, r.Body)
	}
	c.do("GET", "/api/labs", nil)
	r := c.do("GET", "/metrics", nil)
	body := string(r.Body)
	for _, want := range []string{
		`linklab_http_requests_total{method="GET",route="/api/labs",status="401"} 1`,
		"# TYPE linklab_http_request_duration_seconds histogram",
		"go_goroutines ",
		"linklab_sections_in_memory 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// With the store gone, the process is alive but not ready.
	ts.Store.Close()
	if r := c.do("GET", "/readyz", nil); r.Status != 503 {
		t.Fatalf("readyz with a closed store: %d", r.Status)
	}
	if r := c.do("GET", "/healthz", nil); r.Status != 200 {
		t.Fatalf("healthz with a closed store: %d", r.Status)
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	c := ts.client(t)
	for _, path := range []string{"/", "/labs/deep/link", "/api/labs"} {
		r := c.do("GET", path, nil)
		for h, want := range map[string]string{
			"Content-Security-Policy": "frame-ancestors 'none'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "same-origin",
			"X-Frame-Options":         "DENY",
		} {
			if !strings.Contains(r.Header.Get(h), want) {
				t.Errorf("%s: %s = %q, want it to contain %q", path, h, r.Header.Get(h), want)
			}
		}
		if r.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", path)
		}
	}
	// A client's well-formed request ID is echoed; a malformed one replaced.
	if r := c.do("GET", "/healthz", nil, "X-Request-Id", "abc-123"); r.Header.Get("X-Request-Id") != "abc-123" {
		t.Errorf("request ID not echoed: %q", r.Header.Get("X-Request-Id"))
	}
	if r := c.do("GET", "/healthz", nil, "X-Request-Id", "<script>"); r.Header.Get("X-Request-Id") == "<script>" {
		t.Error("malformed request ID echoed")
	}
}

// TestEveryRouteHasADecision walks the route table: every API route has a
// policy decision, and a route added without one is caught.
func TestEveryRouteHasADecision(t *testing.T) {
	ts, _ := mustBuild(t, engines[0].open(t))
	if err := ts.Srv.CheckRoutes(); err != nil {
		t.Fatal(err)
	}
	apiRoutes := 0
	for _, r := range ts.Srv.App().GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/api/") {
			apiRoutes++
		}
	}
	if apiRoutes < 15 {
		t.Fatalf("only %d API routes in the table: the walk is not seeing them", apiRoutes)
	}
	ts.Srv.App().Get("/api/backdoor", func(c *fiber.Ctx) error { return c.SendString("secret") })
	err := ts.Srv.CheckRoutes()
	if err == nil || !strings.Contains(err.Error(), "/api/backdoor") {
		t.Fatalf("a route without a decision passed the check: %v", err)
	}
}

func TestSetupLink(t *testing.T) {
	store := engines[0].open(t)
	ts := mustServe(t, store)
	token := ts.Auth.NewSetupToken()
	c := ts.client(t)
	body := map[string]string{"token": "wrong" + token[5:], "email": "first@example.org", "displayName": "First", "password": password}
	if r := c.do("POST", "/api/auth/setup", body); r.Status != 403 {
		t.Fatalf("wrong setup token: %d %s", r.Status, r.Body)
	}
	body["token"] = token
	r := c.do("POST", "/api/auth/setup", body)
	if r.Status != 201 {
		t.Fatalf("setup: %d %s", r.Status, r.Body)
	}
	var s struct {
		CSRFToken string
		Account   struct{ Admin bool }
	}
	r.json(t, &s)
	if !s.Account.Admin {
		t.Fatal("setup did not create an admin")
	}
	c.csrf = s.CSRFToken
	if r := c.do("GET", "/api/admin/accounts", nil); r.Status != 200 {
		t.Fatalf("the new admin is not signed in: %d", r.Status)
	}
	body["email"] = "second@example.org"
	if r := ts.client(t).do("POST", "/api/auth/setup", body); r.Status != 403 {
		t.Fatalf("the setup link worked twice: %d", r.Status)
	}
	if n, _ := store.CountAdmins(context.Background()); n != 1 {
		t.Fatalf("%d admins after setup, want 1", n)
	}
}

func TestAppWithoutBuiltAssets(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	r := ts.client(t).do("GET", "/labs", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), "make build") {
		t.Fatalf("without assets: %d %s", r.Status, r.Body)
	}
}
