// Package mongotest starts mongo-java-server, a MongoDB wire-protocol server
// with an in-memory backend, on a free loopback port for tests. It resolves
// the server's jars with Maven on first use and caches the classpath.
package mongotest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Server is a running mongo-java-server.
type Server struct {
	URI   string
	cmd   *exec.Cmd
	stdin io.Closer
	done  chan error
}

// launcherDir is the folder of pom.xml and MongoTestServer.java.
func launcherDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "launcher")
}

// classpath returns the server's classpath, resolving it with Maven into
// $LINKLAB_CACHE_DIR (default <repo>/.cache) when it is not cached yet.
func classpath(ctx context.Context) (string, error) {
	dir := launcherDir()
	cache := os.Getenv("LINKLAB_CACHE_DIR")
	if cache == "" {
		cache = filepath.Join(dir, "..", "..", "..", "..", ".cache")
	}
	file := filepath.Join(cache, "mongo-test-server.classpath")
	if b, err := os.ReadFile(file); err == nil && len(b) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("create cache dir: %w", err)
	}
	// Test packages run in parallel and may resolve at the same time: each
	// writes its own file and renames it into place, which is atomic.
	tmp, err := os.CreateTemp(cache, "classpath-*")
	if err != nil {
		return "", fmt.Errorf("create classpath file: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	cmd := exec.CommandContext(ctx, "mvn", "-q", "-B", "-f", filepath.Join(dir, "pom.xml"),
		"dependency:build-classpath", "-Dmdep.outputFile="+tmp.Name())
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("resolve mongo-java-server with Maven: %w\n%s", err, out)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return "", fmt.Errorf("cache classpath: %w", err)
	}
	b, err := os.ReadFile(file)
	return strings.TrimSpace(string(b)), err
}

// Start launches a server and waits until it listens. The server stops when
// Stop is called or, at the latest, when this process exits (it watches its
// standard input).
func Start(ctx context.Context) (*Server, error) {
	cp, err := classpath(ctx)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("java", "-Xmx512m", "-cp", cp, filepath.Join(launcherDir(), "MongoTestServer.java"))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start java: %w", err)
	}
	s := &Server{cmd: cmd, stdin: stdin, done: make(chan error, 1)}
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if p, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
				port <- p
			}
		}
		s.done <- cmd.Wait()
	}()
	select {
	case p := <-port:
		s.URI = "mongodb://127.0.0.1:" + p + "/?directConnection=true"
		return s, nil
	case err := <-s.done:
		return nil, fmt.Errorf("mongo-java-server exited before listening: %v", err)
	case <-time.After(2 * time.Minute):
		s.Stop()
		return nil, errors.New("mongo-java-server did not start within 2 minutes")
	case <-ctx.Done():
		s.Stop()
		return nil, ctx.Err()
	}
}

// Stop shuts the server down and waits for it.
func (s *Server) Stop() {
	s.stdin.Close()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// RunTests is a TestMain body: it starts a server, sets *uri to its
// address, runs the tests and stops the server. It returns the exit code.
func RunTests(m interface{ Run() int }, uri *string) int {
	srv, err := Start(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "start mongo-java-server:", err)
		return 1
	}
	*uri = srv.URI
	defer srv.Stop()
	return m.Run()
}
