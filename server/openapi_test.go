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
