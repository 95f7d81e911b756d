package server_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPIMatchesRoutes keeps the OpenAPI document true to the code:
// every API route is described, and nothing described is missing.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	spec, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	path := ""
	inPaths := false
	pathRE := regexp.MustCompile(`^  (/api/\S*):$`)
	methodRE := regexp.MustCompile(`^    (get|post|put|patch|delete):$`)
	for _, line := range strings.Split(string(spec), "\n") {
		if line == "paths:" {
			inPaths = true
			continue
		}
		if !inPaths {
			continue
		}
		if m := pathRE.FindStringSubmatch(line); m != nil {
			// OpenAPI writes {lab}; Fiber writes :lab.
			path = regexp.MustCompile(`\{(\w+)\}`).ReplaceAllString(m[1], ":$1")
		} else if m := methodRE.FindStringSubmatch(line); m != nil {
			documented = append(documented, strings.ToUpper(m[1])+" "+path)
		}
	}
	ts, _ := mustBuild(t, engines[0].open(t))
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
		t.Fatalf("openapi.yaml and the routes differ:\ndocumented %v\nrouted     %v", documented, routed)
	}
}
