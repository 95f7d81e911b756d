package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestBadSettingsStopStartUp(t *testing.T) {
	scenarios := []struct {
		name    string
		args    []string
		env     map[string]string
		mention string // the setting the message must name
	}{
		{"address without port", []string{"--addr", "localhost"}, nil, "LINKLAB_ADDR"},
		{"address from the environment", nil, map[string]string{"LINKLAB_ADDR": "nonsense"}, "--addr"},
		{"base URL with a path", []string{"--base-url", "https://x.org/app"}, nil, "LINKLAB_BASE_URL"},
		{"base URL without scheme", nil, map[string]string{"LINKLAB_BASE_URL": "lab.example.org"}, "LINKLAB_BASE_URL"},
		{"MongoDB URI of another kind", nil, map[string]string{"LINKLAB_MONGODB_URI": "postgres://x"}, "LINKLAB_MONGODB_URI"},
		{"write concern", []string{"--mongodb-write-concern", "2"}, nil, "LINKLAB_MONGODB_WRITE_CONCERN"},
		{"log level", nil, map[string]string{"LINKLAB_LOG_LEVEL": "loud"}, "LINKLAB_LOG_LEVEL"},
		{"body limit", []string{"--body-limit", "1"}, nil, "LINKLAB_BODY_LIMIT"},
		{"session TTL", nil, map[string]string{"LINKLAB_SESSION_TTL": "forever"}, "LINKLAB_SESSION_TTL"},
		{"demo flag value", nil, map[string]string{"LINKLAB_DEMO": "maybe"}, "LINKLAB_DEMO"},
		{"admin e-mail without password", nil, map[string]string{"LINKLAB_ADMIN_EMAIL": "a@b.org"}, "LINKLAB_ADMIN_PASSWORD"},
		{"stray argument", []string{"now"}, nil, "arguments"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), append([]string{"serve"}, sc.args...), env(sc.env), &out, &errOut)
			if code != exitUsage {
				t.Fatalf("exit code %d, want %d; stderr %s", code, exitUsage, errOut.String())
			}
			if !strings.Contains(errOut.String(), sc.mention) || !strings.Contains(errOut.String(), "must") && !strings.Contains(errOut.String(), "set both") && !strings.Contains(errOut.String(), "unexpected") {
				t.Fatalf("message %q does not name %s and what is allowed", errOut.String(), sc.mention)
			}
		})
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "--no-such-flag"}, env(nil), &out, &errOut); code != exitUsage {
		t.Fatalf("unknown flag: exit %d", code)
	}
	if code := run(context.Background(), []string{"launch"}, env(nil), &out, &errOut); code != exitUsage {
		t.Fatalf("unknown command: exit %d", code)
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, err := parseConfig("t", []string{"--addr", "127.0.0.1:9999"}, env(map[string]string{"LINKLAB_ADDR": "127.0.0.1:1111", "LINKLAB_DATA_DIR": "/srv/x"}), &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.DataDir != "/srv/x" || c.BaseURL != "http://127.0.0.1:9999" {
		t.Fatalf("config = %+v", c)
	}
	c, err = parseConfig("t", []string{"--demo", "--addr", ":8080"}, env(nil), &bytes.Buffer{})
	if err != nil || !c.Demo || c.BaseURL != "http://localhost:8080" {
		t.Fatalf("--demo alone: %+v %v", c, err)
	}
}

func TestMongoPasswordIsNeverShown(t *testing.T) {
	const secret = "s3cr3t-pa55"
	uri := "mongodb://linklab:" + secret + "@db.example.org:27017/linklab?replicaSet=rs0"
	if got := redactURI(uri); strings.Contains(got, secret) || !strings.Contains(got, "db.example.org") {
		t.Fatalf("redactURI = %q", got)
	}
	// Not even in the error for a bad setting that includes the URI.
	var out, errOut bytes.Buffer
	run(context.Background(), []string{"serve", "--mongodb-write-concern", "7"}, env(map[string]string{"LINKLAB_MONGODB_URI": uri}), &out, &errOut)
	if strings.Contains(errOut.String()+out.String(), secret) {
		t.Fatalf("password printed: %s", errOut.String())
	}
	// And not in the start-up log when the server cannot be reached.
	out.Reset()
	errOut.Reset()
	bad := "mongodb://linklab:" + secret + "@127.0.0.1:1/linklab?serverSelectionTimeoutMS=200&connectTimeoutMS=200"
	code := run(context.Background(), []string{"serve"}, env(map[string]string{"LINKLAB_MONGODB_URI": bad}), &out, &errOut)
	if code != exitFailed {
		t.Fatalf("unreachable MongoDB: exit %d", code)
	}
	if strings.Contains(errOut.String()+out.String(), secret) {
		t.Fatalf("password printed at start-up: %s", errOut.String())
	}
}

func TestSettingsTableIsInTheReadme(t *testing.T) {
	readme, err := readFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readme, settingsTable()) {
		t.Fatalf("README.md does not contain the current settings table; paste the output of `linklab settings`:\n%s", settingsTable())
	}
}
