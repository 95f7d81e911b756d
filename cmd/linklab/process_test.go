package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func mustParseURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		panic(err)
	}
	return u
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// buildBinary compiles linklab once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "linklab")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startBinary starts the binary and waits until it prints its address.
func startBinary(t *testing.T, bin string, env ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), env...)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "LinkLab is running") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("linklab did not start:\n%s", logs.String())
	}
	return cmd, &logs
}

type httpClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (h *httpClient) post(path string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", h.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", h.csrf)
	return h.send(req)
}

func (h *httpClient) get(path string) (int, map[string]any) {
	req, _ := http.NewRequest("GET", h.base+path, nil)
	return h.send(req)
}

func (h *httpClient) send(req *http.Request) (int, map[string]any) {
	resp, err := h.c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func signedIn(t *testing.T, base, email, password string) *httpClient {
	jar, _ := cookiejar.New(nil)
	h := &httpClient{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	status, body := h.post("/api/auth/sign-in", map[string]string{"email": email, "password": password})
	if status != 200 {
		t.Fatalf("sign in: %d %v", status, body)
	}
	h.csrf = body["csrfToken"].(string)
	return h
}

// TestSIGKILLLosesNothingAcknowledged creates accounts and labs through the
// API, kills the process with SIGKILL right after the last answer, starts
// it again on the same data dir and finds every one of them.
func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	bin := buildBinary(t)
	dataDir := t.TempDir()
	addr := freeAddr(t)
	env := []string{"LINKLAB_ADDR=" + addr, "LINKLAB_DATA_DIR=" + dataDir,
		"LINKLAB_ADMIN_EMAIL=root@example.org", "LINKLAB_ADMIN_PASSWORD=a long admin password"}
	cmd, _ := startBinary(t, bin, env...)
	admin := signedIn(t, "http://"+addr, "root@example.org", "a long admin password")
	const n = 20
	for i := range n {
		if status, body := admin.post("/api/labs", map[string]any{"slug": fmt.Sprintf("lab-%d", i), "country": "NO",
			"title": fmt.Sprintf("Lab %d", i), "targetGroup": "families"}); status != 201 {
			t.Fatalf("create lab %d: %d %v", i, status, body)
		}
		if status, body := admin.post("/api/admin/accounts", map[string]any{"email": fmt.Sprintf("p%d@example.org", i),
			"displayName": "P", "password": "a long member password"}); status != 201 {
			t.Fatalf("create account %d: %d %v", i, status, body)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	startBinary(t, bin, env...)
	admin = signedIn(t, "http://"+addr, "root@example.org", "a long admin password")
	_, labsBody := admin.get("/api/labs?limit=200")
	if got := len(labsBody["items"].([]any)); got != n {
		t.Fatalf("%d labs after SIGKILL, want %d", got, n)
	}
	_, accounts := admin.get("/api/admin/accounts?limit=200")
	if got := len(accounts["items"].([]any)); got != n+1 {
		t.Fatalf("%d accounts after SIGKILL, want %d", got, n+1)
	}
	signedIn(t, "http://"+addr, "p19@example.org", "a long member password")
}

// TestGracefulShutdown: SIGTERM stops the server cleanly with exit code 0.
func TestGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	addr := freeAddr(t)
	cmd, logs := startBinary(t, bin, "LINKLAB_ADDR="+addr, "LINKLAB_DATA_DIR="+t.TempDir(), "LINKLAB_DEMO=true")
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit 30s after SIGTERM")
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Fatalf("no orderly stop in the logs:\n%s", logs.String())
	}
}
