package labs

import (
	"context"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Account is a person who can sign in. Being an admin lets a person manage
// accounts and labs; it gives no access to lab content.
type Account struct {
	ID           string
	Email        string // normalized by NormalizeEmail; unique
	DisplayName  string
	PasswordHash string // PHC-formatted argon2id; never leaves the server
	Admin        bool
	Disabled     bool
	// PartnerOrgID makes the person a national partner: they read what
	// every lab shares with partners.
	PartnerOrgID string
	// Language and PlainView are the person's preferences for the app,
	// kept on the account so they follow the person to any device.
	// Language "" means the browser's.
	Language  string
	PlainView bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Limits on account fields.
const (
	MaxEmailLength       = 254
	MaxDisplayNameLength = 80
	MinPasswordLength    = 10
	MaxPasswordLength    = 256
)

// NormalizeEmail trims and lower-cases an address and checks it is a single
// plain address. It returns EInvalid with a message naming the problem.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", Errorf(EInvalid, "E-mail address is required.")
	}
	if len(s) > MaxEmailLength {
		return "", Errorf(EInvalid, "E-mail address is longer than %d characters.", MaxEmailLength)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !plausibleEmail(s) {
		return "", Errorf(EInvalid, "E-mail address is not valid: use the form name@example.org.")
	}
	return s, nil
}

// plausibleEmail refuses what the mail parser lets through but no mail
// system delivers to: control, format and private-use characters anywhere,
// and a domain that is not a host name (labels of letters, digits and
// hyphens; one label is allowed, so an operator's admin@localhost set up
// before this check can still sign in).
func plausibleEmail(s string) bool {
	if strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs) || r == utf8.RuneError
	}) {
		return false
	}
	_, domain, ok := strings.Cut(s, "@")
	labels := strings.Split(domain, ".")
	if !ok {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' ||
			strings.ContainsFunc(l, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' }) {
			return false
		}
	}
	return true
}

// ValidateDisplayName checks a display name or pseudonym.
func ValidateDisplayName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", Errorf(EInvalid, "Display name is required.")
	}
	if utf8.RuneCountInString(s) > MaxDisplayNameLength {
		return "", Errorf(EInvalid, "Display name is longer than %d characters.", MaxDisplayNameLength)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", Errorf(EInvalid, "Display name contains control characters.")
	}
	return s, nil
}

// ValidateLanguage checks a preferred language: "" (the browser's) or a
// language tag such as "nb", "pt-BR" or "sr-Cyrl". The app shows English for a
// language it has no strings in, so any well-formed tag is accepted.
func ValidateLanguage(s string) error {
	if s == "" {
		return nil
	}
	lang, region, hasRegion := strings.Cut(s, "-")
	letters := func(x string, min, max int, lo bool) bool {
		if len(x) < min || len(x) > max {
			return false
		}
		for _, r := range x {
			if lo && (r < 'a' || r > 'z') || !lo && (r < 'A' || r > 'Z') {
				return false
			}
		}
		return true
	}
	// The second part is a region ("pt-BR") or a script ("sr-Cyrl").
	script := len(region) == 4 && letters(region[:1], 1, 1, false) && letters(region[1:], 3, 3, true)
	if !letters(lang, 2, 3, true) || hasRegion && !letters(region, 2, 2, false) && !script {
		return Errorf(EInvalid, "language must be a language code such as \"nb\", \"es\", \"pt-BR\" or \"sr-Cyrl\" (or empty for the browser's).")
	}
	return nil
}

// ValidatePassword checks a new password's length. Length, not character
// classes, is what makes a password strong; the upper bound keeps hashing
// cost bounded.
func ValidatePassword(s string) error {
	n := utf8.RuneCountInString(s)
	if n < MinPasswordLength {
		return Errorf(EInvalid, "Password must be at least %d characters long.", MinPasswordLength).Because("password_short")
	}
	if len(s) > MaxPasswordLength {
		return Errorf(EInvalid, "Password must be at most %d bytes long.", MaxPasswordLength)
	}
	return nil
}

// AccountStore persists accounts.
type AccountStore interface {
	// CreateAccount inserts a. Returns EConflict if the e-mail is taken.
	CreateAccount(ctx context.Context, a Account) error
	// Account returns the account with the ID, or ENotFound.
	Account(ctx context.Context, id string) (Account, error)
	// AccountByEmail returns the account with the normalized e-mail, or ENotFound.
	AccountByEmail(ctx context.Context, email string) (Account, error)
	// UpdateAccount replaces the stored account with the same ID, all but
	// its preferences (Language, PlainView), which SetPreferences alone
	// writes. Returns ENotFound if there is none and EConflict if the new
	// e-mail is taken.
	UpdateAccount(ctx context.Context, a Account) error
	// SetPreferences changes only an account's language and plain view
	// (and its UpdatedAt). Because each of the two writes only its own
	// fields, a person saving preferences and an administrator changing
	// the account at the same moment never undo each other. ENotFound if
	// there is none.
	SetPreferences(ctx context.Context, id, language string, plainView bool, at time.Time) error
	// ListAccounts returns accounts ordered by ID and the cursor of the next page.
	ListAccounts(ctx context.Context, p Page) ([]Account, string, error)
	// CountAdmins counts enabled admin accounts.
	CountAdmins(ctx context.Context) (int, error)
}
