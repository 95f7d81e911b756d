// Command linklab runs LinkLab: one binary with the API, the real-time
// server, the web app and, by default, the embedded store.
//
//	linklab [serve] [flags]   start the server (the default)
//	linklab demo [flags]      create the demo labs and accounts, then exit
//	linklab healthcheck       exit 0 if the server at --addr answers /healthz
//	linklab settings          print the settings table
//	linklab version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/frontend"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/policies"
	"github.com/linklab/linklab/server"
	"github.com/linklab/linklab/store/mongo"
	"github.com/linklab/linklab/store/sqlite"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "linklab", version)
		return exitOK
	case "settings":
		fmt.Fprint(stdout, settingsTable())
		return exitOK
	case "serve", "demo", "healthcheck":
	default:
		fmt.Fprintf(stderr, "linklab: unknown command %q; commands are serve, demo, healthcheck, settings, version\n", cmd)
		return exitUsage
	}
	cfg, err := parseConfig("linklab "+cmd, args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var ce *configError
	if errors.As(err, &ce) {
		fmt.Fprintf(stderr, "linklab: invalid setting %s: %s\n", ce.setting, ce.msg)
		return exitUsage
	} else if err != nil {
		return exitUsage // flag has printed the problem and the usage
	}
	if cmd == "healthcheck" {
		return healthcheck(cfg, stderr)
	}
	log := newLogger(cfg, stderr)
	if err := serveOrSeed(ctx, cmd, cfg, log, stdout); err != nil {
		log.Error("linklab stopped", "err", err)
		return exitFailed
	}
	return exitOK
}

func newLogger(cfg config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel)) // validated by parseConfig
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openStore opens the configured engine.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (labs.Store, error) {
	if cfg.MongoURI != "" {
		log.Info("opening MongoDB store", "uri", redactURI(cfg.MongoURI), "writeConcern", cfg.MongoWrite)
		return mongo.Open(ctx, mongo.Config{URI: cfg.MongoURI, Database: cfg.MongoDatabase, WriteConcern: cfg.MongoWrite})
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir %s: %w", cfg.DataDir, err)
	}
	path := filepath.Join(cfg.DataDir, sqlite.FileName)
	log.Info("opening embedded store", "path", path)
	return sqlite.Open(ctx, sqlite.Config{Path: path})
}

func serveOrSeed(ctx context.Context, cmd string, cfg config, log *slog.Logger, stdout io.Writer) error {
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	svc, err := auth.New(auth.Config{Store: store, SessionTTL: cfg.SessionTTL, Logger: log})
	if err != nil {
		return err
	}
	if cmd == "demo" || cfg.Demo {
		creds, err := demo.Seed(ctx, store, svc)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		printDemo(stdout, creds)
		if cmd == "demo" {
			return nil
		}
	}
	return serve(ctx, cfg, store, svc, log, stdout)
}

func printDemo(w io.Writer, creds []demo.Credential) {
	fmt.Fprintf(w, "\nDemo accounts (password for all: %s):\n", demo.Password)
	for _, c := range creds {
		lab := c.Lab
		if lab == "" {
			lab = "-"
		}
		fmt.Fprintf(w, "  %-45s %-10s %s\n", c.Email, lab, c.Role)
	}
	fmt.Fprintln(w)
}

func serve(ctx context.Context, cfg config, store labs.Store, svc *auth.Service, log *slog.Logger, stdout io.Writer) error {
	enf, changed, err := policies.New(ctx, store)
	if err != nil {
		return err
	}
	if changed {
		log.Info("installed the shipped authorization policy")
	}
	if err := firstAdmin(ctx, cfg, svc, log, stdout); err != nil {
		return err
	}
	// An engine with a feed (MongoDB) may have other instances: this one
	// hears them through it. SQLite has one instance, in process.
	feed, _ := store.(labs.Feed)
	srv, err := server.New(server.Config{Store: store, Auth: svc, Enforcer: enf, Logger: log, BaseURL: cfg.BaseURL,
		Assets: frontend.Assets(), BodyLimit: cfg.BodyLimit, ProxyHeader: cfg.ProxyHeader,
		TrustedProxies: cfg.TrustedProxies, WSPerSession: cfg.WSPerSession, WSPerAddress: cfg.WSPerAddress,
		SignInPerAccount: cfg.SignInPerAcct, Feed: feed})
	if err != nil {
		return err
	}
	if cfg.PprofAddr != "" {
		stopProfiling, err := serveProfiles(cfg.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stopProfiling()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(stdout, "LinkLab is running at %s (listening on %s)\n", cfg.BaseURL, ln.Addr())

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	sweepDone := make(chan struct{})
	sweepCtx, stopSweep := context.WithCancel(ctx)
	go func() {
		defer close(sweepDone)
		sweepSessions(sweepCtx, store, log)
	}()

	select {
	case err = <-serveErr:
		stopSweep()
		<-sweepDone
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", cfg.ShutdownTimeout)
	stopSweep()
	<-sweepDone
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	<-serveErr
	log.Info("stopped")
	return nil
}

// firstAdmin makes sure someone can administer LinkLab: from the
// configured credentials, or by printing a one-time setup link.
func firstAdmin(ctx context.Context, cfg config, svc *auth.Service, log *slog.Logger, stdout io.Writer) error {
	if cfg.AdminEmail != "" {
		created, err := svc.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword)
		if err != nil {
			return fmt.Errorf("LINKLAB_ADMIN_EMAIL/LINKLAB_ADMIN_PASSWORD: %w", err)
		}
		if created {
			log.Info("created the first admin", "email", cfg.AdminEmail)
		}
		return nil
	}
	need, err := svc.NeedsSetup(ctx)
	if err != nil || !need {
		return err
	}
	fmt.Fprintf(stdout, "\nNo administrator yet. Open this one-time link to create one:\n  %s/setup#%s\n\n", cfg.BaseURL, svc.NewSetupToken())
	return nil
}

// sweepSessions deletes expired sessions every hour until ctx ends.
func sweepSessions(ctx context.Context, store labs.Store, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if n, err := store.DeleteExpiredSessions(ctx, now); err != nil {
				log.Warn("sweep expired sessions", "err", err)
			} else if n > 0 {
				log.Info("swept expired sessions", "count", n)
			}
		}
	}
}

// healthcheck asks the local server's /healthz: the container health check,
// since the runtime image has no curl.
func healthcheck(cfg config, stderr io.Writer) int {
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://" + net.JoinHostPort(host, port) + "/healthz")
	if err != nil {
		fmt.Fprintln(stderr, "linklab healthcheck:", err)
		return exitFailed
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		fmt.Fprintln(stderr, "linklab healthcheck: status", resp.Status)
		return exitFailed
	}
	return exitOK
}
