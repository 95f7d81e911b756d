// Package demo fills a store with the demo labs: six LINK labs with members
// in every role and the start of their baselines. Seeding is idempotent:
// what exists already is left as it is.
package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
)

// Password is every demo account's password. Demo data is only created
// when asked for; never use it for real work.
const Password = "linklab-demo"

// AdminEmail is the demo administrator's address.
const AdminEmail = "admin@demo.linklab.example"

// Credential is a demo account to print.
type Credential struct {
	Email string
	Lab   string
	Role  string
}

// member is one demo person per role; display names are pseudonyms, as
// many participants will choose.
// The target group and the frontline have two voices each in every lab.
var members = []struct {
	role         labs.Role
	n            int // 1 for the first person in the role, 2 for the second
	level        labs.StakeholderLevel
	sector, name string
}{
	{labs.RoleFacilitator, 1, labs.LevelNone, "", "Facilitator"},
	{labs.RoleServiceUser, 1, labs.LevelMicro, "", "Parent"},
	{labs.RoleServiceUser, 2, labs.LevelMicro, "", "Parent"},
	{labs.RoleFrontlineStaff, 1, labs.LevelMicro, "social-services", "Social worker"},
	{labs.RoleFrontlineStaff, 2, labs.LevelMicro, "education", "School counsellor"},
	{labs.RoleManager, 1, labs.LevelMeso, "health", "Service manager"},
	{labs.RolePolicymaker, 1, labs.LevelMacro, "", "Councillor"},
}

// Email returns the demo address of the first person in a role in a lab.
func Email(role labs.Role, country string) string { return email(role, 1, country) }

func email(role labs.Role, n int, country string) string {
	suffix := ""
	if n > 1 {
		suffix = fmt.Sprintf("-%d", n)
	}
	return fmt.Sprintf("%s%s.%s@demo.linklab.example", strings.ReplaceAll(string(role), "_", "-"), suffix, strings.ToLower(country))
}

// Seed creates whatever of the demo data is missing and returns the demo
// accounts.
func Seed(ctx context.Context, store labs.Store, svc *auth.Service) ([]Credential, error) {
	admin, err := ensureAccount(ctx, store, svc, AdminEmail, "Demo admin", true)
	if err != nil {
		return nil, err
	}
	creds := []Credential{{Email: admin.Email, Role: "admin"}}
	tpl, err := content.LoadTemplate("baseline")
	if err != nil {
		return nil, err
	}
	for _, dl := range demoLabs {
		lab, err := ensureLab(ctx, store, svc, dl, tpl)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			name := m.name
			if m.role == labs.RoleServiceUser && lab.TargetGroup != labs.TargetFamilies {
				name = map[labs.TargetGroup]string{labs.TargetYouths: "Young person", labs.TargetElderly: "Older resident"}[lab.TargetGroup]
			}
			if m.n > 1 {
				name = fmt.Sprintf("%s %d", name, m.n)
			}
			email := email(m.role, m.n, lab.Country)
			acc, err := ensureAccount(ctx, store, svc, email, name+" ("+lab.Country+")", false)
			if err != nil {
				return nil, err
			}
			err = store.AddMembership(ctx, labs.Membership{LabID: lab.ID, AccountID: acc.ID, Role: m.role,
				StakeholderLevel: m.level, Sector: m.sector, DisplayName: name, JoinedAt: svc.Now()})
			if err != nil && !labs.IsCode(err, labs.EConflict) {
				return nil, fmt.Errorf("demo member %s: %w", email, err)
			}
			creds = append(creds, Credential{Email: email, Lab: lab.Slug, Role: string(m.role)})
		}
		if lab.Slug == "norway" {
			if err := ensureProposal(ctx, store, svc, lab); err != nil {
				return nil, err
			}
		}
	}
	partner, err := ensurePartner(ctx, store, svc)
	if err != nil {
		return nil, err
	}
	if err := ensureSynthesis(ctx, store, svc, partner); err != nil {
		return nil, err
	}
	return append(creds, Credential{Email: partner.Email, Role: "partner"}), nil
}

// PartnerEmail is the demo national partner's address.
const PartnerEmail = "partner@demo.linklab.example"

// ensurePartner creates a partner organisation and its partner, who reads
// what the labs share with partners (the Norwegian and Slovenian baselines).
func ensurePartner(ctx context.Context, store labs.Store, svc *auth.Service) (labs.Account, error) {
	acc, err := ensureAccount(ctx, store, svc, PartnerEmail, "Network partner", false)
	if err != nil || acc.PartnerOrgID != "" {
		return acc, err
	}
	now := svc.Now()
	org := labs.PartnerOrg{ID: labs.NewID(now), Name: "LINK network partners", Country: "NO", CreatedAt: now}
	if err := store.CreatePartnerOrg(ctx, org); err != nil {
		return acc, fmt.Errorf("demo partner organisation: %w", err)
	}
	id := org.ID
	return svc.UpdateAccount(ctx, acc.ID, auth.AccountUpdate{PartnerOrgID: &id})
}

// ensureSynthesis starts the partners' first synthesis, comparing the two
// baselines shared with them.
func ensureSynthesis(ctx context.Context, store labs.Store, svc *auth.Service, partner labs.Account) error {
	have, _, err := store.ListDocuments(ctx, "", labs.Page{Limit: 1})
	if err != nil || len(have) > 0 {
		return err
	}
	tpl, err := content.LoadTemplate("synthesis")
	if err != nil {
		return err
	}
	d := tpl.NewDocument("", partner.ID, labs.VisPartners, svc.Now())
	d.Title = "Families and young people: Norway and Slovenia compared"
	text := map[string]string{
		"countries": "The Norwegian and Slovenian baselines, both on families with multiple challenges and both shared with the partners.",
		"shared-challenges": "- Services work in parallel: each family or young person meets several offices that do not share a plan.\n" +
			"- Frontline staff have little time for the people they serve.",
	}
	for i, sec := range d.Sections {
		if t, ok := text[sec.Key]; ok {
			d.Sections[i].Text = t + "\n"
		}
	}
	if err := store.CreateDocument(ctx, d); err != nil {
		return fmt.Errorf("demo synthesis: %w", err)
	}
	return nil
}

// ensureProposal gives the Norwegian lab one innovation proposal, open for
// feedback, with its fields, a logic map, a comment and anonymous feedback.
func ensureProposal(ctx context.Context, store labs.Store, svc *auth.Service, lab labs.Lab) error {
	docs, _, err := store.ListDocuments(ctx, lab.ID, labs.Page{Limit: labs.MaxPageLimit})
	if err != nil {
		return err
	}
	for _, d := range docs {
		if d.Kind == labs.KindProposal {
			return nil
		}
	}
	staff, err := store.AccountByEmail(ctx, email(labs.RoleFrontlineStaff, 1, lab.Country))
	if err != nil {
		return err
	}
	parent, err := store.AccountByEmail(ctx, email(labs.RoleServiceUser, 1, lab.Country))
	if err != nil {
		return err
	}
	tpl, err := content.LoadTemplate("proposal")
	if err != nil {
		return err
	}
	now := svc.Now()
	d := tpl.NewDocument(lab.ID, staff.ID, labs.VisLab, now)
	d.Title, d.Status = "One family coordinator", labs.StatusOpen
	d.Fields = map[string]string{"scope": "meso", "leadership": "collaborative", "involvement": "team,care", "evaluation": "planned"}
	d.LogicMap = labs.LogicMap{
		Elements: []labs.LogicElement{
			{ID: "coordinator", Text: "One coordinator the family chooses", Outcomes: []string{"fewer-meetings", "trust"}},
			{ID: "shared-plan", Text: "One shared plan across services", Outcomes: []string{"fewer-meetings", "work-school"}},
		},
		Outcomes: []labs.Outcome{
			{ID: "fewer-meetings", Text: "Fewer meetings, one story told once", Term: "short"},
			{ID: "trust", Text: "The family trusts the services", Term: "short"},
			{ID: "work-school", Text: "Parents in work, children in school", Term: "long"},
		},
	}
	texts := map[string]string{
		"summary": "Each family that meets several services gets **one coordinator**, chosen with the family, who holds the shared plan.",
		"aims":    "Families tell their story once. Services plan together, with the family at the table.",
	}
	for i, sec := range d.Sections {
		d.Sections[i].Text = texts[sec.Key]
	}
	if err := store.CreateDocument(ctx, d); err != nil {
		return fmt.Errorf("demo proposal: %w", err)
	}
	comment := labs.Comment{ID: labs.NewID(now), DocumentID: d.ID, SectionID: d.Sections[1].ID, AuthorID: staff.ID,
		Body: "Who pays for the coordinator's time?", From: 0, To: 0, CreatedAt: now, UpdatedAt: now}
	if err := store.CreateComment(ctx, comment); err != nil {
		return fmt.Errorf("demo comment: %w", err)
	}
	// Anonymous: what is stored is the parent's mark, not the parent.
	key, err := svc.AnonymityKey(ctx, parent, Password)
	if err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	fb := labs.Feedback{ID: labs.NewID(now), LabID: lab.ID, Target: labs.TargetProposal, TargetID: d.ID,
		Anonymous: true, Rating: 5, Body: "This is what we asked for: one person who knows us.", CreatedAt: now, UpdatedAt: now}
	fb.AuthorID = auth.AuthorMark(key, fb.ID)
	if err := store.CreateFeedback(ctx, fb); err != nil {
		return fmt.Errorf("demo feedback: %w", err)
	}
	return nil
}

func ensureAccount(ctx context.Context, store labs.Store, svc *auth.Service, email, name string, admin bool) (labs.Account, error) {
	acc, err := store.AccountByEmail(ctx, email)
	if err == nil || !labs.IsCode(err, labs.ENotFound) {
		return acc, err
	}
	acc, err = svc.CreateAccount(ctx, auth.NewAccount{Email: email, DisplayName: name, Password: Password, Admin: admin})
	if err != nil {
		return acc, fmt.Errorf("demo account %s: %w", email, err)
	}
	return acc, nil
}

func ensureLab(ctx context.Context, store labs.Store, svc *auth.Service, dl demoLab, tpl content.Template) (labs.Lab, error) {
	l, err := store.LabBySlug(ctx, dl.lab.Slug)
	if err == nil || !labs.IsCode(err, labs.ENotFound) {
		return l, err
	}
	now := svc.Now()
	l = dl.lab
	l.ID, l.CreatedAt, l.UpdatedAt = labs.NewID(now), now, now
	if err := l.Validate(); err != nil {
		return l, fmt.Errorf("demo lab %s: %w", l.Slug, err)
	}
	if err := store.CreateLab(ctx, l); err != nil {
		return l, fmt.Errorf("demo lab %s: %w", l.Slug, err)
	}
	// Two labs have shared their baseline with the partners already.
	vis := labs.VisLab
	if l.Country == "NO" || l.Country == "SI" {
		vis = labs.VisPartners
	}
	doc := tpl.NewDocument(l.ID, "", vis, now)
	doc.Title = "Baseline: " + l.Title
	for i, sec := range doc.Sections {
		if vis == labs.VisPartners && sec.Key == "main-challenges" {
			doc.Sections[i].Visibility = labs.VisLab // the lab's own account of where support fails stays in the lab
		}
		if text, ok := dl.baseline[sec.Key]; ok {
			doc.Sections[i].Text = text + "\n"
		}
	}
	if err := store.CreateDocument(ctx, doc); err != nil {
		return l, fmt.Errorf("demo baseline of %s: %w", l.Slug, err)
	}
	return l, nil
}
