package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/postgres"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
	"github.com/ltiforge/ltiforge/runtime/store/sqlite"
)

// EnvPostgres names the environment variable holding the DSN of a
// PostgreSQL database the tests may use (they work in fresh schemas of it
// and drop them afterwards), for example
// postgres://ltiforge:ltiforge@127.0.0.1:5432/ltiforge?sslmode=disable.
const EnvPostgres = "LTIFORGE_TEST_POSTGRES"

// Backend is one Store implementation under test.
type Backend struct {
	// Name is "sqlite" or "postgres".
	Name string
	// NewDSN returns the DSN of a new, empty database of its own, removed
	// when the test ends. A PostgreSQL DSN also caps the pool of a store
	// opened on it with pool_max_conns, which pgxpool reads but
	// pgx.Connect passes to the server (which refuses it): connect to it
	// with a store or pgxpool.
	NewDSN func(t testing.TB) string
	// Open opens a store on a DSN.
	Open func(ctx context.Context, dsn string, opts store.Options) (store.Store, error)
	// RawContains reports whether needle appears anywhere in the stored
	// data of the database of dsn, read past the Store: in the SQLite
	// files' bytes, or in every row of every PostgreSQL table as text
	// (bytea values also searched for in hex).
	RawContains func(t *testing.T, dsn, needle string) bool
}

// OpenDSN opens a store on dsn with TestSealer(t) and the default nonce
// retention; it is closed when the test ends.
func (b Backend) OpenDSN(t *testing.T, dsn string) store.Store {
	t.Helper()
	return b.OpenWith(t, dsn, store.Options{Sealer: TestSealer(t)})
}

// OpenWith opens a store on dsn with opts; it is closed when the test
// ends.
func (b Backend) OpenWith(t *testing.T, dsn string, opts store.Options) store.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	st, err := b.Open(ctx, dsn, opts)
	if err != nil {
		t.Fatalf("%s: open: %v", b.Name, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("%s: close: %v", b.Name, err)
		}
	})
	return st
}

// NewStore opens a store on a new, empty database (see OpenDSN).
func (b Backend) NewStore(t *testing.T) store.Store {
	t.Helper()
	return b.OpenDSN(t, b.NewDSN(t))
}

// processSalt makes TestSealer's keys random per test process.
var processSalt = sync.OnceValue(func() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("storetest: " + err.Error())
	}
	return b
})

// TestSealer returns a Sealer whose key is random but fixed for the test
// (t.Name()) in this process: two calls in one test give the same key,
// so two stores a test opens on one database read each other's secrets.
func TestSealer(t testing.TB) *seal.Sealer {
	t.Helper()
	h := sha256.New()
	h.Write(processSalt())
	h.Write([]byte(t.Name()))
	s, err := seal.New(h.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SQLite returns the SQLite backend: each DSN is a file in a new
// t.TempDir().
func SQLite() Backend {
	return Backend{
		Name: "sqlite",
		NewDSN: func(t testing.TB) string {
			return t.TempDir() + "/store.db"
		},
		Open: func(ctx context.Context, dsn string, opts store.Options) (store.Store, error) {
			return sqlite.Open(ctx, dsn, opts)
		},
		RawContains: sqliteRawContains,
	}
}

// sqliteRawContains searches the database file and its WAL and shared
// memory files.
func sqliteRawContains(t *testing.T, dsn, needle string) bool {
	t.Helper()
	path, err := sqlite.FilePath(dsn)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found = found || bytes.Contains(data, []byte(needle))
	}
	return found
}

// Postgres returns the PostgreSQL backend on the database of
// LTIFORGE_TEST_POSTGRES. When the variable is unset it skips the test,
// unless CI=true, where it fails it: CI must never skip PostgreSQL
// silently.
func Postgres(t testing.TB) Backend {
	t.Helper()
	b, ok := postgresBackend(t)
	if !ok {
		t.SkipNow()
	}
	return b
}

// postgresBackend returns the PostgreSQL backend, or reports (as a log
// message, or under CI=true as a test failure) why there is none.
func postgresBackend(t testing.TB) (Backend, bool) {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Errorf("%s is not set, and CI=true: the PostgreSQL store must be tested in CI (.ci/run starts a server and sets it)", EnvPostgres)
		} else {
			t.Logf("PostgreSQL store tests skipped: set %s to a PostgreSQL DSN (e.g. postgres://ltiforge:ltiforge@127.0.0.1:5432/ltiforge?sslmode=disable) to run them", EnvPostgres)
		}
		return Backend{}, false
	}
	return Backend{
		Name:   "postgres",
		NewDSN: func(t testing.TB) string { return newPostgresSchema(t, base) },
		Open: func(ctx context.Context, dsn string, opts store.Options) (store.Store, error) {
			return postgres.Open(ctx, dsn, opts)
		},
		RawContains: postgresRawContains,
	}, true
}

// Backends returns every backend to test: SQLite always, PostgreSQL when
// LTIFORGE_TEST_POSTGRES is set (see Postgres for when it is not).
func Backends(t testing.TB) []Backend {
	t.Helper()
	bs := []Backend{SQLite()}
	if pg, ok := postgresBackend(t); ok {
		bs = append(bs, pg)
	}
	return bs
}

// newPostgresSchema creates a schema ltitest_<random> in the database of
// base, drops it when the test ends, and returns base with its
// search_path set to the schema.
func newPostgresSchema(t testing.TB, base string) string {
	t.Helper()
	rnd := make([]byte, 8)
	rand.Read(rnd)
	schema := "ltitest_" + hex.EncodeToString(rnd)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("postgres: connect to %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("postgres: drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("postgres: drop schema %s: %v", schema, err)
		}
	})
	dsn, err := withSearchPath(base, schema)
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// testPoolSize caps the connections of each store a test opens, so that
// many parallel tests stay within the server's max_connections (100 by
// default) however many CPUs the machine has.
const testPoolSize = 4

// withSearchPath returns dsn (URL or keyword/value form) with the
// connection's search_path set to schema (an identifier needing no
// quotes), through the "options" startup parameter, and the pool size
// capped (pool_max_conns, which pgxpool reads, unless dsn sets it).
func withSearchPath(dsn, schema string) (string, error) {
	opt := "-csearch_path=" + schema
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", fmt.Errorf("postgres: %s is not a valid URL", EnvPostgres)
		}
		q := u.Query()
		q.Set("options", opt)
		if !q.Has("pool_max_conns") {
			q.Set("pool_max_conns", fmt.Sprint(testPoolSize))
		}
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		dsn += fmt.Sprintf(" pool_max_conns=%d", testPoolSize)
	}
	return dsn + " options='" + opt + "'", nil
}

// postgresRawContains reads every row of every table of the DSN's
// schema as text.
func postgresRawContains(t *testing.T, dsn, needle string) bool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A pool, not pgx.Connect: the DSN carries pool_max_conns.
	conn, err := pgxpool.New(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) == 0 {
		t.Fatal("postgres: the schema has no tables")
	}
	hexNeedle := hex.EncodeToString([]byte(needle))
	for _, table := range tables {
		var text string
		q := fmt.Sprintf("SELECT COALESCE(string_agg(t::text, E'\\n'), '') FROM %s t", pgx.Identifier{table}.Sanitize())
		if err := conn.QueryRow(ctx, q).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, needle) || strings.Contains(text, hexNeedle) {
			return true
		}
	}
	return false
}
