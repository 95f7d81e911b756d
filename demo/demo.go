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
	{labs.RoleFrontlineStaff, 1, labs.LevelMicro, "social_services", "Social worker"},
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
	}
	return creds, nil
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
	doc := tpl.NewDocument(l.ID, "", labs.VisLab, now)
	doc.Title = "Baseline: " + l.Title
	for i, sec := range doc.Sections {
		if text, ok := dl.baseline[sec.Key]; ok {
			doc.Sections[i].Text = text + "\n"
		}
	}
	if err := store.CreateDocument(ctx, doc); err != nil {
		return l, fmt.Errorf("demo baseline of %s: %w", l.Slug, err)
	}
	return l, nil
}
