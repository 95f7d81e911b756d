package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/labs"
)

type tagBody struct {
	ID, Section, ThemeID, Theme, Quote string
	From, To, Version                  int
	Orphaned                           bool
}

type matrixBody struct {
	Themes    []struct{ ID, Name string }
	Baselines []struct{ ID, Country string }
	Cells     []struct {
		Baseline, Theme string
		Passages        []struct{ Tag, Quote, SectionTitle string }
	}
}

// TestThemesTagsAndMatrix: the network's themes are seeded and kept by the
// partners; a member tags a passage of their baseline, the tag stays on
// its words while text is inserted before it and is orphaned, with its
// quote, once they are deleted; the country x theme matrix shows each
// reader the passages of the baselines they may read, and nothing else.
func TestThemesTagsAndMatrix(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			_, as := withDemo(t, e.open)
			no, rs, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)

			var themes struct{ Items []struct{ ID, Name string } }
			no.do("GET", "/api/themes", nil).json(t, &themes)
			if len(themes.Items) != len(labs.DefaultThemes) || themes.Items[0].Name != "Collaboration" {
				t.Fatalf("themes: %+v", themes.Items)
			}
			mustStatus(t, partner.do("POST", "/api/themes", map[string]any{"name": "Housing"}), http.StatusCreated, "a partner adds a theme")
			mustStatus(t, partner.do("POST", "/api/themes", map[string]any{"name": "housing "}), http.StatusConflict, "the same theme again")
			mustStatus(t, no.do("POST", "/api/themes", map[string]any{"name": "Mine"}), http.StatusForbidden, "a member adds a theme")
			mustStatus(t, partner.do("POST", "/api/themes", map[string]any{"name": ""}), http.StatusBadRequest, "no name")
			staff := ""
			for _, th := range themes.Items {
				if th.Name == "Staff" {
					staff = th.ID
				}
			}

			var list struct {
				Items []struct{ ID, Country string }
			}
			no.do("GET", "/api/baselines", nil).json(t, &list)
			doc := list.Items[0].ID
			var d docDetail
			no.do("GET", "/api/documents/"+doc, nil).json(t, &d)
			sec := d.Sections[0].ID
			version := pushText(t, no, doc, sec, "Few staff stay in rural municipalities. The law is old.")
			from := strings.Index("Few staff stay in rural municipalities. The law is old.", "staff stay")
			var tag tagBody
			r := no.do("POST", "/api/documents/"+doc+"/tags", map[string]any{"sectionId": sec, "themeId": staff, "from": from, "to": from + 10, "version": version})
			r.json(t, &tag)
			if r.Status != http.StatusCreated || tag.Quote != "staff stay" || tag.Theme != "Staff" {
				t.Fatalf("tag: %d %s", r.Status, r.Body)
			}
			for name, body := range map[string]map[string]any{
				"an empty range":   {"sectionId": sec, "themeId": staff, "from": 3, "to": 3, "version": version},
				"an unknown theme": {"sectionId": sec, "themeId": strings.Repeat("0", 26), "from": 0, "to": 3, "version": version},
				"past the text":    {"sectionId": sec, "themeId": staff, "from": 0, "to": 9999, "version": version},
			} {
				if r := no.do("POST", "/api/documents/"+doc+"/tags", body); r.Status != http.StatusBadRequest {
					t.Fatalf("%s: %d %s", name, r.Status, r.Body)
				}
			}
			mustStatus(t, as(demo.Email(labs.RoleFacilitator, "no")).do("POST", "/api/documents/"+doc+"/tags",
				map[string]any{"sectionId": sec, "themeId": staff, "from": 0, "to": 3, "version": version}), http.StatusForbidden, "a facilitator tags")

			// Text typed before the passage: the tag moves with its words.
			version = pushChange(t, no, doc, sec, func(length int) string { return fmt.Sprintf(`[[0,"Today, "],%d]`, length) })
			tags := func(c *client) []tagBody {
				var out struct{ Items []tagBody }
				c.do("GET", "/api/documents/"+doc+"/tags", nil).json(t, &out)
				return out.Items
			}
			if got := tags(no); len(got) != 1 || got[0].Quote != "staff stay" || got[0].From != from+7 || got[0].Version != version || got[0].Orphaned {
				t.Fatalf("after an insertion before it: %+v", got)
			}

			// The matrix: the partner sees Norway's passage under Staff; a
			// Serbian member, who may not read Norway's baseline, does not.
			var m matrixBody
			partner.do("GET", "/api/themes/matrix", nil).json(t, &m)
			found := false
			for _, c := range m.Cells {
				if c.Baseline == doc && c.Theme == staff && len(c.Passages) == 1 && c.Passages[0].Quote == "staff stay" {
					found = true
				}
			}
			if !found || len(m.Themes) != len(labs.DefaultThemes)+1 {
				t.Fatalf("the partner's matrix: %+v", m)
			}
			rs.do("GET", "/api/themes/matrix", nil).json(t, &m)
			for _, c := range m.Cells {
				if c.Baseline == doc {
					t.Fatalf("a Serbian member's matrix has Norway's passage: %+v", c)
				}
			}
			for _, b := range m.Baselines {
				if b.Country == "NO" {
					t.Fatal("a Serbian member's matrix lists Norway's baseline")
				}
			}
			mustStatus(t, rs.do("GET", "/api/documents/"+doc+"/tags", nil), http.StatusNotFound, "a Serbian member lists Norway's tags")

			// Its words deleted: orphaned, with its quote; gone from the matrix.
			pushChange(t, no, doc, sec, func(length int) string { return fmt.Sprintf(`[%d,[14,""],%d]`, from+7-4, length-(from+7-4)-14) })
			got := tags(no)
			if len(got) != 1 || !got[0].Orphaned || got[0].Quote != "staff stay" {
				t.Fatalf("after its words were deleted: %+v", got)
			}
			partner.do("GET", "/api/themes/matrix", nil).json(t, &m)
			for _, c := range m.Cells {
				if c.Baseline == doc && c.Theme == staff {
					t.Fatalf("an orphaned tag counts in the matrix: %+v", c)
				}
			}
			// Removing a tag takes the right to write.
			mustStatus(t, partner.do("DELETE", "/api/documents/"+doc+"/tags/"+tag.ID, nil), http.StatusForbidden, "a partner removes a tag")
			mustStatus(t, no.do("DELETE", "/api/documents/"+doc+"/tags/"+tag.ID, nil), http.StatusNoContent, "remove")
			mustStatus(t, no.do("DELETE", "/api/documents/"+doc+"/tags/"+tag.ID, nil), http.StatusNotFound, "remove twice")
		})
	}
}

// TestThemeMatrixLive: followers of the theme matrix hear that it changed
// when a passage they may read is tagged or untagged, or the themes
// change; nobody hears of a tag on a baseline they may not read.
func TestThemeMatrixLive(t *testing.T) {
	_, as := withDemo(t, engines[0].open)
	no, rs, partner := as(demo.Email(labs.RoleManager, "no")), as(demo.Email(labs.RoleManager, "rs")), as(demo.PartnerEmail)
	follow := func(c *client) *wsConn {
		w := c.mustDialWS()
		w.send(map[string]any{"type": "follow", "id": 1, "themes": true})
		if m := w.next("following", "error"); str(m["type"]) != "following" {
			t.Fatalf("follow themes: %s", m["message"])
		}
		return w
	}
	noLive, rsLive, partnerLive := follow(no), follow(rs), follow(partner)
	// heard reports whether a change reached w before its answer to a
	// ping sent now (every event of a request is queued before the
	// request's answer).
	pings := 100
	heard := func(w *wsConn) bool {
		pings++
		w.send(map[string]any{"type": "ping", "id": pings})
		changed := false
		for {
			m := w.next("themes_changed", "pong")
			if str(m["type"]) == "pong" && num(m["id"]) == pings {
				return changed
			}
			changed = changed || str(m["type"]) == "themes_changed"
		}
	}
	var themes struct{ Items []struct{ ID, Name string } }
	no.do("GET", "/api/themes", nil).json(t, &themes)
	tag := func(c *client, country string) string {
		doc, sec := baselineSection(t, c, country, "welfare-model")
		r := c.do("POST", "/api/documents/"+doc+"/tags", map[string]any{"sectionId": sec, "themeId": themes.Items[0].ID, "from": 0, "to": 6, "version": 0})
		mustStatus(t, r, http.StatusCreated, "tag")
		var tg struct{ ID string }
		r.json(t, &tg)
		return "/api/documents/" + doc + "/tags/" + tg.ID
	}

	// Serbia's baseline is the lab's: only Serbia hears.
	rsTag := tag(rs, "RS")
	if !heard(rsLive) || heard(noLive) || heard(partnerLive) {
		t.Fatal("a lab-level tag: only its lab should hear")
	}
	// Norway's is shared with the partners: Norway and the partner hear.
	noTag := tag(no, "NO")
	if heard(rsLive) || !heard(noLive) || !heard(partnerLive) {
		t.Fatal("a partners-level tag: its lab and the partners should hear")
	}
	mustStatus(t, no.do("DELETE", noTag, nil), http.StatusNoContent, "untag")
	if !heard(partnerLive) {
		t.Fatal("an untagged passage: the partner should hear")
	}
	mustStatus(t, rs.do("DELETE", rsTag, nil), http.StatusNoContent, "untag")
	if heard(partnerLive) {
		t.Fatal("an untagged lab-level passage reached the partner")
	}
	// A new theme is everyone's news.
	mustStatus(t, partner.do("POST", "/api/themes", map[string]any{"name": "Housing"}), http.StatusCreated, "a theme")
	for _, w := range []*wsConn{noLive, rsLive, partnerLive} {
		if !heard(w) {
			t.Fatal("a new theme: everyone should hear")
		}
	}
	// Following stops.
	rsLive.send(map[string]any{"type": "unfollow", "id": 2, "themes": true})
	rsLive.next("unfollowed")
	mustStatus(t, partner.do("POST", "/api/themes", map[string]any{"name": "Transport"}), http.StatusCreated, "a theme")
	if heard(rsLive) {
		t.Fatal("an unfollowed matrix still speaks")
	}
}
