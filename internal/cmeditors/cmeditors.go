// Package cmeditors drives headless editors built on the real
// @codemirror/collab and @codemirror/state (realtime/jsclient/editors.mjs)
// from Go tests: a Node process, spoken to one JSON object per line.
package cmeditors

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// Editors is a running Node process of editors.
type Editors struct {
	t   testing.TB
	in  io.WriteCloser
	out *bufio.Scanner
	cmd *exec.Cmd
	mu  sync.Mutex // debug is written by the process's stderr copier
	dbg strings.Builder
}

func (e *Editors) Write(b []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.dbg.Write(b)
}

func (e *Editors) debug() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.dbg.String()
}

// dir is realtime/jsclient.
func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "realtime", "jsclient")
}

// Start starts the editors with cfg (see editors.mjs) and waits until
// every one of them is subscribed.
func Start(t testing.TB, cfg map[string]any) *Editors {
	t.Helper()
	d := dir()
	if _, err := os.Stat(filepath.Join(d, "node_modules", "@codemirror", "collab")); err != nil {
		t.Fatalf("the CodeMirror packages are not installed: run `make test`, or `npm ci` in %s", d)
	}
	e := &Editors{t: t, cmd: exec.Command("node", filepath.Join(d, "editors.mjs"))}
	e.cmd.Stderr = e
	var err error
	if e.in, err = e.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := e.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	e.out = bufio.NewScanner(stdout)
	e.out.Buffer(nil, 16<<20)
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.cmd.Process.Kill(); e.cmd.Wait() })
	e.Send(cfg)
	e.Expect("ready")
	return e
}

// Send writes one message to the editors.
func (e *Editors) Send(v any) {
	b, _ := json.Marshal(v)
	if _, err := e.in.Write(append(b, '\n')); err != nil {
		e.t.Fatalf("write to node: %v", err)
	}
}

// Expect reads the next line and returns it; it must have the key.
func (e *Editors) Expect(key string) map[string]json.RawMessage {
	e.t.Helper()
	lines := make(chan []byte, 1)
	go func() {
		if e.out.Scan() {
			lines <- append([]byte(nil), e.out.Bytes()...)
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		var m map[string]json.RawMessage
		if !ok || json.Unmarshal(line, &m) != nil || m[key] == nil {
			e.t.Fatalf("CodeMirror editors: want %q, got %q\n%s", key, line, e.debug())
		}
		return m
	case <-time.After(90 * time.Second):
		e.t.Fatalf("CodeMirror editors: no %q within 90s\n%s", key, e.debug())
	}
	return nil
}

// Texts sends the final version of each section and returns every
// editor's texts once it has them.
func (e *Editors) Texts(final map[string]int) []map[string]string {
	e.Send(map[string]any{"final": final})
	var out struct{ Texts []map[string]string }
	b, _ := json.Marshal(e.Expect("texts"))
	json.Unmarshal(b, &out)
	return out.Texts
}
