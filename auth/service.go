package auth

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/linklab/linklab/labs"
)

// Config configures the Service. Zero values get defaults in New.
type Config struct {
	Store      labs.Store
	Hasher     Hasher        // zero Params mean DefaultParams
	SessionTTL time.Duration // default 14 days
	InviteTTL  time.Duration // default 7 days, the longest an invitation may live
	Now        func() time.Time
	Logger     *slog.Logger
}

// Service is the account service: sign-in, sessions, invitations, admins.
type Service struct {
	store      labs.Store
	hasher     Hasher
	sessionTTL time.Duration
	inviteTTL  time.Duration
	now        func() time.Time
	log        *slog.Logger
	dummyHash  string // verified against when an account does not exist, so timing does not tell

	// hashSlots bounds concurrent argon2id work: each hash takes
	// Params.MemoryKiB of memory, and a room of 200 people signing in at once
	// must queue for the CPU rather than allocate 200 times that.
	hashSlots chan struct{}

	mu         sync.Mutex
	setupToken string // hash of the one-time setup token; "" when none
}

// New returns a Service.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("auth: nil store")
	}
	if cfg.Hasher.Params == (Params{}) {
		cfg.Hasher.Params = DefaultParams
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 14 * 24 * time.Hour
	}
	if cfg.InviteTTL == 0 {
		cfg.InviteTTL = 7 * 24 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	dummy, err := cfg.Hasher.Hash(NewToken())
	if err != nil {
		return nil, err
	}
	return &Service{store: cfg.Store, hasher: cfg.Hasher, sessionTTL: cfg.SessionTTL, inviteTTL: cfg.InviteTTL,
		now: cfg.Now, log: cfg.Logger, dummyHash: dummy, hashSlots: make(chan struct{}, 2*runtime.GOMAXPROCS(0))}, nil
}

// withHashSlot runs fn while holding one of the bounded hashing slots.
func (s *Service) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return labs.Errorf(labs.ERateLimited, "LinkLab is busy signing people in. Try again in a moment.").Because("sign_in_busy")
	}
	defer func() { <-s.hashSlots }()
	fn()
	return nil
}

// Now returns the service's current time with the stores' precision.
func (s *Service) Now() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

var errBadCredentials = labs.Errorf(labs.EUnauthenticated, "The e-mail address or the password is wrong.").Because("sign_in_failed")

// CheckCredentials returns the account whose e-mail and password these
// are. A wrong e-mail and a wrong password give the same error after the
// same work, so neither the answer nor its timing tells which was wrong.
func (s *Service) CheckCredentials(ctx context.Context, email, password string) (labs.Account, error) {
	email, err := labs.NormalizeEmail(email)
	if err != nil || len(password) > labs.MaxPasswordLength {
		return labs.Account{}, errBadCredentials
	}
	acc, err := s.store.AccountByEmail(ctx, email)
	hash := acc.PasswordHash
	if err != nil {
		if !labs.IsCode(err, labs.ENotFound) {
			return labs.Account{}, fmt.Errorf("sign in: %w", err)
		}
		hash = s.dummyHash
	}
	var ok bool
	var verr error
	if err := s.withHashSlot(ctx, func() { ok, verr = s.hasher.Verify(password, hash) }); err != nil {
		return labs.Account{}, err
	}
	if verr != nil {
		return labs.Account{}, fmt.Errorf("sign in %s: %w", acc.ID, verr)
	}
	if err != nil || !ok {
		return labs.Account{}, errBadCredentials
	}
	if acc.Disabled {
		return labs.Account{}, labs.Errorf(labs.EForbidden, "This account is disabled. Ask an administrator.").Because("account_disabled")
	}
	return acc, nil
}

// StartSession creates a session for an account that has just proved who it
// is (checked credentials, or created with a password a moment ago). It
// returns the session and the token for the cookie.
func (s *Service) StartSession(ctx context.Context, accountID string) (labs.Session, string, error) {
	token := NewToken()
	now := s.Now()
	se := labs.Session{ID: HashToken(token), AccountID: accountID, CSRFToken: NewToken(), CreatedAt: now, ExpiresAt: now.Add(s.sessionTTL)}
	if err := s.store.CreateSession(ctx, se); err != nil {
		return labs.Session{}, "", fmt.Errorf("create session for %s: %w", accountID, err)
	}
	return se, token, nil
}

var errNoSession = labs.Errorf(labs.EUnauthenticated, "You are not signed in, or your session has ended. Sign in again.").Because("signed_out")

// Authenticate resolves a cookie token to its session and account.
func (s *Service) Authenticate(ctx context.Context, token string) (labs.Session, labs.Account, error) {
	if !ValidTokenShape(token) {
		return labs.Session{}, labs.Account{}, errNoSession
	}
	se, err := s.store.Session(ctx, HashToken(token))
	if labs.IsCode(err, labs.ENotFound) {
		return se, labs.Account{}, errNoSession
	} else if err != nil {
		return se, labs.Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if !s.now().Before(se.ExpiresAt) {
		s.store.DeleteSession(ctx, se.ID)
		return labs.Session{}, labs.Account{}, errNoSession
	}
	acc, err := s.store.Account(ctx, se.AccountID)
	if err != nil {
		if labs.IsCode(err, labs.ENotFound) {
			return labs.Session{}, labs.Account{}, errNoSession
		}
		return labs.Session{}, labs.Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if acc.Disabled {
		return labs.Session{}, labs.Account{}, errNoSession
	}
	return se, acc, nil
}

// SignOut ends the session the token refers to.
func (s *Service) SignOut(ctx context.Context, sessionID string) error {
	return s.store.DeleteSession(ctx, sessionID)
}

// CheckCSRF compares a request's CSRF token with the session's in constant time.
func CheckCSRF(se labs.Session, token string) bool {
	return token != "" && subtle.ConstantTimeCompare([]byte(se.CSRFToken), []byte(token)) == 1
}

// NewAccount is what a person or an admin fills in to create an account.
type NewAccount struct {
	Email       string
	DisplayName string
	Password    string
	Admin       bool
}

func (s *Service) buildAccount(ctx context.Context, n NewAccount) (labs.Account, error) {
	email, err := labs.NormalizeEmail(n.Email)
	if err != nil {
		return labs.Account{}, err
	}
	name, err := labs.ValidateDisplayName(n.DisplayName)
	if err != nil {
		return labs.Account{}, err
	}
	if err := labs.ValidatePassword(n.Password); err != nil {
		return labs.Account{}, err
	}
	var hash string
	if serr := s.withHashSlot(ctx, func() { hash, err = s.hasher.Hash(n.Password) }); serr != nil {
		return labs.Account{}, serr
	}
	if err != nil {
		return labs.Account{}, err
	}
	now := s.Now()
	return labs.Account{ID: labs.NewID(now), Email: email, DisplayName: name, PasswordHash: hash, Admin: n.Admin,
		CreatedAt: now, UpdatedAt: now}, nil
}

// CreateAccount creates an account directly (an admin's action).
func (s *Service) CreateAccount(ctx context.Context, n NewAccount) (labs.Account, error) {
	acc, err := s.buildAccount(ctx, n)
	if err != nil {
		return labs.Account{}, err
	}
	if err := s.store.CreateAccount(ctx, acc); err != nil {
		if labs.IsCode(err, labs.EConflict) {
			return labs.Account{}, labs.Errorf(labs.EConflict, "An account with this e-mail address already exists.").Because("email_taken")
		}
		return labs.Account{}, err
	}
	return acc, nil
}

// AccountUpdate is an admin's change to an account; nil fields stay.
type AccountUpdate struct {
	DisplayName *string
	Admin       *bool
	Disabled    *bool
	// PartnerOrgID makes the person a national partner of that
	// organisation; "" makes them an ordinary user again.
	PartnerOrgID *string
}

// UpdateAccount applies u. It refuses to leave the system without an
// enabled admin, and ends the sessions of an account it disables.
func (s *Service) UpdateAccount(ctx context.Context, id string, u AccountUpdate) (labs.Account, error) {
	acc, err := s.store.Account(ctx, id)
	if err != nil {
		return acc, err
	}
	wasActiveAdmin := acc.Admin && !acc.Disabled
	if u.DisplayName != nil {
		if acc.DisplayName, err = labs.ValidateDisplayName(*u.DisplayName); err != nil {
			return acc, err
		}
	}
	if u.Admin != nil {
		acc.Admin = *u.Admin
	}
	if u.Disabled != nil {
		acc.Disabled = *u.Disabled
	}
	if u.PartnerOrgID != nil {
		if id := *u.PartnerOrgID; id != "" {
			if _, err := s.store.PartnerOrg(ctx, id); labs.IsCode(err, labs.ENotFound) || !labs.ValidID(id) {
				return acc, labs.Errorf(labs.EInvalid, "partnerOrgId names no partner organisation.")
			} else if err != nil {
				return acc, err
			}
		}
		acc.PartnerOrgID = *u.PartnerOrgID
	}
	if wasActiveAdmin && !(acc.Admin && !acc.Disabled) {
		n, err := s.store.CountAdmins(ctx)
		if err != nil {
			return acc, err
		}
		if n <= 1 {
			return acc, labs.Errorf(labs.EConflict, "This is the last administrator; make someone else an administrator first.").Because("last_admin")
		}
	}
	acc.UpdatedAt = s.Now()
	if err := s.store.UpdateAccount(ctx, acc); err != nil {
		return acc, err
	}
	if acc.Disabled {
		if err := s.store.DeleteAccountSessions(ctx, acc.ID); err != nil {
			return acc, err
		}
	}
	return acc, nil
}

// EnsureAdmin creates an admin account from configured credentials when no
// enabled admin exists. It reports whether it created one.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (bool, error) {
	n, err := s.store.CountAdmins(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	name, _, _ := strings.Cut(email, "@")
	if _, err := s.CreateAccount(ctx, NewAccount{Email: email, DisplayName: name, Password: password, Admin: true}); err != nil {
		return false, fmt.Errorf("create first admin: %w", err)
	}
	return true, nil
}

// NeedsSetup reports whether there is no enabled admin.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.store.CountAdmins(ctx)
	return n == 0, err
}

// NewSetupToken makes the one-time token of the setup link, replacing any
// earlier one. It lives in this process only: a restart prints a new link.
func (s *Service) NewSetupToken() string {
	token := NewToken()
	s.mu.Lock()
	s.setupToken = HashToken(token)
	s.mu.Unlock()
	return token
}

// CompleteSetup creates the first admin with the setup token, once.
func (s *Service) CompleteSetup(ctx context.Context, token string, n NewAccount) (labs.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.setupToken == "" || subtle.ConstantTimeCompare([]byte(s.setupToken), []byte(HashToken(token))) != 1 {
		return labs.Account{}, labs.Errorf(labs.EForbidden, "This setup link is not valid. Use the link printed at the latest start.").Because("setup_link_invalid")
	}
	need, err := s.NeedsSetup(ctx)
	if err != nil {
		return labs.Account{}, err
	}
	if !need {
		s.setupToken = ""
		return labs.Account{}, labs.Errorf(labs.EConflict, "LinkLab is already set up.").Because("already_set_up")
	}
	n.Admin = true
	acc, err := s.CreateAccount(ctx, n)
	if err != nil {
		return acc, err
	}
	s.setupToken = ""
	return acc, nil
}
