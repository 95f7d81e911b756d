package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
)

func testDocumentMetadata(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(4)
	lab := newLab(id[0], "lab")
	lab.DefaultVisibility = labs.VisPartners
	must(t, s.CreateLab(c, lab))
	if got, err := s.Lab(c, lab.ID); err != nil || got.DefaultVisibility != labs.VisPartners {
		t.Fatalf("lab default visibility = %q, %v", got.DefaultVisibility, err)
	}
	d := labs.Document{ID: id[1], LabID: id[0], Kind: labs.KindProposal, Template: "proposal@1", Title: "Family coordinator",
		Visibility: labs.VisRestricted, CreatedBy: "a", CreatedAt: base, UpdatedAt: base,
		Members: []string{"a", "b"}, Status: labs.StatusDraft, Fields: map[string]string{"scope": "micro"},
		LogicMap: labs.LogicMap{
			Elements: []labs.LogicElement{{ID: "e1", Text: "One coordinator per family", Outcomes: []string{"o1", "o2"}}, {ID: "e2", Text: "Shared plan"}},
			Outcomes: []labs.Outcome{{ID: "o1", Text: "Less stress", Term: "short"}, {ID: "o2", Text: "Work", Term: "long"}}}}
	must(t, s.CreateDocument(c, d))
	got, err := s.Document(c, d.ID)
	must(t, err)
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("Document = %+v\nwant %+v", got, d)
	}
	next := d
	next.Visibility, next.Members, next.Status = labs.VisLab, nil, labs.StatusOpen
	next.Fields = map[string]string{"scope": "meso", "costs": "low"}
	next.LogicMap = labs.LogicMap{}
	next.UpdatedAt = base.Add(time.Minute)
	must(t, s.UpdateDocument(c, next))
	got, err = s.Document(c, d.ID)
	must(t, err)
	next.Revision = 1
	if !reflect.DeepEqual(got, next) {
		t.Fatalf("after update = %+v\nwant %+v", got, next)
	}
	listed, _, err := s.ListDocuments(c, id[0], labs.Page{})
	must(t, err)
	if len(listed) != 1 || listed[0].Visibility != labs.VisLab || listed[0].Status != labs.StatusOpen {
		t.Fatalf("listing = %+v", listed)
	}
}

func testMembershipUpdate(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(3)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	acc := newAccount(id[1], email(1))
	acc.PartnerOrgID = "org"
	must(t, s.CreateAccount(c, acc))
	if got, err := s.Account(c, acc.ID); err != nil || got.PartnerOrgID != "org" {
		t.Fatalf("account partner org = %q, %v", got.PartnerOrgID, err)
	}
	m := labs.Membership{LabID: id[0], AccountID: id[1], Role: labs.RoleServiceUser, StakeholderLevel: labs.LevelMicro,
		DisplayName: "Kari", JoinedAt: base}
	must(t, s.AddMembership(c, m))
	m.Role, m.StakeholderLevel, m.Sector, m.DisplayName = labs.RoleFrontlineStaff, labs.LevelMeso, "health", "Nurse K"
	must(t, s.UpdateMembership(c, m))
	got, err := s.Membership(c, id[0], id[1])
	must(t, err)
	if !reflect.DeepEqual(got, m) {
		t.Fatalf("membership = %+v, want %+v", got, m)
	}
	m.AccountID = id[2]
	wantCode(t, s.UpdateMembership(c, m), labs.ENotFound)
}

func testComments(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	must(t, s.CreateDocument(c, labs.Document{ID: id[1], LabID: id[0], Kind: labs.KindNotes, Title: "N", Visibility: labs.VisLab,
		CreatedAt: base, UpdatedAt: base, Sections: []labs.Section{{ID: id[2], Key: "a", Title: "A"}}}))
	root := labs.Comment{ID: id[3], DocumentID: id[1], SectionID: id[2], AuthorID: "a", Anonymous: true, Audience: labs.VisPartners, Body: "Why 👍?",
		From: 1, To: 4, Version: 7, CreatedAt: base, UpdatedAt: base}
	reply := labs.Comment{ID: id[4], DocumentID: id[1], SectionID: id[2], ParentID: id[3], AuthorID: "b", Body: "Because",
		CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateComment(c, root))
	must(t, s.CreateComment(c, reply))
	wantCode(t, s.CreateComment(c, root), labs.EConflict)
	got, err := s.Comment(c, root.ID)
	must(t, err)
	if !reflect.DeepEqual(got, root) {
		t.Fatalf("Comment = %+v, want %+v", got, root)
	}
	root.Body, root.From, root.To, root.Version, root.Resolved = "Why?", 2, 5, 9, true
	root.Hidden = labs.Hidden{Reason: "Names a child", By: "f", At: base.Add(time.Second)}
	root.UpdatedAt = base.Add(time.Minute)
	must(t, s.UpdateComment(c, root))
	list, next, err := s.ListComments(c, id[1], labs.Page{})
	must(t, err)
	if next != "" || len(list) != 2 || !reflect.DeepEqual(list[0], root) || !reflect.DeepEqual(list[1], reply) {
		t.Fatalf("ListComments = %+v, %q", list, next)
	}
	must(t, s.DeleteComment(c, reply.ID))
	wantCode(t, s.DeleteComment(c, reply.ID), labs.ENotFound)
	_, err = s.Comment(c, reply.ID)
	wantCode(t, err, labs.ENotFound)
	reply.ID = id[5]
	wantCode(t, s.UpdateComment(c, reply), labs.ENotFound)
}

func testFeedback(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(8)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	f1 := labs.Feedback{ID: id[1], LabID: id[0], Target: labs.TargetProposal, TargetID: id[2], AuthorID: "a", Anonymous: true, Audience: labs.VisNetwork,
		Rating: 4, Body: "Good", CreatedAt: base, UpdatedAt: base}
	f2 := labs.Feedback{ID: id[3], LabID: id[0], Target: labs.TargetLab, TargetID: id[0], AuthorID: "b", Rating: 2, Body: "Slow",
		CreatedAt: base, UpdatedAt: base}
	must(t, s.CreateFeedback(c, f1))
	must(t, s.CreateFeedback(c, f2))
	wantCode(t, s.CreateFeedback(c, f1), labs.EConflict)
	f1.Rating, f1.Body, f1.UpdatedAt = 5, "Very good", base.Add(time.Minute)
	f1.Hidden = labs.Hidden{Reason: "Off topic", By: "f", At: base.Add(time.Minute)}
	must(t, s.UpdateFeedback(c, f1))
	got, err := s.Feedback(c, f1.ID)
	must(t, err)
	if !reflect.DeepEqual(got, f1) {
		t.Fatalf("Feedback = %+v, want %+v", got, f1)
	}
	list, _, err := s.ListFeedback(c, id[0], labs.TargetProposal, id[2], labs.Page{})
	must(t, err)
	if len(list) != 1 || list[0].ID != f1.ID {
		t.Fatalf("feedback on the proposal = %+v", list)
	}
	list, _, err = s.ListFeedback(c, id[0], labs.TargetLab, id[0], labs.Page{})
	must(t, err)
	if len(list) != 1 || !reflect.DeepEqual(list[0], f2) {
		t.Fatalf("feedback on the lab = %+v", list)
	}
	must(t, s.DeleteFeedback(c, f1.ID))
	wantCode(t, s.DeleteFeedback(c, f1.ID), labs.ENotFound)
	wantCode(t, s.UpdateFeedback(c, f1), labs.ENotFound)
}

func testAuditAndPartners(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(12)
	var want []labs.AuditEntry
	for i := 1; i <= 5; i++ {
		e := labs.AuditEntry{ID: id[i], LabID: id[0], ActorID: "f", Action: "document.visibility", Object: id[10],
			Detail: map[string]string{"from": "lab", "to": "partners"}, At: base.Add(time.Duration(i) * time.Second)}
		must(t, s.AppendAudit(c, e))
		want = append(want, e)
	}
	must(t, s.AppendAudit(c, labs.AuditEntry{ID: id[6], ActorID: "admin", Action: "account.create", Object: "x", At: base}))
	wantCode(t, s.AppendAudit(c, want[0]), labs.EConflict)
	page1, next, err := s.ListAudit(c, id[0], labs.Page{Limit: 3})
	must(t, err)
	page2, last, err := s.ListAudit(c, id[0], labs.Page{After: next, Limit: 3})
	must(t, err)
	if got := append(page1, page2...); last != "" || !reflect.DeepEqual(got, want) {
		t.Fatalf("audit = %+v (next %q), want %+v", got, last, want)
	}
	// Only the actions asked for, paged by ID like the whole log.
	for i, action := range []string{"comment.hide", "idea.hide", "member.role", "comment.hide"} {
		must(t, s.AppendAudit(c, labs.AuditEntry{ID: fmt.Sprintf("%s-%d", id[9], i), LabID: id[0], ActorID: "f", Action: action, Object: id[10], At: base}))
	}
	modPage, modNext, err := s.ListAuditActions(c, id[0], []string{"comment.hide", "idea.hide"}, labs.Page{Limit: 2})
	must(t, err)
	modRest, modLast, err := s.ListAuditActions(c, id[0], []string{"comment.hide", "idea.hide"}, labs.Page{After: modNext, Limit: 2})
	must(t, err)
	var gotActions []string
	for _, e := range append(modPage, modRest...) {
		gotActions = append(gotActions, e.Action)
	}
	if modLast != "" || strings.Join(gotActions, ",") != "comment.hide,idea.hide,comment.hide" {
		t.Fatalf("moderation entries = %v (next %q)", gotActions, modLast)
	}
	if none, _, err := s.ListAuditActions(c, id[1], []string{"comment.hide"}, labs.Page{}); err != nil || len(none) != 0 {
		t.Fatalf("another lab's moderation = %+v, %v", none, err)
	}
	if outside, _, err := s.ListAudit(c, "", labs.Page{}); err != nil || len(outside) != 1 || outside[0].Detail != nil && len(outside[0].Detail) != 0 {
		t.Fatalf("entries outside labs = %+v, %v", outside, err)
	}

	o := labs.PartnerOrg{ID: id[7], Name: "Partner", Country: "SI", CreatedAt: base}
	must(t, s.CreatePartnerOrg(c, o))
	wantCode(t, s.CreatePartnerOrg(c, o), labs.EConflict)
	got, err := s.PartnerOrg(c, o.ID)
	must(t, err)
	if got != o {
		t.Fatalf("PartnerOrg = %+v, want %+v", got, o)
	}
	_, err = s.PartnerOrg(c, id[8])
	wantCode(t, err, labs.ENotFound)
	orgs, _, err := s.ListPartnerOrgs(c, labs.Page{})
	if err != nil || len(orgs) != 1 || orgs[0] != o {
		t.Fatalf("ListPartnerOrgs = %+v, %v", orgs, err)
	}
}

// testNetworkDocuments: a synthesis belongs to no lab; it is listed with
// the partner network's documents and in no lab's listing. A section's own
// level is kept through an update.
func testNetworkDocuments(t *testing.T, newStore Factory) {
	s, c := newStore(t), ctx(t)
	id := ids(6)
	must(t, s.CreateLab(c, newLab(id[0], "lab")))
	inLab := labs.Document{ID: id[1], LabID: id[0], Kind: labs.KindBaseline, Title: "Baseline", Visibility: labs.VisPartners,
		CreatedBy: "a", CreatedAt: base, UpdatedAt: base,
		Sections: []labs.Section{{ID: id[2], Key: "k", Title: "Open"}, {ID: id[3], Key: "c", Title: "Kept in the lab", Visibility: labs.VisLab}}}
	synthesis := labs.Document{ID: id[4], Kind: labs.KindSynthesis, Template: "synthesis@1", Title: "Compared", Visibility: labs.VisPartners,
		CreatedBy: "p", CreatedAt: base, UpdatedAt: base, Sections: []labs.Section{{ID: id[5], Key: "k", Title: "Countries", Text: "NO, SI"}}}
	must(t, s.CreateDocument(c, inLab))
	must(t, s.CreateDocument(c, synthesis))
	got, err := s.Document(c, synthesis.ID)
	must(t, err)
	if !reflect.DeepEqual(got, synthesis) || !got.InNetwork() {
		t.Fatalf("synthesis = %+v\nwant %+v", got, synthesis)
	}
	network, _, err := s.ListDocuments(c, "", labs.Page{})
	must(t, err)
	if len(network) != 1 || network[0].ID != synthesis.ID {
		t.Fatalf("the network's documents = %+v", network)
	}
	inLabs, _, err := s.ListDocuments(c, id[0], labs.Page{})
	must(t, err)
	if len(inLabs) != 1 || inLabs[0].ID != inLab.ID {
		t.Fatalf("the lab's documents = %+v", inLabs)
	}
	got, err = s.Document(c, inLab.ID)
	must(t, err)
	if got.Sections[0].Visibility != "" || got.Sections[1].Visibility != labs.VisLab {
		t.Fatalf("section levels = %q, %q", got.Sections[0].Visibility, got.Sections[1].Visibility)
	}
	got.Sections[0].Visibility, got.Sections[1].Visibility = labs.VisPartners, ""
	must(t, s.UpdateDocument(c, got))
	got, err = s.Document(c, inLab.ID)
	must(t, err)
	if got.Sections[0].Visibility != labs.VisPartners || got.Sections[1].Visibility != "" {
		t.Fatalf("section levels after update = %q, %q", got.Sections[0].Visibility, got.Sections[1].Visibility)
	}
}
