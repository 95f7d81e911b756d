package server

import (
	"time"

	"github.com/linklab/linklab/labs"
)

// Views are the JSON shapes the API returns. They are separate from the
// domain types so that nothing (a password hash, an author of anonymous
// text) leaves the server by accident when a field is added to the domain.

type accountView struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	DisplayName  string    `json:"displayName"`
	Admin        bool      `json:"admin"`
	Disabled     bool      `json:"disabled"`
	PartnerOrgID string    `json:"partnerOrgId,omitempty"`
	CreatedAt    time.Time `json:"createdAt"`
}

func viewAccount(a labs.Account) accountView {
	return accountView{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Admin: a.Admin, Disabled: a.Disabled,
		PartnerOrgID: a.PartnerOrgID, CreatedAt: a.CreatedAt}
}

type labView struct {
	ID                string           `json:"id"`
	Slug              string           `json:"slug"`
	Country           string           `json:"country"`
	Title             string           `json:"title"`
	TargetGroup       labs.TargetGroup `json:"targetGroup"`
	Description       string           `json:"description"`
	Languages         []string         `json:"languages"`
	DefaultVisibility labs.Visibility  `json:"defaultVisibility"`
	MyRole            labs.Role        `json:"myRole,omitempty"`
	UpdatedAt         time.Time        `json:"updatedAt"`
}

func viewLab(l labs.Lab) labView {
	langs := l.Languages
	if langs == nil {
		langs = []string{}
	}
	return labView{ID: l.ID, Slug: l.Slug, Country: l.Country, Title: l.Title, TargetGroup: l.TargetGroup,
		Description: l.Description, Languages: langs, DefaultVisibility: l.DefaultVisibility, UpdatedAt: l.UpdatedAt}
}

type memberView struct {
	AccountID        string                `json:"accountId"`
	DisplayName      string                `json:"displayName"`
	Role             labs.Role             `json:"role"`
	StakeholderLevel labs.StakeholderLevel `json:"stakeholderLevel,omitempty"`
	Sector           string                `json:"sector,omitempty"`
	JoinedAt         time.Time             `json:"joinedAt"`
}

func viewMember(m labs.Membership) memberView {
	return memberView{AccountID: m.AccountID, DisplayName: m.DisplayName, Role: m.Role,
		StakeholderLevel: m.StakeholderLevel, Sector: m.Sector, JoinedAt: m.JoinedAt}
}

type invitationView struct {
	ID        string     `json:"id"`
	Email     string     `json:"email,omitempty"`
	LabID     string     `json:"labId,omitempty"`
	Role      labs.Role  `json:"role,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
	ExpiresAt time.Time  `json:"expiresAt"`
	UsedAt    *time.Time `json:"usedAt,omitempty"`
	// Link is returned once, when the invitation is created.
	Link string `json:"link,omitempty"`
}

func viewInvitation(inv labs.Invitation) invitationView {
	v := invitationView{ID: inv.ID, Email: inv.Email, LabID: inv.LabID, Role: inv.Role, CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt}
	if !inv.UsedAt.IsZero() {
		v.UsedAt = &inv.UsedAt
	}
	return v
}
