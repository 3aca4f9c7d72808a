package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// Nonces are checked and recorded in memory, and written to the nonces
// table behind the requests (see the package documentation):
//
//   - Seen looks the nonce up in an in-process index of (consumer key,
//     nonce) → expiry, split in shards each under its own mutex. A nonce
//     there and unexpired is a replay. Otherwise Seen reads the nonces
//     table (a prepared point read on a read-only connection, no write),
//     where another process sharing the file may have recorded it once
//     flushed: a live row there is a replay too, and is remembered.
//     Otherwise the nonce is recorded in the index and queued; check and
//     record are atomic under the shard's mutex (the index is checked
//     again after the read), so of concurrent calls with one nonce exactly
//     one gets "not a replay".
//   - One goroutine writes the queued nonces to the table, nonceFlushSoon
//     queued or nonceFlushInterval after the first was queued, whichever
//     comes first, in transactions on the writer connection committed with
//     synchronous=NORMAL (FULL is restored after; see upsertNonces).
//     FlushNonces writes the queue at once, and Close writes it before
//     closing.
//   - Open loads the unexpired nonces of the table into the index, so a
//     restarted process (also after kill -9) refuses the replay of every
//     nonce written before it stopped.
//
// Why: writing each nonce before answering cost a commit per request
// (or per batch of the requests waiting), on the request's path: WAL
// frames written, WAL-index locks, the readers' page caches dropped at
// every commit. Measured on 2 CPUs with nonces like oauth1's (48 random
// hex digits), in CPU time per nonce: BenchmarkSeen 35 µs that way,
// 12.5 µs this way, of which about 4 µs the read of the table and the
// rest the write behind (a random nonce dirties a leaf page of its own
// once the table outgrows a batch: its WAL frame and checkpoint are most
// of the cost), off the request's path; the check in memory alone
// (BenchmarkSeenReplay) takes 0.15 µs, about as long as with a single
// mutex on 2 CPUs (the shards are for hosts with more). The consumer's
// signed Tool Settings GET (BenchmarkServices in runtime/lifecycle) went
// from about 20% of a bare HMAC handler's requests per second to 45-55%
// on a quiet machine (32-37% while other processes loaded it, where
// skipping the nonce altogether gave about 40%); the read of the table
// costs about 7% of the GET's CPU time.
//
// The index holds a 128-bit hash of each pair (keyed with random seeds of
// the store's own), not the strings: an entry is small, free of pointers
// (the garbage collector does not scan the map), and keeps no request's
// header alive. Two pairs get one hash with probability about 2⁻¹²⁸, the
// second then being refused as a replay.

// DefaultMaxNonces is how many unexpired nonces a Store holds in memory.
// At the default retention of 20 minutes it lets through about 870 signed
// requests per second, sustained; beyond, Seen fails with ErrNoncesFull
// until nonces expire. An entry takes 30 to 60 bytes.
const DefaultMaxNonces = 1 << 20

// ErrNoncesFull is the error of Seen when the memory of nonces holds its
// maximum of unexpired nonces (or the queue to the table as many): the
// store fails closed rather than forget a live nonce.
var ErrNoncesFull = errors.New("too many unexpired nonces in memory")

const (
	// nonceFlushInterval bounds how long an accepted nonce waits before
	// it is written to the table.
	nonceFlushInterval = 50 * time.Millisecond
	// nonceFlushSoon queued nonces are written without waiting for the
	// interval.
	nonceFlushSoon = 1024
	// maxNonceBatch caps the nonces of one transaction, so that a long
	// queue does not hold the write lock long.
	maxNonceBatch = 1024
	// nonceShards is the number of shards of the index.
	nonceShards = 64
)

// Statements that switch the writer connection's durability around a
// batch of nonces.
const (
	pragmaNormal = `PRAGMA synchronous = NORMAL`
	pragmaFull   = `PRAGMA synchronous = FULL`
)

// nonceRead is the point read of Seen: the expiry of a recorded nonce.
const nonceRead = `SELECT expires FROM nonces WHERE consumer_key = ? AND nonce = ?`

// nonceLoad reads the unexpired nonces at Open.
const nonceLoad = `SELECT consumer_key, nonce, expires FROM nonces WHERE expires > ?`

// errClosed is the error of Seen after Close.
var errClosed = errors.New("store closed")

// nonceKey is the hash of a consumer key and nonce.
type nonceKey [2]uint64

// nonceShard is one shard of the index: expiry times in Unix
// microseconds.
type nonceShard struct {
	mu sync.Mutex
	m  map[nonceKey]int64
	// soonest is at most the earliest expiry in m: until then a sweep
	// finds nothing to delete.
	soonest int64
	_       [40]byte // a cache line each
}

// pendingNonce is an accepted nonce waiting to be written.
type pendingNonce struct {
	key, nonce string
	expires    int64 // Unix microseconds
}

// nonces is the state of a Store's nonces.
type nonces struct {
	seed     [2]maphash.Seed
	perShard int // the bound of each shard's map
	shards   [nonceShards]nonceShard

	read *sql.Stmt // nonceRead, on the read pool

	// queue holds the accepted nonces not yet written; closed is set by
	// Close, after which nothing is queued.
	qmu    sync.Mutex
	queue  []pendingNonce
	spare  []pendingNonce
	closed bool
	// isClosed mirrors closed for Seen's first check, without qmu.
	isClosed atomic.Bool

	// wake tells nonceLoop the queue is no longer empty, soon that it
	// holds nonceFlushSoon nonces.
	wake, soon chan struct{}

	// flushMu serializes the writes of the queue, so that FlushNonces
	// returns after the batch nonceLoop may be writing.
	flushMu sync.Mutex
}

// initNonces sets up the nonces of a new Store and loads the unexpired
// ones of the table. Open calls it once the statements are prepared.
func (s *Store) initNonces(ctx context.Context, max int) error {
	n := &s.nonces
	n.seed = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
	n.setMax(max)
	for i := range n.shards {
		n.shards[i].m = make(map[nonceKey]int64)
	}
	n.wake = make(chan struct{}, 1)
	n.soon = make(chan struct{}, 1)
	st, err := s.r.PrepareContext(ctx, nonceRead)
	if err != nil {
		return fmt.Errorf("prepare the nonce read: %w", err)
	}
	n.read = st
	if err := s.loadNonces(ctx); err != nil {
		n.read.Close()
		return err
	}
	return nil
}

// setMax bounds the index to about max nonces in all.
func (n *nonces) setMax(max int) {
	n.perShard = (max + nonceShards - 1) / nonceShards
}

// loadNonces reads the unexpired nonces of the table into the index. When
// they are more than it holds, it loads what fits: Seen's read of the
// table still finds the others.
func (s *Store) loadNonces(ctx context.Context) error {
	_, nowText := now()
	rows, err := s.r.QueryContext(ctx, nonceLoad, nowText)
	if err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	defer rows.Close()
	loaded, skipped := 0, 0
	for rows.Next() {
		var key, nonce, exp string
		if err := rows.Scan(&key, &nonce, &exp); err != nil {
			return fmt.Errorf("load nonces: %w", err)
		}
		t, err := parseTime(exp)
		if err != nil {
			return fmt.Errorf("load nonces: %w", err)
		}
		k := s.nonces.hash(key, nonce)
		sh := s.nonces.shard(k)
		if len(sh.m) >= s.nonces.perShard {
			skipped++
			continue
		}
		sh.put(k, t.UnixMicro())
		loaded++
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load nonces: %w", err)
	}
	if skipped > 0 {
		s.log.Warn("sqlite: more unexpired nonces in the table than the memory holds; the others are read from the table", "loaded", loaded, "skipped", skipped)
	}
	return nil
}

// hash returns the hash of a consumer key and nonce: of the length of the
// consumer key, then both, so that no two pairs hash the same bytes.
func (n *nonces) hash(consumerKey, nonce string) nonceKey {
	var buf [128]byte
	b := binary.AppendUvarint(buf[:0], uint64(len(consumerKey)))
	b = append(b, consumerKey...)
	b = append(b, nonce...)
	return nonceKey{maphash.Bytes(n.seed[0], b), maphash.Bytes(n.seed[1], b)}
}

// shard returns the shard of k.
func (n *nonces) shard(k nonceKey) *nonceShard {
	return &n.shards[k[1]%nonceShards]
}

// put records k until exp. The caller holds sh.mu (or owns sh).
func (sh *nonceShard) put(k nonceKey, exp int64) {
	if len(sh.m) == 0 || exp < sh.soonest {
		sh.soonest = exp
	}
	sh.m[k] = exp
}

// live reports whether k is recorded and unexpired at now. The caller
// holds sh.mu.
func (sh *nonceShard) live(k nonceKey, now int64) bool {
	exp, ok := sh.m[k]
	return ok && exp > now
}

// room makes room for k in sh, bounded to max entries, deleting the
// expired ones when sh is full; it reports whether k fits. The caller
// holds sh.mu.
func (sh *nonceShard) room(k nonceKey, now int64, max int) bool {
	if len(sh.m) < max {
		return true
	}
	if _, ok := sh.m[k]; ok {
		return true // an expired entry, renewed in place
	}
	sh.sweep(now)
	return len(sh.m) < max
}

// sweep deletes the expired entries of sh. The caller holds sh.mu.
func (sh *nonceShard) sweep(now int64) {
	if len(sh.m) == 0 || sh.soonest > now {
		return
	}
	soonest := int64(0)
	for k, exp := range sh.m {
		if exp <= now {
			delete(sh.m, k)
		} else if soonest == 0 || exp < soonest {
			soonest = exp
		}
	}
	sh.soonest = soonest
}

// sweepNonces deletes the expired nonces of the index.
func (s *Store) sweepNonces(t time.Time) {
	now := t.UnixMicro()
	for i := range s.nonces.shards {
		sh := &s.nonces.shards[i]
		sh.mu.Lock()
		sh.sweep(now)
		sh.mu.Unlock()
	}
}

// Seen records the nonce of consumerKey and reports whether it was
// already recorded and unexpired, by this process or, once written to the
// table, by another process on the file. A nonce is kept until its
// retention has passed after the later of ts and now. It is answered from
// memory, after a read of the table; the nonce is written to the table
// within nonceFlushInterval (see above).
func (s *Store) Seen(ctx context.Context, consumerKey, nonce string, ts time.Time) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, fmt.Errorf("sqlite: record nonce: %w", err)
	}
	n := &s.nonces
	if n.isClosed.Load() {
		return false, fmt.Errorf("sqlite: record nonce: %w", errClosed)
	}
	t := time.Now()
	nowU := t.UnixMicro()
	k := n.hash(consumerKey, nonce)
	sh := n.shard(k)
	sh.mu.Lock()
	seen := sh.live(k, nowU)
	sh.mu.Unlock()
	if seen {
		return true, nil
	}
	// Not in memory: another process may have recorded it.
	stored, err := s.storedNonce(ctx, consumerKey, nonce)
	if err != nil {
		return false, fmt.Errorf("sqlite: record nonce: %w", err)
	}
	exp := later(ts, t).Add(s.retention)
	if exp.After(maxTime) {
		exp = maxTime
	}
	sh.mu.Lock()
	switch {
	case sh.live(k, nowU):
		// A concurrent call recorded it meanwhile.
		seen = true
	case stored > nowU:
		// Recorded by another process: remember it, room permitting.
		if sh.room(k, nowU, n.perShard) {
			sh.put(k, stored)
		}
		seen = true
	case !sh.room(k, nowU, n.perShard):
		sh.mu.Unlock()
		return false, fmt.Errorf("sqlite: record nonce: %w", ErrNoncesFull)
	default:
		sh.put(k, exp.UnixMicro())
	}
	sh.mu.Unlock()
	if seen {
		return true, nil
	}
	if err := s.queueNonce(pendingNonce{consumerKey, nonce, exp.UnixMicro()}); err != nil {
		// Recorded in memory but not queued: the caller fails, and the
		// nonce stays a replay for this process.
		return false, fmt.Errorf("sqlite: record nonce: %w", err)
	}
	return false, nil
}

// storedNonce returns the expiry (Unix microseconds) of the nonce as
// recorded in the table, 0 when it is not.
func (s *Store) storedNonce(ctx context.Context, consumerKey, nonce string) (int64, error) {
	var exp string
	err := s.nonces.read.QueryRowContext(lookupCtx(ctx), consumerKey, nonce).Scan(&exp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	t, err := parseTime(exp)
	if err != nil {
		return 0, err
	}
	return t.UnixMicro(), nil
}

// queueNonce queues an accepted nonce for nonceLoop.
func (s *Store) queueNonce(p pendingNonce) error {
	n := &s.nonces
	n.qmu.Lock()
	if n.closed {
		n.qmu.Unlock()
		return errClosed
	}
	if len(n.queue) >= n.perShard*nonceShards {
		// The table has refused writes for long.
		n.qmu.Unlock()
		return ErrNoncesFull
	}
	n.queue = append(n.queue, p)
	l := len(n.queue)
	n.qmu.Unlock()
	switch l {
	case 1:
		signal(n.wake)
	case nonceFlushSoon:
		signal(n.soon)
	}
	return nil
}

// signal sends on a channel of capacity 1 without blocking.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// nonceLoop writes the queued nonces until Close: nonceFlushInterval
// after the queue becomes non-empty, or once nonceFlushSoon are queued.
// A failed write is tried again an interval later (the nonces stay
// queued).
func (s *Store) nonceLoop() {
	defer close(s.nonceDone)
	n := &s.nonces
	timer := time.NewTimer(nonceFlushInterval)
	timer.Stop()
	for {
		select {
		case <-n.wake:
		case <-n.soon:
		case <-s.closing:
			return
		}
		select {
		case <-n.soon:
		default:
			timer.Reset(nonceFlushInterval)
			select {
			case <-timer.C:
			case <-n.soon:
				timer.Stop()
			case <-s.closing:
				timer.Stop()
				return
			}
		}
		if err := s.flushNonces(context.Background()); err != nil {
			s.log.Warn("sqlite: write nonces (kept queued, retried)", "err", err)
			signal(n.wake)
		}
	}
}

// FlushNonces writes the nonces accepted so far to the table now,
// instead of within the flush interval: once it returns, another store on
// the file refuses their replay, also after this process is killed. It is
// for tests and for callers that need that; a failure leaves them queued.
func (s *Store) FlushNonces(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlite: flush nonces: %w", err)
	}
	if s.nonces.isClosed.Load() {
		return fmt.Errorf("sqlite: flush nonces: %w", errClosed)
	}
	if err := s.flushNonces(ctx); err != nil {
		return fmt.Errorf("sqlite: flush nonces: %w", err)
	}
	return nil
}

// flushNonces writes the queue in transactions of at most maxNonceBatch;
// what a failed transaction did not write goes back to the head of the
// queue.
func (s *Store) flushNonces(ctx context.Context) error {
	n := &s.nonces
	n.flushMu.Lock()
	defer n.flushMu.Unlock()
	n.qmu.Lock()
	batch := n.queue
	n.queue, n.spare = n.spare[:0], nil
	n.qmu.Unlock()
	for i := 0; i < len(batch); i += maxNonceBatch {
		if err := s.upsertNonces(ctx, batch[i:min(i+maxNonceBatch, len(batch))]); err != nil {
			n.qmu.Lock()
			n.queue = append(batch[i:len(batch):len(batch)], n.queue...)
			n.qmu.Unlock()
			return err
		}
	}
	clear(batch)
	n.qmu.Lock()
	if cap(batch) <= 4*maxNonceBatch {
		n.spare = batch[:0]
	}
	n.qmu.Unlock()
	return nil
}

// closeNonces stops queuing and nonceLoop and writes the queue: Close
// calls it before it closes the statements and the database.
func (s *Store) closeNonces() error {
	n := &s.nonces
	n.qmu.Lock()
	n.closed = true
	n.isClosed.Store(true)
	n.qmu.Unlock()
	close(s.closing)
	<-s.nonceDone
	var err error
	if ferr := s.flushNonces(context.Background()); ferr != nil {
		err = fmt.Errorf("write the queued nonces: %w", ferr)
	}
	return errors.Join(err, n.read.Close())
}

// upsertNonces writes batch in one transaction, committed with
// synchronous=NORMAL on the pinned writer connection: an upsert each,
// which inserts a new nonce, renews an expired one and leaves a live one
// (another process's) untouched. Why NORMAL:
//
// With FULL every commit syncs the WAL, an fsync per flush for records
// that only need to outlive the 5 to 20 minutes of the replay window. In
// WAL mode a NORMAL commit is written to the WAL before it returns, so it
// survives the process being killed (kill -9) as any commit does; it is
// only not synced, so a power loss or OS crash can lose it until the next
// FULL commit (a data write, from this process or another sharing the
// file) or checkpoint syncs the WAL, and with it every frame before. Data
// writes keep FULL: the connection is pinned from the pragma to its
// restore, so no data write commits in between, and a connection whose
// restore fails is discarded (driver.ErrBadConn), never returned to the
// pool at NORMAL.
//
// The busy timeout bounds its waits; ctx may end them sooner.
func (s *Store) upsertNonces(ctx context.Context, batch []pendingNonce) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, pragmaNormal); err != nil {
		return errors.Join(err, restoreFull(conn))
	}
	err = func() error {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // after Commit, a no-op
		_, nowText := now()
		upsert := tx.StmtContext(ctx, s.st.seen)
		for _, p := range batch {
			if _, err := upsert.ExecContext(ctx, p.key, p.nonce, fmtTime(time.UnixMicro(p.expires)), nowText); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	return errors.Join(err, restoreFull(conn))
}

// restoreFull sets synchronous=FULL again on the pinned writer
// connection. When that fails, it reports the connection bad, so that
// database/sql closes it instead of returning it to the pool at NORMAL.
func restoreFull(conn *sql.Conn) error {
	return conn.Raw(func(dc any) error {
		ex, ok := dc.(driver.ExecerContext)
		if !ok {
			return fmt.Errorf("%w: restore synchronous=FULL: the driver cannot execute", driver.ErrBadConn)
		}
		if _, err := ex.ExecContext(context.Background(), pragmaFull, nil); err != nil {
			return fmt.Errorf("%w: restore synchronous=FULL: %v", driver.ErrBadConn, err)
		}
		return nil
	})
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
