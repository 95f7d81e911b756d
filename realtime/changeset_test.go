package realtime_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/linklab/linklab/internal/testseed"
	"github.com/linklab/linklab/realtime"
)

// seed returns the seed of randomized tests (see testseed).
func seed(t testing.TB) uint32 { t.Helper(); return uint32(testseed.Seed(t)) }

func jsClientDir(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs("jsclient")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@codemirror", "collab")); err != nil {
		t.Fatalf("the CodeMirror packages are not installed: run `make test`, or `npm ci` in %s", dir)
	}
	return dir
}

func mustParse(t *testing.T, raw json.RawMessage) realtime.ChangeSet {
	t.Helper()
	c, err := realtime.ParseChangeSet(raw)
	if err != nil {
		t.Fatalf("parse %s: %v", raw, err)
	}
	return c
}

func jsonOf(t *testing.T, c realtime.ChangeSet) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canonical re-encodes JSON so that both sides' escaping compares equal.
func canonical(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestMapMatchesCodeMirror compares mapping and applying with the real
// @codemirror/state on thousands of random texts and change pairs.
func TestMapMatchesCodeMirror(t *testing.T) {
	dir := jsClientDir(t)
	s := seed(t)
	const n = 3000
	out, err := exec.Command("node", filepath.Join(dir, "vectors.mjs"), fmt.Sprint(s), fmt.Sprint(n)).Output()
	if err != nil {
		t.Fatalf("node vectors.mjs: %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	count := 0
	for sc.Scan() {
		var v struct {
			Doc                              string
			A, B, AMapB, AMapBBefore, BMapAB json.RawMessage
			BMapABefore                      json.RawMessage
			AfterA, Converged                string
			MapPos                           [][3]int
		}
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		count++
		a, b := mustParse(t, v.A), mustParse(t, v.B)
		if got := jsonOf(t, a); got != canonical(t, v.A) {
			t.Fatalf("vector %d: JSON round trip %s, want %s", count, got, canonical(t, v.A))
		}
		for _, tc := range []struct {
			name string
			got  realtime.ChangeSet
			want json.RawMessage
		}{
			{"a.map(b)", a.Map(b, false), v.AMapB},
			{"a.map(b, true)", a.Map(b, true), v.AMapBBefore},
			{"b.map(a, true)", b.Map(a, true), v.BMapABefore},
		} {
			if got := jsonOf(t, tc.got); got != canonical(t, tc.want) {
				t.Fatalf("vector %d (doc %q, a %s, b %s): %s = %s, CodeMirror says %s", count, v.Doc, v.A, v.B, tc.name, got, tc.want)
			}
		}
		for _, mp := range v.MapPos {
			if got := [2]int{a.MapPos(mp[0], -1), a.MapPos(mp[0], 1)}; got != [2]int{mp[1], mp[2]} {
				t.Fatalf("vector %d: a.mapPos(%d) = %v, CodeMirror says %v (a %s)", count, mp[0], got, mp[1:], v.A)
			}
		}
		doc := realtime.TextOf(v.Doc)
		afterA, err := a.Apply(doc)
		if err != nil || afterA.String() != v.AfterA {
			t.Fatalf("vector %d: apply a = %q (%v), CodeMirror says %q", count, afterA.String(), err, v.AfterA)
		}
		afterB, _ := b.Apply(doc)
		viaB, err := a.Map(b, false).Apply(afterB)
		if err != nil || viaB.String() != v.Converged {
			t.Fatalf("vector %d: b then a mapped = %q (%v), CodeMirror says %q", count, viaB.String(), err, v.Converged)
		}
	}
	if count != n {
		t.Fatalf("read %d vectors of %d", count, n)
	}
}
