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

// storedNonces counts the rows of the nonces table of consumer key k.
func storedNonces(t *testing.T, s *Store, k string) int {
	t.Helper()
	var n int
	if err := s.r.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM nonces WHERE consumer_key = ?`, k).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// queued returns how many nonces wait to be written.
func queued(s *Store) int {
	s.nonces.qmu.Lock()
	defer s.nonces.qmu.Unlock()
	return len(s.nonces.queue)
}

// inMemory reports whether the index holds the nonce, unexpired.
func inMemory(s *Store, key, nonce string) bool {
	k := s.nonces.hash(key, nonce)
	sh := s.nonces.shard(k)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.live(k, time.Now().UnixMicro())
}

func wantSeen(t *testing.T, s *Store, key, nonce string, want bool) {
	t.Helper()
	if got, err := s.Seen(t.Context(), key, nonce, time.Now()); err != nil || got != want {
		t.Errorf("Seen(%q, %q) = %v, %v; want %v", key, nonce, got, err, want)
	}
}

// TestNoncesKeepWritesFull records nonces concurrently, between data
// writes, and checks that they all reach the table and that the writer
// connection is back at synchronous=FULL after.
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
				if i%10 == 0 {
					if err := s.PutContext(ctx, store.Context{ID: fmt.Sprint("c", g, "-", i)}); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := s.FlushNonces(ctx); err != nil {
		t.Fatal(err)
	}
	if got := writerPragma(t, s, "synchronous"); got != "2" {
		t.Errorf("writer at synchronous=%s after nonces, want 2 (FULL)", got)
	}
	if n := storedNonces(t, s, "k"); n != 400 {
		t.Errorf("%d nonces stored, want 400", n)
	}
}

// TestNoncesWrittenWithinInterval checks that an accepted nonce reaches
// the table without FlushNonces, about nonceFlushInterval later.
func TestNoncesWrittenWithinInterval(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "i.db"))
	start := time.Now()
	wantSeen(t, s, "k", "n", false)
	for storedNonces(t, s, "k") == 0 {
		if time.Since(start) > 5*time.Second {
			t.Fatal("the nonce was not written within 5 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Logf("written after %v", time.Since(start))
}

// TestNonceUpsert checks the write of a batch: a new nonce is inserted,
// an expired one renewed, and a live one (recorded by another process)
// left as it is.
func TestNonceUpsert(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "b.db"))
	ctx := t.Context()
	now := time.Now()
	live, old := fmtTime(now.Add(time.Hour)), fmtTime(now.Add(-time.Second))
	if _, err := s.w.ExecContext(ctx, `INSERT INTO nonces VALUES ('k', 'live', ?), ('k', 'old', ?)`, live, old); err != nil {
		t.Fatal(err)
	}
	exp := now.Add(2 * time.Hour).UnixMicro()
	if err := s.upsertNonces(ctx, []pendingNonce{{"k", "live", exp}, {"k", "old", exp}, {"k", "new", exp}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"live": live, "old": fmtTime(time.UnixMicro(exp)), "new": fmtTime(time.UnixMicro(exp))}
	for n, w := range want {
		var got string
		if err := s.r.QueryRowContext(ctx, `SELECT expires FROM nonces WHERE consumer_key = 'k' AND nonce = ?`, n).Scan(&got); err != nil || got != w {
			t.Errorf("nonce %s expires %q (%v), want %q", n, got, err, w)
		}
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
	wantSeen(t, s, "k", "n", false)
	if err := s.FlushNonces(ctx); err != nil {
		t.Errorf("FlushNonces on the new connection: %v", err)
	}
}

// TestCloseDuringSeen closes the store while nonces are being recorded:
// every call returns, with an answer or an error, and every nonce
// accepted is written by Close (a replay once the file is opened again).
func TestCloseDuringSeen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	s, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	started := make(chan struct{})
	var once sync.Once
	accepted := make([][]string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				nonce := fmt.Sprint(g, "-", i)
				seen, err := s.Seen(context.Background(), "k", nonce, time.Now())
				once.Do(func() { close(started) })
				if err != nil {
					return
				}
				if !seen {
					accepted[g] = append(accepted[g], nonce)
				}
			}
		}()
	}
	<-started
	time.Sleep(20 * time.Millisecond)
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
	s2 := openTest(t, path)
	total := 0
	for _, ns := range accepted {
		for _, n := range ns {
			total++
			wantSeen(t, s2, "k", n, true)
		}
	}
	if total == 0 {
		t.Error("no nonce was accepted before Close")
	}
}

// TestFlushOnClose checks that Close writes the nonces still queued.
func TestFlushOnClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	s, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	// Hold the writer connection, so that nothing is written before Close.
	conn, err := s.w.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		wantSeen(t, s, "k", fmt.Sprint("n", i), false)
	}
	time.Sleep(2 * nonceFlushInterval)
	if n := storedNonces(t, s, "k"); n != 0 {
		t.Fatalf("%d nonces written while the writer is held", n)
	}
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	time.Sleep(20 * time.Millisecond)
	conn.Close()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, path)
	if n := storedNonces(t, s2, "k"); n != 10 {
		t.Errorf("%d nonces in the table after Close, want 10", n)
	}
	if _, err := s.Seen(t.Context(), "k", "late", time.Now()); err == nil {
		t.Error("Seen after Close succeeded")
	}
	if err := s.FlushNonces(t.Context()); err == nil {
		t.Error("FlushNonces after Close succeeded")
	}
}

// TestSeenDoesNotWaitForWriter checks that Seen answers while the writer
// connection is held, that FlushNonces then fails with its context's
// error and keeps the nonces queued, and writes them once it is free.
func TestSeenDoesNotWaitForWriter(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "q.db"))
	conn, err := s.w.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if seen, err := s.Seen(ctx, "k", "n", time.Now()); err != nil || seen {
		t.Fatalf("Seen while the writer is held = %v, %v", seen, err)
	}
	wantSeen(t, s, "k", "n", true)
	fctx, fcancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer fcancel()
	if err := s.FlushNonces(fctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("FlushNonces while the writer is held = %v, want context.DeadlineExceeded", err)
	}
	if n := queued(s); n != 1 {
		t.Errorf("%d nonces queued after the failed flush, want 1", n)
	}
	conn.Close()
	if err := s.FlushNonces(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := storedNonces(t, s, "k"); n != 1 {
		t.Errorf("%d nonces stored, want 1", n)
	}
	if n := queued(s); n != 0 {
		t.Errorf("%d nonces queued after the flush, want 0", n)
	}
}

// TestNoncesSurviveRestart closes the store and opens the file again: a
// replay is refused, from the nonces loaded at Open.
func TestNoncesSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Open(t.Context(), path, store.Options{Sealer: testSealer(t)})
	if err != nil {
		t.Fatal(err)
	}
	wantSeen(t, s, "k", "n", false)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, path)
	if !inMemory(s2, "k", "n") {
		t.Error("the nonce was not loaded at Open")
	}
	wantSeen(t, s2, "k", "n", true)
	wantSeen(t, s2, "k", "m", false)
}

// TestNoncesSurviveKill simulates a process killed after a flush (no
// Close): a store opened on the file refuses the replay of every nonce
// flushed, loaded at Open; and a nonce the first store flushes later is a
// replay for the second too, through its read of the table.
func TestNoncesSurviveKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.db")
	s1 := openTest(t, path)
	ctx := t.Context()
	wantSeen(t, s1, "k", "n1", false)
	if err := s1.FlushNonces(ctx); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, path)
	if !inMemory(s2, "k", "n1") {
		t.Error("the flushed nonce was not loaded at Open")
	}
	wantSeen(t, s2, "k", "n1", true)

	wantSeen(t, s1, "k", "n2", false)
	if err := s1.FlushNonces(ctx); err != nil {
		t.Fatal(err)
	}
	if inMemory(s2, "k", "n2") {
		t.Fatal("the second store holds n2 before seeing it")
	}
	wantSeen(t, s2, "k", "n2", true)
	if !inMemory(s2, "k", "n2") {
		t.Error("a replay found in the table is not remembered")
	}
	// And the other way round.
	wantSeen(t, s2, "k", "n3", false)
	if err := s2.FlushNonces(ctx); err != nil {
		t.Fatal(err)
	}
	wantSeen(t, s1, "k", "n3", true)
}

// TestLoadSkipsExpired checks that Open loads only unexpired nonces.
func TestLoadSkipsExpired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "e.db")
	s := openTest(t, path)
	now := time.Now()
	if _, err := s.w.ExecContext(t.Context(), `INSERT INTO nonces VALUES ('k', 'live', ?), ('k', 'old', ?)`,
		fmtTime(now.Add(time.Hour)), fmtTime(now.Add(-time.Second))); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, path)
	if !inMemory(s2, "k", "live") {
		t.Error("the live nonce was not loaded")
	}
	n := 0
	for i := range s2.nonces.shards {
		n += len(s2.nonces.shards[i].m)
	}
	if n != 1 {
		t.Errorf("%d nonces loaded, want 1", n)
	}
	wantSeen(t, s2, "k", "old", false)
}

// TestNoncesBoundFailsClosed fills the memory of nonces: Seen then fails
// with ErrNoncesFull, every accepted nonce is still a replay, and once
// they expire new nonces are accepted again.
func TestNoncesBoundFailsClosed(t *testing.T) {
	const retention = 500 * time.Millisecond
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "m.db"), store.Options{Sealer: testSealer(t), NonceRetention: retention})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.nonces.setMax(2 * nonceShards)
	ctx := t.Context()
	start := time.Now()
	var accepted []string
	for i := 0; ; i++ {
		n := fmt.Sprint("n", i)
		seen, err := s.Seen(ctx, "k", n, start)
		if errors.Is(err, ErrNoncesFull) {
			break
		}
		if err != nil || seen {
			t.Fatalf("Seen(%s) = %v, %v", n, seen, err)
		}
		accepted = append(accepted, n)
		if i > 2*nonceShards {
			t.Fatalf("%d nonces accepted, bound %d", i+1, 2*nonceShards)
		}
	}
	if time.Since(start) > retention/2 {
		t.Skip("too slow a machine for the retention")
	}
	for _, n := range accepted {
		if seen, err := s.Seen(ctx, "k", n, start); err != nil || !seen {
			t.Errorf("replay of %s when full = %v, %v; want true", n, seen, err)
		}
	}
	time.Sleep(time.Until(start.Add(retention + 50*time.Millisecond)))
	// Each shard holds two: the first two new nonces fit once the expired
	// ones are swept.
	for i := range 2 {
		wantSeen(t, s, "k", fmt.Sprint("m", i), false)
	}
	if len(accepted) < 2 {
		t.Errorf("only %d nonces accepted before full", len(accepted))
	}
}

// TestPurgeSweepsMemory checks that PurgeNonces drops expired nonces from
// memory.
func TestPurgeSweepsMemory(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "p.db"), store.Options{Sealer: testSealer(t), NonceRetention: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for i := range 100 {
		wantSeen(t, s, "k", fmt.Sprint("n", i), false)
	}
	time.Sleep(100 * time.Millisecond)
	if _, err := s.PurgeNonces(t.Context()); err != nil {
		t.Fatal(err)
	}
	for i := range s.nonces.shards {
		sh := &s.nonces.shards[i]
		sh.mu.Lock()
		n := len(sh.m)
		sh.mu.Unlock()
		if n != 0 {
			t.Errorf("shard %d holds %d expired nonces after the purge", i, n)
		}
	}
}
