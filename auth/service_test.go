package auth_test

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/sqlite"
)

func mustService(tb testing.TB, params auth.Params) (*auth.Service, *sqlite.Store) {
	tb.Helper()
	store, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(tb.TempDir(), "a.db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { store.Close() })
	svc, err := auth.New(auth.Config{Store: store, Hasher: auth.Hasher{Params: params}})
	if err != nil {
		tb.Fatal(err)
	}
	return svc, store
}

// TestSignInBurstBoundsMemory: 64 people signing in at once allocate no
// more argon2 memory than the bounded number of hashing slots needs.
func TestSignInBurstBoundsMemory(t *testing.T) {
	params := auth.Params{MemoryKiB: 16 * 1024, Time: 1, Threads: 1}
	svc, _ := mustService(t, params)
	ctx := context.Background()
	if _, err := svc.CreateAccount(ctx, auth.NewAccount{Email: "p@example.org", DisplayName: "P", Password: "a long password"}); err != nil {
		t.Fatal(err)
	}
	var peak uint64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			default:
			}
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			time.Sleep(time.Millisecond)
		}
	})
	const people = 64
	var wg sync.WaitGroup
	for range people {
		wg.Go(func() {
			if _, err := svc.CheckCredentials(ctx, "p@example.org", "a long password"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	close(stop)
	sampler.Wait()
	slots := uint64(2 * runtime.GOMAXPROCS(0))
	perHash := uint64(params.MemoryKiB) * 1024
	// Unbounded, 64 concurrent hashes would hold 64 x 16 MiB = 1 GiB.
	// Bounded, the slots' hashes plus garbage not yet collected stay far below.
	if limit := (slots + 8) * perHash; peak > limit {
		t.Fatalf("peak heap %d MiB during a burst of %d sign-ins, want under %d MiB (%d slots)", peak>>20, people, limit>>20, slots)
	}
}

func TestSignInErrorsDoNotTellWhichPartWasWrong(t *testing.T) {
	svc, _ := mustService(t, auth.Params{MemoryKiB: 64, Time: 1, Threads: 1})
	ctx := context.Background()
	svc.CreateAccount(ctx, auth.NewAccount{Email: "p@example.org", DisplayName: "P", Password: "a long password"})
	_, wrongPassword := svc.CheckCredentials(ctx, "p@example.org", "another password")
	_, wrongEmail := svc.CheckCredentials(ctx, "q@example.org", "a long password")
	if labs.ErrorCode(wrongPassword) != labs.EUnauthenticated || labs.ErrorMessage(wrongPassword) != labs.ErrorMessage(wrongEmail) {
		t.Fatalf("wrong password: %v; wrong e-mail: %v", wrongPassword, wrongEmail)
	}
}

// BenchmarkSignInBurst is a room signing in at once: 100 concurrent
// sign-ins per core with the production argon2id parameters.
func BenchmarkSignInBurst(b *testing.B) {
	svc, _ := mustService(b, auth.DefaultParams)
	ctx := context.Background()
	if _, err := svc.CreateAccount(ctx, auth.NewAccount{Email: "p@example.org", DisplayName: "P", Password: "a long password"}); err != nil {
		b.Fatal(err)
	}
	b.SetParallelism(100)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svc.CheckCredentials(ctx, "p@example.org", "a long password"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
