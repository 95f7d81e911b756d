package mongo_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/mongo"
	"github.com/linklab/linklab/store/mongo/mongotest"
	"github.com/linklab/linklab/store/storetest"
)

// javaServerURI is the mongo-java-server started by TestMain.
var javaServerURI string

func TestMain(m *testing.M) { os.Exit(mongotest.RunTests(m, &javaServerURI)) }

var dbCounter atomic.Int64

// factory opens a store on a fresh database of the server at uri and drops
// it afterwards.
func factory(uri, writeConcern string) storetest.Factory {
	return func(tb testing.TB) labs.Store {
		tb.Helper()
		name := fmt.Sprintf("linklab_test_%d_%d", time.Now().UnixNano(), dbCounter.Add(1))
		s, err := mongo.Open(context.Background(), mongo.Config{URI: uri, Database: name, WriteConcern: writeConcern})
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() {
			s.DropDatabase(context.Background())
			s.Close()
		})
		return s
	}
}

// TestConformance runs the suite against mongo-java-server and, when
// LINKLAB_TEST_MONGODB_URI names one, against a real MongoDB as well.
func TestConformance(t *testing.T) {
	t.Run("mongo-java-server", func(t *testing.T) { storetest.Run(t, factory(javaServerURI, "1")) })
	if uri := os.Getenv("LINKLAB_TEST_MONGODB_URI"); uri != "" {
		t.Run("real-mongodb", func(t *testing.T) { storetest.Run(t, factory(uri, "majority")) })
	} else {
		t.Log("LINKLAB_TEST_MONGODB_URI is not set: the suite ran against mongo-java-server only")
	}
}

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, factory(javaServerURI, "1"))
}

// TestOlderSectorNamesAreRenamed: a membership stored with an invitation's
// older spelling of a sector has the one spelling after the store opens.
func TestOlderSectorNamesAreRenamed(t *testing.T) {
	ctx := context.Background()
	name := fmt.Sprintf("linklab_test_sectors_%d", time.Now().UnixNano())
	s, err := mongo.Open(ctx, mongo.Config{URI: javaServerURI, Database: name, WriteConcern: "1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.DropDatabase(context.Background()); s.Close() })
	m := labs.Membership{LabID: "L", AccountID: "A", Role: labs.RoleFrontlineStaff, DisplayName: "Social worker",
		StakeholderLevel: labs.LevelMicro, Sector: "social_services", JoinedAt: time.Now().UTC().Truncate(time.Millisecond)}
	if err := s.AddMembership(ctx, m); err != nil {
		t.Fatal(err)
	}
	again, err := mongo.Open(ctx, mongo.Config{URI: javaServerURI, Database: name, WriteConcern: "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	got, err := again.Membership(ctx, "L", "A")
	if err != nil || got.Sector != "social-services" {
		t.Fatalf("sector after opening again: %q, %v", got.Sector, err)
	}
}
