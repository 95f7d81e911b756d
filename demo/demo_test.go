package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/linklab/linklab/auth"
	"github.com/linklab/linklab/demo"
	"github.com/linklab/linklab/labs"
	"github.com/linklab/linklab/store/sqlite"
)

// TestSeedIsIdempotent: seeding twice gives the same six labs, members in
// every role, baselines with text, and accounts that can sign in.
func TestSeedIsIdempotent(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "d.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc, err := auth.New(auth.Config{Store: store, Hasher: auth.Hasher{Params: auth.Params{MemoryKiB: 64, Time: 1, Threads: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := demo.Seed(ctx, store, svc)
	if err != nil {
		t.Fatal(err)
	}
	second, err := demo.Seed(ctx, store, svc)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != len(second) || len(first) != 1+6*7+1 {
		t.Fatalf("credentials: %d then %d, want %d (admin, members, partner)", len(first), len(second), 1+6*7+1)
	}
	all, _, err := store.ListLabs(ctx, labs.Page{})
	if err != nil || len(all) != 6 {
		t.Fatalf("%d labs (%v), want 6", len(all), err)
	}
	for _, l := range all {
		members, _, err := store.ListMemberships(ctx, l.ID, labs.Page{})
		if err != nil || len(members) != 7 {
			t.Fatalf("lab %s has %d members (%v), want 7", l.Slug, len(members), err)
		}
		roles := map[labs.Role]int{}
		for _, m := range members {
			roles[m.Role]++
		}
		for _, r := range labs.Roles {
			if roles[r] == 0 {
				t.Errorf("lab %s has nobody in the role %s", l.Slug, r)
			}
		}
		docs, _, err := store.ListDocuments(ctx, l.ID, labs.Page{})
		want := 1
		if l.Slug == "norway" {
			want = 2 // and its proposal
		}
		if err != nil || len(docs) != want || docs[0].Kind != labs.KindBaseline {
			t.Fatalf("lab %s has %d documents (%v), want a baseline and %d more", l.Slug, len(docs), err, want-1)
		}
		d, err := store.Document(ctx, docs[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		filled := 0
		for _, s := range d.Sections {
			if s.Text != "" {
				filled++
			}
		}
		if filled < 3 {
			t.Errorf("lab %s baseline has %d sections with text, want at least 3", l.Slug, filled)
		}
	}
	partner, err := store.AccountByEmail(ctx, demo.PartnerEmail)
	if err != nil || partner.PartnerOrgID == "" {
		t.Fatalf("demo partner: %+v, %v", partner, err)
	}
	syntheses, _, err := store.ListDocuments(ctx, "", labs.Page{})
	if err != nil || len(syntheses) != 1 || syntheses[0].Kind != labs.KindSynthesis || syntheses[0].CreatedBy != partner.ID {
		t.Fatalf("the partners' syntheses: %+v, %v", syntheses, err)
	}
	if _, err := svc.CheckCredentials(ctx, demo.Email(labs.RoleManager, "SE"), demo.Password); err != nil {
		t.Fatalf("demo manager cannot sign in: %v", err)
	}
}
