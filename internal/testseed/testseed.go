// Package testseed gives randomized tests their seed: the same one on every
// run, so a failure in CI happens again on a laptop, unless
// LINKLAB_TEST_SEED names another to explore with.
package testseed

import (
	"os"
	"strconv"
	"testing"
)

// Default is the seed randomized tests use unless told otherwise.
const Default = 20261123

// Seed returns LINKLAB_TEST_SEED, or Default, and logs it.
func Seed(tb testing.TB) uint64 {
	tb.Helper()
	s := uint64(Default)
	if v := os.Getenv("LINKLAB_TEST_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("LINKLAB_TEST_SEED=%q: %v", v, err)
		}
		s = n
	}
	tb.Logf("seed %d (LINKLAB_TEST_SEED=%d to run it again)", s, s)
	return s
}
