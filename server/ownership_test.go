package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/linklab/linklab/labs"
)

// TestThreadsAndProposalsAreTheirAuthors: a comment thread is resolved by
// whoever started it, or a facilitator, and nobody else; a proposal is
// archived (and taken out of the archive) by its author or a facilitator,
// and nobody else: a policymaker cannot shelve a parent's proposal. The
// listing and the document say who may, so the app offers only that.
func TestThreadsAndProposalsAreTheirAuthors(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		_, parent := ts.participant(t, w.labA, "Parent", labs.RoleServiceUser, labs.LevelMicro, "")
		_, policy := ts.participant(t, w.labA, "Policy", labs.RolePolicymaker, labs.LevelMacro, "")

		prop := createDoc(t, parent, w.labA, map[string]any{"template": "proposal", "title": "A mentor family"})
		path := "/api/documents/" + prop.ID
		var d docDetail
		parent.do("GET", path, nil).json(t, &d)

		// A thread: its author and the facilitator resolve it; another participant may not.
		r := parent.do("POST", path+"/comments", map[string]any{"sectionId": d.Sections[0].ID, "version": 0, "from": 0, "to": 0, "body": "Is this one family or many?"})
		mustStatus(t, r, http.StatusCreated, "a thread")
		var thread struct{ ID string }
		r.json(t, &thread)
		resolve := func(c *client, v bool) response {
			return c.do("PUT", "/api/comments/"+thread.ID+"/resolved", map[string]any{"resolved": v})
		}
		mustStatus(t, resolve(policy, true), http.StatusForbidden, "another participant resolves the thread")
		mustStatus(t, resolve(parent, true), http.StatusOK, "its author resolves it")
		mustStatus(t, resolve(fac, false), http.StatusOK, "the facilitator reopens it")

		// The lifecycle: anyone who writes moves it; only its author and the facilitator archive it.
		mustStatus(t, policy.do("PUT", path+"/status", map[string]any{"status": "open"}), http.StatusOK, "a participant opens it")
		r = policy.do("PUT", path+"/status", map[string]any{"status": "archived"})
		if r.Status != http.StatusForbidden || !strings.Contains(string(r.Body), "author or a facilitator") {
			t.Fatalf("a policymaker archives a parent's proposal: %d %s", r.Status, r.Body)
		}
		var listed struct {
			Items []struct {
				ID  string
				Can *struct{ Advance, Archive bool }
			}
		}
		policy.do("GET", "/api/labs/"+w.labA.ID+"/documents", nil).json(t, &listed)
		for _, it := range listed.Items {
			if it.ID == prop.ID && (it.Can == nil || !it.Can.Advance || it.Can.Archive) {
				t.Fatalf("the listing tells the policymaker %+v", it.Can)
			}
		}
		var can struct{ Can struct{ Archive bool } }
		parent.do("GET", path, nil).json(t, &can)
		if !can.Can.Archive {
			t.Fatal("the author is not told they may archive")
		}
		mustStatus(t, parent.do("PUT", path+"/status", map[string]any{"status": "archived"}), http.StatusOK, "its author archives it")
		mustStatus(t, policy.do("PUT", path+"/status", map[string]any{"status": "draft"}), http.StatusForbidden, "another takes it out")
		mustStatus(t, fac.do("PUT", path+"/status", map[string]any{"status": "draft"}), http.StatusOK, "the facilitator takes it out")
		mustStatus(t, fac.do("PUT", path+"/status", map[string]any{"status": "archived"}), http.StatusOK, "the facilitator archives it")
		r = fac.do("GET", "/api/labs/"+w.labA.ID+"/audit", nil)
		if n := strings.Count(string(r.Body), `"to":"archived"`); n != 2 {
			t.Fatalf("%d archivings recorded, want 2: %.500s", n, r.Body)
		}
	})
}

// TestOneBaselineAndTitledProposals: a lab has one country baseline (a
// new edition is a named version of it), and a proposal is created with
// its title.
func TestOneBaselineAndTitledProposals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		mgr := ts.client(t)
		mgr.mustSignIn(w.mgrA.Email, password)
		docs := "/api/labs/" + w.labA.ID + "/documents"
		mustStatus(t, mgr.do("POST", docs, map[string]any{"template": "baseline"}), http.StatusCreated, "the lab's baseline")
		r := mgr.do("POST", docs, map[string]any{"template": "baseline", "title": "Another"})
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "named version") {
			t.Fatalf("a second baseline: %d %s", r.Status, r.Body)
		}
		other := ts.client(t)
		other.mustSignIn(w.mgrB.Email, password)
		mustStatus(t, other.do("POST", "/api/labs/"+w.labB.ID+"/documents", map[string]any{"template": "baseline"}), http.StatusCreated, "another lab's baseline")
		r = mgr.do("POST", docs, map[string]any{"template": "proposal"})
		if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "title is required") {
			t.Fatalf("an untitled proposal: %d %s", r.Status, r.Body)
		}
		mustStatus(t, mgr.do("POST", docs, map[string]any{"template": "proposal", "title": "Mentor families"}), http.StatusCreated, "a titled proposal")
	})
}

// TestDeletingADraft: a private draft is deleted by its author, with what
// is only about it; nobody else may, no document at another level may be,
// and a draft someone else wrote in (shared, then made private again)
// stays. A live subscriber is told it is gone.
func TestDeletingADraft(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ts *testServer, w world) {
		fac := ts.client(t)
		fac.mustSignIn(w.facA.Email, password)
		_, parent := ts.participant(t, w.labA, "Parent", labs.RoleServiceUser, labs.LevelMicro, "")
		_, staff := ts.participant(t, w.labA, "Staff", labs.RoleFrontlineStaff, labs.LevelMicro, "")

		draft := createDoc(t, parent, w.labA, map[string]any{"template": "proposal", "title": "Half an idea", "visibility": "private"})
		path := "/api/documents/" + draft.ID
		var d struct {
			Can      struct{ Delete bool }
			Sections []struct{ ID string }
		}
		parent.do("GET", path, nil).json(t, &d)
		if !d.Can.Delete {
			t.Fatal("the author is not offered to delete a private draft")
		}
		mustStatus(t, parent.do("POST", path+"/comments", map[string]any{"sectionId": d.Sections[0].ID, "version": 0, "from": 0, "to": 0, "body": "Note to self"}),
			http.StatusCreated, "a note on the draft")
		for _, other := range []*client{staff, fac} {
			if r := other.do("DELETE", path, nil); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
				t.Fatalf("someone else deletes the draft: %d %s", r.Status, r.Body)
			}
		}
		watcher := subscribe(t, parent, draft.ID)
		mustStatus(t, parent.do("DELETE", path, nil), http.StatusNoContent, "its author deletes it")
		watcher.drain("revoked")
		mustStatus(t, parent.do("GET", path, nil), http.StatusNotFound, "the deleted draft")
		mustStatus(t, parent.do("GET", path+"/comments", nil), http.StatusNotFound, "the deleted draft's comments")
		mustStatus(t, parent.do("DELETE", path, nil), http.StatusNotFound, "deleting it again")

		// A lab-wide document is not deleted, not even by its author.
		shared := createDoc(t, parent, w.labA, map[string]any{"template": "proposal", "title": "Shared idea"})
		var sd struct{ Can struct{ Delete bool } }
		parent.do("GET", "/api/documents/"+shared.ID, nil).json(t, &sd)
		if sd.Can.Delete {
			t.Fatal("the author is offered to delete a lab-wide proposal")
		}
		mustStatus(t, parent.do("DELETE", "/api/documents/"+shared.ID, nil), http.StatusForbidden, "deleting a lab-wide proposal")

		// Shared, written in by someone else, made private again: it stays.
		var sh struct{ Sections []struct{ ID string } }
		parent.do("GET", "/api/documents/"+shared.ID, nil).json(t, &sh)
		mustStatus(t, staff.do("POST", "/api/documents/"+shared.ID+"/comments", map[string]any{"sectionId": sh.Sections[0].ID, "version": 0, "from": 0, "to": 0, "body": "Good"}),
			http.StatusCreated, "someone else comments")
		mustStatus(t, parent.do("PUT", "/api/documents/"+shared.ID+"/visibility", map[string]any{"visibility": "private"}), http.StatusOK, "made private again")
		r := parent.do("DELETE", "/api/documents/"+shared.ID, nil)
		if r.Status != http.StatusConflict || !strings.Contains(string(r.Body), `"reason":"draft_has_others"`) {
			t.Fatalf("deleting a draft someone else wrote in: %d %s", r.Status, r.Body)
		}
		mustStatus(t, parent.do("GET", "/api/documents/"+shared.ID, nil), http.StatusOK, "the draft others wrote in")
	})
}
