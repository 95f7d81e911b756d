package policies

import "github.com/linklab/linklab/labs"

// Subject is who makes a request, as far as authorization is concerned.
type Subject struct {
	SignedIn bool
	Admin    bool
	// Partner is set for members of a national partner organisation.
	Partner bool
	// LabRole is the person's role in the lab the object belongs to; empty
	// when the object belongs to no lab or the person is not a member.
	LabRole labs.Role
}

// Roles returns the policy roles the subject holds for this request.
func (s Subject) Roles() []string {
	if !s.SignedIn {
		return []string{"anyone"}
	}
	roles := []string{"user"}
	if s.Admin {
		roles = append(roles, "admin")
	}
	if s.Partner {
		roles = append(roles, "partner")
	}
	if s.LabRole != "" {
		roles = append(roles, string(s.LabRole))
	}
	return roles
}

// Relation is the requester's relation to an item.
type Relation string

// Relations.
const (
	RelNone   Relation = "none"
	RelAuthor Relation = "author" // wrote it, or is the member it is about
	RelNamed  Relation = "named"  // named on a restricted document
)

// Relations lists every relation.
var Relations = []Relation{RelAuthor, RelNamed, RelNone}
