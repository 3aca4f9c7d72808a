package postgres_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/postgres"
	"github.com/ltiforge/ltiforge/runtime/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Postgres(t))
}

// embeddedCount counts the migration files the package embeds.
func embeddedCount(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	return len(files)
}

// schemaVersion reads schema_migrations of the DSN's schema.
func schemaVersion(t *testing.T, dsn string) (max, count int) {
	t.Helper()
	conn, err := pgxpool.New(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRow(t.Context(), `SELECT COALESCE(MAX(version), 0), COUNT(*) FROM schema_migrations`).Scan(&max, &count); err != nil {
		t.Fatal(err)
	}
	return max, count
}

func TestMigrations(t *testing.T) {
	b := storetest.Postgres(t)
	n := embeddedCount(t)
	dsn := b.NewDSN(t)
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	s, err := postgres.Open(t.Context(), dsn, store.Options{Sealer: storetest.TestSealer(t), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(logged.String(), "applied migration"); got != n {
		t.Errorf("first open applied %d migrations, want %d", got, n)
	}
	if max, count := schemaVersion(t, dsn); max != n || count != n {
		t.Errorf("recorded version %d (%d rows), want %d", max, count, n)
	}
	s.Close()
	logged.Reset()
	s, err = postgres.Open(t.Context(), dsn, store.Options{Sealer: storetest.TestSealer(t), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if logged.Len() != 0 {
		t.Errorf("second open logged %q, want nothing applied", logged.String())
	}
	if max, count := schemaVersion(t, dsn); max != n || count != n {
		t.Errorf("after the second open: version %d (%d rows), want %d", max, count, n)
	}
	// A schema newer than the program is refused.
	conn, err := pgxpool.New(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(t.Context(), `INSERT INTO schema_migrations (version, name) VALUES ($1, 'future.sql')`, n+1); err != nil {
		t.Fatal(err)
	}
	if s, err := postgres.Open(t.Context(), dsn, store.Options{Sealer: storetest.TestSealer(t)}); err == nil {
		s.Close()
		t.Error("Open accepted a schema newer than the program")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error %q does not say the schema is newer", err)
	}
}

// TestConcurrentFirstOpen starts several instances on one new schema at
// once: the advisory lock makes them apply each migration once.
func TestConcurrentFirstOpen(t *testing.T) {
	b := storetest.Postgres(t)
	dsn := b.NewDSN(t)
	const n = 8
	var (
		wg   sync.WaitGroup
		errs = make([]error, n)
		logs = make([]strings.Builder, n)
	)
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			s, err := postgres.Open(t.Context(), dsn, store.Options{Sealer: storetest.TestSealer(t), Logger: slog.New(slog.NewTextHandler(&logs[i], nil))})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	applied := 0
	for i := range n {
		if errs[i] != nil {
			t.Errorf("instance %d: %v", i, errs[i])
		}
		applied += strings.Count(logs[i].String(), "applied migration")
	}
	want := embeddedCount(t)
	if applied != want {
		t.Errorf("the instances applied %d migrations in all, want %d", applied, want)
	}
	if max, count := schemaVersion(t, dsn); max != want || count != want {
		t.Errorf("recorded version %d (%d rows), want %d", max, count, want)
	}
}

func TestMissingSchema(t *testing.T) {
	b := storetest.Postgres(t)
	dsn := b.NewDSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skip("LTIFORGE_TEST_POSTGRES is not a URL")
	}
	q := u.Query()
	q.Set("options", "-csearch_path=ltitest_does_not_exist")
	u.RawQuery = q.Encode()
	if s, err := postgres.Open(t.Context(), u.String(), store.Options{Sealer: storetest.TestSealer(t)}); err == nil {
		s.Close()
		t.Fatal("Open succeeded without a schema to create tables in")
	} else if !strings.Contains(err.Error(), "schema") {
		t.Errorf("error %q does not mention the schema", err)
	}
}

// TestOpenErrorsHidePassword needs no server: nothing listens on port 1.
func TestOpenErrorsHidePassword(t *testing.T) {
	const pw = "hunter2-supersecret"
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, "postgres://u:"+pw+"@127.0.0.1:1/db?sslmode=disable&connect_timeout=2", store.Options{Sealer: storetest.TestSealer(t)})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded with nothing listening")
	}
	if strings.Contains(err.Error(), pw) {
		t.Errorf("error %q contains the password", err)
	}
	if _, err := postgres.Open(ctx, "postgres://u:"+pw+"@127.0.0.1:1/db", store.Options{}); err == nil || strings.Contains(err.Error(), pw) {
		t.Errorf("Open without a sealer: %v", err)
	}
	if _, err := postgres.Open(ctx, "postgres://u:"+pw+"@[bad", store.Options{Sealer: storetest.TestSealer(t)}); err == nil || strings.Contains(err.Error(), pw) {
		t.Errorf("Open of a malformed DSN: %v", err)
	}
}

func TestIsDSN(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://u@h/db": true, "POSTGRES://u@h/db": true,
		"/var/lib/x.db": false, "sqlite:x.db": false, "file:postgres://x": false, "host=h dbname=d": false,
	} {
		if got := postgres.IsDSN(dsn); got != want {
			t.Errorf("IsDSN(%q) = %v, want %v", dsn, got, want)
		}
	}
}

// TestNonceCommitIsLocal checks that Seen's synchronous_commit=off stays
// in its own transaction: every pooled connection keeps the server's
// setting, so the other writes still wait for the WAL flush. It also
// checks that the pool caches prepared statements.
func TestNonceCommitIsLocal(t *testing.T) {
	b := storetest.Postgres(t)
	s, err := postgres.Open(t.Context(), b.NewDSN(t), store.Options{Sealer: storetest.TestSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	pool := s.Pool()
	if m := pool.Config().ConnConfig.DefaultQueryExecMode; m != pgx.QueryExecModeCacheStatement {
		t.Errorf("query exec mode %v, want cache_statement", m)
	}
	var want string
	if err := pool.QueryRow(ctx, `SELECT boot_val FROM pg_settings WHERE name = 'synchronous_commit'`).Scan(&want); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				if seen, err := s.Seen(ctx, "k", fmt.Sprint(g, "-", i), time.Now()); err != nil || seen {
					t.Errorf("Seen = %v, %v", seen, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	// Hold every connection of the pool at once, so that each is checked.
	var conns []*pgxpool.Conn
	for range pool.Stat().TotalConns() {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var got string
		if err := c.QueryRow(ctx, `SHOW synchronous_commit`).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("a pooled connection has synchronous_commit=%s after Seen, want %s", got, want)
		}
	}
	for _, c := range conns {
		c.Release()
	}
	if seen, err := s.Seen(ctx, "k", "0-0", time.Now()); err != nil || !seen {
		t.Errorf("replay = %v, %v", seen, err)
	}
}
