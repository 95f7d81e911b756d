package labs

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Role is what a member does in a lab. The four participant roles carry
// exactly the same rights: the difference is who they are, not what they
// may do (equal voice).
type Role string

// Lab roles.
const (
	RoleServiceUser    Role = "service_user"
	RoleFrontlineStaff Role = "frontline_staff"
	RoleManager        Role = "manager"
	RolePolicymaker    Role = "policymaker"
	RoleFacilitator    Role = "facilitator"
)

// ParticipantRoles are the roles with equal voice.
var ParticipantRoles = []Role{RoleServiceUser, RoleFrontlineStaff, RoleManager, RolePolicymaker}

// Roles lists every lab role.
var Roles = append(slices.Clone(ParticipantRoles), RoleFacilitator)

// Valid reports whether r is a lab role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// RoleCoauthor is a national partner's role in the partner network, the
// space outside every lab where partners co-write syntheses. Nobody holds
// it in a lab: it is given by being a partner, not by an invitation.
const RoleCoauthor Role = "coauthor"

// StakeholderLevel is where in the welfare system a participant stands.
type StakeholderLevel string

// Stakeholder levels.
const (
	LevelNone  StakeholderLevel = "" // facilitators stand outside the levels
	LevelMicro StakeholderLevel = "micro"
	LevelMeso  StakeholderLevel = "meso"
	LevelMacro StakeholderLevel = "macro"
)

// Sectors are where frontline staff, managers and policymakers work:
// integrated care is about these sectors meeting.
var Sectors = []string{"health", "social-services", "education", "employment", "housing", "culture-leisure",
	"ngo-volunteer", "police-justice", "other"}

// legacySectors are the spellings invitations took before there was one
// list, still accepted and stored as the names in Sectors.
var legacySectors = map[string]string{"social_services": "social-services", "culture_leisure": "culture-leisure",
	"ngo": "ngo-volunteer", "police_justice": "police-justice"}

// SectorOf is the sector s names, in the spelling of Sectors: an older
// spelling is taken as the sector it meant. Anything else is returned as
// it is, for ValidateProfile to refuse.
func SectorOf(s string) string {
	if v, ok := legacySectors[s]; ok {
		return v
	}
	return s
}

// Levels lists the stakeholder levels a participant may record.
var Levels = []StakeholderLevel{LevelMicro, LevelMeso, LevelMacro}

// ValidateProfile checks a member's stakeholder level and sector: a
// participant records a level (or none yet), staff roles a sector, and a
// facilitator neither, standing outside the levels.
func (m Membership) ValidateProfile() error {
	if m.StakeholderLevel != LevelNone && !slices.Contains(Levels, m.StakeholderLevel) {
		return Errorf(EInvalid, "Stakeholder level must be micro, meso or macro.")
	}
	if m.Sector != "" && !slices.Contains(Sectors, m.Sector) {
		return Errorf(EInvalid, "Sector must be one of %s.", strings.Join(Sectors, ", "))
	}
	if m.Role == RoleFacilitator && (m.StakeholderLevel != LevelNone || m.Sector != "") {
		return Errorf(EInvalid, "Facilitators stand outside the stakeholder levels and sectors.")
	}
	if m.Role == RoleServiceUser && m.Sector != "" {
		return Errorf(EInvalid, "A sector is recorded for people who work in services, not for service users.")
	}
	return nil
}

// Membership is one person's role in one lab.
type Membership struct {
	LabID            string
	AccountID        string
	Role             Role
	StakeholderLevel StakeholderLevel
	Sector           string
	DisplayName      string // name or pseudonym shown in this lab
	JoinedAt         time.Time
}

// MembershipStore persists memberships. A person has at most one role per lab.
type MembershipStore interface {
	// AddMembership inserts m: EConflict if the person is already a member.
	AddMembership(ctx context.Context, m Membership) error
	// Membership returns one membership, or ENotFound.
	Membership(ctx context.Context, labID, accountID string) (Membership, error)
	// ListMemberships returns a lab's members ordered by account ID, paged
	// by account ID.
	ListMemberships(ctx context.Context, labID string, p Page) ([]Membership, string, error)
	// AccountMemberships returns every membership of an account, ordered by lab ID.
	AccountMemberships(ctx context.Context, accountID string) ([]Membership, error)
	// UpdateMembership replaces a membership's role, level, sector and
	// display name: ENotFound if the person is not a member.
	UpdateMembership(ctx context.Context, m Membership) error
	// RemoveMembership deletes a membership, or returns ENotFound.
	RemoveMembership(ctx context.Context, labID, accountID string) error
}
