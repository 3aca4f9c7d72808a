package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ltiforge/ltiforge/runtime/store"
)

// writerPragma reads a pragma on the writer connection.
func writerPragma(t *testing.T, s *Store, name string) string {
	t.Helper()
	var v string
	if err := s.w.QueryRowContext(t.Context(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNoncesKeepWritesFull records nonces concurrently, between data
// writes, and checks that the writer connection is back at
// synchronous=FULL after each.
func TestNoncesKeepWritesFull(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "n.db"))
	ctx := t.Context()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if seen, err := s.Seen(ctx, "k", fmt.Sprint(g, "-", i), time.Now()); err != nil || seen {
					t.Errorf("Seen: %v, %v", seen, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := writerPragma(t, s, "synchronous"); got != "2" {
		t.Errorf("writer at synchronous=%s after nonces, want 2 (FULL)", got)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM nonces`).Scan(&n); err != nil || n != 400 {
		t.Errorf("%d nonces stored (%v), want 400", n, err)
	}
}

// TestNonceBatch checks the upserts of one batch: a nonce given twice is
// new once, then a replay.
func TestNonceBatch(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "b.db"))
	call := func(nonce string) *nonceCall {
		_, ts := now()
		return &nonceCall{ctx: t.Context(), args: [4]any{"k", nonce, fmtTime(time.Now().Add(time.Hour)), ts}}
	}
	ns, err := s.upsertNonces([]*nonceCall{call("a"), call("a"), call("b")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{1, 0, 1}; fmt.Sprint(ns) != fmt.Sprint(want) {
		t.Errorf("rows changed %v, want %v", ns, want)
	}
	if seen, err := s.Seen(t.Context(), "k", "b", time.Now()); err != nil || !seen {
		t.Errorf("Seen(b) after the batch = %v, %v; want a replay", seen, err)
	}
}

// TestRestoreFailureDiscardsConnection makes restoring synchronous=FULL
// fail (the pragma is refused inside a transaction) and checks that the
// writer connection is then closed, not reused.
func TestRestoreFailureDiscardsConnection(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "r.db"))
	ctx := t.Context()
	// Mark the writer connection, to tell it from a new one.
	if _, err := s.w.ExecContext(ctx, `PRAGMA cache_size = -1234`); err != nil {
		t.Fatal(err)
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, pragmaNormal); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		t.Fatal(err)
	}
	if err := restoreFull(conn); !errors.Is(err, driver.ErrBadConn) {
		t.Fatalf("restoreFull in a transaction = %v, want driver.ErrBadConn", err)
	}
	conn.Close()
	if got := writerPragma(t, s, "cache_size"); got == "-1234" {
		t.Error("the connection whose restore failed is still in the pool")
	}
	if got := writerPragma(t, s, "synchronous"); got != "2" {
		t.Errorf("new writer connection at synchronous=%s, want 2 (FULL)", got)
	}
	if seen, err := s.Seen(ctx, "k", "n", time.Now()); err != nil || seen {
		t.Errorf("Seen on the new connection = %v, %v", seen, err)
	}
}

// TestCloseDuringSeen closes the store while nonces are being recorded:
// every call returns, with an answer or an error.
func TestCloseDuringSeen(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "c.db"), store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{})
	var once sync.Once
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				_, err := s.Seen(context.Background(), "k", fmt.Sprint(g, "-", i), time.Now())
				once.Do(func() { close(started) })
				if err != nil {
					return
				}
			}
		}()
	}
	<-started
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Seen calls did not return after Close")
	}
}

// TestSeenCanceledWhileQueued checks that a call whose context ends while
// it waits gives up with the context's error.
func TestSeenCanceledWhileQueued(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "q.db"))
	// Hold the writer connection, so that the recorder cannot run.
	conn, err := s.w.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := s.Seen(ctx, "k", "n", time.Now()); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Seen while the writer is held = %v, want context.DeadlineExceeded", err)
	}
	conn.Close()
	// The abandoned call was recorded or not; the store goes on.
	if _, err := s.Seen(t.Context(), "k", "m", time.Now()); err != nil {
		t.Errorf("Seen after: %v", err)
	}
}
