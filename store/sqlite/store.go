// Package sqlite is the embedded storage engine: one SQLite file in the data
// directory, through the pure-Go modernc.org/sqlite driver.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/linklab/linklab/labs"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database file's name inside the data directory.
const FileName = "linklab.db"

// Config configures the engine. Zero values get defaults in Open.
type Config struct {
	// Path is the database file. Required.
	Path string
	// BusyTimeout is how long a writer waits for the write lock (default 10s).
	BusyTimeout time.Duration
	// MaxOpenConns bounds the connection pool (default 8).
	MaxOpenConns int
}

// Store implements labs.Store on SQLite.
type Store struct {
	db *sql.DB
}

var _ labs.Store = (*Store)(nil)

// Open opens (creating if needed) the database at cfg.Path, and applies any
// migrations it has not seen yet.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" {
		return nil, errors.New("sqlite: empty path")
	}
	if cfg.BusyTimeout == 0 {
		cfg.BusyTimeout = 10 * time.Second
	}
	if cfg.MaxOpenConns == 0 {
		cfg.MaxOpenConns = 8
	}
	q := url.Values{}
	// WAL lets readers run beside the writer; synchronous=FULL makes every
	// acknowledged commit survive power loss, not only a process kill;
	// immediate transactions take the write lock at BEGIN, so two writers
	// never deadlock upgrading a read lock.
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	// What is deleted or overwritten is zeroed in the file, not left in free
	// pages for a copy of it to show (an anonymous item's former author).
	q.Add("_pragma", "secure_delete(1)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", cfg.BusyTimeout.Milliseconds()))
	q.Set("_txlock", "immediate")
	abs, err := filepath.Abs(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("sqlite path %s: %w", cfg.Path, err)
	}
	db, err := sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}
	db.SetMaxOpenConns(cfg.MaxOpenConns)
	db.SetMaxIdleConns(cfg.MaxOpenConns)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// Move what migrations wrote from the WAL into the file now, so that
	// a copy of the file alone holds no value a migration erased.
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		db.Close()
		return nil, fmt.Errorf("checkpoint %s: %w", abs, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Ping checks the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping sqlite: %w", err)
	}
	return nil
}

// migrate applies, in order and each in its own transaction, the embedded
// migrations whose version is above the recorded one. Migrations are named
// NNNN_description.sql and never edited once released.
func (s *Store) migrate(ctx context.Context) error { return s.migrateTo(ctx, math.MaxInt) }

// migrateTo applies the migrations up to and including version last.
func (s *Store) migrateTo(ctx context.Context, last int) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	entries, err := migrations.ReadDir("migrations")
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("migration %s: name must start with a number and an underscore", e.Name())
		}
		if version > last {
			break
		}
		if err := s.applyMigration(ctx, version, "migrations/"+e.Name()); err != nil {
			return err
		}
	}
	return nil
}

// keysOff marks a migration that rebuilds a table other tables refer to.
// SQLite cannot change a column's constraints in place: such a migration
// copies the table, drops the old one and renames the copy, with foreign
// keys off (or the drop would cascade into the referring rows), and is
// committed only if every reference still holds afterwards.
const keysOff = "-- linklab: foreign keys off"

func (s *Store) applyMigration(ctx context.Context, version int, name string) error {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return fmt.Errorf("read migration %s: %w", name, err)
	}
	// One connection, because the foreign_keys pragma is per connection
	// and cannot change inside a transaction.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	defer conn.Close()
	rebuild := strings.HasPrefix(string(body), keysOff)
	if rebuild {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
		return fmt.Errorf("check migration %d: %w", version, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("apply migration %s: %w", name, err)
	}
	if rebuild {
		rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return fmt.Errorf("check references after %s: %w", name, err)
		}
		broken := rows.Next()
		rows.Close()
		if broken {
			return fmt.Errorf("migration %s leaves rows referring to nothing; not applied", name)
		}
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(version, applied_at) VALUES (?, ?)",
		version, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("record migration %d: %w", version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit migration %s: %w", name, err)
	}
	return nil
}

// tx runs fn in an immediate transaction and commits if fn returns nil.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// translate maps driver errors to domain errors, once for the whole engine:
// no rows becomes ENotFound and uniqueness violations EConflict, each with a
// message naming the kind of thing (what) and nothing of the row's data.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &labs.Error{Code: labs.ENotFound, Message: what + " not found.", Err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &labs.Error{Code: labs.EConflict, Message: what + " already exists.", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &labs.Error{Code: labs.EInvalid, Message: what + " refers to something that does not exist.", Err: err}
		}
	}
	return err
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(dest ...any) error }

// list runs a paged query and scans its rows. The query must select rows
// ordered by key ascending with key > ? and LIMIT ? as its last two
// parameters; list adds the cursor and limit+1 itself.
func list[T any](ctx context.Context, db *sql.DB, what string, p labs.Page, scan func(scanner) (T, error), key func(T) string, query string, args ...any) ([]T, string, error) {
	p = p.Normalize()
	rows, err := db.QueryContext(ctx, query, append(args, p.After, p.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", what, err)
	}
	defer rows.Close()
	var items []T
	var keys []string
	for rows.Next() {
		it, err := scan(rows)
		if err != nil {
			return nil, "", fmt.Errorf("scan %s: %w", what, err)
		}
		items = append(items, it)
		keys = append(keys, key(it))
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list %s: %w", what, err)
	}
	next, n := labs.NextCursor(keys, p.Limit)
	return items[:n], next, nil
}

// dbtx is what *sql.DB and *sql.Tx have in common, so one insert can run
// alone or inside a larger transaction.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// mustAffect turns "no row changed" into ENotFound.
func mustAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return translate(err, what)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("rows affected: %w", err)
	}
	if n == 0 {
		return labs.Errorf(labs.ENotFound, "%s not found.", what)
	}
	return nil
}

// placeholders returns n comma-separated parameters, for an IN list.
func placeholders(n int) string { return strings.Repeat("?, ", n-1) + "?" }
