package labs

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Comment is a remark on a section of a document, anchored to a text range
// that the server keeps attached as the text changes. Replies share their
// thread's root (ParentID) and its anchor.
type Comment struct {
	ID         string
	DocumentID string
	SectionID  string
	ParentID   string // "" for the first comment of a thread
	AuthorID   string // stored for the author's own edits; never shown when Anonymous
	Anonymous  bool
	// Audience is who the writer chose to read it: "" for the document's
	// discussion level (the lab), or wider up to the document's level.
	Audience Visibility
	Body     string
	// Anchor: the range [From, To) in UTF-16 units of the section's text
	// at version Version. Readers map it to the current text.
	From, To, Version int
	Resolved          bool
	Hidden            Hidden
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Hidden records a facilitator's moderation: the item stays stored and
// its author still sees it; others see the reason instead of the text.
type Hidden struct {
	Reason string
	By     string // the facilitator's account ID
	At     time.Time
}

// IsHidden reports whether the item is hidden.
func (h Hidden) IsHidden() bool { return h.Reason != "" }

// Limits on comments and feedback.
const (
	MaxCommentLength      = 4000
	MaxHideReasonLength   = 500
	MaxFeedbackLength     = 8000
	MaxCommentsPerSection = 2000
)

// ValidateBody trims and checks the text of a comment or feedback.
func ValidateBody(body string, max int) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" {
		return "", Errorf(EInvalid, "The text is empty.")
	}
	if utf8.RuneCountInString(body) > max {
		return "", Errorf(EInvalid, "The text is longer than %d characters.", max)
	}
	return body, nil
}

// ValidateReason checks a moderation reason.
func ValidateReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > MaxHideReasonLength {
		return "", Errorf(EInvalid, "Give a reason of 1 to %d characters for hiding this.", MaxHideReasonLength)
	}
	return reason, nil
}

// CommentStore persists comments.
type CommentStore interface {
	// CreateComment inserts c: EConflict if the ID exists.
	CreateComment(ctx context.Context, c Comment) error
	// Comment returns a comment, or ENotFound.
	Comment(ctx context.Context, id string) (Comment, error)
	// ListComments returns a document's comments ordered by ID.
	ListComments(ctx context.Context, documentID string, p Page) ([]Comment, string, error)
	// UpdateComment replaces a stored comment's body, anchor, resolved and
	// hidden state: ENotFound if it is gone.
	UpdateComment(ctx context.Context, c Comment) error
	// DeleteComment removes a comment: ENotFound if it is gone.
	DeleteComment(ctx context.Context, id string) error
}
