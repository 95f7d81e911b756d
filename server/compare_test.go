package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/internal/pdftext"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/realtime"
)

type comparedBody struct {
	Section, Title string
	Items          []struct {
		ID, Title, Country, Lab, LabID, Visibility string
		Section                                    *struct{ ID, Key, Title, HTML string }
	}
}

// TestCompareBaselines: with the six demo labs, a section compared takes
// exactly the baselines the reader may read, in country order, rendered
// without any raw HTML of the text; a baseline named but not readable
// takes no part, as one that does not exist; a section kept to a lab is
// left out for the partners; the lab's name only for who may read the lab.
func TestCompareBaselines(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			ts, as := withDemo(t, e.open)
			no, rs, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)
			compare := func(c *client, query string) (comparedBody, response) {
				r := c.do("GET", "/api/baselines/compare?"+query, nil)
				var out comparedBody
				if r.Status == http.StatusOK {
					r.json(t, &out)
				}
				return out, r
			}
			countries := func(b comparedBody) string {
				var out []string
				for _, it := range b.Items {
					out = append(out, it.Country)
				}
				return strings.Join(out, ",")
			}
			baselineOf := func(c *client) (id string) {
				var list struct {
					Items []struct{ ID, Country string }
				}
				c.do("GET", "/api/baselines", nil).json(t, &list)
				return list.Items[0].ID
			}

			// Each reader: their own lab's baseline, and the shared ones.
			for name, tc := range map[string]struct {
				c    *client
				want string
			}{"a Norwegian member": {no, "NO"}, "a Serbian member": {rs, "RS"}, "the partner": {partner, "NO,SI"}} {
				got, r := compare(tc.c, "section=welfare-model")
				if r.Status != http.StatusOK || countries(got) != tc.want || got.Title != "Welfare model" {
					t.Fatalf("%s compares %q (%d %s), want %s", name, countries(got), r.Status, r.Body, tc.want)
				}
				for _, it := range got.Items {
					if it.Section == nil || !strings.Contains(it.Section.HTML, "<p>") {
						t.Fatalf("%s: %s has no rendered section: %+v", name, it.Country, it.Section)
					}
				}
			}

			// Serbia shares its baseline with the whole network: the
			// Norwegian member now compares two, Serbia's lab unnamed to them.
			rsBaseline := baselineOf(rs)
			rsFac := as(demo.Email(labs.RoleFacilitator, "rs"))
			if r := rsFac.do("PUT", "/api/documents/"+rsBaseline+"/visibility", map[string]any{"visibility": "network"}); r.Status != http.StatusOK {
				t.Fatalf("share network-wide: %d %s", r.Status, r.Body)
			}
			got, _ := compare(no, "section=welfare-model")
			if countries(got) != "NO,RS" || got.Items[0].Lab == "" || got.Items[1].Lab != "" {
				t.Fatalf("after sharing: %+v", got.Items)
			}

			// Raw HTML in the text does not survive.
			noBaseline := got.Items[0].ID
			live := no.mustDialWS()
			live.send(map[string]any{"type": "subscribe", "id": 1, "doc": noBaseline})
			var sec, text string
			var version int
			for {
				m := live.next("section", "subscribed")
				if str(m["type"]) == "subscribed" {
					break
				}
				var s struct {
					Section, Key, Text string
					Version            int
				}
				b, _ := json.Marshal(m)
				json.Unmarshal(b, &s)
				if s.Key == "welfare-model" {
					sec, text, version = s.Section, s.Text, s.Version
				}
			}
			hostile := "**Bold**\n\n<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\"> [x](javascript:alert(3))\n\n"
			live.send(map[string]any{"type": "push", "id": 2, "doc": noBaseline, "section": sec, "version": version, "clientID": "t",
				"updates": []map[string]any{{"seq": 1, "changes": json.RawMessage(fmt.Sprintf(`[[0,%q],%d]`, hostile, len(realtime.TextOf(text))))}}})
			live.next("pushed")
			got, _ = compare(no, "section=welfare-model&docs="+noBaseline)
			html := got.Items[0].Section.HTML
			for _, bad := range []string{"<script", "onerror", "javascript:", "<img"} {
				if strings.Contains(strings.ToLower(html), bad) {
					t.Fatalf("the comparison renders %q: %s", bad, html)
				}
			}
			if !strings.Contains(html, "<strong>Bold</strong>") {
				t.Fatalf("the comparison lost the Markdown: %.300s (%+v)", html, got)
			}

			// A section kept to its lab is no part of the partner's
			// comparison; the rest of the baseline is.
			if r := no.do("PATCH", "/api/documents/"+noBaseline+"/sections/"+sec, map[string]any{"visibility": "lab"}); r.Status != http.StatusOK {
				t.Fatalf("keep a section to the lab: %d %s", r.Status, r.Body)
			}
			got, _ = compare(partner, "section=welfare-model")
			if countries(got) != "NO,RS,SI" || got.Items[0].Section != nil || got.Items[1].Section == nil {
				t.Fatalf("the partner after the section was kept to the lab: %+v", got.Items)
			}
			if strings.Contains(fmt.Sprint(got), "Bold") {
				t.Fatal("the kept section's text reaches the partner")
			}

			// A baseline the reader may not read takes no part, as one that
			// does not exist; a bad query is refused.
			got, _ = compare(no, "section=welfare-model&docs="+rsBaseline+","+baselineOf(as(demo.Email(labs.RoleManager, "se"))))
			if countries(got) != "RS" {
				t.Fatalf("the partner compares %q", countries(got))
			}
			for _, q := range []string{"", "section=", "section=welfare-model&docs=not-an-id", "section=" + strings.Repeat("x", 65),
				"section=welfare-model&docs=" + strings.TrimSuffix(strings.Repeat(rsBaseline+",", 13), ",")} {
				if _, r := compare(no, q); r.Status != http.StatusBadRequest {
					t.Fatalf("compare?%s: %d %s", q, r.Status, r.Body)
				}
			}
			if r := ts.client(t).do("GET", "/api/baselines", nil); r.Status != http.StatusUnauthorized {
				t.Fatalf("a stranger lists baselines: %d", r.Status)
			}
			// A section of unknown key: every baseline, each without it.
			got, _ = compare(no, "section=no-such-section")
			if len(got.Items) != 2 || got.Items[0].Section != nil || got.Title != "" {
				t.Fatalf("an unknown section: %+v", got)
			}
		})
	}
}

// TestExportsAsPDF: a baseline, a comparison, a synthesis and a session
// report export as PDF files that read back with their headings, Serbian
// Cyrillic and Latvian text as written, and the visibility line on every
// page; a comparison holds only what the reader may read; exports are
// recorded in each lab's log.
func TestExportsAsPDF(t *testing.T) {
	ts, as := withDemo(t, engines[0].open)
	rs, partner := as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)
	rsDoc, rsSection := baselineSection(t, rs, "RS", "welfare-model")
	pushText(t, rs, rsDoc, rsSection, "# Модел\n\nСрбија има **хибридни** модел: ђаци, џеп, љубав, ћерка.\n\n- Latvija: ā č ē ģ ī ķ ļ ņ š ū ž")
	pdf := func(c *client, path string) string {
		t.Helper()
		r := c.do("GET", path, nil)
		if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(r.Body), "%PDF-") {
			t.Fatalf("%s: %d %s %.200s", path, r.Status, r.Header.Get("Content-Type"), r.Body)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".pdf") {
			t.Fatalf("%s: Content-Disposition %q", path, cd)
		}
		return pdftext.Read(t, r.Body)
	}
	everyPage := func(text, line string) {
		t.Helper()
		for i, p := range strings.Split(strings.TrimRight(text, "\f\n"), "\f") {
			if !strings.Contains(strings.Join(strings.Fields(p), " "), line) {
				t.Fatalf("page %d lacks %q:\n%s", i+1, line, p)
			}
		}
	}

	text := pdf(rs, "/api/documents/"+rsDoc+"/export?format=pdf")
	for _, want := range []string{"Welfare model", "Модел", "Србија има хибридни модел: ђаци, џеп, љубав, ћерка.", "Latvija: ā č ē ģ ī ķ ļ ņ š ū ž",
		"Social services", "Serbia: families with multiple challenges (RS)"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the baseline's PDF lacks %q:\n%s", want, text)
		}
	}
	everyPage(text, "Read only by this lab's members")

	// The partner's comparison of every section: Norway and Slovenia, not Serbia.
	text = pdf(partner, "/api/baselines/compare/export?format=pdf")
	for _, want := range []string{"Baselines compared", "Welfare model", "NO", "SI", "social-democratic"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the comparison's PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "хибридни") || strings.Contains(text, "hybrid") {
		t.Fatalf("Serbia's lab-level baseline in the partner's comparison:\n%s", text)
	}
	everyPage(text, "Baselines of NO, SI")
	md := partner.do("GET", "/api/baselines/compare/export?section=welfare-model", nil)
	if md.Status != http.StatusOK || !strings.HasPrefix(string(md.Body), "# Baselines compared: Welfare model\n") || !strings.Contains(string(md.Body), "\n### NO") {
		t.Fatalf("comparison as Markdown: %d %.300s", md.Status, md.Body)
	}
	mustStatus(t, partner.do("GET", "/api/baselines/compare/export?section=no-such-section", nil), http.StatusNotFound, "a section no baseline has")
	mustStatus(t, partner.do("GET", `/api/baselines/compare/export?section=a"b`, nil), http.StatusBadRequest, "a key with a quote")
	mustStatus(t, partner.do("GET", "/api/baselines/compare/export?format=docx", nil), http.StatusBadRequest, "an unknown format")
	norway, err := ts.Store.LabBySlug(t.Context(), "norway")
	if err != nil {
		t.Fatal(err)
	}
	log, _, err := ts.Store.ListAudit(t.Context(), norway.ID, labs.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(log, func(e labs.AuditEntry) bool {
		return e.Action == "document.export" && e.Detail["comparison"] != "" && e.Detail["format"] == "pdf"
	}) {
		t.Fatalf("the comparison's export is not in Norway's log: %+v", log)
	}

	// The network's synthesis.
	var syntheses struct{ Items []struct{ ID, Title string } }
	partner.do("GET", "/api/network/documents", nil).json(t, &syntheses)
	text = pdf(partner, "/api/documents/"+syntheses.Items[0].ID+"/export?format=pdf")
	if flat := strings.Join(strings.Fields(text), " "); !strings.Contains(flat, syntheses.Items[0].Title) || !strings.Contains(flat, "Partner network · Current text · Read by the national partners") {
		t.Fatalf("the synthesis's PDF:\n%s", text)
	}

	// A session report, as its facilitator previews it.
	fac := as(demo.Email(labs.RoleFacilitator, "no"))
	ws := startWorkshop(t, fac, norway)
	text = pdf(fac, "/api/workshops/"+ws.ID+"/report?format=pdf")
	if !strings.Contains(text, "Day one") || !strings.Contains(text, "Preview of the session report") {
		t.Fatalf("the report's PDF:\n%s", text)
	}
	everyPage(text, "Norway: families with multiple challenges (NO)")
}
