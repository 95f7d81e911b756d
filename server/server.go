// Package server is LinkLab's HTTP edge: the Fiber app, its middleware, the
// JSON API under /api/, health and metrics endpoints, and the embedded web
// app. It is the only package that knows HTTP; errors become statuses here,
// once (errors.go).
package server

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/contrib/websocket"
	"github.com/gofiber/fiber/v2"
	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/content"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/realtime"
)

// Config configures the server. Zero values get defaults in New.
type Config struct {
	Store    labs.Store         // required
	Auth     *auth.Service      // required
	Enforcer *policies.Enforcer // required
	Logger   *slog.Logger
	// BaseURL is the address people use, e.g. https://lab.example.org. It
	// decides whether cookies are Secure and which Origin is same-site.
	BaseURL string
	// Assets is the built web app; nil serves a page that says how to build it.
	Assets fs.FS
	// BodyLimit bounds request bodies in bytes (default 1 MiB).
	BodyLimit int
	// SignInPerAddress bounds sign-in, setup and invitation attempts per
	// minute from one address (default 300: a workshop of 200 people may
	// share one venue's address). SignInPerAccount bounds failed sign-ins
	// per minute for one e-mail address (default 10).
	SignInPerAddress int
	SignInPerAccount int
	// ProxyHeader names the header holding the client address when LinkLab
	// runs behind a reverse proxy (e.g. X-Forwarded-For); empty uses the
	// connection's address.
	ProxyHeader string
	// WSPerSession and WSPerAddress bound the real-time connections one
	// sign-in and one client address may hold open (defaults 32, many
	// tabs and a reconnect or two, and 1000, a large venue behind one
	// address).
	WSPerSession int
	WSPerAddress int
	// TrustedProxies lists the proxies (addresses or CIDR ranges,
	// comma-separated) whose ProxyHeader is believed; default loopback.
	TrustedProxies string
	// Feed, when set, makes this instance one of several on one store: it
	// hears the others' changes and events through it and tells them its
	// own (MongoDB). Without it the instance is the store's only one.
	Feed labs.Feed
	Now  func() time.Time
}

// Server is the HTTP server.
type Server struct {
	cfg                              Config
	app                              *fiber.App
	log                              *slog.Logger
	secure                           bool
	origin                           string // scheme://host[:port] of BaseURL
	perms                            map[string]perm
	metrics                          *metrics
	signInByAddress, signInByAccount *limiter
	clientIPs                        clientIPs
	wsBySession, wsByAddress         *connCounts

	// ctx ends when Shutdown starts: real-time connections, which the
	// HTTP server does not track once upgraded, close on it.
	ctx       context.Context
	cancel    context.CancelFunc
	hub       *realtime.Hub
	relay     *realtime.Relay // nil with one instance
	rooms     rooms
	presences *realtime.Presences
	pinger    *realtime.Pinger
	live      *liveConns
	docs      *docCache
	markdown  *content.Renderer
	// background goroutines (the pinger), waited for by Shutdown
	bg        sync.WaitGroup
	authority *realtime.Authority
	index     *indexer
	wsHandler fiber.Handler
	// openAPIJSONDoc is openapi.yaml as JSON.
	openAPIJSONDoc []byte
}

// New builds the server and checks that every API route has a policy
// decision; it returns an error naming the first route without one.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Auth == nil || cfg.Enforcer == nil {
		return nil, errors.New("server: Store, Auth and Enforcer are required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8080"
	}
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.SignInPerAddress == 0 {
		cfg.SignInPerAddress = 300
	}
	if cfg.SignInPerAccount == 0 {
		cfg.SignInPerAccount = 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.WSPerSession == 0 {
		cfg.WSPerSession = 32
	}
	if cfg.WSPerAddress == 0 {
		cfg.WSPerAddress = 1000
	}
	if cfg.TrustedProxies == "" {
		cfg.TrustedProxies = "127.0.0.0/8,::1"
	}
	trusted, err := parseTrustedProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, fmt.Errorf("server: trusted proxies: %w", err)
	}
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server: base URL %q is not an http(s) URL", cfg.BaseURL)
	}
	spec, err := openAPIAsJSON()
	if err != nil {
		return nil, err
	}
	s := &Server{openAPIJSONDoc: spec,
		cfg: cfg, log: cfg.Logger, secure: u.Scheme == "https", origin: u.Scheme + "://" + u.Host,
		perms: map[string]perm{}, metrics: newMetrics(),
		signInByAddress: newLimiter(cfg.SignInPerAddress, time.Minute, cfg.Now),
		signInByAccount: newLimiter(cfg.SignInPerAccount, time.Minute, cfg.Now),
		clientIPs:       clientIPs{header: cfg.ProxyHeader, trusted: trusted},
		wsBySession:     newConnCounts(cfg.WSPerSession),
		wsByAddress:     newConnCounts(cfg.WSPerAddress),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.hub = realtime.NewHub()
	s.presences = realtime.NewPresences()
	s.pinger = realtime.NewPinger()
	s.live = newLiveConns(s.hub, s.presences)
	s.bg.Go(func() { s.live.sweep(s.ctx, time.Second, cfg.Now) })
	s.docs = newDocCache(cfg.Store)
	s.markdown = content.NewRenderer()
	s.bg.Go(func() { s.pinger.Run(s.ctx, wsPing) })
	var keep func(string) bool
	if cfg.Feed != nil {
		// Another instance may write a section whose subscribers are
		// here: it stays in memory, at the version they have, to hear it.
		keep = s.hub.Occupied
	}
	s.authority = realtime.NewAuthority(realtime.AuthorityConfig{Store: cfg.Store, Now: cfg.Now, Keep: keep,
		Publish: func(us []realtime.Update) { s.hub.Publish(us[0].Section, realtime.EncodeUpdates(us), nil) }})
	if cfg.Feed != nil {
		s.startRelay(cfg.Feed)
	}
	s.bg.Go(func() { s.authority.EvictIdle(s.ctx, sectionSweep, sectionIdle) })
	s.index = newIndexer()
	s.bg.Go(func() { s.runIndexer(s.ctx) })
	// Small read buffers and pooled write buffers: thousands of mostly idle
	// connections should not each hold kilobytes of buffer. A connection
	// holds a write buffer only while it writes; it is as large as a
	// typical frame in a busy room, because a frame that does not fit goes
	// out in two system calls, not one.
	s.wsHandler = websocket.New(s.serveWS, websocket.Config{ReadBufferSize: 1024, WriteBufferSize: wsWriteBuffer,
		WriteBufferPool: &sync.Pool{}})
	s.app = fiber.New(fiber.Config{
		AppName:      "LinkLab",
		BodyLimit:    cfg.BodyLimit,
		ReadTimeout:  30 * time.Second,
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  2 * time.Minute,
		// Bounds the request line and headers; a websocket keeps this buffer
		// for its whole life, so it stays at fasthttp's default.
		ReadBufferSize:        4 * 1024,
		DisableStartupMessage: true,
		ErrorHandler:          s.handleError,
	})
	s.routes()
	if err := s.CheckRoutes(); err != nil {
		return nil, err
	}
	return s, nil
}

// App returns the Fiber app, for tests that inspect the route table.
func (s *Server) App() *fiber.App { return s.app }

// Serve serves HTTP on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }

// Shutdown stops accepting connections and waits for requests in flight,
// until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cancel()
	err := s.app.ShutdownWithContext(ctx)
	s.bg.Wait()
	return err
}

func (s *Server) routes() {
	app := s.app
	app.Use(s.requestID, s.observe, s.recoverPanics, s.securityHeaders)
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	app.Get("/metrics", s.serveMetrics)

	api := app.Group("/api", s.authenticate, s.checkCSRF)
	s.handle(api, fiber.MethodGet, "/openapi.yaml", perm{obj: "api", act: "describe"}, s.openAPI)
	s.handle(api, fiber.MethodGet, "/openapi.json", perm{obj: "api", act: "describe"}, s.openAPIJSON)

	s.handle(api, fiber.MethodPost, "/auth/sign-in", perm{obj: "auth", act: "sign_in"}, s.signIn)
	s.handle(api, fiber.MethodPost, "/auth/sign-out", perm{obj: "auth", act: "sign_out"}, s.signOut)
	s.handle(api, fiber.MethodGet, "/auth/session", perm{obj: "auth", act: "session"}, s.session)
	s.handle(api, fiber.MethodPatch, "/auth/preferences", perm{obj: "auth", act: "preferences"}, s.setPreferences)
	s.handle(api, fiber.MethodPost, "/auth/setup", perm{obj: "setup", act: "complete"}, s.completeSetup)

	s.handle(api, fiber.MethodPost, "/invitations/preview", perm{obj: "invitation", act: "preview"}, s.previewInvitation)
	s.handle(api, fiber.MethodPost, "/invitations/accept", perm{obj: "invitation", act: "accept"}, s.acceptInvitation)

	s.handle(api, fiber.MethodGet, "/admin/accounts", perm{obj: "account", act: "list"}, s.listAccounts)
	s.handle(api, fiber.MethodPost, "/admin/accounts", perm{obj: "account", act: "create"}, s.createAccount)
	s.handle(api, fiber.MethodPatch, "/admin/accounts/:account", perm{obj: "account", act: "update"}, s.updateAccount)
	s.handle(api, fiber.MethodPost, "/admin/invitations", perm{obj: "account", act: "invite"}, s.inviteAccount)
	s.handle(api, fiber.MethodGet, "/admin/partner-orgs", perm{obj: "partner_org", act: "list"}, s.listPartnerOrgs)
	s.handle(api, fiber.MethodPost, "/admin/partner-orgs", perm{obj: "partner_org", act: "create"}, s.createPartnerOrg)
	s.handle(api, fiber.MethodPost, "/preview", perm{obj: "markdown", act: "render"}, s.preview)
	s.handle(api, fiber.MethodGet, "/templates", perm{obj: "template", act: "list"}, s.listTemplates)

	s.handle(api, fiber.MethodGet, "/labs", perm{obj: "lab", act: "list"}, s.listLabs)
	s.handle(api, fiber.MethodPost, "/labs", perm{obj: "lab", act: "create"}, s.createLab)
	s.handle(api, fiber.MethodGet, "/labs/:lab", perm{obj: "lab", act: "read", lab: "lab"}, s.getLab)
	s.handle(api, fiber.MethodPatch, "/labs/:lab", perm{obj: "lab", act: "update", lab: "lab"}, s.updateLab)
	s.handle(api, fiber.MethodGet, "/labs/:lab/members", perm{obj: "member", act: "list", lab: "lab"}, s.listMembers)
	s.handle(api, fiber.MethodPatch, "/labs/:lab/members/me", perm{obj: "member", act: "update", lab: "lab"}, s.updateMyMembership)
	s.handle(api, fiber.MethodPut, "/labs/:lab/members/:account/role", perm{obj: "member", act: "assign", lab: "lab"}, s.assignRole)
	s.handle(api, fiber.MethodDelete, "/labs/:lab/members/:account", perm{obj: "member", act: "remove", lab: "lab"}, s.removeMember)
	s.handle(api, fiber.MethodGet, "/labs/:lab/invitations", perm{obj: "invitation", act: "list", lab: "lab"}, s.listInvitations)
	s.handle(api, fiber.MethodPost, "/labs/:lab/invitations", perm{obj: "invitation", act: "create", lab: "lab"}, s.createInvitation)
	s.handle(api, fiber.MethodDelete, "/labs/:lab/invitations/:invitation", perm{obj: "invitation", act: "revoke", lab: "lab"}, s.revokeInvitation)
	s.handle(api, fiber.MethodGet, "/labs/:lab/audit", perm{obj: "audit", act: "read", lab: "lab"}, s.listAudit)
	s.handle(api, fiber.MethodGet, "/labs/:lab/moderation", perm{obj: "moderation", act: "read", lab: "lab"}, s.listModeration)
	s.handle(api, fiber.MethodGet, "/labs/:lab/documents", perm{obj: "document", act: "list", lab: "lab"}, s.listDocuments)
	s.handle(api, fiber.MethodPost, "/labs/:lab/documents", perm{obj: "document", act: "create", lab: "lab", defaultLevel: true}, s.createDocument)
	s.handle(api, fiber.MethodGet, "/labs/:lab/feedback", perm{obj: "feedback", act: "list", lab: "lab"}, s.listFeedback)
	s.handle(api, fiber.MethodPost, "/labs/:lab/feedback", perm{obj: "feedback", act: "create", lab: "lab", level: labs.VisLab}, s.createFeedback)

	s.handle(api, fiber.MethodGet, "/search", perm{obj: "search", act: "read"}, s.search)
	s.handle(api, fiber.MethodGet, "/themes", perm{obj: "theme", act: "read"}, s.listThemes)
	s.handle(api, fiber.MethodPost, "/themes", perm{obj: "theme", act: "create"}, s.createTheme)
	s.handle(api, fiber.MethodGet, "/themes/matrix", perm{obj: "theme", act: "read"}, s.themeMatrix)
	s.handle(api, fiber.MethodPatch, "/themes/:theme", perm{obj: "theme", act: "update"}, s.renameTheme)
	s.handle(api, fiber.MethodGet, "/baselines", perm{obj: "baseline", act: "compare"}, s.listBaselines)
	s.handle(api, fiber.MethodGet, "/baselines/compare", perm{obj: "baseline", act: "compare"}, s.compareBaselines)
	s.handle(api, fiber.MethodGet, "/baselines/compare/export", perm{obj: "baseline", act: "compare"}, s.exportComparison)
	s.handle(api, fiber.MethodGet, "/network/documents", perm{obj: "document", act: "list", network: true}, s.listNetworkDocuments)
	s.handle(api, fiber.MethodPost, "/network/documents", perm{obj: "document", act: "create", network: true, defaultLevel: true}, s.createSynthesis)
	s.handle(api, fiber.MethodGet, "/network/audit", perm{obj: "audit", act: "read", network: true}, s.listNetworkAudit)

	s.handle(api, fiber.MethodGet, "/documents/:doc", perm{obj: "document", act: "read", doc: "doc"}, s.getDocument)
	s.handle(api, fiber.MethodPatch, "/documents/:doc", perm{obj: "document", act: "write", doc: "doc"}, s.patchDocument)
	s.handle(api, fiber.MethodDelete, "/documents/:doc", perm{obj: "document", act: "delete", doc: "doc"}, s.deleteDocument)
	s.handle(api, fiber.MethodPut, "/documents/:doc/visibility", perm{obj: "document", act: "share", doc: "doc"}, s.shareDocument)
	s.handle(api, fiber.MethodGet, "/labs/:lab/workshops", perm{obj: "workshop", act: "read", lab: "lab"}, s.listWorkshops)
	s.handle(api, fiber.MethodPost, "/labs/:lab/workshops", perm{obj: "workshop", act: "create", lab: "lab"}, s.createWorkshop)
	s.handle(api, fiber.MethodGet, "/workshops/:workshop", perm{obj: "workshop", act: "read", workshop: "workshop"}, s.getWorkshop)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/control", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.controlWorkshop)
	s.handle(api, fiber.MethodGet, "/join/:code", perm{obj: "workshop", act: "find"}, s.findWorkshop)
	s.handle(api, fiber.MethodGet, "/workshops/:workshop/room", perm{obj: "workshop", act: "read", workshop: "workshop"}, s.getRoom)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/join", perm{obj: "workshop", act: "take_part", workshop: "workshop"}, s.joinRoom)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/hand", perm{obj: "workshop", act: "take_part", workshop: "workshop"}, s.raiseHand)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/floor", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.floor)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/balance", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.balanceQueue)
	s.handle(api, fiber.MethodGet, "/workshops/:workshop/balance", perm{obj: "workshop", act: "read", workshop: "workshop"}, s.getBalance)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/on-behalf", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.onBehalf)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/ideas", perm{obj: "workshop", act: "take_part", workshop: "workshop"}, s.postIdea)
	s.handle(api, fiber.MethodPatch, "/workshops/:workshop/ideas/:idea", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.moderateIdea)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/ideas/:idea/draft", perm{obj: "workshop", act: "take_part", workshop: "workshop"}, s.draftFromIdea)
	s.handle(api, fiber.MethodGet, "/workshops/:workshop/report", perm{obj: "workshop", act: "read", workshop: "workshop"}, s.getReport)
	s.handle(api, fiber.MethodGet, "/workshops/:workshop/votes", perm{obj: "workshop", act: "read", workshop: "workshop"}, s.listVotes)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/votes", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.openVote)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/votes/:vote/ballot", perm{obj: "workshop", act: "take_part", workshop: "workshop"}, s.castBallot)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/votes/:vote/close", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.closeVote)
	s.handle(api, fiber.MethodPost, "/workshops/:workshop/votes/:vote/anonymise", perm{obj: "workshop", act: "run", workshop: "workshop"}, s.anonymiseVote)
	s.handle(api, fiber.MethodGet, "/documents/:doc/reach", perm{obj: "document", act: "share", doc: "doc"}, s.documentReach)
	s.handle(api, fiber.MethodPut, "/documents/:doc/status", perm{obj: "document", act: "advance", doc: "doc"}, s.moveDocument)
	s.handle(api, fiber.MethodGet, "/documents/:doc/export", perm{obj: "document", act: "export", doc: "doc"}, s.exportDocument)
	s.handle(api, fiber.MethodGet, "/documents/:doc/versions", perm{obj: "document", act: "read", doc: "doc"}, s.listVersions)
	s.handle(api, fiber.MethodPost, "/documents/:doc/versions", perm{obj: "document", act: "write", doc: "doc"}, s.freezeVersion)
	s.handle(api, fiber.MethodGet, "/documents/:doc/diff", perm{obj: "document", act: "read", doc: "doc"}, s.diffVersions)
	s.handle(api, fiber.MethodGet, "/documents/:doc/tags", perm{obj: "document", act: "read", doc: "doc"}, s.listTags)
	s.handle(api, fiber.MethodPost, "/documents/:doc/tags", perm{obj: "document", act: "write", doc: "doc"}, s.createTag)
	s.handle(api, fiber.MethodDelete, "/documents/:doc/tags/:tag", perm{obj: "document", act: "write", doc: "doc"}, s.deleteTag)
	s.handle(api, fiber.MethodGet, "/documents/:doc/citations", perm{obj: "document", act: "read", doc: "doc"}, s.listCitations)
	s.handle(api, fiber.MethodPost, "/documents/:doc/citations", perm{obj: "document", act: "write", doc: "doc"}, s.createCitation)
	s.handle(api, fiber.MethodDelete, "/documents/:doc/citations/:citation", perm{obj: "document", act: "write", doc: "doc"}, s.deleteCitation)
	s.handle(api, fiber.MethodPost, "/documents/:doc/sections", perm{obj: "document", act: "write", doc: "doc"}, s.addSection)
	s.handle(api, fiber.MethodPatch, "/documents/:doc/sections/:section", perm{obj: "document", act: "write", doc: "doc"}, s.updateSection)
	s.handle(api, fiber.MethodDelete, "/documents/:doc/sections/:section", perm{obj: "document", act: "write", doc: "doc"}, s.deleteSection)
	s.handle(api, fiber.MethodGet, "/documents/:doc/comments", perm{obj: "comment", act: "read", doc: "doc"}, s.listComments)
	s.handle(api, fiber.MethodPost, "/documents/:doc/comments", perm{obj: "comment", act: "create", doc: "doc"}, s.createComment)

	s.handle(api, fiber.MethodPatch, "/comments/:comment", perm{obj: "comment", act: "edit", comment: "comment"}, s.editComment)
	s.handle(api, fiber.MethodDelete, "/comments/:comment", perm{obj: "comment", act: "delete", comment: "comment"}, s.deleteComment)
	s.handle(api, fiber.MethodPut, "/comments/:comment/resolved", perm{obj: "comment", act: "resolve", comment: "comment"}, s.resolveComment)
	s.handle(api, fiber.MethodPut, "/comments/:comment/hidden", perm{obj: "comment", act: "hide", comment: "comment"}, s.hideComment)
	s.handle(api, fiber.MethodDelete, "/comments/:comment/hidden", perm{obj: "comment", act: "hide", comment: "comment"}, s.unhideComment)

	s.handle(api, fiber.MethodPatch, "/feedback/:feedback", perm{obj: "feedback", act: "edit", feedback: "feedback"}, s.editFeedback)
	s.handle(api, fiber.MethodDelete, "/feedback/:feedback", perm{obj: "feedback", act: "delete", feedback: "feedback"}, s.deleteFeedback)
	s.handle(api, fiber.MethodPut, "/feedback/:feedback/hidden", perm{obj: "feedback", act: "hide", feedback: "feedback"}, s.hideFeedback)
	s.handle(api, fiber.MethodDelete, "/feedback/:feedback/hidden", perm{obj: "feedback", act: "hide", feedback: "feedback"}, s.unhideFeedback)

	// The real-time connection; every message on it asks the enforcer again.
	s.handle(api, fiber.MethodGet, "/ws", perm{obj: "realtime", act: "connect"}, s.upgradeWS)

	api.Use(func(c *fiber.Ctx) error {
		return labs.Errorf(labs.ENotFound, "There is no API route %s %s.", c.Method(), c.Path())
	})
	app.Use(s.serveApp)
}

// CheckRoutes walks the route table and fails on an API route that was
// added without a permission, or whose permission no policy line decides.
func (s *Server) CheckRoutes() error {
	for _, r := range s.app.GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		method := r.Method
		if method == fiber.MethodHead {
			method = fiber.MethodGet
		}
		p, ok := s.perms[method+" "+r.Path]
		if !ok {
			return fmt.Errorf("route %s %s has no policy decision: register it with Server.handle", r.Method, r.Path)
		}
		if !s.cfg.Enforcer.Decided(p.obj, p.act) {
			return fmt.Errorf("route %s %s asks for %s:%s, which no policy line decides", r.Method, r.Path, p.obj, p.act)
		}
	}
	return nil
}
