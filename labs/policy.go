package labs

import "context"

// PolicyRule is one line of an authorization policy as casbin stores it:
// a type ("p", "g", ...) and up to six values. Rules are unique.
type PolicyRule struct {
	PType string
	V     [6]string
}

// PolicyRuleStore persists authorization rules for the policy engine.
type PolicyRuleStore interface {
	// PolicyRules returns every rule in insertion-independent, stable order
	// (by type, then values).
	PolicyRules(ctx context.Context) ([]PolicyRule, error)
	// AddPolicyRules inserts rules; all or none. EConflict if one exists.
	AddPolicyRules(ctx context.Context, rules []PolicyRule) error
	// RemovePolicyRules deletes rules; missing ones are ignored.
	RemovePolicyRules(ctx context.Context, rules []PolicyRule) error
	// RemoveFilteredPolicyRules deletes the rules of ptype whose values,
	// from index field on, equal the non-empty entries of values.
	RemoveFilteredPolicyRules(ctx context.Context, ptype string, field int, values ...string) error
	// ReplacePolicyRules replaces the whole rule set.
	ReplacePolicyRules(ctx context.Context, rules []PolicyRule) error
}

// Store is everything an engine provides.
type Store interface {
	AccountStore
	SessionStore
	LabStore
	MembershipStore
	InvitationStore
	DocumentStore
	ChangeStore
	PolicyRuleStore
	CommentStore
	FeedbackStore
	AuditStore
	PartnerOrgStore
	WorkshopStore
	RoomStore
	VoteStore
	VersionStore
	ThemeStore
	CitationStore
	SearchStore
	// Ping checks the store is reachable.
	Ping(ctx context.Context) error
	// Close releases the engine's resources.
	Close() error
}
