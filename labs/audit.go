package labs

import (
	"context"
	"strings"
	"time"
)

// AuditEntry records one consequential act: membership and role changes,
// visibility changes, moderation, lifecycle moves, exports. It never names
// the author of an anonymous item: the actor is who acted, and an entry
// about an anonymous item names the item, not its author.
type AuditEntry struct {
	ID      string
	LabID   string // "" for acts outside any lab
	ActorID string
	Action  string // e.g. "member.role", "document.visibility", "comment.hide"
	Object  string // the ID of the item acted on
	Detail  map[string]string
	At      time.Time
}

// AuditStore persists the audit log. Entries are never changed.
type AuditStore interface {
	// AppendAudit inserts an entry: EConflict if the ID exists.
	AppendAudit(ctx context.Context, e AuditEntry) error
	// ListAudit returns a lab's entries ("" for entries outside labs),
	// newest last, ordered by ID.
	ListAudit(ctx context.Context, labID string, p Page) ([]AuditEntry, string, error)
	// ListAuditActions is ListAudit of the entries with one of the given
	// actions only (the moderation log, of which every member reads).
	ListAuditActions(ctx context.Context, labID string, actions []string, p Page) ([]AuditEntry, string, error)
}

// ModerationActions are the audit actions of moderation: hiding an item
// with a reason, and showing it again.
var ModerationActions = []string{"comment.hide", "comment.unhide", "feedback.hide", "feedback.unhide", "idea.hide"}

// PartnerOrg is a national partner organisation of the network.
type PartnerOrg struct {
	ID        string
	Name      string
	Country   string // ISO 3166-1 alpha-2
	CreatedAt time.Time
}

// Validate checks a partner organisation's fields.
func (o *PartnerOrg) Validate() error {
	name, err := ValidateDisplayName(o.Name)
	if err != nil {
		return Errorf(EInvalid, "Organisation name is required, at most %d characters.", MaxDisplayNameLength)
	}
	o.Name = name
	o.Country = strings.ToUpper(strings.TrimSpace(o.Country))
	if !countryRE.MatchString(o.Country) {
		return Errorf(EInvalid, "Country must be a two-letter ISO 3166 code such as NO or ES.")
	}
	return nil
}

// PartnerOrgStore persists partner organisations.
type PartnerOrgStore interface {
	// CreatePartnerOrg inserts o: EConflict if the ID exists.
	CreatePartnerOrg(ctx context.Context, o PartnerOrg) error
	// PartnerOrg returns one, or ENotFound.
	PartnerOrg(ctx context.Context, id string) (PartnerOrg, error)
	// ListPartnerOrgs returns organisations ordered by ID.
	ListPartnerOrgs(ctx context.Context, p Page) ([]PartnerOrg, string, error)
}
