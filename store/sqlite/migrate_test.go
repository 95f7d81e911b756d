package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/linklab/linklab/labs"
)

// TestRebuildKeepsReferences: migration 5 rebuilds the documents table
// that sections and comments refer to. Rows written before it must all be
// there afterwards, and deleting a document must still remove its
// sections and comments.
func TestRebuildKeepsReferences(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{Path: filepath.Join(t.TempDir(), FileName)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Start again from an empty schema at migration 4: drop every table
	// (with references off, so the order does not matter).
	s.db.SetMaxOpenConns(1)
	// Virtual tables first: dropping one drops its shadow tables.
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY sql NOT LIKE 'CREATE VIRTUAL%'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	s.db.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
	for _, table := range tables {
		if _, err := s.db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
			t.Fatal(err)
		}
	}
	s.db.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	if err := s.migrateTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO labs(id, slug, title, country, target_group, description, languages, created_at, updated_at)
		VALUES ('L', 'l', 'Lab', 'NO', 'families', '', '["en"]', 0, 0)`)
	for _, d := range []string{"D1", "D2"} {
		exec(`INSERT INTO documents(id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at)
			VALUES (?, 'L', 'baseline', 'baseline@1', 'B', 'lab', 'a', 0, 0)`, d)
		exec(`INSERT INTO sections(document_id, position, id, key, title, guidance, text, version)
			VALUES (?, 0, ?, 'k', 'T', '', 'text', 0)`, d, "S"+d)
		exec(`INSERT INTO comments VALUES (?, ?, ?, '', 'a', 0, 'hi', 0, 1, 0, 0, '', '', 0, 0, 0)`, "C"+d, d, "S"+d)
	}
	if err := s.migrate(ctx); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count("SELECT COUNT(*) FROM documents WHERE lab_id = 'L' AND revision = 0 AND members = '[]'"); n != 2 {
		t.Fatalf("%d documents kept, want 2", n)
	}
	if n := count("SELECT COUNT(*) FROM sections WHERE visibility = ''"); n != 2 {
		t.Fatalf("%d sections kept, want 2", n)
	}
	var fk int
	if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys after the migration = %d, %v", fk, err)
	}
	exec("DELETE FROM documents WHERE id = 'D1'")
	if n := count("SELECT COUNT(*) FROM sections") + count("SELECT COUNT(*) FROM comments"); n != 2 {
		t.Fatalf("after deleting a document %d sections and comments are left, want 2", n)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO documents(id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at)
		VALUES ('D3', NULL, 'baseline', 'baseline@1', 'B', 'lab', 'a', 0, 0)`)
	if err == nil {
		t.Fatal("a baseline without a lab was stored")
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO documents(id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at)
		VALUES ('D4', 'nowhere', 'baseline', 'baseline@1', 'B', 'lab', 'a', 0, 0)`)
	if err == nil {
		t.Fatal("a document of a lab that does not exist was stored")
	}
}

// TestAnonymousAuthorsAreErased: migration 8 takes the stored account off
// every anonymous comment and feedback written before, leaves named items
// as they were, and the account ID is then nowhere in the database file.
func TestAnonymousAuthorsAreErased(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO labs(id, slug, title, country, target_group, description, languages, created_at, updated_at)
		VALUES ('L', 'l', 'Lab', 'NO', 'families', '', '["en"]', 0, 0)`)
	exec(`INSERT INTO documents(id, lab_id, kind, template, title, visibility, created_by, created_at, updated_at)
		VALUES ('D', 'L', 'baseline', 'baseline@1', 'B', 'lab', 'someone', 0, 0)`)
	const secret, named = "ACCOUNTOFANONYMOUSAUTHOR01", "ACCOUNTOFNAMEDAUTHOR000001"
	const comment = `INSERT INTO comments(id, document_id, section_id, parent_id, author_id, anonymous, body, anchor_from,
		anchor_to, version, resolved, hidden_reason, hidden_by, hidden_at, created_at, updated_at)
		VALUES (?, 'D', 'S', '', ?, ?, 'hi', 0, 1, 0, 0, '', '', 0, 0, 0)`
	exec(comment, "C1", secret, 1)
	exec(comment, "C2", named, 0)
	exec(`INSERT INTO feedback(id, lab_id, target, target_id, author_id, anonymous, rating, body, hidden_reason, hidden_by, hidden_at, created_at, updated_at)
		VALUES ('F1', 'L', 'lab', 'L', ?, 1, 5, 'good', '', '', 0, 0, 0)`, secret)
	exec("DELETE FROM schema_migrations WHERE version = 8") // as if written by the version before
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = Open(ctx, Config{Path: path}); err != nil {
		t.Fatal(err)
	}
	var authors []string
	rows, err := s.db.QueryContext(ctx, "SELECT author_id FROM comments UNION ALL SELECT author_id FROM feedback ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		rows.Scan(&a)
		authors = append(authors, a)
	}
	rows.Close()
	if fmt.Sprint(authors) != fmt.Sprint([]string{"", "", named}) {
		t.Fatalf("authors after the migration: %q", authors)
	}
	s.Close()
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Fatalf("%s still holds the anonymous author's account ID", filepath.Base(f))
		}
	}
}

// TestOlderSectorNamesAreRenamed: migration 12 gives memberships stored
// with an invitation's older spelling of a sector the one spelling.
func TestOlderSectorNamesAreRenamed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	for i, sector := range []string{"social_services", "ngo", "health", ""} {
		m := labs.Membership{LabID: "L", AccountID: fmt.Sprint("A", i), Role: labs.RoleFrontlineStaff, DisplayName: "x", Sector: sector}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO labs(id, slug, title, country, target_group, description, languages, created_at, updated_at)
			VALUES ('L', 'l', 'Lab', 'NO', 'families', '', '["en"]', 0, 0) ON CONFLICT DO NOTHING`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO accounts(id, email, display_name, password_hash, created_at, updated_at)
			VALUES (?, ?, 'x', '', 0, 0)`, m.AccountID, m.AccountID+"@example.org"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddMembership(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM schema_migrations WHERE version = 12"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(ctx, Config{Path: path}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got []string
	for i := range 4 {
		m, err := s.Membership(ctx, "L", fmt.Sprint("A", i))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Sector)
	}
	if fmt.Sprint(got) != fmt.Sprint([]string{"social-services", "ngo-volunteer", "health", ""}) {
		t.Fatalf("sectors after the migration: %q", got)
	}
}
