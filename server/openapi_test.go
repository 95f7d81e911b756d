package server_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps the OpenAPI document true to the code:
// every API route is described, and nothing described is missing.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	var spec struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	resp := ts.client(t).do("GET", "/api/openapi.json", nil)
	if resp.Status != 200 {
		t.Fatalf("GET /api/openapi.json: %d", resp.Status)
	}
	if err := json.Unmarshal(resp.Body, &spec); err != nil || !strings.HasPrefix(spec.OpenAPI, "3.") {
		t.Fatalf("openapi.json is not an OpenAPI 3 document: %q, %v", spec.OpenAPI, err)
	}
	var documented []string
	for path, ops := range spec.Paths {
		// OpenAPI writes {lab}; Fiber writes :lab.
		fiberPath := regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(path, ":$1")
		for method := range ops {
			switch method {
			case "get", "post", "put", "patch", "delete":
				documented = append(documented, strings.ToUpper(method)+" "+fiberPath)
			}
		}
	}
	var routed []string
	for _, r := range ts.Srv.App().GetRoutes(true) {
		if strings.HasPrefix(r.Path, "/api/") && r.Method != "HEAD" {
			routed = append(routed, r.Method+" "+r.Path)
		}
	}
	slices.Sort(documented)
	slices.Sort(routed)
	routed = slices.Compact(routed)
	if !slices.Equal(documented, routed) {
		t.Fatalf("openapi.json and the routes differ:\ndocumented %v\nrouted     %v", documented, routed)
	}
}

// TestOpenAPIListsTheEdgeStatuses: every operation lists the statuses the
// edge returns before a handler decides anything: 400 for a malformed id,
// query or body, 401 without a session where one is needed, 403 for a
// change without the CSRF token (or a role that may not), 404 for an id
// that names nothing the reader may see, 429 where attempts are limited,
// and 413 everywhere (a body over the limit, or a request line and headers
// longer than the server reads). An API fuzzer refuses undocumented ones.
func TestOpenAPIListsTheEdgeStatuses(t *testing.T) {
	ts := mustServe(t, engines[0].open(t))
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters  []map[string]any `json:"parameters"`
			RequestBody map[string]any   `json:"requestBody"`
			Responses   map[string]any   `json:"responses"`
		} `json:"paths"`
	}
	ts.client(t).do("GET", "/api/openapi.json", nil).json(t, &spec)
	anyone := map[string]bool{"POST /api/auth/sign-in": true, "POST /api/auth/setup": true,
		"POST /api/invitations/preview": true, "POST /api/invitations/accept": true}
	limited := map[string]bool{"POST /api/auth/sign-in": true, "POST /api/auth/setup": true,
		"POST /api/invitations/preview": true, "POST /api/invitations/accept": true, "GET /api/ws": true}
	for path, ops := range spec.Paths {
		for method, op := range ops {
			name := strings.ToUpper(method) + " " + path
			if strings.HasPrefix(path, "/api/openapi.") {
				if _, ok := op.Responses["413"]; !ok {
					t.Errorf("%s does not list 413", name)
				}
				continue
			}
			query := false
			for _, p := range op.Parameters {
				ref, _ := p["$ref"].(string)
				query = query || p["in"] == "query" || strings.HasSuffix(ref, "/after") || strings.HasSuffix(ref, "/limit")
			}
			var want []string
			if strings.Contains(path, "{") || op.RequestBody != nil || query {
				want = append(want, "400")
			}
			if !anyone[name] {
				want = append(want, "401", "403")
			} else if method != "get" {
				want = append(want, "403")
			}
			if strings.Contains(path, "{") {
				want = append(want, "404")
			}
			// Any request can be too large: a body over the limit, or a
			// request line and headers over the read buffer.
			want = append(want, "413")
			if limited[name] {
				want = append(want, "429")
			}
			for _, status := range want {
				if _, ok := op.Responses[status]; !ok {
					t.Errorf("%s does not list %s", name, status)
				}
			}
		}
	}
}
