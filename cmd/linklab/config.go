package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// config is every setting, from flags and LINKLAB_* environment variables.
// A flag given on the command line wins over the environment, which wins
// over the default.
type config struct {
	Addr            string
	DataDir         string
	BaseURL         string
	MongoURI        string
	MongoDatabase   string
	MongoWrite      string
	AdminEmail      string
	AdminPassword   string
	Demo            bool
	LogLevel        string
	LogFormat       string
	BodyLimit       int
	WSPerSession    int
	WSPerAddress    int
	SignInPerAcct   int
	SessionTTL      time.Duration
	ProxyHeader     string
	TrustedProxies  string
	ShutdownTimeout time.Duration
	PprofAddr       string
}

// setting describes one setting for flags, the environment and the README.
type setting struct {
	flag, env, def, help string
	set                  func(c *config, v string) error
}

// configError names the setting at fault and what it allows.
type configError struct{ setting, msg string }

func (e *configError) Error() string { return e.setting + ": " + e.msg }

var settings = []setting{
	{"addr", "LINKLAB_ADDR", "127.0.0.1:8080", "host:port to listen on",
		func(c *config, v string) error {
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return errors.New("must be host:port, such as 127.0.0.1:8080 or :8080")
			}
			c.Addr = v
			return nil
		}},
	{"data-dir", "LINKLAB_DATA_DIR", "./data", "directory for the embedded database",
		func(c *config, v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("must be a directory path")
			}
			c.DataDir = v
			return nil
		}},
	{"base-url", "LINKLAB_BASE_URL", "", "address people use, e.g. https://lab.example.org (default http://ADDR)",
		func(c *config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				return errors.New("must be an http:// or https:// address without a path, such as https://lab.example.org")
			}
			c.BaseURL = strings.TrimSuffix(v, "/")
			return nil
		}},
	{"mongodb-uri", "LINKLAB_MONGODB_URI", "", "MongoDB connection string; empty uses the embedded SQLite store",
		func(c *config, v string) error {
			if v != "" && !strings.HasPrefix(v, "mongodb://") && !strings.HasPrefix(v, "mongodb+srv://") {
				return errors.New("must start with mongodb:// or mongodb+srv://")
			}
			c.MongoURI = v
			return nil
		}},
	{"mongodb-database", "LINKLAB_MONGODB_DATABASE", "", "MongoDB database (default: the URI's, else linklab)",
		func(c *config, v string) error { c.MongoDatabase = v; return nil }},
	{"mongodb-write-concern", "LINKLAB_MONGODB_WRITE_CONCERN", "majority", "majority, or 1 for a single-node server",
		func(c *config, v string) error {
			if v != "majority" && v != "1" {
				return errors.New("must be majority or 1")
			}
			c.MongoWrite = v
			return nil
		}},
	{"admin-email", "LINKLAB_ADMIN_EMAIL", "", "creates this admin at start-up when there is none",
		func(c *config, v string) error { c.AdminEmail = v; return nil }},
	{"admin-password", "LINKLAB_ADMIN_PASSWORD", "", "password of that admin (at least 10 characters)",
		func(c *config, v string) error { c.AdminPassword = v; return nil }},
	{"demo", "LINKLAB_DEMO", "false", "create the demo labs and accounts if missing",
		func(c *config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return errors.New("must be true or false")
			}
			c.Demo = b
			return nil
		}},
	{"log-level", "LINKLAB_LOG_LEVEL", "info", "debug, info, warn or error",
		func(c *config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return errors.New("must be debug, info, warn or error")
		}},
	{"log-format", "LINKLAB_LOG_FORMAT", "text", "text or json",
		func(c *config, v string) error {
			if v != "text" && v != "json" {
				return errors.New("must be text or json")
			}
			c.LogFormat = v
			return nil
		}},
	{"body-limit", "LINKLAB_BODY_LIMIT", "1048576", "largest request body in bytes (1024 to 67108864)",
		func(c *config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1024 || n > 64<<20 {
				return errors.New("must be a number of bytes from 1024 to 67108864")
			}
			c.BodyLimit = n
			return nil
		}},
	{"ws-per-session", "LINKLAB_WS_PER_SESSION", "32", "real-time connections one sign-in may hold open (1 to 100000)",
		intSetting(1, 100_000, func(c *config, n int) { c.WSPerSession = n })},
	{"ws-per-address", "LINKLAB_WS_PER_ADDRESS", "1000", "real-time connections one client address may hold open (1 to 1000000)",
		intSetting(1, 1_000_000, func(c *config, n int) { c.WSPerAddress = n })},
	{"sign-in-per-account", "LINKLAB_SIGN_IN_PER_ACCOUNT", "10", "failed sign-ins per minute for one e-mail address, on each instance (1 to 1000)",
		intSetting(1, 1000, func(c *config, n int) { c.SignInPerAcct = n })},
	{"session-ttl", "LINKLAB_SESSION_TTL", "336h", "how long a sign-in lasts (1h to 2160h)",
		func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Hour || d > 90*24*time.Hour {
				return errors.New("must be a duration from 1h to 2160h, such as 336h")
			}
			c.SessionTTL = d
			return nil
		}},
	{"proxy-header", "LINKLAB_PROXY_HEADER", "", "header with the client address behind a trusted proxy, e.g. X-Forwarded-For",
		func(c *config, v string) error { c.ProxyHeader = v; return nil }},
	{"trusted-proxies", "LINKLAB_TRUSTED_PROXIES", "127.0.0.0/8,::1", "proxies whose proxy header is believed: addresses or CIDR ranges, comma-separated",
		func(c *config, v string) error {
			for _, f := range strings.Split(v, ",") {
				f = strings.TrimSpace(f)
				if _, err := netip.ParsePrefix(f); err != nil && f != "" {
					if _, err := netip.ParseAddr(f); err != nil {
						return fmt.Errorf("%q is neither an address nor a CIDR range such as 10.0.0.0/8", f)
					}
				}
			}
			c.TrustedProxies = v
			return nil
		}},
	{"pprof-addr", "LINKLAB_PPROF_ADDR", "", "loopback host:port for Go profiling (net/http/pprof); off when empty",
		func(c *config, v string) error {
			if v == "" {
				return nil
			}
			host, _, err := net.SplitHostPort(v)
			if ip := net.ParseIP(host); err != nil || host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return errors.New("must be a loopback host:port such as 127.0.0.1:6060: profiles must not be public")
			}
			c.PprofAddr = v
			return nil
		}},
	{"shutdown-timeout", "LINKLAB_SHUTDOWN_TIMEOUT", "20s", "how long to let requests finish at shutdown (1s to 10m)",
		func(c *config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < time.Second || d > 10*time.Minute {
				return errors.New("must be a duration from 1s to 10m, such as 20s")
			}
			c.ShutdownTimeout = d
			return nil
		}},
}

// parseConfig reads args and env. Errors are *configError, or flag's own
// for unknown flags.
func parseConfig(name string, args []string, getenv func(string) string, out io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	values := make([]string, len(settings))
	for i, s := range settings {
		values[i] = s.def
		if v := getenv(s.env); v != "" {
			values[i] = v
		}
		fs.Func(s.flag, fmt.Sprintf("%s (env %s, default %q)", s.help, s.env, s.def), func(v string) error {
			values[i] = v
			return nil
		})
	}
	// Let "--demo" stand for "--demo=true".
	for i, a := range args {
		if a == "--demo" || a == "-demo" {
			args[i] = "--demo=true"
		}
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, &configError{"arguments", fmt.Sprintf("unexpected %q; settings are flags such as --addr", fs.Arg(0))}
	}
	for i, s := range settings {
		if err := s.set(&c, values[i]); err != nil {
			return c, &configError{fmt.Sprintf("--%s / %s = %q", s.flag, s.env, redactValue(s.env, values[i])), err.Error()}
		}
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		return c, &configError{"LINKLAB_ADMIN_EMAIL / LINKLAB_ADMIN_PASSWORD", "set both or neither"}
	}
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	return c, nil
}

func redactValue(env, v string) string {
	switch env {
	case "LINKLAB_ADMIN_PASSWORD":
		return "(hidden)"
	case "LINKLAB_MONGODB_URI":
		return redactURI(v)
	}
	return v
}

// redactURI hides the password of a connection string, so it can be logged.
func redactURI(uri string) string {
	u, err := url.Parse(uri)
	if err != nil {
		return "(a connection string that could not be parsed)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// settingsTable renders the settings as the README's Markdown table.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| flag | environment | default | meaning |\n| --- | --- | --- | --- |\n")
	for _, s := range settings {
		def := "(none)"
		if s.def != "" {
			def = "`" + s.def + "`"
		}
		fmt.Fprintf(&b, "| `--%s` | `%s` | %s | %s |\n", s.flag, s.env, def, s.help)
	}
	return b.String()
}

// intSetting parses a whole number from lo to hi and stores it with set.
func intSetting(lo, hi int, set func(*config, int)) func(*config, string) error {
	return func(c *config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a number from %d to %d", lo, hi)
		}
		set(c, n)
		return nil
	}
}
