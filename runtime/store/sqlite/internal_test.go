package sqlite

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
	"github.com/ltiforge/ltiforge/runtime/store/seal"
)

// testSealer returns a sealer with a key fixed for the test.
func testSealer(t *testing.T) *seal.Sealer {
	t.Helper()
	sum := sha256.Sum256([]byte("sqlite internal test " + t.Name()))
	s, err := seal.New(sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openTest(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func embeddedCount(t *testing.T) int {
	t.Helper()
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

func TestPragmas(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "p.db"))
	ctx := t.Context()
	for _, c := range []struct {
		db     string
		pragma string
		want   string
	}{
		{"w", "journal_mode", "wal"},
		{"w", "synchronous", "2"}, // FULL
		{"w", "foreign_keys", "1"},
		{"w", "busy_timeout", strconv.Itoa(int(BusyTimeout.Milliseconds()))},
		{"w", "query_only", "0"},
		{"r", "journal_mode", "wal"},
		{"r", "foreign_keys", "1"},
		{"r", "busy_timeout", strconv.Itoa(int(BusyTimeout.Milliseconds()))},
		{"r", "query_only", "1"},
	} {
		db := s.w
		if c.db == "r" {
			db = s.r
		}
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s pool: PRAGMA %s = %s, want %s", c.db, c.pragma, got, c.want)
		}
	}
	if _, err := s.r.ExecContext(ctx, `INSERT INTO contexts (id, type, label, title) VALUES ('x', '', '', '')`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestMigrations(t *testing.T) {
	n := embeddedCount(t)
	if n == 0 {
		t.Fatal("no embedded migrations")
	}
	path := filepath.Join(t.TempDir(), "m.db")
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	s, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(logged.String(), "applied migration"); got != n {
		t.Errorf("first open logged %d migrations, want %d", got, n)
	}
	version := func() (max, count int) {
		t.Helper()
		if err := s.r.QueryRowContext(t.Context(), `SELECT MAX(version), COUNT(*) FROM schema_migrations`).Scan(&max, &count); err != nil {
			t.Fatal(err)
		}
		return
	}
	if max, count := version(); max != n || count != n {
		t.Errorf("recorded version %d (%d rows), want %d", max, count, n)
	}
	// Migrating again applies nothing.
	applied, err := migrate(t.Context(), s.w, log)
	if err != nil || len(applied) != 0 {
		t.Errorf("second migrate applied %v, %v; want nothing", applied, err)
	}
	s.Close()
	logged.Reset()
	s, err = Open(t.Context(), path, store.Options{Sealer: testSealer(t), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if logged.Len() != 0 {
		t.Errorf("reopening logged %q, want nothing applied", logged.String())
	}
	if max, count := version(); max != n || count != n {
		t.Errorf("after reopening: version %d (%d rows), want %d", max, count, n)
	}
	// A database newer than the program is refused.
	if _, err := s.w.ExecContext(t.Context(), `INSERT INTO schema_migrations (version, name, applied) VALUES (?, 'future.sql', '')`, n+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s2, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t)}); err == nil {
		s2.Close()
		t.Error("Open accepted a database with a newer schema")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error %q does not say the schema is newer", err)
	}
}

func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	const n = 8
	stores := make([]*Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(t.Context(), path, store.Options{Sealer: testSealer(t)})
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		defer stores[i].Close()
	}
	var count int
	if err := stores[0].r.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM schema_migrations`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != embeddedCount(t) {
		t.Errorf("%d migrations recorded, want %d", count, embeddedCount(t))
	}
}

func TestFilePath(t *testing.T) {
	for _, c := range []struct{ dsn, want string }{
		{"/var/lib/x.db", "/var/lib/x.db"},
		{"x.db", "x.db"},
		{"sqlite:/var/lib/x.db", "/var/lib/x.db"},
		{"sqlite:///var/lib/x.db", "/var/lib/x.db"},
		{"file:/var/lib/x.db", "/var/lib/x.db"},
		{"file:///var/lib/x.db", "/var/lib/x.db"},
		{"FILE:rel/x.db", "rel/x.db"},
	} {
		got, err := FilePath(c.dsn)
		if err != nil || got != c.want {
			t.Errorf("FilePath(%q) = %q, %v; want %q", c.dsn, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "sqlite:", ":memory:", "file::memory:", "x.db?_pragma=foreign_keys(0)", "file:x?mode=memory"} {
		if got, err := FilePath(bad); err == nil {
			t.Errorf("FilePath(%q) = %q, want an error", bad, got)
		}
	}
}

func TestCloseStopsPurge(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "x.db"), store.Options{Sealer: testSealer(t), NonceRetention: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Seen(context.Background(), "k", "n", time.Now()); err == nil {
		t.Error("Seen after Close succeeded")
	}
}

// envKillChild makes the test binary a writer that TestSurvivesKill kills.
const envKillChild = "LTIFORGE_SQLITE_KILL_CHILD"

// TestSurvivesKill has a child process write nonces and report each one
// acknowledged, kills it with SIGKILL in the middle, and checks that every
// acknowledged write is in the database.
func TestSurvivesKill(t *testing.T) {
	if path := os.Getenv(envKillChild); path != "" {
		killChild(t, path)
		return
	}
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "k.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSurvivesKill$", "-test.v")
	cmd.Env = append(os.Environ(), envKillChild+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if n, ok := strings.CutPrefix(sc.Text(), "ACK "); ok {
			acked, _ = strconv.Atoi(n)
			if acked >= 300 {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if acked < 300 {
		t.Fatalf("the child acknowledged only %d writes", acked)
	}
	s := openTest(t, path)
	var count int
	if err := s.r.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM nonces WHERE consumer_key = 'kill'`).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count < acked {
		t.Errorf("%d nonces in the database after kill -9, %d were acknowledged", count, acked)
	}
	for i := 1; i <= acked; i++ {
		if seen, err := s.Seen(t.Context(), "kill", fmt.Sprint("n", i), time.Now()); err != nil || !seen {
			t.Fatalf("acknowledged nonce n%d lost: %v, %v", i, seen, err)
		}
	}
	t.Logf("%d acknowledged writes survived, %d rows", acked, count)
}

// killChild writes until killed, acknowledging on stdout each nonce
// written to the table (Seen queues it; FlushNonces writes the queue).
func killChild(t *testing.T, path string) {
	s, err := Open(context.Background(), path, store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; ; i++ {
		if _, err := s.Seen(context.Background(), "kill", fmt.Sprint("n", i), time.Now()); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			if err := s.FlushNonces(context.Background()); err != nil {
				t.Fatal(err)
			}
			fmt.Printf("ACK %d\n", i)
		}
	}
}
