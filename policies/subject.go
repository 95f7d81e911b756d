package policies

import "github.com/linklab/linklab/labs"

// Subject is who makes a request, as far as authorization is concerned.
type Subject struct {
	SignedIn bool
	Admin    bool
	// LabRole is the person's role in the lab the request is about; empty
	// when the request is about no lab or the person is not a member.
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
	if s.LabRole != "" {
		roles = append(roles, string(s.LabRole))
	}
	return roles
}
