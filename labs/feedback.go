package labs

import (
	"context"
	"time"
)

// FeedbackTarget is what feedback is about.
type FeedbackTarget string

// Feedback targets.
const (
	TargetProposal FeedbackTarget = "proposal"
	TargetSession  FeedbackTarget = "session"
	TargetLab      FeedbackTarget = "lab"
)

// Feedback is a short rating with a text, on a proposal, a session or the lab.
type Feedback struct {
	ID        string
	LabID     string
	Target    FeedbackTarget
	TargetID  string // the proposal or session; the lab's ID for the lab
	AuthorID  string // stored for the author's own edits; never shown when Anonymous
	Anonymous bool
	// Audience is who the writer chose to read it, as a comment's; feedback
	// on the lab itself is the lab's.
	Audience  Visibility
	Rating    int // 1 to 5
	Body      string
	Hidden    Hidden
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Rating bounds.
const (
	MinRating = 1
	MaxRating = 5
)

// FeedbackStore persists feedback.
type FeedbackStore interface {
	// CreateFeedback inserts f: EConflict if the ID exists.
	CreateFeedback(ctx context.Context, f Feedback) error
	// Feedback returns one item, or ENotFound.
	Feedback(ctx context.Context, id string) (Feedback, error)
	// ListFeedback returns a lab's feedback on one target, ordered by ID.
	ListFeedback(ctx context.Context, labID string, target FeedbackTarget, targetID string, p Page) ([]Feedback, string, error)
	// UpdateFeedback replaces the rating, body and hidden state: ENotFound.
	UpdateFeedback(ctx context.Context, f Feedback) error
	// DeleteFeedback removes an item: ENotFound if it is gone.
	DeleteFeedback(ctx context.Context, id string) error
}
