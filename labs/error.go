package labs

import (
	"errors"
	"fmt"
)

// Error codes. They are part of the API: clients match on them, so a code
// is never renamed, and new codes are added rarely.
const (
	EInvalid         = "invalid"
	EUnauthenticated = "unauthenticated"
	EForbidden       = "forbidden"
	ENotFound        = "not_found"
	EConflict        = "conflict"
	ETooLarge        = "too_large"
	ERateLimited     = "rate_limited"
	EInternal        = "internal"
)

// Error is the domain error. Message is safe to show to the person who made
// the request; it never contains another person's data, a secret or a driver
// message. Err is the cause, for logs only.
type Error struct {
	Code    string
	Message string
	// Reason names what went wrong more finely than Code, for the errors
	// people meet in the app: the app shows its own words for a reason in
	// the person's language, and Message where it has none. Like codes,
	// reasons are part of the API and never renamed.
	Reason string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Because gives e a reason (see Error.Reason) and returns it.
func (e *Error) Because(reason string) *Error {
	e.Reason = reason
	return e
}

// ErrorReason returns the reason of the first *Error in err's chain, or "".
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the safe message of the first *Error in err's chain,
// or a generic message for errors that are not domain errors, whose text may
// carry internals.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "An internal error occurred."
}

// IsCode reports whether err carries the given domain code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }
