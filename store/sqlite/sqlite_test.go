package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/sqlite"
	"github.com/linklab/linklab/store/storetest"
)

func mustOpen(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		storetest.Run(t, func(tb testing.TB) labs.Store {
			return mustOpen(tb, filepath.Join(tb.TempDir(), sqlite.FileName))
		})
	})
}

// TestReopen: data and the applied migrations survive closing and opening.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), sqlite.FileName)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, sqlite.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddPolicyRules(ctx, []labs.PolicyRule{{PType: "p", V: [6]string{"a"}}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2 := mustOpen(t, path)
	rules, err := s2.PolicyRules(ctx)
	if err != nil || len(rules) != 1 {
		t.Fatalf("after reopen rules = %v, %v", rules, err)
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(tb testing.TB) labs.Store {
		return mustOpen(tb, filepath.Join(tb.TempDir(), sqlite.FileName))
	})
}
