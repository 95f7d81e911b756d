package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/labs"
)

type citationBody struct {
	ID, CitedQuote, Status, SourceID, SourceTitle, Section, SectionTitle, Quote string
	Diff                                                                        []struct{ Op, Text string }
}

// TestCitations: a partner cites a passage of a baseline in a synthesis;
// when the words change the citation says so, with the difference, and
// when they are deleted, that they are gone; a reader of the synthesis who
// may not read the baseline gets the words as cited and nothing of the
// source; only writers of a synthesis cite, and only baselines.
func TestCitations(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			_, as := withDemo(t, e.open)
			no, rs, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)
			var list struct{ Items []struct{ ID string } }
			no.do("GET", "/api/baselines", nil).json(t, &list)
			baseline := list.Items[0].ID
			var d docDetail
			no.do("GET", "/api/documents/"+baseline, nil).json(t, &d)
			sec := d.Sections[0].ID
			version := pushText(t, no, baseline, sec, "Staff are few. The law is old.")

			var syn docDetail
			r := partner.do("POST", "/api/network/documents", map[string]any{"title": "Staff across countries"})
			r.json(t, &syn)
			mustStatus(t, r, http.StatusCreated, "a synthesis")
			cites := "/api/documents/" + syn.ID + "/citations"
			var cit citationBody
			r = partner.do("POST", cites, map[string]any{"sourceId": baseline, "sectionId": sec, "from": 0, "to": 13, "version": version})
			r.json(t, &cit)
			if r.Status != http.StatusCreated || cit.CitedQuote != "Staff are few" || cit.Status != "same" || cit.SourceID != baseline {
				t.Fatalf("cite: %d %s", r.Status, r.Body)
			}
			read := func(c *client) citationBody {
				var out struct{ Items []citationBody }
				c.do("GET", cites, nil).json(t, &out)
				if len(out.Items) != 1 {
					t.Fatalf("citations: %+v", out.Items)
				}
				return out.Items[0]
			}

			// The words change: the citation says so, with the difference.
			pushChange(t, no, baseline, sec, func(length int) string { return fmt.Sprintf(`[6,[3,"remain"],%d]`, length-9) })
			got := read(partner)
			diff := ""
			for _, o := range got.Diff {
				diff += o.Op + o.Text + "|"
			}
			if got.Status != "changed" || got.Quote != "Staff remain few" || got.CitedQuote != "Staff are few" || diff != "=Staff |-are|+remain|= few|" {
				t.Fatalf("after the words changed: %+v (%s)", got, diff)
			}

			// Shared with the whole network: a Serbian member reads the
			// synthesis and the words as cited, nothing of Norway's baseline.
			mustStatus(t, partner.do("PUT", "/api/documents/"+syn.ID+"/visibility", map[string]any{"visibility": "network"}), http.StatusOK, "share")
			hidden := read(rs)
			if hidden.Status != "hidden" || hidden.CitedQuote != "Staff are few" || hidden.Quote != "" || hidden.SourceID != "" || hidden.SourceTitle != "" {
				t.Fatalf("a reader who may not read the source: %+v", hidden)
			}

			// Only writers of a synthesis cite, and only in syntheses.
			mustStatus(t, rs.do("POST", cites, map[string]any{"sourceId": baseline, "sectionId": sec, "from": 0, "to": 3, "version": version}),
				http.StatusForbidden, "a member cites in the partners' synthesis")
			mustStatus(t, no.do("POST", "/api/documents/"+baseline+"/citations", map[string]any{"sourceId": baseline, "sectionId": sec, "from": 0, "to": 3, "version": version}),
				http.StatusBadRequest, "a citation in a baseline")
			var rsList struct{ Items []struct{ ID string } }
			rs.do("GET", "/api/baselines", nil).json(t, &rsList)
			var rsDoc docDetail
			rs.do("GET", "/api/documents/"+rsList.Items[0].ID, nil).json(t, &rsDoc)
			mustStatus(t, partner.do("POST", cites, map[string]any{"sourceId": rsList.Items[0].ID, "sectionId": rsDoc.Sections[0].ID, "from": 0, "to": 3, "version": 0}),
				http.StatusNotFound, "a passage the partner may not read")

			// The words deleted: gone, with the words as cited.
			pushChange(t, no, baseline, sec, func(length int) string { return fmt.Sprintf(`[[17,""],%d]`, length-17) })
			if got := read(partner); got.Status != "gone" || got.CitedQuote != "Staff are few" || strings.Contains(got.Quote, "Staff") {
				t.Fatalf("after the words were deleted: %+v", got)
			}
			mustStatus(t, partner.do("DELETE", cites+"/"+cit.ID, nil), http.StatusNoContent, "remove")
			mustStatus(t, partner.do("DELETE", cites+"/"+cit.ID, nil), http.StatusNotFound, "remove twice")
		})
	}
}
